"""Numbers as reports write them: one table cell, and figures in prose.

``parse_cell`` reads one table cell: full-width digits, thousands separators, spaces inside a
number, units (件 条 个 项 万元 元), signed changes (+8, -3) and the blank markers (``/``, ``—``,
``无``, empty).  A blank cell is ``None`` with status ``blank``; a cell that is not a number is
``None`` with status ``unreadable``.  Never 0 for either.

``to_number`` reads a figure in prose: Arabic (with spaces, commas, full-width digits), Chinese
numerals (cn2an, imported on first use), 万 multipliers; the items stage handles the
approximation markers (余/多/约/近).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

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

CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
NUM = rf"(?:\d[\d,，]*(?:\.\d+)?|[{CN_DIGITS}]{{1,12}})"


@lru_cache(maxsize=1)
def _cn2an() -> Any:
    """cn2an, imported on the first Chinese numeral (its import costs 0.1 s at start-up)."""
    import cn2an

    return cn2an


def cn_to_number(s: str) -> int | float:
    """A Chinese numeral as a number (cn2an's "smart" mode; raises ValueError on what is not one)."""
    try:
        return _cn2an().cn2an(s, "smart")
    except (KeyError, IndexError, TypeError) as e:
        raise ValueError(s) from e


def to_number(s: str) -> int | float | None:
    s = unicodedata.normalize("NFKC", s).replace(",", "").replace("，", "").strip()
    if not s:
        return None
    mult = 1
    if s.endswith("万") and len(s) > 1 and not re.fullmatch(rf"[{CN_DIGITS}]+", s):
        mult, s = 10000, s[:-1]
    if re.fullmatch(r"\d+(\.\d+)?", s):
        v = float(s) * mult if "." in s else int(s) * mult
        return int(v) if float(v).is_integer() else v
    if re.fullmatch(rf"[{CN_DIGITS}]+", s):
        if s[0] in "百千万亿":
            s = "一" + s  # 近百个 → 一百
        try:
            v = cn_to_number(s.replace("〇", "零"))
        except ValueError:
            return None
        return int(v) if float(v).is_integer() else v
    return None
