"""Bad input: one line `error: FILE: reason`, non-zero exit, no traceback."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from fixtures import encrypted_pdf, scanned_pdf

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], capture_output=True, text=True, timeout=180, env=env)


def test_legacy_doc_without_libreoffice(tmp_path):
    p = tmp_path / "old.doc"
    p.write_bytes(OLE_HEADER + b"\x00" * 600)
    env = dict(os.environ, PATH=os.path.dirname(sys.executable))  # no soffice on this PATH
    _one_line_error(run_cli("parse", str(p), env=env), p, "not supported without LibreOffice")


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice is not installed")
def test_broken_legacy_doc_with_libreoffice(tmp_path):
    p = tmp_path / "old.doc"
    p.write_bytes(OLE_HEADER + b"\x00" * 600)
    _one_line_error(run_cli("parse", str(p)), p, "could not convert")


def _one_line_error(res, path, reason):
    assert res.returncode != 0
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith(f"error: {path}: ") and any(r in lines[0] for r in reason.split("|")), lines[0]
    assert "Traceback" not in res.stderr and res.stdout == ""


@pytest.mark.parametrize("name,content,reason", [
    ("empty.pdf", b"", "empty file"),
    ("garbage.txt", bytes(range(256)) * 40, "binary"),
    ("truncated.pdf", b"%PDF-1.4\n1 0 obj<<>>", "corrupt PDF"),
    ("html-error-page.pdf", b"<html><body>404 Not Found</body></html>", ""),
    ("broken.docx", b"PK\x03\x04garbage", "corrupt DOCX"),
    ("notpdf.pdf", b"hello world this is not a pdf", "not a PDF"),
])
def test_bad_files(tmp_path, name, content, reason):
    p = tmp_path / name
    p.write_bytes(content)
    res = run_cli("parse", str(p))
    if name == "html-error-page.pdf":  # an HTML page saved as .pdf is read as HTML, not a report
        assert res.returncode == 0 and "document.not_a_report" in res.stdout
        return
    _one_line_error(res, p, reason)


def test_missing_file_and_directory(tmp_path):
    _one_line_error(run_cli("parse", str(tmp_path / "nope.pdf")), tmp_path / "nope.pdf", "no such file")
    _one_line_error(run_cli("parse", str(tmp_path)), tmp_path, "is a directory")


def test_encrypted_and_scanned_pdf(tmp_path):
    p = encrypted_pdf(tmp_path / "enc.pdf")
    _one_line_error(run_cli("parse", str(p)), p, "encrypted")
    q = scanned_pdf(tmp_path / "scan.pdf")
    _one_line_error(run_cli("parse", str(q)), q, "no text layer (scanned PDF?)")


def test_version_and_help():
    res = run_cli("--version")
    assert res.returncode == 0 and res.stdout.startswith("gongkai ")
    res = run_cli("--help")
    assert res.returncode == 0 and "examples:" in res.stdout and "batch" in res.stdout
