"""PDF reader built on pdfplumber.

* ``dedupe_chars()`` on every page: fake-bold Chinese PDFs print every character twice.
* Ruled tables are found with pdfplumber's table finder (only on pages that have
  ruling lines) and read as grids; their text is kept out of the paragraphs.  A
  bordered box holding prose (a one-column "table") stays prose.
* A table that ends one page and starts the next is merged into one grid; a label
  cell split by the page break (``（四）无`` / ``法提供``) is joined back.
* Lines are re-joined into paragraphs: no space between CJK characters; a
  paragraph ends at a short line, an indented next line, a heading, or a gap.
* Page numbers (``- 3 -``, ``第3页``) and running headers/footers are removed.
"""
from __future__ import annotations

import io
import os
import re
import zlib
from collections import Counter
from dataclasses import dataclass

from ..document import Block, Cell, Document
from ..errors import ReadError
from ..sections.headings import ORDINAL_START, is_heading_line

PAGE_NUMBER = re.compile(
    r"^\s*(?:[-－—–]\s*\d{1,4}\s*[-－—–]?|\d{1,4}\s*[-－—–]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|\d{1,4})\s*$"
)
CJK = r"\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{CJK}])\s*\n\s*|\s*\n\s*(?=[{CJK}])")

MAX_PAGES = 500
MAX_INFLATED = 256 << 20  # what a file's compressed streams (images aside) may inflate to, checked before pdfium
MAX_PAGE_OBJECTS = 20_000  # a page of a real report draws a few thousand; past this the table finder is skipped


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    page: int
    size: float
    confidence: float | None = None  # OCR'd lines


_STREAM_START = re.compile(rb"(?<!end)stream\r?\n")


def _inflates_past(data: bytes, budget: int = MAX_INFLATED) -> bool:
    """Whether the file's Flate streams (content, fonts, object streams; images are decoded only when
    drawn) inflate past ``budget`` bytes: counted with zlib in bounded steps before pdfium or pdfminer
    inflates them whole (a 4 MB file inflated to gigabytes).  A stream zlib cannot read is left to them."""
    total = 0
    for m in _STREAM_START.finditer(data):
        head = data[max(0, m.start() - 2048):m.start()]
        head = head[head.rfind(b" obj") + 1:]  # the stream's own dictionary
        if b"Flate" not in head or b"/Image" in head:
            continue
        z = zlib.decompressobj()
        pos = m.end()
        try:
            while not z.eof and pos < len(data) and total <= budget:
                total += len(z.decompress(data[pos:pos + (1 << 16)], budget - total + 1))
                pos += 1 << 16
                while z.unconsumed_tail and total <= budget:
                    total += len(z.decompress(z.unconsumed_tail, min(budget - total + 1, 1 << 24)))
        except zlib.error:
            continue
        if total > budget:
            return True
    return False


def _page_count(data: bytes) -> int | None:
    """The page count from pdfium's page tree, without loading a page (None where pdfium cannot tell)."""
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            return len(pdf)
        finally:
            pdf.close()
    except Exception:  # pdfplumber decides whether the file is readable
        return None


def _first_pages_copy(data: bytes, n: int) -> bytes | None:
    """A PDF of the first ``n`` pages alone, written by pdfium (None where it cannot): pdfminer parses the
    page tree in Python, and a tree of 400,000 pages took it seconds before the first page."""
    try:
        import pypdfium2 as pdfium

        src = pdfium.PdfDocument(data)
        dst = pdfium.PdfDocument.new()
        try:
            dst.import_pages(src, list(range(n)))
            buf = io.BytesIO()
            dst.save(buf)
            return buf.getvalue()
        finally:
            dst.close()
            src.close()
    except Exception:  # pdfplumber reads the original
        return None


def _first_pages(pdf, n: int) -> list:
    """pdfplumber's first ``n`` pages, without walking the rest of the page tree (``pdf.pages`` builds
    every page first: 400,000 pages took a minute and gigabytes before any cap applied)."""
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page

    out: list = []
    doctop = 0.0
    for i, page in enumerate(PDFPage.create_pages(pdf.doc)):
        if i >= n:
            break
        p = Page(pdf, page, page_number=i + 1, initial_doctop=doctop)
        out.append(p)
        doctop += p.height
    pdf._pages = out  # pdfplumber's own cache: nothing else walks the tree again
    return out


def _close(pdf, pages: list) -> None:
    """Close the pages read and the file, not ``pdf.close()``: it flushes the page cache and then walks the
    whole page tree to close every page (400,000 pages took six minutes)."""
    for page in pages:
        page.close()
    pdf.stream.close()


OCR_MODES = ("auto", "never", "always")


def ocr_mode() -> str:
    """``--ocr`` of this process and its workers (``GONGKAI_OCR``): auto (pages without a usable text
    layer), never, always."""
    mode = os.environ.get("GONGKAI_OCR", "auto")
    return mode if mode in OCR_MODES else "auto"


def _ocr_hint() -> str:
    from . import ocr

    if ocr_mode() == "never":
        return ": OCR is off (--ocr never)"
    return "" if ocr.available() else ": " + ocr.INSTALL_HINT


def _pages_to_ocr(fast: _Pdfium, npages: int, mode: str, doc: Document) -> set[int]:
    """The pages (1-based) to read by OCR: with ``auto`` those whose text layer is empty and that show an
    image; with ``always`` every page.  Without the OCR extra, none (and a warning where some needed it)."""
    from . import ocr

    if mode == "never" or fast.doc is None:
        return set()
    wanted = set(range(1, npages + 1)) if mode == "always" else {p for p in range(1, npages + 1) if fast.scanned(p - 1)}
    if not wanted:
        return set()
    if not ocr.available():
        doc.warn("document.ocr_unavailable", f"{len(wanted)} page(s) have no text layer and were not read: {ocr.INSTALL_HINT}")
        return set()
    if ocr.on_ocr_pages is not None:
        ocr.on_ocr_pages(len(wanted))
    return wanted


OCR_NOISE = 0.6  # a short OCR line (≤ 3 characters) less certain than this is a blot (a stamp's star), not text


def _ocr_page(fast: _Pdfium, pno: int, doc: Document) -> list[tuple[str, object]]:
    """A page read by OCR, as the stream items of a page with a text layer (lines and table blocks); short
    lines the OCR is unsure of are dropped as ``ocr_noise`` (listed, as all noise is)."""
    from . import ocr

    page = fast.doc[pno - 1]  # type: ignore[index]
    try:
        res = ocr.read_page(page)
    except (TimeoutError, MemoryError):
        raise
    except Exception as e:  # the OCR engine's own failure: not a corrupt PDF
        raise ReadError(doc.path, f"OCR failed on page {pno} ({type(e).__name__})") from None
    finally:
        page.close()
    items: list[tuple[float, str, object]] = []
    for ln in res.lines:
        if ln.confidence < OCR_NOISE and len(ln.text.strip()) <= 3:
            doc.drop(ln.text, "ocr_noise", pno)
            continue
        items.append((ln.top, "line", _Line(_autospace(ln.text), ln.x0, ln.x1, ln.top, ln.bottom, pno, ln.size, ln.confidence)))
    for g in res.grids:
        rows = [[None if c is None else Cell("", page=pno) if isinstance(c, str) else
                 Cell(_ocr_cell_text(c.text), page=pno, confidence=c.confidence, alternatives=c.alternatives) for c in r]
                for r in _drop_covered_rows(g.rows)]
        block = grid_block(rows, pno, g.bbox, None) if rows else None
        if block is not None:
            items.append((g.bbox[1], "table", block))
    items.sort(key=lambda it: it[0])
    return [(kind, obj) for _, kind, obj in items]


def _ocr_cell_text(text: str) -> str:
    """An OCR'd cell's text without a point or comma at either end: a speck read as punctuation, never part
    of a number (``0.`` → ``0``)."""
    return _cell_text(text).strip(".,，。·、")


def _drop_covered_rows(rows: list[list]) -> list[list]:
    """Rows of a raster grid whose every slot a merged cell covers: a stray rule, not a row."""
    return [r for r in rows if any(c is not None for c in r)]


def read(path: str, data: bytes, max_pages: int = MAX_PAGES) -> Document:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    def encrypted(e: BaseException) -> bool:
        inner = [e, *getattr(e, "args", ())]
        return any(isinstance(x, (PDFPasswordIncorrect, PDFEncryptionError)) for x in inner) or \
            any(w in repr(e).lower() for w in ("password", "encrypt"))

    if _inflates_past(data):
        raise ReadError(path, f"too large (its streams inflate past {MAX_INFLATED >> 20} MB)")
    total = _page_count(data)
    if total and total > max_pages:
        data = _first_pages_copy(data, max_pages) or data
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = _first_pages(pdf, max_pages)
        total = max(total or 0, len(pages))
    except Exception as e:  # pdfminer raises many kinds on broken files
        if encrypted(e):
            raise ReadError(path, "encrypted") from None
        raise ReadError(path, f"corrupt PDF ({type(e).__name__})") from None
    doc = Document(path=path, format="pdf", pages=total)
    try:
        t = (pdf.metadata or {}).get("Title")
        if isinstance(t, bytes):
            t = t.decode("utf-16" if t.startswith(b"\xfe\xff") else "utf-8", errors="ignore")
        if isinstance(t, str) and "报告" in t:
            doc.title_hint = t.strip()
    except Exception:  # metadata is optional and often broken
        pass
    if total > max_pages:
        doc.warn("document.truncated", f"only the first {max_pages} of {total} pages were read")
    stream: list[tuple[str, object]] = []  # ("line", _Line) | ("table", Block)
    total_chars = 0
    fast = _Pdfium(data)
    to_ocr: set[int] = set()
    try:
        to_ocr = _pages_to_ocr(fast, len(pages[:max_pages]), ocr_mode(), doc)
        for pno, page in enumerate(pages[:max_pages], start=1):
            if pno in to_ocr:
                found = _ocr_page(fast, pno, doc)
                total_chars += sum(len(obj.text) for kind, obj in found if isinstance(obj, _Line))
                stream.extend(found)
                continue
            crowded = fast.object_count(pno - 1) > MAX_PAGE_OBJECTS
            lines = fast.lines(pno - 1, tables=not crowded)
            doc.drop(fast.repeats.pop(pno - 1, ""), "fake_bold", pno)
            if crowded and lines is not None:
                doc.warn("document.crowded_page", f"page {pno}: over {MAX_PAGE_OBJECTS} drawn objects; read as text, "
                                                  "no table looked for")
            if lines is not None:  # no ruling lines on this page: pdfium's text layer is enough (and 10x faster)
                total_chars += sum(len(ln.text) for ln in lines)
                stream.extend(("line", ln) for ln in sorted(lines, key=lambda l: (l.top, l.x0)))
                continue
            chars = page.chars
            if _has_doubled_chars(chars):
                page = page.dedupe_chars()
                before = Counter(c["text"] for c in chars)
                chars = page.chars
                doc.drop("".join((before - Counter(c["text"] for c in chars)).elements()), "fake_bold", pno)
            total_chars += len(chars)
            if not chars:
                continue
            tables = _tables(page, pno) if (page.rects or page.lines) else []
            body = page
            for t in tables:
                body = body.outside_bbox(t.bbox, strict=False)
            items: list[tuple[float, str, object]] = []
            for ln in body.extract_text_lines(layout=False, strip=True, return_chars=True):
                text = _autospace(ln["text"].strip())
                if not text:
                    continue
                sizes = sorted(c["size"] for c in ln["chars"] if c["text"].strip()) or [ln["bottom"] - ln["top"] or 10.0]
                size = sizes[len(sizes) // 2]
                items.append((ln["top"], "line", _Line(text, ln["x0"], ln["x1"], ln["top"], ln["bottom"], pno, size)))
            for t in tables:
                items.append((t.bbox[1], "table", t))  # type: ignore[index]
            items.sort(key=lambda it: it[0])
            stream.extend((kind, obj) for _, kind, obj in items)
            page.close()
    except (ReadError, TimeoutError):
        raise  # a timeout is the caller's to report, never "corrupt"
    except MemoryError:
        raise ReadError(path, "too large (out of memory while reading the PDF)") from None
    except Exception as e:
        if encrypted(e):
            raise ReadError(path, "encrypted") from None
        raise ReadError(path, f"corrupt PDF ({type(e).__name__})") from None
    finally:
        _close(pdf, pages)
        fast.close()
    if total_chars == 0:
        if to_ocr:
            raise ReadError(path, "no text found by OCR on any page")
        raise ReadError(path, "no text layer (scanned PDF?)" + _ocr_hint())
    doc.ocr_pages = sorted(to_ocr)
    stream = _drop_page_noise(stream, doc.pages or 1, doc)
    stream = _unruled_tables(stream)
    _assemble(stream, doc)
    return doc


class _Pdfium:
    """Text lines of pages without ruling lines, read with pypdfium2 (pdfplumber's own dependency).

    A page whose path objects have vertical edges at three or more x positions may hold a ruled
    table: ``lines()`` returns None and the page goes through pdfplumber.  Any pdfium failure also falls back to pdfplumber.
    """

    def __init__(self, data: bytes):
        self.doc = None
        self.repeats: dict[int, str] = {}  # page index → the characters fake bold printed a second time
        if os.environ.get("GONGKAI_PDF_TEXT") == "pdfplumber":
            return
        try:
            import pypdfium2 as pdfium

            self.doc = pdfium.PdfDocument(data)
        except Exception:  # encrypted, broken, or pdfium missing: pdfplumber decides
            self.doc = None

    def close(self) -> None:
        if self.doc is not None:
            try:
                self.doc.close()
            except Exception:
                pass

    def object_count(self, index: int) -> int:
        """How many objects the page draws, counted by pdfium before anything is built (0 when unknown)."""
        if self.doc is None:
            return 0
        try:
            import pypdfium2.raw as raw

            page = self.doc[index]
            try:
                return int(raw.FPDFPage_CountObjects(page.raw))
            finally:
                page.close()
        except (TimeoutError, MemoryError):
            raise
        except Exception:
            return 0

    def scanned(self, index: int) -> bool:
        """Whether a page has no usable text layer (a few characters at most) and shows an image: a scan."""
        if self.doc is None:
            return False
        try:
            import pypdfium2.raw as raw

            page = self.doc[index]
            try:
                # the image first: most pages have none, and then their text is not read twice
                if not any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2)):
                    return False
                tp = page.get_textpage()
                n = tp.count_chars()
                text = tp.get_text_range() if n else ""
                tp.close()
                return len("".join(text.split())) < 20
            finally:
                page.close()
        except (TimeoutError, MemoryError):
            raise
        except Exception:
            return False

    def lines(self, index: int, tables: bool = True) -> list[_Line] | None:
        """The page's text lines, or None where it may hold a ruled table (with ``tables``) or pdfium fails."""
        if self.doc is None:
            return None
        try:
            import pypdfium2.raw as raw

            page = self.doc[index]
            # a ruled table needs vertical edges at three or more x positions (two columns at least);
            # full-width boxes around prose lines have two
            xs: set[int] = set()
            for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=3) if tables else ():
                left, _, right, _ = obj.get_bounds()
                xs.add(round(left / 3))
                xs.add(round(right / 3))
                if len(xs) > 2 + 2:  # rounding may split one edge in two
                    page.close()
                    return None
            height = page.get_height()
            tp = page.get_textpage()
            n = tp.count_chars()
            text = tp.get_text_range() if n else ""
            if len(text) != n:
                return None
            out: list[_Line] = []
            cur: list[tuple[str, float, float, float, float, float]] = []
            drawn = _DrawnChars()

            def flush():
                vis = [c for c in cur if c[0].strip()]
                if vis:
                    # left to right: a word processor may draw some glyphs (curly quotes in a Western font) out of order
                    cur.sort(key=lambda c: c[1])
                    s = _autospace("".join(c[0] for c in cur).strip())
                    sizes = sorted(c[5] for c in vis)
                    out.append(_Line(s, min(c[1] for c in vis), max(c[2] for c in vis), min(c[3] for c in vis),
                                     max(c[4] for c in vis), index + 1, sizes[len(sizes) // 2]))
                cur.clear()

            for k, ch in enumerate(text):
                if ch in "\r\n":
                    flush()
                    continue
                # the loose box spans the glyph's advance and the font's ascent to descent (not the ink), as
                # pdfplumber's boxes do: a full line ends at the right edge even when its last glyph is "。"
                left, bottom, right, top = tp.get_charbox(k, loose=True)
                size = (top - bottom) or 10.0
                if not ch.strip() and cur:  # a space pdfium generates has no box: keep it where it was written
                    left = right = cur[-1][2]
                item = (ch, left, right, height - top, height - bottom, size)
                if ch.strip() and drawn.seen(ch, left, height - top):
                    self.repeats[index] = self.repeats.get(index, "") + ch
                    continue  # fake bold: a character, or a whole run, printed again in place
                cur.append(item)
            flush()
            tp.close()
            page.close()
            return out
        except (TimeoutError, MemoryError):
            raise  # not a reason to try pdfplumber: the caller reports them
        except Exception:
            return None


class _DrawnChars:
    """The characters already drawn on a page, by position: fake bold draws a character, or a whole run
    of them, a second time at (almost) the same place; the repeat is not text."""

    def __init__(self, tolerance: float = 1.0):
        self.tolerance = tolerance
        self.cells: set[tuple[str, int, int]] = set()

    def seen(self, ch: str, x: float, y: float) -> bool:
        """True when ``ch`` was drawn at (x, y) before; else remember it and return False."""
        gx, gy = int(x // self.tolerance), int(y // self.tolerance)
        if any((ch, gx + dx, gy + dy) in self.cells for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            return True
        self.cells.add((ch, gx, gy))
        return False


_AUTOSPACE = re.compile(rf"(?<=[{CJK}]) (?=[A-Za-z0-9])|(?<=[A-Za-z0-9]) (?=[{CJK}])")


def _autospace(s: str) -> str:
    """Drop the one space word processors set between Chinese and Latin letters or digits
    (``2024 年`` → ``2024年``): it is spacing, not text, and text copies of the report have none."""
    return _AUTOSPACE.sub("", s)


def _has_doubled_chars(chars) -> bool:
    """Fake bold: the same character printed twice at (almost) the same place."""
    seen = set()
    dup = 0
    for c in chars:
        key = (c["text"], round(c["x0"]), round(c["top"]))
        if key in seen:
            dup += 1
            if dup >= 3:
                return True
        seen.add(key)
    return False


# ---- tables --------------------------------------------------------------------------------

def _cell_text(s: str | None) -> str:
    if s is None:
        return ""
    s = _CJK_BREAK.sub("", s)
    return re.sub(r"\s*\n\s*", " ", s).strip()


_PROSE = re.compile(r"[，。；：]")


def _is_prose_row(row: list) -> bool:
    """A row that is a line of running text inside a ruled frame, not a table row."""
    filled = [c for c in row if c not in (None, "")]
    if len(filled) != 1:
        return False
    text = filled[0].strip()
    if _PROSE.search(text) or text.endswith("。"):
        return True
    h = is_heading_line(text)
    return h is not None and h.level == 1


def _fill_missing_cells(page, t, grid: list[list]) -> None:
    """Text the table finder left out: a slot with no cell of its own (a ruling line missing) that holds
    characters no cell holds.  Without this the text is in neither the table nor the paragraphs."""
    import numpy as np

    slots = []
    for i, row in enumerate(t.rows[: len(grid)]):
        for j, cell in enumerate(row.cells):
            if cell is None and j < len(grid[i]) and grid[i][j] in (None, ""):
                xs = [r.cells[j] for r in t.rows if j < len(r.cells) and r.cells[j] is not None]
                if xs:
                    slots.append((i, j, (min(c[0] for c in xs), row.bbox[1], max(c[2] for c in xs), row.bbox[3])))
    if not slots:
        return
    chars = [ch for ch in page.chars if ch["text"].strip()]
    if not chars:
        return
    centres = np.array([((ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2) for ch in chars])
    boxes = np.array([c for row in t.rows for c in row.cells if c is not None], dtype=float)

    def inside(b):  # chars whose centre lies in box(es) b (k x 4) → bool matrix n x k
        b = np.atleast_2d(b)
        x, y = centres[:, :1], centres[:, 1:]
        return (x >= b[:, 0]) & (x <= b[:, 2]) & (y >= b[:, 1]) & (y <= b[:, 3])

    free = ~inside(boxes).any(axis=1) if len(boxes) else np.ones(len(chars), dtype=bool)
    for i, j, box in slots:
        found = [chars[k] for k in np.nonzero(free & inside(np.array(box))[:, 0])[0]]
        if found:
            grid[i][j] = "".join(ch["text"] for ch in sorted(found, key=lambda ch: (round(ch["top"]), ch["x0"])))


def _tables(page, pno: int) -> list[Block]:
    out = []
    for t in page.find_tables():
        grid = t.extract()
        if not grid:
            continue
        _fill_missing_cells(page, t, grid)
        rows = [[None if c is None else Cell(_cell_text(c), page=pno) for c in r] for r in grid]
        block = grid_block(rows, pno, tuple(t.bbox), [r.bbox for r in t.rows] if len(t.rows) == len(grid) else None)
        if block is not None:
            out.append(block)
    return out


def grid_block(grid: list[list[Cell | None]], pno: int, bbox: tuple, row_boxes: list | None) -> Block | None:
    """A table block from a grid of cells (``None`` where a merged cell covers the slot), or None where the
    grid is a bordered box of prose.  Prose lines framed together with the table are given back."""
    ncols = max(len(r) for r in grid)
    texts = [[None if c is None else c.text for c in r] for r in grid]
    filled_cols = max(sum(1 for c in r if c not in (None, "")) for r in texts)
    if ncols < 2 or filled_cols < 2:
        return None  # a bordered box of prose: leave its text to the paragraphs
    first, last = 0, len(grid) - 1
    while first <= last and _is_prose_row(texts[first]):
        first += 1
    while last >= first and _is_prose_row(texts[last]):
        last -= 1
    if first > last:
        return None
    if (first > 0 or last < len(grid) - 1) and row_boxes:
        bbox = (bbox[0], row_boxes[first][1], bbox[2], row_boxes[last][3])
    rows = [[Cell("", page=pno, covered=True) if c is None else c for c in r] for r in grid[first:last + 1]]
    return Block("table", rows=rows, page=pno, bbox=bbox)


def _merge_tables(a: Block, b: Block) -> Block:
    """Append ``b`` (continued on the next page) to ``a``; join a label cell split by the break."""
    if a.rows and b.rows and len(a.rows[-1]) == len(b.rows[0]):
        first = b.rows[0]
        ncols = len(first)
        for c in range(ncols):
            cell = first[c]
            txt = cell.text.strip()
            if not txt or cell.covered or ORDINAL_START.match(txt) or re.fullmatch(r"[\d.,\s+\-/]+", txt):
                continue
            # the rest of a label cut by the break: a piece of a merged group label (the row's own label to
            # its right) or of a row split across pages (nothing to its right); a label with its row's
            # figures beside it is a row of its own
            right = [x.text.strip() for x in first[c + 1:] if x.text.strip()]
            if right and not any(len(x) >= 3 and not re.fullmatch(r"[\d.,\s+\-/]+", x) for x in right):
                continue
            # the nearest cell above in the same column that holds text
            for row in reversed(a.rows):
                if c < len(row) and row[c].text.strip():
                    above = row[c]
                    if ORDINAL_START.match(above.text) and not re.search(r"[）)]$", above.text.strip()):
                        above.text = above.text + txt
                        cell.text = ""
                        cell.covered = True
                    break
    return Block("table", rows=a.rows + b.rows, page=a.page, bbox=a.bbox)


# ---- tables printed without ruling lines ----------------------------------------------------

def _unruled_tables(stream):
    """Runs of lines that end in two or more numbers (a table drawn without ruling lines) become a
    glued table block (see :mod:`gongkai.readers.tabular`)."""
    from .tabular import tabular_runs

    texts = [obj.text if kind == "line" else None for kind, obj in stream]
    runs = tabular_runs(texts)
    if not runs:
        return stream
    out = []
    pos = 0
    for a, b in runs:
        out.extend(stream[pos:a])
        lines = [obj for _, obj in stream[a:b]]
        first = lines[0]
        text = "\n".join(ln.text for ln in lines)
        out.append(("table", Block("table", rows=[[Cell(text, page=first.page)]], glued=True, page=first.page,
                                   bbox=(min(l.x0 for l in lines), first.top, max(l.x1 for l in lines), lines[-1].bottom))))
        pos = b
    out.extend(stream[pos:])
    return out


# ---- noise -----------------------------------------------------------------------------------

def _norm_noise(s: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", s))


def _drop_page_noise(stream, npages: int, doc: Document):
    lines = [obj for kind, obj in stream if kind == "line"]
    # running headers/footers: the same text (digits folded) at the top or bottom of many pages
    first_last: Counter[str] = Counter()
    by_page: dict[int, list[_Line]] = {}
    for ln in lines:
        by_page.setdefault(ln.page, []).append(ln)
    for pls in by_page.values():
        for ln in {id(pls[0]): pls[0], id(pls[-1]): pls[-1]}.values():
            first_last[_norm_noise(ln.text)] += 1
    running = {k for k, v in first_last.items() if npages >= 2 and v >= max(2, (npages + 1) // 2) and len(k) <= 40}
    edge = set()
    for pls in by_page.values():
        edge.add(id(pls[0]))
        edge.add(id(pls[-1]))
    out = []
    for kind, obj in stream:
        if kind == "line":
            if PAGE_NUMBER.match(obj.text) and (id(obj) in edge or len(obj.text) <= 12):
                doc.drop(obj.text, "page_number", obj.page)
                continue
            if id(obj) in edge and _norm_noise(obj.text) in running:
                doc.drop(obj.text, "running_header", obj.page)
                continue
        out.append((kind, obj))
    return out


# ---- paragraphs -------------------------------------------------------------------------------

_END_PUNCT = "。！？；：.!?;:”」』）)"
_LATIN_WORD = re.compile(r"([A-Za-z0-9@._%+\-/:]+)([，。、；：！？）」』”]*)")


def _join(a: str, b: str) -> str:
    if a and b and re.match(r"[A-Za-z0-9]", a[-1]) and re.match(r"[A-Za-z0-9]", b[0]):
        return a + " " + b
    return a + b


@dataclass
class _Rhythm:
    """How a page is typeset: left margin, right edge, body font size and line pitch (baseline to baseline)."""

    left: float
    right: float
    size: float
    pitch: float


def _mode(values: list[float], step: float = 0.5) -> float:
    """The most common value (to ``step``), refined as the median of the values near it."""
    top = Counter(round(v / step) for v in values).most_common(1)[0][0] * step
    near = sorted(v for v in values if abs(v - top) <= 2 * step)
    return near[len(near) // 2]


def _lowest_common(values: list[float], tolerance: float, share: int = 7) -> float | None:
    """The smallest value that recurs (at least twice, and in a ``1/share`` of the values) within ``tolerance``."""
    xs = sorted(values)
    need = max(2, len(xs) // share)
    for i, x in enumerate(xs):
        near = [y for y in xs[i:] if y - x <= tolerance]
        if len(near) >= need:
            return near[len(near) // 2]
    return None


def _pitches(lines: list[_Line], size: float) -> list[float]:
    """Baseline-to-baseline distances of consecutive lines of one page that could belong to one paragraph."""
    return [b.bottom - a.bottom for a, b in zip(lines, lines[1:])
            if a.page == b.page and 0.8 * size <= b.bottom - a.bottom <= 3.5 * size]


def _left_margin(lines: list[_Line], size: float) -> float | None:
    """The left margin: the leftmost position where lines start again and again (continuation lines and
    flush paragraphs sit there; indented first lines, centred lines and page numbers sit to the right)."""
    return _lowest_common([ln.x0 for ln in lines], 0.5 * size)


def _right_edge(lines: list[_Line], size: float) -> float:
    """The right edge of the text block: where most lines end (every full line of justified text, and the
    lines of ragged text that come close), not the widest line (hanging punctuation, a wide cell)."""
    xs = sorted(ln.x1 for ln in lines)
    best = max(range(len(xs)), key=lambda i: (sum(1 for y in xs if abs(y - xs[i]) <= 0.5 * size), xs[i]))
    return xs[best]


def _line_pitch(lines: list[_Line], size: float) -> float | None:
    """The line pitch: the smallest baseline distance that recurs (lines within a paragraph; the distance
    between paragraphs adds any space set between them)."""
    return _lowest_common(_pitches(lines, size), 0.1 * size)


def _rhythms(lines: list[_Line]) -> dict[int, _Rhythm]:
    """Each page's rhythm, measured on its own lines (the document's where a page has too few)."""
    size = _mode([ln.size for ln in lines], 0.25)
    body = [ln for ln in lines if abs(ln.size - size) <= 0.15 * size] or lines
    pitch = _line_pitch(body, size) or 1.2 * size
    left = _left_margin(body, size) or min(ln.x0 for ln in body)
    right = _right_edge(body, size)
    out: dict[int, _Rhythm] = {}
    for page in {ln.page for ln in lines}:
        pb = [ln for ln in body if ln.page == page]
        page_pitch = _line_pitch(pb, size) if len(_pitches(pb, size)) >= 3 else None
        page_left = _left_margin(pb, size) if len(pb) >= 6 else None  # a page of a few short paragraphs shows no margin
        out[page] = _Rhythm(left=page_left if page_left is not None and abs(page_left - left) < 3 * size else left,
                            right=_right_edge(pb, size) if len(pb) >= 6 else right,
                            size=size, pitch=page_pitch or pitch)
    return out


def _starts_paragraph(ln: _Line, prev: _Line | None, r: _Rhythm, centered: bool, cur_centered: bool) -> bool:
    """Whether ``ln`` starts a new paragraph, judged against the page's own rhythm: a gap larger than the
    line pitch, a first-line indent, a short last line above, a change between centred and flush text."""
    if prev is None:
        return True
    if prev.page == ln.page:
        scale = max(1.0, max(ln.size, prev.size) / r.size)
        if ln.bottom - prev.bottom > 1.3 * r.pitch * scale:
            return True
    symmetric = abs((ln.x0 - r.left) - (r.right - ln.x1)) < 2 * r.size
    title_goes_on = (symmetric and abs(ln.size - prev.size) < 0.1 * prev.size and ln.size > 1.08 * r.size
                     and prev.text[-1:] not in _END_PUNCT)
    if title_goes_on:
        return False  # a wrapped title: the next line of the same large type, centred under the one above
    if centered != cur_centered:
        return True
    if centered:
        return False
    if ln.x0 - r.left > 1.2 * r.size:
        return True  # first-line indent
    short = r.right - prev.x1
    word = _LATIN_WORD.match(ln.text)
    if word and (0.5 * len(word.group(1)) + len(word.group(2))) * r.size > short:
        # a Latin word or number (an e-mail address, a URL, a postcode) and the punctuation that may not start
        # a line, too wide for the space left above: moved down whole
        return False
    return (short > 0.9 * r.size and prev.text[-1:] in _END_PUNCT) or short > 4 * r.size


def _assemble(stream, doc: Document) -> None:
    lines = [obj for kind, obj in stream if kind == "line"]
    rhythms = _rhythms(lines) if lines else {}
    cur: list[_Line] = []
    cur_centered = False

    def flush():
        nonlocal cur, cur_centered
        if cur:
            text = ""
            for ln in cur:
                text = _join(text, ln.text)
            h = is_heading_line(text) if len(cur) == 1 else None
            b = Block("heading" if h else "paragraph", text=text, page=cur[0].page,
                      bbox=(min(l.x0 for l in cur), cur[0].top, max(l.x1 for l in cur), cur[-1].bottom))
            confs = [(l.confidence, len(l.text)) for l in cur if l.confidence is not None]
            if confs:
                b.confidence = round(sum(c * n for c, n in confs) / max(1, sum(n for _, n in confs)), 4)
            doc.blocks.append(b)
        cur = []
        cur_centered = False

    prev: _Line | None = None
    prev_was_table = False
    for kind, obj in stream:
        if kind == "table":
            flush()
            last = doc.blocks[-1] if doc.blocks else None
            if (last is not None and last.kind == "table" and last.page is not None and obj.page == last.page + 1 and prev_was_table
                    and not last.glued and not obj.glued):
                doc.blocks[-1] = _merge_tables(last, obj)
                doc.blocks[-1].page = obj.page  # the merged grid now reaches this page
            else:
                doc.blocks.append(obj)
            prev_was_table = True
            prev = None
            continue
        prev_was_table = False
        ln: _Line = obj
        r = rhythms[ln.page]
        indent = ln.x0 - r.left
        centered = indent > 3 * r.size and abs(indent - (r.right - ln.x1)) < 3 * r.size
        if is_heading_line(ln.text) is not None and (r.right - ln.x1) > 2 * r.size:
            flush()
            cur = [ln]
            flush()
            prev = ln
            continue
        if not cur or _starts_paragraph(ln, prev, r, centered, cur_centered):
            flush()
            cur_centered = centered
        cur.append(ln)
        prev = ln
    flush()
