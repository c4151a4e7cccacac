"""Assemble the output for one document: ``gongkai.parse(path) -> Report``.

The one function the CLI, the batch runner, the spaCy component and the notebooks call.
Data flows one way through named stages, none of which changes its inputs:

1. :func:`read_script` — the text later stages read (a simplified copy of a traditional-script
   document; the output keeps the text as printed), with text run on after a statistics table
   split off into a paragraph;
2. :func:`tag_sections` — every paragraph with its section (headings, classifier, smoothing); a long
   paragraph is labelled by its units and cut where its section changes;
3. :func:`read_tables` — the standard tables and their consistency checks;
4. :func:`read_meta` — title, agency, year, publication date, template, region;
5. the named items and the text-vs-table checks (:func:`gongkai.items.extract_items`).
"""
from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .document import Block, Document
from .readers import read
from .schema import SCHEMA_ID, Report
from .script import is_traditional, simplified
from .sections.headings import MODERN_TABLE_HEADING
from .sections.tagger import Para, tag
from .sections.units import unit_spans
from .tables import checks as table_checks
from .tables.extract import TablesResult, extract
from .tables.legacy import split_trailing_text


@dataclass(frozen=True)
class Reading:
    """What the later stages read: paragraph blocks, their text (simplified where the document is in
    traditional script) and the table blocks (simplified copies likewise)."""
    blocks: list[Block]
    work: list[str]
    tables: list[Block]
    warnings: list[dict]


def read_script(doc: Document) -> Reading:
    zoned = split_trailing_text(doc.blocks)
    blocks = [b for b in zoned if b.kind != "table"]
    tables = [b for b in zoned if b.kind == "table"]
    if not is_traditional(doc.text()):
        return Reading(blocks, [b.text for b in blocks], tables, [])
    tables = [replace(b, rows=[[replace(c, text=simplified(c.text)) for c in row] for row in b.rows]) for b in tables]
    warning = {"code": "document.traditional", "message": "traditional characters: later stages read a simplified copy"}
    return Reading(blocks, [simplified(b.text) for b in blocks], tables, [warning])


def tag_sections(reading: Reading, model="default") -> tuple[Reading, list[dict], dict, list[dict]]:
    """The reading re-zoned (a long paragraph whose units fall in different sections cut where the
    section changes, :mod:`gongkai.sections.units`), its output paragraphs, the producer record and the
    warnings of the section stage."""
    from .sections.model import pick, producer

    clf, no_model = pick(model)
    warnings = [{"code": "sections.no_model", "message": no_model}] if no_model else []
    # headings are one unit; so is a paragraph whose simplified copy is not character for character (its
    # unit offsets would not map back onto the text as printed)
    units = [(i, a, e) for i, (t, b) in enumerate(zip(reading.work, reading.blocks))
             for a, e in (unit_spans(t) if b.kind != "heading" and len(t) == len(b.text) else [(0, len(t))])]
    tags = tag([Para(reading.work[i][a:e], reading.blocks[i].kind == "heading", k > 0 and units[k - 1][0] == i)
                for k, (i, a, e) in enumerate(units)], model=clf)
    runs = _runs(units, tags)
    pieces = Counter(i for i, _, _, _ in runs)
    blocks, work = [], []
    for i, a, e, _ in runs:
        b, t = reading.blocks[i], reading.work[i]
        if pieces[i] == 1:  # one section: the paragraph as read
            blocks.append(b)
            work.append(t)
            continue
        text = b.text[a:e].strip()
        blocks.append(replace(b, text=text, start=None if b.start is None else b.start + a,
                              end=None if b.start is None else b.start + a + len(text)))
        work.append(t[a:e].strip())
    paragraphs = [{"id": f"p{n}", "text": b.text, "section": label, "confidence": conf, "heading": b.kind == "heading",
                   "page": b.page, "by": by, "start": b.start, "end": b.end,
                   **({"ocr_confidence": b.confidence} if b.confidence is not None else {})}
                  for n, (b, (_, _, _, (label, conf, by))) in enumerate(zip(blocks, runs), start=1)]
    return replace(reading, blocks=blocks, work=work), paragraphs, producer(clf), warnings


def _runs(units: list[tuple[int, int, int]], tags: list[tuple[str, float, str]]) -> list[tuple[int, int, int, tuple[str, float, str]]]:
    """Consecutive units of one paragraph with the same label joined: ``(block, start, end, (label,
    confidence, by))``, the confidence of a run its least confident unit's."""
    runs: list[tuple[int, int, int, tuple[str, float, str]]] = []
    for (i, a, e), (label, conf, by) in zip(units, tags):
        if runs and runs[-1][0] == i and runs[-1][3][0] == label:
            last = runs[-1]
            runs[-1] = (i, last[1], e, (label, min(conf, last[3][1]), last[3][2]))
        else:
            runs.append((i, a, e, (label, conf, by)))
    return runs


def read_tables(reading: Reading, qs: list[dict]) -> tuple[TablesResult, list[dict], list[dict]]:
    """The standard tables (prose figures choose among glued-digit splits), their checks and warnings."""
    from .items.counts import prose_hints

    tres = extract(reading.tables, hints=prose_hints(qs) if any(b.glued for b in reading.tables) else None)
    warnings = list(tres.warnings)
    blank_as_zero = os.environ.get("GONGKAI_BLANK_AS_ZERO") == "1"  # --blank-as-zero, inherited by batch workers
    checks = table_checks.run(tres.tables, blank_as_zero=blank_as_zero)
    if blank_as_zero:
        warnings.append({"code": "checks.blank_as_zero", "message": "checks counted blank cells as 0 (--blank-as-zero)"})
    return tres, checks, warnings


def _expects_tables(year: int | None, texts: list[str], paragraphs: list[dict]) -> bool:
    """A report of 2019 or later with the headings of the 2019/2021 template must hold the standard tables."""
    if not year or year < 2019:
        return False
    heads = [t for t, p in zip(texts, paragraphs) if p["heading"]]
    return sum(1 for t in heads if MODERN_TABLE_HEADING.search(t)) >= 2


def read_meta(doc: Document, reading: Reading, paragraphs: list[dict], tres: TablesResult) -> tuple[dict[str, Any], list[dict]]:
    """The ``meta`` object and the warnings about it (a missing year, not a report, tables not found)."""
    from .items.meta import find_published
    from .items.meta import read_meta as meta_fields
    from .items.region import resolve_region

    work = reading.work
    preamble = "".join(w for w, p in zip(work, paragraphs) if p["section"] == "preamble")
    full = "\n".join(work)
    found, evidence, meta_warnings = meta_fields(work, preamble or full[:600], doc.title_hint, doc.format)
    meta: dict[str, Any] = {**found, "published": find_published(work, doc.published_hint, found["year"]),
                            "template": tres.template or "unknown", "region": None, "evidence": evidence}
    warnings: list[dict] = []
    looks_like_report = bool(found["title"]) or bool(re.search(r"政府信息公开|政务公开", full[:2000]))
    if meta["template"] == "unknown" and looks_like_report and not tres.tables:
        meta["template"] = "legacy"
    if not looks_like_report and not tres.tables:
        warnings.append({"code": "document.not_a_report", "message": "this does not read as a government information disclosure annual report"})
    else:
        warnings.extend(meta_warnings)
    if not tres.tables and _expects_tables(meta.get("year"), work, paragraphs):
        warnings.append({"code": "document.tables_not_found",
                         "message": "a report on the 2019/2021 template (by its year and headings) where no standard table was found"})
    meta["region"] = resolve_region(meta["agency"], found["title"], full[:3000])
    return meta, warnings


def parse(path: str | Path, model="default") -> Report:
    doc = read(path)
    return build(doc, doc.sha256, model=model)


def build(doc: Document, sha256: str = "", model="default") -> Report:
    from .items import extract_items
    from .items.counts import quantities

    reading = read_script(doc)
    reading, paragraphs, producer, section_warnings = tag_sections(reading, model)
    qs = quantities(paragraphs, reading.work)  # once: for the glued-table hints, the items and the text checks
    tres, checks, table_warnings = read_tables(reading, qs)
    meta, meta_warnings = read_meta(doc, reading, paragraphs, tres)
    items, item_checks = extract_items(paragraphs, reading.work, tres.tables, qs)
    return Report.model_validate({
        "schema": SCHEMA_ID,
        "producer": producer,
        "source": {"path": doc.path, "sha256": sha256, "format": doc.format, "pages": doc.pages,
                   **({"ocr_pages": doc.ocr_pages} if doc.ocr_pages else {})},
        "meta": meta,
        "paragraphs": paragraphs,
        "tables": tres.tables,
        "checks": checks + item_checks,
        "items": items,
        "warnings": list(doc.warnings) + reading.warnings + section_warnings + table_warnings + meta_warnings,
        "dropped": doc.dropped,
    })
