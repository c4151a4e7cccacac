"""Assemble the output for one document: ``gongkai.parse(path) -> Report``.

The one function the CLI, the batch runner, the spaCy component and the
notebooks call.  Data flows one way: reader → Document → sections → tables →
items → Report.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .document import Document
from .readers import read
from .schema import SCHEMA_ID, Report
from .sections.tagger import Para, tag
from .tables import checks as table_checks
from .tables.extract import extract

_t2s = None


def simplified(text: str) -> str:
    """Traditional → simplified, character for character (keeps offsets)."""
    global _t2s
    if _t2s is None:
        from opencc import OpenCC

        _t2s = OpenCC("t2s")
    out = _t2s.convert(text)
    return out if len(out) == len(text) else text


# Characters that exist only in traditional script and are common in these reports: a cheap
# pre-check before the (slow) full conversion.
_TRAD_ONLY = set("們個這來時說國對會學發與經過還開關條資區縣辦處聯網頁點應據報務檢續質價計劃總體現實審應訴議題複節體積極實驗範圍單衛環債權稅與屬滿訊視覽務")


def _is_traditional(text: str) -> bool:
    sample = text[:3000]
    if not sample or sum(1 for ch in sample if ch in _TRAD_ONLY) < 5:
        return False
    conv = simplified(sample)
    changed = sum(1 for a, b in zip(sample, conv) if a != b)
    return changed > max(5, len(sample) * 0.01)


def parse(path: str | Path, model="default") -> Report:
    doc = read(path)
    return build(doc, doc.sha256, model=model)


def build(doc: Document, sha256: str = "", model="default") -> Report:
    warnings = list(doc.warnings)
    traditional = _is_traditional(doc.text())
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
    checks = table_checks.run(tres.tables)

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
