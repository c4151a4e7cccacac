"""Section tagging: every paragraph gets one label of REPORTS.md.

``headings`` detects headings and maps them to labels; ``segment`` wraps jieba;
``classifier`` is the scikit-learn model; ``smoothing`` runs the constrained
Viterbi pass over the order of sections; ``tagger`` puts them together.
"""

LABELS = ["preamble", "overview", "proactive", "requests", "fees", "appeals", "problems", "other"]
