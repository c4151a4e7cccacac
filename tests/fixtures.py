"""Small documents the tests build themselves: PDFs (reportlab, built-in CJK font),
DOCX (python-docx), HTML in GBK with no charset, and broken files."""
from __future__ import annotations

from pathlib import Path

from gongkai.tables.spec import current

FONT = "STSong-Light"


def _font():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def pdf_with_table_across_pages(path: Path, fake_bold: bool = True) -> Path:
    """A two-column-text report page, a ruled table-3 fragment that crosses a page break, page numbers."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _font()
    body = ParagraphStyle("b", fontName=FONT, fontSize=12, leading=20, firstLineIndent=24, wordWrap="CJK")
    story = [Paragraph("测试县人民政府2023年政府信息公开工作年度报告", ParagraphStyle("t", fontName=FONT, fontSize=16, alignment=1, leading=24)),
             Spacer(1, 300),
             Paragraph("一、总体情况", ParagraphStyle("h", parent=body, firstLineIndent=0)),
             Paragraph("今年我县按照上级要求推进政务公开工作，" * 12 + "取得了明显成效。", body),
             Paragraph("三、收到和处理政府信息公开申请情况", ParagraphStyle("h2", parent=body, firstLineIndent=0))]
    cols = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    data = [["", "", ""] + cols]
    data.append(["一、本年新收政府信息公开申请数量", "", "", "10", "2", "0", "0", "0", "0", "12"])
    data.append(["二、上年结转政府信息公开申请数量", "", "", "1", "0", "0", "0", "0", "0", "1"])
    rows = [("（一）予以公开", "granted", [5, 1]), ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partial", [2, 0])]
    for lab, _, (a, b) in rows:
        data.append(["三、本年度办理结果", lab, "", str(a), str(b), "0", "0", "0", "0", str(a + b)])
    grouped = [r["path"] for r in current()["requests"].layout["rows"] if len(r["path"]) == 3]  # the spec's printed labels
    for i, (_, glabel, lab) in enumerate(grouped):
        v = ["3", "1", "0", "0", "0", "0", "4"] if glabel.endswith("无法提供") and lab.startswith("1.") else ["0"] * 7
        data.append(["", glabel if i == 0 or grouped[i - 1][1] != glabel else "", lab] + v)
    data.append(["", "（七）总计", "", "10", "2", "0", "0", "0", "0", "12"])
    data.append(["四、结转下年度继续办理", "", "", "1", "0", "0", "0", "0", "0", "1"])
    cell = ParagraphStyle("c", fontName=FONT, fontSize=7, leading=9, wordWrap="CJK")
    data = [[Paragraph(x, cell) if x else "" for x in row] for row in data]
    t = Table(data, colWidths=[60, 50, 90] + [36] * 7)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story.append(t)
    story.append(Paragraph("五、存在的主要问题及改进情况", ParagraphStyle("h3", parent=body, firstLineIndent=0)))
    story.append(Paragraph("一是工作人员力量不足，二是解读形式单一。下一步将加强培训。", body))

    def on_page(c, doc):
        c.setFont(FONT, 9)
        c.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")
        if fake_bold:
            c.drawString(60, A4[1] - 40, "测试县人民政府")
            c.drawString(60.3, A4[1] - 40, "测试县人民政府")

    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=on_page, onLaterPages=on_page)
    return path


def encrypted_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    _font()
    c = canvas.Canvas(str(path), encrypt="secret")
    c.setFont(FONT, 12)
    c.drawString(72, 700, "政府信息公开工作年度报告")
    c.save()
    return path


def scanned_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(72, 72, 400, 600, fill=1)
    c.save()
    return path


def gbk_html_no_charset(path: Path) -> Path:
    page = ("<html><head><title>测试市教育局2022年政府信息公开工作年度报告</title></head><body>"
            "<div class='nav'><a>首页</a><a>政务公开</a></div><div class='breadcrumb'>当前位置：首页 &gt; 年报</div>"
            "<div id='zoom'><p>测试市教育局2022年政府信息公开工作年度报告</p><p>一、总体情况</p>"
            "<p>2022年，我局认真落实政务公开各项要求，全年主动公开政府信息1200余条。</p>"
            "<p>四、政府信息公开行政复议、行政诉讼情况</p>"
            "<table border=1><tr><td colspan=5>行政复议</td><td colspan=10>行政诉讼</td></tr>"
            "<tr><td rowspan=2>结果维持</td><td rowspan=2>结果纠正</td><td rowspan=2>其他结果</td><td rowspan=2>尚未审结</td><td rowspan=2>总计</td>"
            "<td colspan=5>未经复议直接起诉</td><td colspan=5>复议后起诉</td></tr>"
            "<tr>" + "".join(f"<td>{x}</td>" for x in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2) + "</tr>"
            "<tr>" + "".join(f"<td>{x}</td>" for x in [1, 0, 1, 0, 2, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]) + "</tr></table>"
            "<p>五、存在的主要问题及改进情况</p><p>队伍建设有待加强。</p></div>"
            "<div class='footer'>主办单位：测试市教育局 版权所有</div></body></html>")
    path.write_bytes(page.encode("gbk"))
    return path


def docx_with_merged_cells(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("测试区财政局2021年政府信息公开工作年度报告")
    d.add_paragraph("二、主动公开政府信息情况")
    t = d.add_table(rows=5, cols=4)
    t.cell(0, 0).merge(t.cell(0, 3)).text = "第二十条第（一）项"
    for i, x in enumerate(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]):
        t.cell(1, i).text = x
    for i, x in enumerate(["规章", "0", "0", "2"]):
        t.cell(2, i).text = x
    for i, x in enumerate(["行政规范性文件", "3", "", "40"]):
        t.cell(3, i).text = x
    t.cell(4, 0).text = "行政许可"
    t.cell(4, 1).merge(t.cell(4, 3)).text = "1,234"
    d.save(str(path))
    return path


CJK_TTF_CANDIDATES = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                      "/usr/share/fonts/truetype/arphic/uming.ttc")


def cjk_ttf() -> str | None:
    """A CJK TrueType font installed on this machine (to embed), or None."""
    return next((p for p in CJK_TTF_CANDIDATES if Path(p).exists()), None)


def pdf_with_fake_bold_headings(path: Path, embed: str | None = None) -> Path:
    """Headings drawn twice, 0.3 pt apart, as whole runs (fake bold); with ``embed`` the font file is
    embedded, else the non-embedded CID font is used and the reader's renderer substitutes one."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if embed:
        pdfmetrics.registerFont(TTFont("Embedded", embed, subfontIndex=0))
        font = "Embedded"
    else:
        _font()
        font = FONT
    c = canvas.Canvas(str(path))
    y = 780
    for head, body in (("一、总体情况", "本年度我县政务公开工作稳步推进。"),
                       ("二、主动公开政府信息情况", "全年主动公开政府信息一千二百条。"),
                       ("五、存在的主要问题及改进情况", "解读形式较为单一，下一步将加以改进。")):
        c.setFont(font, 14)
        c.drawString(72, y, head)
        c.drawString(72.3, y, head)
        c.setFont(font, 12)
        c.drawString(96, y - 30, body)
        y -= 90
    c.save()
    return path
