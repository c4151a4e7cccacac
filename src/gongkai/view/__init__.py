"""Review pages: one self-contained HTML file per report, and an index for a batch.

``render_report(d)`` takes the report dict (OUTPUT.md) and returns HTML: the
paragraphs coloured by section with a legend and confidence, the three tables in
the official layout with every cell (blank cells marked, cells of failed checks
highlighted with the rule and both values), named items with their evidence
highlighted, and warnings at the top.  No network is needed to open a page.
"""
from .page import render_index, render_report

__all__ = ["render_report", "render_index"]
