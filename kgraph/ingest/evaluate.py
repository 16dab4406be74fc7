"""Measure an extractor against gold facts: precision and recall per fact kind and overall.

A gold file (YAML) names its article, the publication date and the facts a careful reader finds, with entities by
name. A proposed fact counts as found when its kind, subject and object (if any) match a gold fact's and its main
value agrees: the amount (value and currency) of a financial measurement or a funding round, the headcount and
share of a layoff, the date of a launch. Results count one measurement per metric; a rivalry counts one pair per
rival; names match through the graph (labels, aliases, folded) and through a proposed entity's aliases.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from kgraph.factsheet.models import (
    CompetitionFact,
    DateValue,
    FactSheet,
    FinancialResultFact,
    FundingFact,
    LayoffFact,
    ProductLaunchFact,
)
from kgraph.ingest.article import Article
from kgraph.ingest.extract import Extractor
from kgraph.resolve import EntityIndex, fold
from kgraph.vocabulary import KGD

UNORDERED = {"competition", "partnership"}


@dataclass(frozen=True)
class Item:
    """One countable fact: kind, entity keys, an extra key (the metric) and the main value."""

    kind: str
    subject: frozenset[str]
    object: frozenset[str] | None
    extra: str | None
    value: Any = None


@dataclass
class Score:
    """Counts of one fact kind."""

    found: int = 0
    proposed: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.found / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0


@dataclass
class Evaluation:
    """Scores by kind, overall, and the misses for a reader to look at."""

    by_kind: dict[str, Score] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    articles: int = 0

    @property
    def overall(self) -> Score:
        total = Score()
        for score in self.by_kind.values():
            total.found += score.found
            total.proposed += score.proposed
            total.gold += score.gold
        return total

    def table(self) -> str:
        rows = ["| fact kind | gold | proposed | found | precision | recall |", "|---|---:|---:|---:|---:|---:|"]
        for kind in sorted(self.by_kind):
            rows.append(_row(kind, self.by_kind[kind]))
        rows.append(_row("**overall**", self.overall))
        return "\n".join(rows)


def _row(name: str, score: Score) -> str:
    return f"| {name} | {score.gold} | {score.proposed} | {score.found} | {score.precision:.2f} | {score.recall:.2f} |"


class _Keys:
    def __init__(self, index: EntityIndex, sheet: FactSheet | None = None) -> None:
        self.index = index
        self.proposed = {e.id: e for e in sheet.entities} if sheet else {}

    def of_name(self, name: str) -> frozenset[str]:
        found = self.index.lookup(name)
        if len(found) == 1:
            return frozenset({found[0].iri})
        return frozenset({"new:" + fold(name)})

    def of_ref(self, ref: str) -> frozenset[str]:
        if ref in self.proposed:
            entity = self.proposed[ref]
            return frozenset({"new:" + fold(n) for n in [entity.name, *entity.aliases]})
        return frozenset({KGD[ref].value})


def _pair(
    kind: str, subject: frozenset[str], other: frozenset[str] | None, extra: str | None = None, value: Any = None
) -> Item:
    return Item(kind, subject, other, extra, value)


def predicted_items(sheet: FactSheet, index: EntityIndex) -> list[Item]:
    keys = _Keys(index, sheet)
    items = []
    for fact in sheet.facts:
        subject = keys.of_ref(fact.subject)
        match fact:
            case FinancialResultFact():
                for m in fact.measurements:
                    original = next(a for a in m.amounts if not a.converted)
                    items.append(_pair(fact.kind, subject, None, m.metric, (original.value, original.currency)))
            case CompetitionFact():
                for rival in [r for r in fact.rivals if r != fact.subject]:
                    items.append(_pair(fact.kind, subject, keys.of_ref(rival)))
            case LayoffFact():
                shares = [fact.share] if fact.share else [r.share for r in fact.reductions if r.share]
                headcounts = (
                    [fact.headcount] if fact.headcount else [r.headcount for r in fact.reductions if r.headcount]
                )
                share = (shares[0].min, shares[0].max) if shares else None
                items.append(_pair(fact.kind, subject, None, None, (headcounts[0] if headcounts else None, share)))
            case FundingFact():
                value = (fact.amount.value, fact.amount.currency) if fact.amount else None
                items.append(_pair(fact.kind, subject, None, None, value))
            case ProductLaunchFact():
                items.append(_pair(fact.kind, subject, keys.of_ref(fact.object), None, fact.date))
            case _:
                other = getattr(fact, "object", None)
                items.append(_pair(fact.kind, subject, keys.of_ref(other) if other else None))
    return items


def gold_items(facts: Iterable[dict[str, Any]], index: EntityIndex) -> list[Item]:
    keys = _Keys(index)
    items = []
    for fact in facts:
        kind = fact["kind"]
        subject = keys.of_name(str(fact["subject"]))
        other = keys.of_name(str(fact["object"])) if fact.get("object") else None
        value: Any = None
        extra = None
        if kind == "financial_result":
            extra = fact["metric"]
            value = (Decimal(str(fact["amount"])), fact["currency"])
        elif kind == "funding" and "amount" in fact:
            value = (Decimal(str(fact["amount"])), fact["currency"])
        elif kind == "layoff":
            share = tuple(Decimal(str(x)) for x in fact["share"]) if "share" in fact else None
            value = (fact.get("headcount"), share)
        elif kind == "product_launch" and "date" in fact:
            value = DateValue(value=str(fact["date"]))
        items.append(Item(kind, subject, other, extra, value))
    return items


def _same_entities(gold: Item, proposed: Item) -> bool:
    if gold.kind != proposed.kind or gold.extra != proposed.extra:
        return False
    if gold.object is None:
        return bool(gold.subject & proposed.subject)
    if proposed.object is None:
        return False
    straight = bool(gold.subject & proposed.subject) and bool(gold.object & proposed.object)
    crossed = bool(gold.subject & proposed.object) and bool(gold.object & proposed.subject)
    return straight or (gold.kind in UNORDERED and crossed)


def _value_agrees(gold: Item, proposed: Item) -> bool:
    if gold.value is None:
        return True
    if gold.kind == "layoff":
        headcount, share = gold.value
        got_headcount, got_share = proposed.value
        return (headcount is None or headcount == got_headcount) and (share is None or share == got_share)
    if gold.kind == "product_launch":
        return isinstance(proposed.value, DateValue) and proposed.value.value == gold.value.value
    return proposed.value is not None and proposed.value[0] == gold.value[0] and proposed.value[1] == gold.value[1]


def _describe(item: Item) -> str:
    def names(keys: frozenset[str]) -> str:
        return "/".join(sorted(key.removeprefix(str(KGD)).removeprefix("new:") for key in keys))

    text = f"{item.kind} {names(item.subject)}"
    if item.object is not None:
        text += f" -> {names(item.object)}"
    if item.extra is not None:
        text += f" {item.extra}"
    if isinstance(item.value, DateValue):
        return f"{text} on {item.value.value}"
    if item.value is not None:
        return f"{text} {item.value}"
    return text


def score_article(sheet: FactSheet, gold: Iterable[dict[str, Any]], index: EntityIndex, evaluation: Evaluation) -> None:
    """Add one article's counts to ``evaluation``."""
    expected = gold_items(gold, index)
    got = predicted_items(sheet, index)
    for item in expected:
        evaluation.by_kind.setdefault(item.kind, Score()).gold += 1
    for item in got:
        evaluation.by_kind.setdefault(item.kind, Score()).proposed += 1
    unmatched = list(got)
    for item in expected:
        match = next((p for p in unmatched if _same_entities(item, p) and _value_agrees(item, p)), None)
        if match is None:
            evaluation.misses.append(f"{sheet.source.id}: missed {_describe(item)}")
            continue
        unmatched.remove(match)
        evaluation.by_kind[item.kind].found += 1
    for item in unmatched:
        evaluation.misses.append(f"{sheet.source.id}: extra {_describe(item)}")


def evaluate(folder: Path, *, index: EntityIndex, extractor: Extractor | None = None) -> Evaluation:
    """Run the extractor on every article of ``folder`` (``articles/*.txt`` with ``gold/*.yaml``) and score it."""
    from kgraph.ingest import propose

    evaluation = Evaluation()
    for gold_file in sorted((folder / "gold").glob("*.yaml")):
        gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
        text = (folder / "articles" / gold["article"]).read_text(encoding="utf-8")
        article = Article(text, name=gold["article"], published=DateValue(value=str(gold["published"])))
        proposed = propose(article, index=index, extractor=extractor)
        score_article(proposed.sheet, gold["facts"], index, evaluation)
        evaluation.articles += 1
    return evaluation


def merge(evaluations: Iterable[Evaluation]) -> Evaluation:
    """The counts of several evaluations added up."""
    total = Evaluation()
    for evaluation in evaluations:
        total.articles += evaluation.articles
        total.misses.extend(evaluation.misses)
        for kind, score in evaluation.by_kind.items():
            into = total.by_kind.setdefault(kind, Score())
            into.found += score.found
            into.proposed += score.proposed
            into.gold += score.gold
    return total
