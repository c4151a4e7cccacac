"""Split glued digit runs (``规范性文件898989``) into cells, only where the answer is forced.

Every way of cutting the run into the expected number of cells (no leading
zeros, spaces in the run are cuts) is enumerated, and the consistency rules of
the row keep or drop each one.  A cell gets a value only when every surviving
split agrees on it; otherwise it is ``None`` and the caller warns with the raw
string.  Never a silent guess.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator

MAX_SOLUTIONS = 20000
MAX_STEPS = 300_000  # enumeration budget: past it the run is called ambiguous
MAX_DIGITS = 10  # no table cell holds a number longer than this


class _Budget:
    def __init__(self):
        self.steps = 0


class TooAmbiguous(Exception):
    pass


def _parts(s: str, n: int, forced: frozenset[int], start: int, decimal_cols: frozenset[int], col: int,
           budget: _Budget | None = None) -> Iterator[tuple[str, ...]]:
    if budget is not None:
        budget.steps += 1
        if budget.steps > MAX_STEPS:
            raise TooAmbiguous
    if n == 0:
        if start == len(s):
            yield ()
        return
    remaining = len(s) - start
    if remaining < n or remaining > n * (MAX_DIGITS + 3):
        return
    # the next cut may not pass a forced cut
    limit = len(s) - (n - 1)
    nxt_forced = min((f for f in forced if f > start), default=None)
    for end in range(start + 1, limit + 1):
        if nxt_forced is not None and end > nxt_forced:
            break
        if n == 1 and end != len(s):
            continue
        tok = s[start:end]
        if len(tok.replace(".", "").replace("-", "")) > MAX_DIGITS:
            break
        if not _valid(tok, col in decimal_cols):
            continue
        if n > 1 and nxt_forced is not None and end < nxt_forced and (n - 1) < 1:
            continue
        for rest in _parts(s, n - 1, forced, end, decimal_cols, col + 1, budget):
            yield (tok,) + rest


def _valid(tok: str, decimal: bool) -> bool:
    if tok.startswith("-"):
        tok = tok[1:]
        if not tok:
            return False
    if "-" in tok:
        return False
    if "." in tok:
        if not decimal or tok.count(".") > 1 or tok.startswith(".") or tok.endswith("."):
            return False
        whole = tok.split(".")[0]
        return whole == "0" or not whole.startswith("0")
    return tok == "0" or not tok.startswith("0")


def candidates(raw: str, n: int, rule: Callable[[tuple], bool] | None = None,
               decimal_cols: frozenset[int] = frozenset()) -> list[tuple]:
    """All splits of ``raw`` into ``n`` numbers that satisfy ``rule``.

    Spaces in ``raw`` are tried first as forced cuts; if that leaves no split,
    they are ignored (crawlers also put spaces inside cells).  A run printed one cell per line
    (a web page with one ``<p>`` per cell, a raw text copy of a PDF) is never cut inside a line:
    see :func:`one_cell_per_line`.
    """
    if "\n" in raw.strip():
        return one_cell_per_line(raw, n)
    raw = raw.replace(",", "").replace("+", " ").replace("—", " ").strip()
    if any(ch not in "0123456789.- " for ch in raw):
        raw = "".join(ch if ch in "0123456789.- " else " " for ch in raw).strip()
    for use_spaces in (True, False):
        s = ""
        forced = set()
        for ch in raw:
            if ch == " ":
                if use_spaces and s and len(s) not in forced:
                    forced.add(len(s))
                continue
            if ch == "-":  # a signed change (-3) starts a new cell
                if s:
                    forced.add(len(s))
                if s.endswith("-"):
                    continue
            s += ch
        if not s:
            return []
        out = []
        try:
            for parts in _parts(s, n, frozenset(forced), 0, decimal_cols, 0, _Budget()):
                vals = tuple(float(p) if "." in p else int(p) for p in parts)
                if rule is None or rule(vals):
                    out.append(vals)
                    if len(out) >= MAX_SOLUTIONS:
                        return []  # too many answers: nothing is forced
        except TooAmbiguous:
            return []
        if out or not forced:
            return out
    return []


BLANK_TOKENS = {"/", "／", "—", "－", "-", "无", "\\"}
_UNIT = re.compile(r"(?:万元|元|件|个|条|项|次)$")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def one_cell_per_line(raw: str, n: int) -> list[tuple]:
    """The one split of a run printed one cell per line: exactly ``n`` lines, each a number or a blank mark
    (``/``, ``—``, ``无``: None).  Any other count leaves it ambiguous (a cell left empty leaves no line).
    The split is forced, so no rule chooses here: a table that breaks a rule is read as printed, and the
    checks say that it does not add up."""
    toks = [unicodedata.normalize("NFKC", t).strip().replace(",", "").lstrip("+") for t in raw.strip().split("\n")]
    toks = [t for t in toks if t]
    if len(toks) != n:
        return []
    vals: list = []
    for t in toks:
        if t in BLANK_TOKENS:
            vals.append(None)
            continue
        t = _UNIT.sub("", t)
        if not _NUMBER.fullmatch(t):
            return []
        vals.append(float(t) if "." in t else int(t))
    return [tuple(vals)]


def agree(solutions: list[tuple], n: int) -> list[int | float | None]:
    """Per cell: the value every solution gives, else None."""
    if not solutions:
        return [None] * n
    out = []
    for i in range(n):
        vals = {s[i] for s in solutions}
        out.append(vals.pop() if len(vals) == 1 else None)
    return out
