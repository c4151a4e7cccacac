"""``gongkai synth``: write generated reports with gold answers."""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("synth", help="generate realistic reports with gold answers",
                       description="Write N generated reports (deterministic for a seed) and one *.gold.json each.")
    p.add_argument("--n", type=int, default=20, help="how many reports (default 20)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--templates", default="2021,2019,legacy", help="comma list of 2021,2019,legacy")
    p.add_argument("--formats", default="pdf,docx,html,txt",
                   help="comma list of pdf,docx,html,txt,wordpdf,scan (wordpdf: a PDF in the official Word layout; "
                        "scan: an image-only PDF with a stamp, skew, grain and JPEG artefacts, for OCR)")
    p.add_argument("--scan-dpi", type=int, default=None, metavar="DPI",
                   help="resolution of scan files (default: 150-300 at random)")
    p.add_argument("--pdf-routes", default="libreoffice,reportlab",
                   help="how wordpdf PDFs are made: libreoffice (where installed), reportlab, or both (default)")
    p.add_argument("--no-hazards", action="store_true", help="clean layouts only")
    p.add_argument("--break-rate", type=float, default=None,
                   help="share of reports that break a 勾稽 rule on purpose (default 0.1; with --series, the share of "
                        "years that break a cross-year rule, default 0.2)")
    p.add_argument("--series", type=int, default=0, metavar="AGENCIES",
                   help="write an archive instead: AGENCIES agencies reporting --years years each (some years in two "
                        "formats, a few missing, planted cross-year breaks and copied paragraphs; archive.gold.json)")
    p.add_argument("--years", type=int, default=4, help="years per agency with --series (default 4)")
    p.set_defaults(func=run)


def run(args) -> int:
    import sys

    from ..synth.writer import FORMATS, PDF_ROUTES, write_corpus

    templates = tuple(t.strip() for t in args.templates.split(",") if t.strip())
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    bad = [t for t in templates if t not in ("2021", "2019", "legacy")] + [f for f in formats if f not in FORMATS]
    if bad or args.n < 0:
        print(f"error: synth: unknown template or format: {', '.join(bad) or args.n}", file=sys.stderr)
        return 2
    routes = tuple(x.strip() for x in args.pdf_routes.split(",") if x.strip())
    if not routes or any(x not in PDF_ROUTES for x in routes):
        print(f"error: synth: unknown PDF route in {args.pdf_routes!r} (libreoffice, reportlab)", file=sys.stderr)
        return 2
    if args.series:
        from ..synth.series import write_archive

        if not 1 <= args.years <= 7 or "wordpdf" in formats or "scan" in formats:
            print("error: synth: --years is 1 to 7, and --series writes pdf, docx, html or txt", file=sys.stderr)
            return 2
        paths = write_archive(args.out, args.series, args.years, args.seed, formats, hazards=not args.no_hazards,
                              break_rate=0.2 if args.break_rate is None else args.break_rate)
        print(f"wrote {len(paths)} reports of {args.series} agencies, their gold files and archive.gold.json to {args.out}")
        return 0
    paths = write_corpus(args.out, args.n, args.seed, templates, formats, hazards=not args.no_hazards,
                         break_rate=0.1 if args.break_rate is None else args.break_rate,
                         pdf_routes=routes, scan_dpi=args.scan_dpi)
    print(f"wrote {len(paths)} reports and their gold files to {args.out}")
    return 0
