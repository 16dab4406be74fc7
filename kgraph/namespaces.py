"""RDF namespaces used by kgraph, and the prefixes every query and file gets for free."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, TIME, XSD, DefinedNamespace

SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")

#: Entities and fact nodes of the landscape.
KGD = Namespace("https://w3id.org/kgraph/id/")
#: Names of the named graphs: one per source, one for the ontology, one for inferred triples.
GRAPH = Namespace("https://w3id.org/kgraph/graph/")
ONTOLOGY_GRAPH = GRAPH["ontology"]
INFERRED_GRAPH = GRAPH["inferred"]
ONTOLOGY_IRI = "https://w3id.org/kgraph/ontology"


class KG(DefinedNamespace):
    """The kgraph ontology (``ontology/kgraph.ttl``); a test checks both list the same terms."""

    _fail = True
    _NS = Namespace("https://w3id.org/kgraph/ontology#")

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
    """The PREFIX lines for :data:`PREFIXES`."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
