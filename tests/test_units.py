"""Zoning long paragraphs into units (issue 18): a copy whose headings were lost runs sections together;
its paragraphs are labelled by their sentences' units and cut where the section changes."""
from __future__ import annotations

import json

from gongkai.evaluation import char_accuracy
from gongkai.report import parse
from gongkai.sections import LABELS
from gongkai.sections.headings import is_heading_line
from gongkai.sections.units import LONG, MIN_UNIT, unit_spans


def test_a_paragraph_of_ordinary_length_is_one_unit():
    text = "本报告根据《中华人民共和国政府信息公开条例》编制。" * 3
    assert unit_spans(text) == [(0, len(text))]


def test_long_text_is_cut_at_sentence_ends_into_units_that_cover_it():
    text = "".join(f"第{i}句话说的是政府信息公开工作的一个方面，内容足够长。" for i in range(20)) + " 结尾"
    spans = unit_spans(text)
    assert len(text) > LONG and len(spans) > 1
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")
    for a, b in spans[:-1]:
        assert text[b - 1] in "。！？；" and b - a >= MIN_UNIT


def _headings_deleted_and_flattened(gold: dict) -> list[tuple[str, str]]:
    """The gold paragraphs without their top-level section headings."""
    def heading(t: str) -> bool:
        h = is_heading_line(t) if len(t) <= 40 else None
        return h is not None and h.level == 1 and h.label is not None

    return [(lab, t) for lab, t in gold["paragraphs"] if not heading(t)]


def test_a_flattened_report_without_headings_is_cut_where_its_sections_change(tmp_path):
    """Generated reports of every template, section headings deleted and every paragraph run into one
    line (a crawler's flattened copy): the sections still come out, and no output paragraph runs on
    through a whole report."""
    from gongkai.synth.writer import write_corpus

    write_corpus(tmp_path / "g", 12, 41, formats=("txt",), hazards=False)
    correct = total = spanning = 0
    for g in sorted((tmp_path / "g").glob("*.gold.json")):
        paras = _headings_deleted_and_flattened(json.loads(g.read_text("utf-8")))
        flat = tmp_path / g.name.replace(".gold.json", ".flat.txt")
        flat.write_text("".join(t for _, t in paras), "utf-8")
        rep = parse(flat).to_dict()
        c, _, n = char_accuracy(paras, [(p["section"], p["text"]) for p in rep["paragraphs"]])
        correct, total = correct + c, total + n
        spanning += _chars_spanning_sections(paras, [p["text"] for p in rep["paragraphs"]])
    assert correct / total >= 0.92  # measured 0.946 (0.868 without zoning)
    assert spanning / total <= 0.20  # measured 0.158 (0.257 without zoning)


def _chars_spanning_sections(gold: list[tuple[str, str]], texts: list[str]) -> int:
    """Characters of the output paragraphs that run over more than one gold section."""
    labels = "".join(str(LABELS.index(lab)) * len(t) for lab, t in gold)  # one digit per character
    full = "".join(t for _, t in gold)
    out, pos = 0, 0
    for t in texts:
        i = full.find(t, pos)
        if i >= 0:
            pos = i + len(t)
            out += len(t) if len(set(labels[i:pos])) > 1 else 0
    return out


def test_the_least_confident_tenth_of_a_flattened_reports_paragraphs_holds_its_errors(tmp_path):
    """Issue 18's review promise on the generated family: reports flattened with their headings deleted, every
    output paragraph right or wrong by the section most of its characters have in the gold; the tenth with the
    lowest confidence holds a good share of the wrong ones."""
    from collections import Counter

    from gongkai.sections.real import errors_caught
    from gongkai.synth.writer import write_corpus

    write_corpus(tmp_path / "g", 30, 77, formats=("txt",), hazards=False)
    marks = []
    for g in sorted((tmp_path / "g").glob("*.gold.json")):
        paras = _headings_deleted_and_flattened(json.loads(g.read_text("utf-8")))
        full = "".join(t for _, t in paras)
        labels = [lab for lab, t in paras for _ in t]
        flat = tmp_path / g.name.replace(".gold.json", ".flat.txt")
        flat.write_text(full, "utf-8")
        pos = 0
        for p in parse(flat).to_dict()["paragraphs"]:
            i = full.find(p["text"], pos)
            if i >= 0:
                pos = i + len(p["text"])
                marks.append((p["confidence"], p["section"] == Counter(labels[i:pos]).most_common(1)[0][0]))
    assert sum(1 for _, ok in marks if not ok) >= 10  # enough errors for the share to mean something (20 of 330)
    assert errors_caught(marks) >= 0.4  # measured 0.50 (0.60 without the text view; 0.73
    # against 0.67 on 40 reports of seed 5): on generated text the text view neither helps nor hurts much


def test_cut_paragraphs_keep_their_offsets_in_the_source(tmp_path):
    from gongkai.synth.writer import write_corpus

    write_corpus(tmp_path / "g", 2, 41, formats=("txt",), hazards=False)
    g = sorted((tmp_path / "g").glob("*.gold.json"))[0]
    flat = tmp_path / "one.txt"
    flat.write_text("".join(t for _, t in _headings_deleted_and_flattened(json.loads(g.read_text("utf-8")))), "utf-8")
    source = flat.read_text("utf-8")
    paras = parse(flat).to_dict()["paragraphs"]
    assert len(paras) > 1
    for p in paras:
        assert source[p["start"]:p["end"]] == p["text"]


def test_a_paragraph_that_lost_markup_at_its_start_is_located_by_its_end():
    """平潭 2016: the gold text keeps a crawler's <!--[if !supportLists]--> the reader drops; the paragraph
    is found by its last characters (as score.py finds it) instead of counting as unlocated."""
    gold = [("overview", "6、国有企业信息公开情况由网站公布。<!--[if !supportLists]-->7、<!--[endif]-->公共监管信息公开情况，"
                         "公开环评批复文件和监管信息。")]
    pred = [("overview", "6、国有企业信息公开情况由网站公布。"), ("overview", "7、公共监管信息公开情况，公开环评批复文件和监管信息。")]
    correct, located, total = char_accuracy(gold, pred)
    assert correct == located == total
