"""Funding rounds: who raised how much, from which investors, at what valuation, in which round."""

from __future__ import annotations

import re

from kgraph.factsheet.models import Amount
from kgraph.ingest import lexicon
from kgraph.ingest.context import ArticleContext, Line
from kgraph.ingest.draft import Draft
from kgraph.ingest.mentions import Mention, company_like
from kgraph.ingest.quantities import Money, find_money

_INVEST = re.compile(
    r"\b(?:invest(?:s|ed|ing)?|(?:an? )?(?:\w+ )?investment of|put(?:s|ting)?|pour(?:s|ed|ing)?|pump(?:s|ed|ing)?|"
    r"inject(?:s|ed|ing)?|plough(?:s|ed|ing)?)\s+(?:up to\s+|about\s+|more than\s+|nearly\s+|as much as\s+|"
    r"another\s+|an additional\s+)?"
)
_HELPED_RAISE = re.compile(r"\bhelp(?:s|ed|ing)?\s+")
_MONEY_INTO = re.compile(r"\b(?:put(?:s|ting)?|pour(?:s|ed|ing)?|pump(?:s|ed|ing)?)\s+(?:money|capital|cash)\s+into\s+")
_RAISED = re.compile(r"\b(?:rais(?:ed|es|ing)|secur(?:ed|es|ing)|clos(?:ed|es|ing))\b")
#: Verbs that report a round only when the sentence says it is one ("collected $6 billion in a Series B round").
_GOT = re.compile(
    r"\b(?:collect(?:ed|s|ing)|brought in|brings in|pulled in|land(?:ed|s)|receiv(?:ed|es)|attract(?:ed|s)|"
    r"bagged|netted|garnered|got|gets|won|obtained|complet(?:ed|es|ing))\b"
)
_ROUND_WORDS = re.compile(r"\b(?:round|funding|financing|fundraising)\b", re.IGNORECASE)
_ROUND_OF = re.compile(
    r"\b(?:funding|financing|investment) round (?:of|worth|totall?ing)\s+(?:about |around |some |nearly |more than )?",
    re.IGNORECASE,
)
#: An amount written as the size of a round: "the $300 million round", "a $1bn Series B financing".
_SIZED_ROUND = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}?(?:funding|financing|fundraising|investment)?\s*round\b|\s+(?:series|pre-series)\s+\w+",
    re.IGNORECASE,
)
#: Cues after which the investors were named before them ("Intel and IBM also took part").
_NAMED_BEFORE = re.compile(
    r"(?:also |both )?(?:took|take|takes|taking) part|particip|joined|led the|signed|agreed|commit|"
    r"were among|are among",
    re.IGNORECASE,
)


def read(context: ArticleContext, line: Line) -> list[Draft]:
    """The funding round a sentence reports or adds investors, a valuation or a round name to."""
    text = line.text
    money = find_money(text)
    round_name = lexicon.ROUND.search(text)
    subject: str | None = None
    investors: list[str] = []
    amount = None
    from_context = False
    invested = _invested(context, line, money)
    if invested is not None:
        subject, investors, spent = invested
        amount = Amount(value=spent.value, currency=spent.currency) if spent else None
    else:
        raised = _raised(text, money)
        if raised is not None:
            position, spent = raised
            subject, from_context = context.subject_before(line, position)
            amount = Amount(value=spent.value, currency=spent.currency) if spent else None
    cue = lexicon.INVESTORS_CUE.search(text)
    if cue and cue.group().lower() == "led by" and not (_ROUND_WORDS.search(text) or subject):
        cue = None  # "most of its staff, led by its founders": no round
    if cue:
        if _NAMED_BEFORE.match(cue.group()):
            named = context.list_before(line, cue.start())
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
    earlier = context.drafts_of("funding", subject)
    # another amount for the same company is another round ("put $16 million into Mistral in February")
    fresh = amount is not None and bool(earlier) and all(d.amount not in (None, amount) for d in earlier)
    draft = context.draft("funding", subject, fresh=fresh, confidence=0.85 - 0.1 * from_context)
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


def _invested(context: ArticleContext, line: Line, money: list[Money]) -> tuple[str, list[str], Money | None] | None:
    """ "Google will invest $2bn in Anthropic", "Alibaba is putting money into MiniMax", "Tencent helped MiniMax raise
    $600m": recipient, investor, amount."""
    text, mentions = line.text, line.mentions
    for invest in _INVEST.finditer(text):
        spent = next((m for m in money if 0 <= m.start - invest.end() < 12), None)
        if spent is None or context.hedged(line, invest.start()):
            continue
        target = re.match(r"\s+(?:in|into)\s+(?:the\s+)?", text[spent.end :])
        recipient = next((m for m in mentions if target and m.start == spent.end + target.end()), None)
        if recipient is not None and _fundable(context, recipient, text):
            investor, _ = context.subject_before(line, invest.start())
            return context.canonical(recipient), [investor] if investor else [], spent
    for helped in _HELPED_RAISE.finditer(text):  # "Tencent and Alibaba helped MiniMax raise $600 million"
        recipient = next((m for m in mentions if m.start == helped.end()), None)
        raise_verb = re.match(r"\s+(?:to\s+)?raise\b", text[recipient.end :]) if recipient else None
        if recipient is None or raise_verb is None or not _fundable(context, recipient, text):
            continue
        spent = next((m for m in money if 0 <= m.start - (recipient.end + raise_verb.end()) < 12), None)
        if context.hedged(line, helped.start()):
            continue
        listed = [m for m in context.list_before(line, helped.start(), reach=2) if context.is_org(m, text)]
        return context.canonical(recipient), [context.canonical(m) for m in listed], spent
    into = _MONEY_INTO.search(text)
    recipient = next((m for m in mentions if into and m.start == into.end()), None)
    if into and recipient is not None and _fundable(context, recipient, text):
        investor, _ = context.subject_before(line, into.start())
        return context.canonical(recipient), [investor] if investor else [], None
    return None


def _fundable(context: ArticleContext, mention: Mention, text: str) -> bool:
    """Whether money can go into ``mention``: an organisation, or an unknown name not used as a product's ("G42")."""
    if mention.known or company_like(mention):
        return context.is_org(mention, text)
    return context.kinds.get(context.canonical(mention)) != "product" and not context.is_person(mention)


def _raised(text: str, money: list[Money]) -> tuple[int, Money | None] | None:
    """Where a sentence says a round was raised ("raised $6bn", "closed a funding round"), and the amount."""
    for verb in [*_RAISED.finditer(text), *(_GOT.finditer(text) if _ROUND_WORDS.search(text) else [])]:
        spent = next((m for m in money if 0 < m.start - verb.end() < 30), None)
        if spent is not None:
            return verb.start(), spent
        if _RAISED.fullmatch(verb.group()) and _ROUND_WORDS.search(text[verb.end() : verb.end() + 40]):
            return verb.start(), None
    sized = next((m for m in money if _SIZED_ROUND.match(text, m.end)), None)
    if sized is not None:  # "is valued at $2bn after the $300m round"
        return sized.start, sized
    round_of = _ROUND_OF.search(text)
    spent = next((m for m in money if round_of and m.start == round_of.end()), None)
    if round_of and spent is not None:
        return round_of.start(), spent
    return None
