"""Headwinds: export controls, sanctions, a recession... and the company or industry they weigh on."""

from __future__ import annotations

import re

from kgraph.ingest import lexicon
from kgraph.ingest.context import ArticleContext, Line
from kgraph.ingest.draft import Draft
from kgraph.ingest.mentions import Mention, government
from kgraph.ingest.quantities import find_percentages

_FELL = re.compile(
    r"\b(?:fell|fall|falls|dropped|drops|lost|loses|slid|slides|sank|sinks|slumped|tumbled|plunged|"
    r"gave up|shed|sheds|declined)\b",
    re.IGNORECASE,
)


def read(context: ArticleContext, line: Line) -> list[Draft]:
    """One draft per headwind and what it affects."""
    text = line.text
    if not lexicon.HEADWIND_PATTERN.search(text):
        return _referred(context, line) or _shares_fell(context, line)
    if not lexicon.IMPACT_CUES.search(text):
        named = lexicon.HEADWIND_PATTERN.search(text)
        context.focus.headwind = (_name(context, named) if named else None) or context.focus.headwind
        return []  # named, hitting no one yet: "the restrictions" in a later sentence refers to it
    drafts: list[Draft] = []
    for match in lexicon.HEADWIND_PATTERN.finditer(text):
        headwind = _name(context, match)
        if headwind is None:
            continue
        context.focus.headwind = headwind
        for affected in _affected(context, line, match):
            context.hint(headwind, type="Headwind")
            draft = context.draft("headwind_affects", headwind, object=affected, key=affected, confidence=0.7)
            if draft not in drafts:
                drafts.append(draft)
    return drafts


#: Words that refer back to the headwind named before ("the restrictions", "these curbs").
_REFERENCE = re.compile(
    r"\b(?:the|these|those|such) (?:new |latest |tighter |US |U\.S\. |American )?(?:restrictions|curbs|rules|"
    r"controls|measures|bans?|limits)\b",
    re.IGNORECASE,
)
_NAMED = re.compile(
    r"\bthe (?:companies|firms|entities|groups) (?:named|listed|added|affected|targeted) "
    r"(?:are|were|include|included)\s+",
    re.IGNORECASE,
)


def _referred(context: ArticleContext, line: Line) -> list[Draft]:
    """The headwind named before, referred to as "the restrictions" or "the new rules", and what it hits in this
    sentence: only an organisation the sentence names."""
    text = line.text
    reference = _REFERENCE.search(text)
    if context.focus.headwind is None or reference is None or not lexicon.IMPACT_CUES.search(text):
        return []
    orgs = [m for m in line.mentions if context.is_org(m, text) and not government(m)]
    if not orgs:
        return []
    return [
        context.draft("headwind_affects", context.focus.headwind, object=name, key=name, confidence=0.6)
        for name in _affected(context, line, reference)
    ]


def _shares_fell(context: ArticleContext, line: Line) -> list[Draft]:
    """After a headwind is named, the companies a later sentence lists as hit ("The companies named are A and B") or
    whose shares fell by some per cent ("Broadcom gave up roughly 7%")."""
    text = line.text
    if context.focus.headwind is None:
        return []
    named = _NAMED.search(text)
    if named:  # "The companies named are A, B, C and D."
        companies = [m for m in context.list_after(line, named.end()) if context.is_org(m, text)]
    elif _FELL.search(text) and find_percentages(text):
        companies = [m for m in line.mentions if context.is_org(m, text) and not government(m)]
    else:
        return []
    return [
        context.draft("headwind_affects", context.focus.headwind, object=name, key=name, confidence=0.5)
        for name in dict.fromkeys(context.canonical(m) for m in companies)
    ]


def _name(context: ArticleContext, match: re.Match[str]) -> str | None:
    phrase = match.group("phrase").lower()
    names = next(names for pattern, names in lexicon.HEADWINDS.items() if re.fullmatch(pattern, phrase))
    modifier = (match.group("modifier") or "").strip()
    tries = [f"{modifier} {phrase}", phrase, *names] if modifier else [phrase, *names]
    for name in tries:
        found = context.index.lookup(name, types=["Headwind"])
        if len(found) == 1:
            return found[0].label
    return names[0]


def _affected(context: ArticleContext, line: Line, match: re.Match[str]) -> list[str]:
    """What a headwind hits: the organisations named after it in its clause (a list: "shares of AMD, Micron and
    TSMC"), else the ones opening its clause, else the industry, else the company the article is about when the
    sentence refers to it ("its sales", "Chinese companies"); nothing when it names no one."""
    text = line.text
    orgs = [m for m in line.mentions if context.is_org(m, text) and not government(m) and not _inside(m, match)]
    after = [m for m in orgs if match.end() <= m.start < context.clause_end(line, match.end())]
    if after and not (after[0].possessive and after[0].start - match.end() > 40):
        listed = [m for m in context.list_after(line, after[0].start) if context.is_org(m, text)] or after[:1]
        return [context.canonical(m) for m in listed]
    clause = context.clause_start(line, match.start())
    before = [m for m in orgs if clause <= m.start and m.end <= match.start()]
    if before:  # the subject of its own clause: "..., and the rest went on Nvidia chips scaled back to comply with"
        listed = [m for m in context.list_after(line, before[0].start) if context.is_org(m, text)] or before[:1]
        return [context.canonical(m) for m in listed]
    if lexicon.INDUSTRY_REFERENCES.search(text) and context.focus.industry:
        return [context.focus.industry]
    industry = lexicon.INDUSTRIES.search(text)
    if industry:
        return [context.industry_name(industry.group("name"))]
    if context.focus.company and _REFERS_TO_COMPANY.search(text):
        return [context.focus.company]  # "the curbs will weigh on its sales"
    return []  # a headwind named in passing hits no one in particular


#: Words that take in the company the article is about: itself ("its sales", "the company") or its kind ("Chinese
#: companies", "the sector").
_REFERS_TO_COMPANY = re.compile(
    r"\b(?:it|its|the (?:[\w-]+ ){0,2}?(?:company|firm|group|start-up|startup|chipmaker|business)|"
    r"(?:[\w-]+ )?(?:companies|firms|developers|chipmakers)|the sector|the industry)\b",
    re.IGNORECASE,
)


def _inside(mention: Mention, match: re.Match[str]) -> bool:
    return mention.start < match.end() and match.start() < mention.end
