"""Numbers as written in prose: Arabic (with spaces, commas, full-width digits),
Chinese numerals (cn2an), 万 multipliers, and approximation markers (余/多/约/近)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

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
