"""Scanned reports (issue 22): OCR of image-only PDF pages, uncertain cells, the generator's scans.

The OCR tests need the extra gongkai[ocr] (rapidocr-onnxruntime); they skip, with that reason, where it is
not installed.  One small generated scan is parsed once for the module.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gongkai.document import Block, Cell
from gongkai.errors import ReadError
from gongkai.readers import ocr
from gongkai.scoring import score_report, summarise
from gongkai.tables import extract, uncertain
from gongkai.tables import spec as tspec
from gongkai.tables.model import Table

needs_ocr = pytest.mark.skipif(not ocr.available(), reason="the OCR extra is not installed (pip install 'gongkai[ocr]')")
GK = [sys.executable, "-m", "gongkai.cli"]


@pytest.fixture(scope="module")
def scan(tmp_path_factory) -> tuple[Path, dict]:
    from gongkai.synth.writer import write_corpus

    out = tmp_path_factory.mktemp("scan")
    path = write_corpus(out, 1, seed=22, templates=("2021",), formats=("scan",), scan_dpi=200)[0]
    return path, json.loads(path.with_name(path.stem + ".gold.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def parsed(scan) -> dict:
    if not ocr.available():
        pytest.skip("the OCR extra is not installed (pip install 'gongkai[ocr]')")
    from gongkai.report import parse

    return parse(scan[0]).to_dict()


def test_generator_writes_an_image_only_pdf_with_its_scan_hazards(scan):
    import pypdfium2 as pdfium

    path, gold = scan
    pdf = pdfium.PdfDocument(str(path))
    try:
        text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()
    assert not text.strip()
    assert gold["scan"]["dpi"] == 200 and gold["scan"]["stamps"] and len(gold["scan"]["skew"]) >= 2
    assert gold["format"] == "pdf" and gold["tables"]


@needs_ocr
def test_scanned_report_reads_like_its_text_pdf(parsed, scan):
    _, gold = scan
    s = summarise([score_report(parsed, gold)])
    assert s["tables"]["accuracy"] >= 0.98, s["tables"]
    assert s["tables"]["wrong_uncaught"] == 0, s["tables"]["uncaught"]
    assert all(m["accuracy"] == 1.0 for m in s["meta"].values()), s["meta"]
    assert parsed["source"]["ocr_pages"] == list(range(1, parsed["source"]["pages"] + 1))
    body = [p for p in parsed["paragraphs"] if not p["heading"]]
    assert body and all(0 < p["ocr_confidence"] <= 1 for p in body)
    cells = parsed["tables"]["requests"]["ocr_confidence"]
    assert len(cells) >= 50 and all(0 < v <= 1 for v in cells.values())


@needs_ocr
def test_exports_carry_the_ocr_confidence(parsed):
    from gongkai.export import rows_of

    rows = rows_of(parsed)
    assert rows["reports"][0]["ocr_pages"] == parsed["source"]["pages"]
    assert all(r["ocr_confidence"] is not None for r in rows["paragraphs"])
    assert sum(r["ocr_confidence"] is not None for r in rows["table_cells"]) >= 50


@needs_ocr
def test_scanned_report_sections_follow_the_gold(parsed, scan):
    from gongkai.evaluation import char_accuracy

    _, gold = scan
    right, _, total = char_accuracy([tuple(p) for p in gold["paragraphs"]], [(p["section"], p["text"]) for p in parsed["paragraphs"]])
    assert right / total >= 0.95


def test_ocr_never_keeps_the_scan_error_and_names_the_option(scan):
    r = subprocess.run([*GK, "parse", "--ocr", "never", str(scan[0])], capture_output=True, text=True)
    assert r.returncode == 1
    assert r.stderr.strip().count("\n") == 0 and "no text layer" in r.stderr and "--ocr never" in r.stderr


def test_without_the_extra_a_scan_error_names_the_extra(scan, monkeypatch):
    from gongkai.readers import read

    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(ReadError) as e:
        read(scan[0])
    assert "gongkai[ocr]" in str(e.value)


@needs_ocr
def test_batch_timeout_grows_with_the_pages_read_by_ocr(scan, tmp_path):
    # a 2 s budget is too short for OCR of several pages; each OCR'd page adds --ocr-page-seconds (generous
    # here: the test is about the budget growing, not about how fast a shared machine reads a page)
    r = subprocess.run([*GK, "batch", str(scan[0]), "--out", str(tmp_path), "--timeout", "2", "--ocr-page-seconds", "300",
                        "--workers", "1", "--quiet"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert not (tmp_path / "errors.jsonl").read_text().strip()
    rec = json.loads((tmp_path / "reports.jsonl").read_text("utf-8").splitlines()[0])
    assert rec["source"]["ocr_pages"]


@needs_ocr
def test_batch_without_ocr_allowance_keeps_the_bare_timeout(scan, tmp_path):
    r = subprocess.run([*GK, "batch", str(scan[0]), "--out", str(tmp_path), "--timeout", "1", "--ocr-page-seconds", "0",
                        "--workers", "1", "--quiet"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    (err,) = [json.loads(x) for x in (tmp_path / "errors.jsonl").read_text("utf-8").splitlines()]
    assert err["reason"] == "timeout after 1 s"


def test_a_negative_ocr_allowance_is_a_one_line_error(tmp_path):
    r = subprocess.run([*GK, "batch", str(tmp_path), "--out", str(tmp_path / "o"), "--ocr-page-seconds", "-1"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.strip() == "error: --ocr-page-seconds -1: must be 0 or more"


# ---- the raster grid -------------------------------------------------------------------------------------

def _grid_image() -> np.ndarray:
    """A 3 × 3 ruled grid at 200 dpi whose first column's two lower cells are merged."""
    img = np.zeros((600, 900), np.uint8)
    ys, xs = [50, 200, 350, 500], [50, 350, 600, 850]
    for y in ys:
        img[y:y + 2, 50:852] = 255
    for x in xs:
        img[50:502, x:x + 2] = 255
    img[350:352, 52:350] = 0  # no rule between the first column's lower cells
    return img


@needs_ocr
def test_raster_grid_finds_rules_and_merged_cells():
    (ys, xs, cells), = ocr.find_grids(_grid_image(), 200)
    assert len(ys) == 4 and len(xs) == 4
    assert cells[1][0] == (1, 0, 3, 1) and cells[2][0] is None  # merged down
    assert cells[0][2] == (0, 2, 1, 3)


@needs_ocr
def test_skew_is_measured_and_undone():
    import cv2

    page = np.full((1200, 900), 255, np.uint8)
    for y in range(100, 1100, 40):
        page[y:y + 12, 100:800] = 0  # lines of "text"
    m = cv2.getRotationMatrix2D((450, 600), 1.2, 1.0)
    turned = cv2.warpAffine(page, m, (900, 1200), borderValue=255)
    assert abs(ocr.skew_angle(turned) + 1.2) <= 0.1


# ---- uncertain cells ---------------------------------------------------------------------------------------

def _appeals(readings: list[int]) -> tuple[Table, dict]:
    """A review row whose parts add up to 8 (upheld 2, corrected 3, other 1, pending 2) and whose total
    the OCR was unsure of, with ``readings`` for it."""
    row = next(iter(tspec.current()["appeals"].rows))
    t = Table("appeals", "2021", {row: {"upheld": 2, "corrected": 3, "other": 1, "pending": 2, "total": None}})
    return t, {f"{row}.total": uncertain.Uncertain("8?", 0.4, readings)}


def test_an_uncertain_cell_takes_the_one_reading_the_rules_allow():
    t, cells = _appeals([3, 8])
    warnings = uncertain.resolve(tspec.current()["appeals"], t, cells)
    assert next(iter(t.rows.values()))["total"] == 8
    assert [w["code"] for w in warnings] == ["table.ocr_resolved"]


def test_an_uncertain_cell_no_rule_decides_stays_null_with_a_warning():
    t, cells = _appeals([1, 7])  # neither adds up
    warnings = uncertain.resolve(tspec.current()["appeals"], t, cells)
    assert next(iter(t.rows.values()))["total"] is None
    assert [w["code"] for w in warnings] == ["table.ocr_uncertain"]


def test_an_unsure_ocr_cell_is_never_read_as_printed():
    spec = tspec.current()
    rows = [[Cell("二、主动公开政府信息情况")],
            [Cell("信息内容"), Cell("本年处理决定数量")],
            [Cell("行政许可"), Cell("1234", confidence=0.5, alternatives=["1284"])]]
    res = extract.extract([Block("table", rows=rows, page=1)], spec=spec)
    assert res.tables["proactive"]["rows"]["licensing"]["decisions"] is None
    assert any(w["code"] == "table.ocr_uncertain" and "1234" in w["message"] for w in res.warnings)


def test_legacy_grid_row_with_fewer_cells_than_columns_is_null_not_a_crash():
    from gongkai.tables import legacy

    rows = [[Cell("指标名称"), Cell("本年度"), Cell("上年度"), Cell("历年累计")],
            [Cell("主动公开信息总数"), Cell("5"), Cell("6"), Cell("11")],
            [Cell("行政复议"), Cell("3")]]
    tables, _ = legacy.read([Block("table", rows=rows, page=1)])
    assert tables[0]["rows"][-1]["values"] == [None, None, None]


def test_page_number_with_one_dash_lost_by_ocr_is_still_a_page_number():
    from gongkai.readers.pdf import PAGE_NUMBER

    assert all(PAGE_NUMBER.match(s) for s in ("2-", "- 2", "-2-", "2"))
    assert not PAGE_NUMBER.match("2-3项")


def test_scan_stamp_is_red_and_round():
    from gongkai.synth.scan import _stamp

    img = np.asarray(_stamp(300, "某某市人民政府"))
    red = (img[:, :, 0] > 150) & (img[:, :, 1] < 100)
    assert red.mean() > 0.02 and not red[150, 5] and red[150, 150]


@needs_ocr
def test_low_resolution_scan_is_read_at_the_working_resolution(tmp_path):
    # a 150 dpi scan read at its own size lost a fifth of its cells (rules too thin for the tuned kernels)
    from gongkai.report import parse
    from gongkai.synth.writer import write_corpus

    path = write_corpus(tmp_path, 1, seed=150, templates=("legacy",), formats=("scan",), scan_dpi=150)[0]
    gold = json.loads(path.with_name(path.stem + ".gold.json").read_text("utf-8"))
    s = summarise([score_report(parse(path).to_dict(), gold)])
    assert s["tables"]["accuracy"] >= 0.95 and s["tables"]["wrong_uncaught"] == 0, s["tables"]


@needs_ocr
def test_dask_style_subprocess_parse_extends_its_timeout_for_ocr(scan):
    from gongkai.batch import parse_in_subprocess

    status, rec = parse_in_subprocess(str(scan[0]), "x", timeout=2, mem_mb=0, ocr_page_seconds=300)  # generous: not a speed test
    assert status == "ok", rec
    assert rec["source"]["ocr_pages"]


@needs_ocr
def test_an_ocr_engine_failure_is_named_as_such_not_a_corrupt_pdf(scan, monkeypatch):
    from gongkai.readers import read

    def broken(page, dpi=None):
        raise RuntimeError("onnxruntime session failed")

    monkeypatch.setattr(ocr, "read_page", broken)
    with pytest.raises(ReadError) as e:
        read(scan[0])
    assert "OCR failed on page 1 (RuntimeError)" in str(e.value)
