"""kgraph's namespaces as rdflib terms, for the edges that use rdflib (the IRIs are :mod:`kgraph.vocabulary`'s)."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, TIME, XSD, DefinedNamespace

from kgraph import vocabulary
from kgraph.vocabulary import ONTOLOGY_IRI, PREFIXES, sparql_prologue

SCHEMA = Namespace(vocabulary.SCHEMA)
ORG = Namespace(vocabulary.ORG)
WD = Namespace(vocabulary.WD)
WDT = Namespace(vocabulary.WDT)

#: Entities and fact nodes of the landscape.
KGD = Namespace(vocabulary.KGD)
#: Names of the named graphs: one per source, one for the ontology, one for inferred triples.
GRAPH = Namespace(vocabulary.GRAPH)
ONTOLOGY_GRAPH = GRAPH["ontology"]
INFERRED_GRAPH = GRAPH["inferred"]

__all__ = [
    "GRAPH",
    "INFERRED_GRAPH",
    "KG",
    "KGD",
    "ONTOLOGY_GRAPH",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "TIME",
    "WD",
    "WDT",
    "XSD",
    "sparql_prologue",
]


class KG(DefinedNamespace):
    """The kgraph ontology (``ontology/kgraph.ttl``); a test checks both list the same terms."""

    _fail = True
    _NS = Namespace(vocabulary.KG)

    # classes
    Organization: object
    Company: object
    BusinessUnit: object
    NewsPublisher: object
    AnonymousSource: object
    Source: object
    NewsArticle: object
    ReferenceSource: object
    Product: object
    AIProduct: object
    LargeLanguageModel: object
    Industry: object
    Market: object
    Headwind: object
    Topic: object
    Metric: object
    EmployeeGroup: object
    Event: object
    Layoff: object
    ProductLaunch: object
    FinancialResults: object
    CorporateStatement: object
    FundingRound: object
    Partnership: object
    Fact: object
    FinancialMeasurement: object
    WorkforceReduction: object
    SeveranceTerm: object
    HeadwindExposure: object
    Competition: object
    ProductDevelopment: object
    MonetaryAmount: object
    PercentRange: object
    FiscalPeriod: object
    # object properties
    developer: object
    develops: object
    competesWith: object
    activeInMarket: object
    industry: object
    affects: object
    memberOf: object
    publisher: object
    basedOn: object
    company: object
    product: object
    affectedUnit: object
    hasReduction: object
    reducedUnit: object
    share: object
    hasSeveranceTerm: object
    appliesTo: object
    hasMeasurement: object
    metric: object
    period: object
    amount: object
    valuation: object
    convertedFrom: object
    convertedBy: object
    inResponseTo: object
    focusArea: object
    headwind: object
    exposed: object
    participant: object
    market: object
    investor: object
    occurredAt: object
    publishedAt: object
    inferenceSource: object
    # datatype properties
    date: object
    earliestDate: object
    latestDate: object
    inferred: object
    inferenceNote: object
    periodStart: object
    periodEnd: object
    fiscalYear: object
    yearOnYearChange: object
    isLoss: object
    isEstimate: object
    trend: object
    isConverted: object
    headcount: object
    noticePeriod: object
    noticeAppliesTo: object
    scaleDescription: object
    scopeDescription: object
    repeatRound: object
    formula: object
    formulaBase: object
    additionalMonths: object
    extraBenefit: object
    claim: object
    roundName: object
    countryCode: object
    confidence: object
    evidenceStart: object
    evidenceEnd: object
    proposed: object
    # individuals
    Revenue: object
    NetIncome: object
    AdjustedNetIncome: object
    OperatingIncome: object
    GrossProfit: object
    AffectedEmployees: object
    NonRenewedContracts: object
    FreshGraduates: object
