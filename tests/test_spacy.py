"""spaCy: the gongkai_items component (entry point) and the jieba-tokenised pipeline."""
from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")


def test_component_from_entry_point():
    nlp = spacy.blank("zh")
    nlp.add_pipe("gongkai_items")
    doc = nlp("成立了由局长史文翠担任组长的政务公开领导小组。召开新闻发布会12场。")
    assert doc._.gongkai_items["press_conferences"]["value"] == 12
    assert doc._.gongkai_items["leading_group"]["leader"]["name"] == "史文翠"
    assert ("12场", "press_conferences") in [(e.text, e.label_) for e in doc.ents]


def test_jieba_tokenised_pipeline():
    from gongkai.segment import spacy_pipeline

    nlp = spacy_pipeline()
    doc = nlp("依申请公开涉及三安全一稳定")
    assert [t.text for t in doc] == ["依申请公开", "涉及", "三安全一稳定"]
