"""The official layout of tables 2, 3 and 4 as logical grids with spans.

A grid is a list of rows; a row is a list of ``(text, rowspan, colspan)`` origin
cells, in reading order (slots covered by a span are left out).  Values are
formatted by a ``fmt(value, key)`` callback so that renderers can add hazards
(blank cells, full-width digits, units).
"""
from __future__ import annotations

T3_LABELS = {
    "denied": ("（三）不予公开", ["denied.state_secret", "denied.prohibited_by_law", "denied.three_safety", "denied.third_party",
                           "denied.internal_affairs", "denied.process_info", "denied.enforcement_file", "denied.query_matter"],
               ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益", "5.属于三类内部事务信息",
                "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]),
    "unavailable": ("（四）无法提供", ["unavailable.not_held", "unavailable.needs_creation", "unavailable.unclear"],
                    ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]),
    "not_processed": ("（五）不予处理", ["not_processed.complaint", "not_processed.duplicate", "not_processed.publication",
                                   "not_processed.mass_repeat", "not_processed.confirm"],
                      ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                       # a wording of the generator's own (reports vary it; the reader matches 确认或/重新出具)
                       "5.要求行政机关确认或者重新出具已经获取的信息"]),
    "other": ("（六）其他处理", ["other.no_correction", "other.no_fee", "other.other"],
              ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]),
}
T3_COLS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"]


def table2(t: dict, fmt) -> list[list]:
    rows = t["rows"]
    tmpl = t["template"]
    g: list[list] = []

    def sec(item):
        g.append([(f"第二十条第（{item}）项", 1, 4)])

    if tmpl == "2021":
        sec("一")
        g.append([("信息内容", 1, 1), ("本年制发件数", 1, 1), ("本年废止件数", 1, 1), ("现行有效件数", 1, 1)])
        for k, lab in (("regulations", "规章"), ("normative_documents", "行政规范性文件")):
            g.append([(lab, 1, 1)] + [(fmt(rows[k][c], f"{k}.{c}"), 1, 1) for c in ("made", "repealed", "in_force")])
        for item, keys in (("五", [("licensing", "行政许可")]), ("六", [("penalty", "行政处罚"), ("coercion", "行政强制")])):
            sec(item)
            g.append([("信息内容", 1, 1), ("本年处理决定数量", 1, 3)])
            for k, lab in keys:
                g.append([(lab, 1, 1), (fmt(rows[k]["decisions"], f"{k}.decisions"), 1, 3)])
        sec("八")
        g.append([("信息内容", 1, 1), ("本年收费金额（单位：万元）", 1, 3)])
        g.append([("行政事业性收费", 1, 1), (fmt(rows["fees"]["amount_wan_yuan"], "fees.amount_wan_yuan"), 1, 3)])
    else:
        sec("一")
        g.append([("信息内容", 1, 1), ("本年新制作数量", 1, 1), ("本年新公开数量", 1, 1), ("对外公开总数量", 1, 1)])
        for k, lab in (("regulations", "规章"), ("normative_documents", "规范性文件")):
            g.append([(lab, 1, 1)] + [(fmt(rows[k][c], f"{k}.{c}"), 1, 1) for c in ("made", "published", "total_public")])
        for item, keys in (("五", [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")]),
                           ("六", [("penalty", "行政处罚"), ("coercion", "行政强制")])):
            sec(item)
            g.append([("信息内容", 1, 1), ("上一年项目数量", 1, 1), ("本年增/减", 1, 1), ("处理决定数量", 1, 1)])
            for k, lab in keys:
                g.append([(lab, 1, 1)] + [(fmt(rows[k][c], f"{k}.{c}"), 1, 1) for c in ("previous_items", "change", "decisions")])
        sec("八")
        g.append([("信息内容", 1, 1), ("上一年项目数量", 1, 1), ("本年增/减", 1, 2)])
        g.append([("行政事业性收费", 1, 1), (fmt(rows["fees"]["previous_items"], "fees.previous_items"), 1, 1),
                  (fmt(rows["fees"]["change"], "fees.change"), 1, 2)])
        sec("九")
        g.append([("信息内容", 1, 1), ("采购项目数量", 1, 1), ("采购总金额", 1, 2)])
        g.append([("政府集中采购", 1, 1), (fmt(rows["procurement"]["projects"], "procurement.projects"), 1, 1),
                  (fmt(rows["procurement"]["amount_wan_yuan"], "procurement.amount_wan_yuan"), 1, 2)])
    return g


def table3(t: dict, fmt) -> list[list]:
    rows = t["rows"]
    tmpl = t["template"]
    g: list[list] = [
        [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        [("商业企业", 1, 1), ("科研机构", 1, 1), ("社会公益组织", 1, 1), ("法律服务机构", 1, 1), ("其他", 1, 1)],
    ]

    def vals(k):
        return [(fmt(rows[k][c], f"{k}.{c}"), 1, 1) for c in T3_COLS]

    g.append([("一、本年新收政府信息公开申请数量", 1, 3)] + vals("new"))
    g.append([("二、上年结转政府信息公开申请数量", 1, 3)] + vals("carried_over"))
    groups = ["denied", "unavailable", "not_processed"] + (["other"] if tmpl == "2021" else [])
    n_result = 2 + sum(len(T3_LABELS[x][1]) for x in groups) + (0 if tmpl == "2021" else 1) + 1
    g.append([("三、本年度办理结果", n_result, 1), ("（一）予以公开", 1, 2)] + vals("granted"))
    g.append([("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, 2)] + vals("partial"))
    for grp in groups:
        glabel, keys, labels = T3_LABELS[grp]
        for i, (k, lab) in enumerate(zip(keys, labels)):
            row = [(glabel, len(keys), 1)] if i == 0 else []
            g.append(row + [(lab, 1, 1)] + vals(k))
    if tmpl != "2021":
        g.append([("（六）其他处理", 1, 2)] + vals("other"))
    g.append([("（七）总计", 1, 2)] + vals("total"))
    g.append([("四、结转下年度继续办理", 1, 3)] + vals("carried_forward"))
    return g


def table4(t: dict, fmt) -> list[list]:
    fields = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    g = [[("行政复议", 1, 5), ("行政诉讼", 1, 10)],
         [(f, 2, 1) for f in fields] + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
         [(f, 1, 1) for f in fields * 2]]
    vals = []
    for grp in ("review", "litigation_direct", "litigation_after_review"):
        for f in ("upheld", "corrected", "other", "pending", "total"):
            vals.append((fmt(t[grp][f], f"{grp}.{f}"), 1, 1))
    g.append(vals)
    return g


def width(grid: list[list]) -> int:
    return sum(c[2] for c in grid[0])


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
