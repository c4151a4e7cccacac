"""HTML for one report and for a batch index (see the package docstring)."""
from __future__ import annotations

import html
import json
from collections import defaultdict
from functools import lru_cache

from ..sections import LABELS
from ..tables.model import Table
from ..tables.spec import current

SECTION_NAMES = {"preamble": "前言", "overview": "总体情况", "proactive": "主动公开", "requests": "依申请公开",
                 "fees": "收费及减免", "appeals": "复议诉讼", "problems": "问题及改进", "other": "其他"}
COLORS = {"preamble": "#eeeeee", "overview": "#dbeafe", "proactive": "#dcfce7", "requests": "#fef9c3", "fees": "#fde68a",
          "appeals": "#fce7f3", "problems": "#ffedd5", "other": "#e0e7ff"}
LOW_CONFIDENCE = 0.6
REVIEW_SHARE = 0.1  # the least confident tenth of the paragraphs is marked for review
LOW_OCR_CONFIDENCE = 0.9  # an OCR'd paragraph whose characters' mean probability is below this is flagged too

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Hiragino Sans GB","Microsoft YaHei","WenQuanYi Zen Hei",sans-serif;
margin:0 auto;max-width:1100px;padding:1em;line-height:1.7;color:#1f2937}
h1{font-size:1.4em;line-height:1.4} h2{font-size:1.15em;border-bottom:2px solid #e5e7eb;padding-bottom:.2em;margin-top:1.6em}
.meta{color:#4b5563;font-size:.9em} .warn{background:#fff7ed;border:1px solid #fdba74;padding:.5em 1em;border-radius:6px}
.warn li{margin:.2em 0}.legend span{display:inline-block;padding:0 .6em;margin:.15em;border-radius:4px;font-size:.85em}
.para{padding:.35em .7em;margin:.3em 0;border-radius:4px;position:relative}
.para.heading{font-weight:bold}.para .tag{float:right;font-size:.75em;color:#6b7280;margin-left:.8em}
.para.low{outline:2px dashed #dc2626}.para.low .tag{color:#dc2626;font-weight:bold}
mark{background:#fde047;padding:0 .1em}
table.grid{border-collapse:collapse;margin:.6em 0;font-size:.82em;width:100%}
table.grid td{border:1px solid #9ca3af;padding:.2em .35em;text-align:center;vertical-align:middle}
table.grid td.label{text-align:left;background:#f9fafb}
td.blank{background:repeating-linear-gradient(45deg,#f3f4f6,#f3f4f6 4px,#fff 4px,#fff 8px);color:#9ca3af}
td.fail{background:#fecaca;outline:2px solid #dc2626;font-weight:bold}
.tablewrap{overflow-x:auto} .checks td,.items td,.index td,.index th{border:1px solid #e5e7eb;padding:.25em .5em;text-align:left}
.checks,.items,.index{border-collapse:collapse;font-size:.88em}.bad{color:#b91c1c;font-weight:bold}.ok{color:#15803d}
@media (max-width:700px){body{padding:.5em}table.grid{font-size:.7em}}
@media print{.para.low{outline:none}.tablewrap{overflow:visible}a{color:inherit;text-decoration:none}}
"""


def _e(s) -> str:
    return html.escape("" if s is None else str(s))


def relative_href(name: str) -> str:
    """A link to a page beside the index, never a URL scheme (a file named ``javascript:…``)."""
    from urllib.parse import quote

    return "./" + quote(name.replace("/", "_"), safe="")


def _failed_cells(checks: list[dict]) -> dict[str, list[dict]]:
    """Map 'table.row.col' → the failed checks it takes part in (the spec's rules say which cells)."""
    spec = current()
    out: dict[str, list[dict]] = defaultdict(list)
    for c in checks:
        if c.get("ok") is False:
            for cell in spec.check_cells(c["id"]):
                out[cell].append(c)
    return out


def _table_html(name: str, data: dict, failed: dict) -> str:
    """Table ``name`` drawn in its template's official layout, every cell linked to its key."""
    spec = current()[name]
    t = Table.from_json(name, data)
    template = t.template if t.template in spec.templates else spec.templates[0]
    present = {f"{r}.{c}" for r, c, _ in t.cells()}
    grid = spec.grid(template, lambda r, c: "@@" + f"{r}.{c}")
    values = t.flat()
    out = [f'<div class="tablewrap"><table class="grid" data-table="{_e(name)}">']
    for row in grid:
        out.append("<tr>")
        for text, rs, cs in row:
            span = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            if text.startswith("@@"):
                out.append(_value_cell(name, text[2:], values.get(text[2:]), text[2:] in present, failed, span))
            else:
                out.append(f'<td{span} class="label">{_e(text)}</td>')
        out.append("</tr>")
    out.append("</table></div>")
    if t.extra_rows:
        out.append("<p>Rows the template does not know: " + "; ".join(_e(x.get("label")) for x in t.extra_rows) + "</p>")
    return "".join(out)


def _legacy_tables(tables: dict) -> list[dict]:
    t = tables.get("legacy")
    return t if isinstance(t, list) else [t] if t else []


def _legacy_html(t: dict) -> str:
    """A legacy statistics table as printed, each row with its indicator key (or none recognised)."""
    head = "".join(f"<td class='label'>{_e(c)}</td>" for c in ["指标名称", "计量单位", *t.get("columns", []), "key"])
    rows = []
    for r in t.get("rows") or []:
        cells = "".join(f'<td class="cell{" blank" if v is None else ""}">{"空" if v is None else _e(v)}</td>' for v in r.get("values") or [])
        rows.append(f"<tr><td class='label'>{_e(r.get('label'))}</td><td>{_e(r.get('unit') or '')}</td>{cells}"
                    f"<td><code>{_e(r.get('key') or '—')}</code></td></tr>")
    return f'<div class="tablewrap"><table class="grid" data-table="legacy"><tr>{head}</tr>{"".join(rows)}</table></div>'


def _value_cell(name: str, key: str, v, present: bool, failed: dict, span: str) -> str:
    full_key = f"{name}.{key}"
    cls = ["cell"]
    title = full_key
    if v is None:
        cls.append("blank")
        shown = "空" if present else "—"
        title += " · blank or not in the report"
    else:
        shown = _e(v)
    fails = failed.get(full_key)
    if fails:
        cls.append("fail")
        title += " · " + "; ".join(f"{c['id']}: expected {c.get('expected')}, got {c.get('actual')}" for c in fails)
    return f'<td{span} class="{" ".join(cls)}" data-key="{_e(full_key)}" title="{_e(title)}">{shown}</td>'


def review_catch(producer: dict) -> float | None:
    """The share of the errors the least confident tenth held on held-out real reports, from the card of the
    model that labelled the report (None when there was no model, it is not at hand or was not measured so)."""
    name = producer.get("model")
    return _card_catch(name) if name else None


@lru_cache(maxsize=8)
def _card_catch(name: str) -> float | None:
    """Read once per model, not once per page of a batch's site."""
    from ..sections.model import ModelError, resolve

    try:
        card = json.loads((resolve(name) / "card.json").read_text("utf-8"))
    except (ModelError, OSError, ValueError):
        return None
    return ((card.get("scores") or {}).get("real_reports_leave_one_out") or {}).get("least_confident_10pct_catch_of_errors")


def least_confident(paras: list[dict], share: float = REVIEW_SHARE) -> set[str]:
    """The ids of the ``share`` least confident paragraphs a classifier labelled (headings decide the others):
    the ones to review first."""
    by_classifier = [p for p in paras if p.get("by") == "classifier" and not p.get("heading")]
    k = round(share * len(paras))
    return {p["id"] for p in sorted(by_classifier, key=lambda p: p["confidence"])[:k]}


def _para_html(p: dict, marks: list[tuple[int, int, str]], review: bool = False) -> str:
    text = p["text"]
    pieces, pos = [], 0
    for s, e, label in sorted(marks):
        if s < pos or e > len(text):
            continue
        pieces.append(_e(text[pos:s]))
        pieces.append(f'<mark title="{_e(label)}">{_e(text[s:e])}</mark>')
        pos = e
    pieces.append(_e(text[pos:]))
    ocr = p.get("ocr_confidence")
    low = review or p["confidence"] < LOW_CONFIDENCE or (ocr is not None and ocr < LOW_OCR_CONFIDENCE)
    cls = f"para sec-{p['section']}" + (" heading" if p["heading"] else "") + (" low" if low else "")
    tag = (f"{SECTION_NAMES.get(p['section'], p['section'])} · {p['confidence']:.2f}" + (f" · OCR {ocr:.2f}" if ocr is not None else "")
           + (" ⚠" if low else ""))
    hover = (f"{p['section']} · decided by {p['by']} · confidence {p['confidence']:.3f}" + (f" · page {p['page']}" if p.get("page") else "")
             + (f" · read by OCR, mean character probability {ocr:.3f}" if ocr is not None else ""))
    return (f'<div class="{cls}" id="{p["id"]}" data-section="{p["section"]}" data-by="{p["by"]}" '
            f'style="background:{COLORS.get(p["section"], "#fff")}" title="{_e(hover)}"><span class="tag">{_e(tag)}</span>{"".join(pieces)}</div>')


ITEM_NAMES = {"website_posts": "网站主动公开信息", "press_conferences": "新闻发布会", "policy_interpretations": "政策解读",
              "processing_fee_yuan": "信息处理费", "new_media_accounts": "政务新媒体", "wechat": "微信公众号", "weibo": "政务微博",
              "leading_group": "领导小组"}


def _num(v) -> str:
    return f"{v:,}" if isinstance(v, int) else (f"{v:,.2f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v))


def item_text(name: str, it: dict) -> str:
    """An item as a reader says it: the figure with its unit, accounts and posts, who leads a group."""
    if "value" in it:
        if it["value"] is None:
            text = "—"
        else:
            text = ("约 " if it.get("approx") else "") + _num(it["value"]) + " " + (it.get("unit") or "")
        if it.get("closed") is not None:
            text += f"（关停 {_num(it['closed'])} 个）"
        return text.strip()
    if name in ("wechat", "weibo"):
        parts = []
        if it.get("accounts"):
            parts.append("、".join(f"“{a}”" for a in it["accounts"]))
        if it.get("account_count") is not None:
            parts.append(f"{_num(it['account_count'])} 个账号")
        if it.get("posts") is not None:
            parts.append(f"发布 {_num(it['posts'])} 条")
        if it.get("followers") is not None:
            parts.append(f"关注 {_num(it['followers'])} 人")
        return "；".join(parts)
    if name == "leading_group":
        lead = it.get("leader") or {}
        parts = [it.get("name") or "领导小组", "组长 " + " ".join(x for x in (lead.get("title"), lead.get("name")) if x)]
        if it.get("deputies"):
            parts.append("副组长 " + "、".join(it["deputies"]))
        if it.get("members"):
            parts.append("成员 " + "、".join(it["members"]))
        if it.get("office"):
            parts.append("办公室设在 " + it["office"])
        return "；".join(parts)
    return "；".join(f"{k} {v}" for k, v in it.items() if k != "evidence")


def render_report(d: dict) -> str:
    m = d.get("meta") or {}
    reg = m.get("region") or {}
    failed = _failed_cells(d.get("checks") or [])
    marks: dict[str, list] = defaultdict(list)
    item_rows = []
    for name, it in (d.get("items") or {}).items():
        if name in ("quantities", "leading_groups"):
            continue
        ev = it.get("evidence") or {}
        if ev:
            marks[ev["paragraph"]].append((ev["start"], ev["end"], name))
        item_rows.append(f'<tr><td>{_e(ITEM_NAMES.get(name, name))}</td><td>{_e(item_text(name, it))}</td>'
                         f'<td><a href="#{_e(ev.get("paragraph"))}">{_e(ev.get("paragraph"))}</a></td></tr>')
    parts = [f"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
             f"<title>{_e(m.get('title') or d['source']['path'])}</title><style>{CSS}</style></head><body>"]
    parts.append(f"<h1>{_e(m.get('title') or d['source']['path'])}</h1>")
    ev = m.get("evidence") or {}

    def where(field: str) -> str:
        e = ev.get(field)
        if isinstance(e, dict):
            return f' <a href="#{_e(e.get("paragraph"))}" title="where it was read">({_e(e.get("paragraph"))})</a>'
        return f" <small>({_e(e)})</small>" if e else ""

    parts.append(f'<p class="meta">agency {_e(m.get("agency"))}{where("agency")} · year {_e(m.get("year"))}{where("year")} · template {_e(m.get("template"))} · '
                 f'{_e(" ".join(x for x in (reg.get("province"), reg.get("city"), reg.get("county")) if x))} · '
                 f'{_e(d["source"]["format"])} {_e(d["source"]["path"])}</p>')
    # a missing year or agency first: without them the report cannot be placed in an archive
    warns = sorted(d.get("warnings") or [], key=lambda w: not w["code"].startswith("meta."))
    nfail = sum(1 for c in d.get("checks") or [] if c.get("ok") is False)
    if warns or nfail:
        parts.append('<div class="warn" id="warnings"><b>Look here first</b><ul>')
        if nfail:
            parts.append(f'<li class="bad">{nfail} consistency check(s) failed: see the red cells and the list of checks</li>')
        for w in warns:
            parts.append(f"<li><code>{_e(w['code'])}</code> {_e(w['message'])}</li>")
        parts.append("</ul></div>")
    parts.append('<p class="legend">' + "".join(f'<span style="background:{COLORS[l]}">{l} {SECTION_NAMES[l]}</span>' for l in LABELS)
                 + f' <span style="outline:2px dashed #dc2626">confidence &lt; {LOW_CONFIDENCE}</span></p>')
    parts.append("<h2>Tables</h2>")
    tables = d.get("tables") or {}
    spec = current()
    if not any(name in tables for name in spec.tables) and not _legacy_tables(tables):
        parts.append("<p>No statistical tables found.</p>")
    for t in _legacy_tables(tables):
        parts.append(f"<h3>{_e(spec.legacy.title if spec.legacy else '')} <small>(legacy)</small></h3>")
        parts.append(_legacy_html(t))
    for name in spec.tables:
        if name in tables:
            parts.append(f"<h3>{_e(spec[name].title)} <small>({_e(tables[name].get('template'))})</small></h3>")
            parts.append(_table_html(name, tables[name], failed))
            parts.append(page_images(d.get("source") or {}, tables[name].get("pages") or []))
    checks = d.get("checks") or []
    if checks:
        # what needs a look first: failed, then undecided; the passing ones folded away
        head = '<table class="checks"><tr><td>check</td><td>ok</td><td>expected</td><td>actual</td><td>reason</td></tr>'
        shown = [c for c in checks if c.get("ok") is not True]
        passing = [c for c in checks if c.get("ok") is True]
        parts.append(f"<h2>Checks</h2><p>{sum(1 for c in checks if c.get('ok') is False)} failed, "
                     f"{sum(1 for c in checks if c.get('ok') is None)} undecided, {len(passing)} passed</p>")
        if shown:
            parts.append(head + "".join(_check_row(c) for c in sorted(shown, key=lambda c: (c.get("ok") is not False, c["id"]))) + "</table>")
        if passing:
            parts.append(f'<details class="passing"><summary>{len(passing)} checks passed</summary>{head}'
                         + "".join(_check_row(c) for c in passing) + "</table></details>")
    if item_rows:
        parts.append('<h2>Named items</h2><table class="items"><tr><td>item</td><td>value</td><td>evidence</td></tr>' + "".join(item_rows) + "</table>")
    parts.append("<h2>Text</h2>")
    paras = d.get("paragraphs") or []
    review = least_confident(paras)
    if review:
        caught = review_catch(d.get("producer") or {})
        parts.append(f'<p class="legend">⚠ marks the {len(review)} least confident paragraphs (a tenth) and any below '
                     f'{LOW_CONFIDENCE}' + (f': on real reports held out in training, the least confident tenth held '
                                            f'{caught:.0%} of the wrong labels (model card).' if caught is not None else ".") + '</p>')
    for p in paras:
        parts.append(_para_html(p, marks.get(p["id"], []), p["id"] in review))
    parts.append("</body></html>")
    return "".join(parts)


MAX_PAGE_IMAGES = 3


def page_images(source: dict, pages: list[int]) -> str:
    """The PDF pages a table was read from, rendered with pypdfium2 and embedded, folded under the table,
    so that a reviewer compares cell by cell; nothing when the source is not a readable PDF."""
    from pathlib import Path

    path = Path(source.get("path") or "")
    if source.get("format") != "pdf" or not pages or not path.is_file():
        return ""
    import base64
    import io

    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        imgs = []
        for n in pages[:MAX_PAGE_IMAGES]:
            if 1 <= n <= len(pdf):
                buf = io.BytesIO()
                pdf[n - 1].render(scale=1.3).to_pil().save(buf, "PNG", optimize=True)
                imgs.append(f'<figure><img alt="page {n}" style="max-width:100%;border:1px solid #d1d5db" '
                            f'src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}"><figcaption>page {n}</figcaption></figure>')
        pdf.close()
    except Exception:  # a review page never fails on the picture: the table above stands on its own
        return ""
    if not imgs:
        return ""
    return f'<details class="source-pages"><summary>the PDF page(s) this table was read from: {", ".join(map(str, pages))}</summary>{"".join(imgs)}</details>'


def _check_row(c: dict) -> str:
    ok = c.get("ok")
    cls = "bad" if ok is False else ("ok" if ok else "")
    return (f'<tr class="check" data-id="{_e(c["id"])}"><td>{_e(c["id"])}</td><td class="{cls}">{_e(ok)}</td>'
            f'<td>{_e(c.get("expected"))}</td><td>{_e(c.get("actual"))}</td><td>{_e(c.get("reason") or c.get("note"))}</td></tr>')


# sort by a column header, filter by typing: a few lines inline, no network
INDEX_SCRIPT = """
document.querySelectorAll('table.index th').forEach((th, i) => th.addEventListener('click', () => {
  const body = th.closest('table').tBodies[0], rows = Array.from(body.rows), asc = th.dataset.asc !== '1';
  const key = r => { const t = r.cells[i].innerText.trim(); const n = parseFloat(t); return isNaN(n) ? t : n; };
  rows.sort((a, b) => (key(a) > key(b) ? 1 : key(a) < key(b) ? -1 : 0) * (asc ? 1 : -1));
  rows.forEach(r => body.appendChild(r)); th.dataset.asc = asc ? '1' : '0';
}));
document.getElementById('filter').addEventListener('input', e => {
  const q = e.target.value.trim();
  document.querySelectorAll('table.index tbody tr').forEach(r => { r.style.display = r.innerText.includes(q) ? '' : 'none'; });
});
"""


def render_index(entries: list[tuple[str, dict]], failures: list[dict] | None = None) -> str:
    """The index of a batch: every report with what needs a look (failed and undecided checks, warnings,
    missing meta, the lowest confidence), the files that could not be read, sortable and filterable."""
    rows = []
    for href, d in entries:
        m = d.get("meta") or {}
        checks = d.get("checks") or []
        nfail = sum(1 for c in checks if c.get("ok") is False)
        nundecided = sum(1 for c in checks if c.get("ok") is None)
        warns = d.get("warnings") or []
        missing = [w["code"].split(".")[1].replace("_missing", "") for w in warns if w["code"] in ("meta.year_missing", "meta.agency_missing")]
        confs = [p["confidence"] for p in d.get("paragraphs") or []]
        low = min(confs) if confs else None
        rows.append(f'<tr><td><a href="{_e(relative_href(href))}">{_e(m.get("title") or d["source"]["path"])}</a></td><td>{_e(m.get("agency"))}</td>'
                    f'<td>{_e(m.get("year"))}</td><td>{_e(m.get("template"))}</td><td class="{"bad" if nfail else ""}">{nfail}</td>'
                    f'<td>{nundecided}</td><td>{len(warns)}</td><td class="{"bad" if missing else ""}">{_e(", ".join(missing))}</td>'
                    f'<td>{"" if low is None else f"{low:.2f}"}</td></tr>')
    failed = ""
    if failures:
        failed = (f"<h2>{len(failures)} files could not be read</h2><table class=\"index failed\"><tbody>"
                  + "".join(f"<tr><td>{_e(f.get('file'))}</td><td>{_e(f.get('reason'))}</td></tr>" for f in failures) + "</tbody></table>")
    return (f"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>gongkai review</title><style>{CSS}</style></head><body><h1>{len(entries)} reports</h1>"
            '<p><a href="agencies.html">agencies: one timeline each, checks across years, copied text</a></p>'
            '<p><input id="filter" placeholder="filter (agency, year, …)"> <small>click a column to sort</small></p>'
            '<table class="index"><thead><tr><th>report</th><th>agency</th><th>year</th><th>template</th><th>failed checks</th>'
            '<th>undecided</th><th>warnings</th><th>missing meta</th><th>lowest confidence</th></tr></thead><tbody>'
            + "".join(rows) + f"</tbody></table>{failed}<script>{INDEX_SCRIPT}</script></body></html>")
