"""Against the real reports in ../shared/realdocs (skipped when absent)."""
from __future__ import annotations

import re

import pytest
from conftest import REALDOCS, load_json, parse_dict


def _norm(s):
    return re.sub(r"\s+", "", s)


@pytest.mark.parametrize("folder,doc", [
    ("hegang-wenti-2020-txt", "hegang-wenti-2020.txt"),
    ("huaian-city-2024-pdf", "huaian-2024.pdf"),
])
def test_gold_documents_score_perfectly(realdocs, scorer, folder, doc):
    rep = parse_dict(realdocs / folder / doc)
    gold = load_json(realdocs / folder / "gold.json")
    s = scorer(rep, gold)
    cells_ok, cells_total = map(int, s["cells"].split("/"))
    assert cells_ok == cells_total, s["cell_errors"]
    mi_ok, mi_total = map(int, s["meta_items"].split("/"))
    assert mi_ok == mi_total, s["meta_item_errors"]
    assert s["section_acc"] >= 0.98
    p_ok, p_total = map(int, s["probes"].split("/"))
    assert p_ok == p_total, s["probe_misses"]


def test_huaian_paragraphs_rejoined_and_page_numbers_gone(realdocs):
    rep = parse_dict(realdocs / "huaian-city-2024-pdf" / "huaian-2024.pdf")
    texts = [_norm(p["text"]) for p in rep["paragraphs"]]
    start = [t for t in texts if t.startswith("2024年，我市坚持以习近平新时代中国特色社会主义思想")]
    assert len(start) == 1 and start[0].endswith("圆满完成了各项任务。")
    assert not any("-1-" in t for t in texts)
    assert all(c["ok"] is True for c in rep["checks"]), [c for c in rep["checks"] if c["ok"] is not True]
    rows = rep["tables"]["requests"]["rows"]
    assert len(rows) == 25 and rows["carried_forward"]["total"] == 103  # the grid continued after the page break


def test_table_text_is_not_paragraphs(realdocs):
    rep = parse_dict(realdocs / "huaian-city-2024-pdf" / "huaian-2024.pdf")
    assert not any("属于国家秘密" in p["text"] for p in rep["paragraphs"])


def _real_files():
    if not REALDOCS.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason="../shared/realdocs is absent"))]
    files = sorted(p for p in REALDOCS.glob("*/*") if p.suffix in (".pdf", ".txt"))
    gaps: dict[str, str] = {}
    return [pytest.param(f, id=f.parent.name, marks=[pytest.mark.xfail(strict=True, reason=gaps[f.parent.name])]
                         if f.parent.name in gaps else []) for f in files]


@pytest.mark.parametrize("f", _real_files())
def test_every_real_document_parses_into_paragraphs(f):
    rep = parse_dict(f)
    assert len(rep["paragraphs"]) >= 8, f
    assert rep["meta"]["year"] is not None, f
    assert rep["meta"]["template"] in ("2021", "2019", "legacy"), f
    heads = [p for p in rep["paragraphs"] if p["heading"]]
    assert len(heads) >= 4, f


def test_glued_crawler_tables_never_wrong(realdocs):
    """Pingtan crawler copies: every cell is either consistent or null with a warning."""
    for f in sorted(realdocs.glob("pingtan-20[12][0-9]-txt/page.txt")):
        rep = parse_dict(f)
        if rep["meta"]["template"] == "legacy":
            assert set(rep["tables"]) <= {"legacy"}, f  # only a statistics table, never a standard one
            failed = [c["id"] for c in rep["checks"] if c["ok"] is False]
            assert not failed, (f, failed)
            continue
        assert set(rep["tables"]) == {"proactive", "requests", "appeals"}, f
        failed = [c["id"] for c in rep["checks"] if c["ok"] is False and not c["id"].startswith("text.")]
        assert not failed, (f, failed)
        nulls = [(r, c) for r, cs in rep["tables"]["requests"]["rows"].items() for c, v in cs.items() if v is None]
        if nulls:
            assert any(w["code"] == "table.ambiguous_digits" for w in rep["warnings"])


def test_pingtan_2021_glued_rows_split_by_the_rules(realdocs):
    rep = parse_dict(realdocs / "pingtan-2021-txt" / "page.txt")
    rows = rep["tables"]["requests"]["rows"]
    assert rows["new"]["total"] == sum(rows["new"][c] for c in ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org"))
    assert rep["tables"]["proactive"]["rows"]["normative_documents"]["made"] is None  # '693665' is not forced
    assert any(w["code"] == "table.ambiguous_digits" and "693665" in w["message"] for w in rep["warnings"])


def test_legacy_statistics_table_is_not_a_standard_table(realdocs):
    rep = parse_dict(realdocs / "pingtan-county-2012-txt" / "page.txt")
    assert rep["meta"]["template"] == "legacy" and set(rep["tables"]) == {"legacy"}
    assert not any("指标名称" in p["text"] for p in rep["paragraphs"])


def test_legacy_glued_digits_split_by_prose_and_rules(realdocs):
    """'主动公开信息数条20263542…': the prose's 2026条 and the channel rules force every split."""
    rep = parse_dict(realdocs / "pingtan-county-2012-txt" / "page.txt")
    rows = {r["key"]: r["values"] for r in rep["tables"]["legacy"]["rows"]}
    assert rows["proactive.total"] == [2026, 3542] and rows["proactive.channel.website"] == [1795, 3304]
    assert rows["requests.channel.in_person"] == [18, 18] and rows["responses.granted"] == [17, 17]
    assert not any(w["code"] == "table.ambiguous_digits" for w in rep["warnings"])


def test_legacy_table_with_spaced_ordinals_and_a_signature_after_it(realdocs):
    """'…条 0 4. 网上申请数 条 0': the ordinal after a space is label text; the date after the last row is a paragraph."""
    rep = parse_dict(realdocs / "unlabelled" / "ptzhsyqgaj-gonganju-2010" / "page.txt")
    rows = {r["key"]: r["values"] for r in rep["tables"]["legacy"]["rows"]}
    assert rows["requests.channel.email"] == [0] and rows["requests.channel.online"] == [0]
    rep = parse_dict(realdocs / "unlabelled" / "ptzhsyqczj-2017" / "page.txt")
    assert rep["paragraphs"][-1]["text"].endswith("2017年12月31日")


def test_legacy_section_order_follows_numbered_headings(realdocs):
    """审批事项 between requests and appeals (other), 工作人员及支出 last (fees): not forced into the modern order."""
    rep = parse_dict(realdocs / "pingtan-tax-2013-txt" / "pingtan-tax-2013.txt")
    heads = [(p["text"], p["section"]) for p in rep["paragraphs"] if p["heading"] and p["text"][:2] in ("四、", "六、")]
    assert heads == [("四、审批事项及处理情况", "other"), ("六、工作人员及信息公开事务支出情况", "fees")], heads


def test_stray_html_comment_removed(realdocs):
    rep = parse_dict(realdocs / "pingtan-2016-txt" / "page.txt")
    assert not any("<!--" in p["text"] or "supportLists" in p["text"] for p in rep["paragraphs"])


def test_evidence_spans_contain_values_on_real_documents(realdocs):
    for f in sorted(p for p in realdocs.rglob("*") if p.suffix in (".pdf", ".txt")):
        rep = parse_dict(f)
        paras = {p["id"]: p["text"] for p in rep["paragraphs"]}
        for name, it in rep["items"].items():
            if name == "leading_groups":
                continue
            if name == "quantities":
                for q in it:
                    span = paras[q["paragraph"]][q["start"]:q["end"]]
                    assert span, (f, q)
                continue
            ev = it["evidence"]
            span = paras[ev["paragraph"]][ev["start"]:ev["end"]]
            if name == "processing_fee_yuan" and it["value"] == 0 and not _num_in(span, 0):
                from gongkai.items.counts import ZERO_FEE

                assert ZERO_FEE.fullmatch(span), (f, name, span)  # a fee stated as none: the phrase that says so
            elif "value" in it and it["value"] is not None:
                assert _num_in(span, it["value"]), (f, name, span, it["value"])
            if name == "leading_group" and it["leader"]["name"]:
                assert it["leader"]["name"] in span
            if name in ("wechat", "weibo") and it.get("posts") is not None:
                assert _num_in(span, it["posts"]), (f, name, span)


def _num_in(span: str, value) -> bool:
    import unicodedata

    s = unicodedata.normalize("NFKC", span).replace(",", "").replace(" ", "")
    v = int(value) if float(value).is_integer() else value
    if str(v) in s:
        return True
    from gongkai.numbers import to_number

    return any(to_number(m) == value for m in re.findall(r"[零〇一二两三四五六七八九十百千万]+", s))


@pytest.mark.parametrize("folder", ["huaian-city-2024-pdf", "hongze-district-2023-pdf", "hegang-wenti-2020-txt",
                                    "pingtan-2019-txt", "pingtan-2021-txt", "pingtan-2022-txt", "pingtan-2023-txt"])
def test_all_six_headings_present(realdocs, folder):
    f = next(p for p in (realdocs / folder).iterdir() if p.suffix in (".pdf", ".txt"))
    rep = parse_dict(f)
    heads = [p["section"] for p in rep["paragraphs"] if p["heading"] and re.match(r"[一二三四五六]、", p["text"])]
    assert heads == ["overview", "proactive", "requests", "appeals", "problems", "other"], heads


def test_prose_framed_with_a_table_stays_prose(realdocs):
    """Regression: hongze 2023 page 2 frames prose and table 2 in one border; the prose was lost."""
    rep = parse_dict(realdocs / "hongze-district-2023-pdf" / "hzq2023_working.pdf")
    texts = [_norm(p["text"]) for p in rep["paragraphs"]]
    assert any(t.startswith("（四）政府信息公开平台建设情况") for t in texts)
    assert any(t.endswith("一律不准发布。") for t in texts)
    assert rep["tables"]["proactive"]["rows"]["normative_documents"] == {"made": 0, "repealed": 5, "in_force": 5}


@pytest.mark.parametrize("rel", ["huaian-city-2024-pdf/huaian-2024.pdf", "hongze-district-2023-pdf/hzq2023_working.pdf"])
def test_fast_text_path_matches_pdfplumber(realdocs, rel, monkeypatch):
    """Pages without ruling lines are read with pypdfium2; the paragraphs must equal pdfplumber's."""
    fast = [p["text"] for p in parse_dict(realdocs / rel)["paragraphs"]]
    monkeypatch.setenv("GONGKAI_PDF_TEXT", "pdfplumber")
    slow = [p["text"] for p in parse_dict(realdocs / rel)["paragraphs"]]
    assert [_norm(t) for t in fast] == [_norm(t) for t in slow]


def test_glued_tables_found_in_real_copies_whose_headings_were_deleted(realdocs):
    """Issue 18: the 2019–2024 crawler copies with their numbered headings deleted keep their three
    tables, and no cell differs from the gold."""
    import json

    from gongkai.report import parse
    from gongkai.sections.real import stripped_copy
    from gongkai.tables.model import tables_from_json

    checked = 0
    for g in sorted(realdocs.glob("*/gold.json")):
        made = stripped_copy(g)
        gold = json.loads(g.read_text("utf-8"))
        if made is None or set(gold.get("tables") or {}) != {"proactive", "requests", "appeals"}:
            continue
        path, _ = made
        try:
            got = {k: t.flat() for k, t in tables_from_json(parse(path).to_dict()["tables"]).items()}
        finally:
            path.unlink()
        assert set(got) == {"proactive", "requests", "appeals"}, (g.parent.name, sorted(got))
        for name, cells in gold["tables"].items():
            wrong = {c: (got[name].get(c), v) for c, v in cells.items() if v is not None and got[name].get(c) not in (None, v)}
            assert not wrong, (g.parent.name, name, wrong)
        checked += 1
    assert checked >= 3
