"""kgraph's vocabulary: the namespaces, the named graphs and the prefixes every query and file gets for free.

Terms are pyoxigraph's, the store's own: ``KG.Company`` (or ``KG["Company"]``) is a ``NamedNode``. The same
namespaces as rdflib terms, for the edges that need rdflib, are in :mod:`kgraph.namespaces`.

>>> KG.Company
<NamedNode value=https://w3id.org/kgraph/ontology#Company>
>>> GRAPH["sensetime-layoffs-article"].value
'https://w3id.org/kgraph/graph/sensetime-layoffs-article'
>>> literal(Decimal("3809000000")).datatype == XSD.decimal
True
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyoxigraph as ox


class Namespace(str):
    """An IRI that terms extend: ``namespace.name`` or ``namespace["name"]`` is the term's ``NamedNode``."""

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.term(name)

    def __getitem__(self, name: str) -> ox.NamedNode:  # type: ignore[override]  # a term, not a character
        return self.term(name)

    def term(self, name: str) -> ox.NamedNode:
        """The term ``name`` of this namespace."""
        return ox.NamedNode(str(self) + name)


class ClosedNamespace(Namespace):
    """A namespace of a fixed list of terms: any other name is an error (a typo found at once)."""

    terms: tuple[str, ...]

    def __new__(cls, iri: str, terms: tuple[str, ...]) -> ClosedNamespace:
        namespace = super().__new__(cls, iri)
        namespace.terms = terms
        return namespace

    def term(self, name: str) -> ox.NamedNode:
        if name not in self.terms:
            raise AttributeError(f"{name!r} is not a term of {self}")
        return super().term(name)


#: The terms of the kgraph ontology (``ontology/kgraph.ttl``); a test checks both list the same terms.
KG_TERMS = (
    # classes
    "Organization",
    "Company",
    "BusinessUnit",
    "NewsPublisher",
    "AnonymousSource",
    "Source",
    "NewsArticle",
    "ReferenceSource",
    "Product",
    "AIProduct",
    "LargeLanguageModel",
    "Industry",
    "Market",
    "Headwind",
    "Topic",
    "Metric",
    "EmployeeGroup",
    "Event",
    "Layoff",
    "ProductLaunch",
    "FinancialResults",
    "CorporateStatement",
    "FundingRound",
    "Partnership",
    "Fact",
    "FinancialMeasurement",
    "WorkforceReduction",
    "SeveranceTerm",
    "HeadwindExposure",
    "Competition",
    "ProductDevelopment",
    "MonetaryAmount",
    "PercentRange",
    "FiscalPeriod",
    # object properties
    "developer",
    "develops",
    "competesWith",
    "activeInMarket",
    "industry",
    "affects",
    "memberOf",
    "publisher",
    "basedOn",
    "company",
    "product",
    "affectedUnit",
    "hasReduction",
    "reducedUnit",
    "share",
    "hasSeveranceTerm",
    "appliesTo",
    "hasMeasurement",
    "metric",
    "period",
    "amount",
    "valuation",
    "convertedFrom",
    "convertedBy",
    "inResponseTo",
    "focusArea",
    "headwind",
    "exposed",
    "participant",
    "market",
    "investor",
    "occurredAt",
    "publishedAt",
    "inferenceSource",
    # datatype properties
    "date",
    "earliestDate",
    "latestDate",
    "inferred",
    "inferenceNote",
    "periodStart",
    "periodEnd",
    "fiscalYear",
    "yearOnYearChange",
    "isLoss",
    "isEstimate",
    "trend",
    "isConverted",
    "headcount",
    "noticePeriod",
    "noticeAppliesTo",
    "scaleDescription",
    "scopeDescription",
    "repeatRound",
    "formula",
    "formulaBase",
    "additionalMonths",
    "extraBenefit",
    "claim",
    "roundName",
    "countryCode",
    "confidence",
    "evidenceStart",
    "evidenceEnd",
    "proposed",
    # individuals
    "Revenue",
    "NetIncome",
    "AdjustedNetIncome",
    "OperatingIncome",
    "GrossProfit",
    "AffectedEmployees",
    "NonRenewedContracts",
    "FreshGraduates",
)


RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
TIME = Namespace("http://www.w3.org/2006/time#")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
#: The kgraph ontology (``ontology/kgraph.ttl``).
KG = ClosedNamespace("https://w3id.org/kgraph/ontology#", KG_TERMS)
#: Entities and fact nodes of the landscape.
KGD = Namespace("https://w3id.org/kgraph/id/")
#: Names of the named graphs: one per source, one for the ontology, one for inferred triples.
GRAPH = Namespace("https://w3id.org/kgraph/graph/")
ONTOLOGY_GRAPH = GRAPH["ontology"]
INFERRED_GRAPH = GRAPH["inferred"]
ONTOLOGY_IRI = "https://w3id.org/kgraph/ontology"

#: Prefixes predeclared in queries and used when writing files.
PREFIXES: dict[str, str] = {
    "kg": str(KG),
    "kgd": str(KGD),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "prov": str(PROV),
    "time": str(TIME),
    "wd": str(WD),
    "wdt": str(WDT),
}


def sparql_prologue() -> str:
    """The PREFIX lines for :data:`PREFIXES`, for engines that cannot be given prefixes (rdflib, remote servers)."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


def literal(value: object, datatype: ox.NamedNode | None = None) -> ox.Literal:
    """A Python value as a literal: text plain, numbers, booleans, dates and times typed (or as ``datatype``)."""
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=XSD.boolean)
    if isinstance(value, Decimal):
        return ox.Literal(format(value, "f"), datatype=datatype or XSD.decimal)
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=datatype or XSD.integer)
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=datatype or XSD.double)
    if isinstance(value, dt.datetime):
        return ox.Literal(value.isoformat(), datatype=datatype or XSD.dateTime)
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=datatype or XSD.date)
    return ox.Literal(str(value), datatype=datatype) if datatype else ox.Literal(str(value))
