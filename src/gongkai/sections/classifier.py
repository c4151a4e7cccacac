"""The section classifier: a scikit-learn ``Pipeline`` over paragraphs.

Features: word n-grams (1–2) from jieba over the model's own dictionary (the words the
training text uses, :func:`~.analyzers.model_dictionary`), character n-grams (1–3), both
TF-IDF with bounded vocabularies, plus layout features (position, length, digit
share, heading flags, the section of the heading above).  The estimator is a
multinomial logistic regression, whose probabilities feed the sequence smoothing
(:mod:`gongkai.sections.smoothing`).

``SectionModel.fit(docs, weights=…)`` takes documents as lists of ``(text, label, heading)``
and a weight per document (real reports count more than generated ones); it trains on each
document twice, once as written and once with every section heading removed, so that the model
does not lean on headings alone, and counts the transitions between the labels of consecutive
paragraphs for the sequence model.  What ships is
not this pipeline but its arrays (:mod:`gongkai.sections.packed`).
"""
from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from .analyzers import WordGrams, model_dictionary
from .features import in_label_order, layout_matrix, rows_for, text_of
from .headings import is_heading_line


class LayoutFeatures(BaseEstimator, TransformerMixin):
    """:func:`~.features.layout_matrix` as a scikit-learn transformer."""

    def fit(self, rows, y=None):
        return self

    def transform(self, rows):
        return layout_matrix(rows)


def build_pipeline(tokenizer, max_words: int = 20000, max_chars: int = 30000, C: float = 4.0) -> Pipeline:
    words = Pipeline([("text", FunctionTransformer(text_of)),
                      ("tfidf", TfidfVectorizer(analyzer=WordGrams(tokenizer), max_features=max_words,
                                                sublinear_tf=True, min_df=2, dtype=np.float32))])
    chars = Pipeline([("text", FunctionTransformer(text_of)),
                      ("tfidf", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), max_features=max_chars, sublinear_tf=True,
                                                min_df=2, dtype=np.float32))])
    feats = FeatureUnion([("words", words), ("chars", chars), ("layout", LayoutFeatures())])
    return Pipeline([("features", feats), ("clf", LogisticRegression(C=C, max_iter=2000))])


def doc_rows(texts: list[str], headings: list[bool], drop_headings: bool = False):
    """Rows for one document; with ``drop_headings`` the section headings are removed first."""
    hl = []
    keep = []
    for t, h in zip(texts, headings):
        hh = is_heading_line(t) if (h or len(t) <= 40) else None
        lab = hh.label if (hh is not None and hh.level == 1) else None
        if drop_headings and lab is not None:
            continue
        keep.append((t, h))
        hl.append(lab)
    return keep, rows_for([t for t, _ in keep], [h for _, h in keep], hl)


class SectionModel:
    """Wraps the pipeline with the document-level feature construction."""

    def __init__(self, **params) -> None:
        self.segmenter = "jieba"
        self.params = params
        self.pipeline: Pipeline | None = None
        self.seg_words: list[str] = []
        self.seg_freqs: list[int] = []
        self.card: dict = {}
        self.transitions: np.ndarray | None = None  # learned by fit from the documents' label sequences
        self.start: np.ndarray | None = None
        self.transitions_by_step: np.ndarray | None = None  # per kind of step (numbering restarted, continued, neither)
        self.calibration: np.ndarray | None = None  # Platt (a, b) from held-out real reports (train --loo)

    def fit(self, docs: list[list[tuple[str, str, bool]]], augment: bool = True,
            weights: list[float] | None = None, generated: list[bool] | None = None) -> SectionModel:
        """Fit on documents of ``(text, label, heading)``; ``weights`` (one per document) weigh their
        paragraphs (real reports count more than generated ones); ``generated`` (one per document) marks
        the generated reports, whose positions do not train the position features."""
        from ..segment import tokenizer_from_words
        from . import LABELS
        from .smoothing import learned, step_kinds

        X, y, w = [], [], []
        sequences = []
        for k, doc in enumerate(docs):
            for drop in ((False, True) if augment else (False,)):
                texts = [t for t, _, _ in doc]
                heads = [h for _, _, h in doc]
                labels = [lab for _, lab, _ in doc]
                keep, rows = doc_rows(texts, heads, drop)
                if generated and generated[k]:
                    rows = [dict(r, generated=True) for r in rows]
                # map the kept paragraphs back to their labels (same order)
                j = 0
                kept_labels = []
                for t, lab in zip(texts, labels):
                    if j < len(keep) and keep[j][0] == t:
                        kept_labels.append(lab)
                        j += 1
                X.extend(rows)
                y.extend(kept_labels)
                w.extend([weights[k] if weights else 1.0] * len(rows))
                if drop or not augment:  # the sequence as the tagger meets it where headings are missing
                    sequences.append(([LABELS.index(lab) for lab in kept_labels], weights[k] if weights else 1.0,
                                      step_kinds([t for t, _ in keep])))
        params = dict(self.params)
        if params.pop("learn_transitions", True):
            self.transitions, self.start, self.transitions_by_step = learned(sequences)
        self.seg_words, self.seg_freqs = model_dictionary(text_of(X))
        self.pipeline = build_pipeline(tokenizer_from_words(self.seg_words, self.seg_freqs), **params)
        self.pipeline.fit(X, y, clf__sample_weight=np.asarray(w))
        return self

    @property
    def classes_(self) -> list[str]:
        assert self.pipeline is not None, "fit first"
        return list(self.pipeline.named_steps["clf"].classes_)

    def predict_proba_rows(self, rows: list[dict]) -> np.ndarray:
        assert self.pipeline is not None, "fit first"
        return in_label_order(self.pipeline.predict_proba(rows), self.classes_)

    def predict_views_rows(self, rows: list[dict]) -> tuple[np.ndarray, np.ndarray]:
        """The label probabilities and the text view's: the score with its layout part left out (as
        :meth:`~.packed.PackedModel.predict_views_rows`)."""
        assert self.pipeline is not None, "fit first"
        feats = self.pipeline.named_steps["features"]
        clf = self.pipeline.named_steps["clf"]
        X = feats.transform(rows)
        width = dict(feats.transformer_list)["layout"].transform(rows[:1]).shape[1]
        coef = clf.coef_.copy()
        coef[:, -width:] = 0.0  # the layout block is the union's last
        z = np.asarray(X @ coef.T) + clf.intercept_
        z -= z.max(axis=1, keepdims=True)
        text = np.exp(z)
        text /= text.sum(axis=1, keepdims=True)
        return in_label_order(clf.predict_proba(X), self.classes_), in_label_order(text, self.classes_)

    def predict_views(self, paras, heading_labels) -> tuple[np.ndarray, np.ndarray]:
        rows = rows_for([p.text for p in paras], [p.heading for p in paras], heading_labels)
        return self.predict_views_rows(rows)
