"""Readers on documents the tests build themselves."""
from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT, parse_dict
from fixtures import docx_with_merged_cells, gbk_html_no_charset, pdf_with_table_across_pages

from gongkai.readers import read
from gongkai.tables.model import Table


def test_pdf_table_across_page_break_is_one_grid(tmp_path):
    path = pdf_with_table_across_pages(tmp_path / "r.pdf")
    doc = read(path)
    tables = doc.tables
    assert len(tables) == 1
    labels = "".join(c.text for row in tables[0].rows for c in row)
    assert "本年新收" in labels and "结转下年度" in labels
    rep = parse_dict(path)
    rows = rep["tables"]["requests"]["rows"]
    assert rows["new"]["total"] == 12 and rows["carried_forward"]["natural_person"] == 1
    assert rows["unavailable.not_held"]["total"] == 4
    assert all(c["ok"] for c in rep["checks"] if c["id"].startswith("requests.")), [c for c in rep["checks"] if not c["ok"]]


def test_pdf_paragraph_rejoined_without_spaces_and_noise_dropped(tmp_path):
    rep = parse_dict(pdf_with_table_across_pages(tmp_path / "r.pdf"))
    texts = [p["text"] for p in rep["paragraphs"]]
    long = [t for t in texts if t.startswith("今年我县")]
    assert len(long) == 1 and long[0].endswith("取得了明显成效。") and " " not in long[0]
    assert not any(re.fullmatch(r"-\s*\d+\s*-", t) for t in texts)
    assert not any("测试县人民政府测试县人民政府" in t for t in texts)  # fake bold deduplicated
    assert not any("属于国家秘密" in t for t in texts)


def test_gbk_html_without_charset(tmp_path):
    rep = parse_dict(gbk_html_no_charset(tmp_path / "r.html"))
    texts = [p["text"] for p in rep["paragraphs"]]
    assert any("主动公开政府信息1200余条" in t for t in texts)
    assert not any("当前位置" in t or "版权所有" in t or t == "首页" for t in texts)
    app = rep["tables"]["appeals"]
    assert app["review"] == {"upheld": 1, "corrected": 0, "other": 1, "pending": 0, "total": 2}
    assert app["litigation_direct"]["total"] == 1


def test_docx_merged_cells_do_not_shift_values(tmp_path):
    rep = parse_dict(docx_with_merged_cells(tmp_path / "r.docx"))
    rows = rep["tables"]["proactive"]["rows"]
    assert rows["regulations"] == {"made": 0, "repealed": 0, "in_force": 2}
    assert rows["normative_documents"] == {"made": 3, "repealed": None, "in_force": 40}
    assert rows["licensing"] == {"decisions": 1234}
    assert any(w["code"] == "table.blank_cell" for w in rep["warnings"])


def test_text_one_cell_per_line(tmp_path):
    lines = ["测试镇人民政府2020年政府信息公开工作年度报告", "一、总体情况", "我镇全年公开信息300条。", "四、政府信息公开行政复议、行政诉讼情况",
             "\t行政复议", "\t行政诉讼", "", "\t结果维持", "\t结果纠正", "\t其他结果", "\t尚未审结", "\t总计", "\t未经复议直接起诉", "\t复议后起诉", ""]
    lines += ["\t" + x for x in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2] + [""]
    lines += ["\t" + x for x in ["1", "1", "0", "0", "2", "0", "0", "0", "0", "0", "0", "0", "0", "0", " "]] + ["", "五、存在的主要问题及改进情况", "人手不足。"]
    p = tmp_path / "r.txt"
    p.write_text("\n".join(lines), "utf-8")
    rep = parse_dict(p)
    assert rep["tables"]["appeals"]["review"]["total"] == 2
    assert rep["tables"]["appeals"]["litigation_after_review"]["total"] is None
    sections = {p["text"]: p["section"] for p in rep["paragraphs"]}
    assert sections["人手不足。"] == "problems"
    assert not any(t in ("结果维持", "0") for t in sections)


def test_glued_crawler_text_inline_headings(tmp_path):
    body = ("测试区2021年度政府信息公开工作年度报告 本报告由测试区管委会办公室编制。一、总体情况2021年，我区推进公开工作。"
            "（一）主动公开方面。全年公开信息500条。四、政府信息公开行政复议、行政诉讼情况 行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
            "未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计10203150000010001"
            "五、存在的主要问题及改进情况一是解读不够。")
    p = tmp_path / "page.txt"
    p.write_text("标题: 测试区2021年度政府信息公开工作年度报告\n========== 正文 ==========\n" + body, "utf-8")
    rep = parse_dict(p)
    heads = [x["text"] for x in rep["paragraphs"] if x["heading"]]
    assert "一、总体情况" in heads and "五、存在的主要问题及改进情况" in heads
    assert rep["tables"]["appeals"]["review"] == {"upheld": 10, "corrected": 2, "other": 0, "pending": 3, "total": 15}
    assert rep["meta"]["agency"] == "测试区" and rep["meta"]["year"] == 2021


def test_traditional_characters_keep_original_text(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("測試縣人民政府2019年政府信息公開工作年度報告\n一、總體情況\n本縣全年主動公開政府信息300條。\n五、存在的主要問題及改進情況\n人員不足。\n", "utf-8")
    rep = parse_dict(p)
    assert rep["paragraphs"][0]["text"].startswith("測試縣")
    assert {x["section"] for x in rep["paragraphs"]} >= {"overview", "problems"}
    assert any(w["code"] == "document.traditional" for w in rep["warnings"])
    assert rep["meta"]["year"] == 2019


def test_crawler_breadcrumb_and_share_buttons_dropped(tmp_path):
    """Regression (crawler copies): 当前位置…来源…时间…微信 微博 QQ空间…相关链接： --> before the body."""
    p = tmp_path / "page.txt"
    p.write_text("标题: 测试区2017年度政府信息公开工作年度报告\n========== 正文 ==========\n"
                 "当前位置： 首页政务公开政府信息公开年报 测试区2017年度政府信息公开工作年度报告 来源：测试区 时间：2018-01-23 08:51 "
                 "微信 微博 QQ空间 全真版 文字版 文件下载 相关链接： --> 测试区2017年度政府信息公开工作年度报告 根据条例编制本报告。"
                 "一、概述2017年，我区深化公开内容。五、存在的主要问题和改进措施人手不足。", "utf-8")
    rep = parse_dict(p)
    texts = [x["text"] for x in rep["paragraphs"]]
    assert not any("当前位置" in t or "QQ空间" in t or "-->" in t or "来源：" in t for t in texts)
    assert rep["meta"]["title"] == "测试区2017年度政府信息公开工作年度报告"


def test_html_article_chrome_dropped(tmp_path):
    """Regression (a government CMS page): source/time spans, version tabs and share links around the article."""
    page = ("<html><head><meta charset='utf-8'><meta name='PubDate' content='2025-03-10 15:35'/>"
            "<title>测试区2024年度政府信息公开工作年度报告_年报_测试区</title></head><body>"
            "<div class='article_title'>测试区2024年度政府信息公开工作年度报告</div>"
            "<div class='article_extend'><span class='article_source'>来源：测试区管委会办公室</span>"
            "<span class='article_time'>时间：2025-03-10 15:35</span></div>"
            "<div class='tabs_hd'><ul><li>全真版</li><li>文字版</li></ul><a>文件下载</a></div>"
            "<div class='links_con'><span>相关链接：</span></div>"
            "<div class='TRS_Editor'><p>本报告根据条例编制。</p><p><span>一、总体情况&nbsp;</span></p><p>2024年，我区持续深化政务公开。</p></div>"
            "</body></html>")
    p = tmp_path / "page.html"
    p.write_text(page, "utf-8")
    rep = parse_dict(p)
    texts = [x["text"] for x in rep["paragraphs"]]
    assert texts[0] == "测试区2024年度政府信息公开工作年度报告"
    assert not any(t.startswith(("来源", "时间", "全真版", "文字版", "文件下载", "相关链接")) for t in texts), texts
    assert "一、总体情况" in texts and rep["meta"]["agency"] == "测试区"
    assert rep["meta"]["published"] == "2025-03-10"


def test_pdf_table_without_ruling_lines(tmp_path):
    """Tables printed as aligned text (no ruling lines) are read from their lines."""
    import random

    from fixtures import _font
    from reportlab.pdfgen import canvas

    from gongkai.synth.generate import make_report

    r = make_report(random.Random(9), "2021")
    rows = r.tables["requests"]["rows"]
    labels = {"new": "一、本年新收政府信息公开申请数量", "carried_over": "二、上年结转政府信息公开申请数量", "granted": "（一）予以公开",
              "partial": "（二）部分公开", "unavailable.not_held": "1.本机关不掌握相关政府信息", "other.other": "3.其他",
              "total": "（七）总计", "carried_forward": "四、结转下年度继续办理"}
    _font()
    p = tmp_path / "unruled.pdf"
    c = canvas.Canvas(str(p))
    c.setFont("STSong-Light", 10)
    y = 800
    for line in ["测试县2022年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况", "申请人情况", "自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计"]:
        c.drawString(60, y, line)
        y -= 18
    for key, lab in labels.items():
        vals = [rows[key][k] for k in ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")]
        c.drawString(60, y, lab)
        for i, v in enumerate(vals):
            c.drawRightString(330 + i * 35, y, str(v))
        y -= 18
    c.drawString(60, y - 10, "五、存在的主要问题及改进情况")
    c.drawString(60, y - 30, "人员力量不足。")
    c.save()
    rep = parse_dict(p)
    got = rep["tables"]["requests"]["rows"]
    for key in labels:
        assert got[key] == rows[key], key
    assert not any("本年新收" in x["text"] for x in rep["paragraphs"])


def test_glued_legacy_titles_without_ordinals(tmp_path):
    """Crawler text of a legacy report whose headings have no ordinals: titles are cut after a sentence end."""
    p = tmp_path / "page.txt"
    p.write_text("测试县2012年政府信息公开工作年度报告 本报告由县政府办公室编制。概述2012年，我县推进公开工作。"
                 "主动公开政府信息的情况全年公开信息300条。依申请公开政府信息情况全年受理申请5件。"
                 "存在的主要问题和改进措施人员不足。", "utf-8")
    rep = parse_dict(p)
    heads = {x["text"]: x["section"] for x in rep["paragraphs"] if x["heading"]}
    assert heads == {"概述": "overview", "主动公开政府信息的情况": "proactive", "依申请公开政府信息情况": "requests",
                     "存在的主要问题和改进措施": "problems"}


def test_legacy_doc_via_libreoffice_when_installed(tmp_path):
    """A .doc is read through LibreOffice when it is installed (skipped otherwise; the error path is in test_errors)."""
    import shutil
    import subprocess

    import pytest

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        pytest.skip("LibreOffice is not installed")
    src = docx_with_merged_cells(tmp_path / "r.docx")
    subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "doc", "--outdir", str(tmp_path), str(src)],
                   capture_output=True, timeout=180)
    doc_path = tmp_path / "r.doc"
    if not doc_path.exists():
        pytest.skip("LibreOffice could not write a .doc here")
    rep = parse_dict(doc_path)
    assert rep["source"]["format"] == "doc"
    assert rep["meta"]["agency"] == "测试区财政局" and rep["meta"]["year"] == 2021


def _wrapped_copy(r, width=30) -> str:
    """A generated report as a text copy with hard line wraps and tables as aligned columns."""
    from gongkai.synth import grids

    out = []
    for el in r.body:
        if el[0] == "p":
            text = el[2]
            if el[3]:
                out.append(text)
                continue
            first = True
            while text:
                w = width - 2 if first else width
                out.append(("  " if first else "") + text[:w])
                text = text[w:]
                first = False
            continue
        t = r.tables[el[1]]
        fmt = lambda v, k: str(v)  # noqa: E731
        grid = grids.grid(el[1], t, fmt)
        for row in grid:
            out.append("  ".join(c[0] for c in row))
    return "\n".join(out) + "\n"


def test_text_copy_with_hard_wraps_and_aligned_tables(tmp_path):
    import random

    from gongkai.synth.generate import make_report

    r = make_report(random.Random(21), "2021")
    p = tmp_path / "copy.txt"
    p.write_text(_wrapped_copy(r), "utf-8")
    rep = parse_dict(p)
    body = [el for el in r.body if el[0] == "p" and not el[3]]
    texts = [x["text"] for x in rep["paragraphs"]]
    for el in body:  # every paragraph re-joined whole
        assert el[2] in texts, el[2][:30]
    rows = rep["tables"]["requests"]["rows"]
    assert rows == r.tables["requests"]["rows"]
    assert rep["tables"]["appeals"]["review"] == r.tables["appeals"]["review"]


def test_text_copy_of_a_pdf_title_on_two_lines_and_page_numbers(tmp_path):
    """A text copy made from a PDF: the agency above the year line, page numbers between pages."""
    p = tmp_path / "copy.txt"
    p.write_text("               测试市人民政府\n        2024 年政府信息公开工作年度报告\n本报告由测试市人民政府办公室编制。\n一、总体情况\n"
                 "2024 年，我市推进政务公开。\n-1-\n\n五、存在的主要问题及改进情况\n人员不足。\n- 2 -\n", "utf-8")
    rep = parse_dict(p)
    assert rep["meta"]["title"] == "测试市人民政府2024年政府信息公开工作年度报告"
    assert rep["meta"]["agency"] == "测试市人民政府"
    assert not any(x["text"] in ("-1-", "- 2 -") for x in rep["paragraphs"])


def test_generated_pdf_with_a_label_split_by_the_page_break(tmp_path):
    """The generator's split-label hazard: table 3 cut inside （四）无法提供; the reader joins it back."""
    import random

    from gongkai.synth.generate import make_report
    from gongkai.synth.render import Hazards, render

    r = make_report(random.Random(4), "2021")
    hz = Hazards(random.Random(4), "pdf", on=False)
    hz.split_label = True
    p = render(r, hz, "pdf", tmp_path / "split.pdf")
    doc = read(p)
    labels = [c.text for b in doc.tables for row in b.rows for c in row]
    assert "（四）无法提供" in labels and "法提供" not in labels
    rep = parse_dict(p)
    assert rep["tables"]["requests"]["rows"] == r.tables["requests"]["rows"]


def test_text_copy_with_one_cell_per_line_and_no_tabs(tmp_path):
    """A raw text copy of a PDF table: every cell on its own line, blank lines between, no tabs."""
    import random

    from gongkai.synth.generate import make_report

    r = make_report(random.Random(33), "2021")
    rows = r.tables["requests"]["rows"]
    lines = ["测试县2022年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况", "申请人情况", "自然人", "总计"]
    for key, lab in (("new", "一、本年新收政府信息公开申请数量"), ("carried_over", "二、上年结转政府信息公开申请数量"),
                     ("total", "（七）总计"), ("carried_forward", "四、结转下年度继续办理")):
        lines.append(lab)
        lines += [str(rows[key][c]) for c in ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")]
    lines += ["五、存在的主要问题及改进情况", "人员力量不足，业务能力有待提高。"]
    p = tmp_path / "raw.txt"
    p.write_text("\n\n".join(lines), "utf-8")
    got = parse_dict(p)["tables"]["requests"]["rows"]
    for key in ("new", "carried_over", "total", "carried_forward"):
        assert got[key] == rows[key], key


@pytest.mark.parametrize("route", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("font", ["substituted", "embedded"])
def test_fake_bold_heading_run_printed_twice_is_read_once(tmp_path, monkeypatch, route, font):
    """Regression (issue 12): a heading drawn twice as a whole run came out as 'X X' on the pdfium path,
    depending on which CJK font the machine had to substitute."""
    from fixtures import cjk_ttf, pdf_with_fake_bold_headings

    embed = cjk_ttf() if font == "embedded" else None
    if font == "embedded" and embed is None:
        pytest.skip("no CJK TrueType font installed to embed (make system-deps installs fonts-wqy-zenhei)")
    if route == "pdfplumber":
        monkeypatch.setenv("GONGKAI_PDF_TEXT", "pdfplumber")
    pdf = pdf_with_fake_bold_headings(tmp_path / "bold.pdf", embed=embed)
    texts = [p["text"].replace(" ", "") for p in parse_dict(pdf)["paragraphs"]]
    for head in ("一、总体情况", "二、主动公开政府信息情况", "五、存在的主要问题及改进情况"):
        assert head in texts, texts
    assert not any(t.count("总体情况") > 1 or t.count("主动公开政府信息情况") > 1 for t in texts), texts


# ---- issue 16: web copies in the shapes content systems produce ---------------------------------

SEED = ROOT.parent / "shared" / "seeds" / "hegang-wenti-2020.txt"


def _seed_tables(gold: dict) -> dict:
    """The seed's tables (hand-checked gold) in the generator's own shape, to be rendered by it."""
    out: dict = {}
    for name, cells in gold["tables"].items():
        nested: dict = {}
        for key, value in cells.items():
            row, col = key.rsplit(".", 1)
            nested.setdefault(row, {})[col] = value
        out[name] = Table(name, gold["meta"]["template"], nested).to_json()
    return out


def _seed_page(shape: str, gold: dict) -> str:
    """The seed report rendered by the generator's HTML table shapes: its prose as <p>s, its tables (the
    hand-checked values) in ``shape``, a blank cell as the shape leaves it."""
    import html as htmlmod
    import random

    from gongkai.synth import grids
    from gongkai.synth.render import Hazards, _html_table

    hz = Hazards(random.Random(0), "html", on=False)
    hz.html_shape = shape
    tables = _seed_tables(gold)
    order = iter(["proactive", "requests", "appeals"])
    parts = []
    for b in read(str(SEED)).blocks:
        if b.kind == "table":
            name = next(order)
            parts.append(_html_table(grids.grid(name, tables[name], lambda v, key: "" if v is None else str(v)), hz))
        else:
            parts.append(f"<p>{htmlmod.escape(b.text)}</p>")
    return "<html><body><div class='article'>" + "".join(parts) + "</div></body></html>"


@pytest.mark.parametrize("shape", ["table", "p", "div", "br", "split", "td_p"])
def test_seed_report_in_every_web_shape_gives_its_tables(tmp_path, shape, scorer):
    """The seed report (hegang 2020, hand-checked gold) rendered in each web shape: every cell right,
    sections and probes right, no table text among the paragraphs."""
    gold_path = ROOT.parent / "shared" / "realdocs" / "hegang-wenti-2020-txt" / "gold.json"
    if not SEED.exists() or not gold_path.exists():
        pytest.skip("../shared/seeds or the seed's gold is absent")
    gold = json.loads(gold_path.read_text("utf-8"))
    page = tmp_path / f"seed-{shape}.html"
    page.write_text(_seed_page(shape, gold), "utf-8")
    got = parse_dict(page)
    s = scorer(got, gold)
    assert s["cells"] == "198/198" and s["cells_wrong"] == 0, s["cell_errors"]
    assert s["section_acc"] == 1.0 and s["probes"] == "13/13", s["probe_misses"]
    assert not any(re.fullmatch(r"[\d/+\-.]+|自然人|信息内容|行政复议|申请人情况", p["text"].strip()) for p in got["paragraphs"])


def _seed_text_page(shape: str) -> str:
    """The seed's text copy (one cell per line, blank cells and the covered cells of merged labels as
    blank lines) as a content system exports it: one block per line, a blank cell as ``&nbsp;``."""
    import html as htmlmod

    lines = SEED.read_text("utf-8").split("\n")
    cells = [htmlmod.escape(x.strip()) or ("&nbsp;" if x.startswith("\t") else "") for x in lines]
    if shape == "br":
        return "<html><body><div><p>" + "<br/>".join(f"<span>{c}</span>" for c in cells if c) + "</p></div></body></html>"
    return "<html><body><div>" + "".join(f"<{shape}>{c}</{shape}>" for c in cells if c) + "</div></body></html>"


@pytest.mark.parametrize("shape", ["p", "div", "br"])
def test_seed_text_copy_one_block_per_line_never_gives_a_wrong_cell(tmp_path, shape, scorer):
    """The seed's own text copy exported one block per line: sections and probes right, no wrong cell.
    Rows where the covered cells of merged labels left blank blocks are ambiguous (a blank block may be
    either) and abstain with a warning."""
    gold_path = ROOT.parent / "shared" / "realdocs" / "hegang-wenti-2020-txt" / "gold.json"
    if not SEED.exists() or not gold_path.exists():
        pytest.skip("../shared/seeds or the seed's gold is absent")
    page = tmp_path / f"seed-{shape}.html"
    page.write_text(_seed_text_page(shape), "utf-8")
    got = parse_dict(page)
    s = scorer(got, json.loads(gold_path.read_text("utf-8")))
    assert s["cells_wrong"] == 0, s["cell_errors"]
    assert set(got["tables"]) == {"proactive", "requests", "appeals"}
    assert s["section_acc"] == 1.0 and s["probes"] == "13/13", s["probe_misses"]


def test_xhtml_with_xml_declaration_reads_like_the_plain_page(tmp_path):
    body = "<html><body><p>测试县2023年政府信息公开工作年度报告</p><p>一、总体情况</p><p>全年主动公开政府信息120条。</p></body></html>"
    plain = tmp_path / "plain.html"
    plain.write_text(body, "utf-8")
    xhtml = tmp_path / "x.html"
    xhtml.write_bytes(('<?xml version="1.0" encoding="gb2312"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
                       '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n' + body.replace("<html>", '<html xmlns="http://www.w3.org/1999/xhtml">')).encode("gb2312"))
    a, b = parse_dict(plain), parse_dict(xhtml)
    assert [p["text"] for p in a["paragraphs"]] == [p["text"] for p in b["paragraphs"]] and a["meta"]["agency"] == b["meta"]["agency"]


@pytest.mark.parametrize("meta", ['<meta charset="gbk">', '<meta charset="no-such-codec">', '<meta charset="x-user-defined">'])
def test_meta_charset_that_lies_or_names_no_codec(tmp_path, meta):
    p = tmp_path / "lie.html"
    p.write_bytes(f"<html><head>{meta}</head><body><p>测试县2023年政府信息公开工作年度报告</p><p>一、总体情况</p></body></html>".encode())
    assert parse_dict(p)["meta"]["agency"] == "测试县"


def test_tables_not_found_is_said(tmp_path):
    p = tmp_path / "no-tables.txt"
    p.write_text("测试县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n全年工作平稳。\n二、主动公开政府信息情况\n详见下表。\n"
                 "三、收到和处理政府信息公开申请情况\n详见下表。\n四、政府信息公开行政复议、行政诉讼情况\n无。\n", "utf-8")
    assert any(w["code"] == "document.tables_not_found" for w in parse_dict(p)["warnings"])


@pytest.mark.parametrize("shape", ["table", "p", "div", "br", "split", "td_p"])
def test_generated_web_copies_in_every_shape_give_exact_tables(tmp_path, monkeypatch, shape):
    import json

    from gongkai.evaluation import char_accuracy
    from gongkai.scoring import score_report
    from gongkai.script import simplified
    from gongkai.synth import render
    from gongkai.synth.writer import write_corpus

    real_init = render.Hazards.__init__

    def one_shape(self, *a, **k):
        real_init(self, *a, **k)
        self.html_shape = shape

    monkeypatch.setattr(render.Hazards, "__init__", one_shape)
    for path in write_corpus(tmp_path, 6, 5, formats=("html",)):
        gold = json.loads((path.parent / (path.stem + ".gold.json")).read_text("utf-8"))
        rep = parse_dict(path)
        s = score_report(rep, gold)
        assert s["tables"]["wrong"] == 0 and s["tables"]["missing"] == 0, (path.name, s["tables"])
        conv = simplified if gold["hazards"]["traditional"] else (lambda t: t)
        right, _, total = char_accuracy([tuple(x) for x in gold["paragraphs"]], [(p["section"], conv(p["text"])) for p in rep["paragraphs"]])
        assert right >= 0.99 * total, path.name
        assert not any(re.fullmatch(r"[\d/+\-.]+", p["text"].strip()) for p in rep["paragraphs"]), path.name


def test_one_cell_per_line_table_that_breaks_a_rule_is_read_as_printed():
    """Regression: a one-cell-per-line appeals row whose total does not add up was left all null."""
    from gongkai.tables.glued import one_cell_per_line

    raw = "10\n8\n0\n0\n19\n0\n0\n0\n0\n0\n0\n0\n0\n9\n9"
    assert one_cell_per_line(raw, 15) == [(10, 8, 0, 0, 19, 0, 0, 0, 0, 0, 0, 0, 0, 9, 9)]
    assert one_cell_per_line("10\n8", 3) == []  # a cell without a line: which one is unknown


def test_a_long_run_without_breaks_splits_where_a_sentence_opens_with_the_year():
    """Issue 18: a crawler copy whose headings were cut out ran the requests, fees and problems sections
    into one paragraph; a sentence that opens with the year it reports on starts a new paragraph in a
    long run (never in a short paragraph, never at a date)."""
    from gongkai.readers import text as text_reader

    first = "本单位认真落实公开要求，及时更新栏目内容，主动回应社会关切。" * 6
    second = "2023年全年未收到政府信息公开申请，也未发生行政复议和行政诉讼案件。"
    third = "2023年3月起开展专项检查，逐条核对公开目录。" + "存在的主要问题是人员力量不足，信息更新还不够及时。" * 3
    doc = text_reader.read("x.txt", (first + second + third).encode("utf-8"))
    paras = [b.text for b in doc.paragraphs]
    assert paras == [first, second + third]
    short = text_reader.read("y.txt", ("本年度工作平稳推进。" + second).encode("utf-8"))
    assert len(short.paragraphs) == 1


def test_a_docx_whose_zip_version_zipfile_cannot_read_is_a_one_line_error(tmp_path):
    """Found by the fuzz test: a mutated DOCX whose member claims zip version 6.4 raised NotImplementedError."""
    import io
    import zipfile

    from gongkai.errors import ReadError
    from gongkai.readers import read

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    data = bytearray(buf.getvalue())
    local = data.index(b"PK\x03\x04")
    data[local + 4] = 64  # "version needed to extract" in the local header: 6.4
    central = data.index(b"PK\x01\x02")
    data[central + 6] = 64  # … and in the central directory
    f = tmp_path / "v64.docx"
    f.write_bytes(bytes(data))
    with pytest.raises(ReadError) as e:
        read(f)
    assert "\n" not in str(e.value)
