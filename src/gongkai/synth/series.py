"""Write an archive of agency series (``gongkai synth --series``): several agencies, each reporting year
after year, some years in two formats, with planted breaks across years, planted copies and missing years.

Each agency's tables follow last year's by the spec's cross-year rules (:func:`generate.chain`); a planted
break raises one enforced cell (this year's carried-over requests, or the items of a 2019 proactive row)
while the year's own rules still hold.  Every report holds one or two paragraphs of the agency's own work,
drawn fresh each year; a planted copy prints one of last year's verbatim instead.  No other sentence is
printed twice by an agency in consecutive reports (a repeat drawn from the phrase banks is dated), so the
planted copies are the copies.  ``archive.gold.json`` lists the files of each agency-year, the gaps, the
checks each break must fail and the copied paragraphs.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

from ..archive.reuse import SENTENCE, sentence_keys
from ..tables.model import Table
from ..tables.spec import current
from .generate import PH, SynthReport, draw_agency, make_report, rebalance
from .render import Hazards, render
from .writer import EXT, gold_for

TEMPLATE_OF = {2019: "2019", 2020: "2019"}


def _template(year: int) -> str:
    return "legacy" if year < 2019 else TEMPLATE_OF.get(year, "2021")


def _own_work(rng: random.Random, short: str) -> str:
    own = PH["own_work"]
    sents = []
    for _ in range(rng.randint(2, 3)):
        res = rng.choice(own["results"]).format(n=rng.randint(3, 900))
        sents.append(f"{short}{rng.choice(own['acts'])}{rng.choice(own['objects'])}，{res}，"
                     f"{rng.choice(own['tails']).format(unit=rng.choice(['市', '县', '区', '系统']))}。")
    return "".join(sents)


def _with_own_work(r: SynthReport, rng: random.Random, copy_from: list[str]) -> list[str]:
    """Put one or two own-work paragraphs after the overview's first paragraph; ``copy_from`` paragraphs
    (last year's) are printed as they were.  Returns the own-work paragraphs printed."""
    own = list(copy_from) or [_own_work(rng, r.short) for _ in range(rng.randint(1, 2))]
    at = next(i for i, el in enumerate(r.body) if el[0] == "p" and el[1] == "overview" and not el[3]) \
        if any(el[0] == "p" and el[1] == "overview" and not el[3] for el in r.body) else len(r.body)
    r.body[at + 1:at + 1] = [("p", "overview", text, False) for text in own]
    return own


def _no_repeats(r: SynthReport, last: SynthReport, keep: list[str]) -> None:
    """Date every sentence that repeats one of last year's, outside the planted copies ``keep``."""
    before = {k for el in last.body if el[0] == "p" and not el[3] for k in sentence_keys(el[2])}
    for i, el in enumerate(r.body):
        if el[0] != "p" or el[3] or el[2] in keep:
            continue
        parts = []
        for sent in _split(el[2]):
            keys = sentence_keys(sent)
            parts.append(f"{r.year}年，{sent}" if keys and keys[0] in before else sent)
        r.body[i] = (el[0], el[1], "".join(parts), el[3])


def _split(text: str) -> list[str]:
    return [m.group() for m in SENTENCE.finditer(text)] or [text]


def _plant_break(rng: random.Random, r: SynthReport, last: SynthReport) -> list[str]:
    """Raise one enforced cross-year cell of ``r``; the checks that must fail."""
    spec = current()
    rules = [x for x in spec.cross_year if x.enforced and r.template in x.templates and last.template in x.templates
             and x.table in r.tables]
    if not rules:
        return []
    rule = rng.choice(rules)
    t = Table.from_json(rule.table, r.tables[rule.table], spec)
    labels = list(rule.cells(spec, r.template))
    label, cells = rng.choice([lc for lc in labels if lc[0] != "total"] or labels)
    row, col = cells[rule.this]
    bump = rng.randint(1, 9)
    t.rows[row][col] = (t.rows[row][col] or 0) + bump
    failing = [f"cross_year.{rule.id}.{label}"]
    if spec[rule.table].layout["kind"] == "tree":
        rebalance(spec[rule.table], t)  # the year's own flow holds; the row's total moved with the column
        failing.append(f"cross_year.{rule.id}.total")
    r.tables[rule.table] = t.to_json(spec)
    return failing


def write_archive(out: str | Path, agencies: int, years: int, seed: int, formats=("txt", "html", "docx", "pdf"),
                  second_format: float = 0.25, break_rate: float = 0.2, copy_rate: float = 0.3, gap_rate: float = 0.15,
                  hazards: bool = False) -> list[Path]:
    """Write ``agencies`` × ``years`` reports (a few years missing, some in two formats) and ``archive.gold.json``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    gold: dict = {"agencies": [], "note": "files per agency-year; breaks: checks that must fail; copies: paragraphs printed as last year"}
    written: list[Path] = []
    used: set[str] = set()
    for a in range(agencies):
        agency = draw_agency(rng)
        while agency[0] in used:
            agency = draw_agency(rng)
        used.add(agency[0])
        start = rng.randint(2019, 2025 - years + 1) if years <= 7 else 2019
        span = list(range(start, start + years))
        gap = rng.choice(span[1:-1]) if len(span) > 2 and rng.random() < gap_rate else None
        entry: dict = {"agency": agency[0], "years": {}, "gaps": [gap] if gap else [], "breaks": [], "copies": []}
        last: SynthReport | None = None
        last_own: list[str] = []
        for year in span:
            if year == gap:
                last, last_own = None, []
                continue
            r = make_report(rng, _template(year), year, agency=agency, last=last)
            copy = last is not None and rng.random() < copy_rate
            own = _with_own_work(r, rng, [rng.choice(last_own)] if copy else [])
            if last is not None:
                _no_repeats(r, last, own[:1] if copy else [])
                if rng.random() < break_rate:
                    entry["breaks"] += [{"year": year, "check": c} for c in _plant_break(rng, r, last)]
            if copy:
                entry["copies"].append({"year": year, "last_year": year - 1, "text": own[0]})
            fmts = [formats[(a + year) % len(formats)]]
            if len(formats) > 1 and rng.random() < second_format:
                fmts.append(rng.choice([f for f in formats if f != fmts[0]]))
            files = []
            for fmt in fmts:
                stem = f"series-{seed}-{a:03d}-{year}"
                path = out / (stem + EXT[fmt])
                hz = Hazards(random.Random(rng.random()), fmt, on=hazards)
                render(r, hz, fmt, path)
                g = gold_for(r, fmt, hz)
                g["source"] = path.name
                (out / f"{stem}.{fmt}.gold.json").write_text(json.dumps(g, ensure_ascii=False, indent=1), "utf-8")
                files.append(path.name)
                written.append(path)
            entry["years"][str(year)] = files
            last, last_own = r, own
        gold["agencies"].append(entry)
    (out / "archive.gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1), "utf-8")
    return written
