"""Write a batch of synthetic reports with their gold files (``gongkai synth``)."""
from __future__ import annotations

import json
import random
from pathlib import Path

from ..tables.model import Table
from .generate import make_report
from .render import Hazards, render

EXT = {"pdf": ".pdf", "wordpdf": ".pdf", "docx": ".docx", "html": ".html", "txt": ".txt", "scan": ".pdf"}
FORMATS = tuple(EXT)
PDF_ROUTES = ("libreoffice", "reportlab")


def gold_for(r, fmt: str, hz: Hazards) -> dict:
    text = "\n".join(el[2] for el in r.body if el[0] == "p")
    sections, seen = [], set()
    paras = [el for el in r.body if el[0] == "p"]
    for k, el in enumerate(paras):
        if el[1] not in seen:
            seen.add(el[1])
            anchor = el[2][:20]
            if el[3] and k + 1 < len(paras):  # a bare heading may also occur in the preamble's list of parts
                anchor = el[2] + paras[k + 1][2][:10]
            sections.append([el[1], anchor])
    tables = {}
    legacy = None
    for name, t in r.tables.items():
        if name == "legacy":  # the shape of the hand-checked gold: rows [label, unit, values]
            legacy = {"columns": t["columns"], "rows": [
                [row["label"], row["unit"], [None if f"legacy.{i}.{j}" in hz.blanked else v for j, v in enumerate(row["values"])]]
                for i, row in enumerate(t["rows"])]}
            continue
        flat = Table.from_json(name, t).flat()
        for key in list(flat):
            if f"{name}.{key}" in hz.blanked:
                flat[key] = None
        tables[name] = flat
    probes = [[el[1], el[2][:16]] for el in r.body if el[0] == "p" and not el[3] and len(el[2]) > 16]
    gold = {
        "source": None, "format": fmt, "text": text, "sections": sections, "probes": probes, "tables": tables,
        "meta": {"template": r.template, "year": r.year, "agency": r.org},
        "region": {"province": r.region[0], "city": r.region[1], "county": r.region[2]},
        "items": r.items, "items_complete": True, "paragraphs": [[el[1], el[2]] for el in r.body if el[0] == "p"],
        "broken_checks": r.broken, "hazards": hz.dict(),
        **({"legacy_table": legacy} if legacy else {}),
        "glued": fmt == "txt" and hz.txt_mode == "glued",
    }
    if gold["glued"]:
        gold["note"] = "glued digits: a cell may be null when the split is not forced; never a different number"
    return gold


def _scan(r, hz: Hazards, path: Path, rng: random.Random, routes: tuple[str, ...], dpi: int | None) -> dict:
    """Render ``r`` as a PDF beside ``path``, scan it to ``path``, remove the PDF; what the scan did."""
    from .scan import scan_pdf
    from .typeset import OfficialLayout, render_reportlab

    base = path.with_suffix(".unscanned.pdf")
    official = rng.random() < 0.5
    try:
        if official:
            render_reportlab(r, hz, OfficialLayout.draw(rng, "reportlab"), base, rng)
        else:
            render(r, hz, "pdf", base)
        done = scan_pdf(base, path, rng, r.org, dpi)
    finally:
        base.unlink(missing_ok=True)
    return {**done, "layout": "official" if official else "plain"}


def write_corpus(out: str | Path, n: int, seed: int, templates=("2021", "2019", "legacy"), formats=("pdf", "docx", "html", "txt"),
                 hazards: bool = True, break_rate: float = 0.1, pdf_routes: tuple[str, ...] = PDF_ROUTES,
                 scan_dpi: int | None = None) -> list[Path]:
    """Write ``n`` reports and their gold files.  ``wordpdf`` is a PDF in the official Word layout, made
    through LibreOffice (converted in one start at the end) or emulated with reportlab, by ``pdf_routes``
    (LibreOffice only where it is installed).  ``scan`` is an image-only PDF: a generated PDF (either
    layout; the Word layout through reportlab) rasterised at ``scan_dpi`` (else 150–300) with a stamp,
    skew, grain and JPEG artefacts (:mod:`.scan`)."""
    from .typeset import OfficialLayout, convert_with_libreoffice, libreoffice, render_reportlab, write_docx

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    routes = tuple(x for x in pdf_routes if x != "libreoffice" or libreoffice()) or ("reportlab",)
    written, to_convert = [], []
    for i in range(n):
        template = templates[i % len(templates)]
        fmt = formats[(i // len(templates)) % len(formats)] if len(formats) > 1 else formats[0]
        r = make_report(rng, template, break_rule=rng.random() < break_rate and template != "legacy")
        hz = Hazards(random.Random(rng.random()), fmt, on=hazards)
        stem = f"synth-{seed}-{i:04d}-{template}"
        path = out / (stem + EXT[fmt])
        layout = None
        if fmt == "wordpdf":
            lay_rng = random.Random(rng.random())
            lay = OfficialLayout.draw(lay_rng, routes[i // len(templates) % len(routes)])
            layout = lay.dict()
            if lay.route == "libreoffice":
                write_docx(r, hz, lay, path.with_suffix(".docx"))
                to_convert.append(path.with_suffix(".docx"))
            else:
                render_reportlab(r, hz, lay, path, lay_rng)
        elif fmt == "scan":
            scanned = _scan(r, hz, path, random.Random(rng.random()), routes, scan_dpi)
        else:
            render(r, hz, fmt, path)
        gold = gold_for(r, "pdf" if fmt in ("wordpdf", "scan") else fmt, hz)  # after rendering: it knows which cells were blanked
        if layout:
            gold["layout"] = layout
        if fmt == "scan":
            gold["scan"] = scanned
        gold["source"] = path.name
        (out / (stem + ".gold.json")).write_text(json.dumps(gold, ensure_ascii=False, indent=1), "utf-8")
        written.append(path)
    if to_convert:
        convert_with_libreoffice(to_convert)
    return written
