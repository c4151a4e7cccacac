"""Report metadata: title, issuing agency, year reported on, publication date.

The agency is the body the title names (``平潭综合实验区2019年度政府信息公开工作年度报告``
→ 平潭综合实验区); only when the title names none, the title the container states (PDF
metadata, HTML ``<title>``, a crawler header), then the body the preamble names
(``本报告由…编制``).  An agency must look like one (it ends as bodies do: 政府, 局, 委员会,
办公室, 院, 中心 …); a fragment such as ``华人民共和国`` is never taken.  The year is the year
reported on (title, container title, else the statistics period 统计期限), never the
publication date.  :func:`read_meta` gives each field with where it was read
(``evidence``) and a warning for a year or agency that stays unknown.
"""
from __future__ import annotations

import re

from ..numbers import cn_to_number

TITLE = re.compile(r"(?:政府)?信息公开(?:工作)?(?:年度)?(?:工作)?报告|政务公开.{0,6}年度报告")
YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2}|[〇零一二三四五六七八九○]{4})\s*年\s*度?")
PERIOD = re.compile(r"统计(?:期限|时限|时间|区间).{0,6}?(?:自|为|从|是)?\s*((?:19|20)\d{2})\s*年")
AGENCY_END = re.compile(r"(?:政府|人民政府|局|委员会|委|办公室|办|院|中心|厅|部|署|会|所|处|站|队|室|馆|社|行|集团|公司|"
                        r"实验区|新区|开发区|园区|示范区|区|县|市|省|州|盟|旗|镇|乡|街道|监狱|学校|大学|学院|医院|银行|总队|支队|大队)$")
NOT_AGENCY = re.compile(r"^[〈《<（(“\"]|^(?:于|关于|做好|印发)|条例|通知|意见|办法|决定|格式|报告")
BY_PREAMBLE = re.compile(r"本报告由\s*([^，。,；;]{2,40}?)\s*(?:根据|依据|按照|编制|负责)")
PUBLISHED = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def find_title(paras: list[str], hint: str | None) -> str | None:
    for k, t in enumerate(paras[:6]):
        s = re.sub(r"\s+", "", t)
        nxt = re.sub(r"\s+", "", paras[k + 1]) if k + 1 < len(paras) else ""
        if not s.endswith("告") and len(nxt) <= 12 and TITLE.search(s + nxt) and (s + nxt).endswith(("报告", "报告）", "报告)")):
            s += nxt  # a title cut by its line wrap in the middle of a word (…年度报 / 告)
        if len(s) <= 80 and TITLE.search(s) and s.endswith(("报告", "报告）", "报告)")):
            prev = re.sub(r"\s+", "", paras[k - 1]) if k > 0 else ""
            if YEAR_IN_TITLE.match(s) and 2 <= len(prev) <= 24 and not re.search(r"[。，；：\d]", prev):
                s = prev + s  # a title printed on two lines: the agency above the year
            return s
    if hint:
        # an HTML <title> carries the site after the report: "…年度报告_政府信息公开年报_某某网"
        parts = [x for x in re.split(r"\s*[_|｜]\s*|\s+[-—]\s+", hint) if "报告" in x]
        return re.sub(r"\s+", "", parts[0] if parts else hint)
    for t in paras[:6]:
        s = re.sub(r"\s+", "", t)
        m = re.match(r"(.{2,60}?(?:年度报告|工作报告))", s)
        if m and TITLE.search(m.group(1)):
            return m.group(1)
    return None


def _year(s: str) -> int | None:
    """'2019' or a year in Chinese digits ('二〇一九')."""
    if s.isdigit():
        return int(s)
    digits = "〇一二三四五六七八九"
    try:
        return int("".join(str(digits.index(c.replace("零", "〇").replace("○", "〇"))) for c in s))
    except ValueError:
        return None


def find_year(title: str | None, text: str) -> int | None:
    if title:
        m = YEAR_IN_TITLE.search(title)
        if m:
            y = _year(m.group(1))
            if y and 2000 <= y <= 2100:
                return y
    m = PERIOD.search(text)
    if m:
        return int(m.group(1))
    return None


def find_agency(title: str | None, preamble: str) -> str | None:
    """The issuing body the title names; else the one the preamble names (本报告由…编制)."""
    if title:
        t = re.sub(r"^(关于|《)", "", title.strip())
        m = TITLE.search(t)
        end = m.start() if m else len(t)
        y = YEAR_IN_TITLE.search(t[:end])
        if y and y.start() >= 2:
            head = t[: y.start()]
        elif y:
            head = t[y.end(): end]
        else:
            head = t[:end]
        head = re.sub(r"(关于|的)$", "", head.strip("《》“”\" "))
        if looks_like_agency(head):
            return head
    m = BY_PREAMBLE.search(re.sub(r"\s+", "", preamble))
    if m and looks_like_agency(m.group(1)):
        return m.group(1)
    return None


def looks_like_agency(s: str | None) -> bool:
    """A body's name: 2–40 characters, no digits, ends as agencies do, and is no fragment of a citation."""
    if not s or not 2 <= len(s) <= 40 or re.search(r"\d", s):
        return False
    return bool(AGENCY_END.search(s)) and not NOT_AGENCY.search(s)


HINT_SOURCE = {"pdf": "pdf_metadata", "html": "html_meta", "txt": "crawler_header", "docx": "docx_properties", "doc": "docx_properties"}


def _span(texts: list[str], value: str, first: int = 0) -> dict | None:
    """Where ``value`` is written: the first paragraph from ``first`` on that contains it."""
    for i in range(first, len(texts)):
        k = texts[i].find(value)
        if k >= 0:
            return {"paragraph": f"p{i + 1}", "start": k, "end": k + len(value)}
    return None


def _title_index(texts: list[str], title: str | None) -> int | None:
    if not title:
        return None
    flat = [re.sub(r"\s+", "", t) for t in texts[:6]]
    return next((i for i, t in enumerate(flat) if t and (t in title or title in t)), None)


def read_meta(texts: list[str], preamble: str, hint: str | None, fmt: str) -> tuple[dict, dict, list[dict]]:
    """``(fields, evidence, warnings)``: title, agency and year with where each was read."""
    title = find_title(texts, hint)
    at = _title_index(texts, title)
    hint_title = find_title([], hint) if hint else None
    evidence: dict = {}
    agency = year = None
    for src, t in (("title", title if at is not None else None), ("hint", hint_title)):
        if t and agency is None and (a := find_agency(t, "")):
            agency = a
            evidence["agency"] = _span(texts, a, at or 0) if src == "title" else HINT_SOURCE.get(fmt, "container")
        if t and year is None and (y := find_year(t, "")):
            year = y
            m = YEAR_IN_TITLE.search(t)
            evidence["year"] = (_span(texts, m.group(1), at or 0) if src == "title" and m else None) or HINT_SOURCE.get(fmt, "container")
    if title is None:
        title = hint_title
    if agency is None and (a := find_agency(None, preamble)):
        agency = a
        evidence["agency"] = _span(texts, a)
    if year is None:
        for i, t in enumerate(texts):
            m = PERIOD.search(t)
            if m:
                year = int(m.group(1))
                evidence["year"] = {"paragraph": f"p{i + 1}", "start": m.start(1), "end": m.end(1)}
                break
    warnings = []
    if agency is None:
        warnings.append({"code": "meta.agency_missing", "message": "no issuing agency found in the title, the container or the preamble"})
    if year is None:
        warnings.append({"code": "meta.year_missing", "message": "no year reported on found in the title, the container or the statistics period"})
    return {"title": title, "agency": agency, "year": year}, {k: v for k, v in evidence.items() if v is not None}, warnings

CN_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")


DATE_LINE = re.compile(r"(?:发布|印发|成文|公开)?(?:日期|时间)\s*[:：]\s*((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def find_published(paras: list[str], hint: str | None, year: int | None) -> str | None:
    """The publication date: the container's, else a 发布日期：YYYY-MM-DD line under the title, else a
    date signed at the end of the report."""
    if hint:
        return hint
    for t in paras[:5]:
        m = DATE_LINE.search(t)
        if m and len(t) < 120:
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if (year is None or y >= year) and 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    for t in reversed(paras[-4:]):
        for m in list(PUBLISHED.finditer(t))[::-1]:
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if (year is None or y >= year) and 1 <= mo <= 12 and 1 <= d <= 31 and len(t) < 80:
                return f"{y:04d}-{mo:02d}-{d:02d}"
        for m in CN_DATE.finditer(t):
            cy = _year(m.group(1))
            try:
                mo = int(cn_to_number(m.group(2)))
                d = int(cn_to_number(m.group(3)))
            except (ValueError, KeyError, IndexError):
                continue
            if cy and (year is None or cy >= year) and 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{cy:04d}-{mo:02d}-{d:02d}"
    return None
