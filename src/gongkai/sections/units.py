"""Zoning long paragraphs into units before they are labelled.

A copy whose headings were lost (a crawler's flattened text, headings deleted) runs several sections
together in one paragraph: the overview after the preamble's last sentence, the problems after the
requests.  Such a paragraph is cut at sentence boundaries (。！？；) into *units*, each a run of whole
sentences of at least :data:`MIN_UNIT` characters; the units are labelled as paragraphs are,
and consecutive units of one paragraph that get the same label are joined again
(:func:`gongkai.report.tag_sections`).  A paragraph of ordinary length is one unit.
"""
from __future__ import annotations

import re

LONG = 240  # a paragraph longer than this is cut into units
MIN_UNIT = 25  # a unit holds at least this many characters (the last one may hold fewer)
_SENTENCE_END = re.compile(r"[。！？；!?;]")


def unit_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the units of one paragraph's text (the whole text when it is not long)."""
    if len(text) <= LONG:
        return [(0, len(text))]
    ends = [m.end() for m in _SENTENCE_END.finditer(text) if m.end() < len(text)]
    spans: list[tuple[int, int]] = []
    start = 0
    for e in ends:
        if e - start < MIN_UNIT or len(text) - e < MIN_UNIT // 2:
            continue
        spans.append((start, e))
        start = e
    spans.append((start, len(text)))
    return [(a + len(text[a:b]) - len(text[a:b].lstrip()), a + len(text[a:b].rstrip())) for a, b in spans if text[a:b].strip()]
