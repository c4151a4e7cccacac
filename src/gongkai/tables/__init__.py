"""The three standard statistical tables (REPORTS.md): template detection, rows and
columns to canonical keys by their labels, numbers, glued digits, and the 勾稽 checks.

``labels.json`` holds the row and column labels of both templates; ``records``
turns table blocks (grids or glued text) into labelled records; ``numbers``
reads one cell; ``glued`` splits digit runs under the consistency rules;
``extract`` assembles the tables; ``checks`` verifies them.
"""
