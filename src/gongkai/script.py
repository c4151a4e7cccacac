"""Traditional and simplified script.

Reports from Hong Kong-facing agencies, and pages run through a converter, come in traditional script.
Later stages read a simplified copy made character for character (so spans stay valid); the text
of the report itself is kept as written.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

# Characters that exist only in traditional script and are common in these reports: a cheap
# pre-check before the (slow) full conversion.
TRADITIONAL_ONLY = set("們個這來時說國對會學發與經過還開關條資區縣辦處聯網頁點應據報務檢續質價計劃總體現實審應訴議題複節體積極實驗範圍單衛環債權稅與屬滿訊視覽務請")


@lru_cache(maxsize=1)
def _t2s() -> Any:
    from opencc import OpenCC

    return OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional → simplified, character for character (the text unchanged where lengths would differ)."""
    out = _t2s().convert(text)
    return out if len(out) == len(text) else text


def has_traditional(text: str) -> bool:
    """Whether ``text`` holds any character written only in traditional script."""
    return any(ch in TRADITIONAL_ONLY for ch in text)


def is_traditional(text: str) -> bool:
    """Whether a document is written in traditional script (judged on its first 3,000 characters)."""
    sample = text[:3000]
    if not sample or sum(1 for ch in sample if ch in TRADITIONAL_ONLY) < 5:
        return False
    conv = simplified(sample)
    changed = sum(1 for a, b in zip(sample, conv) if a != b)
    return changed > max(5, len(sample) * 0.01)
