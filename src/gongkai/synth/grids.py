"""The official layout of the standard tables as logical grids with spans (the spec's ``layout``).

A grid is a list of rows; a row is a list of ``(text, rowspan, colspan)`` origin
cells, in reading order (slots covered by a span are left out).  Values are
formatted by a ``fmt(value, key)`` callback so that renderers can add hazards
(blank cells, full-width digits, units).
"""
from __future__ import annotations

from ..tables.model import Table
from ..tables.spec import current


def grid(name: str, table: dict, fmt) -> list[list]:
    """The printed grid of table ``name`` (output JSON) in its template's official layout, from the spec."""
    if name == "legacy":
        return legacy_grid(table, fmt)
    t = Table.from_json(name, table)
    spec = current()[name]
    template = t.template if t.template in spec.templates else spec.templates[0]
    return spec.grid(template, lambda r, c: fmt((t.rows.get(r) or {}).get(c), f"{r}.{c}"))


def legacy_grid(table: dict, fmt) -> list[list]:
    """A legacy statistics table as printed: 指标名称, 计量单位 (when the rows have units), the value columns."""
    units = any(r.get("unit") for r in table["rows"])
    g: list[list] = [[("指标名称", 1, 1)] + ([("计量单位", 1, 1)] if units else []) + [(c, 1, 1) for c in table["columns"]]]
    for i, r in enumerate(table["rows"]):
        g.append([(r["label"], 1, 1)] + ([(r.get("unit") or "", 1, 1)] if units else [])
                 + [(fmt(v, f"{i}.{j}"), 1, 1) for j, v in enumerate(r["values"])])
    return g


def place(grid: list[list]) -> list[list]:
    """Absolute layout: a matrix of (text, rowspan, colspan) at origins and None where covered."""
    ncols = max(sum(c[2] for c in row) for row in grid)
    nrows = len(grid)
    M: list[list] = [[False] * ncols for _ in range(nrows)]
    for r, row in enumerate(grid):
        c = 0
        for cell in row:
            while c < ncols and M[r][c] is not False:
                c += 1
            text, rs, cs = cell
            for dr in range(rs):
                for dc in range(cs):
                    if r + dr < nrows and c + dc < ncols:
                        M[r + dr][c + dc] = None
            M[r][c] = cell
            c += cs
    for r in range(nrows):
        for c in range(ncols):
            if M[r][c] is False:
                M[r][c] = ("", 1, 1)
    return M


def split_rows(M: list[list], k: int) -> tuple[list[list], list[list]]:
    """Cut a placed grid before row ``k``, as a page break does: a merged label cell that crosses the
    cut is split in two, its words too (``（四）无`` above, ``法提供`` below)."""
    top = [list(r) for r in M[:k]]
    bottom = [list(r) for r in M[k:]]
    for r, row in enumerate(top):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            text, rs, cs = cell
            if r + rs <= k:
                continue
            head, tail = text, ""
            if text.startswith("（") and len(text) >= 5:
                head, tail = text[:4], text[4:]
            top[r][c] = (head, k - r, cs)
            bottom[0][c] = (tail, r + rs - k, cs)
    return top, bottom
