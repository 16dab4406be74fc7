"""Statements: a company speaking for itself ("said in a statement", "a spokesperson said")."""

from __future__ import annotations

from kgraph.ingest import lexicon
from kgraph.ingest.context import ArticleContext, Line
from kgraph.ingest.draft import Draft


def read(context: ArticleContext, line: Line) -> list[Draft]:
    """The statement a sentence reports."""
    text = line.text
    match = lexicon.STATEMENT.search(text)
    if not match:
        return []
    subject, from_context = context.subject_before(line, match.start())
    if subject is None:
        return []
    responds = "layoff" if lexicon.IN_RESPONSE_TO_LAYOFFS.search(text) else None
    draft = context.draft("statement", subject, responds_to=responds, confidence=0.8 - 0.1 * from_context)
    if draft.date is None:
        draft.date = context.date_in(text)
    context.mark(subject, "company")
    return [draft]
