"""Report metadata: title, issuing agency, year reported on, publication date.

The agency is the body the title names (``平潭综合实验区2019年度政府信息公开工作年度报告``
→ 平潭综合实验区); only when the title names none, the body the preamble names
(``本报告由…编制``).  The year is the year reported on (title, else 统计期限), never
the publication date.
"""
from __future__ import annotations

import re

import cn2an

TITLE = re.compile(r"(?:政府)?信息公开(?:工作)?(?:年度)?(?:工作)?报告|政务公开.{0,6}年度报告")
YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2}|[〇零一二三四五六七八九○]{4})\s*年\s*度?")
PERIOD = re.compile(r"统计期限.{0,6}?自\s*((?:19|20)\d{2})\s*年")
BY_PREAMBLE = re.compile(r"本报告由\s*([^，。,；;]{2,40}?)\s*(?:根据|依据|按照|编制|负责)")
PUBLISHED = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def find_title(paras: list[str], hint: str | None) -> str | None:
    for t in paras[:6]:
        s = re.sub(r"\s+", "", t)
        if len(s) <= 80 and TITLE.search(s) and s.endswith(("报告", "报告）", "报告)")):
            return s
    if hint:
        return re.sub(r"\s+", "", hint)
    for t in paras[:6]:
        s = re.sub(r"\s+", "", t)
        m = re.match(r"(.{2,60}?(?:年度报告|工作报告))", s)
        if m and TITLE.search(m.group(1)):
            return m.group(1)
    return None


def _year(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    try:
        return int(cn2an.transform(s.replace("○", "〇"), "cn2an")) if False else int("".join(str("〇一二三四五六七八九".index(c.replace("零", "〇").replace("○", "〇"))) for c in s))
    except (ValueError, KeyError):
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
    if title:
        m = YEAR_IN_TITLE.search(title)
        if m and m.start() >= 2:
            ag = title[: m.start()].strip("《》“”\"")
            ag = re.sub(r"关于$", "", ag)
            if len(ag) >= 2:
                return ag
        m = TITLE.search(title)
        if m and m.start() >= 2 and not YEAR_IN_TITLE.search(title[: m.start()]):
            return title[: m.start()]
    m = BY_PREAMBLE.search(re.sub(r"\s+", "", preamble))
    if m:
        return m.group(1)
    return None
