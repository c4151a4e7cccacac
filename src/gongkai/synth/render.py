"""Write a :class:`SynthReport` in one format, with layout hazards drawn at random.

Formats: ``pdf`` (reportlab, the built-in CID font STSong-Light: ruled tables that
cross page breaks, vertical labels, page numbers, running headers, fake-bold
headings, a bordered prose box), ``docx`` (python-docx, merged cells), ``html``
(UTF-8 or GBK with or without a declared charset, site chrome, a layout table,
traditional characters), ``txt`` (one cell per line, glued crawler text, or
tab-separated rows).
"""
from __future__ import annotations

import html as htmlmod
import random
from pathlib import Path

from ..tables.spec import current
from . import grids
from .generate import PH, SynthReport

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


class Hazards:
    def __init__(self, rng: random.Random, fmt: str, on: bool = True):
        def p(x: float) -> bool:
            return on and rng.random() < x

        self.boxed = False  # set once the one boxed paragraph is drawn
        self.blank_cells = p(0.15)
        self.fullwidth = p(0.15)
        self.slash = p(0.1)
        self.page_numbers = p(0.8)
        self.running_header = p(0.4)
        self.fake_bold = p(0.4)
        self.prose_box = p(0.3)
        self.vertical = p(0.6)
        self.split_label = p(0.5)  # table 3 cut by a page break inside a merged label
        self.chrome = p(0.8)
        self.gbk = p(0.5)
        self.declare_charset = p(0.5)
        self.traditional = p(0.1)
        self.layout_table = p(0.3)
        self.txt_mode = rng.choice(["cells", "cells", "glued", "tabs"]) if on else "cells"
        # how a content system flattened the Word tables: one <p>/<div> per cell, <br>-separated cells,
        # a table split in several <table>s with the header repeated, <td>s holding several <p>s
        # (drawn last, so that the other hazards of a seed stay what they were)
        self.html_shape = rng.choice(["table", "table", "p", "div", "br", "split", "td_p"]) if on else "table"
        if fmt == "txt" and self.txt_mode == "glued":
            # an empty cell leaves no trace in glued crawler text: nobody can recover it
            self.blank_cells = False
        self.rng = rng
        self.blanked: set[str] = set()

    def fmt_for(self, table: str):
        rng = self.rng

        def fmt(v, key):
            if v is None:
                return ""
            if self.blank_cells and rng.random() < 0.04:
                self.blanked.add(f"{table}.{key}")
                return "/" if self.slash else ""
            s = str(v)
            if key.endswith("change") and isinstance(v, int) and v > 0 and rng.random() < 0.5:
                s = "+" + s
            if self.fullwidth and rng.random() < 0.3:
                s = s.translate(FULLWIDTH)
            return s
        return fmt

    def dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if k not in ("rng", "blanked")}


def grid_for(r: SynthReport, name: str, hz: Hazards):
    return grids.grid(name, r.tables[name], hz.fmt_for(name))


# ---- text ------------------------------------------------------------------------------------

def render_txt(r: SynthReport, hz: Hazards) -> bytes:
    mode = hz.txt_mode
    if mode == "glued":
        parts = []
        for el in r.body:
            if el[0] == "p":
                parts.append(el[2])
            else:
                M = grids.place(grid_for(r, el[1], hz))
                cells = [c[0] for row in M for c in row if c]
                parts.append("".join(cells))
        head = f"标题: {r.title}\n发布时间: {r.year + 1}-01-{hz.rng.randint(10, 28)} 09:30\n栏目: 政府信息公开年报\n========== 正文 ==========\n"
        return (head + "".join(parts) + "\n").encode("utf-8")
    lines = []
    for el in r.body:
        if el[0] == "p":
            lines.append(el[2])
            continue
        M = grids.place(grid_for(r, el[1], hz))
        for row in M:
            cells = []
            reach = 0  # columns still covered by the colspan of the last origin cell in this row
            for c in row:
                if c is None:
                    if reach > 0 and mode == "cells":
                        reach -= 1
                        continue  # a web copy prints a merged cell once
                    reach -= 1
                    cells.append("")
                else:
                    reach = c[2] - 1
                    cells.append(c[0] if c[0] != "" else " ")
            # covered slots after the last origin cell are dropped (a web copy does not print them)
            while mode == "cells" and cells and cells[-1] == "" and len(cells) > 1:
                cells.pop()
            if mode == "cells":
                lines.extend("\t" + x for x in cells)
                lines.append("")
            else:
                lines.append("\t".join(cells))
        lines.append("")
    text = "\n".join(lines) + "\n"
    enc = "gb18030" if hz.gbk else "utf-8"
    return text.encode(enc)


# ---- HTML ------------------------------------------------------------------------------------

def render_html(r: SynthReport, hz: Hazards) -> bytes:
    conv = None
    if hz.traditional:
        from opencc import OpenCC

        conv = OpenCC("s2t").convert
    esc = htmlmod.escape
    body = []
    for el in r.body:
        if el[0] == "p":
            _, label, text, heading = el
            if heading and label != "preamble":
                body.append(f"<p style=\"font-weight:bold\">{esc(text)}</p>")
            elif heading:
                body.append(f"<h1 class=\"title\">{esc(text)}</h1>")
            else:
                body.append(f"<p style=\"text-indent:2em\">{esc(text)}</p>")
            continue
        body.append(_html_table(grid_for(r, el[1], hz), hz))
    content = "\n".join(body)
    if conv:
        content = conv(content)
    ch = PH["chrome"]
    enc = "gbk" if hz.gbk else "utf-8"
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={enc}">' if hz.declare_charset else ""
    nav = "".join(f"<li><a href=\"#\">{x}</a></li>" for x in ch["nav"])
    footer = "".join(f"<span>{x.format(org=r.org, siteid=hz.rng.randint(1000000000, 9999999999))}</span>" for x in ch["footer"])
    share = "".join(f"<a href=\"#\">{x}</a>" for x in ch["share"])
    article = f'<div class="article" id="zoom">{content}</div>'
    if hz.layout_table:
        article = f'<table width="100%" class="layout"><tr><td>{article}</td></tr></table>'
    if hz.chrome:
        page = (f"<html><head>{meta}<title>{esc(r.title)}</title></head><body>"
                f"<div class=\"header\"><div class=\"logo\">{esc(r.org)}</div><ul class=\"nav\">{nav}</ul></div>"
                f"<div class=\"breadcrumb\">{ch['crumb']}</div>{article}<div class=\"share\">{share}</div>"
                f"<div class=\"footer\">{footer}</div></body></html>")
    else:
        page = f"<html><head>{meta}<title>{esc(r.title)}</title></head><body>{article}</body></html>"
    return page.encode("gb18030" if enc == "gbk" else "utf-8")


def _html_table(grid, hz: Hazards) -> str:
    """One table in the shape ``hz.html_shape``."""
    esc = htmlmod.escape
    shape = hz.html_shape
    if shape in ("p", "div", "br"):
        cells = [esc(text) or "&nbsp;" for row in grid for text, _, _ in row]  # an empty cell keeps its block
        if shape == "br":
            return "<p>" + "<br/>".join(f"<span>{c}</span>" for c in cells) + "</p>"
        return "".join(f"<{shape}>{c}</{shape}>" for c in cells)

    def tr(row) -> str:
        tds = []
        for text, rs, cs in row:
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            if shape == "td_p" and len(text) > 6:
                k = len(text) // 2
                inner = f"<p>{esc(text[:k])}</p><p>{esc(text[k:])}</p>"  # a label Word wrapped in its cell
            else:
                inner = esc(text)
            tds.append(f"<td{attrs}>{inner}</td>")
        return "<tr>" + "".join(tds) + "</tr>"

    table = '<table border="1" cellspacing="0" class="MsoTableGrid">{}</table>'
    if shape == "split" and len(grid) > 6:
        cut = _safe_cut(grid)
        if cut:
            head = grid[:_header_rows(grid)]
            return table.format("".join(map(tr, grid[:cut]))) + table.format("".join(map(tr, head + grid[cut:])))
    return table.format("".join(map(tr, grid)))


def _header_rows(grid) -> int:
    """Rows before the first row that holds a figure: the header a split table repeats."""
    for i, row in enumerate(grid):
        if any(text and text.lstrip("+-").replace(".", "").isdigit() for text, _, _ in row):
            return i
    return 0


def _safe_cut(grid) -> int | None:
    """A row where the table can be cut in two: no row span crosses it, past the header."""
    start = _header_rows(grid) + 2
    for cut in range(len(grid) // 2, len(grid) - 1):
        if cut < start:
            continue
        if all(i + rs <= cut for i, row in enumerate(grid[:cut]) for _, rs, _ in row):
            return cut
    return None


# ---- DOCX ------------------------------------------------------------------------------------

def render_docx(r: SynthReport, hz: Hazards, path: Path) -> None:
    import docx
    from docx.shared import Pt

    d = docx.Document()
    for el in r.body:
        if el[0] == "p":
            _, label, text, heading = el
            p = d.add_paragraph()
            run = p.add_run(text)
            run.bold = heading
            if not heading:
                p.paragraph_format.first_line_indent = Pt(24)
            continue
        docx_table(d, grids.place(grid_for(r, el[1], hz)))
    d.save(str(path))


def docx_table(d, M: list[list], write_cell=None) -> None:
    """A placed grid as a Word table with merged cells; ``write_cell(cell, text)`` styles the text."""
    t = d.add_table(rows=len(M), cols=len(M[0]))
    t.style = "Table Grid"
    for ri, row in enumerate(M):
        for ci, c in enumerate(row):
            if c is None:
                continue
            text, rs, cs = c
            cell = t.cell(ri, ci)
            if rs > 1 or cs > 1:
                cell = cell.merge(t.cell(ri + rs - 1, ci + cs - 1))
            if write_cell is None:
                cell.text = text
            else:
                write_cell(cell, text)


# ---- PDF -------------------------------------------------------------------------------------

def render_pdf(r: SynthReport, hz: Hazards, path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    font = "STSong-Light"
    body = ParagraphStyle("b", fontName=font, fontSize=12, leading=20, firstLineIndent=24, wordWrap="CJK", alignment=0)
    title_st = ParagraphStyle("t", fontName=font, fontSize=16, leading=26, alignment=1, wordWrap="CJK")
    cell_st = ParagraphStyle("c", fontName=font, fontSize=8, leading=10, wordWrap="CJK", alignment=1)

    class BoldLine(Flowable):
        """A heading printed twice, slightly offset: fake bold, as many real PDFs do."""

        def __init__(self, text):
            super().__init__()
            self.text = text
            self.height = 22

        def wrap(self, aw, ah):
            self.width = aw
            return aw, self.height

        def draw(self):
            c = self.canv
            c.setFont(font, 12)
            c.drawString(0, 6, self.text)
            c.drawString(0.3, 6, self.text)

    story = []
    for el in r.body:
        if el[0] == "p":
            _, label, text, heading = el
            esc = htmlmod.escape(text)
            if heading and label == "preamble":
                story.append(Paragraph(esc, title_st))
                story.append(Spacer(1, 8))
            elif heading:
                if hz.fake_bold:
                    story.append(BoldLine(text))
                else:
                    story.append(Paragraph(esc, ParagraphStyle("h", parent=body, firstLineIndent=0)))
            elif hz.prose_box and label == "preamble" and not hz.boxed:
                hz.boxed = True
                box = Table([[Paragraph(esc, body)]], colWidths=[160 * mm])
                box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, colors.black)]))
                story.append(box)
            else:
                story.append(Paragraph(esc, body))
            continue
        M = grids.place(grid_for(r, el[1], hz))
        parts = [M]
        if hz.split_label and el[1] in current().tables and current()[el[1]].layout["kind"] == "tree":
            k = next((i for i, row in enumerate(M) if any(c and c[0].startswith("2.没有现成信息") for c in row)), None)
            if k:
                parts = list(grids.split_rows(M, k))
        for n_part, part in enumerate(parts):
            if n_part:
                story.append(PageBreak())
            story.append(pdf_table(part, el[1], hz, font, cell_st))
        story.append(Spacer(1, 6))

    def on_page(canvas, doc):
        canvas.setFont(font, 9)
        if hz.page_numbers:
            canvas.drawCentredString(A4[0] / 2, 12 * mm, f"- {doc.page} -")
        if hz.running_header:
            canvas.drawCentredString(A4[0] / 2, A4[1] - 12 * mm, r.org)

    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=22 * mm, bottomMargin=22 * mm,
                            title=r.title)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)


def pdf_table(M: list[list], kind: str, hz: Hazards, font: str, cell_st):
    """One ruled reportlab table for a placed grid (spans as SPAN styles, vertical labels)."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Table, TableStyle

    ncols = len(M[0])
    data, style = [], [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTNAME", (0, 0), (-1, -1), font),
                       ("FONTSIZE", (0, 0), (-1, -1), 8), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for ri, row in enumerate(M):
        drow = []
        for ci, c in enumerate(row):
            if c is None:
                drow.append("")
                continue
            text, rs, cs = c
            if rs > 1 or cs > 1:
                style.append(("SPAN", (ci, ri), (ci + cs - 1, ri + rs - 1)))
            if hz.vertical and rs > 3 and cs == 1 and ci == 0:
                drow.append(Paragraph("<br/>".join(htmlmod.escape(ch) for ch in text), cell_st))
            else:
                drow.append(Paragraph(htmlmod.escape(text), cell_st) if text else "")
        data.append(drow)
    avail = 170 * mm
    layout = current()[kind].layout if kind in current().tables else {"label_mm": [60, 14]}  # a legacy table: label, unit
    labels = [w * mm for w in layout.get("label_mm", [])][: ncols - 1]  # the label columns' printed widths
    widths = labels + [(avail - sum(labels)) / (ncols - len(labels))] * (ncols - len(labels))
    t = Table(data, colWidths=widths, repeatRows=0, splitByRow=1)
    t.setStyle(TableStyle(style))
    return t


def render(r: SynthReport, hz: Hazards, fmt: str, path: Path) -> Path:
    """Write ``r`` to ``path`` in ``fmt`` (pdf, docx, html, txt)."""
    if fmt == "pdf":
        render_pdf(r, hz, path)
    elif fmt == "docx":
        render_docx(r, hz, path)
    elif fmt == "html":
        path.write_bytes(render_html(r, hz))
    else:
        path.write_bytes(render_txt(r, hz))
    return path
