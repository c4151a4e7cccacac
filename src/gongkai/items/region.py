"""Region (province / city / county) of the issuing agency, from China's administrative divisions.

The divisions are the table cpca ships (``cpca/resources/adcodes.csv``: 12-digit adcode and name),
read directly: cpca's own ``transform`` needs ``pkg_resources`` and pandas, which cost half a second
at start-up for one lookup per report.  A name is found as written (鹤岗市) or without the suffix
省/市/自治区/特别行政区 (鹤岗); the province and city follow from the adcode (230400 → 23 黑龙江省).
A county name that exists in several provinces is taken only where a province or city named
before it decides which.  A few bodies that are not divisions (综合实验区, 新区) are mapped in
``regions_extra.json``.
"""
from __future__ import annotations

import csv
import importlib.util
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

EXTRA = json.loads(resources.files(__package__).joinpath("regions_extra.json").read_text("utf-8"))
_SUFFIX = re.compile(r"(?:[省市]|特别行政区|自治区)$")
_LONGEST = 12


def _adcodes_csv() -> Path:
    """cpca's table, found without importing cpca (its ``__init__`` loads the table through pkg_resources)."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("cpca is not installed (a dependency of gongkai)")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


@lru_cache(maxsize=1)
def _divisions() -> tuple[dict[str, list[str]], dict[str, str]]:
    """``name → adcodes`` (full and short names) and ``adcode → name``."""
    by_name: dict[str, list[str]] = {}
    by_code: dict[str, str] = {}
    with _adcodes_csv().open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code, name = row["adcode"], row["name"]
            by_code[code] = name
            for key in {name, _SUFFIX.sub("", name)}:
                if len(key) >= 2:
                    by_name.setdefault(key, []).append(code)
    return by_name, by_code


def _level(code: str) -> int:
    """0 province, 1 city, 2 county."""
    return 0 if code[2:].strip("0") == "" else 1 if code[4:].strip("0") == "" else 2


def _matches(text: str) -> list[list[str]]:
    """The adcodes of each division name in ``text``, left to right, longest name first."""
    by_name, _ = _divisions()
    out, i = [], 0
    while i < len(text):
        for n in range(min(_LONGEST, len(text) - i), 1, -1):
            codes = by_name.get(text[i:i + n])
            if codes:
                out.append(codes)
                i += n
                break
        else:
            i += 1
    return out


def _pick(text: str) -> str | None:
    """The most precise adcode ``text`` names, consistent with the divisions named before it."""
    chosen: str | None = None
    for codes in _matches(text):
        if chosen is not None:
            prefix = chosen[:2 * (_level(chosen) + 1)]
            codes = [c for c in codes if c.startswith(prefix) and _level(c) > _level(chosen)]
        if len(codes) == 1:
            chosen = codes[0]
    return chosen


@lru_cache(maxsize=4096)
def _lookup(text: str) -> tuple[str | None, str | None, str | None]:
    for name, reg in EXTRA.items():
        if name in text:
            return reg.get("province"), reg.get("city"), reg.get("county")
    code = _pick(text)
    if code is None:
        return None, None, None
    _, names = _divisions()
    level = _level(code)
    province = names.get(code[:2] + "0" * 10)
    city = names.get(code[:4] + "0" * 8) if level >= 1 else None
    if city in ("市辖区", "县"):  # the municipalities' placeholder level: no city
        city = None
    county = names[code] if level == 2 else None
    return province, city, county


def resolve_region(agency: str | None, title: str | None, text: str) -> dict:
    for src in (agency, title):
        if src:
            p, c, d = _lookup(src)
            if p:
                return {"province": p, "city": c, "county": d}
    return {"province": None, "city": None, "county": None}
