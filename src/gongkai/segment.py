"""Chinese word segmentation: jieba with the project's domain dictionary.

``cut(text)`` returns the words: jieba's full dictionary plus ``userdict.txt`` (政务公开, 依申请公开,
三安全一稳定, 行政规范性文件, 政务新媒体 …), loaded once per process on first use.

``tokenizer_from_words(words, freqs)`` is a jieba tokenizer over a given word list: the section model
ships the words its training text used and segments with them, so that tagging does not pay for
jieba's full dictionary (about a second) at start-up.

``spacy_pipeline()`` gives a ``spacy.blank("zh")`` pipeline whose tokenizer is this
segmenter, for stages that want spaCy Docs (needs the optional ``spacy`` extra).
"""
from __future__ import annotations

import io
import sys
from functools import lru_cache
from importlib import resources
from typing import Any


def _import_jieba() -> Any:
    """``import jieba`` without ``pkg_resources``: jieba's ``_compat`` imports it (90 ms, and deprecated)
    only to locate its own data files, and falls back to plain paths when it is missing."""
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes the import fail fast
    try:
        import jieba
    finally:
        if blocked:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(60)
    return jieba


@lru_cache(maxsize=1)
def _jieba() -> Any:
    jieba = _import_jieba()
    tok = jieba.Tokenizer()
    tok.initialize()
    with resources.as_file(resources.files(__package__).joinpath("userdict.txt")) as p:
        tok.load_userdict(str(p))
    return tok


def full_dictionary_freq(word: str) -> int:
    """The frequency of ``word`` in jieba's full dictionary with the domain words (0 when absent)."""
    return int(_jieba().FREQ.get(word, 0))


def tokenizer_from_words(words: list[str], freqs: list[int]) -> Any:
    """A jieba tokenizer whose dictionary is exactly ``words`` (with their frequencies)."""
    jieba = _import_jieba()
    tok = jieba.Tokenizer()
    data = "".join(f"{w} {max(int(f), 1)}\n" for w, f in zip(words, freqs)).encode("utf-8")
    tok.FREQ, tok.total = tok.gen_pfdict(io.BytesIO(data))
    tok.initialized = True
    return tok


def cut(text: str) -> list[str]:
    """Words of ``text`` (whitespace dropped)."""
    return [w for w in _jieba().lcut(text, HMM=False) if w.strip()]


def spacy_pipeline():
    """A blank Chinese spaCy pipeline tokenised by :func:`cut`."""
    import spacy
    from spacy.tokens import Doc

    nlp = spacy.blank("zh")

    class _Tokenizer:
        def __init__(self, vocab):
            self.vocab = vocab

        def __call__(self, text):
            words = cut(text)
            return Doc(self.vocab, words=words, spaces=[False] * len(words))

    nlp.tokenizer = _Tokenizer(nlp.vocab)
    return nlp
