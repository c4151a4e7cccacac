"""Readers: one module per file format, each returning a :class:`gongkai.document.Document`.

:func:`read` sniffs the content (not only the extension) and dispatches.  Any
file that cannot be read raises :class:`gongkai.errors.ReadError` with a one-line
reason.
"""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from ..document import Document
from ..errors import ReadError

MAX_BYTES = 300 * 1024 * 1024


def sniff(data: bytes, suffix: str) -> str:
    """Tell the format from the first bytes; fall back on the extension."""
    head = data[:2048].lstrip()
    if data[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        return "docx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "doc"
    low = head[:512].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in low or b"<body" in low or b"<table" in low:
        return "html"
    if suffix in (".pdf",):
        return "pdf-broken"
    if suffix in (".doc", ".wps"):
        return "doc"
    if suffix in (".htm", ".html", ".shtml", ".xhtml"):
        return "html"
    return "txt"


def read(path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> Document:
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise ReadError(name, "no such file")
    if p.is_dir():
        raise ReadError(name, "is a directory")
    special = not_a_regular_file(p)
    if special:  # never opened: a FIFO would block, /dev/zero would never end
        raise ReadError(name, special)
    try:
        size = p.stat().st_size
        if size == 0:
            raise ReadError(name, "empty file")
        if size > max_bytes:
            raise ReadError(name, f"file too large ({size} bytes, limit {max_bytes})")
        data = _read_capped(p, max_bytes)
    except PermissionError:
        raise ReadError(name, "permission denied") from None
    except IsADirectoryError:
        raise ReadError(name, "is a directory") from None
    except OSError as e:
        raise ReadError(name, f"cannot read ({e.strerror or e})") from None
    if not data.strip():
        raise ReadError(name, "empty file")
    doc = _read_bytes(name, data, p.suffix.lower())
    doc.sha256 = hashlib.sha256(data).hexdigest()
    return doc


def _read_capped(p: Path, max_bytes: int) -> bytes:
    """The file's bytes, in steps: a file that grows past ``max_bytes`` while being read is too large."""
    chunks, n = [], 0
    with open(p, "rb") as f:
        while chunk := f.read(1 << 20):
            n += len(chunk)
            if n > max_bytes:
                raise ReadError(str(p), f"file too large (over {max_bytes} bytes)")
            chunks.append(chunk)
    return b"".join(chunks)


def not_a_regular_file(p: str | os.PathLike) -> str | None:
    """Why ``p`` is not a file to open (a FIFO, a device such as a link to /dev/zero, a socket), or None."""
    try:
        mode = os.stat(p).st_mode
    except OSError as e:
        return f"cannot read ({e.strerror or e})"
    if stat.S_ISREG(mode):
        return None
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else \
        "a socket" if stat.S_ISSOCK(mode) else "a directory" if stat.S_ISDIR(mode) else "a special file"
    return f"{kind}, not a regular file"


def is_gongkai_output(data: bytes) -> bool:
    """JSON that gongkai wrote (a report, or a line of reports.jsonl): not a report to read."""
    head = data.lstrip()[:4096]
    return head.startswith(b"{") and b'"schema"' in head and b"gongkai.report/" in head


def _read_bytes(name: str, data: bytes, suffix: str) -> Document:
    if is_gongkai_output(data):
        raise ReadError(name, "this is gongkai's JSON output, not a report (gongkai check and gongkai view read it)")
    fmt = sniff(data, suffix)
    if fmt == "pdf":
        from . import pdf

        return pdf.read(name, data)
    if fmt == "pdf-broken":
        raise ReadError(name, "not a PDF (no %PDF header): corrupt or mislabelled file")
    if fmt == "docx":
        from . import docx

        return docx.read(name, data)
    if fmt == "doc":
        return _via_libreoffice(name, data)
    if fmt == "html":
        from . import html

        return html.read(name, data)
    from . import text

    return text.read(name, data)


def _via_libreoffice(name: str, data: bytes) -> Document:
    """Legacy .doc/.wps: converted to DOCX with LibreOffice when it is installed, else a clear error."""
    import shutil
    import subprocess
    import tempfile

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise ReadError(name, "legacy Word .doc/.wps is not supported without LibreOffice: convert it to .docx or PDF first")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "input.doc"
        src.write_bytes(data)
        try:
            subprocess.run([exe, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                            "--convert-to", "docx", "--outdir", tmp, str(src)],
                           capture_output=True, timeout=120, check=False)
        except (OSError, subprocess.SubprocessError) as e:
            raise ReadError(name, f"LibreOffice could not convert it ({type(e).__name__})") from None
        out = Path(tmp) / "input.docx"
        if not out.exists():
            raise ReadError(name, "corrupt .doc/.wps (LibreOffice could not convert it)")
        from . import docx

        doc = docx.read(name, out.read_bytes())
        doc.format = "doc"
        return doc
