"""A hostile corpus, generated: every case of issue 20's table as a file, with its expected outcome and budget.

Each case builds its file(s) in a folder and says what ``gongkai parse`` must give: ``ok`` (a report; with
``warning`` set, that warning code among its warnings) or the words its one-line error must contain.  The
budgets are the issue's: 30 s and 1.5 GB of resident memory per file.  Large cases are ``slow`` (``make fuzz``).
"""
from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SECONDS = 30.0
RESIDENT_MB = 1536

REPORT = ("测试县人民政府2020年政府信息公开工作年度报告\n一、总体情况\n我县全年主动公开政府信息300条。\n"
          "五、存在的主要问题及改进情况\n人员不足。\n")


@dataclass(frozen=True)
class Case:
    name: str  # the file the case writes (str, or bytes for a name that is not UTF-8)
    make: Callable[[Path], Path]
    expect: str  # "ok", or words of the one-line error
    warning: str = ""  # with "ok": a warning code the report must carry
    slow: bool = False
    batch: str = ""  # the reason batch records instead, when it differs (a file it skips unopened)


# --- PDF built by hand: the object layout is the attack -------------------------------------------

def _body(out: io.BytesIO, objects: list[bytes]) -> list[int]:
    """The header and the numbered objects (object 1 is the catalog); their offsets."""
    out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    return offsets


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies, with a correct cross-reference table."""
    out = io.BytesIO()
    offsets = _body(out, objects)
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % off for off in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"", level: int = 6) -> bytes:
    z = zlib.compress(data, level)
    return b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(z), extra) + z + b"\nendstream"


def _page_objects(content: bytes) -> list[bytes]:
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    return [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            content, font]


def content_bomb(path: Path, inflated_mb: int = 600) -> Path:
    """A small PDF whose one content stream inflates to ``inflated_mb`` MB (spaces: valid, empty operators)."""
    comp = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    z = b"".join(comp.compress(chunk) for _ in range(inflated_mb)) + comp.flush()
    content = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(z) + z + b"\nendstream"
    path.write_bytes(_pdf(_page_objects(content)))
    return path


def tiny_rectangles(path: Path, n: int = 1_000_000) -> Path:
    """One page drawing ``n`` tiny filled rectangles, and a line of text."""
    ops = b"".join(b"%d %d 0.4 0.4 re f\n" % (10 + (i % 1000) * 0.5, 10 + (i // 1000) * 0.8) for i in range(n))
    content = _stream(b"BT /F1 12 Tf 72 800 Td (report) Tj ET\n" + ops)
    path.write_bytes(_pdf(_page_objects(content)))
    return path


def many_pages(path: Path, n: int = 400_000) -> Path:
    """``n`` pages, all sharing one content stream, the page objects packed in compressed object streams."""
    head = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b"BT /F1 12 Tf 72 800 Td (report) Tj ET",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    first = len(head) + 1  # page objects are numbered from here, in object streams of 1,000
    per = 1000
    nstreams = (n + per - 1) // per
    kids = b" ".join(b"%d 0 R" % (first + nstreams + i) for i in range(n))
    head[1] = b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n
    head[2] = _stream(head[2])
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"
    objstms = []
    for s in range(nstreams):
        nums = range(first + nstreams + s * per, first + nstreams + min(n, (s + 1) * per))
        index = b" ".join(b"%d %d" % (num, k * len(page + b" ")) for k, num in enumerate(nums)) + b" "
        body = b" ".join(page for _ in nums)
        objstms.append(_stream(index + body, b"/Type /ObjStm /N %d /First %d " % (len(nums), len(index))))
    # a cross-reference stream: free 0, plain objects, object streams, then compressed entries
    out = io.BytesIO()
    offsets = _body(out, head + objstms)
    total = first + nstreams + n
    rows = [b"\x00\x00\x00\x00\x00\xff\xff"]
    rows += [b"\x01" + off.to_bytes(4, "big") + b"\x00\x00" for off in offsets]
    rows += [b"\x02" + (first + s).to_bytes(4, "big") + k.to_bytes(2, "big")
             for s in range(nstreams) for k in range(min(per, n - s * per))]
    xref_num = total
    rows.append(b"\x01" + out.tell().to_bytes(4, "big") + b"\x00\x00")
    data = zlib.compress(b"".join(rows))
    xref_at = out.tell()
    out.write(b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d /Filter /FlateDecode >>\nstream\n"
              % (xref_num, total + 1, len(data)) + data + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at)
    path.write_bytes(out.getvalue())
    return path


# --- DOCX ------------------------------------------------------------------------------------------

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>'
       '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
       'wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
         'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _paras(text: str) -> str:
    return "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text.splitlines())


def _docx(path: Path, body: str, extra: Callable[[zipfile.ZipFile], None] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>{body}'
                                        "</w:body></w:document>")
        if extra:
            extra(z)
    return path


def docx_grid_span(path: Path) -> Path:
    cell = '<w:tc><w:tcPr><w:gridSpan w:val="50000000"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>'
    return _docx(path, _paras(REPORT) + f"<w:tbl><w:tr>{cell}</w:tr><w:tr>{cell}</w:tr></w:tbl>")


def docx_huge_document_xml(path: Path, mb: int = 200) -> Path:
    para = "<w:p><w:r><w:t>政务公开工作稳步推进。</w:t></w:r></w:p>"
    body = _paras(REPORT) + para * (mb * (1 << 20) // len(para.encode()))
    return _docx(path, body)


def docx_huge_image(path: Path, mb: int = 1900) -> Path:
    def image(z: zipfile.ZipFile) -> None:
        with z.open("word/media/image1.png", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(mb):
                f.write(chunk)
    return _docx(path, _paras(REPORT), image)


# --- HTML and text ---------------------------------------------------------------------------------

def html_spans(path: Path) -> Path:
    cells = '<td rowspan="65534" colspan="1000">1</td>' * 50
    path.write_text(f"<html><body>{REPORT.replace(chr(10), '<br>')}<table><tr>{cells}</tr>" + "<tr><td>2</td></tr>" * 200
                    + "</table></body></html>", "utf-8")
    return path


def html_digits(path: Path) -> Path:
    path.write_text(f"<html><body><p>{REPORT}</p><p>{'7' * 40_000}</p></body></html>", "utf-8")
    return path


def text_blank_lines(path: Path) -> Path:
    path.write_text(REPORT + "\n" * 160_000 + "结束。\n", "utf-8")
    return path


def xhtml_declared(path: Path) -> Path:
    body = "".join(f"<p>{line}</p>" for line in REPORT.splitlines())
    path.write_bytes(('<?xml version="1.0" encoding="gb2312"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 '
                      'Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html xmlns='
                      f'"http://www.w3.org/1999/xhtml"><head><title>年度报告</title></head><body>{body}</body></html>')
                     .encode("gb18030"))
    return path


# --- names and special files -----------------------------------------------------------------------

def gbk_name(path: Path) -> Path:
    target = Path(os.fsdecode(os.fsencode(path.parent) + b"/" + "年度报告".encode("gbk") + b".txt"))
    target.write_text(REPORT.replace("300", "301"), "utf-8")  # content of its own: a batch parses each content once
    return target


def script_name(path: Path) -> Path:
    path.write_text(REPORT.replace("300", "302"), "utf-8")
    return path


def link_out(path: Path) -> Path:
    """A link to a file outside the folder the case is written in (an archive's link to someone's home)."""
    outside = path.parent.parent / f"outside-{path.parent.name}"
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text(REPORT.replace("300", "303"), "utf-8")
    os.symlink(outside / "secret.txt", path)
    return path


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def dev_zero(path: Path) -> Path:
    os.symlink("/dev/zero", path)
    return path


CASES = [
    Case("gbk-name.txt", gbk_name, "ok"),
    Case("javascript:alert(1).txt", script_name, "ok"),
    Case("link-out.txt", link_out, "ok", batch="skipped: a link out of the input folder"),
    Case("pipe.txt", fifo, "a FIFO, not a regular file", batch="skipped: a FIFO"),
    Case("zero.txt", dev_zero, "a device, not a regular file", batch="skipped: a link out of the input folder"),
    Case("gridspan.docx", docx_grid_span, "ok"),
    Case("big-document-xml.docx", docx_huge_document_xml, "too large", slow=True),
    Case("big-image.docx", docx_huge_image, "ok", slow=True),
    Case("content-bomb.pdf", content_bomb, "too large"),
    Case("tiny-rectangles.pdf", tiny_rectangles, "ok", warning="document.crowded_page", slow=True),
    Case("many-pages.pdf", many_pages, "ok", warning="document.truncated", slow=True),
    Case("spans.html", html_spans, "ok"),
    Case("digits.html", html_digits, "ok"),
    Case("blank-lines.txt", text_blank_lines, "ok"),
    Case("declared.xhtml", xhtml_declared, "ok"),
]
