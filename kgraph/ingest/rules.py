"""The default extractor: deterministic rules (regular expressions and small word lists) that run offline.

It reads an article sentence by sentence over one :class:`~kgraph.ingest.context.ArticleContext`, which keeps track
of the company, product and industry being written about (so that "the company" or "the model" can be resolved).
One reader per fact kind (:mod:`kgraph.ingest.kinds`) proposes facts, merging what later sentences add (the
investors of a round, a net loss after the revenue of the same period).
"""

from __future__ import annotations

import re

from kgraph.ingest import lexicon
from kgraph.ingest.article import Article
from kgraph.ingest.context import ArticleContext, Line
from kgraph.ingest.kinds import READERS, launches
from kgraph.ingest.mentions import Mention, government
from kgraph.ingest.proposal import Proposal
from kgraph.resolve import EntityIndex

#: Kinds whose subject is not what the next sentence's "the company" refers to.
_NOT_FOCUS = ("headwind_affects", "develops", "competition")
#: What may open a clause whose subject is the name that follows ("..., yet Inflection came near").
_CLAUSE_OPENING = re.compile(r"(?:[,;]\s+|\b(?:yet|but|while|when|because|so)\s+)$")
#: Words after which a name is an example, not what the sentence is about ("Businesses such as Slack...").
_EXAMPLES = re.compile(r"\b(?:such as|including|like|among them)\s+$", re.IGNORECASE)


class RuleBasedExtractor:
    """Proposes facts with regular expressions and word lists; needs the graph's names to recognise known entities."""

    name = "rules"

    def __init__(self, index: EntityIndex) -> None:
        self.index = index

    def extract(self, article: Article) -> Proposal:
        context = ArticleContext(self.index, article)
        lines = [Line(sentence, context.finder.find(sentence.text)) for sentence in article.sentences]
        context.learn_people(lines)
        context.learn_aliases(lines)
        context.learn_descriptions(lines)
        for line in lines:
            _read_line(context, line)
        launches.date_undated(context, lines)
        facts = [draft.proposed() for draft in context.drafts if draft.complete()]
        used = {name for draft in context.drafts if draft.complete() for name in draft.names()}
        hints = [hint for name, hint in context.hints.items() if name in used]
        return Proposal(facts=facts, entities=hints, extractor=self.name)


def _read_line(context: ArticleContext, line: Line) -> None:
    text = line.text
    industry = lexicon.INDUSTRIES.search(text)
    if industry:
        context.focus.industry = context.industry_name(industry.group("name"))
    for read in READERS:
        line.read.extend(read(context, line))
    touched = line.read
    for draft in touched:
        draft.cite(line.sentence)
    _update_focus(context, line, [d.subject for d in touched if d.kind not in _NOT_FOCUS])
    context.seen(line)


def _update_focus(context: ArticleContext, line: Line, subjects: list[str]) -> None:
    """What "the company" refers to after this sentence: the subject of its facts, else the company it opens with,
    the company a description refers to ("The chipmaker responded") or the subject of a clause."""
    text, mentions = line.text, line.mentions
    if subjects:
        context.focus.company = subjects[0]
    else:
        opener = next(
            (
                m
                for m in mentions
                if m.start < 25
                and context.is_org(m, text)
                and not government(m)
                and not _EXAMPLES.search(text[: m.start])
                and not context.describes_another(line, m)
                and not re.search(
                    r"\b(?:by|of|from|with|to|for|at|after|before|than|like|against)\s+$", text[: m.start]
                )
            ),
            None,
        )
        reference = lexicon.COMPANY_REFERENCES.match(text)
        if opener is not None and not reference:
            context.focus.company = context.canonical(opener)
        elif reference:
            context.focus.company = context.referent(reference.group(1))  # "The chipmaker itself responded"
        if opener is None:
            subject = next((m for m in mentions if _in_subject_position(context, line, m)), None)
            if subject is not None:
                context.focus.company = context.canonical(subject)  # "..., yet Inflection came near to doing it"
    if context.focus.company is None:
        first = next((m for m in mentions if context.is_org(m, text) and not government(m)), None)
        if first is not None:
            context.focus.company = context.canonical(first)


def _in_subject_position(context: ArticleContext, line: Line, mention: Mention) -> bool:
    """Whether an organisation's name is the subject of a clause: after a clause break, before a verb."""
    text = line.text
    if not context.is_org(mention, text) or government(mention) or mention.possessive:
        return False
    before = text[max(0, mention.start - 12) : mention.start]
    opens = not text[: mention.start].strip() or bool(_CLAUSE_OPENING.search(before))
    return opens and bool(
        re.match(
            r"\s+(?:has |had |is |was |also )?[a-z]+ed\b|\s+"
            r"(?:says|said|came|went|made|took|saw|won|lost|built)\b",
            text[mention.end :],
        )
    )
