"""Heading detection: ordinal patterns plus section titles, mapped to labels.

Used by the section tagger (a heading is strong evidence for its section) and by
the text reader, which must find headings that crawler copies run inline
("…联系。一、总体情况2019年，…").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

CN_NUM = "一二三四五六七八九十"
# top-level ordinals: 一、 / 第一部分 / 一. ; sub-level: （一） / 1. / 1、
TOP_ORDINAL = re.compile(rf"^\s*(?:第[{CN_NUM}]{{1,3}}部分[、，:：.．\s]*|[{CN_NUM}]{{1,3}}\s*[、.．]\s*)")
SUB_ORDINAL = re.compile(rf"^\s*(?:[（(][{CN_NUM}]{{1,3}}[）)]|\d{{1,2}}\s*[、.．](?!\d))")

SENTENCE_END = "。！？；!?;"
# where a top-level heading may start inside a running line (crawler copies run headings inline)
TOP_START = re.compile(rf"(?:第[{CN_NUM}]{{1,3}}部分|[{CN_NUM}]{{1,3}}\s*、)")
# any ordinal a heading or a numbered label opens with: （一） 一、 1.
ORDINAL_START = re.compile(rf"^\s*(?:[（(][{CN_NUM}]+[）)]|[{CN_NUM}]+、|\d+\s*[.．、])")
# Official section titles that some copies print without an ordinal; cut inline only after a
# sentence end or a digit (a glued table), never inside a sentence.
INLINE_TITLE = re.compile(
    r"(?:政府信息公开工作)?(?:总体情况|概述)|主动公开政府信息的?情况|收到和处理政府信息公开申请情况"
    r"|(?:政府信息)?依申请公开(?:政府信息)?(?:工作)?的?情况|政府信息公开申请情况"
    r"|政府信息公开的?收费及减免情况"
    r"|(?:因政府信息公开工作被申请|因政府信息公开申请|政府信息公开)行政复议、(?:提起)?行政诉讼的?情况"
    r"|(?:政府信息公开)?(?:工作中)?存在的(?:主要)?问题(?:及|和)改进(?:情况|措施)|其他需要(?:报告|说明)的事项")
# headings of the sections that hold the 2019/2021 standard tables
MODERN_TABLE_HEADING = re.compile(r"收到和处理政府信息公开申请|政府信息公开行政复议、?行政诉讼|主动公开政府信息情况")

# A title ends with one of these (for finding the end of an inline heading).
STRONG_ENDINGS = ("情况", "事项", "概述", "概况", "措施", "统计表", "说明", "附表", "前言")
WEAK_ENDINGS = ("问题", "工作", "其他", "其它")
TITLE_CHARS = re.compile(r"[^。，；：！？（）()\s:;,.!?、“”\"《》0-9０-９]|、")

# keyword rules, checked in order: the first that matches the title gives the label
_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("appeals", re.compile(r"复议|诉讼")),
    ("fees", re.compile(r"收费|减免|支出")),
    ("problems", re.compile(r"问题|改进|不足")),
    ("requests", re.compile(r"申请|咨询")),
    ("proactive", re.compile(r"主动公开|重点领域|公开内容|公开情况$")),
    ("other", re.compile(r"其他|其它|附表|附件|统计表|说明|审批事项")),
    ("overview", re.compile(r"总体|概述|概况|基本情况|组织领导|工作开展|工作情况|开展情况|前言")),
]


@dataclass(frozen=True)
class Heading:
    label: str | None  # None: a heading whose section we cannot tell from its words
    level: int  # 1 top, 2 sub
    end: int  # characters of the input the heading covers (for inline headings)
    title: str


def label_for_title(title: str) -> str | None:
    t = re.sub(r"\s+", "", title)
    for label, pat in _RULES:
        if pat.search(t):
            return label
    return None


def _title_span(s: str, start: int, limit: int = 32) -> int:
    """End of an inline title after ``start``.

    The shortest run that ends with a strong ending (情况, 事项, 措施 …) wins, so
    that body text glued to the heading stays out of it; a longer run ending in
    统计表/附表 extends it; weak endings (问题, 工作) count only when no strong one does.
    """
    i = start
    strong = weak = table = -1
    n = min(len(s), start + limit)
    while i < n:
        ch = s[i]
        if ch.isspace():
            # a space inside a title ("一、 概述") is allowed only right after the ordinal
            if i == start:
                i += 1
                start += 1
                continue
            break
        if not TITLE_CHARS.match(ch):
            break
        i += 1
        chunk = s[start:i]
        if chunk.endswith(STRONG_ENDINGS) and strong < 0:
            strong = i
        if chunk.endswith(("统计表", "附表")):
            table = i
        if chunk.endswith(WEAK_ENDINGS):
            weak = i
    if table > 0:
        return table
    if strong > 0 and strong < len(s) and s[strong] in "及和与、":
        # a title joined by a connective ("审批事项及处理情况") runs on to its next strong ending
        more = _title_span(s, strong + 1, limit - (strong + 1 - start))
        if more > 0 and s[strong + 1:more].endswith(STRONG_ENDINGS):
            return more
    return strong if strong > 0 else weak


def match_top(s: str, inline: bool = False) -> Heading | None:
    """Match a top-level heading at the start of ``s``.

    With ``inline`` the heading may be followed by body text on the same line; its
    end is found from the title vocabulary.  Otherwise ``s`` must be a short line.
    """
    m = TOP_ORDINAL.match(s)
    if not m:
        return None
    rest_start = m.end()
    if inline:
        end = _title_span(s, rest_start)
        if end < 0:
            return None
        title = s[rest_start:end].strip()
        return Heading(label_for_title(title), 1, end, title)
    line = s.strip()
    if len(line) > 40 or re.search(r"[。；]$", line[:-1] if line.endswith("。") else line):
        return None
    title = s[rest_start:].strip()
    if not title or len(title) > 36:
        return None
    if re.search(r"[。；！？]", title.rstrip("。")):
        return None
    return Heading(label_for_title(title), 1, len(s), title)


def match_bare_title(s: str) -> Heading | None:
    """A short line that is a section title without an ordinal ("总体情况", "其他需要报告的事项")."""
    line = s.strip()
    if not (2 <= len(line) <= 30) or re.search(r"[。；，：！？,;:!?\d]", line):
        return None
    if not line.endswith(STRONG_ENDINGS + ("其他",)):
        return None
    label = label_for_title(line)
    if label is None:
        return None
    if label == "other" and not re.search(r"需要|报告|说明|附|统计表|^其[他它]事项$", line):
        return None  # 其他对外管理服务事项, 其他: table labels, not the last section's title
    if label == "requests" and not re.search(r"公开|处理|办理|答复", line):
        return None  # 申请人情况: the header of table 3
    return Heading(label, 1, len(s), line)


def is_heading_line(s: str) -> Heading | None:
    """A whole line that is a heading (top-level or a short standalone sub-heading)."""
    h = match_top(s) or match_bare_title(s)
    if h:
        return h
    line = s.strip()
    if len(line) <= 30 and SUB_ORDINAL.match(line) and not re.search(r"[。；]", line[:-1]):
        title = SUB_ORDINAL.sub("", line).strip()
        if title and not re.search(r"\d{2,}", title):
            return Heading(None, 2, len(s), title)
    return None
