"""Review pages, checked in headless Chromium (installed by the test set-up when absent)."""
from __future__ import annotations

import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import parse_dict

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if exe:
        return exe
    try:
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], capture_output=True, timeout=600, check=True)
    except (OSError, subprocess.SubprocessError):
        try:
            subprocess.run(["apt-get", "update", "-qq"], capture_output=True, timeout=600)
            subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], capture_output=True, timeout=600, check=True)
        except (OSError, subprocess.SubprocessError) as e:
            pytest.skip(f"chromium is absent and could not be installed: {e}")
    exe = shutil.which("chromium")
    if not exe:
        pytest.skip("chromium is absent and could not be installed")
    return exe


@pytest.fixture(scope="module")
def broken_report(tmp_path_factory) -> dict:
    from gongkai.synth.generate import make_report
    from gongkai.synth.render import Hazards, render_txt

    d = tmp_path_factory.mktemp("view")
    r = make_report(random.Random(3), "2021", break_rule=True)
    while "appeals.review.total" not in r.broken:
        r = make_report(random.Random(len(r.broken) + random.random()), "2021", break_rule=True)
    hz = Hazards(random.Random(1), "txt", on=False)
    p = d / "broken.txt"
    p.write_bytes(render_txt(r, hz))
    return parse_dict(p)


def test_page_has_every_cell_and_highlights_the_failed_check(broken_report, tmp_path):
    from gongkai.view import render_report

    html = render_report(broken_report)
    page = tmp_path / "review.html"
    page.write_text(html, "utf-8")
    exe = chromium()
    dom = subprocess.run([exe, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    assert "<table" in dom
    cells = re.findall(r'<td[^>]*data-key="requests\.[^"]+"', dom)
    assert len(cells) == 25 * 7
    assert len(re.findall(r'<td[^>]*data-key="appeals\.[^"]+"', dom)) == 15
    assert len(re.findall(r'<td[^>]*data-key="proactive\.[^"]+"', dom)) == 10
    fail = re.search(r'<td[^>]*class="[^"]*fail[^"]*"[^>]*data-key="appeals\.review\.total"[^>]*title="([^"]*)"', dom)
    assert fail and "appeals.review.total: expected" in fail.group(1)
    assert 'id="warnings"' in dom and "http://" not in html and "https://" not in html
    shot_dir = ROOT / "out" / "screenshots"
    shot_dir.mkdir(parents=True, exist_ok=True)
    shot = shot_dir / "review.png"
    subprocess.run([exe, *FLAGS, f"--user-data-dir={tmp_path / 'profile2'}", "--window-size=1100,1800", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 10000
    narrow = shot_dir / "review-narrow.png"
    subprocess.run([exe, *FLAGS, f"--user-data-dir={tmp_path / 'profile3'}", "--window-size=420,1400", f"--screenshot={narrow}", page.as_uri()],
                   capture_output=True, timeout=120)
    assert narrow.exists()


def test_batch_index_links_every_report(tmp_path):
    import subprocess as sp
    import sys

    from gongkai.batch import run_batch

    run_batch([str(ROOT / "corpora" / "samples")], tmp_path / "b", workers=2)
    res = sp.run([sys.executable, "-m", "gongkai.cli", "view", str(tmp_path / "b" / "reports.jsonl"), "-o", str(tmp_path / "site")],
                 capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    index = (tmp_path / "site" / "index.html").read_text("utf-8")
    links = re.findall(r'href="([^"]+\.html)"', index)
    assert "agencies.html" in links  # the archive's timelines (issue 21)
    assert len(links) == 13 and all((tmp_path / "site" / x).exists() for x in links)


def test_missing_year_and_agency_are_shown_first(tmp_path):
    from gongkai.view.page import render_report

    p = tmp_path / "untitled.txt"
    p.write_text("一、总体情况\n本年度政务公开工作稳步推进，全年主动公开政府信息120条。\n二、主动公开政府信息情况\n详见下表。\n", "utf-8")
    d = parse_dict(p)
    d["warnings"].insert(0, {"code": "table.blank_cell", "message": "a blank cell"})
    html = render_report(d)
    box = html[html.index('id="warnings"'):]
    assert box.index("meta.year_missing") < box.index("table.blank_cell")
    assert box.index("meta.agency_missing") < box.index("table.blank_cell")


def test_items_read_as_text_with_units_and_passing_checks_folded(tmp_path):
    from gongkai.view.page import item_text, render_report

    assert item_text("processing_fee_yuan", {"value": 0, "unit": "元", "approx": False}) == "0 元"
    assert item_text("website_posts", {"value": 5500, "unit": "条", "approx": True}) == "约 5,500 条"
    assert item_text("wechat", {"accounts": ["平潭发布"], "account_count": 1, "posts": 520, "followers": 32000}) == \
        "“平潭发布”；1 个账号；发布 520 条；关注 32,000 人"
    p = tmp_path / "r.txt"
    p.write_text("测试县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n全年主动公开政府信息120条，本年度未收取任何费用。\n", "utf-8")
    html = render_report(parse_dict(p))
    items = html[html.index("Named items"):html.index("<h2>Text")]
    assert "{" not in items and "120 条" in items and "0 元" in items


def test_failed_checks_first_and_passing_ones_folded(broken_report):
    from gongkai.view.page import render_report

    html = render_report(broken_report)
    checks = html[html.index("<h2>Checks"):]
    folded = checks.index('<details class="passing">')
    assert checks.index("appeals.review.total") < folded  # the failed one is shown, before the folded list


def test_batch_index_lists_what_needs_a_look(tmp_path):
    import json

    from gongkai.view.page import render_index

    p = tmp_path / "r.txt"
    p.write_text("一、总体情况\n全年主动公开政府信息120条。\n", "utf-8")
    d = parse_dict(p)
    html = render_index([("r.html", d)], [{"file": "broken.pdf", "reason": "corrupt PDF"}])
    assert "broken.pdf" in html and "corrupt PDF" in html and "<script>" in html and 'id="filter"' in html
    assert "year, agency" in html or "agency, year" in html  # the missing meta, flagged
    assert json.dumps(d)  # the report itself is untouched


PROBE = "政府信息公开工作年度报告申请复议诉讼"
NO_CJK_FONTS = """<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{cache}</cachedir></fontconfig>"""


def _glyph_tiles(tmp_path, env=None) -> tuple[int, int]:
    """Render the review page's font stack on distinct Chinese characters, one per fixed tile, and count the
    distinct tiles: real glyphs differ, tofu (the box drawn for a missing glyph) repeats."""
    from PIL import Image

    from gongkai.view.page import CSS

    size = 64
    page = tmp_path / "glyphs.html"
    spans = "".join(f'<span style="display:inline-block;width:{size}px;height:{size}px;font-size:48px;line-height:{size}px;'
                    f'text-align:center;overflow:hidden">{ch}</span>' for ch in PROBE)
    page.write_text(f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>{CSS}'
                    f'body{{margin:0;padding:0;max-width:none;line-height:1}}</style></head><body><div style="white-space:nowrap">{spans}</div></body></html>', "utf-8")
    shot = tmp_path / "glyphs.png"
    subprocess.run([chromium(), *FLAGS, f"--user-data-dir={tmp_path / 'glyph-profile'}", f"--window-size={size * len(PROBE)},{size * 2}",
                    "--hide-scrollbars", f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120, env=env)
    img = Image.open(shot).convert("L")
    tiles = {img.crop((i * size, 0, (i + 1) * size, size)).tobytes() for i in range(len(PROBE))}
    return len(tiles), len(PROBE)


def test_review_page_shows_chinese_glyphs_not_tofu(tmp_path):
    """The font stack finds a CJK font (make system-deps installs fonts-noto-cjk and fonts-wqy-zenhei)."""
    distinct, n = _glyph_tiles(tmp_path)
    assert distinct == n, f"only {distinct} distinct glyphs for {n} characters: tofu (install a CJK font)"


def test_tofu_is_detected_without_a_cjk_font(tmp_path):
    """The check above can fail: with fontconfig limited to a Latin font, the same characters are tofu."""
    import os

    conf = tmp_path / "fonts.conf"
    conf.write_text(NO_CJK_FONTS.format(cache=tmp_path / "fc-cache"), "utf-8")
    distinct, n = _glyph_tiles(tmp_path, env=dict(os.environ, FONTCONFIG_FILE=str(conf)))
    assert distinct <= n // 3, (distinct, n)


def test_pdf_tables_show_the_page_they_came_from(tmp_path):
    from fixtures import pdf_with_table_across_pages

    from gongkai.view.page import render_report

    pdf = pdf_with_table_across_pages(tmp_path / "t.pdf")
    d = parse_dict(pdf)
    assert d["tables"]["requests"]["pages"] == [1, 2]
    html = render_report(d)
    block = html[html.index("表三"):]
    assert block.index('class="source-pages"') < block.index("<h2>") and block.count("data:image/png;base64,") >= 2


def test_ocr_paragraph_shows_its_ocr_confidence_and_unsure_ones_are_flagged():
    from gongkai.view.page import _para_html

    base = {"id": "p1", "text": "二〇二三年，我局主动公开信息。", "section": "overview", "confidence": 0.99, "heading": False,
            "page": 1, "by": "classifier"}
    sure = _para_html({**base, "ocr_confidence": 0.98}, [])
    unsure = _para_html({**base, "ocr_confidence": 0.72}, [])
    assert "OCR 0.98" in sure and " low" not in sure.split('"')[1]
    assert "OCR 0.72" in unsure and "para sec-overview low" in unsure and "⚠" in unsure
    assert "OCR" not in _para_html(base, [])
