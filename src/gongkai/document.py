"""The one document model every reader produces.

A :class:`Document` is an ordered list of blocks.  A block is a heading, a
paragraph or a table.  Paragraph and heading blocks carry their text and where it
came from (page and bounding box for PDF, character offsets for text formats).  A
table block is a grid of :class:`Cell` rows; a cell knows its row/column span and
the page it came from.  A table read from crawler text whose cells were glued
together is a table with ``glued=True`` and a single cell holding the raw text:
the tables stage splits it, the reader does not guess.

What a reader removes as noise (page numbers, running headers, a crawler's page chrome) is listed in
``Document.dropped`` with the reason; every other character ends up in a block.

Nothing downstream knows which format a document came from, except through
``Document.format`` (reported in the output's ``source``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "table"]


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    page: int | None = None
    covered: bool = False  # True where a merged cell above/left covers this slot
    confidence: float | None = None  # OCR'd cells: the probability of the least certain character
    alternatives: list[str] = field(default_factory=list)  # OCR'd cells: other readings of the same ink


@dataclass
class Block:
    kind: BlockKind
    text: str = ""
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    start: int | None = None  # character offsets in the source text (text formats)
    end: int | None = None
    rows: list[list[Cell]] = field(default_factory=list)
    glued: bool = False
    confidence: float | None = None  # OCR'd paragraphs: the mean character probability


@dataclass
class Document:
    path: str
    format: str
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None
    warnings: list[dict] = field(default_factory=list)
    title_hint: str | None = None  # a title the container states (HTML <title>, crawler header)
    published_hint: str | None = None  # a publication date the container states (crawler header)
    sha256: str = ""  # of the file's bytes, set by gongkai.readers.read
    dropped: list[dict] = field(default_factory=list)  # what a reader removed as noise: {text, reason, page}
    ocr_pages: list[int] = field(default_factory=list)  # PDF pages read by OCR (no text layer)

    def warn(self, code: str, message: str) -> None:
        self.warnings.append({"code": code, "message": message})

    def drop(self, text: str, reason: str, page: int | None = None) -> None:
        """Record text removed as noise (``page_number``, ``running_header``, ``crawler_chrome`` …): nothing
        of a document disappears without a reason."""
        text = (text or "").strip()
        if text:
            self.dropped.append({"text": text, "reason": reason, "page": page})

    @property
    def paragraphs(self) -> list[Block]:
        return [b for b in self.blocks if b.kind != "table"]

    @property
    def tables(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "table"]

    def text(self) -> str:
        return "\n".join(b.text for b in self.paragraphs)
