"""Named items and metadata, each with the evidence span it came from.

``extract_items(paragraphs, texts, tables)`` returns the ``items`` object of
OUTPUT.md and the text-vs-table checks.  ``texts`` are the (simplified) texts
the spans refer to; they have the same length as the output paragraphs' text.
"""
from __future__ import annotations


def extract_items(paragraphs: list[dict], texts: list[str], tables: dict, qs: list[dict] | None = None) -> tuple[dict, list[dict]]:
    from .counts import fixed_counts, quantities, text_checks
    from .new_media import new_media

    items: dict = {}
    groups = []
    if any("组长" in t or "领导小组" in t for t in texts):  # its patterns cost 25 ms to compile: only when needed
        from .leading_group import leading_groups

        groups = leading_groups(paragraphs, texts)
    if groups:
        items["leading_group"] = groups[0]
        if len(groups) > 1:
            items["leading_groups"] = groups  # reports that describe several groups
    items.update(new_media(paragraphs, texts))
    if qs is None:
        qs = quantities(paragraphs, texts)
    checks = text_checks(qs, tables)
    items.update(fixed_counts(paragraphs, texts, qs))
    items["quantities"] = qs
    return items, checks
