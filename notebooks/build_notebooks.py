"""Write the project's notebooks (run: python notebooks/build_notebooks.py).

The notebooks are kept as code here so that they are reviewed like code; the
.ipynb files are generated from it and executed headless by the test suite.
"""
from pathlib import Path

import nbformat as nbf

HERE = Path(__file__).parent


PARAMETERS = "# parameters"  # a code cell starting so is tagged "parameters" (papermill's convention)


def nb(cells):
    book = nbf.v4.new_notebook()
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    book.cells = [nbf.v4.new_markdown_cell(c[3:]) if c.startswith("## ") else nbf.v4.new_code_cell(c.strip()) for c in cells]
    for cell in book.cells:
        if cell.cell_type == "code" and cell.source.startswith(PARAMETERS):
            cell.metadata["tags"] = ["parameters"]
    return book


SECTION = [
    "## # Section classifier: train, evaluate, look at the errors\n\nTrains the section model on reports the project generates, "
    "evaluates it on a held-out generated set (with and without headings) and, when `../shared/realdocs` is present, on the real "
    "reports with gold. The parameters cell takes folders of labelled data (generated gold or labelled JSONL) "
    "instead of the generated sets; set `N_TRAIN` higher for a fuller run.",
    """
# parameters
TRAIN = None  # a folder (or file) of labelled paragraphs to train on; None: generate N_TRAIN reports
TEST = None  # a folder (or file) of labelled paragraphs to evaluate on; None: generate 30 reports
N_TRAIN = 80
REAL = None  # a folder of your own score-format gold files (*/gold.json) to cross-validate on; None: the shipped model's card
""",
    """
import os, tempfile, json
from pathlib import Path
import matplotlib.pyplot as plt
import numpy as np
from gongkai.synth.writer import write_corpus
from gongkai.sections.corpus import load_docs
from gongkai.sections.classifier import SectionModel
from gongkai.sections.evaluate import evaluate_docs, evaluate_real
N_TRAIN = int(os.environ.get("GONGKAI_NB_TRAIN", N_TRAIN))
work = Path(tempfile.mkdtemp())
if TRAIN is None:
    write_corpus(work / "train", N_TRAIN, 101, formats=("txt",), hazards=False)
if TEST is None:
    write_corpus(work / "test", 30, 202, formats=("txt",), hazards=False)
train, test = load_docs([str(TRAIN or work / "train")]), load_docs([str(TEST or work / "test")])
DATA = "generated" if TEST is None else Path(TEST).name  # said in every figure title
model = SectionModel().fit(list(train.values()))
len(train), len(test)
""",
    "## ## Scores on the held-out generated set",
    """
full = evaluate_docs(test, model)
ablation = evaluate_docs(test, model, drop_headings=True)
print("with headings   ", full["char_accuracy"], "macro-F1", full["macro_f1"])
print("headings removed", ablation["char_accuracy"], "macro-F1", ablation["macro_f1"])
""",
    """
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
cm = np.array(ablation["confusion"])
axes[0].imshow(cm, cmap="Blues")
axes[0].set_xticks(range(len(ablation["labels"])), ablation["labels"], rotation=45)
axes[0].set_yticks(range(len(ablation["labels"])), ablation["labels"])
axes[0].set_title(f"confusion, headings removed (rows: gold) — {DATA} data")
for i in range(cm.shape[0]):
    for j in range(cm.shape[1]):
        axes[0].text(j, i, cm[i, j], ha="center", va="center", fontsize=7)
labels = list(ablation["per_label"])
axes[1].bar(labels, [ablation["per_label"][l]["f1"] for l in labels])
axes[1].set_ylim(0, 1.05); axes[1].set_title(f"per-label F1, headings removed — {DATA} data"); axes[1].tick_params(axis="x", rotation=45)
plt.tight_layout(); plt.show()
""",
    "## ## Learning curve",
    """
sizes = [n for n in (10, 20, 40, N_TRAIN) if n <= len(train)]
keys = list(train)
curve = []
for n in sizes:
    m = SectionModel().fit([train[k] for k in keys[:n]])
    curve.append((n, evaluate_docs(test, m)["char_accuracy"], evaluate_docs(test, m, drop_headings=True)["char_accuracy"]))
plt.figure(figsize=(5, 3))
plt.plot([c[0] for c in curve], [c[1] for c in curve], "o-", label="with headings")
plt.plot([c[0] for c in curve], [c[2] for c in curve], "s-", label="headings removed")
plt.xlabel("training documents"); plt.ylabel("char accuracy"); plt.title(f"learning curve — {DATA} data"); plt.legend(); plt.show()
curve
""",
    "## ## Real reports (held out, never trained on)",
    """
real = sorted(Path("../../shared/realdocs").rglob("gold.json")) or sorted(Path("../shared/realdocs").rglob("gold.json"))
if real:
    print("with headings   ", evaluate_real(real, model))
    print("headings removed", evaluate_real(real, model, drop_headings=True))
else:
    print("../shared/realdocs is absent: skipped")
""",
    "## ## Real reports, leave one report out\n\nEach real report scored by a model trained without it (headings removed "
    "from the paragraphs): the figures the model card reports first. Without `REAL` they are read from the shipped "
    "model's card (training measured them); with `REAL`, your own labelled reports are cross-validated here, one model "
    "per report (slow: a minute or more per report).",
    """
from gongkai.sections.model import resolve
from gongkai.sections import LABELS
card = json.loads((resolve("sections-default") / "card.json").read_text("utf-8"))
loo = card["scores"].get("real_reports_leave_one_out")
calibration = (loo or {}).get("calibration", {}).get("platt")
if REAL is not None:
    from gongkai.sections.real import leave_one_out, platt, units_of
    loo = leave_one_out(units_of(sorted(Path(REAL).rglob("gold.json"))), train, {})
    calibration = platt(loo["predictions"])
if loo:
    cols = loo["predictions"]["columns"]
    preds = [dict(zip(cols, r)) for r in loo["predictions"]["rows"]]
    print(loo["units"], "reports;", "char accuracy:", loo["char_accuracy"])
    print("errors among the 10% least confident paragraphs:", loo["least_confident_10pct_catch_of_errors"])
else:
    preds = []
    print("no leave-one-report-out figures (the model was trained without real reports)")
""",
    """
if preds:
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    cm = np.zeros((len(LABELS), len(LABELS)), dtype=int)
    for p in preds:
        cm[LABELS.index(p["gold"]), LABELS.index(p["predicted"])] += 1
    axes[0].imshow(cm, cmap="Blues")
    axes[0].set_xticks(range(len(LABELS)), LABELS, rotation=45); axes[0].set_yticks(range(len(LABELS)), LABELS)
    axes[0].set_title("confusion, real reports held out (rows: gold; paragraphs)")
    for i in range(len(LABELS)):
        for j in range(len(LABELS)):
            axes[0].text(j, i, cm[i, j], ha="center", va="center", fontsize=7)
    # reliability: the share of right labels among the paragraphs in each confidence bin
    conf = np.array([p["confidence"] for p in preds]); ok = np.array([p["gold"] == p["predicted"] for p in preds])
    def calibrated(c):
        if calibration is None:
            return c
        c = np.clip(c, 1e-6, 1 - 1e-6)
        return 1 / (1 + np.exp(-(calibration[0] * np.log(c / (1 - c)) + calibration[1])))
    bins = np.linspace(0, 1, 11)
    for values, name in ((conf, "confidence"), (calibrated(conf), "calibrated (Platt, fitted on these)")):
        idx = np.clip(np.digitize(values, bins) - 1, 0, 9)
        xs = [values[idx == b].mean() for b in range(10) if (idx == b).any()]
        ys = [ok[idx == b].mean() for b in range(10) if (idx == b).any()]
        axes[1].plot(xs, ys, "o-", label=name)
    axes[1].plot([0, 1], [0, 1], "k:", label="perfectly calibrated")
    axes[1].set_xlabel("confidence"); axes[1].set_ylabel("share right"); axes[1].legend(fontsize=7)
    axes[1].set_title("reliability, real reports held out")
    plt.tight_layout(); plt.show()
""",
    "## ## The worst errors on real reports (held out, headings removed)\n\nThe wrong paragraphs the model was surest "
    "of, with their text when the report is at hand (`../shared/realdocs`, or your `REAL` folder).",
    """
from gongkai.sections.real import labelled
roots = [Path(REAL)] if REAL is not None else [Path("../../shared/realdocs"), Path("../shared/realdocs")]
texts = {}
worst = sorted((p for p in preds if p["gold"] != p["predicted"]), key=lambda p: -p["confidence"])[:15]
for p in worst:
    gold_file = next((r / p["folder"] / "gold.json" for r in roots if (r / p["folder"] / "gold.json").is_file()), None)
    if gold_file is not None and p["folder"] not in texts:
        texts[p["folder"]] = [t for t, _, _ in labelled(gold_file)[2]]
    p["text"] = texts.get(p["folder"], [""] * (p["paragraph"] + 1))[p["paragraph"]][:50]
import pandas as pd
pd.DataFrame(worst, columns=["unit", "gold", "predicted", "confidence", "chars", "text"])
""",
    "## ## The worst errors (generated, headings removed)",
    """
from gongkai.sections.classifier import doc_rows
rows = []
for key, paras in test.items():
    texts = [t for t, _, _ in paras]; heads = [h for _, _, h in paras]
    keep, feats = doc_rows(texts, heads, drop_headings=True)
    P = model.predict_proba_rows(feats)
    gold = {t: lab for t, lab, _ in paras}
    from gongkai.sections import LABELS
    for (t, _), p in zip(keep, P):
        pred = LABELS[int(p.argmax())]
        if pred != gold[t]:
            rows.append((round(float(p.max()), 3), gold[t], pred, t[:40]))
rows.sort(reverse=True)
import pandas as pd
pd.DataFrame(rows[:15], columns=["confidence", "gold", "predicted", "text"])
""",
]

ARCHIVE = [
    "## # Archive overview\n\nRuns `gongkai batch` on an archive, exports it to DuckDB and shows what a researcher looks "
    "at first: reports per year and template, request outcomes by year, the share of reports that fail each 勾稽 check, "
    "and then the archive as series of agencies (`gongkai.archive`): one report per agency-year, checks of each year "
    "against the year before, year-over-year changes, and the text an agency copied from its previous report.\n\n"
    "It reads the real reports in `../shared/realdocs` when that folder is present (the 平潭 series: 平潭综合实验区 "
    "from 2012 to 2024, 2024 as PDF and as text), otherwise a generated archive of agency series with planted breaks "
    "and copies. The parameters cell takes a folder of your own reports instead.",
    """
# parameters
ARCHIVE = None  # a folder of reports to read; None: ../shared/realdocs when present, else a generated archive
AGENCIES = 8  # agencies of the generated archive (each 4 years)
""",
    """
import json, os, tempfile
from pathlib import Path
import matplotlib.pyplot as plt
import duckdb
from gongkai.synth.series import write_archive
from gongkai.batch import run_batch
from gongkai.export import export
plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "WenQuanYi Zen Hei", "DejaVu Sans"]  # agency names in the figures
REAL = Path.cwd().resolve().parent.parent / "shared" / "realdocs"
work = Path(tempfile.mkdtemp())
if ARCHIVE is None and REAL.is_dir():
    ARCHIVE = str(REAL)
if ARCHIVE is None:
    write_archive(work / "archive", int(os.environ.get("GONGKAI_NB_AGENCIES", AGENCIES)), 4, 7, formats=("txt", "html"))
DATA = "generated archive" if ARCHIVE is None else f"archive {Path(ARCHIVE).name}"  # said in every figure title
summary = run_batch([str(ARCHIVE or work / "archive")], work / "out", workers=2)
db = export(work / "out", "duckdb")[0]
con = duckdb.connect(str(db), read_only=True)
print(DATA)
summary.lines()
""",
    """
per_year = con.sql("SELECT year, template, count(*) AS n FROM reports GROUP BY 1, 2 ORDER BY 1").df()
pivot = per_year.pivot(index="year", columns="template", values="n").fillna(0)
pivot.plot(kind="bar", stacked=True, figsize=(8, 3), title=f"reports per year and template — {DATA}"); plt.show()
pivot
""",
    """
outcomes = con.sql('''
  SELECT r.year, t.row_key, sum(t.value) AS n FROM table_cells t JOIN reports r USING (report)
  WHERE t.table_name = 'requests' AND t.column_key = 'total'
    AND t.row_key IN ('granted', 'partial', 'unavailable.not_held', 'not_processed.complaint')
  GROUP BY 1, 2 ORDER BY 1''').df()
if len(outcomes):
    outcomes.pivot(index="year", columns="row_key", values="n").fillna(0).plot(figsize=(8, 3), marker="o", title=f"request outcomes by year — {DATA}"); plt.show()
""",
    """
fails = con.sql('''
  SELECT regexp_replace(check_id, '\\.[^.]+$', '') AS rule, avg(CASE WHEN ok = false THEN 1.0 ELSE 0.0 END) AS share_failing
  FROM checks WHERE check_id NOT LIKE 'text.%' GROUP BY 1 ORDER BY 2 DESC''').df()
fails.plot(kind="barh", x="rule", y="share_failing", figsize=(7, 3), legend=False, title=f"share of checks failing, by rule — {DATA}"); plt.show()
fails
""",
    "## ## The archive as series of agencies\n\n`agencies` has one row per report: its normalised agency key, the year it "
    "reports on, and whether it is the primary report of that agency-year (when the same report is there twice, as a "
    "PDF and as a crawler's text copy, the one whose tables read better: the PDF's grid over the text's run-together "
    "digits). Below, each agency's years, the primary format first.",
    """
series = con.sql('''
  SELECT agency_key, count(DISTINCT year) AS years, min(year) AS first, max(year) AS last,
         string_agg(CAST(year AS VARCHAR) || ':' || format, ' ' ORDER BY year, NOT "primary") AS reports
  FROM agencies GROUP BY 1 ORDER BY years DESC, agency_key''').df()
series.head(15)
""",
    "## ## Checks across years\n\n`cross_year_checks` applies the template spec's `cross_year` rules to each agency's "
    "consecutive years: this year's 上年结转 must equal last year's 结转下年度 in every applicant column (both templates); "
    "in the 2021 template last year's 现行有效件数 plus this year's 制发 minus 废止 is set against this year's "
    "现行有效件数 (reported, not enforced: repeals can be retroactive); in the 2019 template this year's 上一年项目数量 "
    "must be last year's plus its 本年增/减. A missing year is one `cross_year.series_gap` row and nothing is compared "
    "across it. On the real 平潭 series the gaps are 2013–2014, 2017 and 2020 (those reports are not in the folder), "
    "and the carried-over requests of 2022, 2023 and 2024 match the year before in every column.",
    """
cy = con.sql('''
  SELECT regexp_replace(check_id, '\\.[^.]+$', '') AS rule,
         sum(CASE WHEN ok THEN 1 ELSE 0 END) AS passed, sum(CASE WHEN ok = false THEN 1 ELSE 0 END) AS failed,
         sum(CASE WHEN ok IS NULL THEN 1 ELSE 0 END) AS undecided_or_gap, bool_and(enforced) AS enforced
  FROM cross_year_checks GROUP BY 1 ORDER BY 1''').df()
if len(cy):
    cy.set_index("rule")[["passed", "failed", "undecided_or_gap"]].plot(kind="barh", stacked=True, figsize=(8, 3),
        title=f"checks across years — {DATA}"); plt.show()
cy
""",
    """
con.sql('''SELECT agency_key, last_year, year, check_id, expected, actual, enforced, reason FROM cross_year_checks
           WHERE ok = false OR check_id = 'cross_year.series_gap' ORDER BY agency_key, year''').df().head(20)
""",
    "## ## Year over year\n\n`year_over_year` sets every canonical table cell and numeric item of a report next to the same "
    "cell of the agency's report of the year before (consecutive years only). The longest series' requests and "
    "website posts by year:",
    """
longest = series.iloc[0]["agency_key"] if len(series) else None
yoy = con.sql('''SELECT year, key, value, last_value, change FROM year_over_year
                 WHERE agency_key = ? AND key IN ('requests.new.total', 'requests.carried_forward.total', 'website_posts')
                 ORDER BY year''', params=[longest]).df()
if len(yoy):
    yoy.pivot(index="year", columns="key", values="value").plot(marker="o", figsize=(8, 3),
        title=f"{longest}: figures by year — {DATA}"); plt.show()
yoy
""",
    "## ## Text copied from last year\n\n`reuse` gives, for each report with an earlier report of its agency, the share of "
    "its sentences (by characters) that the previous report printed too, with the copied spans. Sentences under 12 "
    "characters, the template's own sentences (what the report is based on, the list of its parts, the statistics "
    "period, where to download it, whom to ask) and sentences that three or more other agencies print are not counted. "
    "In the real folder 平潭综合实验区 rewrites most of its report each year (a few percent copied), while 平潭县人民政府's "
    "2013 report repeats about half of its 2012 report.",
    """
reuse = con.sql('''SELECT agency_key, last_year, year, sentences, copied, share, spans FROM reuse ORDER BY share DESC''').df()
if len(reuse):
    top = reuse.head(12)
    top.assign(label=top.agency_key.str.slice(0, 12) + " " + top.year.astype(str)).plot(kind="barh", x="label", y="share",
        figsize=(8, 3), legend=False, title=f"share of sentences copied from the previous report — {DATA}"); plt.show()
    first = json.loads(reuse.iloc[0]["spans"])
    print(reuse.iloc[0]["agency_key"], reuse.iloc[0]["year"], "copied spans:", len(first))
    for sp in first[:3]:
        print("  ", sp["text"][:80])
reuse.drop(columns="spans").head(12)
""",
]

if __name__ == "__main__":
    nbf.write(nb(SECTION), HERE / "section_classifier.ipynb")
    nbf.write(nb(ARCHIVE), HERE / "archive_overview.ipynb")
    print("wrote", HERE / "section_classifier.ipynb", HERE / "archive_overview.ipynb")
