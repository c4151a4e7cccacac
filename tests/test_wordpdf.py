"""PDFs typeset the way agencies export them from Word/WPS (issue 13): official line pitch, first-line
indents or none, wrapped titles, page numbers — generated through LibreOffice and with reportlab, and the
real official-typeset PDF next to its own text copy."""
from __future__ import annotations

import json
import re
import statistics
from pathlib import Path

import pdfplumber
import pytest
from conftest import REALDOCS, ROOT, parse_dict

from gongkai.scoring import score_report
from gongkai.synth.typeset import libreoffice
from gongkai.synth.writer import write_corpus


def _n(s: str) -> str:
    return re.sub(r"\s+", "", s)


def score_corpus(folder: Path) -> dict:
    """Paragraphs exact (every gold paragraph is one parsed paragraph), meta and tables per document."""
    total = exact = 0
    meta_wrong, table_wrong = [], []
    for g in sorted(folder.glob("*.gold.json")):
        gold = json.loads(g.read_text("utf-8"))
        rep = parse_dict(folder / gold["source"])
        got = {_n(p["text"]) for p in rep["paragraphs"]}
        want = [_n(t) for _, t in gold["paragraphs"]]
        total += len(want)
        exact += sum(1 for w in want if w in got)
        s = score_report(rep, gold)
        if any(ok < n for ok, n in s["meta"].values()):
            meta_wrong.append((g.name, rep["meta"]["year"], rep["meta"]["agency"]))
        if s["tables"]["wrong"] or s["tables"]["missing"]:
            table_wrong.append((g.name, s["tables"]))
    return {"paragraphs": exact / total, "meta_wrong": meta_wrong, "table_wrong": table_wrong}


ROUTES = ["reportlab", pytest.param("libreoffice", marks=pytest.mark.skipif(
    libreoffice() is None, reason="LibreOffice is not installed (make system-deps installs it)"))]


@pytest.mark.parametrize("route", ROUTES)
def test_generated_word_layout_pdfs_read_exactly(tmp_path, route):
    write_corpus(tmp_path, 9, 31, formats=("wordpdf",), pdf_routes=(route,))
    s = score_corpus(tmp_path)
    assert s["paragraphs"] == 1.0 and not s["meta_wrong"] and not s["table_wrong"], s


@pytest.mark.slow
def test_hundred_and_twenty_word_layout_pdfs(tmp_path):
    """Acceptance of issue 13 on generated documents: both routes, varied typesetting."""
    write_corpus(tmp_path, 120, 23, formats=("wordpdf",))
    s = score_corpus(tmp_path)
    assert s["paragraphs"] >= 0.99 and not s["meta_wrong"] and not s["table_wrong"], s


def _line_capacity(pdf: Path) -> float:
    """Characters in one full printed line: the longest lines of the document's body text."""
    with pdfplumber.open(pdf) as doc:
        counts = sorted(len(_n(ln["text"])) for page in doc.pages for ln in page.extract_text_lines())
    return counts[int(len(counts) * 0.75)]


def _test_pdfs() -> list:
    out = sorted((ROOT / "corpora" / "samples").glob("*.pdf"))
    if REALDOCS.is_dir():
        out += sorted(REALDOCS.glob("*/*.pdf"))
    return [pytest.param(p, id=p.name) for p in out]


def _median_floor(pdf: Path) -> float:
    """One printed line's worth of text; for a generated report whose own paragraphs are shorter than
    that (its gold says so), the median of its own paragraphs."""
    floor = _line_capacity(pdf)
    gold = pdf.with_suffix(".gold.json")
    if gold.exists():
        own = statistics.median(len(_n(t)) for _, t in json.loads(gold.read_text("utf-8"))["paragraphs"])
        floor = min(floor, own)
    return floor


@pytest.mark.parametrize("pdf", _test_pdfs())
def test_median_paragraph_is_at_least_one_printed_line(pdf):
    """A reader that cuts at every line gives paragraphs of one line or less."""
    paras = [len(_n(p["text"])) for p in parse_dict(pdf)["paragraphs"]]
    assert statistics.median(paras) >= _median_floor(pdf), (pdf.name, statistics.median(paras), _median_floor(pdf))


@pytest.mark.parametrize("route", ROUTES)
def test_median_paragraph_on_generated_word_layout_pdfs(tmp_path, route):
    for pdf in write_corpus(tmp_path, 6, 41, formats=("wordpdf",), pdf_routes=(route,)):
        paras = [len(_n(p["text"])) for p in parse_dict(pdf)["paragraphs"]]
        assert statistics.median(paras) >= _median_floor(pdf), pdf.name


def test_official_pdf_and_its_text_copy_give_the_same_paragraphs(realdocs):
    """pingtan 2024: the PDF (official Word template, LibreOffice) and the crawler text copy of the same report.
    Every paragraph of the text copy is a run of consecutive PDF paragraphs; only one run holds more than one
    (the copy glued the list of improvements into one line), and the PDF's extra paragraph is the title."""
    pdf = parse_dict(realdocs / "pingtan-2024-pdf" / "pingtan-2024.pdf")
    txt = parse_dict(realdocs / "pingtan-2024-txt" / "pingtan-2024.txt")
    P = [_n(p["text"]) for p in pdf["paragraphs"]]
    assert P[0] == _n(pdf["meta"]["title"])
    i, glued_runs = 1, 0
    for t in (_n(p["text"]) for p in txt["paragraphs"]):
        j, acc = i, ""
        while j < len(P) and len(acc) < len(t):
            acc += P[j]
            j += 1
        assert acc == t, (t[:30], acc[:30])
        glued_runs += j - i > 1
        i = j
    assert i == len(P) and glued_runs <= 1
    for key in ("title", "agency", "year"):
        assert pdf["meta"][key] == txt["meta"][key]


def test_figure_across_a_line_break_is_kept(realdocs):
    """Regression: '全年办理政府信息公开申请 218' / '件' lost the figure on the PDF."""
    rep = parse_dict(realdocs / "pingtan-2024-pdf" / "pingtan-2024.pdf")
    assert any("全年办理政府信息公开申请218件" in _n(p["text"]) for p in rep["paragraphs"])
