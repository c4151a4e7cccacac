"""Read one table cell as a number.

Handles full-width digits, thousands separators, spaces inside a number, units
(件 条 个 项 万元 元), signed changes (+8, -3) and the blank markers (``/``, ``—``,
``无``, empty).  A blank cell is ``None`` with status ``blank``; a cell that is
not a number is ``None`` with status ``unreadable``.  Never 0 for either.
"""
from __future__ import annotations

import re
import unicodedata

BLANK = {"", "/", "／", "-", "—", "——", "–", "无", "空", "\\", "×", "*", "－"}
_UNIT = re.compile(r"(万元|元|件|条|个|项|次|人次|场|篇|份|%)$")
_NUM = re.compile(r"^[+\-]?\d+(?:\.\d+)?$")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def parse_cell(text: str | None, *, amount: bool = False) -> tuple[int | float | None, str]:
    """Return ``(value, status)``; status is ``ok``, ``blank`` or ``unreadable``.

    With ``amount`` the value is normalised to 万元 (a cell in 元 is divided by 10,000).
    """
    s = normalise(text or "")
    s = re.sub(r"\s+", "", s)
    if s in BLANK:
        return None, "blank"
    unit = None
    m = _UNIT.search(s)
    if m:
        unit = m.group(1)
        s = s[: m.start()]
    s = s.replace("，", ",")
    if re.fullmatch(r"[+\-]?\d{1,3}(,\d{3})+(\.\d+)?", s):
        s = s.replace(",", "")
    if s.startswith("+"):
        s = s[1:]
    if not _NUM.match(s):
        return None, "unreadable"
    value: int | float = float(s) if "." in s else int(s)
    if amount and unit == "元":
        value = round(value / 10000, 6)
    return value, "ok"

