"""Sub-commands of the ``gongkai`` command line, one module each, plus the options they share."""
from __future__ import annotations

import os


def add_model_option(p) -> None:
    p.add_argument("--model", default=None, metavar="NAME|PATH",
                   help="section model: a shipped model's name, a model folder, or 'none' for headings only "
                        "(default: sections-default)")


def add_budget_options(p) -> None:
    """``--timeout`` and ``--memory-mb`` of a command that parses files one by one (parse, check, view)."""
    p.add_argument("--timeout", type=float, default=0, metavar="SECONDS",
                   help="give up a file after this many seconds of parsing (default: no limit)")
    p.add_argument("--memory-mb", type=int, default=0, metavar="MB",
                   help="give up a file whose parse adds more than this much resident memory (default: no limit)")
    # either budget parses each file in a worker process watched from outside (gongkai.budget)


def add_ocr_option(p) -> None:
    p.add_argument("--ocr", choices=("auto", "never", "always"), default=None,
                   help="OCR of PDF pages (needs the extra gongkai[ocr]): auto reads pages without a usable text layer "
                        "(a scan), always reads every page from its image, never refuses scans (default: auto)")


def apply_ocr_option(args) -> None:
    if getattr(args, "ocr", None):
        os.environ["GONGKAI_OCR"] = args.ocr  # batch workers inherit it


def add_policy_options(p) -> None:
    p.add_argument("--blank-as-zero", action="store_true",
                   help="checks count a blank cell as 0 instead of leaving the rule undecided (said in each report)")


def apply_policy_options(args) -> None:
    if getattr(args, "blank_as_zero", False):
        os.environ["GONGKAI_BLANK_AS_ZERO"] = "1"  # batch workers inherit it


def apply_model_option(args) -> str | None:
    """Make ``--model`` the model of this process and of its workers; an error line when it cannot be loaded."""
    spec = getattr(args, "model", None)
    if not spec:
        return None
    if spec != "none":
        from ..sections.model import ModelError, load_named

        try:
            load_named(spec)
        except ModelError as e:
            return f"error: {e}"
    os.environ["GONGKAI_MODEL"] = spec
    return None
