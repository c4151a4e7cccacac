"""Outputs people open (issue 19, in part): Excel-ready CSV, xlsx, the wide table; check and parse on JSON."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gongkai.synth.writer import write_corpus


def gk(*args):
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    src = tmp_path_factory.mktemp("in")
    write_corpus(src, 6, 71, formats=("txt", "html"))
    out = tmp_path_factory.mktemp("out")
    assert gk("batch", str(src), "--out", str(out), "--workers", "1", "--quiet").returncode == 0
    return out


def test_csv_has_a_byte_order_mark_for_excel(batch):
    assert gk("export", str(batch), "--format", "csv").returncode == 0
    data = (batch / "csv" / "reports.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "政府信息公开" in data.decode("utf-8-sig")


def test_wide_table_one_row_per_report_with_typed_columns(batch):
    import pandas as pd

    assert gk("export", str(batch), "--format", "parquet").returncode == 0
    wide = pd.read_parquet(batch / "parquet" / "reports_wide.parquet")
    assert len(wide) == 6 and wide["report"].is_unique
    for col in ("producer_version", "agency", "year", "published", "checks_failed", "website_posts", "wechat_posts",
                "processing_fee_yuan", "requests.new.total", "appeals.review.total"):
        assert col in wide.columns, col
    assert wide["requests.new.total"].dtype == "float64" and wide["website_posts"].dtype == "float64"
    assert wide["year"].dtype == "int64"


def test_xlsx_one_sheet_per_table_with_numbers_as_numbers(batch):
    from openpyxl import load_workbook

    assert gk("export", str(batch), "--format", "xlsx").returncode == 0
    wb = load_workbook(batch / "gongkai.xlsx", read_only=True)
    assert {"reports", "reports_wide", "table_cells", "items", "checks"} <= set(wb.sheetnames)
    rows = list(wb["reports_wide"].iter_rows(values_only=True))
    header, first = rows[0], rows[1]
    assert isinstance(first[header.index("year")], int)
    assert isinstance(first[header.index("requests.new.total")], (int, float, type(None)))


def test_check_reads_gongkai_output(batch, tmp_path):
    res = gk("check", str(batch / "reports.jsonl"))
    assert res.returncode == 0 and res.stdout.count(" checks, ") == 6
    one = tmp_path / "one.json"
    one.write_text((batch / "reports.jsonl").read_text("utf-8").splitlines()[0], "utf-8")
    assert gk("check", str(one)).stdout.count(" checks, ") == 1


def test_parse_refuses_gongkai_output(batch):
    res = gk("parse", str(batch / "reports.jsonl"))
    assert res.returncode == 1 and res.stderr.startswith(f"error: {batch / 'reports.jsonl'}: this is gongkai's JSON output")


def test_parse_several_files_gives_json_lines_and_exit_one_when_one_fails(tmp_path):
    files = write_corpus(tmp_path, 2, 72, formats=("txt",))
    out = tmp_path / "out.jsonl"
    res = gk("parse", *map(str, files), str(tmp_path / "missing.txt"), "-o", str(out))
    assert res.returncode == 1 and res.stderr.strip().startswith("error:") and "missing.txt: no such file" in res.stderr
    lines = out.read_text("utf-8").splitlines()
    assert len(lines) == 2 and all(json.loads(x)["schema"] == "gongkai.report/1" for x in lines)


def test_errors_file_keeps_the_latest_outcome_per_file(tmp_path, monkeypatch):
    import gongkai.batch as batch

    src = tmp_path / "in"
    files = write_corpus(src, 2, 73, formats=("txt",))
    real = batch.parse_one

    def flaky(path, sha):
        return ("error", {"file": path, "sha256": sha, "reason": "simulated failure"}) if path.endswith(files[0].name) else real(path, sha)

    monkeypatch.setattr(batch, "parse_one", flaky)
    out = tmp_path / "out"
    batch.run_batch([str(src)], out, workers=1, timeout=0)
    assert len((out / "errors.jsonl").read_text("utf-8").splitlines()) == 1
    batch.run_batch([str(src)], out, workers=1, timeout=0, retry_errors=True)  # fails again: still listed once
    assert len((out / "errors.jsonl").read_text("utf-8").splitlines()) == 1
    monkeypatch.setattr(batch, "parse_one", real)
    s = batch.run_batch([str(src)], out, workers=1, timeout=0, retry_errors=True)
    assert s.done == 1 and (out / "errors.jsonl").read_text("utf-8") == ""
    assert len((out / "reports.jsonl").read_text("utf-8").splitlines()) == 2


def test_batch_output_folder_that_cannot_be_made_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    res = gk("batch", str(tmp_path), "--out", str(blocker / "out"), "--quiet")
    assert res.returncode == 2 and res.stderr.startswith(f"error: {blocker / 'out'}: cannot create the output folder")
    assert "Traceback" not in res.stderr


def test_ctrl_c_gives_one_line_and_keeps_finished_reports(tmp_path):
    import os
    import signal
    import time

    src = tmp_path / "in"
    write_corpus(src, 40, 74, formats=("txt", "html"))
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "batch", str(src), "--out", str(out), "--workers", "2", "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and not ((out / "reports.jsonl").exists() and (out / "reports.jsonl").read_bytes().count(b"\n") >= 3):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and err.strip().count("\n") == 0 and err.startswith("error: interrupted"), err
    lines = (out / "reports.jsonl").read_text("utf-8").splitlines()
    assert len(lines) >= 3 and all(json.loads(x)["schema"] == "gongkai.report/1" for x in lines)


def test_blank_as_zero_policy_is_said_in_the_report(tmp_path):
    from gongkai.tables.checks import run

    tables = {"appeals": {"review": {"upheld": 1, "corrected": None, "other": 0, "pending": 0, "total": 1}}}
    assert [c["ok"] for c in run(tables) if c["id"] == "appeals.review.total"] == [None]
    c = next(c for c in run(tables, blank_as_zero=True) if c["id"] == "appeals.review.total")
    assert c["ok"] is True and "assumed" in c
    files = write_corpus(tmp_path, 1, 75, formats=("txt",))
    rep = json.loads(gk("parse", "--blank-as-zero", str(files[0])).stdout)
    assert any(w["code"] == "checks.blank_as_zero" for w in rep["warnings"])
    assert not any(w["code"] == "checks.blank_as_zero" for w in json.loads(gk("parse", str(files[0])).stdout)["warnings"])


def test_items_table_has_a_numeric_value_column(batch):
    import pandas as pd

    assert gk("export", str(batch), "--format", "parquet").returncode == 0
    items = pd.read_parquet(batch / "parquet" / "items.parquet")
    assert items["value"].dtype == "float64" and "text" in items.columns
    assert items.loc[items["item"] == "leading_group", "value"].isna().all()


def test_batch_survives_gbk_names_fifos_and_dev_zero(tmp_path):
    """Regression (issue 20, in part): a GBK file name crashed the batch; a FIFO or a link to /dev/zero hung it."""
    import os

    src = tmp_path / "in"
    src.mkdir()
    good = write_corpus(tmp_path / "gen", 2, 76, formats=("txt",))
    (src / "good.txt").write_bytes(good[0].read_bytes())
    gbk_name = os.fsencode(src) + b"/" + "年度报告".encode("gbk") + b".txt"
    with open(gbk_name, "wb") as f:
        f.write(good[1].read_bytes())
    os.mkfifo(src / "pipe.txt")
    os.symlink("/dev/zero", src / "zero.txt")
    out = tmp_path / "out"
    res = gk("batch", str(src), "--out", str(out), "--workers", "1", "--quiet")
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    reports = [json.loads(x) for x in (out / "reports.jsonl").read_text("utf-8").splitlines()]
    assert len(reports) == 2
    assert any(os.fsencode(r["source"]["path"]) == gbk_name for r in reports)  # the name's bytes kept
    errors = {os.path.basename(e["file"]): e["reason"] for e in map(json.loads, (out / "errors.jsonl").read_text("utf-8").splitlines())}
    assert errors == {"pipe.txt": "skipped: a FIFO, not a regular file",
                      "zero.txt": "skipped: a link out of the input folder (--follow-symlinks follows it)"}
    out2 = tmp_path / "out2"
    assert gk("batch", str(src), "--out", str(out2), "--workers", "1", "--quiet", "--follow-symlinks").returncode == 0
    errors = {os.path.basename(e["file"]): e["reason"] for e in map(json.loads, (out2 / "errors.jsonl").read_text("utf-8").splitlines())}
    assert errors["zero.txt"] == "skipped: a device, not a regular file"  # followed, and still never opened


def test_csv_and_xlsx_cells_never_run_as_formulas(tmp_path):
    import pyarrow as pa

    from gongkai.export import neutralised

    t = neutralised(pa.table({"text": ["=HYPERLINK(\"x\")", "@SUM(A1)", "+1", "-3", "普通文字", None], "n": [1, 2, 3, 4, 5, 6]}))
    assert t.column("text").to_pylist() == ["'=HYPERLINK(\"x\")", "'@SUM(A1)", "'+1", "'-3", "普通文字", None]
    assert t.column("n").to_pylist() == [1, 2, 3, 4, 5, 6]  # numbers stay numbers


def test_timeout_is_never_reported_as_a_corrupt_pdf(tmp_path, monkeypatch):
    """Regression (issue 20, in part): the PDF reader's broad except turned a timeout into 'corrupt PDF'
    (and the fast path's into a slow retry)."""
    from fixtures import pdf_with_table_across_pages

    import gongkai.readers.pdf as pdf

    path = pdf_with_table_across_pages(tmp_path / "t.pdf")

    def stalled(*a, **k):
        raise TimeoutError

    monkeypatch.setattr(pdf, "_tables", stalled)
    with pytest.raises(TimeoutError):
        pdf.read(str(path), path.read_bytes())
    monkeypatch.setattr(pdf._Pdfium, "lines", lambda self, i, tables=True: stalled())
    with pytest.raises(TimeoutError):
        pdf.read(str(path), path.read_bytes())


def test_links_out_of_the_input_folder_are_not_followed(tmp_path):
    import os

    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    write_corpus(secret.parent, 1, 77, formats=("txt",))
    src = tmp_path / "in"
    src.mkdir()
    os.symlink(next(secret.parent.glob("*.txt")), src / "link.txt")
    out = tmp_path / "out"
    assert gk("batch", str(src), "--out", str(out), "--workers", "1", "--quiet").returncode == 0
    assert (out / "reports.jsonl").read_text("utf-8") == ""


def test_two_batches_into_one_folder_refuse(tmp_path):
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".gongkai.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a batch is running there
        res = gk("batch", str(tmp_path), "--out", str(out), "--quiet")
    assert res.returncode == 2 and "another batch is writing to this folder" in res.stderr


def test_index_links_never_carry_a_url_scheme():
    from gongkai.view.page import relative_href, render_index

    assert relative_href("javascript:alert(1)-ab.html") == "./javascript%3Aalert%281%29-ab.html"
    d = {"meta": {}, "checks": [], "warnings": [], "paragraphs": [], "source": {"path": "javascript:alert(1)"}}
    assert 'href="javascript:' not in render_index([("javascript:alert(1)-ab.html", d)])


def test_docx_with_a_huge_grid_span_is_bounded(tmp_path):
    """Regression (issue 20, in part): w:gridSpan = 50,000,000 in a 1 KB DOCX took 7 GB."""
    import time

    from fixtures import docx_with_merged_cells

    src = docx_with_merged_cells(tmp_path / "ok.docx")
    import zipfile

    bad = tmp_path / "span.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                assert b'w:gridSpan w:val="' in data
                data = data.replace(b'w:gridSpan w:val="', b'w:gridSpan w:val="50000000', 1)
            zout.writestr(item, data)
    t = time.perf_counter()
    res = gk("parse", str(bad))
    assert time.perf_counter() - t < 30 and "Traceback" not in res.stderr


@pytest.mark.parametrize("name,content", [
    ("digits.html", "<html><body><p>" + "1234567890" * 4000 + "</p></body></html>"),
    ("blank.txt", "一、总体情况\n" + "\n" * 160000 + "二、主动公开政府信息情况\n"),
    ("span.html", "<html><body><table>" + ("<tr>" + '<td rowspan="200" colspan="200">1</td>' * 20 + "</tr>") * 50 + "</table></body></html>"),
])
def test_pathological_text_and_html_are_read_in_time(tmp_path, name, content):
    """Regression (issue 20, in part): 40 KB of digits took 91 s, 160 KB of blank lines 78 s (quadratic
    patterns); large rowspan × colspan 70 s and 3.9 GB."""
    import time

    from gongkai.report import parse

    p = tmp_path / name
    p.write_text(content, "utf-8")
    t = time.perf_counter()
    parse(p)
    assert time.perf_counter() - t < 10


def test_check_and_view_give_up_after_their_timeout(tmp_path):
    """`check` and `view` had no time limit: a pathological file held them for ever."""
    from gongkai.synth.writer import write_corpus

    write_corpus(tmp_path, 1, 5, formats=("txt",), hazards=False)
    body = next(tmp_path.glob("*.txt")).read_text("utf-8")
    big = tmp_path / "big.txt"
    big.write_text(body * 300, "utf-8")
    for args in (["check", "--timeout", "0.5", str(big)], ["view", "--timeout", "0.5", str(big), "-o", str(tmp_path / "x.html")]):
        r = gk(*args)
        assert r.returncode != 0 and r.stderr.strip().endswith("timeout after 0.5 s"), (args, r.stderr)
        assert "Traceback" not in r.stderr
