"""Check a proposal against its article: quotes, names and figures must be in the text the facts claim to come from.

A language model can quote a sentence the article does not contain, name a company it never mentions, or put a
figure in a fact that its evidence does not state. :func:`ground` checks each fact:

- each evidence quote is found in the article, whitespace, quotation marks and dashes normalised; a found quote is
  anchored on the article's own characters, one that is not found is dropped;
- each entity name (subject, object, participants, investors, unit) is in the article, or one of the graph's names
  for the entity it resolves to is;
- each figure (amounts, year-on-year change, share, headcount, fiscal year, a date the text states) is in the
  fact's evidence.

What the proposal says about entities is kept only where the article says it too: an alias that the article does not
write is dropped (it would merge entities), and so is a developer or parent it does not name.

A fact that fails keeps its place but gets ``unverified``: the reasons, for the reviewer. Such a fact is never
applied as it is (see :mod:`kgraph.factsheet.check`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from kgraph.factsheet.models import Evidence
from kgraph.ingest.article import Article
from kgraph.ingest.dates import find_dates, publication_date
from kgraph.ingest.proposal import EntityHint, Proposal, ProposedFact
from kgraph.ingest.quantities import SCALES
from kgraph.resolve import EntityIndex

_SAME_CHARACTER = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'",
                                 "–": "-", "—": "-", "‐": "-", "\u00a0": " "})  # fmt: skip
_FIGURE = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*("
    + "|".join(sorted(SCALES, key=len, reverse=True))
    + r")?(?![a-z])",
    re.IGNORECASE,
)


class NormalisedText:
    """Text with runs of whitespace collapsed and quotation marks and dashes unified, mapped back to the original."""

    def __init__(self, text: str) -> None:
        characters: list[str] = []
        self.origin: list[int] = []  # position in ``text`` of each normalised character
        for position, character in enumerate(text.translate(_SAME_CHARACTER)):
            if character.isspace():
                if not characters or characters[-1] == " ":
                    continue
                character = " "
            characters.append(character.casefold() if len(character.casefold()) == 1 else character)
            self.origin.append(position)
        self.text = "".join(characters)

    def find(self, quote: str) -> tuple[int, int] | None:
        """The span of ``text`` that ``quote`` matches once both are normalised, or None."""
        needle = NormalisedText(quote.strip()).text.strip()
        if not needle:
            return None
        at = self.text.find(needle)
        if at < 0:
            return None
        return self.origin[at], self.origin[at + len(needle) - 1] + 1


def _figures(text: str) -> set[Decimal]:
    """Every number ``text`` states, scaled by a following "million", "bn"..., and unscaled too."""
    found: set[Decimal] = set()
    for match in _FIGURE.finditer(text):
        try:
            value = Decimal(match.group(1).replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
            continue
        found.add(value)
        if match.group(2):
            found.add(value * SCALES[match.group(2).lower()])
    return {value.normalize() for value in found}


def _names(fact: ProposedFact) -> Iterator[str]:
    yield fact.subject
    if fact.object:
        yield fact.object
    if fact.unit:
        yield fact.unit
    yield from fact.participants
    yield from fact.investors


def _claimed_figures(fact: ProposedFact) -> Iterator[tuple[str, Decimal]]:
    for measurement in fact.measurements:
        for amount in measurement.amounts:
            yield f"{measurement.metric} {amount.currency} {amount.value}", amount.value
        if measurement.yoy_change_percent is not None:
            yield f"a change of {measurement.yoy_change_percent}%", measurement.yoy_change_percent
    for what, given in (("amount", fact.amount), ("valuation", fact.valuation)):
        if given is not None:
            yield f"{what} {given.currency} {given.value}", given.value
    if fact.share is not None:
        yield f"share {fact.share.min}%", fact.share.min
        if fact.share.max != fact.share.min:
            yield f"share {fact.share.max}%", fact.share.max
    if fact.headcount is not None:
        yield f"headcount {fact.headcount}", Decimal(fact.headcount)
    if fact.period is not None and fact.period.fiscal_year is not None:
        yield f"fiscal year {fact.period.fiscal_year}", Decimal(fact.period.fiscal_year)


class Grounder:
    """Checks facts against one article and the graph's names."""

    def __init__(self, article: Article, index: EntityIndex | None = None) -> None:
        self.article = article
        self.index = index
        self.text = NormalisedText(article.text)

    def mentioned(self, name: str) -> bool:
        """Whether the article writes ``name``, or one of the graph's names for the entity ``name`` resolves to."""
        if self.text.find(name) is not None:
            return True
        candidates = self.index.lookup(name) if self.index is not None else []
        return any(self.text.find(other) is not None for c in candidates for other in c.names)

    def check(self, fact: ProposedFact) -> ProposedFact:
        """``fact`` with its evidence anchored on the article, and ``unverified`` saying what failed (if anything)."""
        reasons: list[str] = []
        evidence: list[Evidence] = []
        for quoted in fact.evidence:
            span = self.text.find(quoted.text or "")
            if span is None:
                reasons.append(f"evidence not in the article: {_short(quoted.text or '(no text)')!r}")
            else:
                evidence.append(Evidence(start=span[0], end=span[1], text=self.article.text[span[0] : span[1]]))
        if not fact.evidence:
            reasons.append("no evidence quoted")
        reasons += [f"{name!r} is not named in the article" for name in _names(fact) if not self.mentioned(name)]
        quoted_text = " ".join(item.text or "" for item in evidence)
        if evidence:
            stated = _figures(quoted_text)
            reasons += [
                f"{what} is not in its evidence"
                for what, value in _claimed_figures(fact)
                if value.normalize() not in stated and abs(value).normalize() not in stated
            ]
            if fact.date is not None and not fact.date.inferred and not self._dated(fact, quoted_text):
                reasons.append(f"date {fact.date.value} is not in its evidence")
        unverified = "; ".join(dict.fromkeys(reasons)) or None
        return fact.model_copy(update={"evidence": evidence, "unverified": unverified})

    def _dated(self, fact: ProposedFact, quoted: str) -> bool:
        assert fact.date is not None
        value = fact.date.value
        published = publication_date(self.article.published)
        if any(found.value.value == value for found in find_dates(quoted, published=published)):
            return True
        return fact.date.precision == "year" and value in quoted

    def check_hint(self, hint: EntityHint) -> EntityHint:
        """``hint`` without the aliases the article does not write, nor a developer or parent it does not name."""
        return hint.model_copy(
            update={
                "aliases": [alias for alias in hint.aliases if self.text.find(alias) is not None],
                "developer": hint.developer if hint.developer and self.mentioned(hint.developer) else None,
                "unit_of": hint.unit_of if hint.unit_of and self.mentioned(hint.unit_of) else None,
            }
        )


def ground(proposal: Proposal, article: Article, *, index: EntityIndex | None = None) -> Proposal:
    """``proposal`` with every fact checked against ``article`` (see the module's docstring), and what it says about
    entities kept only where the article says it too: an alias must be written in it, a developer or parent named."""
    grounder = Grounder(article, index)
    facts = [grounder.check(fact) for fact in proposal.facts]
    return proposal.model_copy(update={"facts": facts, "entities": [grounder.check_hint(h) for h in proposal.entities]})


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
