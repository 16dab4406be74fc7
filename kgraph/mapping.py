"""Compile fact sheets to RDF: one named graph per source, facts as nodes with their source and attribution.

The triples are the store's own (pyoxigraph terms); literals are written in the lexical forms of their datatypes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from itertools import permutations

import pyoxigraph as ox

from kgraph.factsheet.models import (
    Amount,
    CompetitionFact,
    DateValue,
    DevelopsFact,
    Entity,
    FactBase,
    FactSheet,
    FinancialResultFact,
    FundingFact,
    HeadwindFact,
    LayoffFact,
    PartnershipFact,
    PercentRange,
    ProductLaunchFact,
    Source,
    StatementFact,
)
from kgraph.vocabulary import GRAPH, KG, KGD, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, TIME, WD, XSD, literal

#: The triples of each named graph, each triple once, in the order they were first added.
Graphs = dict[ox.NamedNode, dict[ox.Triple, None]]

ENTITY_CLASSES = {
    "Company": KG.Company,
    "BusinessUnit": KG.BusinessUnit,
    "Organization": KG.Organization,
    "NewsPublisher": KG.NewsPublisher,
    "AnonymousSource": KG.AnonymousSource,
    "Product": KG.Product,
    "AIProduct": KG.AIProduct,
    "LargeLanguageModel": KG.LargeLanguageModel,
    "Industry": KG.Industry,
    "Market": KG.Market,
    "Headwind": KG.Headwind,
    "Topic": KG.Topic,
}
METRICS = {
    "revenue": KG.Revenue,
    "net_income": KG.NetIncome,
    "adjusted_net_income": KG.AdjustedNetIncome,
    "operating_income": KG.OperatingIncome,
    "gross_profit": KG.GrossProfit,
}
METRIC_LABELS = {
    "revenue": "revenue",
    "net_income": "net income",
    "adjusted_net_income": "adjusted net income",
    "operating_income": "operating income",
    "gross_profit": "gross profit",
}
LOSS_LABELS = {
    "net_income": "net loss",
    "adjusted_net_income": "adjusted net loss",
    "operating_income": "operating loss",
}
EMPLOYEE_GROUPS = {
    "affected_employees": KG.AffectedEmployees,
    "non_renewed_contracts": KG.NonRenewedContracts,
    "fresh_graduates": KG.FreshGraduates,
}
DATE_TYPES = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}
TIME_PROPERTIES = {"year": TIME.inXSDgYear, "month": TIME.inXSDgYearMonth, "day": TIME.inXSDDate}
TIME_UNITS = {"year": TIME.unitYear, "month": TIME.unitMonth, "day": TIME.unitDay}


def iri(identifier: str) -> ox.NamedNode:
    """The IRI of an entity, fact or source slug."""
    return KGD[identifier]


def graph_name(source_id: str) -> ox.NamedNode:
    """The named graph that holds the facts of one source."""
    return GRAPH[source_id]


def money_label(amount: Amount) -> str:
    """``CNY 3,809,000,000`` or ``CNY -6,093,000,000``."""
    sign = "-" if amount.value < 0 else ""
    return f"{amount.currency} {sign}{_group(abs(amount.value))}"


def _group(value: Decimal) -> str:
    whole, _, fraction = f"{value:f}".partition(".")
    grouped = f"{int(whole):,}"
    fraction = fraction.rstrip("0")
    return f"{grouped}.{fraction}" if fraction else grouped


class _SheetCompiler:
    """Writes one fact sheet into its own named graph."""

    def __init__(self, graph: dict[ox.Triple, None], sheet: FactSheet, names: Mapping[str, str]) -> None:
        self.graph = graph
        self.sheet = sheet
        self.names = names
        self.source = iri(sheet.source.id)

    def add(self, subject: ox.NamedNode, predicate: ox.NamedNode, value: object) -> None:
        if value is None:
            return
        term = value if isinstance(value, ox.NamedNode | ox.Literal) else literal(value)
        self.graph[ox.Triple(subject, predicate, term)] = None

    def name(self, identifier: str) -> str:
        return self.names.get(identifier, identifier)

    def compile(self) -> None:
        self.compile_source(self.sheet.source)
        for entity in self.sheet.entities:
            self.compile_entity(entity)
        for fact in self.sheet.facts:
            self.compile_fact(fact)

    # -- sources and entities ---------------------------------------------------------------------------------

    def compile_source(self, source: Source) -> None:
        node = iri(source.id)
        kind = KG.NewsArticle if source.type == "news_article" else KG.ReferenceSource
        self.add(node, RDF.type, kind)
        self.add(node, RDFS.label, source.title or _source_label(source, self.names))
        self.add(node, SCHEMA.headline, source.title)
        self.add(node, SCHEMA.url, ox.NamedNode(source.url) if source.url else None)
        self.add(node, SCHEMA.inLanguage, source.language)
        self.add(node, SCHEMA.description, source.description)
        if source.publisher:
            self.add(node, KG.publisher, iri(source.publisher))
        if source.published:
            self.add(node, KG.publishedAt, self.instant(f"{source.id}/published", source.published))
        if source.based_on:
            self.add(node, KG.basedOn, iri(source.based_on.id))
            self.compile_source(source.based_on)

    def compile_entity(self, entity: Entity) -> None:
        node = iri(entity.id)
        self.add(node, RDF.type, ENTITY_CLASSES[entity.type])
        self.add(node, RDFS.label, entity.name)
        for alias in entity.aliases:
            self.add(node, SKOS.altLabel, alias)
        self.add(node, SCHEMA.description, entity.description)
        self.add(node, KG.countryCode, entity.country)
        if entity.wikidata:
            self.add(node, SCHEMA.sameAs, WD[entity.wikidata])
        if entity.website:
            self.add(node, SCHEMA.url, ox.NamedNode(entity.website))
        if entity.unit_of:
            self.add(node, ORG.unitOf, iri(entity.unit_of))
            self.add(iri(entity.unit_of), ORG.hasUnit, node)
        if entity.member_of:
            self.add(node, KG.memberOf, iri(entity.member_of))
        if entity.developer:
            self.add(node, KG.developer, iri(entity.developer))
            self.add(iri(entity.developer), KG.develops, node)
        for industry in entity.industries:
            self.add(node, KG.industry, iri(industry))
        for market in entity.markets:
            self.add(node, KG.activeInMarket, iri(market))
        for merged in entity.merged:
            self.add(node, OWL.sameAs, iri(merged))
        if entity.proposed:
            self.add(node, KG.proposed, True)

    # -- values ---------------------------------------------------------------------------------------------

    def instant(self, key: str, date: DateValue) -> ox.NamedNode:
        assert date.precision is not None  # DateValue's validator sets it
        node = iri(f"{key}/time")
        self.add(node, RDF.type, TIME.Instant)
        self.add(node, RDFS.label, date.value + (" (inferred)" if date.inferred else ""))
        self.add(node, TIME_PROPERTIES[date.precision], literal(date.value, datatype=DATE_TYPES[date.precision]))
        self.add(node, TIME.unitType, TIME_UNITS[date.precision])
        self.add(node, KG.earliestDate, literal(date.earliest))
        self.add(node, KG.latestDate, literal(date.latest))
        if date.inferred:
            self.add(node, KG.inferred, True)
            self.add(node, KG.inferenceNote, " ".join((date.note or "").split()))
        if date.basis:
            self.add(node, KG.inferenceSource, iri(date.basis))
        return node

    def money(self, node: ox.NamedNode, amount: Amount, original: ox.NamedNode | None) -> ox.NamedNode:
        self.add(node, RDF.type, KG.MonetaryAmount)
        self.add(node, RDFS.label, money_label(amount) + (" (converted by the reporter)" if amount.converted else ""))
        self.add(node, SCHEMA.value, literal(amount.value, datatype=XSD.decimal))
        self.add(node, SCHEMA.currency, amount.currency)
        if amount.converted:
            self.add(node, KG.isConverted, True)
            self.add(node, KG.convertedBy, self.source)
            self.add(node, KG.convertedFrom, original)
        return node

    def amounts(self, key: str, amounts: Iterable[Amount]) -> list[ox.NamedNode]:
        amounts = list(amounts)
        original = next(iri(f"{key}/{a.currency}") for a in amounts if not a.converted)
        return [self.money(iri(f"{key}/{a.currency}"), a, original) for a in amounts]

    def percent_range(self, node: ox.NamedNode, share: PercentRange) -> ox.NamedNode:
        self.add(node, RDF.type, KG.PercentRange)
        text = f"{share.min}%" if share.min == share.max else f"{share.min}–{share.max}%"
        self.add(node, RDFS.label, text)
        self.add(node, SCHEMA.minValue, literal(share.min, datatype=XSD.decimal))
        self.add(node, SCHEMA.maxValue, literal(share.max, datatype=XSD.decimal))
        self.add(node, SCHEMA.unitCode, "P1")
        self.add(node, SCHEMA.unitText, "percent")
        return node

    # -- facts ----------------------------------------------------------------------------------------------

    def provenance(
        self,
        node: ox.NamedNode,
        fact: FactBase,
        *,
        attributed_to: str | None = None,
        estimate: bool = False,
        part: bool = False,
    ) -> None:
        """Source, attribution, estimate flag and extraction metadata of a fact node (``part``: of a fact's part)."""
        self.add(node, PROV.wasDerivedFrom, self.source)
        agent = attributed_to or fact.attributed_to
        if agent:
            self.add(node, PROV.wasAttributedTo, iri(agent))
        if estimate or fact.estimate:
            self.add(node, KG.isEstimate, True)
        if fact.confidence is not None:
            self.add(node, KG.confidence, literal(Decimal(str(fact.confidence)), datatype=XSD.decimal))
        if fact.evidence:
            self.add(node, KG.evidenceStart, min(e.start for e in fact.evidence))
            self.add(node, KG.evidenceEnd, max(e.end for e in fact.evidence))
        if fact.note and not part:
            self.add(node, RDFS.comment, " ".join(fact.note.split()))

    def event(self, node: ox.NamedNode, kind: ox.NamedNode, fact: FactBase, label: str) -> None:
        self.add(node, RDF.type, kind)
        date = fact.date
        self.add(node, RDFS.label, f"{label} ({date.value})" if date else label)
        self.add(node, KG.company, iri(fact.subject))
        if date:
            assert date.precision is not None  # DateValue's validator sets it
            self.add(node, KG.date, literal(date.value, datatype=DATE_TYPES[date.precision]))
            self.add(node, KG.occurredAt, self.instant(fact.id, date))
        self.provenance(node, fact)

    def compile_fact(self, fact: FactBase) -> None:
        node = iri(fact.id)
        subject = self.name(fact.subject)
        match fact:
            case LayoffFact():
                self.compile_layoff(node, fact, subject)
            case FinancialResultFact():
                self.compile_results(node, fact, subject)
            case ProductLaunchFact():
                self.event(node, KG.ProductLaunch, fact, f"{subject} launches {self.name(fact.object)}")
                self.add(node, KG.product, iri(fact.object))
            case DevelopsFact():
                self.add(node, RDF.type, KG.ProductDevelopment)
                self.add(node, RDFS.label, f"{subject} develops {self.name(fact.object)}")
                self.add(node, KG.company, iri(fact.subject))
                self.add(node, KG.product, iri(fact.object))
                self.provenance(node, fact)
                self.add(iri(fact.object), KG.developer, iri(fact.subject))
                self.add(iri(fact.subject), KG.develops, iri(fact.object))
            case CompetitionFact():
                self.compile_competition(node, fact)
            case HeadwindFact():
                self.add(node, RDF.type, KG.HeadwindExposure)
                self.add(node, RDFS.label, f"{subject} weighs on {self.name(fact.object)}")
                self.add(node, KG.headwind, iri(fact.subject))
                self.add(node, KG.exposed, iri(fact.object))
                self.provenance(node, fact)
                self.add(iri(fact.subject), KG.affects, iri(fact.object))
            case StatementFact():
                self.event(node, KG.CorporateStatement, fact, f"{subject} statement")
                if fact.in_response_to:
                    self.add(node, KG.inResponseTo, iri(fact.in_response_to))
                for claim in fact.claims:
                    self.add(node, KG.claim, claim)
                for topic in fact.focus_areas:
                    self.add(node, KG.focusArea, iri(topic))
            case FundingFact():
                self.event(
                    node, KG.FundingRound, fact, f"{subject} funding" + (f" ({fact.round})" if fact.round else "")
                )
                self.add(node, KG.roundName, fact.round)
                for investor in fact.investors:
                    self.add(node, KG.investor, iri(investor))
                if fact.amount:
                    self.add(node, KG.amount, self.money(iri(f"{fact.id}/amount"), fact.amount, None))
                if fact.valuation:
                    self.add(node, KG.valuation, self.money(iri(f"{fact.id}/valuation"), fact.valuation, None))
            case PartnershipFact():
                self.event(node, KG.Partnership, fact, f"{subject} partners with {self.name(fact.object)}")
                self.add(node, KG.participant, iri(fact.subject))
                self.add(node, KG.participant, iri(fact.object))

    def compile_layoff(self, node: ox.NamedNode, fact: LayoffFact, subject: str) -> None:
        self.event(node, KG.Layoff, fact, f"{subject} layoffs")
        for unit in fact.units:
            self.add(node, KG.affectedUnit, iri(unit))
        self.add(node, KG.repeatRound, True if fact.repeat_round else None)
        self.add(node, KG.scaleDescription, fact.scale)
        self.add(node, KG.scopeDescription, fact.scope)
        if fact.notice_period:
            self.add(node, KG.noticePeriod, literal(fact.notice_period, datatype=XSD.duration))
        self.add(node, KG.noticeAppliesTo, fact.notice_applies_to)
        self.add(node, KG.headcount, fact.headcount)
        if fact.share:
            self.add(node, KG.share, self.percent_range(iri(f"{fact.id}/share"), fact.share))
        for index, reduction in enumerate(fact.reductions, start=1):
            part = iri(f"{fact.id}/reduction-{index}")
            self.add(node, KG.hasReduction, part)
            self.add(part, RDF.type, KG.WorkforceReduction)
            size = f"{reduction.share.min}–{reduction.share.max}%" if reduction.share else f"{reduction.headcount} jobs"
            qualifier = "estimated " if reduction.estimate else ""
            self.add(part, RDFS.label, f"{self.name(reduction.unit)} cut by {qualifier}{size}")
            self.add(part, KG.reducedUnit, iri(reduction.unit))
            if reduction.share:
                self.add(part, KG.share, self.percent_range(iri(f"{fact.id}/reduction-{index}/share"), reduction.share))
            self.add(part, KG.headcount, reduction.headcount)
            self.provenance(part, fact, attributed_to=reduction.attributed_to, estimate=reduction.estimate, part=True)
        for index, term in enumerate(fact.severance, start=1):
            part = iri(f"{fact.id}/severance-{index}")
            self.add(node, KG.hasSeveranceTerm, part)
            self.add(part, RDF.type, KG.SeveranceTerm)
            groups = ", ".join(group.replace("_", " ") for group in term.applies_to)
            self.add(part, RDFS.label, f"severance {term.formula} for {groups}")
            self.add(part, KG.formula, term.formula)
            self.add(part, KG.additionalMonths, term.additional_months)
            self.add(part, KG.formulaBase, term.base)
            for extra in term.extras:
                self.add(part, KG.extraBenefit, extra)
            for group in term.applies_to:
                self.add(part, KG.appliesTo, EMPLOYEE_GROUPS[group])
            self.provenance(part, fact, part=True)

    def compile_results(self, node: ox.NamedNode, fact: FinancialResultFact, subject: str) -> None:
        period = fact.period
        self.event(node, KG.FinancialResults, fact, f"{subject} results {period.label}")
        period_node = iri(f"{fact.id}/period")
        self.add(node, KG.period, period_node)
        self.add(period_node, RDF.type, KG.FiscalPeriod)
        self.add(period_node, RDFS.label, period.label)
        self.add(period_node, KG.periodStart, literal(period.start))
        self.add(period_node, KG.periodEnd, literal(period.end))
        if period.fiscal_year:
            self.add(period_node, KG.fiscalYear, literal(str(period.fiscal_year), datatype=XSD.gYear))
        self.add(node, KG.trend, fact.trend)
        for measurement in fact.measurements:
            key = f"{fact.id}/{measurement.metric.replace('_', '-')}"
            part = iri(key)
            self.add(node, KG.hasMeasurement, part)
            self.add(part, RDF.type, KG.FinancialMeasurement)
            metric = (LOSS_LABELS if measurement.loss else METRIC_LABELS)[measurement.metric]
            self.add(part, RDFS.label, f"{subject} {metric} {period.label}")
            self.add(part, KG.company, iri(fact.subject))
            self.add(part, KG.metric, METRICS[measurement.metric])
            self.add(part, KG.period, period_node)
            for amount in self.amounts(key, measurement.amounts):
                self.add(part, KG.amount, amount)
            if measurement.yoy_change_percent is not None:
                self.add(part, KG.yearOnYearChange, literal(measurement.yoy_change_percent, datatype=XSD.decimal))
            if measurement.loss:
                self.add(part, KG.isLoss, True)
            self.provenance(part, fact, estimate=measurement.estimate, part=True)

    def compile_competition(self, node: ox.NamedNode, fact: CompetitionFact) -> None:
        rivals = fact.rivals
        self.add(node, RDF.type, KG.Competition)
        names = [self.name(rival) for rival in rivals]
        label = " vs ".join(names) if len(names) == 2 else "race among " + ", ".join(names)
        if fact.market:
            label += f" in {self.name(fact.market)}"
        self.add(node, RDFS.label, label)
        for rival in rivals:
            self.add(node, KG.participant, iri(rival))
        if fact.market:
            self.add(node, KG.market, iri(fact.market))
        self.provenance(node, fact)
        for first, second in permutations(rivals, 2):
            self.add(iri(first), KG.competesWith, iri(second))


def _source_label(source: Source, names: Mapping[str, str]) -> str:
    if source.publisher:
        return f"{names.get(source.publisher, source.publisher)} report"
    return source.id.replace("-", " ")


def entity_names(sheets: Iterable[FactSheet]) -> dict[str, str]:
    """Every entity's display name by identifier."""
    return {entity.id: entity.name for sheet in sheets for entity in sheet.entities}


def compile_sheets(
    sheets: Iterable[FactSheet], graphs: Graphs | None = None, *, names: Mapping[str, str] | None = None
) -> Graphs:
    """Compile fact sheets into ``graphs`` (new ones by default), each source into its own named graph.

    ``names`` gives the names of entities that other sheets declare (a sheet compiled alone against the store).
    """
    sheets = list(sheets)
    graphs = graphs if graphs is not None else {}
    names = {**(names or {}), **entity_names(sheets)}
    for sheet in sheets:
        _SheetCompiler(graphs.setdefault(graph_name(sheet.source.id), {}), sheet, names).compile()
    return graphs
