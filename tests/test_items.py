"""Named items in many phrasings (written for the tests), each with evidence."""
from __future__ import annotations

import pytest

from gongkai.items import extract_items


def items_of(*texts):
    paras = [{"id": f"p{i + 1}", "text": t, "heading": False} for i, t in enumerate(texts)]
    items, _ = extract_items(paras, list(texts), {})
    for name, it in items.items():
        if name == "quantities":
            for q in it:
                assert texts[int(q["paragraph"][1:]) - 1][q["start"]:q["end"]]
            continue
        for one in (it if isinstance(it, list) else [it]):
            ev = one["evidence"]
            span = texts[int(ev["paragraph"][1:]) - 1][ev["start"]:ev["end"]]
            assert span, (name, one)
    return items


@pytest.mark.parametrize("text,name,title", [
    ("二是更新了领导小组，成立了由局长史文翠担任组长的政务公开领导小组。", "史文翠", "局长"),
    ("成立了以县长王建国为组长、副县长李明为副组长的政务公开工作领导小组。", "王建国", "县长"),
    ("调整政府信息公开工作领导小组，组长：党组书记、局长刘海燕；副组长：陈立新、周红梅。", "刘海燕", "党组书记、局长"),
    ("政务公开领导小组组长由常务副市长赵振华同志担任，办公室设在市政府办公室。", "赵振华", "常务副市长"),
    ("我区成立了以区党工委管委会办公室主任为组长的政府信息公开工作领导小组。", None, "区党工委管委会办公室主任"),
])
def test_leading_group_leader(text, name, title):
    lg = items_of(text)["leading_group"]
    assert lg["leader"]["name"] == name and lg["leader"]["title"] == title
    assert lg["name"].endswith("领导小组")


def test_leading_group_deputies_members_office():
    t = ("成立了由局长史文翠担任组长，党组成员、副处级以上领导干部担任副组长的政务公开服务工作领导小组，"
         "局办公室为政务公开工作办公室，负责信息公开信息的收集、发布。")
    lg = items_of(t)["leading_group"]
    assert lg["name"] == "政务公开服务工作领导小组"
    assert lg["deputies"] == ["党组成员、副处级以上领导干部"]
    assert lg["office"] == "局办公室"
    lg2 = items_of("调整领导小组，组长：局长刘海燕；副组长：陈立新、周红梅；成员：各科室负责人。")["leading_group"]
    assert lg2["deputies"] == ["陈立新", "周红梅"] and lg2["members"] == ["各科室负责人"]


def test_mere_mention_of_a_group_is_not_an_item():
    assert "leading_group" not in items_of("如对本报告有疑问，请与政府信息公开工作领导小组办公室联系。")


@pytest.mark.parametrize("text,accounts,count,posts", [
    ("文化鹤岗、大美鹤岗、创建国家全民运动健身模范市等3个微信公众号2020年共发布消息1625条。", ["文化鹤岗", "大美鹤岗", "创建国家全民运动健身模范市"], 3, 1625),
    ("充分发挥“清风射阳”微信公众号作用，全年推送信息一千二百条。", ["清风射阳"], 1, 1200),
    ("依托政务微信公众号发布信息300余条。", [], None, 300),
])
def test_wechat(text, accounts, count, posts):
    w = items_of(text)["wechat"]
    assert w["accounts"] == accounts and w["account_count"] == count and w["posts"] == posts


def test_weibo():
    w = items_of("通过“桦南发布”政务微博发布信息856条。")["weibo"]
    assert w["accounts"] == ["桦南发布"] and w["posts"] == 856


@pytest.mark.parametrize("text,key,value,approx", [
    ("全年通过政府网站主动公开各类政府信息 5500 余条。", "website_posts", 5500, True),
    ("组织召开新闻发布会12场。", "press_conferences", 12, False),
    ("全年召开十二场新闻发布会，及时回应关切。", "press_conferences", 12, False),
    ("通过文字、图片等形式制作政策解读21 个。", "policy_interpretations", 21, False),
    ("全年收取政府信息公开信息处理费 3940 元。", "processing_fee_yuan", 3940, False),
    ("全年收取信息处理费0.5万元。", "processing_fee_yuan", 5000, False),
    ("全市在运维政务新媒体共计 95 个。", "new_media_accounts", 95, False),
    ("全市在运维政务新媒体近百个。", "new_media_accounts", 100, True),
])
def test_fixed_counts(text, key, value, approx):
    it = items_of(text)[key]
    assert it["value"] == value and it["approx"] == approx


def test_quantities_subjects_and_chinese_numerals():
    qs = items_of("全年共受理申请二十一件，答复21件，收费0元；另有3件顺延至下年度答复。")["quantities"]
    vals = [(q["value"], q["unit"]) for q in qs]
    assert (21, "件") in vals and (0, "元") in vals and (3, "件") in vals
    assert any("受理申请" in q["subject"] for q in qs)


def test_no_quantity_from_years_dates_or_words():
    qs = items_of("2024年1月1日起，我局统一规范一个窗口受理，第一季度完成。")["quantities"]
    assert qs == []


def test_text_vs_table_check():
    paras = [{"id": "p1", "text": "全年共受理政府信息公开申请 3119 件，政府信息公开行政复议 351 件。", "heading": False}]
    tables = {"requests": {"rows": {"new": {"total": 3119}, "carried_over": {"total": 34}}}, "appeals": {"review": {"total": 350}}}
    _, checks = extract_items(paras, [paras[0]["text"]], tables)
    by = {c["id"]: c for c in checks}
    assert by["text.requests.new.total"]["ok"] is True
    assert by["text.appeals.review.total"]["ok"] is False and by["text.appeals.review.total"]["expected"] == 351


@pytest.mark.parametrize("title,agency,year", [
    ("2023年度射阳县人民政府政府信息公开工作年度报告", "射阳县人民政府", 2023),
    ("关于射阳县教育局2019年度政府信息公开工作年度报告", "射阳县教育局", 2019),
    ("射阳县教育局政府信息公开工作年度报告（2019年度）", "射阳县教育局", 2019),
    ("二〇一九年射阳县财政局政府信息公开工作年度报告", "射阳县财政局", 2019),
    ("2019年政府信息公开工作年度报告", "射阳县政府办公室", 2019),  # no agency in the title: the preamble's
])
def test_meta_agency_and_year(title, agency, year):
    from gongkai.items.meta import find_agency, find_year

    assert find_agency(title, "本报告由射阳县政府办公室编制。") == agency
    assert find_year(title, "") == year


def test_year_from_statistics_period_and_region():
    from gongkai.items.meta import find_year
    from gongkai.items.region import resolve_region

    assert find_year(None, "本报告所列数据的统计期限自2018年1月1日起至2018年12月31日止。") == 2018
    assert resolve_region("鹤岗市文体广电和旅游局", None, "")["province"] == "黑龙江省"


def test_closed_accounts_are_not_the_number_run():
    """Regression: 关停…政务新媒体2个 was read as the number of accounts run."""
    items = items_of("关停运营不规范、运维不及时的政府网站1个、政务新媒体2个。")
    assert "new_media_accounts" not in items


def test_official_account_without_the_word_wechat_and_cases_in_qi():
    """Regression (crawler copy of a 2025 report): 公众号 alone, and 行政复议36起."""
    items = items_of("通过“平潭发布”公众号发布信息672条。")
    assert items["wechat"]["accounts"] == ["平潭发布"] and items["wechat"]["posts"] == 672
    paras = [{"id": "p1", "text": "全年办理因政府信息公开申请引发的行政复议36起，行政诉讼9起。", "heading": False}]
    _, checks = extract_items(paras, [paras[0]["text"]], {"appeals": {"review": {"total": 36}}})
    assert checks[0]["id"] == "text.appeals.review.total" and checks[0]["ok"] is True


def test_heading_after_an_amount_in_yuan_is_cut():
    """Regression: '…采购总金额…2895.90元三、收到和处理…' lost the table-3 heading."""
    from gongkai.document import Document
    from gongkai.readers.text import split_prose

    doc = Document("x.txt", "txt")
    split_prose("二、主动公开政府信息情况 第二十条第（九）项信息内容采购项目数量采购总金额政府集中采购39573802895.90元"
                "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为）申请人情况", 0, doc)
    assert [b.text for b in doc.blocks if b.kind == "heading"] == ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]


def test_several_groups_in_one_report():
    items = items_of("成立了以局长王建国为组长的政务公开工作领导小组。", "另成立了由副局长李明担任组长的政府网站建设领导小组。")
    assert items["leading_group"]["leader"]["name"] == "王建国"
    assert [g["leader"]["name"] for g in items["leading_groups"]] == ["王建国", "李明"]


def test_precision_regressions_from_legacy_crawler_copies():
    """Regressions met on legacy crawler copies: a group name that began with a verb, another
    body's leading group, a website name taken for a Weibo account, procurement items taken for
    all website posts, and WeChat posts counted together with the website."""
    lg = items_of("根据人员变动情况及时调整充实政府信息公开工作领导小组成员，强化工作力量。")["leading_group"]
    assert lg["name"] == "政府信息公开工作领导小组"
    assert "leading_group" not in items_of("为推进诚信建设，先后成立了工作领导小组，制定了工作方案。")
    assert "weibo" not in items_of("设立“中国·测试”网手机门户，在首页设置政务微信、微博、手机APP二维码。")
    assert "website_posts" not in items_of("累计在政府采购信息网上主动公开政府采购项目信息188条。")
    w = items_of("在门户网站、人才网微信号发布招聘信息20多条。").get("wechat")
    assert w is None or w["posts"] is None
    assert items_of("2016年全区主动公开政府信息3460条。")["website_posts"]["value"] == 3460


def test_region_from_division_names_without_pandas():
    """cpca's table read directly: the province follows from the adcode; an ambiguous county needs context."""
    from gongkai.items.region import resolve_region

    assert resolve_region("淮安市洪泽区人民政府办公室", None, "") == {"province": "江苏省", "city": "淮安市", "county": "洪泽区"}
    assert resolve_region("北京市西城区人民政府", None, "") == {"province": "北京市", "city": None, "county": "西城区"}
    assert resolve_region("朝阳区人民政府", None, "")["province"] is None  # 北京 or 长春: not guessed
    assert resolve_region(None, "福州市鼓楼区2023年政府信息公开工作年度报告", "")["county"] == "鼓楼区"


def test_title_cut_mid_word_is_joined():
    """Regression (issue 13): a title wrapped inside a word (…年度报 / 告) gave no agency and no year."""
    from gongkai.items.meta import read_meta

    texts = ["某某县人民政府2024年度政府信息公开工作年度报", "告", "本报告根据条例编制。"]
    found, evidence, warnings = read_meta(texts, "", None, "pdf")
    assert found == {"title": "某某县人民政府2024年度政府信息公开工作年度报告", "agency": "某某县人民政府", "year": 2024}
    assert evidence["agency"] == {"paragraph": "p1", "start": 0, "end": 7} and evidence["year"]["paragraph"] == "p1"
    assert warnings == []


@pytest.mark.parametrize("fragment", ["华人民共和国", "〈中华人民共和国", "于做好", "关于印发", "国务院令第号条例"])
def test_fragments_are_never_agencies(fragment):
    from gongkai.items.meta import looks_like_agency

    assert not looks_like_agency(fragment)


def test_agency_from_a_cut_citation_is_refused_and_said():
    """A title line that is a citation fragment must not yield an agency; the report says none was found."""
    from gongkai.items.meta import read_meta

    texts = ["华人民共和国政府信息公开工作年度报告格式〉的通知》等文件要求编制。", "一、总体情况"]
    found, _, warnings = read_meta(texts, "", None, "pdf")
    assert found["agency"] is None
    assert {w["code"] for w in warnings} == {"meta.agency_missing", "meta.year_missing"}


def test_year_from_statistics_period_written_with_wei():
    from gongkai.items.meta import read_meta

    texts = ["本报告所列数据统计期限为2024年1月1日至2024年12月31日。"]
    found, evidence, _ = read_meta(texts, "", None, "txt")
    assert found["year"] == 2024 and evidence["year"] == {"paragraph": "p1", "start": 12, "end": 16}


def test_meta_from_container_title_says_where(tmp_path):
    from gongkai.items.meta import read_meta

    found, evidence, _ = read_meta(["一、总体情况", "本年度工作平稳。"], "", "淮安市人民政府2024年政府信息公开工作年度报告", "pdf")
    assert found["agency"] == "淮安市人民政府" and evidence == {"agency": "pdf_metadata", "year": "pdf_metadata"}


# ---- issue 17: one regression test per family of misses --------------------------------------

@pytest.mark.parametrize("text", ["2024年，无收取信息处理费情况。", "本年度未收取任何费用。", "本机关没有发生收费情况。",
                                  "依申请公开政府信息不存在收费情况。", "本年度依申请提供政府信息，不收取检索、复制、邮寄等费用。"])
def test_fee_of_zero_is_zero(text):
    fee = items_of(text)["processing_fee_yuan"]
    assert fee["value"] == 0 and fee["unit"] == "元"


def test_fee_paid_wins_over_a_zero_phrase():
    assert items_of("本年度共收取信息处理费200元。", "其余申请均未收取费用。")["processing_fee_yuan"]["value"] == 200


def test_website_total_not_a_subset_nor_a_running_total():
    assert items_of("公开重点领域信息450条。全年累计主动公开政府信息2069条。")["website_posts"]["value"] == 2069
    assert items_of("全年主动公开政府信息2069条，其中公开重点领域信息450条，发布解读材料36篇。")["website_posts"]["value"] == 2069
    it = items_of("截至目前，我局在门户网站累计主动公开政府信息1770条，其中2019年度我局共主动公开政府信息202条。")
    assert it["website_posts"]["value"] == 202
    assert "website_posts" not in items_of("推进重点领域信息公开，及时发布相关信息46条。")


def test_accounts_per_platform():
    it = items_of("我区各部门共开设新媒体数量70个。其中微博29个，共发布信息1992条；微信公众号41个，共发布信息3404条。")
    assert it["new_media_accounts"]["value"] == 70
    assert (it["weibo"]["account_count"], it["weibo"]["posts"]) == (29, 1992)
    assert (it["wechat"]["account_count"], it["wechat"]["posts"]) == (41, 3404)
    assert "website_posts" not in it  # posts on Weibo are not the portal's
    it = items_of("全区共有政务微信41个、政务微博29个，政务新媒体70个。")
    assert (it["wechat"]["account_count"], it["weibo"]["account_count"], it["new_media_accounts"]["value"]) == (41, 29, 70)


def test_accounts_closed_are_their_own_field():
    nm = items_of("关停注销政务新媒体2个，现有政务新媒体12个。")["new_media_accounts"]
    assert nm["value"] == 12 and nm["closed"] == 2


def test_weibo_named_in_quotes_and_wechat_pushed_posts_and_followers():
    wb = items_of("通过“平潭发布微博”新浪微博发布信息300条。")["weibo"]
    assert wb["accounts"] == ["平潭发布微博"] and wb["posts"] == 300
    wc = items_of("“平潭发布”微信公众号全年推送信息520篇，粉丝数达3.2万人。")["wechat"]
    assert wc["accounts"] == ["平潭发布"] and wc["posts"] == 520 and wc["followers"] == 32000


def test_leading_group_by_posts_without_names():
    lg = items_of("成立了政务公开工作领导小组，由局分管领导任组长、办公室主任任副组长、各处室负责人为成员，领导小组办公室设在局办公室。")["leading_group"]
    assert lg["leader"] == {"name": None, "title": "局分管领导"}
    assert lg["deputies"] == ["办公室主任"] and lg["members"] == ["各处室负责人"] and lg["office"] == "局办公室"


def test_publication_date_line_under_the_title():
    from gongkai.items.meta import find_published

    assert find_published(["某县2024年政府信息公开工作年度报告", "发布日期：2025-01-20", "一、总体情况"], None, 2024) == "2025-01-20"


def test_crawler_header_gives_title_and_date(tmp_path):
    from conftest import parse_dict

    p = tmp_path / "copy.txt"
    p.write_text("标题: 某某县人民政府2023年政府信息公开工作年度报告\n发布时间: 2024-01-25 09:30\n========== 正文 ==========\n"
                 "一、总体情况\n本年度我县政务公开工作稳步推进。\n", "utf-8")
    m = parse_dict(p)["meta"]
    assert (m["agency"], m["year"], m["published"]) == ("某某县人民政府", 2023, "2024-01-25")
    assert m["evidence"]["agency"] == "crawler_header"


@pytest.mark.parametrize("text", ["每1篇稿件均经过三级审核。", "按四个季度分别报送。", "本报告共五个部分。", "重点做好以下3个方面工作。",
                                  "在5个工作日内答复。"])
def test_no_quantity_for_frequencies_time_spans_or_structure(text):
    assert items_of(text)["quantities"] == []
