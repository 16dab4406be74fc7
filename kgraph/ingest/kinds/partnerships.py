"""Partnerships: "X partnered with Y", "a partnership between X and Y", "X and Y formed a joint venture", "X picked Y
as its partner"."""

from __future__ import annotations

import re

from kgraph.ingest import lexicon
from kgraph.ingest.context import ArticleContext, Line
from kgraph.ingest.draft import Draft

_ITS_PARTNER = re.compile(
    r"(?:,|\s+as)\s+(?:its|their|a)\s+(?:[\w-]+\s+)?partner\b(?!s)", re.IGNORECASE
)  # "Google, its partner in other markets", "picked Nimbus as its partner"
#: A deal two companies made together: "A and B formed a joint venture".
_MADE_TOGETHER = re.compile(
    r"\b(?:formed|set up|established|created|signed|struck|inked|announced) (?:a |an )?(?:new )?(?:[\w-]+ )?"
    r"(?:joint venture|partnership|alliance|agreement|pact)\b(?!\s+with)",
    re.IGNORECASE,
)


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
    together = _MADE_TOGETHER.search(text)
    if together and not context.hedged(line, together.start()):
        pair = [m for m in context.list_before(line, together.start(), reach=20) if context.is_org(m, text)]
        if len(pair) == 2:
            return [context.pair("partnership", context.canonical(pair[0]), context.canonical(pair[1]), confidence=0.7)]
    between = lexicon.PARTNERSHIP_BETWEEN.search(text)
    if between:
        orgs = list(dict.fromkeys(context.canonical(m) for m in mentions if context.is_org(m, text)))
        if len(orgs) >= 2:
            return [context.pair("partnership", orgs[0], orgs[1], confidence=0.7)]
    return []
