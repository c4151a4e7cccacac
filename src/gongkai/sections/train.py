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
    for k, v in (card.get("scores") or {}).items():
        lines.append(f"- **{k}**: {json.dumps(v, ensure_ascii=False)}")
    lines += ["", "Reproduce with the commands in `scores_commands`:", ""]
    for c in card.get("scores_commands", []):
        lines.append(f"    {c}")
    lines += ["", "## Caveats", "",
              "The generated reports are learnable: scores on them (cross-validation, held-out set) are near 1.0 and",
              "say little about real reports. The real reports with gold are few; their figures are the ones to",
              "trust, and they were never used for training. Where a report keeps its headings, the headings decide",
              "(`by: heading`); the classifier matters where headings are missing or mangled."]
    return "\n".join(lines) + "\n"


def train(corpus: list[str], out: str, folds: int = 0, weak: list[str] | None = None,
          evaluate_on: list[str] | None = None) -> Path:
    docs = load_docs(corpus)
    if weak:
        from .corpus import weak_labels

        docs.update(weak_labels(weak))
    if not docs:
        raise SystemExit("error: no labelled paragraphs found in " + " ".join(corpus))
    npara = sum(len(d) for d in docs.values())
    print(f"training on {len(docs)} documents, {npara} paragraphs", file=sys.stderr)
    model = SectionModel().fit(list(docs.values()))
    scores = {}
    if folds:
        from .evaluate import cross_validate

        scores[f"cv{folds}_by_document_char_accuracy"] = cross_validate(docs, folds)
    commands = []
    if evaluate_on:
        from .evaluate import evaluate_docs, evaluate_real

        held = load_docs(evaluate_on)
        real = [g for e in evaluate_on for g in (Path(e).rglob("gold.json") if Path(e).is_dir() else [Path(e)]) if g.name == "gold.json"]
        if held:
            scores["held_out_labelled"] = {"documents": len(held),
                                           "with_headings": evaluate_docs(held, model)["char_accuracy"],
                                           "headings_removed": evaluate_docs(held, model, drop_headings=True)["char_accuracy"]}
        if real:
            w = evaluate_real(real, model)
            r = evaluate_real(real, model, drop_headings=True)
            scores["real_reports_held_out"] = {"documents": sorted(w["per_doc"]), "with_headings": w["char_accuracy"],
                                               "headings_removed": r["char_accuracy"], "per_doc_headings_removed": r["per_doc"]}
        commands.append(f"gongkai evaluate {' '.join(evaluate_on)} --model {out}")
    card = {
        "scores_commands": commands,
        "name": Path(out).name, "date": datetime.date.today().isoformat(),
        "command": "gongkai train " + " ".join(corpus) + f" --out {out}" + (f" --cv {folds}" if folds else "")
                   + (f" --evaluate-on {' '.join(evaluate_on)}" if evaluate_on else ""),
        "data": f"{len(docs)} documents, {npara} labelled paragraphs from: {', '.join(corpus)}"
                + (f"; weak labels from {len(weak)} files" if weak else "") + ". Each document is used twice: as written and with every section heading removed.",
        "features": f"word uni+bigrams (jieba over the model's dictionary of {len(model.seg_words)} words) TF-IDF (≤20k) and character 1–3-gram TF-IDF (≤30k) over the first 160 characters of each paragraph, layout features "
                    "(relative position, character offset, length, digit share, heading flags, section of the heading above); "
                    "multinomial logistic regression (C=4); constrained forward-backward smoothing over the section order at prediction time.",
        "segmenter": "jieba", "segmenter_words": len(model.seg_words), "labels": model.classes_, "scores": scores,
    }
    return save(model, out, card)
