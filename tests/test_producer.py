"""Every record says what made it; ``--model`` chooses the section model; no model is never silent."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

REPORT = "测试县2023年政府信息公开工作年度报告\n一、总体情况\n我县全年主动公开政府信息120条。\n二、主动公开政府信息情况\n详见下表。\n"


def gk(*args, env=None):
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], capture_output=True, text=True, timeout=120,
                          env=env or os.environ.copy())


def _report(tmp_path: Path) -> Path:
    p = tmp_path / "r.txt"
    p.write_text(REPORT, "utf-8")
    return p


def test_parse_output_names_version_and_model(tmp_path):
    import gongkai

    res = gk("parse", str(_report(tmp_path)))
    prod = json.loads(res.stdout)["producer"]
    card = json.loads((ROOT / "models" / "sections-default" / "card.json").read_text("utf-8"))
    assert prod == {"name": "gongkai", "version": gongkai.__version__, "model": "sections-default",
                    "model_sha256": card["sha256"], "segmenter": "jieba"}


def test_model_none_is_said_not_silent(tmp_path):
    rep = json.loads(gk("parse", "--model", "none", str(_report(tmp_path))).stdout)
    assert rep["producer"]["model"] is None and rep["producer"]["model_sha256"] is None
    assert any(w["code"] == "sections.no_model" for w in rep["warnings"])


def test_a_model_that_cannot_be_loaded_warns(tmp_path):
    env = dict(os.environ, GONGKAI_MODELS=str(tmp_path / "nowhere"))
    rep = json.loads(gk("parse", str(_report(tmp_path)), env=env).stdout)
    assert any(w["code"] == "sections.no_model" for w in rep["warnings"])
    assert rep["producer"]["model"] is None


def test_model_by_path_and_bad_model_error(tmp_path):
    copy = tmp_path / "my-model"
    shutil.copytree(ROOT / "models" / "sections-default", copy)
    rep = json.loads(gk("parse", "--model", str(copy), str(_report(tmp_path))).stdout)
    assert rep["producer"]["model"] == "sections-default"  # the card's name
    res = gk("parse", "--model", "no-such-model", str(_report(tmp_path)))
    assert res.returncode == 2 and res.stderr.startswith("error: no-such-model: no such model") and "Traceback" not in res.stderr


def test_batch_records_and_export_carry_the_producer(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    _report(src)
    out = tmp_path / "out"
    assert gk("batch", str(src), "--out", str(out), "--workers", "1", "--quiet", "--model", "none").returncode == 0
    rec = json.loads((out / "reports.jsonl").read_text("utf-8").splitlines()[0])
    assert rec["producer"]["model"] is None  # --model reached the worker
    assert gk("export", str(out), "--format", "csv").returncode == 0
    header = next(p for p in out.rglob("reports.csv")).read_text("utf-8-sig").splitlines()[0]
    assert "producer_version" in header and "producer_model_sha256" in header
