"""The disclosure work leading group (…领导小组): name, 组长, 副组长, 成员, office.

Precision first: a group is reported only where the text says who leads it or
that it was set up (成立/调整/组建), not where it is merely mentioned as a contact.
Person names are confirmed by jieba's POS tags (``nr``).
"""
from __future__ import annotations

import re
from functools import lru_cache

POST = r"(?:常务)?(?:副)?(?:局长|主任|书记|县长|市长|区长|镇长|乡长|部长|厅长|处长|科长|主席|院长|所长|秘书长|主任委员|委员|党组书记|负责人|站长|队长|馆长|校长|行长|总经理|董事长|社长|会长|关长|署长|司长|分管领导|主要领导|领导|负责同志)"
TITLE_RE = rf"(?:[\u4e00-\u9fff]{{0,14}}?{POST}、)?[\u4e00-\u9fff]{{0,14}}?{POST}"
NAME_RE = r"[\u4e00-\u9fff]{2,3}?"
SETUP = re.compile(r"成立|调整|组建|设立|建立|健全|更新|充实")
NAME_STOP = "的了由为将在和及与并以是把对"
DISCLOSURE = re.compile(r"公开|政务")  # the disclosure work group, not any other leading group

LEADER_PATTERNS = [
    re.compile(rf"由(?P<title>{TITLE_RE})(?P<name>{NAME_RE})(?:同志)?(?:担任|任|为)组长"),
    re.compile(rf"(?<!副)组长[：:]\s*(?P<title>{TITLE_RE})?(?P<name>{NAME_RE})(?=[，,；;、。\s（(]|$)"),
    re.compile(rf"(?<!副)组长由(?P<title>{TITLE_RE})(?P<name>{NAME_RE})(?:同志)?担任"),
    re.compile(rf"以(?P<title>{TITLE_RE})(?P<name>{NAME_RE})(?:同志)?为组长"),
    re.compile(rf"(?P<title>{TITLE_RE})(?P<name>{NAME_RE})(?:同志)?(?:担任|任)组长"),
    re.compile(rf"以(?P<title>{TITLE_RE})为组长"),
    re.compile(rf"由(?P<title>{TITLE_RE})(?:担任|任)组长"),
]
DEPUTY_PATTERNS = [
    re.compile(r"副组长[：:]\s*(?P<who>[^。；;，,]+?)(?=[；;。，,]|成员|$)"),
    re.compile(r"(?:[，,；;、]|^|组长)\s*(?:由)?(?P<who>(?:(?!组长)[^，,。；;]){2,40}?)(?:同志)?(?:担任|任|为)副组长"),
]
MEMBER_PATTERNS = [
    re.compile(r"成员[：:]\s*(?P<who>[^。；;]+?)(?=[；;。]|$)"),
    re.compile(r"(?:[，,；;、]|^|组长)\s*(?:由)?(?P<who>(?:(?!组长)[^，,。；;]){2,40}?)(?:同志)?(?:担任|任|为)(?:小组)?成员"),
]
OFFICE_PATTERNS = [
    re.compile(r"办公室(?:办公地点)?设在(?P<office>[^，,。；;]{2,30})"),
    re.compile(r"下设办公室[，,]?\s*(?:办公地点)?设在(?P<office>[^，,。；;]{2,30})"),
    re.compile(r"(?P<office>[\u4e00-\u9fff]{1,20}?办公室)为[\u4e00-\u9fff]{0,14}?办公室"),
]


@lru_cache(maxsize=1)
def _posseg():
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(60)
    return pseg


@lru_cache(maxsize=1)
def _surnames() -> tuple[set[str], set[str]]:
    from importlib import resources

    lines = [l for l in resources.files(__package__).joinpath("surnames.txt").read_text("utf-8").splitlines() if l and not l.startswith("#")]
    return set(lines[0]), set(lines[1].split()) if len(lines) > 1 else set()


def is_person_name(name: str, context: str = "") -> bool:
    """jieba tags it as a person name (nr), or it starts with a common surname."""
    single, compound = _surnames()
    if 2 <= len(name) <= 3 and (name[0] in single or name[:2] in compound):
        return True
    pseg = _posseg()
    for w in pseg.cut(context or name):
        if w.flag == "nr" and (w.word == name or (name in w.word and len(w.word) <= 4) or (w.word in name and len(w.word) >= 2)):
            return True
    return False


def _names_or_description(who: str) -> list[str]:
    who = who.strip().strip("，,、")
    who = re.sub(r"^(由|为|是)", "", who)
    parts = [x.strip() for x in re.split(r"[、，,]", who) if x.strip()]
    names = []
    for part in parts:
        m = re.fullmatch(rf"(?:{TITLE_RE})?({NAME_RE})(?:同志)?", part)
        if m and is_person_name(m.group(1), part):
            names.append(m.group(1))
        else:
            names = []
            break
    return names if names else [who]


def _first(patterns: list[re.Pattern[str]], text: str) -> re.Match[str] | None:
    for pat in patterns:
        m = pat.search(text)
        if m:
            return m
    return None


def _group_name(text: str) -> tuple[str, int, int] | None:
    for m in re.finditer(r"领导小组", text):
        s = m.start()
        i = s
        while i > 0 and re.match(r"[\u4e00-\u9fff“”]", text[i - 1]) and text[i - 1] not in NAME_STOP and s - i < 24:
            i -= 1
        name = text[i:m.end()]
        # "及时调整充实政府信息公开工作领导小组": the name starts after the verbs
        verbs = list(re.finditer(r"(调整|充实|成立|组建|设立|建立|健全|更新|完善)(了)?", name))
        if verbs:
            i += verbs[-1].end()
            name = text[i:m.end()]
        if len(name) > 4 and DISCLOSURE.search(name):
            return name, i, m.end()
    return None


def leading_groups(paragraphs: list[dict], texts: list[str]) -> list[dict]:
    """Every leading group the report describes, one per paragraph, in order."""
    found: list[dict] = []
    for p, text in zip(paragraphs, texts):
        if "组长" not in text and not ("领导小组" in text and SETUP.search(text)):
            continue
        spans = []
        leader = None
        for pat in LEADER_PATTERNS:
            m = pat.search(text)
            if not m:
                continue
            name = m.groupdict().get("name")
            title = (m.group("title") or "").strip() or None
            if name and not is_person_name(name, text[max(0, m.start("name") - 4): m.end("name") + 4]):
                continue
            if title:
                title = re.sub(r"^(由|以|是)", "", title)
            leader = {"name": name, "title": title}
            spans.append((m.start(), m.end()))
            break
        gn = _group_name(text)
        if leader is None and not (gn and SETUP.search(text[max(0, gn[1] - 30): gn[2]])):
            continue
        group: dict = {"name": gn[0] if gn else None, "leader": leader or {"name": None, "title": None},
                 "deputies": [], "members": [], "office": None}
        if gn:
            spans.append((gn[1], gn[2]))
        for key, patterns, group_name in (("deputies", DEPUTY_PATTERNS, "who"), ("members", MEMBER_PATTERNS, "who"),
                                          ("office", OFFICE_PATTERNS, "office")):
            m = _first(patterns, text)
            if m:
                value = m.group(group_name)
                group[key] = value if key == "office" else _names_or_description(value)
                spans.append((m.start(group_name), m.end(group_name) if key == "office" else m.end()))
        start = min(s for s, _ in spans)
        end = max(e for _, e in spans)
        group["evidence"] = {"paragraph": p["id"], "start": start, "end": end}
        found.append(group)
    return found
