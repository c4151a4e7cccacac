"""Tables printed as aligned text: runs of lines that end in two or more numbers.

PDFs drawn without ruling lines and text copies made from PDFs (``pdftotext -layout``)
print table rows as "label  3001  53  0  0  61  4  3119".  ``tabular_runs`` finds such runs
(with the header lines just above them); the readers turn each run into a glued table
block, whose spaces the tables stage treats as cell breaks.
"""
from __future__ import annotations

import re

from ..script import has_traditional, simplified
from ..sections.headings import is_heading_line
from ..tables.spec import current

NUM_TOKEN = r"[+\-]?[\d０-９][\d０-９,.]*%?"
_TABULAR = re.compile(rf"^(?:.*?\S)?\s*{NUM_TOKEN}(?:\s+{NUM_TOKEN})+\s*$")
MAX_ROW_CHARS = 400  # no table row printed as text is longer; the pattern is not linear on longer lines


class _Tabular:
    """A line that ends in two or more numbers (an aligned table row), tested only on lines of row length."""

    @staticmethod
    def match(s: str) -> bool:
        return len(s) <= MAX_ROW_CHARS and bool(_TABULAR.match(s))


TABULAR = _Tabular()
# a one-column row: a label without digits, then one number ("行政许可  4529")
ROW1 = re.compile(rf"^[^\d０-９。；！？，,]{{2,40}}?\s+{NUM_TOKEN}\s*$")
_NUMS = re.compile(NUM_TOKEN)
# one cell per line without tabs (a raw text copy of a PDF table): a line that is just a number
PURE_NUM = re.compile(rf"^\s*(?:{NUM_TOKEN}\s*(?:万元|元|件|个|条|项|次)?|[/／—－\\])\s*$")  # a figure, or a blank cell's mark
_LABEL = re.compile(r"^[^。；！？，,]{1,80}$")
_PARENTHESES = re.compile(r"[（(][^（）()]*[）)]")


class _LabelOnly:
    """A table label: no sentence punctuation, except inside brackets (（区分处理的，只计这一情形，不计其他情形）)."""

    @staticmethod
    def match(s: str) -> bool:
        return bool(_LABEL.match(_PARENTHESES.sub("", s) or "x"))


LABEL_ONLY = _LabelOnly()
ENDS_SENTENCE = re.compile(r"[。；！？]$")


def _section_heading(t: str) -> bool:
    """A section heading, not a table row printed with a section ordinal (一、本年新收…, also in traditional script)."""
    h = is_heading_line(t)
    return h is not None and h.level == 1 and not current().is_row_label(simplified(t) if has_traditional(t) else t)


def tabular_runs(texts: list[str | None], min_rows: int = 3) -> list[tuple[int, int]]:
    """``(start, end)`` index ranges (end exclusive) of table runs; ``None`` entries break runs."""
    return _runs(texts, min_rows)  # type: ignore[arg-type]  # None entries are checked before each use


def _runs(texts: list[str], min_rows: int) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    n = len(texts)
    i = 0
    taken_until = 0
    while i < n:
        t = texts[i]
        if t is None or not (TABULAR.match(t) or PURE_NUM.match(t)):
            i += 1
            continue
        j, numeric, last, widest, blanks, pure = i, 0, i, 0, 0, 0
        while j < n and texts[j] is not None and j - last - blanks <= 8:  # table 2 repeats a header of 6 lines
            u = texts[j].strip()
            if not u:  # blank lines between rows (text copies of PDFs) neither break nor count
                blanks += 1
                j += 1
                continue
            if TABULAR.match(u) or ROW1.match(u) or PURE_NUM.match(u):
                blanks = 0
                numeric += 1
                pure += bool(PURE_NUM.match(u))
                last = j
                widest = max(widest, len(_NUMS.findall(u)))
            elif not LABEL_ONLY.match(u) or _section_heading(u):
                break
            j += 1
        end = last + 1
        if (numeric < min_rows and widest < 10) or (pure == numeric and numeric < 7):  # table 4: one row of 15 numbers
            i += 1
            continue
        start = i
        while start > taken_until and texts[start - 1] is not None and (not texts[start - 1].strip() or (
                LABEL_ONLY.match(texts[start - 1].strip()) and not _section_heading(texts[start - 1].strip())
                and not ENDS_SENTENCE.search(texts[start - 1].strip()))) and i - start < 24:  # table 4's header: 16 lines
            start -= 1
        while start < i and not texts[start].strip():
            start += 1
        runs.append((start, end))
        taken_until = end
        i = end
    return runs
