"""``gongkai evaluate``: score a section model on labelled data or on real-report gold."""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("evaluate", help="evaluate section tagging (accuracy, macro-F1, per label, confusion, CV)",
                       description="CORPUS: generated gold / labelled JSONL, or folders with score-format gold.json beside a report.")
    p.add_argument("corpus", nargs="+")
    p.add_argument("--model", default="sections-default", metavar="NAME|PATH",
                   help="a shipped model's name or a model folder (default: sections-default), or 'none' for headings only")
    p.add_argument("--cv", type=int, default=0, help="k-fold cross-validation by document (trains k models)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    import json
    from pathlib import Path

    from ..sections.corpus import load_docs
    from ..sections.evaluate import cross_validate, evaluate_docs, evaluate_real
    from ..sections.model import ModelError, load, resolve

    try:
        model = None if args.model == "none" else load(resolve(args.model))
    except ModelError as e:
        import sys

        print(f"error: {e}", file=sys.stderr)
        return 2
    out: dict[str, dict] = {}
    docs = load_docs(args.corpus)
    real = []
    for c in args.corpus:
        p = Path(c)
        real += [g for g in (p.rglob("gold.json") if p.is_dir() else [p]) if g.name == "gold.json"]
    if docs:
        out["labelled"] = {"documents": len(docs), "with_headings": evaluate_docs(docs, model),
                           "headings_removed": evaluate_docs(docs, model, drop_headings=True)}
        if args.cv:
            out["labelled"]["cv"] = cross_validate(docs, args.cv)
    if real:
        out["real"] = {"documents": [str(g.parent.name) for g in real], "with_headings": evaluate_real(real, model),
                       "headings_removed": evaluate_real(real, model, drop_headings=True)}
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    for kind, res in out.items():
        assert isinstance(res, dict)
        print(f"== {kind}")
        for variant in ("with_headings", "headings_removed"):
            r = res[variant]
            line = f"  {variant:17s} char accuracy {r['char_accuracy']:.4f}"
            if "macro_f1" in r:
                line += f"  paragraph accuracy {r['accuracy']:.4f}  macro-F1 {r['macro_f1']:.4f}"
            if "per_doc" in r:
                line += "  " + ", ".join(f"{k} {v:.4f}" for k, v in r["per_doc"].items())
            print(line)
            if "per_label" in r:
                for lab, s in r["per_label"].items():
                    print(f"      {lab:10s} P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} n={s['support']}")
                print("      confusion (rows gold, columns predicted): " + " ".join(r["labels"]))
                for lab, row in zip(r["labels"], r["confusion"]):
                    print(f"      {lab:10s} " + " ".join(f"{x:5d}" for x in row))
        if "cv" in res:
            print(f"  cv: {json.dumps(res['cv'])}")
    return 0
