"""Layoffs: who cuts, how many (headcount or share), in which unit, how often, with what notice."""

from __future__ import annotations

import re

from kgraph.factsheet.models import PercentRange
from kgraph.ingest import lexicon
from kgraph.ingest.context import ArticleContext, Line
from kgraph.ingest.draft import Draft
from kgraph.ingest.quantities import find_headcounts, find_percentages

_NOTICE = re.compile(r"\bwithin (one|a|two|three|\d+) (day|week|month)s?\b", re.IGNORECASE)
_OTHERS = re.compile(r"\b(?:and|among) others\b|\bsuch as\b", re.IGNORECASE)
_NUMBER_WORDS = {"one": 1, "a": 1, "two": 2, "three": 3}


def read(context: ArticleContext, line: Line) -> list[Draft]:
    """The layoff a sentence reports or adds to."""
    text, mentions = line.text, line.mentions
    match = lexicon.LAYOFF.search(text)
    if not match:
        return []
    subject, from_context = context.subject_before(line, match.start())
    at = re.search(r"\b(?:at|by)\s+$", text[: match.end() + 4])
    if from_context or at:
        after = next(
            (m for m in mentions if m.start >= match.end() and text[match.end() : m.start].strip() in ("at", "by")),
            None,
        )
        if after is not None and context.is_org(after, text):
            subject, from_context = context.canonical(after), False
    unit = next((m for m in mentions if "BusinessUnit" in m.types), None)
    if unit is not None and unit.candidate is not None and subject == unit.candidate.label:
        subject = context.focus.company
    if subject is None or (not from_context and _OTHERS.search(text)):
        return []  # "Amazon, Google and others have announced job losses": the industry, not one company's cuts
    headcounts = find_headcounts(text)
    date = context.date_in(text)
    earlier = context.drafts_of("layoff", subject)
    existing = next((d for d in earlier if d.date is None or date is None or d.date == date), None)
    if existing is None and match.group().lower() in ("the cuts", "reduced by"):
        return []
    # another round at another time ("in January 2023 it eliminated 3,000 jobs") is a layoff of its own
    fresh = existing is None and bool(earlier) and bool(headcounts or find_percentages(text))
    draft = existing or context.draft("layoff", subject, fresh=fresh, confidence=0.85 if not from_context else 0.75)
    before = _details(draft) if existing is not None else (None,) * 6
    if headcounts and draft.headcount is None:
        draft.headcount = headcounts[0].value
    percents = [
        p for p in find_percentages(text) if not re.match(r"\s+of\s+(?:its|the company's)?\s*revenue", text[p.end :])
    ]
    if percents:
        share = PercentRange(min=percents[0].low, max=percents[0].high)
        if unit is not None and unit.candidate is not None:
            draft.unit = draft.unit or unit.candidate.label
        if draft.share is None:
            draft.share = share
    if lexicon.ESTIMATE_CUES.search(text) and percents:
        draft.estimate = True
    if lexicon.REPEAT_CUES.search(text):
        draft.repeat_round = True
    if (notice := _NOTICE.search(text)) and draft.notice_period is None:
        amount = _NUMBER_WORDS.get(notice.group(1).lower()) or int(notice.group(1))
        draft.notice_period = f"P{amount}{notice.group(2)[0].upper()}"
    if draft.date is None:
        draft.date = date
    context.mark(subject, "company")
    if (
        existing is not None
        and _details(draft) == before
        and (lexicon.STATEMENT.search(text) or lexicon.HEADWIND_PATTERN.search(text))
    ):
        return []  # a sentence about something else that only names the layoffs is not their evidence
    return [draft]


def _details(draft: Draft) -> tuple[object, ...]:
    return (draft.headcount, draft.share, draft.unit, draft.repeat_round, draft.notice_period, draft.date)
