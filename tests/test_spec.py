"""Issue 14: one template spec that every table consumer reads, one typed table, a typed schema.

A modified spec (one extra table-3 row) is registered and the generator, the readers' output, the
extractor, the checks, the export, the review page and the schema all handle it with no code change.
Every output of the generated corpus and of the real reports validates against ``gongkai schema``.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import jsonschema
import pytest
from conftest import REALDOCS, parse_dict
from pydantic import ValidationError

from gongkai.export import rows_of
from gongkai.schema import json_schema, validate
from gongkai.synth.writer import write_corpus
from gongkai.tables.checks import run as run_checks
from gongkai.tables.model import Table, tables_from_json
from gongkai.tables.spec import TemplateSpec, current, use
from gongkai.view import render_report

NEW_ROW = "denied.pending_review"
NEW_LABEL = "9.属于正在审查的涉密事项"  # a row no template has: the test's own wording


def _raw_modified() -> dict:
    """The shipped data file with one more table-3 row: its label pattern, printed place and outcome set."""
    raw = current().raw()
    req = raw["tables"]["requests"]
    req["rows"][NEW_ROW] = {"match": "正在审查的涉密"}
    rows = req["layout"]["rows"]
    at = next(i for i, r in enumerate(rows) if r["key"] == "denied.query_matter") + 1
    rows.insert(at, {"key": NEW_ROW, "path": ["三、本年度办理结果", "（三）不予公开", NEW_LABEL]})
    outcome = req["sets"]["outcome"]
    outcome.insert(outcome.index("denied.query_matter") + 1, NEW_ROW)
    return raw


def _modified_spec() -> TemplateSpec:
    return TemplateSpec.from_dict(_raw_modified(), "modified")


@pytest.fixture(scope="module")
def modified(tmp_path_factory):
    """A corpus generated under the modified spec, parsed under it."""
    spec = _modified_spec()
    out = tmp_path_factory.mktemp("modified")
    with use(spec):
        paths = write_corpus(out, 8, 5, templates=("2021", "2019"), formats=("txt", "html", "docx", "pdf"), hazards=False)
        reports = [(p, parse_dict(p), json.loads(p.with_suffix(".gold.json").read_text("utf-8"))) for p in paths]
    return spec, reports


def test_modified_spec_extra_row_is_generated_read_and_checked(modified):
    spec, reports = modified
    for path, rep, gold in reports:
        row = rep["tables"]["requests"]["rows"].get(NEW_ROW)
        want = {k.split(".")[-1]: v for k, v in gold["tables"]["requests"].items() if k.startswith(NEW_ROW + ".")}
        assert want and row == want, (path.name, row, want)
        ids = {c["id"]: c["ok"] for c in rep["checks"]}
        assert ids[f"requests.row_total.{NEW_ROW}"] is True, path.name
        # the outcome total adds the new row: the checks hold only because it is counted
        assert all(ids[f"requests.total.{c}"] is True for c in spec["requests"].columns), path.name
        assert not rep["tables"]["requests"].get("extra_rows"), path.name


def test_modified_spec_checks_count_the_new_row(modified):
    spec, reports = modified
    _, rep, _ = reports[0]
    tables = json.loads(json.dumps(rep["tables"]))
    tables["requests"]["rows"][NEW_ROW]["natural_person"] += 1
    tables["requests"]["rows"][NEW_ROW]["total"] += 1
    with use(spec):
        failed = {c["id"] for c in run_checks(tables) if c["ok"] is False}
    assert {"requests.total.natural_person", "requests.total.total"} <= failed


def test_modified_spec_reaches_export_view_and_schema(modified):
    spec, reports = modified
    _, rep, _ = reports[0]
    with use(spec):
        cells = {(c["row_key"], c["column_key"]) for c in rows_of(rep)["table_cells"] if c["table_name"] == "requests"}
        assert (NEW_ROW, "total") in cells
        page = render_report(rep)
        assert f'data-key="requests.{NEW_ROW}.total"' in page and NEW_LABEL in page
        validate(rep)
        assert NEW_ROW in json.dumps(json_schema(), ensure_ascii=False)
    with pytest.raises(ValidationError):
        validate(rep)  # the shipped spec has no such row: the schema follows the spec


def test_spec_file_is_read_from_the_environment(modified, tmp_path):
    """A process pointed at another data file (GONGKAI_TEMPLATES) uses it: parse and schema."""
    _, reports = modified
    path = next(r[0] for r in reports if r[0].suffix == ".txt")
    data = tmp_path / "templates.json"
    data.write_text(json.dumps(_raw_modified(), ensure_ascii=False), "utf-8")
    env = {**os.environ, "GONGKAI_TEMPLATES": str(data)}
    out = subprocess.run([sys.executable, "-m", "gongkai.cli", "parse", str(path)], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert NEW_ROW in json.loads(out.stdout)["tables"]["requests"]["rows"]



def test_table_shapes_round_trip_through_the_adapter():
    """Table 4's groups are rows inside; the output keeps each table's documented shape."""
    tables = {"requests": {"template": "2021", "rows": {"new": {"total": 3}}},
              "appeals": {"template": "2021", "review": {"upheld": 1, "total": 1}, "litigation_direct": {}, "pages": [4]}}
    typed = tables_from_json(tables)
    assert list(typed["appeals"].cells()) == [("review", "upheld", 1), ("review", "total", 1)]
    assert typed["appeals"].to_json() == tables["appeals"]
    assert typed["requests"].to_json() == tables["requests"]
    assert Table.from_json("requests", tables["requests"]).flat() == {"new.total": 3}


def test_schema_rejects_an_unknown_row_and_a_mistyped_item(synth_corpus):
    rep = parse_dict(next(p for p in sorted(synth_corpus.iterdir()) if p.suffix == ".txt"))
    validate(rep)
    bad = json.loads(json.dumps(rep))
    bad["tables"].setdefault("proactive", {"template": "2021", "rows": {}})["rows"]["made_up_row"] = {"made": 1}
    with pytest.raises(ValidationError):
        validate(bad)
    bad = json.loads(json.dumps(rep))
    bad["items"]["website_posts"] = {"value": "many"}
    with pytest.raises(ValidationError):
        validate(bad)


def _schema() -> dict:
    out = subprocess.run([sys.executable, "-m", "gongkai.cli", "schema"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_every_generated_output_validates_against_gongkai_schema(synth_corpus):
    validator = jsonschema.Draft202012Validator(_schema())
    docs = [p for p in sorted(synth_corpus.iterdir()) if not p.name.endswith(".json")]
    assert len(docs) >= 20
    for p in docs:
        errors = [e.message for e in validator.iter_errors(parse_dict(p))]
        assert not errors, (p.name, errors[:3])


@pytest.mark.realdocs
def test_every_real_report_validates_against_gongkai_schema():
    """Every real report, with gold or not (the unlabelled ones too)."""
    files = sorted(p for p in REALDOCS.glob("**/*") if p.suffix.lower() in (".txt", ".pdf", ".html", ".htm", ".docx")) \
        if REALDOCS.is_dir() else []
    if not files:
        pytest.skip("../shared/realdocs is absent")
    validator = jsonschema.Draft202012Validator(_schema())
    for f in files:
        errors = [e.message for e in validator.iter_errors(parse_dict(f))]
        assert not errors, (str(f.relative_to(REALDOCS)), errors[:3])


def test_the_shipped_schema_file_is_the_exported_one():
    from conftest import ROOT

    shipped = json.loads((ROOT / "schema" / "report.schema.json").read_text("utf-8"))
    assert shipped == _schema(), "run: gongkai schema --out schema/report.schema.json"
