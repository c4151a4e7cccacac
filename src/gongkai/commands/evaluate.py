"""``gongkai evaluate``: score section tagging, and the tables, meta and items a parse extracts, against gold.

Sections: labelled paragraphs (the generator's gold, JSONL) and real-report gold (``gold.json``).
Extraction: every report with a gold file (``*.gold.json`` from ``gongkai synth``, ``gold.json`` in the
``score.py`` format) is parsed and scored with :mod:`gongkai.scoring`: cell accuracy, meta accuracy,
precision and recall per item kind.
"""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("evaluate", help="evaluate sections (accuracy, macro-F1, confusion, CV) and tables, meta and items (P/R per kind)",
                       description="CORPUS: generated gold / labelled JSONL, or folders with score-format gold.json beside a report.")
    p.add_argument("corpus", nargs="+")
    p.add_argument("--model", default="sections-default", metavar="NAME|PATH",
                   help="a shipped model's name or a model folder (default: sections-default), or 'none' for headings only")
    p.add_argument("--cv", type=int, default=0, help="k-fold cross-validation by document (trains k models)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--sections-only", action="store_true", help="score section tagging only (no parsing for tables, meta, items)")
    p.add_argument("--loo", metavar="TRAIN", nargs="+", default=None,
                   help="leave-one-report-out on the real reports with gold in CORPUS: for each one (a PDF and its text copy "
                        "together), train on TRAIN (generated gold or labelled JSONL) plus every other real report, and "
                        "score it with headings, with headings removed, and with numbered headings deleted and re-parsed")
    p.add_argument("--real-weight", type=float, default=10.0, help="with --loo: weight of a real paragraph (default 10)")
    p.add_argument("--weak", nargs="*", default=None, help="with --loo: report files whose headings give weak labels")
    p.set_defaults(func=run)


def run(args) -> int:
    import sys

    if args.loo:
        return _leave_one_out(args)

    from ..errors import ReadError
    from ..sections.corpus import load_docs
    from ..sections.model import ModelError, load, resolve

    try:
        model = None if args.model == "none" else load(resolve(args.model))
    except ModelError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    try:
        return _evaluate(args, model, load_docs(args.corpus))
    except ReadError as e:  # a labelled or gold file that is not JSON
        print(e.line(), file=sys.stderr)
        return 2


def _evaluate(args, model, docs) -> int:
    import json
    from pathlib import Path

    from ..sections.evaluate import cross_validate, evaluate_docs, evaluate_real

    out: dict[str, dict] = {}
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
    extraction = None if args.sections_only else _extraction(args.corpus)
    if not out and not extraction:
        import sys

        print(f"error: nothing to evaluate in {' '.join(args.corpus)}: no labelled paragraphs and no gold files", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({**out, **({"extraction": extraction} if extraction else {})}, ensure_ascii=False, indent=1))
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
    if extraction:
        _print_extraction(extraction)
    return 0


def _leave_one_out(args) -> int:
    import json
    import sys
    from pathlib import Path

    from ..sections.corpus import load_docs, weak_labels
    from ..sections.real import leave_one_out, units_of
    from ..sections.train import probe_scorer

    gold = sorted(g for c in args.corpus for g in (Path(c).glob("*/gold.json") if Path(c).is_dir() else [Path(c)])
                  if g.name == "gold.json")
    if not gold:
        print(f"error: no gold.json beside a report in {' '.join(args.corpus)}", file=sys.stderr)
        return 2
    res = leave_one_out(units_of(gold), load_docs(args.loo), weak_labels(args.weak) if args.weak else {}, args.real_weight,
                        probe_scorer(args.corpus[0]))
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=1))
        return 0
    acc = res["char_accuracy"]
    print(f"leave-one-report-out over {res['units']} real reports: with headings {acc['with_headings']}, headings removed "
          f"{acc['headings_removed']}, headings deleted and re-parsed {acc['reparsed']} (probes {acc['probes']}); "
          f"the 10% least confident paragraphs hold {res['least_confident_10pct_catch_of_errors']} of the errors")
    for unit, r in res["per_unit"].items():
        print(f"  {unit}: " + ", ".join(f"{k} {v}" for k, v in r.items()))
    return 0


def _gold_files(paths: list[str]):
    from pathlib import Path

    for c in paths:
        p = Path(c)
        files = sorted(p.rglob("*gold.json")) if p.is_dir() else [p]
        yield from (g for g in files if g.name == "gold.json" or g.name.endswith(".gold.json"))


def _extraction(paths: list[str]) -> dict | None:
    """Parse every report that has a gold file and score its tables, meta and items."""
    import json
    import sys

    from ..errors import ReadError
    from ..report import parse
    from ..scoring import score_report, summarise

    scores, failed = [], []
    for g in _gold_files(paths):
        try:
            gold = json.loads(g.read_text("utf-8"))
        except (ValueError, OSError) as e:
            failed.append(f"error: {g}: not a gold file ({type(e).__name__})")
            continue
        if not isinstance(gold, dict):
            continue
        src = g.parent / str(gold.get("source") or "")
        if not gold.get("source") or not src.is_file():
            continue
        try:
            scores.append(score_report(parse(src).to_dict(), gold))
        except ReadError as e:
            failed.append(e.line())
    for line in failed:
        print(line, file=sys.stderr)
    if not scores:
        return None
    return {**summarise(scores), "unreadable": len(failed)}


def _print_extraction(s: dict) -> None:
    def f(x) -> str:
        return "  -   " if x is None else f"{x:.4f}"

    t = s["tables"]
    print(f"== extraction ({s['documents']} reports with gold)")
    print(f"  table cells: accuracy {f(t['accuracy'])} (right {t['right']}, wrong {t['wrong']}, missing {t['missing']}; "
          f"wrong and flagged by no failing check or warning: {t.get('wrong_uncaught', 0)})")
    if t.get("uncaught"):
        print(f"    unflagged wrong cells: {', '.join(t['uncaught'][:10])}")
    print("  meta: " + ", ".join(f"{k} {f(v['accuracy'])} n={v['n']}" for k, v in s["meta"].items()))
    print(f"  {'item kind':28s} {'precision':>9s} {'recall':>7s}   tp   fp   fn")
    for k, v in s["items"].items():
        print(f"  {k:28s} {f(v['precision']):>9s} {f(v['recall']):>7s} {v['tp']:4d} {v['fp']:4d} {v['fn']:4d}")
