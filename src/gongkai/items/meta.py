"""Report metadata: title, issuing agency, year reported on, publication date.

The agency is the body the title names (``平潭综合实验区2019年度政府信息公开工作年度报告``
→ 平潭综合实验区); only when the title names none, the body the preamble names
(``本报告由…编制``).  The year is the year reported on (title, else 统计期限), never
the publication date.
"""
from __future__ import annotations

import re

from .numbers import cn_to_number

TITLE = re.compile(r"(?:政府)?信息公开(?:工作)?(?:年度)?(?:工作)?报告|政务公开.{0,6}年度报告")
YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2}|[〇零一二三四五六七八九○]{4})\s*年\s*度?")
PERIOD = re.compile(r"统计期限.{0,6}?自\s*((?:19|20)\d{2})\s*年")
BY_PREAMBLE = re.compile(r"本报告由\s*([^，。,；;]{2,40}?)\s*(?:根据|依据|按照|编制|负责)")
PUBLISHED = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def find_title(paras: list[str], hint: str | None) -> str | None:
    for k, t in enumerate(paras[:6]):
        s = re.sub(r"\s+", "", t)
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
        if len(head) >= 2 and not re.search(r"\d", head):
            return head
    m = BY_PREAMBLE.search(re.sub(r"\s+", "", preamble))
    if m:
        return m.group(1)
    return None

CN_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")


def find_published(paras: list[str], hint: str | None, year: int | None) -> str | None:
    """The publication date: the container's, else a date signed at the end of the report."""
    if hint:
        return hint
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
