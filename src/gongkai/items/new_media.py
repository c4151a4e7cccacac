"""WeChat official accounts and government Weibo: names, how many, posts in the year.

Accounts are named where the text quotes them (「」“”《》) or lists them before
``等N个微信公众号``; the number of accounts is the count before the keyword (3个微信公众号)
or right after it (政务微信41个、政务微博29个); posts are the 发布/推送…N条/篇 figure of the
same sentence; followers the 粉丝/关注…N figure, where stated.
"""
from __future__ import annotations

import re

from ..numbers import NUM, to_number

KINDS = {
    "wechat": r"(?:政务)?微信公众号|微信公众平台|(?:政务)?微信号|(?<!微博)微信|(?<![\u4e00-\u9fff]{2}号)公众号",
    "weibo": r"(?:政务|官方)?微博(?:账号|号)?",
}
SENT = re.compile(r"[^。；！？]+[。；！？]?")
QUOTED = re.compile(r"[「“《\"]([^」”》\"]{2,20})[」”》\"]")
LISTED = re.compile(rf"((?:[\u4e00-\u9fff\w“”「」]{{2,16}}、)*[\u4e00-\u9fff\w“”「」]{{2,16}})等\s*(?P<n>{NUM})\s*个")
POSTS = re.compile(r"(?:发布|推送|发表|编发|推出)[\u4e00-\u9fff]{0,8}?(?P<n>\d[\d,，]*|[零〇一二三四五六七八九十百千万]+)\s*(?P<post>余|多)?\s*(?:条|篇|期|次)")
OTHER_CHANNELS = re.compile(r"网站|门户|客户端|APP|报刊|电视|广播|公开栏|头条|抖音")
COUNT = re.compile(rf"(?P<n>{NUM})\s*个[\u4e00-\u9fff]{{0,4}}?$")
COUNT_AFTER = re.compile(rf"^(?:账号|帐号|平台)?(?:共|共计|有)?\s*(?P<n>{NUM})\s*个")
FOLLOWERS = re.compile(rf"(?:粉丝|关注(?:人数|用户|量)?|订阅(?:用户|人数)?)(?:数|数量|总数|人数)?(?:已|累计|共)?(?:达到|达|超过|突破|为|逾|近|约)?\s*"
                       rf"(?P<n>{NUM})\s*(?P<wan>万)?\s*(?P<post>余|多)?\s*(?:人|名|个|户)?")


def _outside_quotes(pat: re.Pattern, sent: str) -> re.Match | None:
    """The first keyword that is not part of a quoted account name (“某某微博”新浪微博: the second)."""
    quoted = [q.span() for q in QUOTED.finditer(sent)]
    return next((m for m in pat.finditer(sent) if not any(a <= m.start() < b for a, b in quoted)), None)


def new_media(paragraphs: list[dict], texts: list[str]) -> dict:
    out = {}
    for kind, kw in KINDS.items():
        pat = re.compile(kw)
        for p, text in zip(paragraphs, texts):
            if p.get("heading"):
                continue
            for sm in SENT.finditer(text):
                sent = sm.group(0)
                km = _outside_quotes(pat, sent)
                if not km:
                    continue
                if kind == "wechat" and re.search(r"微博", sent[km.start() - 2: km.start()]):
                    pass
                base = sm.start()
                accounts: list[str] = []
                count = None
                span = [base + km.start(), base + km.end()]
                before = sent[: km.start()]
                lm = LISTED.search(before)
                if lm and lm.end() >= len(before) - 4:
                    names = [re.sub(r"[“”「」]", "", x) for x in re.split(r"[、，,]", lm.group(1)) if x]
                    count = to_number(lm.group("n"))
                    if count == len(names):
                        accounts = names
                    span[0] = min(span[0], base + lm.start())
                else:
                    # quoted names right before the keyword: “平潭发布”微信公众号, “甲”“乙”两个公众号
                    tail = before[-60:]
                    qs = [q for q in QUOTED.finditer(tail)]
                    if qs and len(tail) - qs[-1].end() <= 3:
                        off = len(before) - len(tail)
                        accounts = [re.sub(r"\s+", "", q.group(1)) for q in qs if len(tail) - q.end() <= 3 + 30]
                        span[0] = min(span[0], base + off + qs[0].start())
                    cm = COUNT.search(before[-12:])
                    if cm:
                        count = to_number(cm.group("n"))
                    am = COUNT_AFTER.match(sent[km.end():])
                    if count is None and am:  # 政务微信41个
                        count = to_number(am.group("n"))
                        span[1] = max(span[1], base + km.end() + am.end())
                posts = None
                pm = POSTS.search(sent, km.end())
                clause = sent[max(0, sent.rfind("，", 0, km.start()) + 1): km.start()]
                if pm and not OTHER_CHANNELS.search(clause + sent[km.end(): pm.start()]):
                    posts = to_number(pm.group("n"))
                    span[1] = max(span[1], base + pm.end())
                followers = None
                fm = FOLLOWERS.search(sent, km.end())
                if fm and fm.group("n"):
                    followers = to_number(fm.group("n"))
                    if followers is not None and fm.group("wan"):
                        followers = int(followers * 10000)
                    span[1] = max(span[1], base + fm.end())
                if not accounts and count is None and posts is None:
                    continue
                item = {"accounts": accounts, "account_count": count if count is not None else (len(accounts) or None),
                        "posts": posts, "evidence": {"paragraph": p["id"], "start": span[0], "end": span[1]}}
                if followers is not None:
                    item["followers"] = followers
                out[kind] = item
                break
            if kind in out:
                break
    return out
