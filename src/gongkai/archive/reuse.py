"""Text copied from last year: for each report, the share of its sentences found in the same agency's
previous report (the primary of the latest earlier year), with the copied spans.

Sentences end at 。！？； or a line break; they are compared normalised (NFKC, no spaces or punctuation).
Not counted: sentences under 12 characters, the official template's own sentences (``BOILERPLATE``:
what the report is based on, the list of its parts, the statistics period, where to download it, whom
to ask), and sentences that reports of three or more other agencies in the archive print too (read with
their agency's name taken out and digits as 0).  The share is by characters of the sentences counted.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict

from .identity import Entry, Series

SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_NOT_TEXT = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
MIN_CHARS = 12
SHARED_BY = 3  # a sentence other agencies print this often is boilerplate
BOILERPLATE = re.compile(
    r"^本(?:年度)?报告.{0,40}?(?:根据|依据|按照).{0,60}?(?:编制|制作|撰写)"
    r"|全文(?:包括|共分|分为)|^本(?:年度)?报告(?:由|包括|分为).{0,90}?(?:组成|部分)"
    r"|(?:统计期限|统计期间|统计时限|数据统计).{0,20}(?:自|为|从)"
    r"|电子版|(?:如对|若对)本报告|联系(?:地址|电话|方式)|邮编|邮政编码|电子(?:邮箱|信箱)")


def _key(text: str) -> str:
    return _NOT_TEXT.sub("", unicodedata.normalize("NFKC", text))


def _counted(sentence: str) -> str | None:
    """The sentence's key when it counts (long enough, not the template's own), else None."""
    key = _key(sentence)
    return key if len(key) >= MIN_CHARS and not BOILERPLATE.search(sentence.strip()) else None


def sentence_keys(text: str) -> list[str]:
    """The keys of the sentences of ``text`` that count."""
    return [k for m in SENTENCE.finditer(text) if (k := _counted(m.group()))]


def _sentences(e: Entry) -> list[tuple[str, int, int, str]]:
    """``(paragraph id, start, end, key)`` of each sentence that counts."""
    out = []
    for pid, text in e.paragraphs:
        for m in SENTENCE.finditer(text):
            key = _counted(m.group())
            if key:
                out.append((pid, m.start(), m.end(), key))
    return out


def _shape(key: str, names: tuple[str, ...]) -> str:
    for n in names:
        if n:
            key = key.replace(n, "")
    return _DIGITS.sub("0", key)


def reuse(series: list[Series]) -> list[dict]:
    """One row per report that has an earlier report of its agency: sentences counted, copied, share, spans."""
    sents: dict[int, list[tuple[str, int, int, str]]] = {}
    shapes_of: dict[str, set[str]] = defaultdict(set)  # sentence shape → agencies that print it
    for s in series:
        names = s.names()
        for year in s.sorted_years():
            e = s.years[year][0]
            sents[id(e)] = _sentences(e)
            for *_, key in sents[id(e)]:
                shapes_of[_shape(key, names)].add(s.key)
    out = []
    for s in series:
        names = s.names()
        for last_year, year, last, this in s.pairs():
            before = {key for *_, key in sents[id(last)]}
            counted = [x for x in sents[id(this)] if len(shapes_of[_shape(x[3], names)] - {s.key}) < SHARED_BY]
            copied = [x for x in counted if x[3] in before]
            total = sum(len(x[3]) for x in counted)
            out.append({"agency_key": s.key, "year": year, "report": this.report, "last_year": last_year,
                        "last_report": last.report, "sentences": len(counted), "copied": len(copied),
                        "share": round(sum(len(x[3]) for x in copied) / total, 4) if total else None,
                        "spans": json.dumps(_spans(this, copied), ensure_ascii=False)})
    return out


def _spans(e: Entry, copied: list[tuple[str, int, int, str]]) -> list[dict]:
    """Copied sentences that follow one another in a paragraph, as one span with its text."""
    text = dict(e.paragraphs)
    spans: list[dict] = []
    for pid, start, end, _ in copied:
        if spans and spans[-1]["paragraph"] == pid and text[pid][spans[-1]["end"]:start].strip() == "":
            spans[-1]["end"] = end
        else:
            spans.append({"paragraph": pid, "start": start, "end": end})
    for sp in spans:
        sp["text"] = text[sp["paragraph"]][sp["start"]:sp["end"]]
    return spans
