"""Train a section model and write it with its card (``models/NAME/``)."""
from __future__ import annotations

import datetime
import hashlib
import io
import json
import sys
from pathlib import Path

from .classifier import SectionModel
from .corpus import load_docs


def save(model: SectionModel, out: str | Path, card: dict) -> Path:
    """Write ``model.npz`` (the packed arrays), ``card.json`` (with the file's SHA-256) and ``README.md``."""
    import numpy as np

    from .packed import pack

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    np.savez_compressed(buf, allow_pickle=False, **pack(model, model.seg_words, model.seg_freqs))
    data = buf.getvalue()
    (out / "model.npz").write_bytes(data)
    card = dict(card)
    card["sha256"] = hashlib.sha256(data).hexdigest()
    card["size_bytes"] = len(data)
    (out / "card.json").write_text(json.dumps(card, ensure_ascii=False, indent=1) + "\n", "utf-8")
    (out / "README.md").write_text(card_markdown(card), "utf-8")
    return out


def card_markdown(card: dict) -> str:
    lines = [f"# Section model `{card.get('name')}`", "",
             f"Trained {card.get('date')} with `{card.get('command')}`.", "",
             "## Data", "", card.get("data", ""), "",
             "## Features and estimator", "", card.get("features", ""), "",
             f"Size: {card.get('size_bytes', 0) / 1e6:.2f} MB. Loaded offline; the file's SHA-256 is checked against `card.json` before loading.", "",
             "## Scores (measured)", ""]
    scores = card.get("scores") or {}
    loo = scores.get("real_reports_leave_one_out")
    if loo:
        acc = loo["char_accuracy"]
        lines += [f"Leave-one-report-out on {loo['units']} real reports (character accuracy of the sections):", "",
                  "| with headings | headings removed | headings deleted, re-parsed | probes re-parsed | errors in the 10% least confident |",
                  "|---|---|---|---|---|",
                  f"| {acc['with_headings']} | {acc['headings_removed']} | {acc['reparsed']} | {acc['probes']} | "
                  f"{loo.get('least_confident_10pct_catch_of_errors')} |", ""]
    for k, v in scores.items():
        shown = {a: b for a, b in v.items() if a != "predictions"} if isinstance(v, dict) else v
        lines.append(f"- **{k}**: {json.dumps(shown, ensure_ascii=False)}")
    lines += ["", "Reproduce with the commands in `scores_commands`:", ""]
    for c in card.get("scores_commands", []):
        lines.append(f"    {c}")
    lines += ["", "## Caveats", "",
              "The figures to trust come first: `real_reports_leave_one_out` scores each real report with gold (a PDF and",
              "its own text copy counted as one) by a model trained without it, with headings, with the headings",
              "removed from the paragraphs, and with the numbered headings deleted from the text file and the file",
              "parsed again (`reparsed`, with `score.py`'s probes). The shipped model itself was trained on all of",
              "them, so scoring it on them again says nothing. The generated reports are learnable: the figures",
              "under `sanity_checks_on_generated_reports` are near 1.0 and say little about real reports. The real",
              "reports are few and mostly from one region (平潭); reports unlike them may score lower. Where a",
              "report keeps its headings, the headings decide (`by: heading`); the classifier matters where",
              "headings are missing or mangled."]
    return "\n".join(lines) + "\n"


def probe_scorer(realdocs: str):
    """``score.py``'s probe count (``tools/`` beside the real reports' folder or a folder above a gold file,
    as in ``../shared``), or None."""
    import sys as _sys

    here = Path(realdocs).resolve()
    tools = next((p / "tools" for p in here.parents[:3] if (p / "tools" / "score.py").exists()), None)
    if tools is None:
        return None
    _sys.path.insert(0, str(tools))
    from score import score

    def probes(rep: dict, gold: dict) -> tuple[int, int]:
        hit, total = score(rep, gold)["probes"].split("/")
        return int(hit), int(total)

    return probes


def train(corpus: list[str], out: str, folds: int = 0, weak: list[str] | None = None,
          evaluate_on: list[str] | None = None, real: list[str] | None = None, real_weight: float = 10.0,
          loo: bool = False, rendered: list[str] | None = None) -> Path:
    from .real import leave_one_out, units_of

    base = load_docs(corpus)
    if rendered:  # generated reports in other formats, as the readers read them
        base.update(load_docs(rendered, rendered=True))
    weak_docs: dict = {}
    if weak:
        from .corpus import weak_labels

        weak_docs = weak_labels(weak)
    gold_files = sorted(g for r in real or [] for g in Path(r).glob("*/gold.json"))
    units = units_of(gold_files) if gold_files else {}
    docs = [*base.values(), *weak_docs.values()]
    weights = [1.0] * len(docs)
    for reports in units.values():
        for _, _, d in reports:
            docs.append(d)
            weights.append(real_weight)
    if not docs:
        raise SystemExit("error: no labelled paragraphs found in " + " ".join(corpus))
    npara = sum(len(d) for d in docs)
    print(f"training on {len(docs)} documents, {npara} paragraphs", file=sys.stderr)
    model = SectionModel().fit(docs, weights=weights, generated=[i < len(base) for i in range(len(docs))])
    scores: dict = {}
    if units and loo:
        print(f"leave-one-report-out over {len(units)} real reports", file=sys.stderr)
        scores["real_reports_leave_one_out"] = leave_one_out(units, base, weak_docs, real_weight, probe_scorer(real[0]) if real else None)
        from .real import platt

        cal = platt(scores["real_reports_leave_one_out"]["predictions"])
        if cal is not None:
            import numpy as np

            model.calibration = np.array(cal)
            scores["real_reports_leave_one_out"]["calibration"] = {
                "platt": cal, "fitted_on": "the held-out paragraphs above (headings removed)"}
    sanity: dict = {}
    if folds:
        from .evaluate import cross_validate

        sanity[f"cv{folds}_by_document_char_accuracy"] = cross_validate(base, folds)
    commands = []
    if evaluate_on:
        from .evaluate import evaluate_docs, evaluate_real

        held = load_docs(evaluate_on)
        trained_on = set(gold_files)
        held_real = [g for e in evaluate_on for g in (Path(e).rglob("gold.json") if Path(e).is_dir() else [Path(e)])
                     if g.name == "gold.json" and g not in trained_on and "unlabelled" not in g.parts]
        if held:
            sanity["held_out_generated"] = {"documents": len(held),
                                            "with_headings": evaluate_docs(held, model)["char_accuracy"],
                                            "headings_removed": evaluate_docs(held, model, drop_headings=True)["char_accuracy"]}
        if held_real:
            w = evaluate_real(held_real, model)
            r = evaluate_real(held_real, model, drop_headings=True)
            scores["real_reports_held_out"] = {"documents": sorted(w["per_doc"]), "with_headings": w["char_accuracy"],
                                               "headings_removed": r["char_accuracy"], "per_doc_headings_removed": r["per_doc"]}
        commands.append(f"gongkai evaluate {' '.join(evaluate_on)} --model {out}")
    if sanity:
        scores["sanity_checks_on_generated_reports"] = sanity
    real_note = ""
    if units:
        names = sorted(f"{src.parent.name}/{src.name}" for reports in units.values() for _, src, _ in reports)
        real_note = (f"; {sum(len(r) for r in units.values())} real reports with gold ({len(units)} reports counting a PDF "
                     f"and its own text copy once), each paragraph weighted {real_weight:g}: {', '.join(names)}")
    card = {
        "scores_commands": commands,
        "name": Path(out).name, "date": datetime.date.today().isoformat(),
        "command": "gongkai train " + " ".join(corpus) + f" --out {out}" + (f" --cv {folds}" if folds else "")
                   + (f" --weak {' '.join(weak)}" if weak else "")
                   + (f" --real {' '.join(real)} --real-weight {real_weight:g}" if real else "") + (" --loo" if loo else "")
                   + (f" --evaluate-on {' '.join(evaluate_on)}" if evaluate_on else ""),
        "data": f"{len(base)} generated documents from {', '.join(corpus + (rendered or []))}"
                + (f" ({', '.join(rendered)} read through the readers, each paragraph labelled by its gold characters)"
                   if rendered else "") + real_note
                + (f"; weak labels (from their own headings) of {len(weak_docs)} unlabelled real reports, weight 1" if weak_docs else "")
                + ". Each document is used twice: as written and with every section heading removed.",
        "features": f"word uni+bigrams (jieba over the model's dictionary of {len(model.seg_words)} words) TF-IDF (≤20k) and character 1–3-gram TF-IDF (≤30k) over the first 160 characters of each paragraph, layout features "
                    "(relative character offset, first/last paragraph, length, digit share, heading flags, section of the heading above; "
                    "the position features are learned from the real reports alone: a generated report's are left at zero); "
                    "multinomial logistic regression (C=4) with per-paragraph sample weights; a hidden Markov model over the "
                    "paragraph sequence whose transitions are counted from the labelled documents, one matrix for steps into a "
                    "paragraph that restarts the sub-heading numbering (（一）), one for steps into one that continues it (（二）, 3、), "
                    "one for the rest (decoded with forward-backward, headings as strong evidence); a long paragraph is labelled "
                    "by its sentence units, which keep their paragraph's section unless the evidence is strong. Confidence: the "
                    "geometric mean of the posterior, the paragraph's own evidence and its words' alone (the classifier's score "
                    "without its layout part), Platt-scaled on the held-out real predictions (`calibration`).",
        "segmenter": "jieba", "segmenter_words": len(model.seg_words), "labels": model.classes_, "scores": scores,
    }
    return save(model, out, card)
