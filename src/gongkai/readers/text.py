"""Plain-text reader.

Two families of text copies exist and one file may mix them:

* web copies with tables flattened one cell per line (each cell line starts with
  a tab, rows separated by blank lines) or one row per line with tab-separated
  cells;
* crawler copies with a ``key: value`` header block, then the whole body on one
  line: headings run inline ("…联系。一、总体情况2019年，…") and table cells are
  glued together ("规范性文件898989").

Prose is split into paragraphs at headings and sentence ends; the table region of
a crawler copy becomes a ``glued`` table block holding the raw text, which the
tables stage splits (the reader never guesses at digits).
"""
from __future__ import annotations

import bisect
import re

from ..document import Block, BlockKind, Cell, Document
from ..script import has_traditional, simplified
from ..sections.headings import INLINE_TITLE, SENTENCE_END, TOP_START, is_heading_line, label_for_title, match_top
from ..tables.spec import current
from .encoding import clean, decode
from .tabular import TABULAR, tabular_runs

CRAWLER_BODY = re.compile(r"^=+\s*正文\s*=+\s*$", re.M)
HEADER_LINE = re.compile(r"^([\u4e00-\u9fff]{2,6}):\s?(.*)$")
HTML_JUNK = re.compile(r"<!--.*?-->|<!\[[^\]]*\]>|<[a-zA-Z/][^>]{0,200}>")
# Site chrome a crawler saved with the body: breadcrumbs, source/time line, share buttons.
BREADCRUMB = re.compile(r"(?m)^[ \t\u3000]*(?:当前位置|您当前的位置|您现在的位置)[:：]")  # not \s*: linear on blank lines
CHROME_END = re.compile(r"-->|相关链接[:：]|文件下载|【?打印】?|【?关闭】?|分享到[:：]?")


def _strip_breadcrumb(text: str, doc: Document) -> str:
    """Blank out a breadcrumb line and the chrome after it (source, time, share buttons)."""
    m = BREADCRUMB.search(text)
    if not m or m.start() > 6000:
        return text
    window = text[m.end(): m.end() + 500]
    ends = list(CHROME_END.finditer(window))
    if ends:
        end = m.end() + ends[-1].end()
    else:
        t = re.search(r"\S{2,40}?年度?报告(?=\s)", window)
        if not t:
            return text
        end = m.end() + t.end()
    doc.drop(text[m.start():end], "crawler_chrome")
    return text[: m.start()] + " " * (end - m.start()) + text[end:]
TRAILING_JUNK = re.compile(r"\s*(附件下载|打印本页|关闭窗口|【打印】|【关闭】)\s*$")
_PAGE_NO = re.compile(r"^\s*(?:[-－—–]\s*\d{1,4}\s*[-－—–]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)\s*$")
MAX_CHARS = 5_000_000


def read(path: str, data: bytes) -> Document:
    text = clean(decode(data, path))
    doc = Document(path=path, format="txt")
    if len(text) > MAX_CHARS:
        doc.warn("document.truncated", f"only the first {MAX_CHARS} of {len(text)} characters were read")
        text = text[:MAX_CHARS]
    text = _strip_crawler_header(text, doc)
    text = _strip_breadcrumb(text, doc)
    text = strip_markup(text, doc)
    parse_text(text, doc)
    return doc


def _strip_crawler_header(text: str, doc: Document) -> str:
    m = CRAWLER_BODY.search(text)
    if not m or m.start() > 4000:
        return text
    for line in text[: m.start()].splitlines():
        h = HEADER_LINE.match(line.strip())
        if h and h.group(1) == "标题" and h.group(2).strip():
            doc.title_hint = h.group(2).strip()
        if h and h.group(1) in ("发布时间", "发布日期", "日期"):
            d = re.match(r"((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})", h.group(2).strip())
            if d:
                doc.published_hint = f"{int(d.group(1)):04d}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"
    # keep offsets meaningful: blank out the header instead of cutting it
    doc.drop(text[: m.end()], "crawler_header")
    return " " * m.end() + text[m.end():]


def strip_markup(text: str, doc: Document) -> str:
    """Remove HTML comments and tags left in a text copy (recorded as dropped ``markup``)."""
    for m in HTML_JUNK.finditer(text):
        doc.drop(m.group(), "markup")
    return HTML_JUNK.sub("", text)


def parse_text(text: str, doc: Document) -> None:
    """Split ``text`` into blocks of ``doc`` (also used by the HTML reader for text runs)."""
    lines = text.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    for x in lines:
        if _PAGE_NO.match(x):
            doc.drop(x, "page_number")
    lines = ["" if _PAGE_NO.match(x) else x for x in lines]  # page numbers of a copy made from a PDF
    runs = dict(tabular_runs([None if _is_cell_line(x) else x.strip() for x in lines]))
    width = _wrap_width(lines)
    i = 0
    n = len(lines)
    pending: list[int] = []  # indices of wrapped lines waiting to be joined into one paragraph

    def flush():
        if pending:
            a = pending[0]
            joined = "".join(lines[k].strip() for k in pending)
            split_prose(joined, offsets[a], doc)
            pending.clear()

    while i < n:
        line = lines[i]
        if i in runs:  # a table printed as aligned text
            flush()
            end = runs[i]
            raw = "\n".join(x.strip() for x in lines[i:end])
            doc.blocks.append(Block("table", rows=[[Cell(raw)]], glued=True, start=offsets[i], end=offsets[end - 1] + len(lines[end - 1])))
            i = end
            continue
        if _is_cell_line(line):
            j = i
            while j < n and (_is_cell_line(lines[j]) or (not lines[j].strip() and j + 1 < n and _is_cell_line(lines[j + 1]))):
                j += 1
            region = lines[i:j]
            if sum(1 for r in region if r.strip()) >= 4 and sum(1 for r in region if r.count("\t") >= 2 or r.startswith("\t")) >= 3:
                flush()
                doc.blocks.append(_table_from_lines(region, offsets[i]))
                i = j
                continue
        stripped = line.strip()
        if not stripped:
            flush()
        elif width:
            # a copy with hard line wraps (text saved from a PDF): re-join the lines of a paragraph
            indented = line[:1] in (" ", "\u3000") and len(line) - len(line.lstrip()) >= 2
            h = is_heading_line(stripped)
            if h is not None and (h.level == 1 or len(stripped) < width - 4):  # a full-width line is a wrapped one
                flush()
                split_prose(stripped, offsets[i], doc)
            else:
                if indented:
                    flush()
                pending.append(i)
                if stripped[-1:] in SENTENCE_END + "：:" and len(stripped) < width - 2:
                    flush()
        else:
            split_prose(line, offsets[i], doc)
        i += 1
    flush()


def _wrap_width(lines: list[str]) -> int:
    """The line width of a copy with hard wraps, or 0 when lines are paragraphs already."""
    prose = [x.strip() for x in lines if len(x.strip()) >= 15 and not _is_cell_line(x) and not TABULAR.match(x.strip())]
    if len(prose) < 8:
        return 0
    lengths = sorted(len(x) for x in prose)
    m = lengths[len(lengths) // 2]
    if m < 15 or m > 120:
        return 0
    near = [x for x in prose if m - 3 <= len(x) <= m + 2]
    open_ended = [x for x in near if x[-1:] not in SENTENCE_END]
    if len(near) >= 0.45 * len(prose) and len(open_ended) >= 0.4 * len(near):
        return max(len(x) for x in near)
    return 0


def _is_cell_line(line: str) -> bool:
    return line.startswith("\t") or ("\t" in line and len(line) < 400)


def _table_from_lines(region: list[str], start: int) -> Block:
    rows: list[list[Cell]] = []
    one_cell_per_line = all(r.count("\t") <= 1 for r in region if r.strip("\n"))
    if one_cell_per_line:
        cur: list[Cell] = []
        for r in region:
            if r == "" or (not r.startswith("\t") and not r.strip()):
                if cur:
                    rows.append(cur)
                cur = []
                continue
            cur.append(Cell(r[1:] if r.startswith("\t") else r))
        if cur:
            rows.append(cur)
    else:
        for r in region:
            if r.strip():
                rows.append([Cell(c) for c in r.split("\t")])
    end = start + sum(len(r) + 1 for r in region)
    return Block("table", rows=rows, start=start, end=end)


# ---- prose -------------------------------------------------------------------------------

def split_prose(line: str, base: int, doc: Document) -> None:
    """Split one physical line into paragraphs (and glued tables) and append them to ``doc``."""
    junk = TRAILING_JUNK.search(line.rstrip())
    if junk:
        doc.drop(junk.group(), "crawler_chrome")
    stripped = TRAILING_JUNK.sub("", line.rstrip())
    cuts = _heading_cuts(_simplified_for_headings(stripped))
    # cuts: list of (start, heading_end, label) for top-level headings found inline
    pieces: list[tuple[int, int, str]] = []  # (start, end, kind)
    prev = 0
    for start, hend, label in cuts:
        if start > prev:
            pieces.append((prev, start, "prose"))
        pieces.append((start, hend, "heading"))
        prev = hend
        body_end = _next_cut(cuts, start, len(stripped))
        if label is None or label in current().table_sections:
            m = current().table_start.search(stripped, hend, body_end)
            if m and _digit_share(stripped[m.start():body_end]) > 0.08:
                if m.start() > hend:
                    pieces.append((hend, m.start(), "prose"))
                pieces.append((m.start(), body_end, "table"))
                prev = body_end
    if prev < len(stripped):
        pieces.append((prev, len(stripped), "prose"))
    pieces = [q for p in pieces for q in (_table_zones(stripped, p[0], p[1]) if p[2] == "prose" else [p])]
    # a glued table with no heading before it (legacy statistics table at the end)
    out: list[tuple[int, int, str]] = []
    for s, e, kind in pieces:
        if kind == "prose":
            m = current().legacy_table_start.search(stripped[s:e])
            if m and _digit_share(stripped[s + m.start():e]) > 0.08:
                out.append((s, s + m.start(), "prose"))
                out.append((s + m.start(), e, "table"))
                continue
        out.append((s, e, kind))
    for s, e, kind in out:
        if kind == "heading":
            _add(doc, "heading", stripped, s, e, base)
        elif kind == "table":
            raw = stripped[s:e].strip()
            if raw:
                doc.blocks.append(Block("table", rows=[[Cell(raw)]], glued=True, start=base + s, end=base + e))
        else:
            for ps, pe in _paragraph_spans(stripped, s, e):
                _add(doc, "paragraph", stripped, ps, pe, base)


# where prose resumes after a glued table: a clause of eight characters or more, neither digits nor a
# parenthesised row note, ending in a comma or a full stop (row labels carry neither)
_PROSE_CLAUSE = re.compile(r"[^\d\s，。；：:（）()、.．]{8,}[，。；]")
_ORDINAL_BEFORE = re.compile(r"(?:[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|\d{1,2}[、.．])\s*$")


def _table_zones(s: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """A prose piece that holds a glued table though no heading opened it (a copy whose headings are
    missing): the table runs from its own start marker to where prose resumes.  A marker whose words
    are prose (信息内容 in a sentence) is passed over."""
    at = start
    while True:
        m = current().table_start.search(s, at, end)
        if not m:
            return [(start, end, "prose")]
        stop = _prose_resumes(s, m.start(), m.end(), end)
        if _digit_share(s[m.start():stop]) > 0.15:
            break
        at = m.end()
    out = [(start, m.start(), "prose")] if m.start() > start else []
    out.append((m.start(), stop, "table"))
    if stop < end:
        out += _table_zones(s, stop, end)
    return out


_YEAR_BEFORE = re.compile(r"(?:19|20)\d{2}年度?[，,]?$")


def _prose_resumes(s: str, pos: int, after: int, end: int) -> int:
    """Where prose resumes after a glued table that starts at ``pos``: the first prose clause after
    ``after`` outside parentheses, with the short clauses before it that belong to its sentence, and the
    year (2021年，…) or the ordinal that opens it, but never the table's last figure."""
    for c in _PROSE_CLAUSE.finditer(s, after, end):
        before = s[pos:c.start()]
        if before.count("（") + before.count("(") > before.count("）") + before.count(")"):
            continue  # a row's note in parentheses
        j = c.start()
        while j > pos and s[j - 1] == "，":  # earlier clauses of the same sentence
            k = max(s.rfind("，", pos, j - 1), pos - 1)
            seg = s[k + 1:j - 1]
            if not seg or len(seg) > 60 or _digit_share(seg) >= 0.3 or sum("\u4e00" <= ch <= "\u9fff" for ch in seg) < 4:
                break
            j = k + 1
        year = _YEAR_BEFORE.search(s, pos, j)
        if year:
            return year.start()
        last = max((i for i, ch in enumerate(s[pos:j]) if ch.isdigit()), default=-1)
        cut = pos + last + 1
        o = _ORDINAL_BEFORE.search(s, pos, j)
        return min(cut, o.start()) if o and o.start() >= cut - 3 else max(cut, j) if s[j - 1:j] == "，" else cut
    return end


def _simplified_for_headings(s: str) -> str:
    """The line in simplified script, character for character, so that headings in traditional script are
    found as their simplified words are (四、因政府信息公開工作被申請行政複議…); the text itself is kept."""
    return simplified(s) if has_traditional(s) else s


def _add(doc: Document, kind: BlockKind, s: str, start: int, end: int, base: int) -> None:
    seg = s[start:end]
    lead = len(seg) - len(seg.lstrip())
    seg = seg.strip()
    if not seg:
        return
    doc.blocks.append(Block(kind, text=seg, start=base + start + lead, end=base + start + lead + len(seg)))


def _next_cut(cuts, start, default):

    starts = [c[0] for c in cuts]
    k = bisect.bisect_right(starts, start)
    return starts[k] if k < len(starts) else default


def _digit_share(s: str) -> float:
    s = re.sub(r"\s", "", s)
    return sum(ch.isdigit() for ch in s) / len(s) if s else 0.0


def _heading_cuts(s: str) -> list[tuple[int, int, str | None]]:
    cuts = []
    for m in TOP_START.finditer(s):
        i = m.start()
        before = s[max(0, i - 8):i].rstrip()  # a bounded look-back: no quadratic path on long lines
        if before and before[-1] not in SENTENCE_END + "）)】>":
            # an ordinal glued to the end of a table (a number, maybe with its unit) or a title
            if not before[-1].isdigit() and before[-1] not in "元件条个项%" and not before.endswith("报告"):
                continue
        h = match_top(s[i:], inline=True)
        if h is None:
            continue
        if h.label is None and h.end < 4:
            continue
        cuts.append((i, i + h.end, h.label))
    for m in INLINE_TITLE.finditer(s):
        i = m.start()
        before = s[max(0, i - 2):i].rstrip()
        if before and not (before[-1] in SENTENCE_END or before[-1].isdigit()):
            continue
        if any(a <= i < b for a, b, _ in cuts):
            continue
        cuts.append((i, m.end(), label_for_title(m.group(0))))
    cuts.sort()
    return cuts


_PARA_BREAK = re.compile(
    r"(?<=[。！？；：!?;:])\s+(?=\S)"  # a space after a sentence end: the crawler's paragraph break
    r"|(?<=[。！？；!?;])(?=[（(][一二三四五六七八九十]{1,3}[）)])"  # （一） after a sentence end
    r"|(?<=[。！？；!?;])(?=\d{1,2}\s*[、.．](?!\d))"  # 1、 after a sentence end
)


# in a long run of text with no paragraph break (a copy whose headings were cut out), a sentence that
# opens with the year it reports on starts a new paragraph, as it does in print
_LONG_RUN = 300
_YEAR_OPENING = re.compile(r"(?<=[。！？；!?;])(?=(?:19|20)\d{2}年(?!\d{1,2}月))")


def _paragraph_spans(s: str, start: int, end: int):
    seg = s[start:end]
    cuts = [0]
    for m in _PARA_BREAK.finditer(seg):
        cuts.append(m.end())
    if len(seg) > _LONG_RUN:
        cuts += [m.end() for m in _YEAR_OPENING.finditer(seg)]
    # a title line followed by the body after a space: "…年度报告 根据…"
    t = re.match(r"\s*\S{4,60}?(?:年度报告|工作报告)(?=\s|本报告|根据|按照|依据|为|现)", seg)
    if t:
        cuts.append(t.end())
    cuts = sorted(set(c for c in cuts if 0 <= c <= len(seg)))
    cuts.append(len(seg))
    for a, b in zip(cuts, cuts[1:]):
        if seg[a:b].strip():
            yield start + a, start + b
