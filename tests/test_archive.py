"""Issue 21: the archive as a whole (gongkai.archive, gongkai archive, the generator's agency series)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import parse_dict

from gongkai.archive import build
from gongkai.archive.identity import agency_key, rename_stem
from gongkai.scoring import archive_scores
from gongkai.synth.series import write_archive


def test_agency_names_normalised():
    assert agency_key("平潭综合实验区管委会") == agency_key("平潭综合实验区") == "平潭综合实验区"
    assert agency_key("某某县政府") == agency_key("某某县 人民政府") == "某某县人民政府"
    assert agency_key("某某县政府办公室") == "某某县人民政府办公室"
    assert agency_key("某某县人民政府（本级）") == "某某县人民政府"
    assert rename_stem("淮安市洪泽区人民政府") == rename_stem("洪泽县人民政府")[:1] + ("区",)


def _rep(agency: str, year: int, sha: str, **tables) -> dict:
    return {"source": {"sha256": sha, "path": f"{sha}.txt", "format": "txt"},
            "meta": {"agency": agency, "year": year, "template": "2021"}, "tables": tables, "checks": [],
            "warnings": [], "items": {}, "paragraphs": []}


def test_a_county_turned_district_is_one_agency_only_when_the_years_do_not_overlap():
    reps = [_rep("洪泽县人民政府", 2014, "a"), _rep("洪泽县人民政府", 2015, "b"), _rep("淮安市洪泽区人民政府", 2016, "c")]
    agencies = build(reps)["agencies"]
    assert {r["agency_key"] for r in agencies} == {"淮安市洪泽区人民政府"}
    assert {r["aliases"] for r in agencies} == {"洪泽县人民政府"}
    both = reps + [_rep("淮安市洪泽区人民政府", 2015, "d")]  # both names in 2015: two bodies, never merged
    assert len({r["agency_key"] for r in build(both)["agencies"]}) == 2
    user = build(reps[:1] + [_rep("某某新区", 2016, "e")], aliases={"洪泽县人民政府": "某某新区"})
    assert {r["agency_key"] for r in user["agencies"]} == {"某某新区"}


def test_reports_without_an_agency_are_not_one_series():
    rows = build([_rep("", 2020, "a"), _rep("", 2021, "b")])
    assert len({r["agency_key"] for r in rows["agencies"]}) == 2 and not rows["cross_year_checks"]


def _parsed_archive(tmp_path: Path, agencies: int, years: int, seed: int, formats=("txt", "html")) -> tuple[dict, dict, dict]:
    files = write_archive(tmp_path / "in", agencies, years, seed, formats=formats)
    reps = [parse_dict(f) for f in files]
    names = {r["source"]["sha256"]: os.path.basename(r["source"]["path"]) for r in reps}
    gold = json.loads((tmp_path / "in" / "archive.gold.json").read_text("utf-8"))
    return build(reps), gold, names


def test_generated_series_every_planted_break_gap_and_copy_found_no_false_alarm(tmp_path):
    tables, gold, names = _parsed_archive(tmp_path, 8, 4, 24)
    s = archive_scores(tables, gold, names)
    assert s["breaks_planted"] and s["copies_planted"] and s["gaps_planted"], s
    assert (s["breaks_found"], s["gaps_found"], s["copies_found"]) == (s["breaks_planted"], s["gaps_planted"], s["copies_planted"]), s
    assert not s["false_alarms"] and not s["gaps_false"] and not s["copies_false"] and not s["misgrouped"], s
    # the chained tables agree with each other wherever nothing was planted
    checked = [c for c in tables["cross_year_checks"] if c["check_id"].startswith("cross_year.requests")]
    assert checked and all(c["ok"] is not None for c in checked)


@pytest.mark.slow
def test_generated_archive_of_thirty_agencies_four_years_in_four_formats(tmp_path):
    """The acceptance figure: 30 agencies × 4 years, PDF, DOCX, HTML and text, some years in two formats."""
    tables, gold, names = _parsed_archive(tmp_path, 30, 4, 11, formats=("txt", "html", "docx", "pdf"))
    s = archive_scores(tables, gold, names)
    assert s["breaks_found"] == s["breaks_planted"] > 0 and s["copies_found"] == s["copies_planted"] > 0, s
    assert s["gaps_found"] == s["gaps_planted"], s
    assert not s["false_alarms"] and not s["gaps_false"] and not s["copies_false"] and not s["misgrouped"], s


def test_two_formats_of_one_year_are_grouped_and_the_grid_is_primary():
    pdf = _rep("某市财政局", 2022, "p", requests={"template": "2021", "rows": {}})
    pdf["source"]["format"] = "pdf"
    txt = _rep("某市财政局", 2022, "t", requests={"template": "2021", "rows": {}})
    txt["warnings"] = [{"code": "table.ambiguous_digits", "message": ""}]
    rows = {r["report"]: r for r in build([txt, pdf])["agencies"]}
    assert rows["p"]["primary"] and not rows["t"]["primary"] and rows["t"]["primary_report"] == "p"
    assert rows["p"]["copies"] == rows["t"]["copies"] == 2


def test_a_missing_year_is_reported_and_nothing_compared_across_it():
    fwd = {"template": "2021", "rows": {"carried_forward": {"natural_person": 3}}}
    co = {"template": "2021", "rows": {"carried_over": {"natural_person": 9}}}
    rows = build([_rep("某县民政局", 2021, "a", requests=fwd), _rep("某县民政局", 2023, "b", requests=co)])["cross_year_checks"]
    assert [(r["check_id"], r["ok"], r["last_year"], r["year"]) for r in rows] == [("cross_year.series_gap", None, 2021, 2023)]


def test_pingtan_series_cross_year_table_and_reuse(realdocs):
    folders = sorted(p for p in realdocs.glob("pingtan-20*") if p.is_dir())
    reps = [parse_dict(f) for d in folders for f in sorted(d.iterdir()) if f.suffix in (".txt", ".pdf")]
    tables = build(reps)
    zone = [r for r in tables["agencies"] if r["agency_key"] == "平潭综合实验区"]
    assert len({r["year"] for r in zone}) == len({d.name.split("-")[1] for d in folders})
    year_2024 = [r for r in zone if r["year"] == 2024]
    assert len(year_2024) == 2 and [r["format"] for r in year_2024 if r["primary"]] == ["pdf"]
    checks = [c for c in tables["cross_year_checks"] if c["agency_key"] == "平潭综合实验区"]
    gaps = {(c["last_year"], c["year"]) for c in checks if c["check_id"] == "cross_year.series_gap"}
    assert {(2012, 2015), (2016, 2018), (2019, 2021)} <= gaps
    carried = [c for c in checks if c["check_id"].startswith("cross_year.requests.carried_over.")]
    assert {c["year"] for c in carried} == {2022, 2023, 2024} and all(c["ok"] for c in carried)
    assert {r["year"] for r in tables["reuse"] if r["agency_key"] == "平潭综合实验区"} >= {2022, 2023, 2024}
    assert tables["year_over_year"]


def test_archive_command_export_and_agency_timelines(tmp_path):
    write_archive(tmp_path / "in", 3, 3, 5, formats=("txt",), break_rate=1.0)
    out = tmp_path / "out"
    gk = [sys.executable, "-m", "gongkai.cli"]
    assert subprocess.run(gk + ["batch", str(tmp_path / "in"), "--out", str(out), "--quiet"], capture_output=True).returncode == 0
    res = subprocess.run(gk + ["archive", str(out), "--strict"], capture_output=True, text=True)
    assert res.returncode == 1 and "FAIL" in res.stdout and "Traceback" not in res.stderr, res.stderr
    for name in ("agencies", "cross_year_checks", "year_over_year", "reuse"):
        assert (out / "archive" / f"{name}.jsonl").read_text("utf-8").strip()
    assert subprocess.run(gk + ["export", str(out), "--format", "duckdb"], capture_output=True).returncode == 0
    import duckdb

    con = duckdb.connect(str(out / "gongkai.duckdb"), read_only=True)
    assert con.execute("select count(*) from cross_year_checks where ok = false and enforced").fetchone()[0] >= 1
    assert con.execute("select count(distinct agency_key) from agencies").fetchone()[0] == 3
    assert subprocess.run(gk + ["view", str(out / "reports.jsonl"), "-o", str(out / "site")], capture_output=True).returncode == 0
    page = (out / "site" / "agencies.html").read_text("utf-8")
    assert page.count("<table class='timeline'>") == 3 and "xfail" in page
    with open(out / "reports.jsonl", "a", encoding="utf-8") as f:
        f.write("{not json\n")
    res = subprocess.run(gk + ["archive", str(out)], capture_output=True, text=True)
    assert res.returncode == 0 and "1 line(s) are not report records; skipped" in res.stderr
    bad = tmp_path / "aliases.json"
    bad.write_text("[1]", "utf-8")
    res = subprocess.run(gk + ["archive", str(out), "--aliases", str(bad)], capture_output=True, text=True)
    assert res.returncode == 2 and res.stderr.startswith(f"error: {bad}:")
