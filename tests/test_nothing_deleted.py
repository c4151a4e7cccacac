"""Issue 15: nothing in a document disappears silently.

Every non-blank character of a document's text (as its format stores it) ends up in a paragraph, a
heading, a table cell, or in ``dropped`` with a reason.  Checked on the generated corpus in every
format and on every real report in ../shared (skipped when absent).
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from conftest import REALDOCS

from gongkai.readers import read
from gongkai.readers.encoding import clean, decode


def _visible(s: str) -> Counter:
    return Counter(ch for ch in unicodedata.normalize("NFC", s) if not ch.isspace() and ch.isprintable())


def source_text(path: Path) -> str:
    """The text the file stores, independently of gongkai's readers."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return clean(decode(data, str(path)))
    if suffix in (".html", ".htm"):
        import lxml.html

        text = re.sub(r"^\s*<\?xml[^>]*\?>", "", clean(decode(data, str(path))))
        root = lxml.html.document_fromstring(text)
        for el in list(root.iter()):
            if not isinstance(el.tag, str) or el.tag.lower() in ("script", "style", "noscript", "head", "title", "meta", "link"):
                if el.getparent() is not None:
                    el.drop_tree()
        return root.text_content()
    if suffix == ".docx":
        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
        return "\n".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", xml))
    if suffix == ".pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        out = []
        for page in pdf:
            tp = page.get_textpage()
            out.append(tp.get_text_range())
            tp.close()
            page.close()
        pdf.close()
        return "\n".join(out)
    raise ValueError(path)


def kept_text(path: Path) -> str:
    doc = read(path)
    parts = [b.text for b in doc.blocks if b.kind != "table"]
    parts += [c.text for b in doc.blocks if b.kind == "table" for row in b.rows for c in row]
    parts += [d["text"] for d in doc.dropped]
    return "\n".join(parts)


def missing(path: Path) -> str:
    import html

    lost = _visible(html.unescape(source_text(path))) - _visible(kept_text(path))
    return "".join(sorted(lost.elements()))


def test_every_generated_document_keeps_every_character(synth_corpus):
    docs = [p for p in sorted(synth_corpus.iterdir()) if not p.name.endswith(".json")]
    lost = {p.name: m for p in docs if (m := missing(p))}
    assert not lost, lost


def _real_files() -> list[Path]:
    if not REALDOCS.is_dir():
        return []
    return sorted(p for p in REALDOCS.glob("**/*") if p.suffix.lower() in (".txt", ".pdf", ".html", ".htm", ".docx")
                  and p.name not in ("README.md",))


@pytest.mark.realdocs
def test_every_real_document_keeps_every_character():
    files = _real_files()
    if not files:
        pytest.skip("../shared/realdocs is absent")
    lost = {str(p.relative_to(REALDOCS)): m[:80] for p in files if (m := missing(p))}
    assert not lost, lost


def test_dropped_page_numbers_and_chrome_are_listed(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text("标题: 某县2020年政府信息公开工作年度报告\n========== 正文 ==========\n"
                 "一、总体情况\n今年我县推进政务公开。\n- 2 -\n二、主动公开政府信息情况\n公开信息100条。附件下载\n", "utf-8")
    doc = read(f)
    reasons = {d["reason"]: d["text"] for d in doc.dropped}
    assert reasons.get("page_number") == "- 2 -"
    assert reasons.get("crawler_chrome") == "附件下载"
    assert "crawler_header" in reasons
    assert not missing(f)


def test_docx_content_control_text_is_a_paragraph_with_a_warning(tmp_path):
    """A paragraph wrapped in a content control (<w:sdt>) was skipped: now a paragraph and a warning."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    d.add_paragraph("一、总体情况")
    sdt = parse_xml('<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:sdtContent>'
                    "<w:p><w:r><w:t>控件中的正文段落。</w:t></w:r></w:p></w:sdtContent></w:sdt>")
    d.element.body.insert(1, sdt)
    f = tmp_path / "sdt.docx"
    d.save(str(f))
    doc = read(f)
    assert "控件中的正文段落。" in [b.text for b in doc.blocks]
    assert any(w["code"] == "document.unplaced_block" for w in doc.warnings)
    assert not missing(f)


@pytest.mark.slow
def test_a_large_generated_corpus_keeps_every_character(tmp_path):
    """150 generated reports, every template and format (Word-layout PDFs too), hazards on."""
    from gongkai.synth.writer import write_corpus

    write_corpus(tmp_path, 150, 909, formats=("pdf", "docx", "html", "txt", "wordpdf"), pdf_routes=("reportlab",))
    docs = [p for p in sorted(tmp_path.iterdir()) if not p.name.endswith(".json")]
    lost = {p.name: m[:60] for p in docs if (m := missing(p))}
    assert not lost, lost
