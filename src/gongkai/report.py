"""Assemble the output for one document: ``gongkai.parse(path) -> Report``.

The one function the CLI, the batch runner, the spaCy component and the
notebooks call.  Data flows one way: reader → Document → sections → tables →
items → Report.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from .document import Document
from .readers import read
from .schema import SCHEMA_ID, Report
from .script import is_traditional, simplified
from .sections.tagger import Para, tag
from .tables import checks as table_checks
from .tables.extract import extract

_MODERN_HEADING = re.compile(r"收到和处理政府信息公开申请|政府信息公开行政复议、?行政诉讼|主动公开政府信息情况")


def _expects_tables(year: int | None, texts: list[str], paragraphs: list[dict]) -> bool:
    """A report of 2019 or later with the headings of the 2019/2021 template must hold the standard tables."""
    if not year or year < 2019:
        return False
    heads = [t for t, p in zip(texts, paragraphs) if p["heading"]]
    return sum(1 for t in heads if _MODERN_HEADING.search(t)) >= 2


def parse(path: str | Path, model="default") -> Report:
    doc = read(path)
    return build(doc, doc.sha256, model=model)


def build(doc: Document, sha256: str = "", model="default") -> Report:
    warnings = list(doc.warnings)
    traditional = is_traditional(doc.text())
    if traditional:
        warnings.append({"code": "document.traditional", "message": "traditional characters: later stages read a simplified copy"})
    blocks = doc.paragraphs
    texts = [b.text for b in blocks]
    work = [simplified(t) for t in texts] if traditional else texts
    if traditional:
        for b in doc.tables:
            for row in b.rows:
                for c in row:
                    c.text = simplified(c.text)
    from .sections.model import pick, producer

    clf, no_model = pick(model)
    if no_model:
        warnings.append({"code": "sections.no_model", "message": no_model})
    tags = tag([Para(t, b.kind == "heading") for t, b in zip(work, blocks)], model=clf)
    paragraphs = []
    for i, (b, (label, conf, by)) in enumerate(zip(blocks, tags), start=1):
        paragraphs.append({
            "id": f"p{i}", "text": b.text, "section": label, "confidence": conf,
            "heading": b.kind == "heading", "page": b.page, "by": by, "start": b.start, "end": b.end,
        })
    from .items.counts import prose_hints, quantities

    qs = quantities(paragraphs, work)  # once: for the glued-table hints, the items and the text checks
    tres = extract(doc.tables, hints=prose_hints(qs) if any(b.glued for b in doc.tables) else None)
    warnings.extend(tres.warnings)
    blank_as_zero = os.environ.get("GONGKAI_BLANK_AS_ZERO") == "1"  # --blank-as-zero, inherited by batch workers
    checks = table_checks.run(tres.tables, blank_as_zero=blank_as_zero)
    if blank_as_zero:
        warnings.append({"code": "checks.blank_as_zero", "message": "checks counted blank cells as 0 (--blank-as-zero)"})

    from .items import extract_items
    from .items.meta import find_published, read_meta

    preamble = "".join(w for w, p in zip(work, paragraphs) if p["section"] == "preamble")
    full = "\n".join(work)
    found, evidence, meta_warnings = read_meta(work, preamble or full[:600], doc.title_hint, doc.format)
    title = found["title"]
    meta: dict[str, Any] = {
        **found,
        "published": None,
        "template": tres.template or "unknown",
        "region": {"province": None, "city": None, "county": None},
        "evidence": evidence,
    }
    meta["published"] = find_published(work, doc.published_hint, meta["year"])
    looks_like_report = bool(title) or bool(re.search(r"政府信息公开|政务公开", full[:2000]))
    if meta["template"] == "unknown" and looks_like_report and not tres.tables:
        meta["template"] = "legacy"
    if not looks_like_report and not tres.tables:
        warnings.append({"code": "document.not_a_report", "message": "this does not read as a government information disclosure annual report"})
    else:
        warnings.extend(meta_warnings)
    if not tres.tables and _expects_tables(meta.get("year"), work, paragraphs):
        warnings.append({"code": "document.tables_not_found",
                         "message": "a report on the 2019/2021 template (by its year and headings) where no standard table was found"})
    from .items.region import resolve_region

    meta["region"] = resolve_region(meta["agency"], title, full[:3000])
    items, item_checks = extract_items(paragraphs, work, tres.tables, qs)
    checks.extend(item_checks)
    report = Report.model_validate({
        "schema": SCHEMA_ID,
        "producer": producer(clf),
        "source": {"path": doc.path, "sha256": sha256, "format": doc.format, "pages": doc.pages},
        "meta": meta,
        "paragraphs": paragraphs,
        "tables": tres.tables,
        "checks": checks,
        "items": items,
        "warnings": warnings,
    })
    return report
