"""Labelled paragraphs: loading, weak labels and imports.

The labelled-paragraph format is JSON Lines, one paragraph per line::

    {"doc": "report-17", "index": 0, "text": "一、总体情况", "label": "overview", "heading": true}

Also read: generated gold files (``*.gold.json``, key ``paragraphs``), Label Studio
JSON-MIN exports (a list of objects with ``text`` and a choice field) and doccano
JSONL exports (``text`` with ``label`` or ``labels``).  A paragraph is kept only
when its label is one of ``LABELS``.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from . import LABELS
from .headings import is_heading_line

Doc = list[tuple[str, str, bool]]


def _heading(text: str) -> bool:
    h = is_heading_line(text) if len(text) <= 40 else None
    return h is not None and h.level == 1


def load_docs(paths: list[str], rendered: bool = False) -> dict[str, Doc]:
    """Labelled documents of the files and folders ``paths``.  With ``rendered``, a generated report whose
    gold names a source that is not a text file (PDF, DOCX, HTML) is read through the readers and each
    paragraph read takes the gold label of most of its characters (:func:`~.real.labelled`), as real
    reports are: the paragraphs a model meets, not the generator's clean ones."""
    docs: dict[str, Doc] = {}
    for p in paths:
        path = Path(p)
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for f in files:
            if f.name.endswith(".gold.json"):
                g = read_json(f, f.read_text("utf-8"))
                source = f.parent / str(g.get("source", ""))
                if rendered and g.get("source") and source.suffix != ".txt" and source.is_file():
                    doc = _read_as_labelled(f, g)
                    if doc:
                        docs[str(f)] = doc
                elif "paragraphs" in g:
                    docs[str(f)] = [(t, lab, _heading(t)) for lab, t in g["paragraphs"] if lab in LABELS]
            elif f.suffix == ".jsonl":
                for line in f.read_text("utf-8").splitlines():
                    if not line.strip():
                        continue
                    r = read_json(f, line)
                    if r.get("label") in LABELS and r.get("text"):
                        key = f"{f}:{r.get('doc', 'doc')}"
                        docs.setdefault(key, []).append((r["text"], r["label"], bool(r.get("heading", _heading(r["text"])))))
    return {k: v for k, v in docs.items() if v}


def _read_as_labelled(gold_path: Path, gold: dict) -> Doc:
    """A generated report read through the readers, its paragraphs labelled by the gold (:func:`~.real.labelled`);
    a report that cannot be read is a warning and no document."""
    from ..errors import ReadError
    from .real import labelled

    try:
        return labelled(gold_path, gold)[2]
    except ReadError as e:
        print(f"warning: {e.path}: {e.reason}; not trained on", file=sys.stderr)
        return []


def read_json(path: Path, text: str):
    """JSON from a labelled file; a file that is not JSON is a one-line error, not a traceback."""
    from ..errors import ReadError

    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ReadError(str(path), f"not JSON ({e.msg} at line {e.lineno})") from None


def write_jsonl(docs: dict[str, Doc], out: str | Path) -> int:
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for doc_id, paras in docs.items():
            for i, (t, lab, h) in enumerate(paras):
                f.write(json.dumps({"doc": doc_id, "index": i, "text": t, "label": lab, "heading": h}, ensure_ascii=False) + "\n")
                n += 1
    return n


def _choice(obj: dict) -> str | None:
    for key in ("label", "section", "sentiment", "choice", "labels"):
        v = obj.get(key)
        if isinstance(v, list):
            v = v[0] if v else None
            if isinstance(v, dict):
                v = (v.get("labels") or v.get("choices") or [None])[0]
        if isinstance(v, dict):
            v = (v.get("choices") or [None])[0]
        if isinstance(v, str) and v in LABELS:
            return v
    return None


def import_labelstudio(path: str | Path) -> dict[str, Doc]:
    """Label Studio JSON-MIN: ``[{"text": …, "label": "overview", "doc": …, "index": …}, …]``."""
    items = json.loads(Path(path).read_text("utf-8"))
    docs: dict[str, list] = {}
    for it in items:
        lab = _choice(it)
        if lab and it.get("text"):
            docs.setdefault(str(it.get("doc", "doc")), []).append((it.get("index", 0), it["text"], lab))
    return {k: [(t, lab, _heading(t)) for _, t, lab in sorted(v, key=lambda x: x[0])] for k, v in docs.items()}


def import_doccano(path: str | Path) -> dict[str, Doc]:
    """doccano JSONL: ``{"text": …, "label": ["overview"], "doc": …}`` per line."""
    docs: dict[str, list] = {}
    for line in Path(path).read_text("utf-8").splitlines():
        if not line.strip():
            continue
        it = json.loads(line)
        lab = _choice(it)
        if lab and it.get("text"):
            docs.setdefault(str(it.get("doc", it.get("meta", {}).get("doc", "doc") if isinstance(it.get("meta"), dict) else "doc")), []).append((it["text"], lab, _heading(it["text"])))
    return docs


def weak_labels(report_files: list[str]) -> dict[str, Doc]:
    """Weak labels from headings of an unlabelled archive: paragraphs under a detected heading."""
    from ..errors import ReadError
    from ..readers import read
    from .tagger import Para, heading_labels

    docs: dict[str, Doc] = {}
    for f in report_files:
        try:
            doc = read(f)
        except ReadError:
            continue
        paras = [Para(b.text, b.kind == "heading") for b in doc.paragraphs]
        hl = heading_labels(paras)
        if sum(1 for x in hl if x) < 3:
            continue  # too few headings to trust
        cur = "preamble"
        out = []
        for p, lab in zip(paras, hl):
            if lab:
                cur = lab
            out.append((p.text, cur, lab is not None))
        docs[str(f)] = out
    return docs
