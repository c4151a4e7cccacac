"""PDFs typeset the way agencies make them: the official document layout, exported from a word processor.

Most reports in an archive are Word/WPS documents in the official layout (GB/T 9704 and the templates
derived from it) exported to PDF: 仿宋/宋体 body at 小四–三号 (12–16 pt) on a fixed line pitch of
28–31 pt or 1.5 lines, a first-line indent of two characters (or none), justified lines, 黑体 headings,
楷体 sub-headings, a large centred title that wraps over two lines (or is set as two lines: the agency,
then the year and 政府信息公开工作年度报告), page numbers ``— 3 —`` and sometimes a running header.

:class:`OfficialLayout` draws these parameters for one document.  Two routes render it:

* ``libreoffice``: the report written as DOCX with those styles (python-docx) and converted with
  ``soffice --headless --convert-to pdf``, as agencies' own exports are (:func:`write_docx`,
  :func:`convert_with_libreoffice`, which converts a whole batch in one LibreOffice start);
* ``reportlab``: the same parameters emulated with reportlab, for machines without LibreOffice
  (:func:`render_reportlab`).
"""
from __future__ import annotations

import html as htmlmod
import random
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from . import grids
from .generate import SynthReport
from .render import docx_table, grid_for, pdf_table

PAGE_NUMBER_STYLES = ("— {n} —", "- {n} -", "—{n}—", "第{n}页")


@dataclass
class OfficialLayout:
    """The typesetting of one document (all sizes in points)."""

    route: str
    body_size: float
    pitch: float | None  # a fixed line pitch; None: 1.5 lines
    indent_chars: int
    title_size: float
    title_split: bool  # the title set as two centred lines (agency / year and report), else wrapped by width
    heading_indent: bool
    page_number: str
    running_header: bool
    margins_mm: tuple[float, float, float, float]  # top, bottom, left, right

    @classmethod
    def draw(cls, rng: random.Random, route: str) -> OfficialLayout:
        size = rng.choice([12.0, 12.0, 14.0, 15.0, 16.0])
        pitch = None if rng.random() < 0.2 else float(rng.choice([28, 28.5, 29, 30, 31])) if size < 16 else float(rng.choice([28, 29, 30]))
        return cls(route=route, body_size=size, pitch=pitch, indent_chars=0 if rng.random() < 0.15 else 2,
                   title_size=float(rng.choice([18, 20, 22])), title_split=rng.random() < 0.5,
                   heading_indent=rng.random() < 0.6, page_number=rng.choice(PAGE_NUMBER_STYLES),
                   running_header=rng.random() < 0.3,
                   margins_mm=(rng.choice([25.0, 30.0, 37.0]), rng.choice([25.0, 30.0, 35.0]), rng.choice([26.0, 28.0]),
                               rng.choice([24.0, 26.0])))

    def dict(self) -> dict:
        return asdict(self)


def title_lines(r: SynthReport, lay: OfficialLayout) -> list[str]:
    """The title as printed: one paragraph that wraps, or the agency and the rest on two lines."""
    if lay.title_split and r.title.startswith(r.org) and len(r.org) < len(r.title):
        return [r.org, r.title[len(r.org):]]
    return [r.title]


# ---- the LibreOffice route --------------------------------------------------------------------

def _east_asian(run, name: str) -> None:
    from docx.oxml.ns import qn

    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _page_number_footer(section, style: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    before, after = style.split("{n}")
    p = section.footer.paragraphs[0]
    p.alignment = 1
    p.add_run(before)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    field.append(r)
    p._p.append(field)
    p.add_run(after)


def write_docx(r: SynthReport, hz, lay: OfficialLayout, path: Path) -> None:
    """The report as a DOCX in the official layout (the document agencies export to PDF)."""
    import docx
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Mm, Pt

    d = docx.Document()
    sec = d.sections[0]
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = (Mm(x) for x in lay.margins_mm)
    _page_number_footer(sec, lay.page_number)
    if lay.running_header:
        sec.header.paragraphs[0].text = r.org
        sec.header.paragraphs[0].alignment = 1

    def paragraph(text: str, font: str, size: float, indent: bool, align: int, bold: bool = False, spaced: bool = True) -> None:
        p = d.add_paragraph()
        pf = p.paragraph_format
        pf.alignment = align
        pf.space_before = pf.space_after = Pt(0)
        if lay.pitch:
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = Pt(lay.pitch * max(1.0, size / lay.body_size))
        else:
            pf.line_spacing = 1.5
        if indent:
            pf.first_line_indent = Pt(lay.indent_chars * size)
        if spaced and not lay.indent_chars:  # without first-line indents, paragraphs are set apart by space
            pf.space_after = Pt(0.5 * (lay.pitch or 1.5 * size))
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        _east_asian(run, font)

    def write_cell(cell, text: str) -> None:
        run = cell.paragraphs[0].add_run(text)
        run.font.size = Pt(8)
        _east_asian(run, "仿宋_GB2312")

    for el in r.body:
        if el[0] == "p":
            _, label, text, heading = el
            if heading and label == "preamble":
                for line in title_lines(r, lay):
                    paragraph(line, "方正小标宋简体", lay.title_size, False, 1, spaced=False)
                d.add_paragraph()  # the blank line under the title
            elif heading:
                paragraph(text, "黑体", lay.body_size, lay.heading_indent and lay.indent_chars > 0, 3)
            elif text.startswith("（") and "）" in text[:5]:
                paragraph(text, "楷体_GB2312", lay.body_size, lay.indent_chars > 0, 3)
            else:
                paragraph(text, "仿宋_GB2312", lay.body_size, lay.indent_chars > 0, 3)
            continue
        docx_table(d, grids.place(grid_for(r, el[1], hz)), write_cell)
        d.add_paragraph()
    d.save(str(path))


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(docx_paths: list[Path], timeout: float = 900) -> None:
    """Convert DOCX files to PDF beside them, in one LibreOffice start; the DOCX files are removed."""
    exe = libreoffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    by_dir: dict[Path, list[Path]] = {}
    for p in docx_paths:
        by_dir.setdefault(p.parent, []).append(p)
    with tempfile.TemporaryDirectory() as profile:
        for folder, paths in by_dir.items():
            subprocess.run([exe, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                            "--convert-to", "pdf", "--outdir", str(folder), *map(str, paths)],
                           capture_output=True, timeout=timeout, check=False)
    missing = [p.name for p in docx_paths if not p.with_suffix(".pdf").exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not convert: {', '.join(missing[:5])}")
    for p in docx_paths:
        p.unlink()


# ---- the reportlab route ----------------------------------------------------------------------

def _reportlab_fonts(rng: random.Random) -> tuple[str, str]:
    """Body and heading font names: an installed CJK TrueType font embedded where there is one
    (as a word processor embeds its fonts), else the built-in CID fonts."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    for path in ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"):
        if Path(path).exists() and rng.random() < 0.5:
            if "WQY" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("WQY", path, subfontIndex=0))
            return "WQY", "WQY"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light", "STSong-Light"


def render_reportlab(r: SynthReport, hz, lay: OfficialLayout, path: Path, rng: random.Random) -> None:
    """The official layout emulated with reportlab: fixed pitch, first-line indent, justified, centred title."""
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    body_font, head_font = _reportlab_fonts(rng)
    leading = lay.pitch or 1.5 * 1.3 * lay.body_size
    indent = lay.indent_chars * lay.body_size
    body = ParagraphStyle("body", fontName=body_font, fontSize=lay.body_size, leading=leading, firstLineIndent=indent,
                          alignment=TA_JUSTIFY, wordWrap="CJK", spaceAfter=0 if indent else 0.5 * leading)
    head = ParagraphStyle("head", parent=body, fontName=head_font, firstLineIndent=indent if lay.heading_indent else 0)
    title = ParagraphStyle("title", fontName=head_font, fontSize=lay.title_size, leading=max(leading, 1.4 * lay.title_size),
                           alignment=TA_CENTER, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=body_font, fontSize=8, leading=10, wordWrap="CJK", alignment=1)
    story: list = []
    for el in r.body:
        if el[0] == "p":
            _, label, text, heading = el
            esc = htmlmod.escape(text)
            if heading and label == "preamble":
                story.extend(Paragraph(htmlmod.escape(line), title) for line in title_lines(r, lay))
                story.append(Spacer(1, leading))
            else:
                story.append(Paragraph(esc, head if heading else body))
            continue
        story.append(pdf_table(grids.place(grid_for(r, el[1], hz)), el[1], hz, body_font, cell))
        story.append(Spacer(1, leading))
    top, bottom, left, right = (x * mm for x in lay.margins_mm)

    def on_page(canvas, doc):
        canvas.setFont(body_font, 12)
        canvas.drawCentredString(A4[0] / 2, bottom / 2, lay.page_number.format(n=doc.page))
        if lay.running_header:
            canvas.drawCentredString(A4[0] / 2, A4[1] - top / 2, r.org)

    doc = SimpleDocTemplate(str(path), pagesize=A4, topMargin=top, bottomMargin=bottom, leftMargin=left, rightMargin=right,
                            title=r.title)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)

