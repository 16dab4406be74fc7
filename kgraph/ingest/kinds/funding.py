"""Funding rounds: who raised how much, from which investors, at what valuation, in which round."""

from __future__ import annotations

import re

from kgraph.factsheet.models import Amount
from kgraph.ingest import lexicon
from kgraph.ingest.context import ArticleContext, Line
from kgraph.ingest.draft import Draft
from kgraph.ingest.quantities import find_money

_INVEST = re.compile(
    r"\b(?:invest(?:s|ed|ing)?|(?:an? )?(?:\w+ )?investment of)\s+(?:up to\s+|about\s+|more than\s+|nearly\s+)?"
)
_RAISED = re.compile(r"\b(?:rais(?:ed|es|ing)|secur(?:ed|es|ing)|clos(?:ed|es|ing))\b")


def read(context: ArticleContext, line: Line) -> list[Draft]:
    """The funding round a sentence reports or adds investors, a valuation or a round name to."""
    text, mentions = line.text, line.mentions
    money = find_money(text)
    invest = _INVEST.search(text)
    raised = _RAISED.search(text)
    round_name = lexicon.ROUND.search(text)
    subject: str | None = None
    investors: list[str] = []
    amount = None
    from_context = False
    if invest and money and any(m.start >= invest.start() for m in money):
        spent = next(m for m in money if m.start >= invest.start())
        target = re.match(r"\s+in\s+", text[spent.end :])
        recipient = next((m for m in mentions if target and m.start == spent.end + target.end()), None)
        if recipient is not None:
            subject = context.canonical(recipient)
            investor, _ = context.subject_before(line, invest.start())
            investors = [investor] if investor else []
            amount = Amount(value=spent.value, currency=spent.currency)
    elif raised and money and any(m.start > raised.end() for m in money):
        spent = next(m for m in money if m.start > raised.end())
        if spent.start - raised.end() < 30:
            subject, from_context = context.subject_before(line, raised.start())
            amount = Amount(value=spent.value, currency=spent.currency)
    cue = lexicon.INVESTORS_CUE.search(text)
    if cue:
        if re.match(r"(also )?(took|take|takes) part|particip|joined|led the", cue.group(), re.I):
            named = [m for m in mentions if m.end <= cue.start() and context.is_org(m, text)][:1]
        else:
            named = context.list_after(line, cue.end())
        investors += [context.canonical(m) for m in named if context.is_org(m, text) or not m.known]
    valuation = None
    if (valued := lexicon.VALUATION.search(text)) is not None:
        worth = next((m for m in money if m.start >= valued.start()), None)
        if worth is not None:
            valuation = Amount(value=worth.value, currency=worth.currency)
    if subject is None:
        if not (investors or valuation) or context.focus.funded is None:
            return []
        subject = context.focus.funded
    investors = [name for name in dict.fromkeys(investors) if name != subject]
    draft = context.draft("funding", subject, confidence=0.85 - 0.1 * from_context)
    if amount is not None and draft.amount is None:
        draft.amount = amount
    if valuation is not None and draft.valuation is None:
        draft.valuation = valuation
    if round_name and draft.round is None:
        draft.round = round_name.group()
    for investor in investors:
        if investor not in draft.investors:
            draft.investors.append(investor)
        context.mark(investor, "company")
    if draft.date is None and amount is not None:
        draft.date = context.date_in(text)
    context.mark(subject, "company")
    context.focus.funded = subject
    return [draft]
