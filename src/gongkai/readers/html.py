"""HTML reader (lxml).

Encoding from the BOM, then ``<meta charset>`` / ``http-equiv``, else detected:
most government pages are GBK/GB18030 and many declare nothing.  Site chrome
(menus, breadcrumbs, footers, share buttons, scripts) is dropped; data tables
become grids with row/column spans resolved; layout tables (tables that hold
tables or long prose) are walked into like any other container.
"""
from __future__ import annotations

import re

from ..document import Block, Cell, Document
from ..errors import ReadError
from .encoding import clean, decode
from .tabular import LABEL_ONLY, PURE_NUM
from .text import parse_text

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)
CHROME = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|breadcrumb|crumbs?|footer|share|header|sidebar|toolbar|position|location|"
    r"copyright|logo|banner|search|login|topbar|related|xgxx|fxd|dqwz|wzdh|gjl)([\s_-]|\d|$)", re.I)
DROP_TAGS = {"script", "style", "noscript", "iframe", "nav", "header", "footer", "aside", "form", "button", "select",
             "input", "textarea", "svg", "object", "embed", "head", "title", "meta", "link"}
VISIBLE_CHROME = {"nav", "header", "footer", "aside", "form", "button", "select", "textarea"}
BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "blockquote",
              "pre", "center", "dd", "dt", "dl", "address", "body", "tr", "table", "tbody", "thead", "td", "th", "font"}
CHROME_TEXT = re.compile(
    r"^(当前位置|您当前的位置|您现在的位置|首页\s*[>＞»]|字号|字体[:：]|【?打印|【?关闭|分享到|扫一扫|来源[:：]|(发布)?时间[:：]\s*\d"
    r"|发布日期[:：]|浏览次数|访问量[:：]|全真版|文字版|文件下载|相关链接|附件下载|(微信|微博|QQ空间)(\s+(微信|微博|QQ空间))*$"
    r"|(文字|图片|视频|图文)解读$|相关(文档|阅读|文章|稿件|新闻)$|上一篇|下一篇)")
MAX_DEPTH = 200


def read(path: str, data: bytes) -> Document:
    import lxml.html
    from lxml import etree

    declared = None
    m = META_CHARSET.search(data[:4096]) or XML_ENCODING.search(data[:200])
    if m:
        declared = m.group(1).decode("ascii", "ignore")
    # decoded first, then parsed: lxml refuses a str that still carries an XML encoding declaration (XHTML)
    text = XML_DECLARATION.sub("", clean(decode(data, path, declared)), count=1)
    from .text import MAX_CHARS

    truncated = len(text) > 4 * MAX_CHARS
    if truncated:
        text = text[: 4 * MAX_CHARS]
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as e:
        raise ReadError(path, f"unreadable HTML ({e})") from None
    doc = Document(path=path, format="html")
    if truncated:
        doc.warn("document.truncated", f"only the first {4 * MAX_CHARS} characters of the page were read")
    t = root.find(".//title")
    if t is not None and t.text_content().strip():
        doc.title_hint = t.text_content().strip()
    for m in root.iter("meta"):
        name = (m.get("name") or "").lower()
        if name == "articletitle" and (m.get("content") or "").strip():
            doc.title_hint = m.get("content").strip()
        if name in ("pubdate", "publishdate", "firstpublishedtime", "articlepubdate"):
            d = re.match(r"((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})", (m.get("content") or "").strip())
            if d:
                doc.published_hint = f"{int(d.group(1)):04d}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            el.drop_tree() if el.getparent() is not None else None
    for el in list(root.iter()):
        if el.getparent() is None:
            continue
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in DROP_TAGS:
            if tag in VISIBLE_CHROME:  # menus, headers, footers: text a reader sees, dropped as page chrome
                doc.drop(re.sub(r"\s+", " ", el.text_content()), "page_chrome")
            el.drop_tree()
    body_chars = len(root.text_content())
    for el in list(root.iter()):
        if el.getparent() is None or not isinstance(el.tag, str):
            continue
        cls = " ".join([el.get("class") or "", el.get("id") or ""])
        if el.tag.lower() not in ("body", "html") and cls.strip() and CHROME.search(cls):
            # never drop the container that holds most of the page: that is the report itself
            if len(el.text_content()) > max(500, 0.4 * body_chars):
                continue
            doc.drop(re.sub(r"\s+", " ", el.text_content()), "page_chrome")
            el.drop_tree()
    body = root.find("body")
    if body is None:
        body = root
    w = _Walker(doc)
    w.walk(body, 0)
    w.flush()
    return doc


class _Walker:
    def __init__(self, doc: Document):
        self.doc = doc
        self.buf: list[str] = []

    def flush(self) -> None:
        """The text since the last data table, one line per block element or ``<br>``, read as the text
        reader reads a text copy: tables printed one cell per line (one ``<p>``, ``<div>`` or ``<span>``
        per cell) become table blocks, the rest prose."""
        text = "".join(self.buf)
        self.buf = []
        lines = []
        for line in re.split(r"\n+", text):
            if "\xa0" in line and not line.strip():
                lines.append(_EMPTY_CELL)  # <p>&nbsp;</p>: an empty cell of a table printed one cell per block
                continue
            line = re.sub(r"[ \t]+", " ", line).strip()
            if line and not CHROME_TEXT.match(line):
                lines.append(line)
            elif line:
                self.doc.drop(line, "page_chrome")
        lines = _empty_cells(lines)
        if lines:
            parse_text("\n".join(lines), self.doc)

    def walk(self, el, depth: int) -> None:
        if depth > MAX_DEPTH:
            self.buf.append(el.text_content())
            return
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag == "table" and _is_data_table(el):
            n_before = len(self.doc.blocks)
            self.flush()
            grid = _grid(el)
            last = self.doc.blocks[-1] if self.doc.blocks else None
            if last is not None and len(self.doc.blocks) == n_before and last.kind == "table" and not last.glued \
                    and last.rows and grid.rows and len(last.rows[0]) == len(grid.rows[0]):
                self.doc.blocks[-1] = _continue(last, grid, self.doc)  # one table split in several <table>s
            else:
                self.doc.blocks.append(grid)
            if el.tail:
                self.buf.append(el.tail)
            return
        block = tag in BLOCK_TAGS and tag != "font"
        if block:
            self.buf.append("\n")
        if tag == "br":
            self.buf.append("\n")
        if el.text:
            self.buf.append(el.text)
        for child in el:
            self.walk(child, depth + 1)
        if block:
            self.buf.append("\n")
        if el.tail:
            self.buf.append(el.tail)


_EMPTY_CELL = "\x00"


def _cell_like(line: str) -> bool:
    """A line that can be a table cell: a figure or a blank mark, or a short label (the tabular reader's tests)."""
    return bool(line) and (bool(PURE_NUM.match(line)) or (len(line) <= 40 and LABEL_ONLY.match(line)))


def _empty_cells(lines: list[str]) -> list[str]:
    """An empty block between two cell-like lines is an empty cell (written ``/``); elsewhere it is spacing."""
    out = []
    for i, line in enumerate(lines):
        if line != _EMPTY_CELL:
            out.append(line)
            continue
        before = next((x for x in reversed(lines[:i]) if x != _EMPTY_CELL), "")
        after = next((x for x in lines[i + 1:] if x != _EMPTY_CELL), "")
        if _cell_like(before) and _cell_like(after):
            out.append("/")
    return out


def _continue(first: Block, more: Block, doc: Document) -> Block:
    """``more`` continues ``first`` (a table split by page or by the content system): its repeated
    header rows are dropped (and listed as ``repeated_header``)."""
    def texts(row):
        return [c.text for c in row]

    k = 0
    while k < len(more.rows) and k < len(first.rows) and texts(more.rows[k]) == texts(first.rows[k]) \
            and not any(re.fullmatch(r"[+\-]?\d+(\.\d+)?", c.text) for c in more.rows[k]):
        k += 1
    for row in more.rows[:k]:
        doc.drop(" ".join(c.text for c in row if not c.covered), "repeated_header")
    return Block("table", rows=first.rows + more.rows[k:])


def _rows(table):
    out = []
    for tr in table.iter("tr"):
        # rows of this table only, not of nested tables
        anc = tr.getparent()
        while anc is not None and anc.tag != "table":
            anc = anc.getparent()
        if anc is table:
            out.append(tr)
    return out


def _is_data_table(table) -> bool:
    if table.find(".//table") is not None:
        return False
    rows = _rows(table)
    if len(rows) < 2:
        return False
    cells = [c for tr in rows for c in tr if c.tag in ("td", "th")]
    widths = [sum(1 for c in tr if c.tag in ("td", "th")) for tr in rows]
    if max(widths, default=0) < 2:
        return False
    long_cells = sum(1 for c in cells if len(c.text_content().strip()) > 120)
    return long_cells <= len(cells) * 0.2


def _span(v) -> int:
    try:
        return max(1, min(int(str(v).strip() or 1), 200))
    except ValueError:
        return 1


MAX_GRID_SLOTS = 200_000  # spans beyond this are read as 1: a hostile rowspan × colspan cannot fill memory


def _grid(table) -> Block:
    grid: dict[tuple[int, int], Cell] = {}
    rows = _rows(table)
    for r, tr in enumerate(rows):
        c = 0
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            rs, cs = _span(td.get("rowspan", 1)), _span(td.get("colspan", 1))
            if len(grid) + rs * cs > MAX_GRID_SLOTS:
                rs = cs = 1
            text = re.sub(r"\s+", " ", td.text_content()).strip()
            grid[(r, c)] = Cell(text, rowspan=rs, colspan=cs)
            for dr in range(rs):
                for dc in range(cs):
                    if (dr or dc) and r + dr < len(rows):
                        grid.setdefault((r + dr, c + dc), Cell("", covered=True))
            c += cs
    nrows = len(rows)
    ncols = max((c for _, c in grid), default=-1) + 1
    out = [[grid.get((r, c), Cell("")) for c in range(ncols)] for r in range(nrows)]
    return Block("table", rows=out)
