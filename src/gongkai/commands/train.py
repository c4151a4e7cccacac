"""``gongkai train`` and ``gongkai corpus``: train a section model; convert labelled data."""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("train", help="train a section classifier and write it with its model card",
                       description="Reads generated gold files (*.gold.json) and labelled-paragraph JSONL (corpora/README.md).")
    p.add_argument("corpus", nargs="+", help="folders or files of labelled paragraphs")
    p.add_argument("--out", required=True, help="model folder, e.g. models/sections-default")
    p.add_argument("--cv", type=int, default=0, help="also k-fold cross-validate by document and record it in the card")
    p.add_argument("--weak", nargs="*", default=None, help="report files whose headings give weak labels")
    p.add_argument("--evaluate-on", nargs="*", default=None, help="held-out corpora (labelled, or folders with gold.json) scored into the card")
    p.add_argument("--real", nargs="*", default=None, metavar="DIR",
                   help="folders of real reports with score-format gold.json (../shared/realdocs): trained on, weighted by "
                        "--real-weight, and scored leave-one-report-out into the card (--loo)")
    p.add_argument("--real-weight", type=float, default=10.0, help="weight of a real paragraph against a generated one (default 10)")
    p.add_argument("--loo", action="store_true", help="with --real: leave-one-report-out figures in the card (one model per report)")
    p.add_argument("--rendered", nargs="*", default=None, metavar="DIR",
                   help="folders of generated reports in PDF, DOCX or HTML (gongkai synth --formats …): read through the "
                        "readers and trained on as read, each paragraph labelled by its gold characters")
    p.set_defaults(func=run_train)

    p = sub.add_parser("corpus", help="convert labelled data: Label Studio JSON-MIN, doccano JSONL, weak labels",
                       description="Write the labelled-paragraph JSONL format from other tools' exports or from an archive's headings.")
    p.add_argument("source", choices=["labelstudio", "doccano", "weak"])
    p.add_argument("inputs", nargs="+")
    p.add_argument("--out", required=True, help="output JSONL")
    p.set_defaults(func=run_corpus)


def run_train(args) -> int:
    from ..sections.train import train

    out = train(args.corpus, args.out, folds=args.cv, weak=args.weak, evaluate_on=args.evaluate_on, real=args.real,
                real_weight=args.real_weight, loo=args.loo, rendered=args.rendered)
    print(out)
    return 0


def run_corpus(args) -> int:
    from ..sections import corpus

    docs: dict = {}
    if args.source == "weak":
        from ..batch import collect

        docs = corpus.weak_labels([str(p) for p in collect(args.inputs)])
    else:
        for f in args.inputs:
            docs.update(corpus.import_labelstudio(f) if args.source == "labelstudio" else corpus.import_doccano(f))
    n = corpus.write_jsonl(docs, args.out)
    print(f"wrote {n} paragraphs of {len(docs)} documents to {args.out}")
    return 0
