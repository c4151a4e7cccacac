"""Property-based fuzzing of the text paths (hypothesis).  Brief in `make test`;
`make fuzz` (GONGKAI_FUZZ_EXAMPLES=5000) runs longer.  Every crash found becomes a
regression test below."""
from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.document import Document
from gongkai.errors import ReadError
from gongkai.numbers import parse_cell
from gongkai.readers import html, text
from gongkai.report import build
from gongkai.tables import glued

N = int(os.environ.get("GONGKAI_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=N, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ALPHABET = st.sampled_from(list("一二三四五六、（）()1234567890０１２.，。；：\t\n 总体情况主动公开申请复议诉讼问题其他报告年领导小组组长微信条件元万余<>/&\"'") + ["\u200b", "\x00", "\ufeff"])


def read_and_build(reader, name: str, data: bytes) -> None:
    """A reader either refuses the input with ReadError or the whole pipeline runs on it."""
    try:
        doc = reader(name, data)
    except ReadError:
        return
    build(doc)


@FUZZ
@given(st.text(alphabet=ALPHABET, max_size=400))
def test_text_reader_and_pipeline_never_crash(s):
    read_and_build(text.read, "fuzz.txt", s.encode("utf-8"))


@FUZZ
@given(st.binary(max_size=600))
def test_text_reader_on_bytes_does_not_crash(b):
    try:
        text.read("fuzz.txt", b)
    except ReadError:
        pass


@FUZZ
@given(st.lists(st.sampled_from(list("<>/ =\"'tdrableiphvspan") + ["colspan=", "rowspan=", "<td>", "<tr>", "<table>", "</table>", "9999", "一、总体情况", "&#0;", "<!--"]), max_size=120).map("".join))
def test_html_reader_and_pipeline_never_crash(s):
    read_and_build(html.read, "fuzz.html", s.encode("utf-8"))


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


def _mutants(data: bytes, seed: int, n: int = 8) -> bytes:
    import random

    rng = random.Random(seed)
    b = bytearray(data)
    for _ in range(n):
        op = rng.random()
        i = rng.randrange(len(b))
        if op < 0.5:
            b[i] = rng.randrange(256)
        elif op < 0.8:
            del b[i: i + rng.randrange(1, 64)]
        else:
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 32)))
    return bytes(b)


_SEEDS = {}


def _seed_files(tmp_dir):
    if not _SEEDS:
        from pathlib import Path

        from fixtures import docx_with_merged_cells, pdf_with_table_across_pages

        d = Path(tmp_dir)
        _SEEDS["pdf"] = pdf_with_table_across_pages(d / "seed.pdf").read_bytes()
        _SEEDS["docx"] = docx_with_merged_cells(d / "seed.docx").read_bytes()
    return _SEEDS


@settings(max_examples=max(10, N // 4), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.integers(0, 2**32 - 1), st.sampled_from(["pdf", "docx"]))
def test_binary_readers_on_mutated_files_do_not_crash(tmp_path_factory, seed, kind):
    from gongkai.readers import docx, pdf

    seeds = _seed_files(tmp_path_factory.mktemp("seeds"))
    data = _mutants(seeds[kind], seed)
    read_and_build(pdf.read if kind == "pdf" else docx.read, f"fuzz.{kind}", data)
