"""Fact nodes and events read from a store and told in words: the fact dicts of the networkx projection.

A fact dict is what a side panel shows for one fact node or event (see :mod:`kgraph.analytics.projection` for the
contract). Values are turned into human text here: money with its currency and grouping, shares as ranges marked
as estimates, periods by their label, dates at the precision the source gives them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kgraph import sparql
from kgraph.store.base import SelectResult, Store
from kgraph.vocabulary import KG, PROV, RDF, RDFS, SCHEMA

if TYPE_CHECKING:
    from kgraph.analytics.projection import ClassTable

RDF_TYPE = RDF.type.value
RDFS_LABEL = RDFS.label.value
RDFS_COMMENT = RDFS.comment.value
PROV_DERIVED = PROV.wasDerivedFrom.value
PROV_ATTRIBUTED = PROV.wasAttributedTo.value
KG_NS = str(KG)
SCHEMA_VALUE = SCHEMA.value.value
SCHEMA_CURRENCY = SCHEMA.currency.value
SCHEMA_MIN = SCHEMA.minValue.value
SCHEMA_MAX = SCHEMA.maxValue.value

#: Links from a fact to things that are not what the fact is about (its provenance and value nodes).
NOT_ABOUT = {
    PROV_DERIVED,
    RDF_TYPE,
    KG.inferenceSource.value,
    KG.convertedBy.value,
    KG.occurredAt.value,
    KG.amount.value,
    KG.valuation.value,
    KG.share.value,
    KG.period.value,
    KG.hasReduction.value,
    KG.hasSeveranceTerm.value,
    KG.hasMeasurement.value,
    KG.inResponseTo.value,
    KG.metric.value,
    KG.appliesTo.value,
}
#: Links from an event to its parts: facts that belong with it.
PART_LINKS = (KG.hasReduction.value, KG.hasSeveranceTerm.value, KG.hasMeasurement.value)

Description = dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]]


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def decimal_text(value: Decimal) -> str:
    """``3809000000`` -> ``3,809,000,000``; ``-19.0`` -> ``-19``; ``2.50`` -> ``2.5``."""
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    fraction = fraction.rstrip("0")
    grouped = f"{int(whole):,}"
    return f"{sign}{grouped}.{fraction}" if fraction else f"{sign}{grouped}"


def as_decimal(term: object) -> Decimal | None:
    if not isinstance(term, ox.Literal):
        return None
    try:
        return Decimal(term.value)
    except InvalidOperation:
        return None


def is_true(term: object) -> bool:
    return isinstance(term, ox.Literal) and term.value in ("true", "1")


def _describe(result: SelectResult, subject: str) -> dict[str, Description]:
    described: dict[str, Description] = defaultdict(lambda: defaultdict(list))
    for row in result:
        node = row[subject]
        values = described[node.value][row["predicate"].value]
        if row["object"] not in values:
            values.append(row["object"])
    return described


@dataclass
class FactBook:
    """Everything needed to tell the landscape's facts in words, read from a store in a few queries."""

    facts: dict[str, Description]
    values: dict[str, Description]
    labels: dict[str, str]
    class_labels: dict[str, str]
    kinds: dict[str, str]
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: For each disputed fact: what other sources say instead (aspect, their value, their source's IRI).
    disputes: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    _told: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def read(cls, store: Store, *, labels: Mapping[str, str], classes: ClassTable) -> FactBook:
        """Read fact nodes, value nodes and sources from ``store``.

        ``labels`` names the entities and terms; ``classes`` is the ontology's class table (a
        :class:`kgraph.analytics.projection.ClassTable`) used to find each fact's most specific class.
        """
        facts = _describe(_select(store, "projection_facts"), "fact")
        values = _describe(_select(store, "projection_values"), "node")
        sources: dict[str, dict[str, Any]] = {}
        for row in _select(store, "projection_sources"):
            iri = row["source"].value
            sources.setdefault(
                iri,
                {
                    "iri": iri,
                    "label": row["label"].value if "label" in row else local_name(iri),
                    "publisher": row["publisher"].value if "publisher" in row else None,
                    "published": row["published"].value if "published" in row else None,
                },
            )
        all_labels = {row["term"].value: row["label"].value for row in _select(store, "projection_term_labels")}
        all_labels.update(labels)
        for table in (facts, values):
            for iri, description in table.items():
                if RDFS_LABEL in description and iri not in all_labels:
                    all_labels[iri] = description[RDFS_LABEL][0].value
        kinds = {}
        for iri, description in list(facts.items()):
            types = [t.value for t in description.get(RDF_TYPE, ()) if t.value.startswith(KG_NS)]
            kind = classes.most_specific(types) or "Fact"
            if kind != "Fact" and not classes.is_a(kind, ("Fact", "Event")):
                del facts[iri]  # a source derived from another source, or an entity
                continue
            kinds[iri] = kind
        class_labels = {name: classes.label(name) for name in set(kinds.values())}
        return cls(facts, values, all_labels, class_labels, kinds, sources, _disputes(store))

    # -- navigation ---------------------------------------------------------------------------------------------

    def kind(self, fact: str) -> str:
        return self.kinds[fact]

    def objects(self, fact: str, predicate: str) -> list[str]:
        """IRIs that ``fact`` links to with ``predicate``."""
        return [t.value for t in self.facts.get(fact, {}).get(predicate, ()) if isinstance(t, ox.NamedNode)]

    def first(self, fact: str, predicate: str) -> str | None:
        found = self.objects(fact, predicate)
        return found[0] if found else None

    def literal(self, node: str, predicate: str, *, table: str = "facts") -> ox.Literal | None:
        description = (self.facts if table == "facts" else self.values).get(node, {})
        for term in description.get(predicate, ()):
            if isinstance(term, ox.Literal):
                return term
        return None

    def literals(self, node: str, predicate: str) -> list[str]:
        return sorted(t.value for t in self.facts.get(node, {}).get(predicate, ()) if isinstance(t, ox.Literal))

    def about(self, fact: str) -> list[str]:
        """The nodes a fact is about: every IRI it links to except its provenance, parts and values."""
        found: list[str] = []
        for predicate, terms in self.facts.get(fact, {}).items():
            if predicate in NOT_ABOUT:
                continue
            found.extend(t.value for t in terms if isinstance(t, ox.NamedNode) and t.value not in found)
        return found

    def parts(self, fact: str) -> list[str]:
        """The facts that belong to an event (its reductions, severance terms, measurements)."""
        return [part for link in PART_LINKS for part in self.objects(fact, link) if part in self.facts]

    def label(self, iri: str | None) -> str:
        if iri is None:
            return ""
        return self.labels.get(iri) or local_name(iri)

    # -- telling ------------------------------------------------------------------------------------------------

    def tell(self, fact: str) -> dict[str, Any]:
        """The fact dict of ``fact`` (cached: the same dict object is shared by every node and edge showing it)."""
        told = self._told.get(fact)
        if told is None:
            told = self._tell(fact)
            self._told[fact] = told
        return told

    def _tell(self, fact: str) -> dict[str, Any]:
        kind = self.kind(fact)
        date_term = self.literal(fact, KG.date.value)
        instant = self.first(fact, KG.occurredAt.value)
        earliest = latest = None
        inferred = False
        details: dict[str, str] = {}
        if instant:
            earliest = self._value_text(instant, KG.earliestDate.value)
            latest = self._value_text(instant, KG.latestDate.value)
            inferred = is_true(self.literal(instant, KG.inferred.value, table="values"))
        period = self.first(fact, KG.period.value)
        if period and not instant:
            earliest = self._value_text(period, KG.periodStart.value)
            latest = self._value_text(period, KG.periodEnd.value)
        if date_term is not None and earliest is None:
            earliest = latest = date_term.value
        teller = _TELLERS.get(kind, _tell_generic)
        teller(self, fact, details)
        if inferred and instant:
            note = self._value_text(instant, KG.inferenceNote.value)
            details["date"] = f"{date_term.value if date_term else ''} (inferred)".strip()
            if note:
                details["date note"] = note
        if fact in self.disputes:
            details["disputed"] = "; ".join(
                f"{aspect}: {value} according to {self.source(source)['label']}"
                for aspect, value, source in self.disputes[fact]
            )
        comment = self.literal(fact, RDFS_COMMENT)
        if comment is not None and comment.value not in details.values():
            details["note"] = comment.value
        attributed = self.first(fact, PROV_ATTRIBUTED)
        sources = [self.source(iri) for iri in self.objects(fact, PROV_DERIVED)]
        if instant:
            for basis in self._value_iris(instant, KG.inferenceSource.value):
                if all(s["iri"] != basis for s in sources):
                    sources.append(self.source(basis) | {"role": "date inferred from"})
        return {
            "iri": fact,
            "kind": kind,
            "kind_label": self.class_labels.get(kind, kind),
            "label": self.label(fact),
            "date": date_term.value if date_term is not None else None,
            "earliest": earliest,
            "latest": latest,
            "inferred": inferred,
            "details": details,
            "estimate": is_true(self.literal(fact, KG.isEstimate.value)),
            "sources": sources,
            "attributed_to": self.label(attributed) if attributed else None,
        }

    def source(self, iri: str) -> dict[str, Any]:
        known = self.sources.get(iri)
        if known is None:
            known = {"iri": iri, "label": self.label(iri), "publisher": None, "published": None}
        return dict(known)

    def _value_text(self, node: str, predicate: str) -> str | None:
        term = self.literal(node, predicate, table="values")
        return term.value if term is not None else None

    def _value_iris(self, node: str, predicate: str) -> list[str]:
        return [t.value for t in self.values.get(node, {}).get(predicate, ()) if isinstance(t, ox.NamedNode)]

    def money(self, node: str) -> str:
        value = as_decimal(self.literal(node, SCHEMA_VALUE, table="values"))
        currency = self._value_text(node, SCHEMA_CURRENCY) or ""
        text = f"{currency} {decimal_text(value)}".strip() if value is not None else self.label(node)
        if is_true(self.literal(node, KG.isConverted.value, table="values")):
            text += " (converted by the reporter)"
        return text

    def is_converted(self, node: str) -> bool:
        return is_true(self.literal(node, KG.isConverted.value, table="values"))

    def share(self, node: str, *, estimate: bool) -> str:
        low = as_decimal(self.literal(node, SCHEMA_MIN, table="values"))
        high = as_decimal(self.literal(node, SCHEMA_MAX, table="values"))
        if low is None or high is None:
            text = self.label(node)
        elif low == high:
            text = f"{decimal_text(low)}%"
        else:
            text = f"{decimal_text(low)}–{decimal_text(high)}%"
        return text + (" (estimate)" if estimate else "")

    def names(self, fact: str, predicate: str) -> str:
        """The labels of what ``fact`` links to with ``predicate``, sorted, comma-separated."""
        return ", ".join(sorted(self.label(iri) for iri in self.objects(fact, predicate)))


# -- what each kind of fact says ---------------------------------------------------------------------------------


def _put(details: dict[str, str], key: str, value: str | None) -> None:
    if value:
        details[key] = value


def _tell_measurement(book: FactBook, fact: str, details: dict[str, str]) -> None:
    _put(details, "metric", book.names(fact, KG.metric.value))
    amounts = book.objects(fact, KG.amount.value)
    reported = [a for a in amounts if not book.is_converted(a)]
    converted = [a for a in amounts if book.is_converted(a)]
    _put(details, "amount", "; ".join(book.money(a) for a in sorted(reported)))
    _put(details, "converted", "; ".join(book.money(a) for a in sorted(converted)))
    change = as_decimal(book.literal(fact, KG.yearOnYearChange.value))
    if change is not None:
        details["year-on-year"] = ("+" if change > 0 else "") + decimal_text(change) + "%"
    _put(details, "period", book.names(fact, KG.period.value))
    if is_true(book.literal(fact, KG.isLoss.value)):
        details["loss"] = "yes"


def _tell_results(book: FactBook, fact: str, details: dict[str, str]) -> None:
    _put(details, "period", book.names(fact, KG.period.value))
    trend = book.literal(fact, KG.trend.value)
    _put(details, "trend", trend.value if trend is not None else None)
    _put(details, "figures", ", ".join(book.label(m) for m in book.objects(fact, KG.hasMeasurement.value)))


def _tell_layoff(book: FactBook, fact: str, details: dict[str, str]) -> None:
    _put(details, "affected units", book.names(fact, KG.affectedUnit.value))
    for key, predicate in (("scope", "scopeDescription"), ("scale", "scaleDescription")):
        term = book.literal(fact, KG_NS + predicate)
        _put(details, key, term.value if term is not None else None)
    headcount = book.literal(fact, KG.headcount.value)
    _put(details, "headcount", decimal_text(Decimal(headcount.value)) if headcount is not None else None)
    share = book.first(fact, KG.share.value)
    if share:
        details["share"] = book.share(share, estimate=is_true(book.literal(fact, KG.isEstimate.value)))
    notice = book.literal(fact, KG.noticePeriod.value)
    if notice is not None:
        applies = book.literal(fact, KG.noticeAppliesTo.value)
        details["notice"] = _duration_text(notice.value) + (f" ({applies.value})" if applies is not None else "")
    if is_true(book.literal(fact, KG.repeatRound.value)):
        details["repeat round"] = "yes, after earlier rounds"
    reductions = [book.label(r) for r in book.objects(fact, KG.hasReduction.value)]
    _put(details, "reductions", "; ".join(reductions))
    terms = [book.label(t) for t in book.objects(fact, KG.hasSeveranceTerm.value)]
    _put(details, "severance", "; ".join(terms))


def _tell_reduction(book: FactBook, fact: str, details: dict[str, str]) -> None:
    _put(details, "unit", book.names(fact, KG.reducedUnit.value))
    estimate = is_true(book.literal(fact, KG.isEstimate.value))
    share = book.first(fact, KG.share.value)
    if share:
        details["share"] = book.share(share, estimate=estimate)
    headcount = book.literal(fact, KG.headcount.value)
    if headcount is not None:
        details["headcount"] = decimal_text(Decimal(headcount.value)) + (" (estimate)" if estimate else "")
    attributed = book.first(fact, PROV_ATTRIBUTED)
    if attributed and estimate:
        details["estimated by"] = book.label(attributed)


def _tell_severance(book: FactBook, fact: str, details: dict[str, str]) -> None:
    formula = book.literal(fact, KG.formula.value)
    _put(details, "formula", formula.value if formula is not None else None)
    _put(details, "applies to", book.names(fact, KG.appliesTo.value))
    base = book.literal(fact, KG.formulaBase.value)
    _put(details, "N is", base.value if base is not None else None)
    _put(details, "extras", "; ".join(book.literals(fact, KG.extraBenefit.value)))


def _tell_statement(book: FactBook, fact: str, details: dict[str, str]) -> None:
    _put(details, "in response to", book.names(fact, KG.inResponseTo.value))
    _put(details, "focus areas", book.names(fact, KG.focusArea.value))
    for number, claim in enumerate(book.literals(fact, KG.claim.value), start=1):
        details[f"claim {number}"] = claim


def _tell_launch(book: FactBook, fact: str, details: dict[str, str]) -> None:
    _put(details, "company", book.names(fact, KG.company.value))
    _put(details, "product", book.names(fact, KG.product.value))


def _tell_headwind(book: FactBook, fact: str, details: dict[str, str]) -> None:
    _put(details, "headwind", book.names(fact, KG.headwind.value))
    _put(details, "weighs on", book.names(fact, KG.exposed.value))


def _tell_competition(book: FactBook, fact: str, details: dict[str, str]) -> None:
    _put(details, "rivals", book.names(fact, KG.participant.value))
    _put(details, "market", book.names(fact, KG.market.value))


def _tell_development(book: FactBook, fact: str, details: dict[str, str]) -> None:
    _put(details, "developer", book.names(fact, KG.company.value))
    _put(details, "product", book.names(fact, KG.product.value))


def _tell_funding(book: FactBook, fact: str, details: dict[str, str]) -> None:
    round_name = book.literal(fact, KG.roundName.value)
    _put(details, "round", round_name.value if round_name is not None else None)
    _put(details, "amount", "; ".join(book.money(a) for a in book.objects(fact, KG.amount.value)))
    _put(details, "valuation", "; ".join(book.money(a) for a in book.objects(fact, KG.valuation.value)))
    _put(details, "investors", book.names(fact, KG.investor.value))


def _tell_partnership(book: FactBook, fact: str, details: dict[str, str]) -> None:
    _put(details, "partners", book.names(fact, KG.participant.value))


def _tell_generic(book: FactBook, fact: str, details: dict[str, str]) -> None:
    skip = {RDF_TYPE, RDFS_LABEL, RDFS_COMMENT, PROV_DERIVED, PROV_ATTRIBUTED, KG.date.value, KG.occurredAt.value}
    for predicate, terms in book.facts.get(fact, {}).items():
        if predicate in skip:
            continue
        words = [t.value if isinstance(t, ox.Literal) else book.label(t.value) for t in terms]
        _put(details, book.label(predicate), ", ".join(sorted(words)))


def _duration_text(value: str) -> str:
    """``P7D`` -> ``7 days``; other durations are shown as written."""
    units = {"D": "day", "W": "week", "M": "month", "Y": "year"}
    if value.startswith("P") and "T" not in value and value[1:-1].isdigit() and value[-1] in units:
        count = int(value[1:-1])
        return f"{count} {units[value[-1]]}{'s' if count != 1 else ''}"
    return value


_TELLERS = {
    "FinancialMeasurement": _tell_measurement,
    "FinancialResults": _tell_results,
    "Layoff": _tell_layoff,
    "WorkforceReduction": _tell_reduction,
    "SeveranceTerm": _tell_severance,
    "CorporateStatement": _tell_statement,
    "ProductLaunch": _tell_launch,
    "HeadwindExposure": _tell_headwind,
    "Competition": _tell_competition,
    "ProductDevelopment": _tell_development,
    "FundingRound": _tell_funding,
    "Partnership": _tell_partnership,
}


def _disputes(store: Store) -> dict[str, list[tuple[str, str, str]]]:
    """The values the named question ``conflicts`` finds disputed, by fact, each with the other side."""
    from kgraph.queries import get

    found: dict[str, list[tuple[str, str, str]]] = {}
    rows = get("conflicts").run(store)
    if not isinstance(rows, SelectResult):  # pragma: no cover - the bundled question is a SELECT
        raise TypeError("conflicts.rq is not a SELECT query")
    for row in rows:
        aspect = row["aspect"].value
        for mine, value, source in (("fact", "otherValue", "otherSource"), ("otherFact", "value", "source")):
            found.setdefault(row[mine].value, []).append((aspect, _plain(row[value]), row[source].value))
    return found


def _plain(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    if not isinstance(term, ox.Literal):
        return term.value
    numeric = term.datatype.value.rsplit("#", 1)[-1] in ("decimal", "integer")
    number = as_decimal(term) if numeric else None
    return decimal_text(number) if number is not None else term.value


def _select(store: Store, name: str) -> SelectResult:
    result = store.query(sparql.load(name))
    if not isinstance(result, SelectResult):  # pragma: no cover - the bundled queries are SELECTs
        raise TypeError(f"{name}.rq is not a SELECT query")
    return result


def sort_key(fact: dict[str, Any]) -> tuple[str, str, str]:
    """Facts in time order (undated last), then by kind and label."""
    return (fact.get("earliest") or "9999", fact["kind"], fact["label"])


def ordered(facts: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    unique = {id(f): f for f in facts}
    return sorted(unique.values(), key=sort_key)
