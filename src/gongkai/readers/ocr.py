"""OCR of PDF pages that have no text layer (a scanned report), for the PDF reader.

Needs the optional extra ``gongkai[ocr]``: rapidocr-onnxruntime, whose PP-OCR Chinese detection and
recognition models ship inside its wheel (nothing is downloaded at run time), and OpenCV, which it
depends on.  One page goes through five steps:

1. rendered at 200 dpi whatever the scan's resolution (a 150 dpi scan read at its own size lost a fifth of
   its cells, a 300 dpi one 3%: the thresholds below are tuned to one scale);
2. red stamps taken out (a roughly round red blot is read through its red channel, where red is
   white and black text stays black) and the page deskewed (the angle that makes the rows of ink
   sharpest);
3. ruled tables found on the raster (OpenCV morphology keeps long horizontal and vertical strokes;
   walls between grid slots decide merged cells) and read cell by cell: each cell's lines of ink
   are cut out and recognised, no detector involved, so a lone ``0`` is never missed;
4. the text outside the tables found by PP-OCR's detector (on a reduced copy: it is the costly
   step) and recognised; the boxes of one visual row make one line, measured on its ink;
5. recognition in batches of equal width (ONNX Runtime plans once per input shape), decoded here
   so that each reading carries the probability of its least certain character and the
   alternatives a table may choose between: the reading restricted to digits, and the reading
   with its least certain character replaced by the runner-up.

The result is what the PDF reader makes of a page with a text layer: lines (in points, top-down)
and table grids, each line and cell with its OCR confidence.  Nothing here knows reports.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

DPI = 200  # every page is rendered at this resolution, whatever its scan's: the steps below are tuned to it
DETECT_SIDE = 1280  # the detector reads a copy whose longer side is this many pixels
REC_HEIGHT = 48  # PP-OCR recogniser input height
WIDTH_STEP = 64  # recogniser inputs are padded to a multiple of this: few shapes, each planned once
BATCH = 8
DIGITS = "0123456789"
UNSURE_CHAR = 0.9  # a character read with less probability than this may be swapped for its runner-up (a word)
RUNNER_UP = 0.05
STAMP_DARK = 60  # under a stamp, a pixel darker than this (0-255) is black ink, not the stamp's red  # a runner-up less probable than this is no alternative

INSTALL_HINT = "OCR needs the extra gongkai[ocr] (pip install 'gongkai[ocr]')"

# set by a batch worker: told the page count of a file about to be OCR'd, so that the parent can
# extend the file's timeout (OCR takes seconds a page)
on_ocr_pages: Callable[[int], None] | None = None


def available() -> bool:
    """Whether the OCR extra is installed."""
    try:
        import cv2  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401
    except Exception:  # ImportError, or OpenCV missing a system library
        return False
    return True


@dataclass
class Reading:
    """One recognised crop: the text, the probability of its least certain character, the mean
    probability, and other readings (digits only; the weakest character replaced)."""
    text: str
    confidence: float
    mean: float
    alternatives: list[str] = field(default_factory=list)


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    confidence: float


@dataclass
class Grid:
    """A ruled table found on the raster: rows of cells (``None`` where a merged cell covers the slot),
    each cell a :class:`Reading` or ``""`` when blank; in points."""
    bbox: tuple[float, float, float, float]
    rows: list[list[Reading | str | None]]


@dataclass
class Page:
    lines: list[Line]
    grids: list[Grid]


class _Engine:
    """The PP-OCR detector and recogniser of rapidocr, loaded once per process."""

    def __init__(self):
        from rapidocr_onnxruntime import RapidOCR

        ocr = RapidOCR()
        self.det = ocr.text_det
        self.session = ocr.text_rec.session
        self.chars: list[str] = ocr.text_rec.postprocess_op.character
        self.digit_ids = np.array([0] + [i for i, c in enumerate(self.chars) if c in DIGITS])
        self.sorted_boxes = ocr.sorted_boxes

    def detect(self, gray: np.ndarray) -> list[np.ndarray]:
        """Text boxes (4 × 2 corner arrays, in ``gray``'s pixels) found on a reduced copy."""
        import cv2

        f = min(1.0, DETECT_SIDE / max(gray.shape[:2]))
        small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else gray
        boxes, _ = self.det(cv2.cvtColor(small, cv2.COLOR_GRAY2BGR))
        if boxes is None or len(boxes) == 0:
            return []
        return [np.asarray(b, dtype=np.float32) / f for b in boxes]

    def recognize(self, crops: list[np.ndarray]) -> list[Reading]:
        """Read grey crops of one text line each, batched by padded width."""
        import cv2

        out: list[Reading | None] = [None] * len(crops)
        by_width: dict[int, list[int]] = {}
        for i, c in enumerate(crops):
            h, w = c.shape[:2]
            width = max(WIDTH_STEP, math.ceil(REC_HEIGHT * w / max(h, 1) / WIDTH_STEP) * WIDTH_STEP)
            by_width.setdefault(min(width, 4096), []).append(i)
        for width, idx in by_width.items():
            for b in range(0, len(idx), BATCH):
                part = idx[b:b + BATCH]
                x = np.zeros((len(part), 3, REC_HEIGHT, width), np.float32)
                for k, i in enumerate(part):
                    h, w = crops[i].shape[:2]
                    rw = max(1, min(width, math.ceil(REC_HEIGHT * w / max(h, 1))))
                    img = cv2.resize(crops[i], (rw, REC_HEIGHT)).astype(np.float32) / 127.5 - 1.0
                    x[k, :, :, :rw] = img[None, :, :]
                probs = self.session(x)[0]
                for k, i in enumerate(part):
                    out[i] = self._decode(probs[k])
        return [r or Reading("", 0.0, 0.0) for r in out]

    def _as_number(self, probs: np.ndarray, best: np.ndarray) -> list[float]:
        """Per digit of a reading that is all digits: its probability among the digits (and the blank) only.
        A number is unsure when another number is likely, not when the same ink might be a letter (0 / O)."""
        sub = probs[:, self.digit_ids]
        sub = sub / np.maximum(sub.sum(axis=1, keepdims=True), 1e-9)
        out: list[float] = []
        prev = 0
        for t, k in enumerate(best):
            if k != 0 and k != prev:
                j = int(np.nonzero(self.digit_ids == k)[0][0])
                out.append(float(sub[t, j]))
            elif k != 0 and k == prev:
                j = int(np.nonzero(self.digit_ids == k)[0][0])
                out[-1] = max(out[-1], float(sub[t, j]))
            prev = k
        return out

    def _decode(self, probs: np.ndarray) -> Reading:
        """Greedy CTC decoding with per-character probabilities and two alternative readings."""
        best = probs.argmax(axis=1)
        text, conf, runner = [], [], []
        prev = 0
        for t, k in enumerate(best):
            if k != 0 and k != prev:
                text.append(self.chars[k])
                conf.append(float(probs[t, k]))
                second = int(np.argsort(probs[t])[-2])
                runner.append(self.chars[second] if second != 0 and probs[t, second] >= RUNNER_UP else "")
            elif k != 0 and k == prev:
                conf[-1] = max(conf[-1], float(probs[t, k]))
            prev = k
        if not conf:
            return Reading("", 0.0, 0.0)
        text = _lexical_fix(text, conf, runner)
        s = "".join(text).strip()
        if s and all(c in DIGITS for c in s):
            conf = self._as_number(probs, best)
        alts = []
        sub = probs[:, self.digit_ids]
        dbest = sub.argmax(axis=1)
        digits, prev = [], 0
        for k in dbest:
            if k != 0 and k != prev:
                digits.append(self.chars[self.digit_ids[k]])
            prev = k
        if digits:
            alts.append("".join(digits))
        weakest = int(np.argmin(conf))
        alts.append("".join(text[:weakest]) + runner[weakest] + "".join(text[weakest + 1:]))
        alts = [a.strip() for a in dict.fromkeys(alts) if a.strip() and a.strip() != s]
        return Reading(s, min(conf), float(np.mean(conf)), alts)


_ENGINE: _Engine | None = None
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def _makes_word(ch: str, prev: str, nxt: str) -> bool:
    """Whether ``ch`` makes a word of jieba's dictionary with the character before or after it."""
    from ..segment import full_dictionary_freq

    return any(full_dictionary_freq(w) > 0 for w in (prev + ch, ch + nxt) if len(w) == 2)


def _lexical_fix(text: list[str], conf: list[float], runner: list[str]) -> list[str]:
    """Swap an unsure Chinese character for the recogniser's runner-up where only the runner-up makes a word
    with a neighbour (纳人 → 纳入, 深人 → 深入, 内户 → 门户): look-alike glyphs the dictionary tells apart."""
    out = list(text)
    for i, (c, p, r) in enumerate(zip(text, conf, runner)):
        if p >= UNSURE_CHAR or not r or not _CJK_CHAR.match(c) or not _CJK_CHAR.match(r):
            continue
        prev, nxt = out[i - 1] if i else "", text[i + 1] if i + 1 < len(text) else ""
        if _makes_word(r, prev, nxt) and not _makes_word(c, prev, nxt):
            out[i] = r
    return out


def engine() -> _Engine:
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = _Engine()
    return _ENGINE


# ---- the page image ---------------------------------------------------------------------------------

def render(page: Any, dpi: int) -> np.ndarray:
    """The page as an RGB array at ``dpi``."""
    bitmap = page.render(scale=dpi / 72)
    try:
        return np.array(bitmap.to_pil().convert("RGB"))
    finally:
        bitmap.close()


def without_stamps(rgb: np.ndarray, dpi: int) -> np.ndarray:
    """Grey page with the red stamps taken out: a stamp is a red blot about as tall as wide, between half an
    inch and three inches across; inside it, red pixels turn white unless they are dark (black ink under
    the red, which a scan's JPEG tints red at its edges: the red channel alone would fade it)."""
    import cv2

    r, g, b = (rgb[:, :, i].astype(np.int16) for i in range(3))
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    red = ((r - np.maximum(g, b)) > 40).astype(np.uint8)
    if red.sum() < dpi:
        return gray
    blob = cv2.dilate(red, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (dpi // 10, dpi // 10)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(blob)
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if 0.5 * dpi <= max(w, h) <= 3 * dpi and 0.6 <= w / max(h, 1) <= 1.6:
            box = gray[y:y + h, x:x + w]
            box[(red[y:y + h, x:x + w] > 0) & (box > STAMP_DARK)] = 255
    return gray


def skew_angle(gray: np.ndarray) -> float:
    """The angle (degrees) that makes the rows of ink sharpest, within ±4°."""
    import cv2

    f = min(1.0, 800 / max(gray.shape))
    # ink found at full size, then reduced (a hairline rule reduced first fades below any threshold)
    ink = cv2.resize((gray < 160).astype(np.float32), None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    h, w = ink.shape

    def score(a: float) -> float:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), a, 1.0)
        rows = cv2.warpAffine(ink, m, (w, h)).sum(axis=1)
        return float(np.sum(np.diff(rows) ** 2))

    best = max(np.arange(-4, 4.01, 0.25), key=score)
    return float(max(np.arange(best - 0.25, best + 0.26, 0.025), key=score))


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    import cv2

    if abs(angle) < 0.02:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


# ---- ruled tables ------------------------------------------------------------------------------------

def _clusters(values: np.ndarray, gap: int = 3) -> list[int]:
    """Centres of runs of consecutive indices."""
    out: list[int] = []
    run: list[int] = []
    for v in values.tolist():
        if run and v - run[-1] > gap:
            out.append(round(sum(run) / len(run)))
            run = []
        run.append(v)
    if run:
        out.append(round(sum(run) / len(run)))
    return out


def _ruling(ink: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling strokes: ink runs longer than any character's stroke."""
    import cv2

    # no closing first: it joins the strokes of neighbouring characters into runs as long as a rule
    hk = cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, int(0.3 * dpi)), 1))
    vk = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(12, int(0.17 * dpi))))
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, hk), cv2.morphologyEx(ink, cv2.MORPH_OPEN, vk)


def find_grids(ink: np.ndarray, dpi: int) -> list[tuple[list[int], list[int], list[list[tuple[int, int, int, int] | None]]]]:
    """Ruled tables: for each, the y of its horizontal rules, the x of its vertical rules and, per grid slot,
    the cell that starts there as ``(row0, col0, row1, col1)`` slot indices (``None`` where a merged cell
    covers the slot)."""
    import cv2

    hor, ver = _ruling(ink, dpi)
    frame = cv2.dilate(hor | ver, np.ones((5, 5), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(frame)
    out = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if w < 1.2 * dpi or h < 0.25 * dpi:
            continue
        hs, vs = hor[y:y + h, x:x + w], ver[y:y + h, x:x + w]
        ys = [y + v for v in _clusters(np.nonzero(hs.sum(axis=1) >= 255 * 0.3 * dpi)[0])]
        xs = [x + v for v in _clusters(np.nonzero(vs.sum(axis=0) >= 255 * 0.12 * dpi)[0])]
        if len(ys) < 2 or len(xs) < 2:
            continue
        out.append((ys, xs, _cells(hor, ver, ys, xs)))
    return out


def _walled(mask: np.ndarray, fixed: int, a: int, b: int, vertical: bool) -> bool:
    """Whether a rule runs along ``fixed`` (x for a vertical wall, y for a horizontal one) over most of a..b."""
    lo, hi = a + (b - a) // 5, b - (b - a) // 5
    if hi <= lo:
        return True
    band = mask[lo:hi, max(0, fixed - 3):fixed + 4] if vertical else mask[max(0, fixed - 3):fixed + 4, lo:hi]
    covered = band.max(axis=1 if vertical else 0) > 0
    return bool(covered.mean() >= 0.6)


def _cells(hor: np.ndarray, ver: np.ndarray, ys: list[int], xs: list[int]) -> list[list[tuple[int, int, int, int] | None]]:
    """Merge grid slots not separated by a rule into cells (union-find over the slots)."""
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i in range(nr):
        for j in range(nc):
            if j + 1 < nc and not _walled(ver, xs[j + 1], ys[i], ys[i + 1], vertical=True):
                parent[find(i * nc + j + 1)] = find(i * nc + j)
            if i + 1 < nr and not _walled(hor, ys[i + 1], xs[j], xs[j + 1], vertical=False):
                parent[find((i + 1) * nc + j)] = find(i * nc + j)
    span: dict[int, list[int]] = {}
    for s in range(nr * nc):
        r = find(s)
        i, j = divmod(s, nc)
        box = span.setdefault(r, [i, j, i, j])
        box[0], box[1], box[2], box[3] = min(box[0], i), min(box[1], j), max(box[2], i), max(box[3], j)
    grid: list[list[tuple[int, int, int, int] | None]] = [[None] * nc for _ in range(nr)]
    for r0, c0, r1, c1 in span.values():
        grid[r0][c0] = (r0, c0, r1 + 1, c1 + 1)
    return grid


def _ink_rows(ink: np.ndarray, min_gap: int) -> list[tuple[int, int]]:
    """Runs of rows holding ink (lines of text), joined across gaps shorter than ``min_gap``."""
    rows = np.nonzero(ink.any(axis=1))[0]
    out: list[tuple[int, int]] = []
    for r in rows.tolist():
        if out and r - out[-1][1] <= min_gap:
            out[-1] = (out[-1][0], r + 1)
        else:
            out.append((r, r + 1))
    return out


def _clean(ink: np.ndarray, dpi: int) -> np.ndarray:
    """Ink without specks (noise): connected blobs smaller than a dot of the smallest type."""
    import cv2

    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = stats[:, cv2.CC_STAT_AREA] >= max(3, (dpi // 100) ** 2 * 2)
    keep[0] = False
    return keep[labels].astype(np.uint8)


def _cell_crops(gray: np.ndarray, ink: np.ndarray, box: tuple[int, int, int, int], dpi: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The lines of text inside one cell, as grey crops (none: a blank cell): each tight around its ink, and
    wider to the left (for :func:`_leading_dash`)."""
    x0, y0, x1, y1 = box
    pad = max(4, dpi // 40)
    sub = _clean(ink[y0 + pad:y1 - pad, x0 + pad:x1 - pad], dpi)
    if sub.size == 0 or sub.sum() < max(6, (dpi // 100) ** 2 * 6):
        return []
    crops = []
    for a, b in _ink_rows(sub, max(2, dpi // 50)):
        if b - a < dpi // 30:
            continue  # a speck row, not a line of type
        cols = np.nonzero(sub[a:b].any(axis=0))[0]
        m = max(3, (b - a) // 4)
        side = max(m, b - a)  # the wider crop: where a pale minus sign the threshold left out is looked for
        ya, yb = y0 + pad + a, y0 + pad + b
        xa, xb = x0 + pad + int(cols[0]), x0 + pad + int(cols[-1]) + 1
        crops.append((gray[max(0, ya - m):yb + m, max(0, xa - m):xb + m],
                      gray[max(0, ya - m):yb + m, max(x0 + pad, xa - side):xb + m]))
    return crops


def _leading_dash(crop: np.ndarray) -> bool:
    """Whether a crop's leftmost blob of ink is a minus sign: flat (twice as wide as tall, a fifth of the
    text's height at most), about mid-height, and clear of the ink to its right (``-3``, which PP-OCR reads as
    ``3``).  Light ink counts: a hairline dash comes out of a JPEG scan pale grey."""
    import cv2

    ink = (crop < 180).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    blobs = sorted((tuple(stats[i][:4]) for i in range(1, n) if stats[i][4] >= 3), key=lambda b: b[0])
    if len(blobs) < 2:
        return False
    (x, y, w, h), rest = blobs[0], blobs[1:]
    top = min(b[1] for b in rest)
    bottom = max(b[1] + b[3] for b in rest)
    tall = bottom - top
    mid = y + h / 2
    return (w >= 2 * h and h <= tall / 5 and top + 0.25 * tall <= mid <= top + 0.75 * tall
            and x + w < min(b[0] for b in rest))


# ---- the page ------------------------------------------------------------------------------------------

_GridPx = tuple[list[int], list[int], list[list[tuple[int, int, int, int] | None]]]  # find_grids' rules and cells


def read_page(page: Any, dpi: int | None = None) -> Page:
    """OCR one pdfium page: its lines outside tables and its ruled tables, in points."""
    dpi = dpi or DPI
    gray = without_stamps(render(page, dpi), dpi)
    gray = rotate(gray, skew_angle(gray))
    ink = (gray < 160).astype(np.uint8)  # no blur: it erases hairline rules
    grids_px = find_grids(ink * 255, dpi)
    cell_crops, wides, owners = _table_crops(gray, ink, grids_px, dpi)
    masked = gray.copy()
    for ys, xs, _ in grids_px:
        masked[ys[0] - 4:ys[-1] + 5, xs[0] - 4:xs[-1] + 5] = 255
    line_crops, line_boxes = _line_crops(masked, gray, dpi)
    readings = engine().recognize(cell_crops + line_crops) if cell_crops or line_crops else []
    for k, wide in enumerate(wides):  # cells: a minus sign the recogniser skipped
        rd = readings[k]
        if rd.text.isdigit() and _leading_dash(wide):
            readings[k] = Reading("-" + rd.text, rd.confidence, rd.mean, [rd.text, *rd.alternatives])
    pt = 72 / dpi
    grids = [_grid(grid, [(o[1:], rd) for o, rd in zip(owners, readings) if o[0] == g], pt)
             for g, grid in enumerate(grids_px)]
    words = [(box, rd) for box, rd in zip(line_boxes, readings[len(cell_crops):]) if rd.text]
    return Page(_rows_of(words, pt), grids)


def _table_crops(gray: np.ndarray, ink: np.ndarray, grids_px: list[_GridPx], dpi: int
                 ) -> tuple[list[np.ndarray], list[np.ndarray], list[tuple[int, int, int]]]:
    """Every cell's lines of text: tight crops, the wider crops :func:`_leading_dash` looks at, and the
    (grid, row, column) each belongs to."""
    crops: list[np.ndarray] = []
    wides: list[np.ndarray] = []
    owners: list[tuple[int, int, int]] = []
    for g, (ys, xs, cells) in enumerate(grids_px):
        for i, row in enumerate(cells):
            for j, c in enumerate(row):
                if c is None:
                    continue
                r0, c0, r1, c1 = c
                for crop, wide in _cell_crops(gray, ink, (xs[c0], ys[r0], xs[c1], ys[r1]), dpi):
                    crops.append(crop)
                    wides.append(wide)
                    owners.append((g, i, j))
    return crops, wides, owners


def _line_crops(masked: np.ndarray, gray: np.ndarray, dpi: int) -> tuple[list[np.ndarray], list[tuple[int, int, int, int]]]:
    """The text the detector finds outside the tables: one crop per box, cut to its ink, and the ink's box."""
    crops, boxes = [], []
    for quad in engine().detect(masked):
        x0, y0 = np.floor(quad.min(axis=0)).astype(int)
        x1, y1 = np.ceil(quad.max(axis=0)).astype(int)
        x0, y0 = max(0, x0), max(0, y0)
        sub = _clean((masked[y0:y1, x0:x1] < 150).astype(np.uint8), dpi)
        if sub.sum() == 0:
            continue
        inked_y, inked_x = np.nonzero(sub.any(axis=1))[0], np.nonzero(sub.any(axis=0))[0]
        ix0, ix1 = x0 + int(inked_x[0]), x0 + int(inked_x[-1]) + 1
        iy0, iy1 = y0 + int(inked_y[0]), y0 + int(inked_y[-1]) + 1
        m = max(3, (iy1 - iy0) // 4)
        crops.append(gray[max(0, iy0 - m):iy1 + m, max(0, ix0 - m):ix1 + m])
        boxes.append((ix0, iy0, ix1, iy1))
    return crops, boxes


def _grid(grid: _GridPx, read: list[tuple[tuple[int, int], Reading]], pt: float) -> Grid:
    """One raster grid with its cells' readings (a cell's lines joined), in points."""
    ys, xs, cells = grid
    rows: list[list[Reading | str | None]] = [["" if c is not None else None for c in row] for row in cells]
    parts: dict[tuple[int, int], list[Reading]] = {}
    for (i, j), rd in read:
        parts.setdefault((i, j), []).append(rd)
    for (i, j), rds in parts.items():
        rows[i][j] = _joined(rds)
    return Grid((xs[0] * pt, ys[0] * pt, xs[-1] * pt, ys[-1] * pt), rows)


def _joined(parts: list[Reading]) -> Reading:
    """The lines of one cell as one reading (a wrapped label; a number is one line)."""
    if len(parts) == 1:
        return parts[0]
    return Reading("".join(p.text for p in parts), min(p.confidence for p in parts),
                   float(np.mean([p.mean for p in parts])), [])


def _rows_of(words: list[tuple[tuple[int, int, int, int], Reading]], pt: float) -> list[Line]:
    """Boxes of one visual row (overlapping by half their height) as one line, left to right."""
    words = sorted(words, key=lambda w: (w[0][1] + w[0][3]) / 2)
    rows: list[list[tuple[tuple[int, int, int, int], Reading]]] = []
    for w in words:
        (x0, y0, x1, y1), _ = w
        if rows:
            top = min(b[1] for b, _ in rows[-1])
            bottom = max(b[3] for b, _ in rows[-1])
            overlap = min(bottom, y1) - max(top, y0)
            if overlap >= 0.5 * min(bottom - top, y1 - y0):
                rows[-1].append(w)
                continue
        rows.append([w])
    out = []
    for row in rows:
        row.sort(key=lambda w: w[0][0])
        heights = sorted(b[3] - b[1] for b, _ in row)
        text = "".join(rd.text for _, rd in row)
        out.append(Line(text, min(b[0] for b, _ in row) * pt, max(b[2] for b, _ in row) * pt,
                        min(b[1] for b, _ in row) * pt, max(b[3] for b, _ in row) * pt,
                        heights[len(heights) // 2] * pt * 1.05, float(np.mean([rd.mean for _, rd in row]))))
    return out
