"""Headings, segmenter, classifier, smoothing, model loading, corpus imports."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from gongkai.sections import LABELS
from gongkai.sections.headings import is_heading_line, label_for_title, match_top
from gongkai.sections.smoothing import decode

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("line,label", [
    ("一、总体情况", "overview"), ("一、 概述", "overview"), ("第一部分 政府信息公开工作总体情况", "overview"),
    ("二、主动公开政府信息情况", "proactive"), ("三、收到和处理政府信息公开申请情况", "requests"),
    ("三、政府信息依申请公开工作情况", "requests"), ("四、政府信息公开的收费及减免情况", "fees"),
    ("四、政府信息公开行政复议、行政诉讼情况", "appeals"), ("五、因政府信息公开申请行政复议、提起行政诉讼的情况", "appeals"),
    ("五、存在的主要问题及改进情况", "problems"), ("六、主要问题和改进措施", "problems"), ("六、其他需要报告的事项", "other"),
    ("七、平潭综合实验区政府信息公开情况统计表", "other"), ("总体情况", "overview"), ("其他需要报告的事项", "other"),
])
def test_headings_map_to_labels(line, label):
    h = is_heading_line(line)
    assert h is not None and h.label == label


@pytest.mark.parametrize("text,title", [
    ("一、总体情况2019年，在省政府办公厅的指导下", "总体情况"),
    ("五、存在的主要问题及改进情况（一）存在的主要问题:政策解读", "存在的主要问题及改进情况"),
    ("一、政府信息公开工作总体情况调整了政务公开工作领导小组", "政府信息公开工作总体情况"),
    ("六、其他需要报告的事项2021年，无收取信息处理费情况。", "其他需要报告的事项"),
])
def test_inline_heading_end(text, title):
    assert match_top(text, inline=True).title == title


def test_sentences_are_not_headings():
    assert is_heading_line("一是队伍建设有待加强，专业素质还需进一步提高。") is None
    assert is_heading_line("无其他需要报告的事项。") is None
    assert label_for_title("收到和处理政府信息公开申请情况") == "requests"


def test_segmenter_uses_domain_dictionary():
    from gongkai.segment import cut

    words = cut("依申请公开涉及三安全一稳定的行政规范性文件")
    assert "依申请公开" in words and "三安全一稳定" in words and "行政规范性文件" in words


def test_smoothing_follows_order_and_gives_probabilities():
    E = np.full((5, len(LABELS)), 1 / len(LABELS))
    E[0, LABELS.index("preamble")] = 0.9
    E = E / E.sum(axis=1, keepdims=True)
    E[4] = 0.03 / (len(LABELS) - 1)
    E[4, LABELS.index("problems")] = 0.97  # as strong as a heading
    path, post = decode(E)
    assert [LABELS[k] for k in path][0] == "preamble" and LABELS[path[-1]] == "problems"
    assert np.allclose(post.sum(axis=1), 1.0)
    assert path == sorted(path)


def test_train_evaluate_and_headings_removed(tmp_path):
    from gongkai.sections.classifier import SectionModel
    from gongkai.sections.corpus import load_docs
    from gongkai.sections.evaluate import evaluate_docs
    from gongkai.synth.writer import write_corpus

    write_corpus(tmp_path / "tr", 40, 1, formats=("txt",), hazards=False)
    write_corpus(tmp_path / "te", 10, 2, formats=("txt",), hazards=False)
    m = SectionModel().fit(list(load_docs([str(tmp_path / "tr")]).values()))
    te = load_docs([str(tmp_path / "te")])
    assert evaluate_docs(te, m)["char_accuracy"] >= 0.95
    assert evaluate_docs(te, m, drop_headings=True)["char_accuracy"] >= 0.85
    r = evaluate_docs(te, m)
    assert set(r["per_label"]) <= set(LABELS) and len(r["confusion"]) == len(r["labels"])


def test_model_hash_is_checked(tmp_path):
    from gongkai.sections.model import ModelError, load

    src = ROOT / "models" / "sections-default"
    dst = tmp_path / "m"
    shutil.copytree(src, dst)
    assert load(dst).card["sha256"]
    data = bytearray((dst / "model.npz").read_bytes())
    data[-10] ^= 0xFF
    (dst / "model.npz").write_bytes(bytes(data))
    with pytest.raises(ModelError):
        load(dst)


def test_model_file_holding_a_pickle_is_refused(tmp_path):
    """A model file must not be able to run code: object arrays are refused even when the hash matches."""
    import hashlib
    import io

    from gongkai.sections.model import ModelError, load

    buf = io.BytesIO()
    np.savez(buf, classes=np.array([{"x": 1}], dtype=object))
    dst = tmp_path / "evil"
    dst.mkdir()
    (dst / "model.npz").write_bytes(buf.getvalue())
    (dst / "card.json").write_text(json.dumps({"name": "evil", "sha256": hashlib.sha256(buf.getvalue()).hexdigest()}))
    with pytest.raises(ModelError):
        load(dst)


def test_packed_model_predicts_as_the_pipeline(tmp_path):
    """What ships (arrays, numpy only) gives the probabilities of the scikit-learn pipeline it was packed from."""
    from gongkai.sections.classifier import SectionModel, doc_rows
    from gongkai.sections.corpus import load_docs
    from gongkai.sections.packed import PackedModel, pack
    from gongkai.synth.writer import write_corpus

    write_corpus(tmp_path / "tr", 30, 3, formats=("txt",), hazards=False)
    write_corpus(tmp_path / "te", 6, 4, formats=("txt",), hazards=True)
    m = SectionModel().fit(list(load_docs([str(tmp_path / "tr")]).values()))
    packed = PackedModel(pack(m, m.seg_words, m.seg_freqs))
    rows = []
    for d in load_docs([str(tmp_path / "te")]).values():
        rows += doc_rows([t for t, _, _ in d], [h for _, _, h in d], drop_headings=True)[1]
    assert np.allclose(m.predict_proba_rows(rows), packed.predict_proba_rows(rows), atol=1e-6)
    (full, text), (pfull, ptext) = m.predict_views_rows(rows), packed.predict_views_rows(rows)
    assert np.allclose(full, pfull, atol=1e-6) and np.allclose(text, ptext, atol=1e-6)
    assert not np.allclose(full, text, atol=1e-3)  # the layout part counts


def test_packed_models_own_cut_gives_jiebas_words():
    """The packed model cuts text itself (jieba's no-HMM path, vectorised over all blocks at once, cached per
    block): the same word grams as the training pipeline's analyzer on report text, Latin runs, digits and
    punctuation included."""
    from pathlib import Path

    from gongkai.readers import read
    from gongkai.sections.analyzers import word_grams
    from gongkai.sections.model import load
    from gongkai.segment import tokenizer_from_words

    m = load(Path(__file__).resolve().parents[1] / "models" / "sections-default")
    texts = ["2023年，我局主动公开政府信息1,234条，其中通过“中国XX”网站发布12.5%；依申请公开办结率100%。",
             "（一）强化平台建设。依托政务新媒体（微信公众号gk_2023）发布信息 3 条 ABC123 x-y。", "", "，。 ", "a1b",
             "全角１２３和上标²、\u3000全角空格\r\n换行\t制表 ½"]
    texts += [b.text for f in sorted((Path(__file__).resolve().parents[1] / "corpora" / "samples").glob("*.txt"))
              for b in read(f).paragraphs]
    tokenizer = tokenizer_from_words(m.seg_words, m.seg_freqs)
    for t in texts:
        assert m.words(t) == word_grams(tokenizer, t), t


def test_a_full_block_cache_is_emptied_without_losing_the_blocks_of_the_call(monkeypatch):
    """The packed model keeps the words of up to CACHED_BLOCKS text blocks; a call that overflows it starts
    again with every block it needs (a block cut earlier and forgotten in the clearing raised KeyError)."""
    from pathlib import Path

    import gongkai.sections.packed as packed
    from gongkai.sections.model import load

    short, long = "主动公开政府信息，依申请公开。", "主动公开政府信息，依申请公开。行政复议，行政诉讼；存在的主要问题。"
    m = load(Path(__file__).resolve().parents[1] / "models" / "sections-default")
    first, whole = m.words(short), m.words(long)  # the cache as large as shipped
    m.clear_cache()
    m.words(short)
    monkeypatch.setattr(packed, "CACHED_BLOCKS", 3)
    assert m.words(long) == whole  # overflows the cache of 3 blocks
    assert m.words(short) == first


def test_vectorised_cut_gives_jiebas_words_over_any_dictionary():
    """:class:`DagCutter` over a dictionary with one-character words, words sharing prefixes, words longer than
    its exact integer keys and equal-probability paths: jieba's own ``lcut(block, HMM=False)`` for every block."""
    import random

    from gongkai.sections.wordcut import DagCutter
    from gongkai.segment import tokenizer_from_words

    rng = random.Random(7)
    alphabet = "政府信息公开年度报告工作情况主动依申请办理结果行政复议诉讼abc1"
    words = sorted({"".join(rng.choice(alphabet) for _ in range(rng.choice([1, 2, 2, 3, 4, 6, 9]))) for _ in range(300)})
    words += [alphabet * 2]  # longer than any packed key
    freqs = [rng.choice([1, 2, 5, 5, 30]) for _ in words]  # repeated frequencies make ties
    tok = tokenizer_from_words(words, freqs)
    cutter = DagCutter(words, freqs)
    blocks = ["".join(rng.choice(alphabet + "年月日") for _ in range(rng.randint(1, 60))) for _ in range(400)]
    blocks += [alphabet * 3, "abc1abc", "1", "年"]
    assert cutter.cut(blocks) == [tuple(tok.lcut(b, HMM=False)) for b in blocks]
    assert DagCutter(words, freqs).cut([]) == []


def test_shipped_model_card_size():
    card = json.loads((ROOT / "models" / "sections-default" / "card.json").read_text("utf-8"))
    assert card["size_bytes"] <= 10 * 1024 * 1024


def _loo() -> dict:
    card = json.loads((ROOT / "models" / "sections-default" / "card.json").read_text("utf-8"))
    return card["scores"]["real_reports_leave_one_out"]


@pytest.mark.parametrize("variant,floor", [
    ("with_headings", 0.98),
    ("headings_removed", 0.95),  # measured 0.9589 (0.9393 before zoning, the numbering-aware sequence model and the legacy generator)
    ("reparsed", 0.93),  # measured 0.9474 (0.9155 before)
    ("probes", 0.93),  # measured 0.9458 (0.9277 before)
])
def test_shipped_model_leave_one_report_out_figures(variant, floor):
    """Issue 18's acceptance, read from the card that training measured: each real report (a PDF and its
    own text copy together) scored by a model trained without it."""
    loo = _loo()
    assert loo["units"] >= 15
    assert loo["char_accuracy"][variant] >= floor


def test_least_confident_tenth_of_paragraphs_holds_most_errors():
    # measured 0.6923 (9 of 13) with the text view in the confidence; 0.3077 (4 of 13) without it
    assert _loo()["least_confident_10pct_catch_of_errors"] >= 0.40


def test_the_card_says_which_real_documents_went_in():
    card = json.loads((ROOT / "models" / "sections-default" / "card.json").read_text("utf-8"))
    assert "--real ../shared/realdocs" in card["command"] and "--loo" in card["command"]
    assert "pingtan-2024-pdf/pingtan-2024.pdf" in card["data"] and "weak labels" in card["data"]


@pytest.mark.slow
def test_leave_one_out_figures_are_reproduced(realdocs, tmp_path):
    """The card's figure for one held-out report, trained again by the same recipe."""
    from gongkai.sections.corpus import load_docs, weak_labels
    from gongkai.sections.real import leave_one_out, units_of
    from gongkai.synth.writer import write_corpus

    write_corpus(tmp_path, 600, 101, formats=("txt",), hazards=False)
    units = units_of(sorted(realdocs.glob("*/gold.json")))
    weak = weak_labels(sorted(str(p) for p in realdocs.glob("unlabelled/*/*.txt")))
    unit = "平潭综合实验区|2021"
    got = leave_one_out(units, load_docs([str(tmp_path)]), weak, 10.0, only=[unit])
    assert got["per_unit"][unit]["headings_removed"] == _loo()["per_unit"][unit]["headings_removed"]


def test_generated_reports_in_other_formats_train_as_the_readers_read_them(tmp_path):
    """``train --rendered``: a generated PDF, DOCX or HTML report is read through the readers and each paragraph
    read takes the label of most of its gold characters (issue 18: train on what the model meets)."""
    from gongkai.sections.corpus import load_docs
    from gongkai.synth.writer import write_corpus

    write_corpus(tmp_path, 4, 9, formats=("pdf", "html", "docx"), hazards=True)
    clean = load_docs([str(tmp_path)])
    read = load_docs([str(tmp_path)], rendered=True)
    assert read.keys() == clean.keys()
    for key, doc in read.items():
        gold = {t: lab for t, lab, _ in clean[key]}
        same = [t for t, _, _ in doc if t in gold]
        assert len(same) >= 0.8 * len(doc)  # most paragraphs read are the generator's own
        assert all(lab == gold[t] for t, lab, _ in doc if t in gold)
        assert sum(len(t) for t, _, _ in doc) >= 0.9 * sum(len(t) for t in gold)


def test_an_unreadable_generated_report_is_a_warning_not_a_failed_training(tmp_path, capsys):
    from gongkai.sections.corpus import load_docs
    from gongkai.synth.writer import write_corpus

    write_corpus(tmp_path, 2, 9, formats=("pdf",), hazards=False)
    broken = sorted(tmp_path.glob("*.pdf"))[0]
    broken.write_bytes(b"garbage")
    docs = load_docs([str(tmp_path)], rendered=True)
    assert len(docs) == 1
    assert capsys.readouterr().err.strip() == f"warning: {broken}: not a PDF (no %PDF header): corrupt or mislabelled file; not trained on"


def test_label_studio_and_doccano_imports(tmp_path):
    from gongkai.sections.corpus import import_doccano, import_labelstudio, load_docs, write_jsonl

    ls = [{"doc": "a", "index": 1, "text": "二、主动公开政府信息情况", "label": "proactive"},
          {"doc": "a", "index": 0, "text": "一、总体情况", "sentiment": "overview"},
          {"doc": "a", "index": 2, "text": "不相干", "label": "not-a-label"}]
    (tmp_path / "ls.json").write_text(json.dumps(ls, ensure_ascii=False), "utf-8")
    docs = import_labelstudio(tmp_path / "ls.json")
    assert [lab for _, lab, _ in docs["a"]] == ["overview", "proactive"]
    (tmp_path / "dc.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"text": "五、存在的主要问题及改进情况", "label": ["problems"], "doc": "b"}, {"text": "人手不足。", "label": ["problems"], "doc": "b"}]), "utf-8")
    d2 = import_doccano(tmp_path / "dc.jsonl")
    assert len(d2["b"]) == 2 and d2["b"][0][2] is True
    n = write_jsonl({**docs, **d2}, tmp_path / "out.jsonl")
    assert n == 4 and sum(len(v) for v in load_docs([str(tmp_path / "out.jsonl")]).values()) == 4


def test_weak_labels_from_headings(realdocs, tmp_path):
    from gongkai.sections.corpus import weak_labels

    docs = weak_labels([str(realdocs / "pingtan-2021-txt" / "page.txt")])
    labels = {lab for paras in docs.values() for _, lab, _ in paras}
    assert {"overview", "problems", "other"} <= labels


def test_evaluate_leave_one_report_out_from_the_command_line(realdocs, tmp_path):
    """`gongkai evaluate GOLD… --loo TRAIN`: one model per held-out report, three figures each."""
    import subprocess
    import sys

    from gongkai.synth.writer import write_corpus

    write_corpus(tmp_path / "train", 30, 5, formats=("txt",), hazards=False)
    gold = [str(realdocs / "pingtan-2022-txt" / "gold.json"), str(realdocs / "pingtan-2023-txt" / "gold.json")]
    res = subprocess.run([sys.executable, "-m", "gongkai.cli", "evaluate", *gold, "--loo", str(tmp_path / "train"), "--json"],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["units"] == 2 and set(out["per_unit"]) == {"平潭综合实验区|2022", "平潭综合实验区|2023"}
    for r in out["per_unit"].values():
        assert {"with_headings", "headings_removed", "reparsed", "probes"} <= set(r)
        assert r["reparsed_tables"] == ["appeals", "proactive", "requests"]


def test_units_of_one_paragraph_keep_their_section_unless_the_evidence_is_strong():
    """Between units of one paragraph the sequence model stays (UNIT_STAY): a weak contrary unit does not
    move it, a run of strong ones does."""
    import numpy as np

    from gongkai.sections.smoothing import K, decode

    def emissions(rows):
        E = np.full((len(rows), K), 0.02)
        for i, (k, p) in enumerate(rows):
            E[i, k] = p
        return E / E.sum(axis=1, keepdims=True)

    weak = emissions([(1, 0.9), (1, 0.9), (2, 0.3), (2, 0.3)])
    assert decode(weak, cont=[False, True, True, True])[0] == [1, 1, 1, 1]
    assert decode(weak)[0] == [1, 1, 2, 2]  # the same texts as paragraphs of their own
    strong = emissions([(0, 0.95), (0, 0.95), (1, 0.99), (1, 0.99), (1, 0.99)])
    assert decode(strong, cont=[False, True, True, True, True])[0] == [0, 0, 1, 1, 1]


def test_steps_into_paragraphs_that_restart_or_continue_the_numbering_are_learned_apart():
    from gongkai.sections.smoothing import CONTINUES, ORDINARY, RESTARTS, learned, step_kinds

    assert step_kinds(["（一）申请情况 本年度…", "(二)其他", "3、第三项", "1、加强领导", "12.5%的", "一、总体情况"]) == \
        [RESTARTS, CONTINUES, CONTINUES, ORDINARY, ORDINARY, ORDINARY]
    # every section opens with （一） and goes on with （二）: restarts move on, continuations stay
    seqs = [([1, 1, 2, 2, 3, 3], 1.0, [0, 2, 1, 2, 1, 2])] * 50
    T, _, by_kind = learned(seqs)
    assert by_kind[RESTARTS][1, 2] > 0.7 > 0.1 > T[1, 2]
    assert by_kind[CONTINUES][1, 1] > 0.9 and by_kind.shape == (3, len(T), len(T))
    assert (by_kind[ORDINARY] == T).all()


def test_confidence_flags_a_label_the_paragraph_itself_does_not_support():
    import numpy as np

    from gongkai.sections.tagger import confidence

    post = np.array([[0.99, 0.01], [0.99, 0.01]])
    own = np.array([[0.95, 0.05], [0.10, 0.90]])  # the second paragraph's own words say otherwise
    c = confidence(post, own, [0, 0])
    assert c[0] > 0.9 > 0.5 > c[1]
    calibrated = confidence(post, own, [0, 0], calibration=np.array([1.0, -2.0]))  # a model that is right less often
    assert calibrated[0] < c[0] and calibrated[1] < c[1]


def test_confidence_flags_a_label_that_only_the_layout_supports():
    """The legacy key-area items of a held-out real report: posterior 1.0, the classifier 0.8 for the overview
    (long and early paragraphs), their words alone 0.02.  The text view brings such a label down."""
    import numpy as np

    from gongkai.sections.tagger import confidence

    post = np.array([[1.0, 0.0], [1.0, 0.0]])
    own = np.array([[0.8, 0.2], [0.8, 0.2]])
    text = np.array([[0.9, 0.1], [0.02, 0.98]])
    c = confidence(post, own, [0, 0], text=text)
    assert c[0] > 0.85 and c[1] < 0.3
    assert confidence(post, own, [0, 0])[1] > 0.85  # without the text view: no doubt


def test_platt_scaling_from_held_out_predictions():
    from gongkai.sections.real import platt

    cols = ["unit", "folder", "paragraph", "gold", "predicted", "confidence", "chars"]
    rows = [["u", "f", i, "overview", "overview" if i % 4 else "problems", 0.5 + 0.45 * (i % 4 > 0), 10] for i in range(40)]
    a, b = platt({"columns": cols, "rows": rows})
    assert a > 0
    assert platt({"columns": cols, "rows": [r[:4] + ["overview"] + r[5:] for r in rows]}) is None  # nothing wrong: nothing to fit
