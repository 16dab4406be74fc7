"""A synthetic competitive landscape that follows kgraph's ontology, at a requested size, for benchmarks.

Companies with business units, products and large language models (developers, rivals), markets and industries,
dated events (layoffs with workforce reductions and severance terms, product launches, financial results with
measurements in two currencies, statements), headwinds, and news articles that every fact is derived from. Each
article's facts live in a named graph of their own (as kgraph's build does), entities in registry graphs, the
ontology in its graph, and the RDFS entailments in the inferred graph. The same seed gives the same file.

    python benchmarks/synthetic.py --triples 100000 -o /tmp/landscape-100k.nq

``SAMPLE`` names entities that every generated landscape has (company 0 has products, layoffs and results), so
that benchmarks can bind the named questions' parameters.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kgraph.infer import INFERRED, Schema
from kgraph.namespaces import GRAPH, KG, KGD, ONTOLOGY_GRAPH, ORG, SCHEMA
from kgraph.resources import ontology_file

if TYPE_CHECKING:
    from kgraph.queries import NamedQuery

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
TIME = "http://www.w3.org/2006/time#"

#: Entities present in every synthetic landscape, for binding the named questions' parameters.
SAMPLE = {
    "company": f"{KGD}syn/company-0",
    "market": f"{KGD}syn/market-0",
    "industry": f"{KGD}syn/industry-0",
    "source": f"{KGD}syn/article-0",
    "fact": f"{KGD}syn/company-0/layoff-0",
    "event": f"{KGD}syn/company-0/layoff-0",
    "entity": f"{KGD}syn/company-0",
    "developer": f"{KGD}syn/company-0",
}


def sample_questions() -> list[tuple[NamedQuery, dict[str, ox.NamedNode | ox.Literal]]]:
    """Every named question whose required parameters ``SAMPLE`` fills, with its bindings as from the command line:
    the required parameters bound to sample entities, the optional ones at their defaults."""
    from kgraph import queries

    found = []
    for question in queries.catalog().values():
        required = [p for p in question.parameters if p.required]
        if all(p.name in SAMPLE for p in required):
            found.append((question, question.bind({p.name: ox.NamedNode(SAMPLE[p.name]) for p in required})))
    return found


COUNTRIES = ("CN", "US", "GB", "DE", "FR", "JP", "KR", "IN", "SG", "IL")
METRICS = (("Revenue", "revenue"), ("NetIncome", "net income"), ("OperatingIncome", "operating income"))
EVENT_KINDS = ("layoff", "launch", "statement", "partnership")
FACTS_PER_ARTICLE = 12
COMPANIES_PER_REGISTRY = 200


def _iri(path: str) -> ox.NamedNode:
    return ox.NamedNode(f"{KGD}syn/{path}")


def _kg(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(KG[name]))


def _lit(value: object, datatype: str | None = None) -> ox.Literal:
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + (datatype or "integer")))
    if datatype:
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))
    return ox.Literal(str(value))


A = ox.NamedNode(RDF + "type")
LABEL = ox.NamedNode(RDFS + "label")
DERIVED = ox.NamedNode(PROV + "wasDerivedFrom")
ATTRIBUTED = ox.NamedNode(PROV + "wasAttributedTo")


@dataclass
class _Writer:
    """Collects quads, the article the next facts go to, and the entailments of what was added."""

    rng: random.Random
    schema: Schema
    quads: list[ox.Quad] = field(default_factory=list)
    asserted: set[ox.Triple] = field(default_factory=set)
    inferred: set[ox.Triple] = field(default_factory=set)
    facts_in_article: int = 0
    article: int = -1
    publishers: int = 20

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal, graph: ox.NamedNode) -> None:
        triple = ox.Triple(s, p, o)
        if triple in self.asserted:
            return
        self.asserted.add(triple)
        self.inferred.discard(triple)
        self.quads.append(ox.Quad(s, p, o, graph))
        pending = [triple]
        while pending:
            for entailed in self.schema.consequences(pending.pop()):
                if entailed not in self.asserted and entailed not in self.inferred:
                    self.inferred.add(entailed)
                    pending.append(entailed)

    @property
    def size(self) -> int:
        return len(self.asserted) + len(self.inferred)

    def source(self) -> tuple[ox.NamedNode, ox.NamedNode]:
        """The article (and its graph) that the next fact comes from; a new article every few facts."""
        if self.article < 0 or self.facts_in_article >= FACTS_PER_ARTICLE:
            self.article += 1
            self.facts_in_article = 0
            node = _iri(f"article-{self.article}")
            graph = ox.NamedNode(str(GRAPH[f"syn-article-{self.article}"]))
            self.add(node, A, _kg("NewsArticle"), graph)
            self.add(node, LABEL, _lit(f"Synthetic news report {self.article}"), graph)
            self.add(node, ox.NamedNode(str(SCHEMA.headline)), _lit(f"Report {self.article}"), graph)
            publisher = _iri(f"publisher-{self.article % self.publishers}")
            self.add(node, _kg("publisher"), publisher, graph)
        self.facts_in_article += 1
        return _iri(f"article-{self.article}"), ox.NamedNode(str(GRAPH[f"syn-article-{self.article}"]))


def _instant(w: _Writer, node: ox.NamedNode, year: int, month: int, day: int, graph: ox.NamedNode) -> None:
    text = f"{year:04d}-{month:02d}-{day:02d}"
    w.add(node, A, ox.NamedNode(TIME + "Instant"), graph)
    w.add(node, LABEL, _lit(text), graph)
    w.add(node, ox.NamedNode(TIME + "inXSDDate"), _lit(text, "date"), graph)
    w.add(node, ox.NamedNode(TIME + "unitType"), ox.NamedNode(TIME + "unitDay"), graph)
    w.add(node, _kg("earliestDate"), _lit(text, "date"), graph)
    w.add(node, _kg("latestDate"), _lit(text, "date"), graph)


def _shared(w: _Writer, markets: int, industries: int, headwinds: int) -> None:
    graph = ox.NamedNode(str(GRAPH["syn-registry-shared"]))
    registry = _iri("registry-shared")
    w.add(registry, A, _kg("ReferenceSource"), graph)
    w.add(registry, LABEL, _lit("Synthetic registry of shared concepts"), graph)
    for index in range(industries):
        node = _iri(f"industry-{index}")
        w.add(node, A, _kg("Industry"), graph)
        w.add(node, LABEL, _lit(f"Industry {index}"), graph)
    for index in range(markets):
        node = _iri(f"market-{index}")
        w.add(node, A, _kg("Market"), graph)
        w.add(node, LABEL, _lit(f"Market {index}"), graph)
        w.add(node, _kg("industry"), _iri(f"industry-{index % industries}"), graph)
        w.add(node, _kg("countryCode"), _lit(COUNTRIES[index % len(COUNTRIES)]), graph)
    for index in range(headwinds):
        node = _iri(f"headwind-{index}")
        w.add(node, A, _kg("Headwind"), graph)
        w.add(node, LABEL, _lit(f"Headwind {index}"), graph)
    for index in range(w.publishers):
        node = _iri(f"publisher-{index}")
        w.add(node, A, _kg("NewsPublisher"), graph)
        w.add(node, LABEL, _lit(f"Publisher {index}"), graph)


def _company(w: _Writer, index: int, markets: int, industries: int, headwinds: int) -> None:
    rng = w.rng
    rich = index == 0
    graph = ox.NamedNode(str(GRAPH[f"syn-registry-{index // COMPANIES_PER_REGISTRY}"]))
    registry = _iri(f"registry-{index // COMPANIES_PER_REGISTRY}")
    if index % COMPANIES_PER_REGISTRY == 0:
        w.add(registry, A, _kg("ReferenceSource"), graph)
        w.add(registry, LABEL, _lit(f"Synthetic company registry {index // COMPANIES_PER_REGISTRY}"), graph)
    company = _iri(f"company-{index}")
    market = index % markets if index < markets else rng.randrange(markets)
    industry = market % industries
    w.add(company, A, _kg("Company"), graph)
    w.add(company, LABEL, _lit(f"Company {index}"), graph)
    w.add(company, ox.NamedNode(str(SCHEMA.description)), _lit(f"Synthetic company number {index}."), graph)
    w.add(company, _kg("countryCode"), _lit(COUNTRIES[market % len(COUNTRIES)]), graph)
    w.add(company, _kg("industry"), _iri(f"industry-{industry}"), graph)
    w.add(company, _kg("activeInMarket"), _iri(f"market-{market}"), graph)

    units = []
    for u in range(rng.randint(1, 3)):
        unit = _iri(f"company-{index}/unit-{u}")
        units.append(unit)
        w.add(unit, A, _kg("BusinessUnit"), graph)
        w.add(unit, LABEL, _lit(f"Company {index} unit {u}"), graph)
        w.add(unit, ox.NamedNode(str(ORG.unitOf)), company, graph)
        w.add(company, ox.NamedNode(str(ORG.hasUnit)), unit, graph)

    products = []
    for p in range(rng.randint(1, 3) if not rich else 2):
        product = _iri(f"company-{index}/product-{p}")
        products.append(product)
        kind = "LargeLanguageModel" if (rich and p == 0) or rng.random() < 0.4 else rng.choice(("AIProduct", "Product"))
        w.add(product, A, _kg(kind), graph)
        w.add(product, LABEL, _lit(f"Product {index}.{p}"), graph)
        w.add(product, _kg("developer"), company, graph)
        w.add(company, _kg("develops"), product, graph)

    # rivals: earlier companies in the same market (by index), and their products
    if index > 0:
        rivals = sorted({rng.randrange(index) for _ in range(rng.randint(1, 3))})
        source, fact_graph = w.source()
        competition = _iri(f"company-{index}/competition")
        w.add(competition, A, _kg("Competition"), fact_graph)
        w.add(competition, LABEL, _lit(f"Company {index} competes with {len(rivals)} rivals"), fact_graph)
        w.add(competition, _kg("market"), _iri(f"market-{market}"), fact_graph)
        w.add(competition, DERIVED, source, fact_graph)
        w.add(competition, _kg("participant"), company, fact_graph)
        for rival in rivals:
            other = _iri(f"company-{rival}")
            w.add(competition, _kg("participant"), other, fact_graph)
            w.add(company, _kg("competesWith"), other, fact_graph)
            w.add(other, _kg("activeInMarket"), _iri(f"market-{market}"), fact_graph)
            w.add(products[0], _kg("competesWith"), _iri(f"company-{rival}/product-0"), fact_graph)

    # financial results for consecutive years, in the company's reporting currency, USD converted
    currency = "CNY" if COUNTRIES[market % len(COUNTRIES)] == "CN" else "USD"
    first_year = rng.randint(2016, 2021)
    revenue = rng.randint(100, 50_000) * 1_000_000
    for year in range(first_year, first_year + (rng.randint(1, 3) if not rich else 3)):
        source, fact_graph = w.source()
        results = _iri(f"company-{index}/results-{year}")
        period = _iri(f"company-{index}/results-{year}/period")
        w.add(results, A, _kg("FinancialResults"), fact_graph)
        w.add(results, LABEL, _lit(f"Company {index} results FY{year}"), fact_graph)
        w.add(results, _kg("company"), company, fact_graph)
        w.add(results, DERIVED, source, fact_graph)
        w.add(results, _kg("period"), period, fact_graph)
        w.add(period, A, _kg("FiscalPeriod"), fact_graph)
        w.add(period, LABEL, _lit(f"FY{year}"), fact_graph)
        w.add(period, _kg("periodStart"), _lit(f"{year}-01-01", "date"), fact_graph)
        w.add(period, _kg("periodEnd"), _lit(f"{year}-12-31", "date"), fact_graph)
        w.add(period, _kg("fiscalYear"), _lit(str(year), "gYear"), fact_graph)
        change = rng.randint(-30, 40)
        revenue = revenue * (100 + change) // 100
        for metric, label in METRICS[: 2 if not rich else 3]:
            value = revenue if metric == "Revenue" else revenue * rng.randint(-40, 25) // 100
            part = _iri(f"company-{index}/results-{year}/{metric}")
            w.add(results, _kg("hasMeasurement"), part, fact_graph)
            w.add(part, A, _kg("FinancialMeasurement"), fact_graph)
            w.add(part, LABEL, _lit(f"Company {index} {label} FY{year}"), fact_graph)
            w.add(part, _kg("company"), company, fact_graph)
            w.add(part, _kg("metric"), _kg(metric), fact_graph)
            w.add(part, _kg("period"), period, fact_graph)
            w.add(part, DERIVED, source, fact_graph)
            if metric == "Revenue" and year > first_year:
                w.add(part, _kg("yearOnYearChange"), _lit(change, "decimal"), fact_graph)
            if value < 0:
                w.add(part, _kg("isLoss"), _lit(True), fact_graph)
            original = _iri(f"company-{index}/results-{year}/{metric}/{currency}")
            w.add(part, _kg("amount"), original, fact_graph)
            w.add(original, A, _kg("MonetaryAmount"), fact_graph)
            w.add(original, ox.NamedNode(str(SCHEMA.value)), _lit(value, "decimal"), fact_graph)
            w.add(original, ox.NamedNode(str(SCHEMA.currency)), _lit(currency), fact_graph)
            if currency != "USD":
                converted = _iri(f"company-{index}/results-{year}/{metric}/USD")
                w.add(part, _kg("amount"), converted, fact_graph)
                w.add(converted, A, _kg("MonetaryAmount"), fact_graph)
                w.add(converted, ox.NamedNode(str(SCHEMA.value)), _lit(value * 14 // 100, "decimal"), fact_graph)
                w.add(converted, ox.NamedNode(str(SCHEMA.currency)), _lit("USD"), fact_graph)
                w.add(converted, _kg("isConverted"), _lit(True), fact_graph)
                w.add(converted, _kg("convertedFrom"), original, fact_graph)
                w.add(converted, _kg("convertedBy"), source, fact_graph)

    # dated events
    kinds = list(EVENT_KINDS) if rich else [rng.choice(EVENT_KINDS) for _ in range(rng.randint(1, 3))]
    for number, kind in enumerate(kinds):
        source, fact_graph = w.source()
        year, month, day = rng.randint(2018, 2024), rng.randint(1, 12), rng.randint(1, 28)
        name = f"company-{index}/{kind}-{number}"
        event, instant = _iri(name), _iri(f"{name}/time")
        w.add(event, _kg("company"), company, fact_graph)
        w.add(event, DERIVED, source, fact_graph)
        w.add(event, _kg("date"), _lit(f"{year:04d}-{month:02d}-{day:02d}", "date"), fact_graph)
        w.add(event, _kg("occurredAt"), instant, fact_graph)
        _instant(w, instant, year, month, day, fact_graph)
        if kind == "layoff":
            w.add(event, A, _kg("Layoff"), fact_graph)
            w.add(event, LABEL, _lit(f"Company {index} layoffs {year}"), fact_graph)
            unit = rng.choice(units)
            w.add(event, _kg("affectedUnit"), unit, fact_graph)
            reduction, share = _iri(f"{name}/reduction"), _iri(f"{name}/reduction/share")
            low = rng.randint(2, 20)
            w.add(event, _kg("hasReduction"), reduction, fact_graph)
            w.add(reduction, A, _kg("WorkforceReduction"), fact_graph)
            w.add(reduction, LABEL, _lit(f"unit cut by {low}–{low + 5}%"), fact_graph)
            w.add(reduction, _kg("reducedUnit"), unit, fact_graph)
            w.add(reduction, _kg("share"), share, fact_graph)
            w.add(reduction, DERIVED, source, fact_graph)
            w.add(share, A, _kg("PercentRange"), fact_graph)
            w.add(share, ox.NamedNode(str(SCHEMA.minValue)), _lit(low, "decimal"), fact_graph)
            w.add(share, ox.NamedNode(str(SCHEMA.maxValue)), _lit(low + 5, "decimal"), fact_graph)
            w.add(share, ox.NamedNode(str(SCHEMA.unitCode)), _lit("P1"), fact_graph)
            if rng.random() < 0.5 or rich:
                insider = _iri(f"company-{index}/insider")
                w.add(insider, A, _kg("AnonymousSource"), fact_graph)
                w.add(insider, LABEL, _lit(f"an employee of Company {index}"), fact_graph)
                w.add(insider, _kg("memberOf"), unit, fact_graph)
                w.add(reduction, _kg("isEstimate"), _lit(True), fact_graph)
                w.add(reduction, ATTRIBUTED, insider, fact_graph)
            term = _iri(f"{name}/severance")
            extra = rng.randint(0, 3)
            w.add(event, _kg("hasSeveranceTerm"), term, fact_graph)
            w.add(term, A, _kg("SeveranceTerm"), fact_graph)
            w.add(term, LABEL, _lit(f"severance N+{extra}"), fact_graph)
            w.add(term, _kg("formula"), _lit(f"N+{extra}" if extra else "N"), fact_graph)
            w.add(term, _kg("additionalMonths"), _lit(extra), fact_graph)
            w.add(term, _kg("appliesTo"), _kg("AffectedEmployees"), fact_graph)
            w.add(term, DERIVED, source, fact_graph)
        elif kind == "launch":
            product = rng.choice(products)
            w.add(event, A, _kg("ProductLaunch"), fact_graph)
            w.add(event, LABEL, _lit(f"Company {index} launches a product {year}"), fact_graph)
            w.add(event, _kg("product"), product, fact_graph)
        elif kind == "statement":
            w.add(event, A, _kg("CorporateStatement"), fact_graph)
            w.add(event, LABEL, _lit(f"Company {index} statement {year}"), fact_graph)
            w.add(event, ATTRIBUTED, company, fact_graph)
            w.add(event, _kg("claim"), _lit(f"Company {index} says it keeps investing."), fact_graph)
        else:
            partner = _iri(f"company-{rng.randrange(index)}" if index else "company-0")
            w.add(event, A, _kg("Partnership"), fact_graph)
            w.add(event, LABEL, _lit(f"Company {index} partnership {year}"), fact_graph)
            w.add(event, _kg("participant"), company, fact_graph)
            w.add(event, _kg("participant"), partner, fact_graph)

    # now and then, a headwind weighs on an industry or market
    if index % 10 == 0:
        source, fact_graph = w.source()
        headwind = _iri(f"headwind-{(index // 10) % headwinds}")
        target = _iri(f"industry-{industry}" if rng.random() < 0.6 else f"market-{market}")
        exposure = _iri(f"exposure-{index // 10}")
        w.add(exposure, A, _kg("HeadwindExposure"), fact_graph)
        w.add(exposure, LABEL, _lit(f"Headwind exposure {index // 10}"), fact_graph)
        w.add(exposure, _kg("headwind"), headwind, fact_graph)
        w.add(exposure, _kg("exposed"), target, fact_graph)
        w.add(exposure, DERIVED, source, fact_graph)
        w.add(headwind, _kg("affects"), target, fact_graph)


def generate(triples: int, *, seed: int = 7) -> Iterator[ox.Quad]:
    """About ``triples`` quads (the ontology and the inferred graph included), always the same for one seed."""
    ontology_graph = ox.NamedNode(str(ONTOLOGY_GRAPH))
    ontology = [
        ox.Quad(t.subject, t.predicate, t.object, ontology_graph)
        for t in ox.parse(path=str(ontology_file()), format=ox.RdfFormat.TURTLE)
    ]
    writer = _Writer(random.Random(seed), Schema(q.triple for q in ontology))
    for quad in ontology:
        writer.add(quad.subject, quad.predicate, quad.object, ontology_graph)
    scale = max(1, triples // 1000)
    markets, industries, headwinds = max(3, scale // 2), max(2, scale // 10), max(3, scale // 20)
    _shared(writer, markets, industries, headwinds)
    index = 0
    while writer.size < triples:
        _company(writer, index, markets, industries, headwinds)
        index += 1
    yield from writer.quads
    for triple in sorted(writer.inferred, key=str):
        yield ox.Quad(triple.subject, triple.predicate, triple.object, INFERRED)


def write(path: Path, triples: int, *, seed: int = 7) -> int:
    """Write a landscape of about ``triples`` quads to ``path`` as N-Quads; the number written."""
    quads = list(generate(triples, seed=seed))
    ox.serialize(quads, output=str(path), format=ox.RdfFormat.N_QUADS)
    return len(quads)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000, help="how many quads, about (default 100000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the N-Quads file to write")
    args = parser.parse_args(argv)
    count = write(args.output, args.triples, seed=args.seed)
    print(f"wrote {count} quads to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
