"""Sequence smoothing over the order of sections (constrained forward-backward).

Sections follow the order of ``LABELS``.  A report may skip sections, and
rarely goes back; the transition matrix says so.  A model trained by ``SectionModel.fit`` carries its
own matrix, counted from its labelled documents (:func:`learned`, the hand-set one as a prior); the
hand-set one serves a model without.  Detected headings are strong
evidence: their emission is clamped to their label.  The posterior marginals are
the confidences; the Viterbi path is the labelling.
"""
from __future__ import annotations

import re

import numpy as np

from . import LABELS

K = len(LABELS)


def transition_matrix(stay: float = 0.90, back: float = 0.002) -> np.ndarray:
    T = np.zeros((K, K))
    for i in range(K):
        for j in range(K):
            if j == i:
                T[i, j] = stay
            elif j > i:
                T[i, j] = (1 - stay) * (0.6 ** (j - i - 1))
            else:
                T[i, j] = back
        T[i] /= T[i].sum()
    return T


START = np.array([0.80, 0.12, 0.03, 0.02, 0.005, 0.005, 0.01, 0.01])
_T = transition_matrix()
# Into a numbered top-level heading any section may follow: legacy reports order their sections their own
# way (审批事项 between requests and appeals, 工作人员及支出 last), and the heading's own words decide.
_T_FREE = np.full((K, K), 1.0 / K)


# The numbering of sub-headings says where sections start and go on: a paragraph that opens it again (（一）)
# often opens a section whose heading is missing; one that goes on with it (（二）, 3、) stays in the section
# of the paragraphs it continues.  Steps into each kind of paragraph have their own learned matrix.
RESTART = re.compile(r"^\s*[（(]一[）)]")
CONTINUE = re.compile(r"^\s*(?:[（(][二三四五六七八九十]{1,2}[）)]|(?:[2-9]|1\d)\s*[、.．](?!\d))")
ORDINARY, RESTARTS, CONTINUES = 0, 1, 2


def step_kinds(texts: list[str]) -> list[int]:
    """For each paragraph: whether it restarts the sub-heading numbering, continues it, or neither."""
    return [RESTARTS if RESTART.match(t) else CONTINUES if CONTINUE.match(t) else ORDINARY for t in texts]


def learned(label_sequences: list[tuple[list[int], float, list[int]]],
            prior_weight: float = 20.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Transition and start probabilities counted from labelled documents (``(label indices, weight,
    step kinds)``), each row smoothed with ``prior_weight`` paragraphs' worth of the hand-set matrix: the
    matrix of ordinary steps, the start, and one matrix per kind of step (:func:`step_kinds`; 3 x K x K)."""
    counts = np.zeros((3, K, K))
    starts = np.zeros(K)
    for seq, w, kinds in label_sequences:
        if seq:
            starts[seq[0]] += w
        for t in range(1, len(seq)):
            counts[kinds[t], seq[t - 1], seq[t]] += w
    T = counts + prior_weight * _T
    T /= T.sum(axis=2, keepdims=True)
    start = starts + prior_weight * START
    return T[ORDINARY], start / start.sum(), T


# Between two units of one paragraph (:mod:`gongkai.sections.units`) the section rarely changes: the
# paragraph's own break is evidence too.  Such a step stays with this probability on top of the usual matrix.
UNIT_STAY = 0.995


def decode(emissions: np.ndarray, free: list[bool] | None = None, transitions: np.ndarray | None = None,
           start: np.ndarray | None = None, cont: list[bool] | None = None, kinds: list[int] | None = None,
           by_kind: np.ndarray | None = None) -> tuple[list[int], np.ndarray]:
    """Return the Viterbi path and the posterior marginals for ``emissions`` (n x K probabilities);
    ``free[t]`` lets any section follow into paragraph ``t`` (a numbered top-level heading);
    ``transitions``/``start`` (a model's, learned from labelled documents) replace the hand-set ones;
    ``cont[t]`` says that unit ``t`` continues the paragraph of unit ``t - 1`` (:data:`UNIT_STAY`);
    ``kinds[t]`` whether paragraph ``t`` restarts or continues the numbering (:func:`step_kinds`), whose
    steps follow ``by_kind[kinds[t]]`` (a model's, learned)."""
    n = emissions.shape[0]
    if n == 0:
        return [], np.zeros((0, K))
    free = free or [False] * n
    T = transitions if transitions is not None else _T
    T_in = UNIT_STAY * np.eye(K) + (1 - UNIT_STAY) * T
    mats = list(by_kind) if by_kind is not None else [T, T, T]
    cont = cont or [False] * n
    kinds = kinds or [ORDINARY] * n
    steps = [_T_FREE if free[t] else T_in if cont[t] else mats[kinds[t]] for t in range(n)]
    logs = {id(m): np.log(m) for m in (_T_FREE, T_in, T, *mats)}
    first = start if start is not None else START
    E = np.clip(emissions, 1e-9, 1.0)
    logE = np.log(E)
    # Viterbi
    delta = np.log(first) + logE[0]
    back = np.zeros((n, K), dtype=int)
    for t in range(1, n):
        scores = delta[:, None] + logs[id(steps[t])]
        back[t] = scores.argmax(axis=0)
        delta = scores.max(axis=0) + logE[t]
    path = [int(delta.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    path.reverse()
    # forward-backward (scaled)
    alpha = np.zeros((n, K))
    a = first * E[0]
    alpha[0] = a / a.sum()
    for t in range(1, n):
        a = (alpha[t - 1] @ steps[t]) * E[t]
        alpha[t] = a / a.sum()
    beta = np.ones((n, K))
    for t in range(n - 2, -1, -1):
        b = steps[t + 1] @ (E[t + 1] * beta[t + 1])
        beta[t] = b / b.sum()
    post = alpha * beta
    post /= post.sum(axis=1, keepdims=True)
    return path, post
