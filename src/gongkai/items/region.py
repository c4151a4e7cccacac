"""Region (province / city / county) of the issuing agency, resolved with cpca.

cpca ships China's administrative divisions, so 鹤岗市 gives 黑龙江省 even though
the report never names the province.  A few bodies that are not divisions
(综合实验区, 新区) are mapped in ``regions_extra.json``.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

EXTRA = json.loads(resources.files(__package__).joinpath("regions_extra.json").read_text("utf-8"))


def _clean(v) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    v = str(v).strip()
    return v or None


@lru_cache(maxsize=4096)
def _lookup(text: str) -> tuple[str | None, str | None, str | None]:
    for name, reg in EXTRA.items():
        if name in text:
            return reg.get("province"), reg.get("city"), reg.get("county")
    try:
        import cpca
    except ImportError:  # pragma: no cover - cpca is a dependency
        return None, None, None
    df = cpca.transform([text])
    row = df.iloc[0]
    return _clean(row["省"]), _clean(row["市"]), _clean(row["区"])


def resolve_region(agency: str | None, title: str | None, text: str) -> dict:
    for src in (agency, title):
        if src:
            p, c, d = _lookup(src)
            if p:
                if c in ("市辖区", "县") or (c and c == p):
                    c = None if c != p else c
                return {"province": p, "city": c, "county": d}
    return {"province": None, "city": None, "county": None}
