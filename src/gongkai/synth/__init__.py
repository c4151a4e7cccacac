"""A generator of realistic reports with gold answers (``gongkai synth``).

``generate.make_report(rng, template)`` draws one report: agency, region, year,
paragraphs with their section labels, standard tables that satisfy the 勾稽
rules (or break one on purpose), and named items.  ``render`` writes it as PDF,
DOCX, HTML or text with the layout hazards real reports have; each report gets a
gold JSON in the format ``../shared/tools/score.py`` reads, plus the paragraph
labels.
"""
