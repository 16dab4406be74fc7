"""Partnerships: "X partnered with Y", "a partnership between X and Y"."""

from __future__ import annotations

import re

from kgraph.ingest import lexicon
from kgraph.ingest.context import ArticleContext, Line
from kgraph.ingest.draft import Draft

_ITS_PARTNER = re.compile(r",\s+(?:its|their)\s+(?:[\w-]+\s+)?partner\b", re.IGNORECASE)


def read(context: ArticleContext, line: Line) -> list[Draft]:
    """The partnership a sentence states."""
    text, mentions = line.text, line.mentions
    match = lexicon.PARTNERSHIP.search(text)
    if match and context.hedged(line, match.start()):
        return []  # "the two companies intend to work together later"
    if match:
        partner = next((m for m in mentions if m.start >= match.end() and context.is_org(m, text)), None)
        if partner is None or partner.start - match.end() > 30:
            return []
        subject, from_context = context.subject_before(line, match.start())
        other = context.canonical(partner)
        if subject is None or subject == other:
            return []
        context.mark(subject, "company")
        context.mark(other, "company")
        return [context.pair("partnership", subject, other, confidence=0.8 - 0.1 * from_context)]
    for mention in mentions:
        if _ITS_PARTNER.match(text, mention.end) and context.is_org(mention, text):
            subject, from_context = context.subject_before(line, mention.start)
            other = context.canonical(mention)
            if subject is not None and subject != other:  # "Google, its partner in other markets"
                return [context.pair("partnership", subject, other, confidence=0.7 - 0.1 * from_context)]
    between = lexicon.PARTNERSHIP_BETWEEN.search(text)
    if between:
        orgs = list(dict.fromkeys(context.canonical(m) for m in mentions if context.is_org(m, text)))
        if len(orgs) >= 2:
            return [context.pair("partnership", orgs[0], orgs[1], confidence=0.7)]
    return []
