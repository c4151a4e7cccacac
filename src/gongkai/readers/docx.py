"""DOCX reader: paragraphs and tables in body order, merged cells resolved.

Only ``word/document.xml`` is read, as a stream (lxml ``iterparse``) with a cap on its unpacked size;
no other part of the package is loaded (an image part of gigabytes costs nothing), and each body
element is freed once read.

Horizontal merges come from ``w:gridSpan``, vertical ones from ``w:vMerge``; a
slot covered by a merge is an empty covered cell, so that a value never moves to
another column.
"""
from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from ..document import Block, Cell, Document
from ..errors import ReadError
from ..sections.headings import is_heading_line
from .text import split_prose

MAX_SPAN = 200  # no real table is wider; HTML caps its spans the same way
MAX_XML_BYTES = 64 * 2**20  # the text of the longest real report is a few hundred KB of XML
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read(path: str, data: bytes) -> Document:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
    except zipfile.BadZipFile:
        raise ReadError(path, "corrupt DOCX (not a zip archive)") from None
    except NotImplementedError as e:  # zipfile: a zip version or compression it cannot read
        raise ReadError(path, f"unsupported DOCX archive ({e})") from None
    if "word/document.xml" not in names:
        if "content.xml" in names:
            raise ReadError(path, "OpenDocument (.odt) is not supported: convert it to .docx or PDF first")
        raise ReadError(path, "not a Word document (zip without word/document.xml)")
    too_large = f"too large (word/document.xml is over {MAX_XML_BYTES // 2**20} MB unpacked)"
    if zf.getinfo("word/document.xml").file_size > MAX_XML_BYTES:
        raise ReadError(path, too_large)  # as declared; a size the archive understates is caught while reading
    doc = Document(path=path, format="docx")
    try:
        with zf.open("word/document.xml") as raw:
            for child in _body_children(_Capped(raw, MAX_XML_BYTES)):
                _add(child, doc)
    except _TooLarge:
        raise ReadError(path, too_large) from None
    except (TimeoutError, MemoryError) as e:
        if isinstance(e, TimeoutError):
            raise
        raise ReadError(path, "too large (out of memory while reading the DOCX)") from None
    except NotImplementedError as e:  # zipfile: a compression method or zip version it cannot read
        raise ReadError(path, f"unsupported DOCX archive ({e})") from None
    except (etree.XMLSyntaxError, zipfile.BadZipFile, EOFError, OSError, ValueError) as e:
        raise ReadError(path, f"corrupt DOCX ({type(e).__name__})") from None
    return doc


class _TooLarge(Exception):
    pass


class _Capped(io.RawIOBase):
    """A stream that refuses to give more than ``cap`` bytes (a zip bomb stops here, unpacked lazily)."""

    def __init__(self, raw, cap: int):
        self.raw, self.cap, self.total = raw, cap, 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(min(n, 1 << 20) if n and n > 0 else 1 << 20)
        self.total += len(data)
        if self.total > self.cap:
            raise _TooLarge
        return data


def _body_children(stream):
    """The body's children one at a time, parsed as a stream and freed after use: no part but
    ``document.xml`` is read, and memory stays bounded by the largest single paragraph or table."""
    depth = 0
    for event, el in etree.iterparse(stream, events=("start", "end"), resolve_entities=False, no_network=True,
                                     huge_tree=False, load_dtd=False):
        if event == "start":
            depth += 1
            continue
        depth -= 1
        if depth == 2:  # w:document > w:body > child
            yield el
            el.clear()
            parent = el.getparent()
            while parent is not None and el.getprevious() is not None:
                del parent[0]


def _add(child, doc: Document) -> None:
    if child.tag == W + "p":
        text = "".join(t.text or "" for t in child.iter(W + "t"))
        text = re.sub(r"[ \t\u3000\xa0]+", " ", text).strip()
        if not text:
            return
        if is_heading_line(text):
            doc.blocks.append(Block("heading", text=text))
        else:
            split_prose(text, 0, doc)
    elif child.tag == W + "tbl":
        doc.blocks.append(_table(child))
    elif child.tag != W + "sectPr":
        _unplaced(child, doc)


def _unplaced(el, doc: Document) -> None:
    """A body element that is neither a paragraph nor a table (a content control, a custom XML block):
    its text becomes a paragraph, with a warning, never nothing."""
    paras = [el] if el.tag == W + "p" else list(el.iter(W + "p"))
    texts = [re.sub(r"[ \t\u3000\xa0]+", " ", "".join(t.text or "" for t in p.iter(W + "t"))).strip() for p in paras]
    texts = [t for t in texts if t]
    if not texts:
        return
    name = el.tag.rsplit("}", 1)[-1]
    doc.warn("document.unplaced_block", f"text inside a <w:{name}> element read as paragraphs ({len(texts)})")
    for t in texts:
        doc.blocks.append(Block("paragraph", text=t))


def _table(tbl) -> Block:
    rows: list[list[Cell]] = []
    open_v: dict[int, Cell] = {}
    for tr in tbl.iterchildren(W + "tr"):
        row: list[Cell] = []
        col = 0
        for tc in tr.iterchildren(W + "tc"):
            pr = tc.find(W + "tcPr")
            span = 1
            vmerge = None
            if pr is not None:
                gs = pr.find(W + "gridSpan")
                if gs is not None:
                    try:
                        span = min(MAX_SPAN, max(1, int(gs.get(W + "val", "1"))))  # a hostile span cannot blow up the grid
                    except ValueError:
                        span = 1
                vm = pr.find(W + "vMerge")
                if vm is not None:
                    vmerge = vm.get(W + "val", "continue")
            text = "".join((t.text or "") for p in tc.iter(W + "p") for t in p.iter(W + "t"))
            text = re.sub(r"\s+", " ", text).strip()
            if vmerge == "continue":
                cell = Cell("", covered=True)
                if col in open_v:
                    open_v[col].rowspan += 1
            else:
                cell = Cell(text, colspan=span)
                if vmerge == "restart":
                    open_v[col] = cell
                else:
                    open_v.pop(col, None)
            row.append(cell)
            for _ in range(span - 1):
                row.append(Cell("", covered=True))
            col += span
        rows.append(row)
    return Block("table", rows=rows)
