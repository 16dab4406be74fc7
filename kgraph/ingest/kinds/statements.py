"""Statements: a company speaking for itself ("said in a statement", "a spokesperson said", "denied", "told X that").

Reported speech only attributes a claim ("the statement said", "according to Reuters"): the speaker must be an
organisation, not a news outlet, and a government body only when it answers or opposes ("the ministry firmly
opposed the rules"). A statement that only carries news read as a fact of its own ("said in a statement that it
raised $1bn") attributes that news; its word on an event (an answer, a denial, a view, its plans) is a statement,
and so is what it says a headwind that hits it means for it, even in plain words ("X said the curbs would not hurt
its results").
"""

from __future__ import annotations

import re

from kgraph.ingest import lexicon
from kgraph.ingest.context import ArticleContext, Line
from kgraph.ingest.draft import Draft
from kgraph.ingest.mentions import Mention, government

_NOT_SUBJECT_BEFORE = re.compile(
    r"\b(?:by|to|with|from|than|of|for|against|about|on|at|in)\s+(?:the\s+)?$", re.IGNORECASE
)
_NEWS = ("funding", "financial_result", "product_launch", "partnership")
_SAID = re.compile(r"\b(?:said|says|warned|told investors)\b")
#: Responses that are a decision when a government body makes them ("regulators rejected the deal").
_DECISION = re.compile(r"reject|dismiss|in response", re.IGNORECASE)
#: "A spokesperson for X": X speaks, though a preposition comes before it.
_SPOKESPERSON_FOR = re.compile(r"\bspokes(?:person|man|woman) (?:for|at|from) (?:the )?$", re.IGNORECASE)
_REFERENCE = re.compile(
    r"\b(?:it|the (?:[\w-]+ ){0,2}?(?:company|firm|group|start-up|startup|chipmaker))\b", re.IGNORECASE
)


def read(context: ArticleContext, line: Line) -> list[Draft]:
    """The statement a sentence reports, by the organisation that made it."""
    text = line.text
    response = lexicon.RESPONSE.search(text)
    cue = response or lexicon.STATEMENT.search(text) or _view_of_headwind(context, line)
    if not cue or lexicon.NO_COMMENT.search(text):
        return []  # "a spokesperson declined to comment": no statement
    if (response is None or response.group().startswith("told")) and _attributes_news(line):
        return []  # "X said in a statement that it raised...": the statement attributes the fact
    governments = response is not None and not _DECISION.match(response.group())
    speaker, from_context = _speaker(context, line, cue, governments=governments)
    if speaker is None:
        return []
    responds = "layoff" if lexicon.IN_RESPONSE_TO_LAYOFFS.search(text) else None
    draft = context.draft("statement", speaker, responds_to=responds, confidence=0.75 - 0.1 * from_context)
    if draft.date is None:
        draft.date = context.date_in(text)
    context.mark(speaker, "company")
    return [draft]


def _view_of_headwind(context: ArticleContext, line: Line) -> re.Match[str] | None:
    """ "Tensor Labs said the rules would not have a material impact on it": a company's view of what a headwind
    means for it, the company being one the headwind hits."""
    said = _SAID.search(line.text)
    if said is None:
        return None
    hit = {d.object for d in line.read if d.kind == "headwind_affects"}
    before = [m for m in line.mentions if m.end <= said.start()]
    if not before or line.text[before[-1].end : said.start()].strip() or context.canonical(before[-1]) not in hit:
        return None
    return said


def _attributes_news(line: Line) -> bool:
    """Whether what the statement says is news read as a fact of its own (a round, a result, a launch, a deal, the
    size of a layoff); its view of an event ("the layoffs were a normal adjustment") is not."""
    return any(d.kind in _NEWS or (d.kind == "layoff" and (d.headcount or d.share)) for d in line.read)


def _speaker(context: ArticleContext, line: Line, cue: re.Match[str], *, governments: bool) -> tuple[str | None, bool]:
    """Who speaks: the organisation just before the cue or opening the sentence, the one right after an opening cue
    ("In a statement, X said"), else the company "it" or "the company" refers to. A government body speaks only when
    it answers or opposes (``governments``): its announcements are news, not statements."""
    text = line.text
    speakers = [
        m
        for m in line.mentions
        if _may_speak(context, m, text, governments=governments)
        and (
            not _NOT_SUBJECT_BEFORE.search(text[max(0, m.start - 12) : m.start])
            or _SPOKESPERSON_FOR.search(text[max(0, m.start - 30) : m.start])
        )
    ]
    before = [m for m in speakers if m.end <= cue.start()]
    if before and re.fullmatch(r"\s*(?:[\w-]+\s+){0,3}?", text[before[-1].end : cue.start()]):
        return context.canonical(before[-1]), False
    if before and before[0] == line.mentions[0] and not text[: before[0].start].strip():
        return context.canonical(before[0]), False  # "01.AI, the company started by Kai-Fu Lee, put out a statement"
    after = next((m for m in speakers if cue.end() <= m.start <= cue.end() + 60), None)
    if after is not None and not _REFERENCE.search(text[cue.end() : after.start]):
        return context.canonical(after), False
    near = text[max(0, cue.start() - 40) : cue.start()] + " " + text[cue.end() : cue.end() + 25]
    reference = _REFERENCE.search(near)
    if reference and not re.search(r"\b(?:he|she|they)\b", near, re.IGNORECASE):
        return context.referent(reference.group()), True
    return None, True


def _may_speak(context: ArticleContext, mention: Mention, text: str, *, governments: bool) -> bool:
    return context.is_org(mention, text) and (governments or not government(mention))
