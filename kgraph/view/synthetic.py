"""A synthetic landscape in the shape of kgraph's networkx projection, for benchmarks and large-graph tests.

Companies with units, products and markets; launches and layoffs as dated edges and as facts of their company,
a revenue figure per company; sources as nodes. About 2.2 edges per node, like the landscapes the field notes
measured. Deterministic for a given size and seed.
"""

from __future__ import annotations

import random

import networkx as nx

ID = "https://w3id.org/kgraph/id/synthetic/"
KG = "https://w3id.org/kgraph/ontology#"

#: Share of the nodes in each class, and the ontology's label of the class.
CLASS_SHARES: dict[str, tuple[float, str]] = {
    "Company": (0.14, "Company"),
    "BusinessUnit": (0.05, "Business unit"),
    "LargeLanguageModel": (0.12, "Large language model"),
    "AIProduct": (0.16, "AI product"),
    "Product": (0.14, "Product"),
    "Market": (0.03, "Market"),
    "Industry": (0.01, "Industry"),
    "Headwind": (0.02, "Headwind"),
    "Topic": (0.02, "Topic"),
    "NewsPublisher": (0.02, "News publisher"),
    "NewsArticle": (0.29, "News article"),
}


def synthetic_projection(size: int, *, seed: int = 1) -> nx.MultiDiGraph:
    """A landscape projection with about ``size`` nodes (at least one of each class)."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph(
        type_labels={kind: label for kind, (_, label) in CLASS_SHARES.items()},
        event_kinds=["Layoff", "ProductLaunch"],
        figures=[],
    )
    members: dict[str, list[str]] = {}
    for kind, (share, label) in CLASS_SHARES.items():
        count = max(1, round(size * share))
        members[kind] = []
        for number in range(count):
            iri = f"{ID}{kind.lower()}-{number}"
            graph.add_node(
                iri,
                iri=iri,
                label=f"{label} {number}",
                type=kind,
                type_label=label,
                aliases=[f"{kind[:3].upper()}{number}"],
                description=f"A synthetic {label.lower()}.",
                facts=[],
            )
            members[kind].append(iri)
    articles = members["NewsArticle"]
    for article in articles:
        publisher = rng.choice(members["NewsPublisher"])
        graph.nodes[article]["publisher"] = graph.nodes[publisher]["label"]
        graph.nodes[article]["published"] = _date(rng)
        _relate(graph, article, publisher, "publisher", "published by", [])

    def source() -> list[dict]:
        article = rng.choice(articles)
        node = graph.nodes[article]
        return [
            {"iri": article, "label": node["label"], "publisher": node["publisher"], "published": node["published"]}
        ]

    products = members["LargeLanguageModel"] + members["AIProduct"] + members["Product"]
    companies = members["Company"]
    market_of = {company: rng.choice(members["Market"]) for company in companies}
    for company in companies:
        evidence = source()
        _relate(graph, company, market_of[company], "activeInMarket", "active in market", evidence)
        _relate(graph, company, rng.choice(members["Industry"]), "industry", "industry", evidence)
        revenue = rng.randint(50, 9000) * 1_000_000
        change = rng.randint(-40, 60)
        figure = _fact(
            "FinancialMeasurement",
            "Revenue FY2022",
            "2022",
            {"amount": f"USD {revenue:,}", "period": "FY2022", "year-on-year": f"{change:+d}%"},
            evidence,
        )
        figure["iri"] = f"{company}/revenue-2022"
        graph.nodes[company]["facts"].append(figure)
        graph.graph["figures"].append(
            {
                "company": company,
                "measurement": figure["iri"],
                "metric": "revenue",
                "period": "FY2022",
                "year": 2022,
                "value": float(revenue),
                "currency": "USD",
                "converted": False,
                "change": float(change),
                "loss": False,
            }
        )
    for unit in members["BusinessUnit"]:
        company = rng.choice(companies)
        _relate(graph, company, unit, "hasUnit", "has unit", source())
        if rng.random() < 0.5:
            date = _date(rng)
            layoff = _fact("Layoff", "Layoff", date, {"share": f"{rng.randint(5, 30)}% (estimate)"}, source())
            graph.nodes[company]["facts"].append(layoff)
            _relate(graph, company, unit, f"layoff-{unit}", "layoff", [layoff], kind="Layoff", date=date)
    for product in products:
        company = rng.choice(companies)
        _relate(graph, company, product, "develops", "develops", source())
        date = _date(rng)
        launch = _fact("ProductLaunch", f"Launch of {graph.nodes[product]['label']}", date, {}, source())
        graph.nodes[company]["facts"].append(launch)
        _relate(graph, company, product, f"launch-{product}", "launched", [launch], kind="ProductLaunch", date=date)
        if rng.random() < 0.35:
            rival = rng.choice(products)
            if rival != product:
                _relate(graph, product, rival, "competesWith", "competes with", source())
    for company in companies:
        rival = rng.choice(companies)
        if rival != company and rng.random() < 0.6:
            _relate(graph, company, rival, "competesWith", "competes with", source())
    for headwind in members["Headwind"]:
        for target in rng.sample(members["Industry"] + members["Market"], k=min(3, len(members["Market"]))):
            _relate(graph, headwind, target, "affects", "weighs on", source())
    for topic in members["Topic"]:
        _relate(graph, rng.choice(companies), topic, "focusArea", "focuses on", source())
    return graph


def _date(rng: random.Random) -> str:
    return f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}"


def _fact(kind: str, label: str, date: str, details: dict[str, str], sources: list[dict]) -> dict:
    return {
        "kind": kind,
        "kind_label": label,
        "label": label,
        "date": date,
        "earliest": f"{date}-01" if len(date) == 7 else f"{date}-01-01",
        "latest": f"{date}-28" if len(date) == 7 else f"{date}-12-31",
        "inferred": False,
        "details": details,
        "estimate": "estimate" in " ".join(details.values()),
        "sources": sources,
        "attributed_to": None,
    }


def _relate(
    graph: nx.MultiDiGraph,
    subject: str,
    target: str,
    key: str,
    label: str,
    evidence: list[dict],
    *,
    kind: str = "relation",
    date: str | None = None,
) -> None:
    facts = [item for item in evidence if "kind" in item]
    sources = sorted({s["iri"] for item in evidence for s in (item.get("sources") or [item])})
    graph.add_edge(
        subject,
        target,
        key=key,
        predicate=KG + (key if kind == "relation" else kind),
        label=label,
        kind=kind,
        facts=facts,
        earliest=f"{date}-01" if date else None,
        latest=f"{date}-28" if date else None,
        sources=sources,
        symmetric=key == "competesWith",
    )
