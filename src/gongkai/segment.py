"""Chinese word segmentation: jieba with the project's domain dictionary.

``cut(text)`` returns the words.  jieba is loaded once per process with
``userdict.txt`` (政务公开, 依申请公开, 三安全一稳定, 行政规范性文件, 政务新媒体 …).  Where
the Rust port ``rjieba`` is installed and ``GONGKAI_SEGMENTER=rjieba`` is set, it is
used as the fast path (same dictionary format; it has no user dictionary, so the
domain words may be split).

``spacy_pipeline()`` gives a ``spacy.blank("zh")`` pipeline whose tokenizer is this
segmenter, for stages that want spaCy Docs (needs the optional ``spacy`` extra).
"""
from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    tok = jieba.Tokenizer()
    tok.initialize()
    with resources.as_file(resources.files(__package__).joinpath("userdict.txt")) as p:
        tok.load_userdict(str(p))
    return tok


@lru_cache(maxsize=1)
def _backend():
    if os.environ.get("GONGKAI_SEGMENTER") == "rjieba":
        try:
            import rjieba

            return rjieba.cut
        except ImportError:
            pass
    tok = _jieba()
    return lambda s: tok.lcut(s, HMM=False)


def cut(text: str) -> list[str]:
    """Words of ``text`` (whitespace dropped)."""
    return [w for w in _backend()(text) if w.strip()]


def tokens_for_tfidf(text: str) -> list[str]:
    """The analyzer the section classifier uses: words, numbers folded to ``0``."""
    out = []
    for w in cut(text):
        if w.isdigit():
            out.append("0")
        elif len(w) > 1 or "\u4e00" <= w <= "\u9fff":
            out.append(w)
    return out


def spacy_pipeline():
    """A blank Chinese spaCy pipeline tokenised by :func:`cut`."""
    import spacy
    from spacy.tokens import Doc

    nlp = spacy.blank("zh")

    class _Tokenizer:
        def __init__(self, vocab):
            self.vocab = vocab

        def __call__(self, text):
            words = _backend()(text)
            words = [w for w in words if w]
            return Doc(self.vocab, words=words, spaces=[False] * len(words))

    nlp.tokenizer = _Tokenizer(nlp.vocab)
    return nlp
