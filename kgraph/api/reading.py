"""What the API's helpers ask the store: named questions (``kgraph/queries``) run with bound values, their rows
turned into typed results. :class:`kgraph.api.Landscape` is the public face of these functions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pyoxigraph as ox

from kgraph import queries
from kgraph.analytics.facts import local_name
from kgraph.analytics.projection import ClassTable
from kgraph.api.models import (
    EVENT_MODELS,
    Company,
    Conflict,
    Entity,
    Event,
    Headwind,
    Measurement,
    Money,
    Product,
    Results,
    SeveranceTerm,
    Source,
    WorkforceReduction,
)
from kgraph.api.values import IRI, to_python
from kgraph.errors import KgraphError, UnknownKindError
from kgraph.queries.terms import TermError, parse_date, parse_iri, resolve_class
from kgraph.resolve import EntityIndex
from kgraph.store.base import SelectResult, Store, Term
from kgraph.vocabulary import KG

KG_NS = str(KG)
ORGANIZATIONS = ("Company", "Organization")
Row = dict[str, Any]


@dataclass
class Reader:
    """The typed reading helpers of :class:`~kgraph.api.landscape.Landscape` over a store, with what they need: the
    entity index and the ontology's class table."""

    store: Store
    _labels: dict[str, str] = field(default_factory=dict)

    @cached_property
    def index(self) -> EntityIndex:
        return EntityIndex.from_store(self.store)

    @cached_property
    def classes(self) -> ClassTable:
        return ClassTable.read(self.store)

    def ask(self, name: str, **values: str | Term | None) -> list[Row]:
        """Run the named question ``name`` with ``values`` bound; rows of Python values."""
        given = {key: value for key, value in values.items() if value is not None}
        result = queries.get(name).run(self.store, given)
        assert isinstance(result, SelectResult)
        return [{key: to_python(term) for key, term in row.items()} for row in result]

    # -- entities ---------------------------------------------------------------------------------------------

    def resolve(self, name: str | Entity, *, types: Iterable[str] | None = None) -> Entity:
        """The entity a label, alias or IRI names (optionally among ``types``, class names such as "Company")."""
        if isinstance(name, Entity):
            return name
        if not isinstance(name, str):
            raise TypeError(f"expected a name or an IRI, not {type(name).__name__}")
        try:
            iri = parse_iri(name) if name.strip().startswith(("<", "http://", "https://", "kgd:")) else None
        except TermError:
            iri = None
        candidate = self.index.resolve(iri.value if iri is not None else name, types=types)
        kind = self.classes.most_specific(candidate.types) or candidate.types[0]
        return Entity(
            iri=candidate.iri,
            label=candidate.label,
            type=kind,
            aliases=[n for n in candidate.names if n != candidate.label],
        )

    def entity(self, iri: str) -> Entity:
        """The richest model for an entity IRI: a :class:`Company`, a :class:`Product` or an :class:`Entity`."""
        found = self.resolve(iri)
        if self.classes.is_a(found.type, ("Company",)):
            return self.company(found)
        if self.classes.is_a(found.type, ("Product",)):
            return self.product(found)
        return found

    def company(self, name: str | Entity) -> Company:
        """A company by name, alias or IRI, with its industries, markets, units, products and rivals."""
        found = self.resolve(name, types=("Company",))
        values: dict[str, list[str]] = defaultdict(list)
        for row in self.ask("company_profile", company=ox.NamedNode(found.iri)):
            key = local_name(row["property"])
            text = row.get("valueLabel") or row["value"]
            if text not in values[key]:
                values[key].append(str(text))
        same_as = [v for v in values.get("sameAs", []) if "wikidata.org/entity/" in v]
        return Company(
            iri=found.iri,
            label=found.label,
            type=found.type,
            aliases=sorted(values.get("altLabel", [])),
            description=next(iter(values.get("description", [])), None),
            country=next(iter(values.get("countryCode", [])), None),
            wikidata=local_name(same_as[0]) if same_as else None,
            industries=sorted(values.get("industry", [])),
            markets=sorted(values.get("activeInMarket", [])),
            units=sorted(values.get("hasUnit", [])),
            products=sorted(values.get("develops", [])),
            competitors=sorted(values.get("competesWith", [])),
        )

    def companies(
        self, *, market: str | Entity | None = None, industry: str | Entity | None = None
    ) -> Results[Company]:
        """All companies, or those active in ``market`` / belonging to ``industry``."""
        rows = self.ask(
            "companies",
            market=self._node(market, ("Market",)),
            industry=self._node(industry, ("Industry",)),
        )
        return Results(self.company(IRI(iri)) for iri in dict.fromkeys(row["company"] for row in rows))

    def products(self, *, developer: str | Entity | None = None) -> Results[Product]:
        """All products, or those ``developer`` develops."""
        rows = self.ask("product_catalog", developer=self._node(developer, ORGANIZATIONS))
        grouped: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            grouped[row["product"]].append(row)
        return Results(self._product(iri, found) for iri, found in grouped.items())

    def product(self, name: str | Entity) -> Product:
        found = self.resolve(name, types=("Product",))
        [product] = [p for p in self.products() if p.iri == found.iri]
        return product

    def _product(self, iri: str, rows: list[Row]) -> Product:
        first = rows[0]
        candidate = self.index.candidates.get(iri)
        return Product(
            iri=iri,
            label=first.get("label") or local_name(iri),
            type=local_name(first["class"]),
            aliases=[n for n in candidate.names if n != candidate.label] if candidate else [],
            description=first.get("description"),
            developers=sorted({row["madeByLabel"] for row in rows if row.get("madeByLabel")}),
        )

    def competitors(self, name: str | Entity) -> Results[Entity]:
        """The companies or products that compete with a company or product."""
        found = self.resolve(name)
        rows = self.ask("competitors", entity=ox.NamedNode(found.iri))
        return Results(self.entity(IRI(iri)) for iri in dict.fromkeys(row["rival"] for row in rows))

    def _node(self, name: str | Entity | None, types: Iterable[str]) -> ox.NamedNode | None:
        return None if name is None else ox.NamedNode(self.resolve(name, types=types).iri)

    # -- events -----------------------------------------------------------------------------------------------

    def event_kind(self, kind: str) -> str:
        """The local name of the event class that ``kind`` names: ``"layoff"``, ``"Product launch"``, an IRI."""
        try:
            return local_name(resolve_class(self.store, kind, within="Event").value)
        except TermError as error:
            raise UnknownKindError(str(error)) from None

    def events(
        self,
        *,
        company: str | Entity | None = None,
        kind: str | None = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
    ) -> Results[Event]:
        """Events in time order; ``kind`` is an event class ("layoff", "ProductLaunch"; subclasses count);
        ``since``/``until`` are dates (``2023``, ``2023-04`` or ``2023-04-10``) that an event's span must overlap."""
        wanted = self.event_kind(kind) if kind else None
        rows = self.ask(
            "event_catalog",
            company=self._node(company, ORGANIZATIONS),
            since=_date_term(since, last=False),
            until=_date_term(until, last=True),
        )
        return self._events(rows, wanted)

    def timeline(
        self, company: str | Entity, *, since: str | dt.date | None = None, until: str | dt.date | None = None
    ) -> Results[Event]:
        """A company's events in time order (undated ones last, and left out when a range is given)."""
        found = self.resolve(company, types=ORGANIZATIONS)
        rows = self.ask(
            "timeline",
            company=ox.NamedNode(found.iri),
            since=_date_term(since, last=False),
            until=_date_term(until, last=True),
        )
        for row in rows:
            row["companyLabel"] = found.label
        return self._events(rows, None)

    def _events(self, rows: list[Row], kind: str | None) -> Results[Event]:
        grouped: dict[str, list[Row]] = {}
        for row in rows:
            grouped.setdefault(row["event"], []).append(row)
        found = []
        for iri, event_rows in grouped.items():
            event_kind = local_name(event_rows[0]["class"])
            if kind and not self.classes.is_a(event_kind, (kind,)):
                continue
            found.append(self._event(iri, event_kind, event_rows))
        return Results(found)

    def _event(self, iri: str, kind: str, rows: list[Row]) -> Event:
        first = rows[0]
        common: dict[str, Any] = {
            "iri": iri,
            "kind": kind,
            "label": first.get("label") or local_name(iri),
            "company": first.get("companyLabel"),
            "date": _lexical(first.get("date")),
            "earliest": first.get("earliest"),
            "latest": first.get("latest"),
            "inferred": bool(first.get("inferred")),
            "sources": sorted({row["source"] for row in rows if row.get("source")}),
        }
        model = EVENT_MODELS.get(kind, Event)
        if model is Event:
            return Event(**common)
        details: dict[str, list[str]] = defaultdict(list)
        for row in self.ask("event_details", event=ox.NamedNode(iri)):
            details[local_name(row["property"])].append(str(row.get("valueLabel") or row["value"]))
        extra: dict[str, Any]
        match kind:
            case "Layoff":
                extra = {
                    "units": sorted(details.get("affectedUnit", [])),
                    "scope": _one(details, "scopeDescription"),
                    "scale": _one(details, "scaleDescription"),
                    "notice_period": _one(details, "noticePeriod"),
                    "reductions": self._reductions(iri, first),
                    "severance": self._severance(iri, first),
                }
            case "ProductLaunch":
                extra = {"product": _one(details, "product")}
            case "FinancialResults":
                extra = {"period": _one(details, "period"), "trend": _one(details, "trend")}
            case _:
                extra = {
                    "claims": sorted(details.get("claim", [])),
                    "in_response_to": _one(details, "inResponseTo"),
                    "focus_areas": sorted(details.get("focusArea", [])),
                }
        return model(**common, **extra)

    def _reductions(self, layoff: str, first: Row) -> list[WorkforceReduction]:
        company = ox.NamedNode(first["company"]) if first.get("company") else None
        return [
            WorkforceReduction(
                unit=row.get("unitLabel") or local_name(row["unit"]),
                min_share=row.get("minShare"),
                max_share=row.get("maxShare"),
                headcount=row.get("headcount"),
                estimate=bool(row.get("isEstimate")),
                estimated_by=row.get("estimatedByLabel"),
            )
            for row in self.ask("workforce_cuts", company=company)
            if row["layoff"] == layoff
        ]

    def _severance(self, layoff: str, first: Row) -> list[SeveranceTerm]:
        company = ox.NamedNode(first["company"]) if first.get("company") else None
        terms: dict[str, list[Row]] = {}
        for row in self.ask("severance_terms", company=company):
            if row["layoff"] == layoff:
                terms.setdefault(row["term"], []).append(row)
        return [
            SeveranceTerm(
                formula=rows[0]["formula"],
                additional_months=rows[0].get("additionalMonths"),
                applies_to=list(dict.fromkeys(r.get("groupLabel") or local_name(r["group"]) for r in rows)),
                base=rows[0].get("base"),
                extras=sorted({r["extra"] for r in rows if r.get("extra")}),
            )
            for rows in terms.values()
        ]

    # -- figures, headwinds, sources --------------------------------------------------------------------------

    def financials(
        self,
        company: str | Entity,
        *,
        metric: str | None = None,
        period: str | int | None = None,
        currency: str | None = None,
    ) -> Results[Measurement]:
        """A company's figures: one measurement per metric and period, with its amounts in each currency given."""
        found = self.resolve(company, types=ORGANIZATIONS)
        rows = self.ask(
            "financials",
            company=ox.NamedNode(found.iri),
            metric=ox.Literal(metric) if metric is not None else None,
            period=ox.Literal(str(period)) if period is not None else None,
            currency=ox.Literal(currency) if currency is not None else None,
        )
        grouped: dict[str, list[Row]] = {}
        for row in rows:
            grouped.setdefault(row["measurement"], []).append(row)
        measurements = []
        for iri, found_rows in grouped.items():
            first = found_rows[0]
            year = first.get("fiscalYear")
            measurements.append(
                Measurement(
                    iri=iri,
                    company=found.label,
                    metric=first.get("metricLabel") or "",
                    period=first.get("periodLabel"),
                    fiscal_year=int(year) if year else None,
                    amounts=[
                        Money(value=r["value"], currency=r["currencyCode"], converted=bool(r.get("converted")))
                        for r in found_rows
                    ],
                    year_on_year=first.get("yearOnYearChange"),
                    is_loss=bool(first.get("isLoss")),
                )
            )
        return Results(measurements)

    def headwinds(self, *, industry: str | Entity | None = None) -> Results[Headwind]:
        """Headwinds with what they weigh on and the companies there; optionally only those on ``industry``."""
        rows = self.ask("headwinds", industry=self._node(industry, ()))
        grouped: dict[tuple[str, str], list[Row]] = {}
        for row in rows:
            grouped.setdefault((row["headwind"], row["industry"]), []).append(row)
        return Results(
            Headwind(
                iri=headwind,
                label=found[0].get("headwindLabel") or local_name(headwind),
                affects=found[0].get("industryLabel") or local_name(exposed),
                companies=sorted({r["companyLabel"] for r in found if r.get("companyLabel")}),
                sources=sorted({r["source"] for r in found if r.get("source")}),
            )
            for (headwind, exposed), found in grouped.items()
        )

    def conflicts(self, entity: str | Entity | None = None) -> Results[Conflict]:
        """Values that sources disagree on (two figures for one company, metric, period and currency; two launch
        dates for one product), each with both sources; optionally only those about ``entity``."""
        rows = self.ask("conflicts", entity=self._node(entity, ()))
        return Results(
            Conflict(
                entity=row.get("entityLabel") or local_name(row["entity"]),
                aspect=row["aspect"],
                value=_lexical(row["value"]),
                source=local_name(row["source"]),
                other_value=_lexical(row["otherValue"]),
                other_source=local_name(row["otherSource"]),
                fact=row["fact"],
                other_fact=row["otherFact"],
            )
            for row in rows
        )

    def sources_of(self, fact: str | Mapping[str, Any] | Any) -> Results[Source]:
        """Where a fact or event comes from: an IRI, a result with ``iri``, or a fact dict of the projection."""
        iri = _fact_iri(fact)
        rows = self.ask("provenance", fact=iri)
        found: dict[str, Source] = {}
        for row in rows:
            found.setdefault(
                row["source"],
                Source(
                    iri=row["source"],
                    label=row.get("sourceLabel") or local_name(row["source"]),
                    publisher=row.get("publisherLabel"),
                    based_on=row.get("basedOnLabel"),
                    based_on_publisher=row.get("basedOnPublisherLabel"),
                    attributed_to=row.get("attributedToLabel"),
                    estimate=bool(row.get("isEstimate")),
                ),
            )
        return Results(found.values())


def _lexical(value: Any) -> str | None:
    """A date as the source gives it: ``2023``, ``2023-04`` or ``2023-04-10``."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _one(details: Mapping[str, list[str]], key: str) -> str | None:
    values = details.get(key)
    return values[0] if values else None


def _fact_iri(fact: str | Mapping[str, Any] | Any) -> ox.NamedNode:
    """The IRI of a fact given as an IRI, a prefixed name (``kgd:...``), a result with ``iri`` or a fact dict."""
    if isinstance(fact, Mapping):
        fact = fact.get("iri")
    elif not isinstance(fact, str):
        fact = getattr(fact, "iri", None)
    if not isinstance(fact, str):
        raise TypeError("expected a fact: its IRI, a result with an iri, or a fact dict of the projection")
    node = parse_iri(fact)
    if node is None:
        raise KgraphError(f"{fact!r} is not the IRI of a fact (write <...>, https://... or kgd:...)")
    return node


def _date_term(value: str | dt.date | None, *, last: bool) -> ox.Literal | None:
    """An ``xsd:date`` for ``2023``, ``2023-04`` or ``2023-04-10`` (the first or the ``last`` day it covers)."""
    return None if value is None else parse_date(value, last=last)
