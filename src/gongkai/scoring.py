"""Scoring parsed reports against gold files: table cells, meta fields and named items.

A gold file is the format ``../shared/tools/score.py`` reads (``tables`` as ``{table: {"row.column":
value}}``, ``meta``, ``items`` as ``{"dotted.path": value}``); the generator's ``*.gold.json`` files add
``items_complete: true``: they list every item the report states, so an item the parser reports beyond
them is a false positive.  Hand-made gold lists only some items, so there only the listed ones count.

Per item kind (the dotted path: ``website_posts.value``, ``wechat.posts`` …):

* true positive: gold states it and the parser gives the same value;
* false negative: gold states it and the parser gives nothing or another value;
* false positive: the parser gives a value that gold does not state (complete gold only) or states otherwise.

``precision = tp / (tp + fp)``, ``recall = tp / (tp + fn)``.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from .tables.model import tables_from_json

ITEM_KINDS = (
    "website_posts.value", "press_conferences.value", "policy_interpretations.value", "processing_fee_yuan.value",
    "new_media_accounts.value", "new_media_accounts.closed", "wechat.accounts", "wechat.account_count", "wechat.posts",
    "wechat.followers", "weibo.accounts", "weibo.account_count", "weibo.posts", "leading_group.leader.name",
    "leading_group.leader.title",
)
META_KEYS = ("template", "year", "agency")


def get_path(obj, dotted: str):
    cur = obj
    for part in dotted.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        else:
            return None
    return cur


def same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (list, str)) or isinstance(b, (list, str)):
        return a == b
    try:
        return abs(float(a) - float(b)) < 1e-6
    except (TypeError, ValueError):
        return False


def table_cells(report: dict, table: str) -> dict:
    t = tables_from_json(report.get("tables") or {}).get(table)
    return t.flat() if t else {}


_LABEL_NOISE = re.compile(r"^(其中[:：]?)|^([0-9]+[.、．]|[（(][0-9一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)|[:：，,。；;、\s]")


def label_key(label) -> str:
    """A legacy row label without 其中, ordinals, punctuation and spaces (how gold rows are matched)."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(label or "")))
    prev = None
    while prev != s:
        prev, s = s, _LABEL_NOISE.sub("", s)
    return s


def legacy_cells(report: dict, gold: dict) -> list[tuple[str, object, object]]:
    """``(cell, wanted, got)`` for every cell of the gold ``legacy_table``: rows matched by label in order,
    values by column position."""
    t = (report.get("tables") or {}).get("legacy")
    rows = [r for tb in (t if isinstance(t, list) else [t] if t else []) for r in tb.get("rows") or []]
    used: set[int] = set()
    out = []
    for label, _, values in (gold.get("legacy_table") or {}).get("rows", []):
        want = label_key(label)
        i = next((i for i, r in enumerate(rows) if i not in used and label_key(r.get("label")) == want), None)
        if i is not None:
            used.add(i)
        got = (rows[i].get("values") or []) if i is not None else []
        out += [(f"{label}[{j}]", v, got[j] if j < len(got) else None) for j, v in enumerate(values)]
    return out


def score_report(report: dict, gold: dict) -> dict:
    """Counts for one report: ``tables`` (right, wrong, missing), ``meta`` per key (right, total),
    ``items`` per kind (tp, fp, fn)."""
    tables = {"right": 0, "wrong": 0, "missing": 0}
    uncaught: list[str] = []
    for name, cells in (gold.get("tables") or {}).items():
        got = table_cells(report, name)
        for key, want in cells.items():
            have = got.get(key)
            if same(have, want):
                tables["right"] += 1
            elif have is None:
                tables["missing"] += 1
            else:
                tables["wrong"] += 1
                if not caught(report, name, key):
                    uncaught.append(f"{name}.{key}")
    for cell, want, have in legacy_cells(report, gold):
        tables["right" if same(have, want) else "missing" if have is None else "wrong"] += 1
        if have is not None and not same(have, want) and not any(c.get("ok") is False and c["id"].startswith("legacy.")
                                                                 for c in report.get("checks") or []):
            uncaught.append(f"legacy.{cell}")
    meta = {k: (int(same((report.get("meta") or {}).get(k), v)), 1) for k, v in (gold.get("meta") or {}).items() if k in META_KEYS}
    items: dict[str, list[int]] = {}
    gold_items = gold.get("items") or {}
    complete = bool(gold.get("items_complete"))
    for kind in ITEM_KINDS:
        have = get_path(report.get("items") or {}, kind)
        if have == []:
            have = None  # no account named
        if kind in gold_items:
            want = gold_items[kind]
            ok = same(have, want)
            items[kind] = [int(ok), int(not ok and have is not None), int(not ok)]
        elif complete and have is not None:
            items[kind] = [0, 1, 0]
    return {"tables": tables, "meta": meta, "items": items, "uncaught": uncaught}


def caught(report: dict, table: str, key: str) -> bool:
    """Whether a wrong cell ``table.row.column`` is flagged: a failing check of its table that names its row
    or its column, or a warning about the cell."""
    row, col = key.rsplit(".", 1)
    for c in report.get("checks") or []:
        cid = "." + c.get("id", "") + "."
        if c.get("ok") is False and cid.startswith(f".{table}.") and (f".{row}." in cid or f".{col}." in cid):
            return True
    return any(w.get("cell") == f"{table}.{key}" for w in report.get("warnings") or [])


def summarise(scores: list[dict]) -> dict:
    """Totals over reports: cell accuracy, meta accuracy per key, precision and recall per item kind."""
    tables = {"right": 0, "wrong": 0, "missing": 0}
    meta: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    items: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for s in scores:
        for k in tables:
            tables[k] += s["tables"][k]
        for k, (ok, n) in s["meta"].items():
            meta[k][0] += ok
            meta[k][1] += n
        for k, counts in s["items"].items():
            for i, c in enumerate(counts):
                items[k][i] += c
    cells = sum(tables.values())
    out_items = {}
    for k in ITEM_KINDS:
        if k not in items:
            continue
        tp, fp, fn = items[k]
        out_items[k] = {"precision": round(tp / (tp + fp), 4) if tp + fp else None,
                        "recall": round(tp / (tp + fn), 4) if tp + fn else None, "tp": tp, "fp": fp, "fn": fn}
    uncaught = [c for s in scores for c in s.get("uncaught", [])]
    return {"documents": len(scores),
            "tables": {**tables, "accuracy": round(tables["right"] / cells, 4) if cells else None,
                       "wrong_uncaught": len(uncaught), "uncaught": uncaught[:50]},
            "meta": {k: {"accuracy": round(ok / n, 4), "n": n} for k, (ok, n) in meta.items()},
            "items": out_items}


def archive_scores(tables: dict[str, list[dict]], gold: dict, names: dict[str, str]) -> dict:
    """How an archive's tables (:func:`gongkai.archive.build`) match a generated archive's gold.

    ``names`` maps each report's SHA-256 to its file name.  Returns the planted breaks, gaps and copies
    found and missed, the false alarms (a failed enforced check, a gap or a copied span that was not
    planted) and the agency-years whose files were not grouped as written.
    """
    import json

    key_of = {}  # file → (agency, year) as written
    for a in gold["agencies"]:
        for year, files in a["years"].items():
            for f in files:
                key_of[f] = (a["agency"], int(year))
    groups: dict[tuple, set] = {}
    for r in tables["agencies"]:
        groups.setdefault((r["agency_key"], r["year"]), set()).add(names.get(r["report"], r["report"]))
    written: dict[tuple, set] = {}
    for f, k in key_of.items():
        written.setdefault(k, set()).add(f)
    agency_of = {names.get(r["report"]): r["agency_key"] for r in tables["agencies"]}
    misgrouped = [k for k, files in written.items()
                  if not any(files == g for g in groups.values())]
    key_for = {a["agency"]: agency_of.get(next(iter(next(iter(a["years"].values())))), a["agency"]) for a in gold["agencies"]}
    planted_breaks = {(key_for[a["agency"]], b["year"], b["check"]) for a in gold["agencies"] for b in a["breaks"]}
    planted_gaps = {(key_for[a["agency"]], g) for a in gold["agencies"] for g in a["gaps"]}
    failed = {(c["agency_key"], c["year"], c["check_id"]) for c in tables["cross_year_checks"]
              if c["ok"] is False and c["enforced"]}
    gaps = {(c["agency_key"], y) for c in tables["cross_year_checks"] if c["check_id"] == "cross_year.series_gap"
            for y in range(c["last_year"] + 1, c["year"])}
    copies = {(key_for[a["agency"]], c["year"]): c["text"] for a in gold["agencies"] for c in a["copies"]}
    copy_found, copy_missed, copy_false = 0, [], []
    squash = "".join
    for r in tables["reuse"]:
        spans = json.loads(r["spans"])
        planted = copies.get((r["agency_key"], r["year"]))
        text = squash((planted or "").split())
        for sp in spans:
            if not planted or squash(sp["text"].split()) not in text:
                copy_false.append((r["agency_key"], r["year"], sp["text"]))
        if planted:
            got = squash(squash(sp["text"].split()) for sp in spans)
            if all(sent in got for sent in squash(text).replace("。", "。\n").split("\n") if sent):
                copy_found += 1
            else:
                copy_missed.append((r["agency_key"], r["year"]))
    reported = {(r["agency_key"], r["year"]) for r in tables["reuse"]}
    copy_missed += [k for k in copies if k not in reported]
    return {"breaks_planted": len(planted_breaks), "breaks_found": len(planted_breaks & failed),
            "breaks_missed": sorted(planted_breaks - failed), "false_alarms": sorted(failed - planted_breaks),
            "gaps_planted": len(planted_gaps), "gaps_found": len(planted_gaps & gaps), "gaps_false": sorted(gaps - planted_gaps),
            "copies_planted": len(copies), "copies_found": copy_found, "copies_missed": copy_missed,
            "copies_false": copy_false, "misgrouped": misgrouped, "groups": len(written)}
