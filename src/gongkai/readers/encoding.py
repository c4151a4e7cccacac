"""Decode bytes of a text or HTML file: BOM, declared charset, else detection.

Government pages are mostly GB18030/GBK, many declare nothing.  GBK is decoded as
GB18030 (a superset).  Text that decodes to mostly control or private-use
characters is refused as binary garbage.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from ..errors import ReadError

_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}


def normalise_codec(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("'\"").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes, path: str, declared: str | None = None) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:  # bytes that are valid UTF-8 are UTF-8, whatever a <meta> claims (GBK text is almost never valid UTF-8)
        return _checked(data.decode("utf-8"), path)
    except UnicodeDecodeError:
        pass
    codec = normalise_codec(declared)
    if codec:
        try:
            return _checked(data.decode(codec), path)
        except UnicodeDecodeError:
            pass
    try:
        return _checked(data.decode("gb18030"), path)
    except UnicodeDecodeError:
        pass
    mixed = _per_line(data)
    if mixed is not None:
        return _checked(mixed, path)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError(path, "binary or undecodable content (not a text document)")
    return _checked(str(best), path)


def _per_line(data: bytes) -> str | None:
    """Pages saved from several sources mix encodings: decode each line on its own."""
    out, bad = [], 0
    lines = data.split(b"\n")
    for line in lines:
        for codec in ("utf-8", "gb18030"):
            try:
                out.append(line.decode(codec))
                break
            except UnicodeDecodeError:
                continue
        else:
            bad += 1
            out.append(line.decode("utf-8", errors="replace"))
    return "\n".join(out) if bad <= max(1, len(lines) // 20) else None


def _checked(text: str, path: str) -> str:
    sample = text[:20000]
    if not sample:
        raise ReadError(path, "empty file")
    bad = sum(1 for ch in sample if (unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn")) and ch not in "\r\n\t\f")
    if bad / len(sample) > 0.05:
        raise ReadError(path, "binary or undecodable content (not a text document)")
    return text


_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """Drop zero-width and control characters; keep tabs and newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").replace("\u3000", " ")
    return _ZERO_WIDTH.sub("", text)
