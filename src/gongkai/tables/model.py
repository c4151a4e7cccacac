"""One typed table for every standard table, and the adapter to and from the output JSON.

Internally all tables share one shape: ``rows[row][column] = value`` (table 4's groups are
rows).  The output keeps its documented shapes (OUTPUT.md): tables 2 and 3 as
``{"template", "rows": {…}}``, table 4 with its groups at the top level; which one a
table uses is the spec's ``output``.  ``cells()`` is the one way to walk a table's cells.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .spec import TemplateSpec, current

Value = int | float | None
META_KEYS = ("template", "rows", "extra_rows", "pages", "ocr_confidence")


@dataclass
class Table:
    name: str
    template: str = "unknown"
    rows: dict[str, dict[str, Value]] = field(default_factory=dict)
    extra_rows: list[dict] = field(default_factory=list)  # labelled rows the template does not know
    pages: list[int] = field(default_factory=list)  # the PDF pages the table was read from
    ocr_confidence: dict[str, float] = field(default_factory=dict)  # "row.column" → OCR confidence of cells read by OCR

    def cells(self) -> Iterator[tuple[str, str, Value]]:
        """Every cell as ``(row, column, value)``, in row order."""
        for r, cols in self.rows.items():
            for c, v in cols.items():
                yield r, c, v

    def flat(self) -> dict[str, Value]:
        """``{"row.column": value}`` (the gold files' shape)."""
        return {f"{r}.{c}": v for r, c, v in self.cells()}

    def to_json(self, spec: TemplateSpec | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"template": self.template}
        if (spec or current())[self.name].output == "groups":
            out.update({r: dict(cols) for r, cols in self.rows.items()})
        else:
            out["rows"] = {r: dict(cols) for r, cols in self.rows.items()}
        if self.extra_rows:
            out["extra_rows"] = self.extra_rows
        if self.pages:
            out["pages"] = self.pages
        if self.ocr_confidence:
            out["ocr_confidence"] = self.ocr_confidence
        return out

    @classmethod
    def from_json(cls, name: str, data: dict, spec: TemplateSpec | None = None) -> Table:
        """Read a table of the output JSON (or of a generator's gold) back."""
        spec = spec or current()
        groups = name in spec.tables and spec[name].output == "groups"
        if groups:
            rows = {k: dict(v) for k, v in data.items() if k not in META_KEYS and isinstance(v, dict)}
        else:
            rows = {k: dict(v) for k, v in (data.get("rows") or {}).items() if isinstance(v, dict)}
        return cls(name, str(data.get("template") or "unknown"), rows, list(data.get("extra_rows") or []),
                   list(data.get("pages") or []), dict(data.get("ocr_confidence") or {}))


def tables_from_json(tables: dict, spec: TemplateSpec | None = None) -> dict[str, Table]:
    """The standard tables of a report's ``tables`` (other entries, e.g. ``legacy``, are left out)."""
    spec = spec or current()
    return {name: Table.from_json(name, t, spec) for name, t in (tables or {}).items()
            if name in spec.tables and isinstance(t, dict)}


def legacy_table_cells(tables: dict) -> list[tuple[str, str, float | int | None]]:
    """The cells of the legacy statistics tables as ``(row, column, value)``: the row's indicator key (or
    ``label:`` and the label as printed), the column ``current`` or ``cumulative`` (or its header as printed)."""
    t = tables.get("legacy")
    from .spec import current

    spec = current().legacy
    out = []
    for table in t if isinstance(t, list) else [t] if t else []:
        cols = table.get("columns") or []
        cur, cum = spec.column_roles(cols) if spec is not None else (None, None)
        names = ["cumulative" if i == cum else "current" if i == cur else c for i, c in enumerate(cols)]
        for r in table.get("rows") or []:
            row = r.get("key") or f"label:{r.get('label')}"
            out += [(row, names[j] if j < len(names) else str(j), v) for j, v in enumerate(r.get("values") or [])]
    return out
