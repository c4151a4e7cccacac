"""gongkai: read Chinese government information disclosure annual reports into structured data.

The one entry point is :func:`gongkai.parse`, which reads a file and returns a
:class:`gongkai.schema.Report`.  Heavy libraries (pdfplumber, jieba, scikit-learn)
are imported lazily so that ``gongkai --help`` starts fast.
"""
from __future__ import annotations

__version__ = "0.2.0.dev0"

__all__ = ["parse", "__version__"]


def parse(path, **kwargs):
    """Parse one report file and return a :class:`gongkai.schema.Report`."""
    from .report import parse as _parse

    return _parse(path, **kwargs)
