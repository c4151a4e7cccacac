"""Counted quantities in the prose, the fixed-key counts, and text-vs-table checks.

Every quantity is a number followed by a counting unit (条 件 个 场 …) with the
clause before it as its subject; numbers that count no thing (每1篇, 四个季度, 共五个
部分, 以下3个方面) are not quantities.  The fixed keys of OUTPUT.md (website posts,
press conferences, policy interpretations, processing fees, new-media accounts)
are picked from those quantities by their subject, with the evidence span: website
posts prefer the year's total over a subset or a running total since the portal
opened; accounts shut down are ``closed``, not the number run; a fee stated as none
(未收取任何费用, 没有发生收费情况) is 0.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..numbers import CN_DIGITS, to_number
from ..tables.spec import current

UNITS = "人次|场次|万元|万条|万件|余条|余件|条|件|个|场|次|篇|期|项|份|家|元|名|人|批|部|封|期|组|户|起"
APPROX_BEFORE = r"(?P<pre>约|近|超过|逾|大约|将近|共约|累计约)?"
QUANT = re.compile(
    APPROX_BEFORE
    # a figure starts where no digit stands before it and has at most 16 digits: linear on a run of digits
    + rf"(?P<num>(?<![\d,，.])\d[\d,，]{{0,15}}(?:\.\d+)?|[{CN_DIGITS}]{{1,12}})\s*(?P<wan>万)?\s*(?P<post>余|多)?\s*(?P<unit>{UNITS})"
)
CLAUSE_BREAK = re.compile(r"[，。；：！？、,;:!?（）()“”]")
YEARISH = re.compile(r"(19|20)\d{2}\s*年(度)?|\d{1,2}\s*月\s*(份)?|\d{1,2}\s*日")
NOT_COUNTED_BEFORE = re.compile(r"(?:每|以下|如下|下列|下述|上述|以上|第|分为|分成)$")
NOT_COUNTED_AFTER = re.compile(r"^(?:个)?(?:季度|部分|方面|阶段|环节|层面|维度|步骤|月|工作日|小时|天|周|年度|批次)")
FILLER = re.compile(r"^(其中|共|全年|累计|合计|总计|共计|另有|并|已|此外|同时|今年|本年度|本年|全市|全区|全县)+")


def quantities(paragraphs: list[dict], texts: list[str]) -> list[dict]:
    out = []
    for p, text in zip(paragraphs, texts):
        if p.get("heading"):
            continue
        for m in QUANT.finditer(text):
            raw = m.group("num")
            if re.fullmatch(rf"[{CN_DIGITS}]+", raw):
                # a Chinese numeral must not be part of a word (一是, 统一, 第一)
                before = text[max(0, m.start("num") - 1): m.start("num")]
                if len(raw) == 1 and raw not in "两" and m.group("unit") not in ("个", "场", "次", "期", "项", "名", "家", "篇", "件", "条"):
                    continue
                if before in ("第", "统", "唯", "之", "单", "同", "逐", "进", "万", "周"):
                    continue
                if raw in ("一", "两") and m.group("unit") in ("个", "项", "次", "批", "名", "件", "条", "部", "家", "份", "期", "组", "户", "人", "场"):
                    continue  # "一个", "两项": words, not counts
            if raw and raw[0].isdigit():
                prev = text[max(0, m.start("num") - 1): m.start("num")]
                if prev.isdigit() or prev in ".-":
                    continue
                if text[m.end("num"):m.end("num") + 2].strip().startswith(("年", "月", "日", "%", "号")):
                    continue
            if NOT_COUNTED_BEFORE.search(text[max(0, m.start("num") - 2): m.start("num")]) or \
                    NOT_COUNTED_AFTER.match(text[m.start("unit"): m.start("unit") + 4]):
                continue  # a frequency, a time span or the report's own structure: nothing is counted
            value = to_number(raw)
            if value is None:
                continue
            unit = m.group("unit")
            approx = bool(m.group("pre") or m.group("post"))
            if unit.startswith("余"):
                approx, unit = True, unit[1:]
            if m.group("wan"):
                value = value * 10000
            if unit in ("万条", "万件"):
                value, unit = value * 10000, unit[1:]
            value = int(value) if float(value).is_integer() else value
            subject = _subject(text, m.start()) or _subject_after(text, m.end())
            if not subject:
                continue  # no counted subject: not a quantity a reader could name
            out.append({
                "subject": subject, "value": value, "unit": unit, "approx": approx,
                "paragraph": p["id"], "start": m.start(), "end": m.end(),
                "after": text[m.end(): m.end() + 12],
                "sentence": text[_sentence_start(text, m.start()): m.start()],
                "clause": text[_clause_start(text, m.start()): m.start()],
            })
    return out


def _sentence_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1] not in "。；！？;!?" and pos - i < 120:
        i -= 1
    return i


def _subject_after(text: str, pos: int) -> str:
    """The thing counted, when it follows the figure (另有3件顺延至下年度答复)."""
    m = re.match(r"[\u4e00-\u9fff]{2,12}", text[pos:])
    return m.group() if m else ""


def _clause_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1] not in "。；！？;!?，,：:" and pos - i < 60:
        i -= 1
    return i


def _subject(text: str, pos: int) -> str:
    start = pos
    while start > 0 and not CLAUSE_BREAK.match(text[start - 1]) and pos - start < 40:
        start -= 1
    seg = text[start:pos]
    # cut after a previous quantity in the same clause ("3个微信公众号2020年共发布消息1625条")
    last = None
    for m in QUANT.finditer(seg):
        last = m
    if last is not None and last.end() < len(seg):
        seg = seg[last.end():]
    seg = YEARISH.sub("", seg)
    seg = re.sub(r"\s+", "", seg)
    seg = FILLER.sub("", seg)
    seg = re.sub(r"(共计|共|累计|合计|达到|达|为|计)$", "", seg)
    seg = re.sub(r"^(我市|我县|我区|我局|我委|我办|市|县|区)", "", seg) if len(seg) > 4 else seg
    return seg[-24:]


STOP_WORDS = re.compile(r"关停|关闭|注销|整改|清理|抽查|检查|下架|整合|撤并")
NEW_MEDIA_WORDS = re.compile(r"微信|微博|新媒体|公众号|头条|抖音|快手|客户端|APP|视频号")
FIXED = {
    "website_posts": (re.compile(r"(主动)?公开.{0,10}信息|发布.{0,10}信息|公开.{0,6}政府信息|网站.{0,12}(公开|发布)"),
                       re.compile(r"微信|微博|新媒体|公众号|申请|答复|复议|诉讼|解读|文件|规章|目录|依申请|采购|招标|招投标|项目"
                                  r"|预决算|财政|征地|人事|招聘|疫情|领域|专栏|栏目|(?<!各)类信息|相关信息|科普|预警"), ("条",)),
    "press_conferences": (re.compile(r"新闻发布会|发布会"), None, ("场", "次", "期", "场次")),
    "policy_interpretations": (re.compile(r"政策解读|解读"), re.compile(r"发布会|申请"), ("个", "篇", "件", "条", "期", "次", "项", "份")),
    "processing_fee_yuan": (re.compile(r"信息处理费|处理费|收费"), re.compile(r"行政事业性"), ("元", "万元")),
    "new_media_accounts": (re.compile(r"政务新媒体|新媒体(账号|平台|数量)?"), re.compile(r"发布|推送|信息|消息"), ("个", "家")),
}
ZERO_FEE = re.compile(
    r"(?:无|未|没有|不存在|未发生|均未|不|免|暂不|从未)[^。；;！？]{0,14}?(?:收取|收)[^。；;！？]{0,14}?(?:费用|处理费|费)"
    r"|(?:无|未|没有|不存在|未发生)(?:发生)?(?:任何)?收费"
    r"|(?:收费|处理费|费用)[^。；;！？]{0,6}?(?:为零|为0|0元)")
ALL_TIME = re.compile(r"截至|截止|历年|自.{0,8}以来|开通以来|上线以来")
THIS_YEAR = re.compile(r"全年|本年|今年|年度|\d{4}年|年内")


def _matches(key: str, q: dict) -> bool:
    """Whether quantity ``q`` states the fixed count ``key`` (the noun before the figure, or right after it)."""
    want, avoid, units = FIXED[key]
    if q["unit"] not in units:
        return False
    subj, after = q["subject"], q.get("after", "")
    ctx = subj
    if not want.search(subj):
        # "召开12场新闻发布会": the noun follows the number directly
        m = want.search(after[:10])
        if not m or not re.fullmatch(r"[的次场个]?", after[: m.start()]):
            return False
        ctx = after
    return avoid is None or not avoid.search(ctx)


def _website_score(q: dict) -> int:
    """How surely a quantity is the year's total of items disclosed on the portal (higher is surer)."""
    subj, sent = q["subject"], q.get("sentence", "")
    ends = [m.end() for m in QUANT.finditer(sent)]
    if ends:
        sent = sent[ends[-1]:]  # what the sentence says after the figure before this one
    score = 2 * ("主动公开" in subj) + ("政府信息" in subj) + (bool(THIS_YEAR.search(sent)) or bool(re.search(r"共|累计", subj)))
    if ALL_TIME.search(sent) or (re.search(r"累计", subj) and not THIS_YEAR.search(sent)):
        score -= 4  # a running total since the portal opened, not the year's
    return score


def _item(q: dict, value=None, unit=None) -> dict:
    return {"value": q["value"] if value is None else value, "unit": unit or q["unit"], "approx": q["approx"],
            "evidence": {"paragraph": q["paragraph"], "start": q["start"], "end": q["end"]}}


def fixed_counts(paragraphs: list[dict], texts: list[str], qs: list[dict]) -> dict:
    out: dict = {}
    for key in FIXED:
        found = []
        for q in qs:
            if not _matches(key, q):
                continue
            if key == "website_posts" and NEW_MEDIA_WORDS.search(q.get("sentence", "")[-40:]):
                continue  # posts on a WeChat or Weibo account, not the portal
            if STOP_WORDS.search(q.get("clause", q["subject"])):
                if key == "new_media_accounts" and re.search(r"关停|关闭|注销|撤并|下架", q.get("clause", "")):
                    out.setdefault("_closed", q)
                continue  # 关停政务新媒体2个: not the number run
            found.append(q)
        if not found:
            continue
        q = max(found, key=_website_score) if key == "website_posts" else found[0]
        if key == "processing_fee_yuan" and q["unit"] == "万元":
            value = round(q["value"] * 10000, 2)
            out[key] = _item(q, int(value) if float(value).is_integer() else value, "元")
        else:
            out[key] = _item(q)
    closed = out.pop("_closed", None)
    if closed is not None and "new_media_accounts" in out:  # accounts shut down: their own field, never the number run
        out["new_media_accounts"]["closed"] = closed["value"]
    if "processing_fee_yuan" not in out:
        zero = _zero_fee(paragraphs, texts)
        if zero is not None:
            out["processing_fee_yuan"] = zero
    for q in qs:
        for k in ("after", "sentence", "clause"):
            q.pop(k, None)
    return out


def _zero_fee(paragraphs: list[dict], texts: list[str]) -> dict | None:
    """A fee stated as none: 无收取信息处理费, 未收取任何费用, 没有发生收费情况, 不收取检索、复制、邮寄等费用."""
    for p, text in zip(paragraphs, texts):
        if p.get("heading"):
            continue
        for m in ZERO_FEE.finditer(text):
            if "行政事业性" in text[max(0, m.start() - 10): m.end()]:
                continue
            return {"value": 0, "unit": "元", "approx": False,
                    "evidence": {"paragraph": p["id"], "start": m.start(), "end": m.end()}}
    return None


def prose_hints(qs: list[dict]) -> dict:
    """Table figures the prose states (from :func:`quantities`), for choosing among splits of glued table
    digits (the spec's ``prose.hints``)."""
    out: dict = {}
    spec = current()
    hints = spec.hints + [replace(h, cell=f"legacy.{h.cell}") for h in (spec.legacy.hints if spec.legacy else [])]
    for q in qs:
        if q["approx"]:
            continue
        for h in hints:
            if h.cell not in out and q["unit"] in h.units and h.subject.search(q["subject"]):
                out[h.cell] = q["value"]
    return out


def text_checks(qs: list[dict], tables: dict) -> list[dict]:
    """Figures the prose states that a table also holds (``text.<cell>``, the spec's ``prose.checks``)."""
    spec = current()
    out = []
    for fig in spec.prose_checks:
        has_row, cur = spec.cell(tables, fig.cell)
        if not has_row:
            continue
        for q in qs:
            if q["unit"] in fig.units and fig.subject.search(q["subject"]) and not q["approx"]:
                ok = None if cur is None else abs(q["value"] - cur) < 1e-6
                chk = {"id": f"text.{fig.cell}", "ok": ok, "expected": q["value"], "actual": cur,
                       "paragraph": q["paragraph"], "start": q["start"], "end": q["end"]}
                if ok is False and fig.or_plus and cur is not None:
                    plus = spec.cell(tables, fig.or_plus)[1]
                    if plus is not None and abs(q["value"] - (cur + plus)) < 1e-6:
                        chk["ok"] = True
                        chk["note"] = fig.note
                if ok is None:
                    chk["reason"] = "the table cell is blank"
                out.append(chk)
                break
    return out
