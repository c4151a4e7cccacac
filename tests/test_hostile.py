"""A hostile corpus the tests build themselves, each file with its expected outcome:
a clean one-line error or a valid report with warnings.  Never a traceback."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fixtures import encrypted_pdf, pdf_with_table_across_pages, scanned_pdf

from gongkai.errors import ReadError
from gongkai.report import parse

REPORT = "测试县人民政府2020年政府信息公开工作年度报告\n一、总体情况\n我县全年主动公开政府信息300条。\n五、存在的主要问题及改进情况\n人员不足。\n"


def build(d: Path) -> dict[str, str]:
    """name → expected: 'ok' or the reason the one-line error must contain."""
    exp = {}
    (d / "empty.txt").write_bytes(b"")
    exp["empty.txt"] = "empty file"
    (d / "blank.txt").write_bytes(b"   \n\n\t ")
    exp["blank.txt"] = "empty file"
    pdf = pdf_with_table_across_pages(d / "good.pdf").read_bytes()
    (d / "truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    exp["truncated.pdf"] = "corrupt PDF"
    (d / "report.pdf.txt").write_bytes(pdf)
    exp["report.pdf.txt"] = "ok"  # wrong extension: sniffed as PDF
    (d / "garbage.bin.txt").write_bytes(bytes((i * 7919) % 256 for i in range(50000)))
    exp["garbage.bin.txt"] = "binary"
    encrypted_pdf(d / "enc.pdf")
    exp["enc.pdf"] = "encrypted"
    scanned_pdf(d / "scan.pdf")
    exp["scan.pdf"] = "no text layer"
    (d / "zw.txt").write_text("\u200b\u200d" + REPORT.replace("公开", "公\u200b开") + "\x07\x1b", "utf-8")
    exp["zw.txt"] = "ok"
    (d / "mixed.txt").write_bytes(REPORT.encode("utf-8") + "第二段用GBK编码的文字。".encode("gbk"))
    exp["mixed.txt"] = "ok"
    (d / "nested.html").write_text("<html><body>" + "<div>" * 5000 + REPORT + "</div>" * 5000 + "</body></html>", "utf-8")
    exp["nested.html"] = "ok"
    (d / "huge.html").write_text("<html><body>" + "<p>政务公开工作稳步推进。</p>" * 100000 + "</body></html>", "utf-8")
    exp["huge.html"] = "ok"
    (d / "oneline.txt").write_text(REPORT.replace("\n", "") * 2000, "utf-8")
    exp["oneline.txt"] = "ok"
    (d / "digits.txt").write_text("三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为）申请人情况自然人一、本年新收政府信息公开申请数量" + "1" * 5000, "utf-8")
    exp["digits.txt"] = "ok"
    (d / "error-page.pdf").write_bytes(b"<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>")
    exp["error-page.pdf"] = "ok"
    (d / "renamed.docx").write_bytes(pdf)
    exp["renamed.docx"] = "ok"  # a PDF renamed .docx
    (d / "word.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000)
    exp["word.doc"] = "could not convert" if shutil.which("soffice") or shutil.which("libreoffice") else "not supported"
    (d / "zip.docx").write_bytes(b"PK\x03\x04" + b"\0" * 100)
    exp["zip.docx"] = "corrupt DOCX"
    return exp


def tiny_objects_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for i in range(6000):
        c.rect(10 + (i % 80) * 7, 10 + (i // 80) * 10, 2, 2)
    c.drawString(72, 800, "report")
    c.save()
    return path


def test_hostile_corpus(tmp_path):
    exp = build(tmp_path)
    for name, want in exp.items():
        p = tmp_path / name
        t = time.perf_counter()
        try:
            rep = parse(p).to_dict()
            assert want == "ok", (name, "parsed but expected", want)
            assert rep["schema"] == "gongkai.report/1"
        except ReadError as e:
            assert want != "ok" and want in e.reason, (name, e.reason)
            assert "\n" not in e.line()
        assert time.perf_counter() - t < 60, name


def test_pdf_with_thousands_of_tiny_objects_is_read_in_time(tmp_path):
    t = time.perf_counter()
    rep = parse(tiny_objects_pdf(tmp_path / "tiny.pdf")).to_dict()
    assert [p["text"] for p in rep["paragraphs"]] == ["report"]
    assert any(w["code"] == "document.not_a_report" for w in rep["warnings"])
    assert time.perf_counter() - t < 60


def test_cli_never_prints_a_traceback_on_the_hostile_corpus(tmp_path):
    build(tmp_path)
    for name in ("empty.txt", "truncated.pdf", "garbage.bin.txt", "enc.pdf", "scan.pdf", "nested.html", "word.doc", "zip.docx"):
        res = subprocess.run([sys.executable, "-m", "gongkai.cli", "parse", "--compact", str(tmp_path / name)],
                             capture_output=True, text=True, timeout=120)
        assert "Traceback" not in res.stderr, (name, res.stderr[-500:])
        if res.returncode:
            assert len(res.stderr.strip().splitlines()) == 1 and res.stderr.startswith("error: "), (name, res.stderr)


def test_batch_summary_groups_failures(tmp_path):
    from gongkai.batch import run_batch

    src = tmp_path / "in"
    src.mkdir()
    build(src)
    s = run_batch([str(src)], tmp_path / "out", workers=2, timeout=120)
    assert s.failed >= 5 and s.done >= 5
    text = "\n".join(s.lines())
    assert "encrypted" in text and "empty file" in text


def test_no_network_connection(tmp_path, monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("gongkai tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    p = tmp_path / "r.txt"
    p.write_text(REPORT, "utf-8")
    parse(p)
    parse(pdf_with_table_across_pages(tmp_path / "r.pdf"))


def test_limits_warn_when_cutting(tmp_path, monkeypatch):
    import gongkai.readers.text as text

    monkeypatch.setattr(text, "MAX_CHARS", 1000)
    p = tmp_path / "long.txt"
    p.write_text(REPORT * 100, "utf-8")
    rep = parse(p).to_dict()
    assert any(w["code"] == "document.truncated" for w in rep["warnings"])


def test_parse_timeout_is_one_line(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text(REPORT.replace("\n", "") * 20000, "utf-8")
    res = subprocess.run([sys.executable, "-m", "gongkai.cli", "parse", "--timeout", "0.01", str(p)], capture_output=True, text=True, timeout=120)
    assert res.returncode != 0 and res.stderr.startswith(f"error: {p}: timeout") and "Traceback" not in res.stderr


def _swallows_every_exception(path, sha):
    """A parse that catches everything, TimeoutError included: only a budget from outside can stop it."""
    while True:
        try:
            time.sleep(0.05)
        except BaseException:  # noqa: BLE001, S110 - the point of the stand-in
            pass


def _grows(path, sha):
    hold = []
    while True:
        hold.append(bytearray(16 << 20))
        time.sleep(0.01)


def test_the_parse_budget_is_enforced_from_outside_the_parse(tmp_path, monkeypatch):
    """`parse --timeout 1` on a PDF ran 29 s: a broad except swallowed the timeout.  With a budget each file
    is parsed in a worker process, killed from outside past its time or its resident memory."""
    import gongkai.batch
    from gongkai.budget import parse_files

    p = tmp_path / "a.txt"
    p.write_text(REPORT, "utf-8")
    monkeypatch.setattr(gongkai.batch, "parse_one", _swallows_every_exception)
    t = time.perf_counter()
    assert list(parse_files([str(p)], timeout=1.0)) == [(str(p), None, "timeout after 1 s")]
    assert time.perf_counter() - t < 20
    monkeypatch.setattr(gongkai.batch, "parse_one", _grows)
    [(_, rep, reason)] = parse_files([str(p)], mem_mb=200)
    assert rep is None and reason.startswith("too large (over 200 MB of resident memory")


def test_parse_check_and_view_take_a_memory_budget(tmp_path):
    from gongkai.synth.writer import write_corpus

    write_corpus(tmp_path, 1, 5, formats=("txt",), hazards=False)
    p = tmp_path / "big.txt"
    p.write_text(next(tmp_path.glob("*.txt")).read_text("utf-8") * 300, "utf-8")  # a parse of some 100 MB
    for cmd in (["parse"], ["check"], ["view", "-o", str(tmp_path / "a.html")]):
        res = subprocess.run([sys.executable, "-m", "gongkai.cli", *cmd, "--memory-mb", "20", str(p)], capture_output=True,
                             text=True, timeout=120)
        lines = res.stderr.strip().splitlines()
        assert res.returncode != 0 and len(lines) == 1 and lines[0].startswith(f"error: {p}: too large ("), (cmd, res.stderr)


def _docx_with(path, document_xml: bytes, extra: dict | None = None):
    """A minimal DOCX: the given document.xml (and other parts), deflated."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


BODY = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{}</w:body></w:document>')
PARA = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>"


def test_docx_whose_document_xml_inflates_past_the_cap_is_too_large(tmp_path):
    """A few hundred KB that unpack to 80 MB of XML: refused while streaming, not after loading it."""
    import time

    from gongkai.errors import ReadError
    from gongkai.readers import read

    filler = PARA.format("一" * 1000) * 27000
    f = _docx_with(tmp_path / "bomb.docx", BODY.format(filler).encode("utf-8"))
    assert f.stat().st_size < 2_000_000
    t = time.perf_counter()
    with pytest.raises(ReadError, match="too large"):
        read(f)
    assert time.perf_counter() - t < 30


def test_docx_with_a_huge_image_part_reads_only_its_text(tmp_path):
    """An image part of 100 MB (unpacked) is never loaded: python-docx loaded every part."""
    from gongkai.readers import read

    body = BODY.format(PARA.format("一、总体情况") + PARA.format("本年度共公开信息10条。"))
    f = _docx_with(tmp_path / "img.docx", body.encode("utf-8"), {"word/media/image1.png": b"\0" * 100_000_000})
    doc = read(f)
    assert [b.text for b in doc.blocks] == ["一、总体情况", "本年度共公开信息10条。"]


def test_docx_entity_expansion_is_not_resolved(tmp_path):
    """A billion-laughs DTD in document.xml: entities are not expanded (a clear error or plain text, fast)."""
    import time

    from gongkai.errors import ReadError
    from gongkai.readers import read

    dtd = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">'
           + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8)) + "]>")
    f = _docx_with(tmp_path / "laughs.docx", (dtd + BODY.format(PARA.format("&i;"))).encode("utf-8"))
    t = time.perf_counter()
    try:
        doc = read(f)
        assert sum(len(b.text) for b in doc.blocks) < 1000
    except ReadError:
        pass
    assert time.perf_counter() - t < 10


def test_pdf_of_thousands_of_pages_reads_only_the_first_ones(tmp_path, monkeypatch):
    """The page cap applies before pages load: pdfplumber's ``pages`` built every page of the tree first."""
    import pypdfium2 as pdfium

    from gongkai.readers import pdf as pdf_reader

    f = tmp_path / "many.pdf"
    doc = pdfium.PdfDocument.new()
    for _ in range(3000):
        doc.new_page(595, 842)
    doc.save(str(f))
    doc.close()
    walked = []
    real = pdf_reader._first_pages
    monkeypatch.setattr(pdf_reader, "_first_pages", lambda pdf, n: walked.append(n) or real(pdf, n))
    t = time.perf_counter()
    with pytest.raises(ReadError, match="no text layer"):
        pdf_reader.read(str(f), f.read_bytes(), max_pages=50)
    assert walked == [50] and time.perf_counter() - t < 30
    assert pdf_reader._page_count(f.read_bytes()) == 3000


def test_a_crowded_pdf_page_is_read_as_text_without_the_table_finder(tmp_path):
    """40,000 tiny rectangles on one page: pdfplumber's table finder took 15 s here (112 s and 8 GB at
    10⁶); pdfium counts the objects first and the page is read as text, with a warning."""
    from reportlab.pdfgen import canvas

    f = tmp_path / "crowd.pdf"
    c = canvas.Canvas(str(f))
    for i in range(40000):
        c.rect(10 + (i % 200) * 2.8, 10 + (i // 200) * 4, 1, 1)
    c.drawString(72, 820, "report")
    c.save()
    t = time.perf_counter()
    rep = parse(f).to_dict()
    assert time.perf_counter() - t < 10
    assert [p["text"] for p in rep["paragraphs"]] == ["report"]
    assert any(w["code"] == "document.crowded_page" for w in rep["warnings"])
