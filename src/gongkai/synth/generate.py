"""Draw the content of one synthetic report (no formatting): see the package docstring."""
from __future__ import annotations

import json
import random
import string
from dataclasses import dataclass, field
from importlib import resources

from ..tables.model import Table
from ..tables.spec import TableSpec, TemplateSpec, current

PH = json.loads(resources.files(__package__).joinpath("phrases.json").read_text("utf-8"))
CN_ORD = "一二三四五六七八九十"


@dataclass
class SynthReport:
    template: str
    year: int
    org: str
    short: str
    region: tuple
    title: str
    body: list = field(default_factory=list)  # ("p", label, text, heading) | ("t", name)
    tables: dict = field(default_factory=dict)
    items: dict = field(default_factory=dict)
    broken: list = field(default_factory=list)


def _person(rng: random.Random) -> str:
    return rng.choice(PH["surnames"]) + rng.choice(PH["given"])


def draw_agency(rng: random.Random) -> tuple:
    """An agency: (name, how it calls itself, region, kind, level)."""
    return _agency(rng)


def _agency(rng: random.Random):
    prov, city, county = rng.choice(PH["regions"])
    level = rng.choice(["city", "county", "county", "city"]) if county else "city"
    dept = rng.choice(PH["departments"])
    place = county if level == "county" and county else (city or prov)
    if place is None:
        place = prov
    org = place + dept
    kind = "department" if dept not in ("人民政府", "人民政府办公室") else "人民政府"
    if kind == "人民政府":
        short = {"city": "我市", "county": "我县"}[level] if not place.endswith("区") else "我区"
        if place.endswith("市") and level == "county":
            short = "我市"
    else:
        short = rng.choice(["我局", "本单位", "我委"]) if "委员会" in dept else rng.choice(["我局", "本单位"])
    region = (prov, city, county if place == county else None)
    return org, short, region, kind, level


def _fill(rng: random.Random, s: str, ctx: dict) -> str:
    """The phrase with its slots filled; the slots it filled are noted in ``ctx["_stated"]`` (what the report says)."""
    ctx.setdefault("_stated", []).extend(name for _, name, _, _ in string.Formatter().parse(s) if name)
    vals = dict(ctx)
    for k in ("n1", "n2", "n3", "n4"):
        vals.setdefault(k, rng.randint(2, 60))
    vals.setdefault("zip", str(rng.randint(100000, 869999)))
    vals.setdefault("phone", f"0{rng.randint(310, 999)}-{rng.randint(2000000, 8999999)}")
    return s.format(**vals)


def make_report(rng: random.Random, template: str, year: int | None = None, break_rule: bool = False,
                agency: tuple | None = None, last: SynthReport | None = None) -> SynthReport:
    """One report; ``agency`` (drawn by :func:`draw_agency`) fixes who publishes it, and ``last`` (the same
    agency's report of the year before) chains its tables to last year's by the spec's cross-year rules."""
    org, short, region, kind, level = agency or _agency(rng)
    if year is None:
        year = {"2021": rng.randint(2021, 2025), "2019": rng.randint(2019, 2020), "legacy": rng.randint(2008, 2018)}[template]
    yword = rng.choice(["年", "年度"])
    title = f"{org}{year}{yword}政府信息公开工作年度报告"
    r = SynthReport(template, year, org, short, region, title)
    town = rng.choice(PH["towns"])
    ctx = {"org": org, "short": short, "year": year, "town": town, "town_kind": rng.choice(["乡镇", "科室", "部门"]),
           "unit_kind": {"city": "市", "county": "县"}[level] if kind == "人民政府" else "系统"}
    # items drawn first so that the prose can state them
    person = _person(rng)
    posts = PH["leader_posts"]["人民政府" if kind == "人民政府" else "department"]
    post = rng.choice(posts)
    n_acc = rng.randint(1, 3)
    acc_names = rng.sample(["政务" + region[0][:2], (region[2] or region[1] or region[0])[:2] + "发布", "清风" + (region[1] or "")[:2],
                            "智慧" + (region[2] or region[0])[:2], "平安" + (region[1] or region[0])[:2]], n_acc)
    posts_n = rng.randint(100, 4000)
    ctx.update({"person": person, "post": post, "group": rng.choice(["政务公开工作领导小组", "政府信息公开工作领导小组", "政务公开领导小组"]),
                "office": rng.choice(["办公室", "局办公室", "政府办公室", "综合科"]), "deputy_desc": rng.choice(["班子其他成员", "分管副职领导", "党组成员"]),
                "d1": _person(rng), "d2": _person(rng), "accounts": "、".join(acc_names), "k": len(acc_names),
                "acc1": acc_names[0], "posts": posts_n, "nm": rng.randint(3, 120), "wp": rng.randint(200, 9000),
                "pc": rng.randint(1, 30), "pi": rng.randint(2, 60), "fee": rng.randint(1, 5000), "nofee": "",
                "acc2": rng.choice(acc_names) + rng.choice(["", "微博"]), "wc": len(acc_names), "wb": rng.randint(1, 30),
                "wbp": rng.randint(50, 3000), "fol": rng.randint(500, 90000), "nc": rng.randint(1, 9),
                "generic_post": rng.choice(["局分管领导", "分管领导", "主要负责同志", "单位主要领导"])})
    ctx["wp_all"] = ctx["wp"] * rng.randint(3, 9)
    body = r.body
    body.append(("p", "preamble", title, True))
    pre = PH["preamble"][:]
    if template == "legacy":
        pre = [s for s in pre if "全文包括" not in s]
    if rng.random() > 0.15:  # some reports go straight from the title to the first section
        chosen = rng.sample(pre, k=rng.randint(2, min(5, len(pre))))
        if rng.random() < 0.5:
            body.append(("p", "preamble", "".join(_fill(rng, s, ctx) for s in chosen), False))
        else:
            for s in chosen:
                body.append(("p", "preamble", _fill(rng, s, ctx), False))
    heads = PH["headings"]["legacy" if template == "legacy" else "2019"]
    order = ["overview", "proactive", "requests", "appeals", "problems", "other"]
    if template == "legacy":
        order = ["overview", "proactive", "requests", "fees", "appeals", "problems", "other"]
        if rng.random() < 0.3:
            order.remove("fees")
    numbered = rng.random() < 0.85
    # legacy variety on its own random stream, so that every other draw of the corpus stays as it was
    lv = random.Random(f"legacy-sections:{org}:{year}:{title}")
    variety = _legacy_variety(lv, order) if template == "legacy" else {}
    order = variety.get("order", order)
    # items and table values
    if template != "legacy":
        r.tables = _tables(rng, template, break_rule, r, last)
    req_total = r.tables.get("requests", {}).get("rows", {}).get("new", {}).get("total") if r.tables else rng.randint(0, 80)
    ctx["req"] = req_total if req_total is not None else rng.randint(0, 50)
    lg_style = rng.randrange(len(PH["leading_group"]))
    media: list[str] = []
    for si, item in enumerate(order):
        label = _LEGACY_ITEMS.get(item, item)
        htxt = lv.choice(LV[f"{item}_headings"]) if item in _LEGACY_ITEMS or (item == "fees" and variety.get("staff")) \
            else rng.choice(heads[label])
        if numbered:
            htxt = f"{CN_ORD[si]}、{htxt}"
        body.append(("p", label, htxt, True))
        if item in _LEGACY_ITEMS or (item == "fees" and variety.get("staff")) or (item == "requests" and variety.get("request_subs")):
            body += [("p", label, _fill(lv, x, ctx), False) for x in _legacy_paragraphs(lv, item, ctx)]
            continue
        if label == "proactive" and variety.get("key_areas") == "within":
            body += [("p", label, _fill(lv, x, ctx), False) for x in _legacy_paragraphs(lv, "key_areas", ctx)]
        if label == "overview":
            sents = rng.sample(PH["overview"], k=rng.randint(3, 12))
            use_sub = rng.random() < 0.6
            subs = rng.sample(PH["overview_sub"], k=3)
            chunks = [sents[i::3] for i in range(3)]
            media = rng.sample(PH["overview_media"], k=rng.randint(2, 5))
            # one statement per platform: the parser reads the first one, and the gold must say what it says
            if rng.random() < 0.7:
                media.append(rng.choice(PH["wechat_media"]))
            if rng.random() < 0.5 and not any("{wb}" in m for m in media):
                media.append(rng.choice(PH["weibo_media"]))
            rng.shuffle(media)
            lg_sent = _fill(rng, PH["leading_group"][lg_style], ctx)
            chunks[0] = [lg_sent] + chunks[0]
            chunks[1] = chunks[1] + media
            if rng.random() < 0.7:
                body.append(("p", "overview", _fill(rng, rng.choice(PH["overview_intro"]) + rng.choice(PH["overview_intro_tail"]), ctx), False))
            if template == "2021" and rng.random() < 0.6:
                # the standard 2021 layout: five sub-sections in a fixed order
                topics = PH["overview_topics"]
                extra = chunks[0] + chunks[1] + chunks[2]
                for ci, (sub, pool) in enumerate(topics.items()):
                    sents = rng.sample(pool, k=rng.randint(1, len(pool)))
                    if ci == 0:
                        sents = [lg_sent] + sents
                    if ci == 3:
                        sents += media
                    if extra and rng.random() < 0.5:
                        sents.append(extra.pop())
                    head = rng.choice([f"（{CN_ORD[ci]}）{sub}。", f"（{CN_ORD[ci]}）{sub}", ""])
                    body.append(("p", "overview", head + "".join(_fill(rng, x, ctx) for x in sents), False))
                chunks = [[], [], []]
            for ci, ch in enumerate(chunks):
                if not ch:
                    continue
                txt = "".join(_fill(rng, s, ctx) for s in ch)
                if use_sub:
                    txt = f"（{CN_ORD[ci]}）{subs[ci]}。" + txt
                body.append(("p", "overview", txt, False))
        elif label == "proactive" and (template == "legacy" or rng.random() < 0.15):
            pl = PH["proactive_legacy"]
            subs = rng.sample(pl["subs"], k=rng.randint(1, 3))
            sents = rng.sample(pl["sents"], k=min(len(pl["sents"]), len(subs) * rng.randint(1, 3)))
            per = max(1, len(sents) // len(subs))
            for j, sub in enumerate(subs):
                txt = "".join(_fill(rng, x, ctx) for x in sents[j * per:(j + 1) * per])
                body.append(("p", "proactive", (f"（{CN_ORD[j]}）{sub}" + rng.choice(["", "。"]) if rng.random() < 0.8 else "") + txt, False))
            if template != "legacy":
                body += [("t", name) for name in _tables_in(label)]
        elif label in ("requests", "appeals") and template == "legacy":
            pool = PH[f"{label}_legacy"]
            for x in rng.sample(pool, k=rng.randint(1, min(3, len(pool)))):
                body.append(("p", label, _fill(rng, x, ctx), False))
        elif _tables_in(label):
            if rng.random() < 0.25:
                pool = PH[f"{label}_prose"]
                body.append(("p", label, _fill(rng, rng.choice(pool), ctx), False))
            if template != "legacy":
                body += [("t", name) for name in _tables_in(label)]
        elif label == "fees":
            body.append(("p", "fees", _fill(rng, rng.choice(PH["fees"]), ctx), False))
        elif label == "problems":
            sents = PH["problems"]
            k = rng.randint(2, 6)
            chosen = rng.sample(sents, k=k)
            psubs = rng.sample(PH["problems_sub"], k=2) if rng.random() < 0.4 else None
            for j, i in enumerate(range(0, k, 2)):
                txt = "".join(_fill(rng, s, ctx) for s in chosen[i:i + 2])
                if psubs and j < 2:
                    txt = f"（{CN_ORD[j]}）{psubs[j]}。" + txt
                body.append(("p", "problems", txt, False))
            if rng.random() < 0.5:
                for j, x in enumerate(rng.sample(PH["improvements"], k=rng.randint(2, 4))):
                    body.append(("p", "problems", (f"（{CN_ORD[j]}）" if rng.random() < 0.7 else f"{j + 1}.") + _fill(rng, x, ctx), False))
        else:
            for s_ in rng.sample(PH["other"], k=rng.choice([1, 1, 2])):
                body.append(("p", "other", _fill(rng, s_, ctx), False))
    _record_items(r, ctx, media, lg_style)
    if template == "legacy":
        _add_legacy_table(r)
    return r


LV = PH["legacy_variety"]
# sections only legacy reports print, and the label they carry
_LEGACY_ITEMS = {"approvals": "other", "key_areas": "proactive"}


def _legacy_variety(rng: random.Random, order: list[str]) -> dict:
    """How a legacy report departs from the usual sections (real reports of 2008–2018 do): a section on
    administrative approvals after the requests, staff and spending as the fees section (at its place,
    after the appeals or last, sometimes with no problems section), key-area disclosure as a section of
    its own or inside the proactive one, the requests section cut into numbered sub-sections."""
    order = list(order)
    out: dict = {}
    if rng.random() < 0.3:
        order.insert(order.index("requests") + 1, "approvals")
    if "fees" in order and rng.random() < 0.5:
        out["staff"] = True
        where = rng.choice(["keep", "after_appeals", "last"])
        if where != "keep":
            order.remove("fees")
            if where == "last" and rng.random() < 0.4:
                order.remove("problems")
            at = order.index("appeals") + 1 if where == "after_appeals" else (order.index("other") if "other" in order else len(order))
            order.insert(at, "fees")
    if rng.random() < 0.3:
        out["key_areas"] = rng.choice(["section", "within"])
        if out["key_areas"] == "section":
            order.insert(order.index("proactive"), "key_areas")
    out["request_subs"] = rng.random() < 0.4
    out["order"] = order
    return out


def _legacy_paragraphs(rng: random.Random, item: str, ctx: dict) -> list[str]:
    """The paragraphs (phrases to fill) of a legacy-only section or variant."""
    ctx.setdefault("spend", rng.choice([rng.randint(800, 60000), round(rng.uniform(0.5, 9.9), 1)]))
    if item == "approvals":
        return rng.sample(LV["approvals"], k=rng.randint(1, 2))
    if item == "fees":
        staff, spend = rng.choice(LV["fees_staff"]), rng.choice(LV["fees_spend"])
        if rng.random() < 0.5:
            return [staff + spend]
        people = rng.choice([s for s in LV["fees_subs"] if "人员" in s])
        money = rng.choice([s for s in LV["fees_subs"] if "支出" in s])
        return [f"（一）{people} {staff}", f"（二）{money} {spend}"]
    if item == "requests":
        named = list(LV["requests_subs"].items())[:rng.randint(2, 4)]
        return [f"（{CN_ORD[j]}）{name}{rng.choice(['', '。', ' '])}{rng.choice(pool)}" for j, (name, pool) in enumerate(named)]
    areas = rng.sample(LV["key_areas"], k=rng.randint(3, 7))
    return [f"{j + 1}.推进{a}信息公开。{rng.choice(LV['key_area_sents'])}" for j, a in enumerate(areas)]


def _add_legacy_table(r: SynthReport) -> None:
    """Most legacy reports end with a statistics table, in one of the spec's printed forms.  Its own
    random stream (seeded by the report) leaves every other draw of the corpus as it was."""
    rng = random.Random(f"legacy-table:{r.org}:{r.year}:{r.title}")
    spec = current().legacy
    if spec is None or not spec.layouts or rng.random() < 0.2:
        return
    lay = spec.layouts[rng.choice(sorted(spec.layouts))]
    keys = [row[0] for row in lay["rows"]]
    cols: list[dict] = []
    for c in lay["columns"]:
        col = _legacy_column(rng, keys)
        if spec.cumulative.search(c) and cols:
            col = {k: cols[0][k] + v for k, v in col.items()}  # this year plus the years before
        cols.append(col)
    rows = [{"key": row[0], "label": row[1], "unit": row[2] if lay["unit_column"] else None,
             "values": [col[row[0]] for col in cols]} for row in lay["rows"]]
    r.tables["legacy"] = {"template": "legacy", "columns": [c.replace("{year}", str(r.year)) for c in lay["columns"]], "rows": rows}
    if rng.random() < 0.7:
        r.body.append(("p", "other", f"附表：{r.org}政府信息公开情况统计表", False))
    r.body.append(("t", "legacy"))


def _legacy_column(rng: random.Random, keys: list[str]) -> dict[str, int]:
    """One column of figures that keeps the legacy rules: request channels add up to the requests, answers
    to the answered total, a publication channel never exceeds the total."""
    busy = rng.random() < 0.5
    out: dict[str, int] = {}
    total = rng.randint(20, 4000) if busy else rng.randint(0, 120)
    out["proactive.total"] = total
    for k in keys:
        if k.startswith("proactive.channel."):
            out[k] = max(0, total - _small(rng, max(1, total // 10), 0.6)) if k.endswith("website") else _small(rng, max(1, total // 20), 0.7)
        elif k.startswith("requests.channel.") or (k.startswith("responses.") and k != "responses.total"):
            out[k] = _small(rng, 30 if busy else 4, 0.6)
        elif k not in ("requests.total", "responses.total", "proactive.total"):
            out[k] = _small(rng, 2000 if k == "consultations.total" else 5, 0.7)
    out["requests.total"] = sum(v for k, v in out.items() if k.startswith("requests.channel."))
    out["responses.total"] = sum(v for k, v in out.items() if k.startswith("responses.") and k != "responses.total")
    return out


def _record_items(r: SynthReport, ctx: dict, media: list[str], lg_style: int) -> None:
    """The gold items: what the report's phrases stated (the slots they filled, in order)."""
    stated = set(ctx.get("_stated", []))
    it: dict = {}
    if "{generic_post}" in PH["leading_group"][lg_style]:
        it["leading_group.leader.title"] = ctx["generic_post"]  # a group described by posts only: no name
    else:
        it.update({"leading_group.leader.name": ctx["person"], "leading_group.leader.title": ctx["post"]})
    for slot, key in (("wp", "website_posts.value"), ("pc", "press_conferences.value"), ("pi", "policy_interpretations.value"),
                      ("nm", "new_media_accounts.value"), ("wb", "weibo.account_count")):
        if slot in stated:
            it[key] = ctx[slot]
    if "nc" in stated and "nm" in stated:
        it["new_media_accounts.closed"] = ctx["nc"]
    if "fee" in stated:
        it["processing_fee_yuan.value"] = ctx["fee"]
    elif "nofee" in stated:
        it["processing_fee_yuan.value"] = 0
    wechat = next((m for m in media if "微信" in m), None)
    if wechat is not None:
        if "{accounts}" in wechat:
            it.update({"wechat.accounts": ctx["accounts"].split("、"), "wechat.account_count": ctx["k"]})
        elif "{acc1}" in wechat:
            it.update({"wechat.accounts": [ctx["acc1"]], "wechat.account_count": 1})
        else:
            it["wechat.account_count"] = ctx["wc"]
        if "{posts}" in wechat:
            it["wechat.posts"] = ctx["posts"]
        if "{fol}" in wechat:
            it["wechat.followers"] = ctx["fol"]
    weibo = next((m for m in media if "{acc2}" in m), None)
    if weibo is not None:
        it.update({"weibo.accounts": [ctx["acc2"]], "weibo.account_count": 1, "weibo.posts": ctx["wbp"]})
    r.items = it


def _tables_in(section: str) -> list[str]:
    """The standard tables printed in ``section`` (the spec says where each table stands)."""
    return [name for name, t in current().tables.items() if t.section == section]


def _small(rng: random.Random, hi: int, zero: float = 0.5) -> int:
    return 0 if rng.random() < zero else rng.randint(1, hi)


def _proactive_row(rng: random.Random, cols: list[str]) -> dict:
    """Plausible figures for one row of table 2 (by what each column counts)."""
    row: dict = {}
    for c in cols:
        if c == "made":
            row[c] = _small(rng, 30, 0.3)
        elif c == "published":
            row[c] = row["made"] if "made" in row else _small(rng, 30, 0.3)
        elif c in ("in_force", "total_public"):
            row[c] = row.get("made", 0) + rng.randint(0, 200)
        elif c == "repealed":
            row[c] = _small(rng, 20, 0.5)
        elif c == "previous_items":
            row[c] = _small(rng, 30 if "decisions" not in cols else 400, 0.4 if "decisions" not in cols else 0.3)
        elif c == "change":  # never below the items there were
            row[c] = max(-row.get("previous_items", 0), rng.choice([0, 0, rng.randint(1, 20), -rng.randint(1, 10)] if "decisions" in cols else [0, 0, 1, -1, 2]))
        elif c == "decisions":
            row[c] = _small(rng, 90000, 0.15) if len(cols) == 1 else _small(rng, 20000, 0.3)
        elif c == "amount_wan_yuan" and len(cols) == 1:
            row[c] = round(rng.uniform(0, 30000), rng.choice([0, 1, 2])) if rng.random() > 0.2 else 0
        elif c == "amount_wan_yuan":
            row[c] = round(rng.uniform(1, 9000), 2)
        elif c == "projects":
            row[c] = _small(rng, 60, 0.3)
        else:
            row[c] = _small(rng, 50, 0.4)
        if isinstance(row[c], float) and row[c].is_integer():
            row[c] = int(row[c])
    return row


def _requests(rng: random.Random, spec: TableSpec, template: str) -> dict[str, dict]:
    """Table 3 as a flow that balances: new + carried over = handled (spread over the outcomes) + carried forward."""
    balance = next(x for x in spec.rules if x.kind == "column_sums" and not isinstance(x.left, str))
    outcome_rule = next(x for x in spec.rules if x.kind == "column_sums" and isinstance(x.left, str))
    row_rule = spec.row_rule()
    assert row_rule is not None
    new, carried = tuple(balance.left)
    total, fwd_key = balance.right
    keys = spec.row_keys(template)
    outcome = [k for k in spec.sets[str(outcome_rule.left)] if k in keys]
    rows: dict[str, dict] = {k: {} for k in keys}
    busy = rng.random() < 0.6
    for i, c in enumerate(row_rule.left):
        scale = (400 if i == 0 else 12) if busy else (20 if i == 0 else 2)
        n_new = _small(rng, scale, 0.2 if i == 0 else 0.7)
        n_carried = _small(rng, max(1, scale // 10), 0.7)
        fwd = min(n_new + n_carried, _small(rng, max(1, scale // 10), 0.7))
        done = n_new + n_carried - fwd
        rows[new][c], rows[carried][c], rows[fwd_key][c], rows[total][c] = n_new, n_carried, fwd, done
        weights = [rng.random() ** 3 for _ in outcome]
        weights[0] += 1.5
        alloc = {k: 0 for k in outcome}
        for _ in range(done):
            alloc[rng.choices(outcome, weights)[0]] += 1
        for k in outcome:
            rows[k][c] = alloc[k]
    for cols in rows.values():
        for c in row_rule.left:
            cols.setdefault(c, 0)  # a row outside the flow (none in the shipped spec)
        cols[row_rule.right[0]] = sum(cols[c] for c in row_rule.left)
    return rows


def _flat(rng: random.Random, spec: TableSpec) -> dict[str, dict]:
    """Table 4: per row, small counts that add up to the row's total."""
    rule = spec.row_rule()
    assert rule is not None
    out = {}
    for k in spec.rows:
        row = {c: _small(rng, 12, 0.6) for c in rule.left}
        row[rule.right[0]] = sum(row.values())
        out[k] = {c: row[c] for c in spec.columns}
    return out


def _tables(rng: random.Random, template: str, break_rule: bool, r: SynthReport, last: SynthReport | None = None) -> dict:
    spec = current()
    tables: dict[str, Table] = {}
    for name, t in spec.tables.items():
        if t.layout["kind"] == "blocks":
            rows = {k: _proactive_row(rng, t.columns_for(template, k) or []) for k in t.row_keys(template)}
        elif t.layout["kind"] == "tree":
            rows = _requests(rng, t, template)
        else:
            rows = _flat(rng, t)
        tables[name] = Table(name, template, rows)
    if last is not None and last.template != "legacy":
        chain(spec, tables, {n: Table.from_json(n, t) for n, t in last.tables.items() if n in spec.tables}, last.template)
    if break_rule:
        _break(rng, spec, tables, r)
    return {name: t.to_json(spec) for name, t in tables.items()}


def chain(spec: TemplateSpec, tables: dict[str, Table], last: dict[str, Table], last_template: str) -> None:
    """Make this year's tables follow last year's by the spec's cross-year rules (carried over = last year's
    carried forward …), then restore the year's own flows."""
    for rule in spec.cross_year:
        t, lt = tables.get(rule.table), last.get(rule.table)
        if t is None or lt is None or t.template not in rule.templates or last_template not in rule.templates:
            continue
        for _, cells in rule.cells(spec, t.template):
            terms = [(x.sign, (lt if x.year == "last" else t).rows.get(r, {}).get(c)) for x, (r, c) in cells.items() if x != rule.this]
            row, col = cells[rule.this]
            if row in t.rows and all(v is not None for _, v in terms):
                t.rows[row][col] = max(0, sum(sign * (v or 0) for sign, v in terms))
    for name, t in tables.items():
        if spec[name].layout["kind"] == "tree":
            rebalance(spec[name], t)


def rebalance(spec: TableSpec, t: Table) -> None:
    """Table 3's flow after its carried-over row changed: carried forward = new + carried over − handled (new
    raised where that would be negative), each row's total column the sum of its applicant columns."""
    balance = next(x for x in spec.rules if x.kind == "column_sums" and not isinstance(x.left, str))
    row_rule = spec.row_rule()
    assert row_rule is not None
    new, carried = tuple(balance.left)
    done, fwd = balance.right
    rows = t.rows
    for c in row_rule.left:
        n, co, d = (rows[k].get(c) or 0 for k in (new, carried, done))
        rows[fwd][c] = max(0, n + co - d)
        rows[new][c] = n + max(0, d - n - co)  # raised where the flow would carry forward less than nothing
    for cols in t.rows.values():
        cols[row_rule.right[0]] = sum(cols.get(c) or 0 for c in row_rule.left)


def _bump(row: dict, col: str) -> None:
    row[col] = (row[col] or 0) + 1


def _break(rng: random.Random, spec: TemplateSpec, tables: dict[str, Table], r: SynthReport) -> None:
    """Plant one broken rule: a total one too high, and list the checks that must fail."""
    name = rng.choice([n for n in tables if spec[n].row_rule() is not None][::-1])
    t, rule = tables[name], spec[name].row_rule()
    assert rule is not None
    total_col = rule.right[0]
    if spec[name].layout["kind"] == "flat":
        row = next(iter(t.rows))
        _bump(t.rows[row], total_col)
        r.broken.append(rule.id.format(row=row))
        return
    col = rule.left[0]
    row = next(x.right[0] for x in spec[name].rules if x.kind == "column_sums")
    _bump(t.rows[row], col)
    _bump(t.rows[row], total_col)
    for c in (col, total_col):
        r.broken += [x.id.format(column=c) for x in spec[name].rules if x.kind == "column_sums"]
