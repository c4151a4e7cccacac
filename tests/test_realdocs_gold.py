"""Every real report with a hand-checked gold.json in ../shared/realdocs, scored with ../shared/tools/score.py.

One test per (report, figure).  What a report reaches is asserted; what an open issue has not reached yet is
listed in ``GAPS`` and marked ``xfail(strict=True)`` with the figure measured, so that the day it is met the
test passes unexpectedly, fails as strict, and the entry must go.  Thresholds are never lowered here.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from conftest import REALDOCS, load_json, parse_dict

FIGURES = ("sections", "probes", "cells", "meta_items", "legacy_cells")
SECTION_ACC = 0.98

# (folder, figure) -> why it is not reached yet: the issue and the figure measured.
GAPS: dict[tuple[str, str], str] = {
}


def _golds() -> list[Path]:
    return sorted(REALDOCS.glob("*/gold.json")) if REALDOCS.is_dir() else []


def _cases():
    golds = _golds()
    if not golds:
        return [pytest.param(None, None, marks=pytest.mark.skip(reason="../shared/realdocs is absent"))]
    out = []
    for g in golds:
        for fig in FIGURES:
            gap = GAPS.get((g.parent.name, fig))
            marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
            out.append(pytest.param(g, fig, id=f"{g.parent.name}-{fig}", marks=marks))
    return out


@cache
def _parsed(src: Path) -> dict:
    return parse_dict(src)


def _frac(s: str) -> tuple[int, int]:
    a, b = s.split("/")
    return int(a), int(b)


@pytest.mark.realdocs
@pytest.mark.parametrize("gold_path,figure", _cases())
def test_real_report_figure(scorer, gold_path, figure):
    gold = load_json(gold_path)
    rep = _parsed(gold_path.parent / gold["source"])
    s = scorer(rep, gold)
    if figure == "sections":
        assert s["section_acc"] >= SECTION_ACC, s["per_label"]
    elif figure == "probes":
        ok, total = _frac(s["probes"])
        assert ok == total, s["probe_misses"]
    elif figure == "cells":
        ok, total = _frac(s["cells"])
        assert s["cells_wrong"] == 0, s["cell_errors"]
        # glued crawler digits that split more than one way are null with a warning: a gap, never a guess
        warned = any(w["code"] == "table.ambiguous_digits" for w in rep["warnings"])
        assert ok == total or (warned and ok + s["cells_abstained"] == total), s
    elif figure == "meta_items":
        ok, total = _frac(s["meta_items"])
        assert ok == total, s["meta_item_errors"]
    elif figure == "legacy_cells":
        if "legacy_cells" not in s:
            pytest.skip("no legacy statistics table in this report's gold")
        ok, total = _frac(s["legacy_cells"])
        assert s["legacy_wrong"] == 0 and ok == total, s["legacy_errors"]


def test_gaps_name_real_folders():
    """An entry in GAPS for a folder that no longer exists would hide nothing and must go."""
    names = {g.parent.name for g in _golds()}
    if not names:
        pytest.skip("../shared/realdocs is absent")
    assert {f for f, _ in GAPS} <= names
    assert all(re.match(r"issue \d+", why) for why in GAPS.values())
