"""Property-based fuzzing of the text paths (hypothesis).  Brief in `make test`;
`make fuzz` (GONGKAI_FUZZ_EXAMPLES=5000) runs longer.  Every crash found becomes a
regression test below."""
from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.document import Document
from gongkai.errors import ReadError
from gongkai.readers import html, text
from gongkai.report import build
from gongkai.tables import glued
from gongkai.tables.numbers import parse_cell

N = int(os.environ.get("GONGKAI_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=N, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ALPHABET = st.sampled_from(list("一二三四五六、（）()1234567890０１２.，。；：\t\n 总体情况主动公开申请复议诉讼问题其他报告年领导小组组长微信条件元万余<>/&\"'") + ["\u200b", "\x00", "\ufeff"])


@FUZZ
@given(st.text(alphabet=ALPHABET, max_size=400))
def test_text_reader_and_pipeline_never_crash(s):
    try:
        doc = text.read("fuzz.txt", s.encode("utf-8"))
    except ReadError:
        return
    build(doc)


@FUZZ
@given(st.binary(max_size=600))
def test_text_reader_on_bytes(b):
    try:
        text.read("fuzz.txt", b)
    except ReadError:
        pass


@FUZZ
@given(st.lists(st.sampled_from(list("<>/ =\"'tdrableiphvspan") + ["colspan=", "rowspan=", "<td>", "<tr>", "<table>", "</table>", "9999", "一、总体情况", "&#0;", "<!--"]), max_size=120).map("".join))
def test_html_reader_never_crashes(s):
    try:
        doc = html.read("fuzz.html", s.encode("utf-8"))
    except ReadError:
        return
    build(doc)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("0123456789 .+-")), max_size=40), st.integers(min_value=1, max_value=15))
def test_glued_splitter_is_bounded_and_consistent(raw, n):
    sols = glued.candidates(raw, n)
    for s in sols[:50]:
        assert len(s) == n


@FUZZ
@given(st.text(max_size=30))
def test_cell_numbers(s):
    v, status = parse_cell(s)
    assert status in ("ok", "blank", "unreadable") and (v is None) == (status != "ok")


def test_regression_empty_document_builds():
    build(Document(path="x.txt", format="txt"))
