"""Standard tables: numbers, labels, glued digits, checks, and property-based round trips."""
from __future__ import annotations

import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.document import Block, Cell
from gongkai.numbers import parse_cell
from gongkai.tables import glued
from gongkai.tables.checks import run as run_checks
from gongkai.tables.extract import extract


@pytest.mark.parametrize("cell,value,status", [
    ("１２３", 123, "ok"), ("1,234", 1234, "ok"), ("3 001", 3001, "ok"), ("12件", 12, "ok"), ("+8", 8, "ok"), ("-3", -3, "ok"),
    ("484.69万元", 484.69, "ok"), ("", None, "blank"), ("/", None, "blank"), ("—", None, "blank"), ("无", None, "blank"),
    ("约三", None, "unreadable"), ("12a", None, "unreadable"),
])
def test_cells(cell, value, status):
    assert parse_cell(cell) == (value, status)


def test_amounts_to_wan_yuan():
    assert parse_cell("4846900元", amount=True) == (484.69, "ok")
    assert parse_cell("484.69万元", amount=True) == (484.69, "ok")


def grid(rows):
    return Block("table", rows=[[Cell(c) for c in r] for r in rows])


T3_HEAD = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"], ["", "自然人", "法人或其他组织", "总计"]]


def test_labels_with_typos_wraps_and_missing_rows_do_not_shift():
    rows = T3_HEAD + [
        ["一、本年新收政府信息公开申请数量", "5", "0", "0", "0", "0", "0", "5"],
        ["（三）不予公开", "2.其他法律行政止公开", "1", "0", "0", "0", "0", "0", "1"],  # a typo in the label
        ["5、属于三类内部事务 信息", "0", "0", "0", "0", "0", "0", "0"],  # 、 for . and a wrapped label
        ["一个表里没有的行", "9", "9", "9", "9", "9", "9", "9"],
    ]
    res = extract([grid(rows)])
    r = res.tables["requests"]["rows"]
    assert r["new"]["total"] == 5
    assert r["denied.prohibited_by_law"]["natural_person"] == 1
    assert r["denied.internal_affairs"]["total"] == 0
    assert "granted" not in r  # absent, not zero
    assert res.tables["requests"]["extra_rows"][0]["label"] == "一个表里没有的行"


def test_column_count_mismatch_gives_nulls_and_a_warning():
    res = extract([grid(T3_HEAD + [["一、本年新收政府信息公开申请数量", "5", "0", "5"]])])
    assert set(res.tables["requests"]["rows"]["new"].values()) == {None}
    assert any(w["code"] == "table.column_mismatch" for w in res.warnings)


def test_glued_digits_split_only_when_forced():
    rule = lambda v: sum(v[:6]) == v[6]  # noqa: E731
    assert glued.candidates("640020470", 7, rule) == [(64, 0, 0, 2, 0, 4, 70)]
    sols = glued.candidates("898989", 3)
    assert len(sols) > 1 and glued.agree(sols, 3) == [None, None, None]
    assert glued.agree(glued.candidates("000", 3), 3) == [0, 0, 0]
    assert glued.candidates("500000 5", 7, rule) == [(5, 0, 0, 0, 0, 0, 5)]


def test_glued_table_with_rules_across_rows():
    text = ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
            "一、本年新收政府信息公开申请数量120000315二、上年结转政府信息公开申请数量0000000三、本年度办理结果（一）予以公开120000315"
            "（七）总计120000315四、结转下年度继续办理0000000")
    res = extract([Block("table", rows=[[Cell(text)]], glued=True)])
    r = res.tables["requests"]["rows"]
    assert glued.candidates("120000315", 7, lambda v: sum(v[:6]) == v[6]) == [(12, 0, 0, 0, 0, 3, 15)]
    assert r["new"] == {"natural_person": 12, "commercial": 0, "research": 0, "social_welfare": 0, "legal_service": 0, "other_org": 3, "total": 15}
    assert r["granted"]["total"] == 15 and r["total"]["natural_person"] == 12


def test_checks_with_blank_operand_are_undecided():
    tables = {"appeals": {"review": {"upheld": 1, "corrected": None, "other": 0, "pending": 0, "total": 1},
                          "litigation_direct": {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 2}}}
    by = {c["id"]: c for c in run_checks(tables)}
    assert by["appeals.review.total"]["ok"] is None and by["appeals.review.total"]["reason"]
    assert by["appeals.litigation_direct.total"] == {"id": "appeals.litigation_direct.total", "ok": False, "expected": 1, "actual": 2}


def test_negative_counts_are_reported():
    tables = {"proactive": {"template": "2019", "rows": {"licensing": {"previous_items": -1, "change": -3, "decisions": 2}}}}
    ids = [c["id"] for c in run_checks(tables)]
    assert ids == ["nonnegative.proactive.licensing.previous_items"]  # `change` may be negative


def test_check_command_summary(tmp_path):
    import subprocess
    import sys

    from gongkai.synth.generate import make_report
    from gongkai.synth.render import Hazards, render_txt

    r = make_report(random.Random(5), "2019", break_rule=True)
    p = tmp_path / "r.txt"
    p.write_bytes(render_txt(r, Hazards(random.Random(1), "txt", on=False)))
    res = subprocess.run([sys.executable, "-m", "gongkai.cli", "check", "--strict", str(p)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and "FAIL " + r.broken[0] in res.stdout


# ---- property tests: random consistent tables rendered to each format and read back ---------------

def _roundtrip(seed: int, template: str, fmt: str, tmp_path) -> None:
    from gongkai.report import parse
    from gongkai.synth.generate import make_report
    from gongkai.synth.render import Hazards, render
    from gongkai.synth.writer import gold_for

    rng = random.Random(seed)
    r = make_report(rng, template)
    hz = Hazards(random.Random(seed + 1), fmt, on=True)
    if fmt == "txt":
        hz.txt_mode = random.Random(seed).choice(["cells", "tabs"])
    p = render(r, hz, fmt, tmp_path / f"r{seed}.{fmt}")
    gold = gold_for(r, fmt, hz)
    rep = parse(p).to_dict()
    for table, cells in gold["tables"].items():
        t = rep["tables"][table]
        got = ({f"{g}.{f}": v for g, fs in t.items() if isinstance(fs, dict) for f, v in fs.items()} if table == "appeals"
               else {f"{k}.{c}": v for k, cs in t["rows"].items() for c, v in cs.items()})
        assert got == cells, (seed, template, fmt, {k: (got.get(k), v) for k, v in cells.items() if got.get(k) != v})
    assert all(c["ok"] is not False for c in rep["checks"] if not c["id"].startswith("text."))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), template=st.sampled_from(["2021", "2019"]), fmt=st.sampled_from(["txt", "html", "docx"]))
def test_property_roundtrip_text_html_docx(seed, template, fmt, tmp_path):
    _roundtrip(seed, template, fmt, tmp_path)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), template=st.sampled_from(["2021", "2019"]))
def test_property_roundtrip_pdf(seed, template, tmp_path):
    _roundtrip(seed, template, "pdf", tmp_path)


def test_prose_figure_chooses_among_glued_splits(tmp_path):
    """'制发…62件，废止…33件' in the prose pick the one split of '6233440' that agrees with them."""
    from conftest import parse_dict

    body = ("测试区2024年度政府信息公开工作年度报告 本报告根据条例编制。一、总体情况2024年，我区本年度制发行政规范性文件62件，废止行政规范性文件33件。"
            "二、主动公开政府信息情况 第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件6233440"
            "第二十条第（五）项信息内容本年处理决定数量行政许可4529五、存在的主要问题及改进情况人手不足。")
    p = tmp_path / "page.txt"
    p.write_text(body, "utf-8")
    rows = parse_dict(p)["tables"]["proactive"]["rows"]
    assert rows["normative_documents"] == {"made": 62, "repealed": 33, "in_force": 440}
    # without the prose figure the same digits stay null
    p.write_text(body.replace("本年度制发行政规范性文件62件，废止行政规范性文件33件。", "推进公开。"), "utf-8")
    assert parse_dict(p)["tables"]["proactive"]["rows"]["normative_documents"]["made"] is None


def test_more_text_checks():
    from gongkai.items import extract_items

    t = "全区共收到政府信息公开申请154件，共办结148件，结转至2026年6件。"
    tables = {"requests": {"rows": {"new": {"total": 154}, "total": {"total": 148}, "carried_forward": {"total": 5}}}}
    _, checks = extract_items([{"id": "p1", "text": t, "heading": False}], [t], tables)
    by = {c["id"]: c["ok"] for c in checks}
    assert by == {"text.requests.new.total": True, "text.requests.total.total": True, "text.requests.carried_forward.total": False}


def test_legacy_table_from_spaced_text_with_its_checks(tmp_path):
    """A legacy statistics table in a text copy: rows keyed, channel and prose checks; an approval count
    (受理审批申请) is not the disclosure requests."""
    from conftest import parse_dict

    f = tmp_path / "legacy.txt"
    f.write_text("某县2012年政府信息公开工作年度报告\n一、概述\n全年共收到政府信息公开申请5件，共受理审批申请900件。\n"
                 "七、附表\n指标名称 计量单位 2012年度 历年累计 主动公开信息数 条 10 20 受理依申请公开信息总数 条 5 9 "
                 "其中：1、当面申请数 条 5 9\n", "utf-8")
    rep = parse_dict(f)
    t = rep["tables"]["legacy"]
    assert t["columns"] == ["2012年度", "历年累计"]
    assert [(r["key"], r["unit"], r["values"]) for r in t["rows"]] == [
        ("proactive.total", "条", [10, 20]), ("requests.total", "条", [5, 9]), ("requests.channel.in_person", "条", [5, 9])]
    ok = {c["id"]: c["ok"] for c in rep["checks"]}
    assert ok["legacy.requests.channels.2012年度"] is True and ok["legacy.requests.channels.历年累计"] is True
    assert [k for k in ok if k.startswith("text.")] == ["text.legacy.requests.total"] and ok["text.legacy.requests.total"] is True
    assert rep["meta"]["template"] == "legacy"


def test_glued_tables_are_found_when_the_headings_are_deleted(tmp_path):
    """Issue 18: in a crawler copy whose numbered headings were deleted the glued tables were located only
    after a heading cut, so none was found.  They are found by their own start marker and end where prose
    resumes; never a wrong cell."""
    import re

    from gongkai.report import parse
    from gongkai.synth.writer import write_corpus
    from gongkai.tables.model import tables_from_json

    numbered = re.compile(r"[一二三四五六七八九十]+、")
    files = write_corpus(tmp_path, 40, 31, templates=("2021", "2019"), formats=("txt",))
    glued = 0
    for f in files:
        gold = json.loads(f.with_suffix(".gold.json").read_text("utf-8"))
        if not gold["glued"]:
            continue
        glued += 1
        text = f.read_text("utf-8")
        for _, para in gold["paragraphs"]:
            if numbered.match(para) and len(para) <= 30:
                text = text.replace(para, "", 1)
        cut = tmp_path / f"cut-{f.name}"
        cut.write_text(text, "utf-8")
        got = {k: t.flat() for k, t in tables_from_json(parse(cut).to_dict()["tables"]).items()}
        assert set(gold["tables"]) <= set(got), (f.name, sorted(got))
        for name, cells in gold["tables"].items():
            wrong = {c: (got[name].get(c), v) for c, v in cells.items() if v is not None and got[name].get(c) not in (None, v)}
            assert not wrong, (f.name, name, wrong)
    assert glued >= 5
