"""The standard statistical tables (REPORTS.md): what they are, reading them, checking them.

``templates.json`` is the template spec, loaded by ``spec``: per table its rows and columns
(keys and label patterns), templates, official printed layout and consistency rules; every
table consumer reads it there.  ``model`` is the one typed :class:`~.model.Table` and its
adapter to the output JSON; ``records`` turns table blocks (grids or glued text) into labelled
records; ``glued`` splits digit runs under the rules; ``extract`` assembles the tables;
``checks`` runs the rules.  Cells are read as numbers by :mod:`gongkai.numbers`.
"""
