"""Counted quantities in the prose, the fixed-key counts, and text-vs-table checks.

Every quantity is a number followed by a counting unit (条 件 个 场 …) with the
clause before it as its subject.  The fixed keys of OUTPUT.md (website posts,
press conferences, policy interpretations, processing fees, new-media accounts)
are picked from those quantities by their subject, with the evidence span.
"""
from __future__ import annotations

import re

from .numbers import CN_DIGITS, to_number

UNITS = "人次|场次|万元|万条|万件|余条|余件|条|件|个|场|次|篇|期|项|份|家|元|名|人|批|部|封|期|组|户|起"
APPROX_BEFORE = r"(?P<pre>约|近|超过|逾|大约|将近|共约|累计约)?"
QUANT = re.compile(
    APPROX_BEFORE
    + rf"(?P<num>\d[\d,，]*(?:\.\d+)?|[{CN_DIGITS}]{{1,12}})\s*(?P<wan>万)?\s*(?P<post>余|多)?\s*(?P<unit>{UNITS})"
)
CLAUSE_BREAK = re.compile(r"[，。；：！？、,;:!?（）()“”]")
YEARISH = re.compile(r"(19|20)\d{2}\s*年(度)?|\d{1,2}\s*月\s*(份)?|\d{1,2}\s*日")
FILLER = re.compile(r"^(其中|共|全年|累计|合计|总计|共计|另有|并|已|此外|同时|今年|本年度|本年|全市|全区|全县)+")


def quantities(paragraphs: list[dict], texts: list[str]) -> list[dict]:
    out = []
    for p, text in zip(paragraphs, texts):
        if p.get("heading"):
            continue
        for m in QUANT.finditer(text):
            raw = m.group("num")
            if re.fullmatch(rf"[{CN_DIGITS}]+", raw):
                # a Chinese numeral must not be part of a word (一是, 统一, 第一)
                before = text[max(0, m.start("num") - 1): m.start("num")]
                if len(raw) == 1 and raw not in "两" and m.group("unit") not in ("个", "场", "次", "期", "项", "名", "家", "篇", "件", "条"):
                    continue
                if before in ("第", "统", "唯", "之", "单", "同", "逐", "进", "万", "周"):
                    continue
                if raw in ("一", "两") and m.group("unit") in ("个", "项", "次", "批", "名", "件", "条", "部", "家", "份", "期", "组", "户", "人", "场"):
                    continue  # "一个", "两项": words, not counts
            if raw and raw[0].isdigit():
                prev = text[max(0, m.start("num") - 1): m.start("num")]
                if prev.isdigit() or prev in ".-":
                    continue
                if text[m.end("num"):m.end("num") + 2].strip().startswith(("年", "月", "日", "%", "号")):
                    continue
            value = to_number(raw)
            if value is None:
                continue
            unit = m.group("unit")
            approx = bool(m.group("pre") or m.group("post"))
            if unit.startswith("余"):
                approx, unit = True, unit[1:]
            if m.group("wan"):
                value = value * 10000
            if unit in ("万条", "万件"):
                value, unit = value * 10000, unit[1:]
            value = int(value) if float(value).is_integer() else value
            subject = _subject(text, m.start())
            out.append({
                "subject": subject, "value": value, "unit": unit, "approx": approx,
                "paragraph": p["id"], "start": m.start(), "end": m.end(),
                "after": text[m.end(): m.end() + 12],
                "sentence": text[_sentence_start(text, m.start()): m.start()],
            })
    return out


def _sentence_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1] not in "。；！？;!?" and pos - i < 120:
        i -= 1
    return i


def _subject(text: str, pos: int) -> str:
    start = pos
    while start > 0 and not CLAUSE_BREAK.match(text[start - 1]) and pos - start < 40:
        start -= 1
    seg = text[start:pos]
    # cut after a previous quantity in the same clause ("3个微信公众号2020年共发布消息1625条")
    last = None
    for m in QUANT.finditer(seg):
        last = m
    if last is not None and last.end() < len(seg):
        seg = seg[last.end():]
    seg = YEARISH.sub("", seg)
    seg = re.sub(r"\s+", "", seg)
    seg = FILLER.sub("", seg)
    seg = re.sub(r"(共计|共|累计|合计|达到|达|为|计)$", "", seg)
    seg = re.sub(r"^(我市|我县|我区|我局|我委|我办|市|县|区)", "", seg) if len(seg) > 4 else seg
    return seg[-24:]


STOP_WORDS = re.compile(r"关停|关闭|注销|整改|清理|抽查|检查|下架|整合|撤并")
FIXED = {
    "website_posts": (re.compile(r"(主动)?公开.{0,10}信息|发布.{0,10}信息|公开.{0,6}政府信息|网站.{0,12}(公开|发布)"),
                       re.compile(r"微信|微博|新媒体|公众号|申请|答复|复议|诉讼|解读|文件|规章|目录|依申请|采购|招标|招投标|项目"
                                  r"|预决算|财政|征地|人事|招聘|疫情|领域|专栏|栏目|类信息|科普|预警"), ("条",)),
    "press_conferences": (re.compile(r"新闻发布会|发布会"), None, ("场", "次", "期", "场次")),
    "policy_interpretations": (re.compile(r"政策解读|解读"), re.compile(r"发布会|申请"), ("个", "篇", "件", "条", "期", "次", "项", "份")),
    "processing_fee_yuan": (re.compile(r"信息处理费|处理费|收费"), re.compile(r"行政事业性"), ("元", "万元")),
    "new_media_accounts": (re.compile(r"政务新媒体|新媒体账号|新媒体平台"), re.compile(r"发布|推送|信息|消息"), ("个", "家")),
}


def fixed_counts(paragraphs: list[dict], texts: list[str], qs: list[dict]) -> dict:
    out = {}
    for key, (want, avoid, units) in FIXED.items():
        for q in qs:
            if q["unit"] not in units:
                continue
            subj = q["subject"]
            after = q.get("after", "")
            ctx = subj
            if not want.search(subj):
                # "召开12场新闻发布会": the noun follows the number directly
                m = want.search(after[:10])
                if not m or not re.fullmatch(r"[的次场个]?", after[: m.start()]):
                    continue
                ctx = after
            if STOP_WORDS.search(q.get("sentence", subj)):
                continue  # 关停政务新媒体2个: not the number run
            if avoid is not None and avoid.search(ctx):
                continue
            value = q["value"]
            unit = q["unit"]
            if key == "processing_fee_yuan" and unit == "万元":
                value, unit = round(value * 10000, 2), "元"
                value = int(value) if float(value).is_integer() else value
            out[key] = {"value": value, "unit": unit, "approx": q["approx"],
                        "evidence": {"paragraph": q["paragraph"], "start": q["start"], "end": q["end"]}}
            break
    for q in qs:
        q.pop("after", None)
        q.pop("sentence", None)
    return out


# Figures the prose states that a glued table can be checked against (table key → subject pattern).
HINTS = [
    ("proactive.normative_documents.made", re.compile(r"(制发|出台|印发|制定)(了)?(行政)?规范性文件$")),
    ("proactive.normative_documents.repealed", re.compile(r"废止(了)?(行政)?规范性文件$")),
    ("proactive.normative_documents.in_force", re.compile(r"现行有效(的)?(行政)?规范性文件$")),
    ("proactive.regulations.made", re.compile(r"(制发|出台|制定)(了)?(政府)?规章$")),
    ("requests.new.total", re.compile(r"(受理|收到|新收)(了)?.{0,10}申请$")),
]


def prose_hints(qs: list[dict]) -> dict:
    """Table figures the prose states (from :func:`quantities`), for choosing among splits of glued table digits."""
    out: dict = {}
    for q in qs:
        if q["approx"] or q["unit"] not in ("件", "条", "个"):
            continue
        for key, pat in HINTS:
            if key not in out and pat.search(q["subject"]):
                out[key] = q["value"]
    return out


TEXT_TABLE = [
    ("requests.new.total", re.compile(r"(受理|收到|新收).{0,14}申请"), ("件", "条", "个"), ("requests", "rows", "new", "total")),
    ("appeals.review.total", re.compile(r"行政复议(案件|申请)?$"), ("件", "起", "个"), ("appeals", "review", "total")),
    ("requests.total.total", re.compile(r"^(共)?(答复|办结)(了)?$|^共办结$"), ("件",), ("requests", "rows", "total", "total")),
    ("requests.carried_over.total", re.compile(r"上年(度)?结转(申请)?$"), ("件",), ("requests", "rows", "carried_over", "total")),
    ("requests.carried_forward.total", re.compile(r"结转(至|到)?(下(一)?年度?|下年)$|结转至$"), ("件",), ("requests", "rows", "carried_forward", "total")),
]


def text_checks(qs: list[dict], tables: dict) -> list[dict]:
    """Figures the prose states that a table also holds (text.<table key>), from :func:`quantities`."""
    out = []
    for cid, pat, units, path in TEXT_TABLE:
        cur: object = tables
        for k in path:
            cur = cur.get(k) if isinstance(cur, dict) else None
        if cur is None and not _has(tables, path[:-1]):
            continue
        for q in qs:
            if q["unit"] in units and pat.search(q["subject"]) and not q["approx"]:
                ok = None if cur is None else abs(q["value"] - cur) < 1e-6
                chk = {"id": f"text.{cid}", "ok": ok, "expected": q["value"], "actual": cur,
                       "paragraph": q["paragraph"], "start": q["start"], "end": q["end"]}
                if ok is False and cid == "requests.new.total":
                    # "受理申请75件" often counts the requests carried over from last year too
                    carried = ((tables.get("requests") or {}).get("rows") or {}).get("carried_over", {}).get("total")
                    if carried is not None and abs(q["value"] - (cur + carried)) < 1e-6:
                        chk["ok"] = True
                        chk["note"] = "the text counts new plus carried-over requests"
                if ok is None:
                    chk["reason"] = "the table cell is blank"
                out.append(chk)
                break
    return out


def _has(d, path) -> bool:
    for k in path:
        if not isinstance(d, dict) or k not in d:
            return False
        d = d[k]
    return True
