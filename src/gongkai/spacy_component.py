"""spaCy integration: a ``gongkai_items`` pipeline component.

Registered through the ``spacy_factories`` entry point, so that with gongkai
installed::

    import spacy
    nlp = spacy.blank("zh")            # or gongkai.segment.spacy_pipeline()
    nlp.add_pipe("gongkai_items")
    doc = nlp("成立了由局长史文翠担任组长的政务公开领导小组。召开新闻发布会12场。")
    doc._.gongkai_items["press_conferences"]["value"]   # 12
    [(e.text, e.label_) for e in doc.ents]             # evidence spans as entities

The component treats each ``Doc`` as one paragraph, runs the same extractors as
``gongkai parse`` and stores the items in ``doc._.gongkai_items``; every item's
evidence span becomes an entity (label = item name) where it aligns with tokens.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("gongkai_items")
def make_items(nlp, name: str):
    if not Doc.has_extension("gongkai_items"):
        Doc.set_extension("gongkai_items", default=None)
    return GongkaiItems()


class GongkaiItems:
    def __call__(self, doc):
        from spacy.util import filter_spans

        from .items import extract_items

        text = doc.text
        items, _ = extract_items([{"id": "p1", "text": text, "heading": False}], [text], {})
        doc._.gongkai_items = items
        spans = []
        for name, it in items.items():
            if name == "quantities":
                continue
            ev = it.get("evidence") or {}
            if "start" in ev:
                sp = doc.char_span(ev["start"], ev["end"], label=name, alignment_mode="expand")
                if sp is not None:
                    spans.append(sp)
        doc.ents = filter_spans(list(doc.ents) + spans)
        return doc

