"""Tables, meta and items scored per kind against gold (issue 17), as ``gongkai evaluate`` prints them."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import parse_dict

from gongkai.scoring import score_report, summarise
from gongkai.synth.writer import write_corpus

FORMATS = ("pdf", "docx", "html", "txt", "wordpdf")


def _summary(folder) -> dict:
    scores = []
    for g in sorted(folder.glob("*.gold.json")):
        gold = json.loads(g.read_text("utf-8"))
        scores.append(score_report(parse_dict(folder / gold["source"]), gold))
    return summarise(scores)


def _assert_items(s: dict, precision: float = 0.98, recall: float = 0.95) -> None:
    low = {k: v for k, v in s["items"].items()
           if (v["precision"] is not None and v["precision"] < precision) or (v["recall"] is not None and v["recall"] < recall)}
    assert not low, low


def test_items_per_kind_on_generated_reports_in_every_format(tmp_path):
    write_corpus(tmp_path, 40, 61, formats=FORMATS, pdf_routes=("reportlab",))
    s = _summary(tmp_path)
    assert s["tables"]["wrong"] == 0
    assert all(v["accuracy"] == 1.0 for v in s["meta"].values()), s["meta"]
    assert {"website_posts.value", "processing_fee_yuan.value", "wechat.posts", "weibo.accounts", "new_media_accounts.closed",
            "leading_group.leader.title"} <= set(s["items"])  # the phrasing variants were drawn
    _assert_items(s)


@pytest.mark.slow
def test_items_per_kind_on_three_hundred_generated_reports(tmp_path):
    write_corpus(tmp_path, 300, 62, formats=FORMATS)
    _assert_items(_summary(tmp_path))


def test_items_on_real_reports(realdocs):
    scores = [score_report(parse_dict(g.parent / json.loads(g.read_text("utf-8"))["source"]), json.loads(g.read_text("utf-8")))
              for g in sorted(realdocs.glob("*/gold.json"))]
    _assert_items(summarise(scores), precision=1.0, recall=1.0)


def test_evaluate_prints_extraction_figures(tmp_path):
    write_corpus(tmp_path, 3, 63, formats=("txt",))
    res = subprocess.run([sys.executable, "-m", "gongkai.cli", "evaluate", str(tmp_path), "--json"], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    ex = json.loads(res.stdout)["extraction"]
    assert ex["documents"] == 3 and ex["tables"]["accuracy"] is not None and ex["items"]
    text = subprocess.run([sys.executable, "-m", "gongkai.cli", "evaluate", str(tmp_path)], capture_output=True, text=True, timeout=300).stdout
    assert "precision" in text and "website_posts.value" in text


def test_evaluate_with_nothing_to_score_is_an_error(tmp_path):
    res = subprocess.run([sys.executable, "-m", "gongkai.cli", "evaluate", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and res.stderr.startswith("error: nothing to evaluate")


def test_real_gold_is_not_complete_so_extra_items_are_not_false_positives():
    gold = {"items": {"wechat.posts": 5}}
    s = score_report({"items": {"wechat": {"posts": 5}, "press_conferences": {"value": 3}}}, gold)
    assert s["items"] == {"wechat.posts": [1, 0, 0]}
    s = score_report({"items": {"press_conferences": {"value": 3}}}, {**gold, "items_complete": True})
    assert s["items"]["press_conferences.value"] == [0, 1, 0] and s["items"]["wechat.posts"] == [0, 0, 1]



def test_evaluate_on_a_gold_file_that_is_not_json_is_one_line(tmp_path):
    (tmp_path / "gold.json").write_text("{not json", "utf-8")
    res = subprocess.run([sys.executable, "-m", "gongkai.cli", "evaluate", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and res.stderr.startswith(f"error: {tmp_path / 'gold.json'}: not JSON") and "Traceback" not in res.stderr
