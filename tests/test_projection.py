"""The networkx projection of the seed landscape: entities as nodes, facts folded into edges and attributes."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from kgraph.analytics.projection import (
    UnknownKindError,
    node_link,
    project,
    write_graphml,
    write_node_link,
)
from kgraph.dates import DateError
from kgraph.namespaces import KGD
from kgraph.store.base import SelectResult

SENSETIME = str(KGD["sensetime"])
SCG = str(KGD["sensetime-scg"])
SENSENOVA = str(KGD["sensenova"])
CHATGPT = str(KGD["chatgpt"])
AI_INDUSTRY = str(KGD["ai-industry"])
ARTICLE = str(KGD["sensetime-layoffs-article"])
GENERAL_KNOWLEDGE = str(KGD["general-knowledge"])

FACT_CLASSES_QUERY = """
PREFIX kg: <https://w3id.org/kgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?node WHERE {
  VALUES ?root { kg:Fact kg:Event kg:MonetaryAmount kg:PercentRange kg:FiscalPeriod }
  ?node a ?kind . ?kind rdfs:subClassOf* ?root .
}
"""


@pytest.fixture(scope="module")
def graph(seed_store) -> nx.MultiDiGraph:
    return project(seed_store)


def edges(graph: nx.MultiDiGraph, label: str) -> list[tuple[str, str, dict]]:
    return [(u, v, a) for u, v, a in graph.edges(data=True) if a["label"] == label]


def test_counts_of_nodes_and_edges(graph):
    assert graph.number_of_nodes() == 19
    assert graph.number_of_edges() == 29
    by_label = {}
    for _, _, attrs in graph.edges(data=True):
        by_label[attrs["label"]] = by_label.get(attrs["label"], 0) + 1
    assert by_label == {
        "competes with": 7,
        "in industry": 6,
        "active in": 4,
        "weighs on": 3,
        "develops": 2,
        "unit of": 1,
        "member of": 1,
        "published by": 1,
        "based on": 1,
        "layoff": 1,
        "launched": 1,
        "focuses on": 1,
    }


def test_no_anonymous_fact_nodes(graph, seed_store):
    result = seed_store.query(FACT_CLASSES_QUERY)
    assert isinstance(result, SelectResult)
    fact_nodes = {row["node"].value for row in result}
    assert len(fact_nodes) > 20
    assert not fact_nodes & set(graph.nodes)
    for node, attrs in graph.nodes(data=True):
        assert attrs["iri"] == node
        assert attrs["label"] and attrs["type"] and attrs["type_label"]
        assert attrs["type"] not in {"Fact", "Event", "Layoff", "FinancialMeasurement", "MonetaryAmount"}


def test_node_attributes(graph):
    sensetime = graph.nodes[SENSETIME]
    assert sensetime["label"] == "SenseTime"
    assert sensetime["type"] == "Company"
    assert sensetime["type_label"] == "Company"
    assert set(sensetime["aliases"]) == {"商汤科技", "SenseTime Group"}
    assert sensetime["country"] == "CN"
    sensenova = graph.nodes[SENSENOVA]
    assert (sensenova["type"], sensenova["type_label"]) == ("LargeLanguageModel", "Large language model")
    assert graph.nodes[CHATGPT]["type"] == "AIProduct"
    assert graph.graph["type_labels"]["BusinessUnit"] == "Business unit"


def test_financial_measurements_are_attributes_of_the_company(graph):
    facts = {f["label"]: f for f in graph.nodes[SENSETIME]["facts"]}
    revenue = facts["SenseTime revenue FY2022"]
    assert revenue["kind"] == "FinancialMeasurement"
    assert list(revenue["details"])[:5] == ["metric", "amount", "converted", "year-on-year", "period"]
    assert revenue["details"]["amount"] == "CNY 3,809,000,000"
    assert revenue["details"]["converted"] == "USD 520,000,000 (converted by the reporter)"
    assert revenue["details"]["year-on-year"] == "-19%"
    assert revenue["details"]["period"] == "FY2022"
    assert (revenue["earliest"], revenue["latest"]) == ("2022-01-01", "2022-12-31")
    assert revenue["sources"] == [
        {
            "iri": ARTICLE,
            "label": "SenseTime lays off employees amid race to develop LLMs",
            "publisher": "citing Pandaily",  # the article reports on a Pandaily report
            "published": "2023-09",
        }
    ]
    loss = facts["SenseTime net loss FY2022"]
    assert loss["details"]["amount"] == "CNY -6,093,000,000"
    assert loss["details"]["loss"] == "yes"
    assert facts["SenseTime adjusted net loss FY2022"]["details"]["converted"].startswith("USD -650,000,000")


def test_company_facts_are_in_time_order(graph):
    dated = [f["earliest"] for f in graph.nodes[SENSETIME]["facts"] if f["earliest"]]
    assert dated == sorted(dated)
    kinds = [f["kind"] for f in graph.nodes[SENSETIME]["facts"]]
    assert kinds.index("FinancialResults") < kinds.index("ProductLaunch") < kinds.index("Layoff")


def test_layoff_is_an_edge_from_company_to_unit(graph):
    [(source, target, layoff)] = edges(graph, "layoff")
    assert (source, target) == (SENSETIME, SCG)
    assert layoff["kind"] == "Layoff"
    assert layoff["predicate"] == "https://w3id.org/kgraph/ontology#Layoff"
    assert (layoff["earliest"], layoff["latest"]) == ("2023-09-01", "2023-09-30")
    assert layoff["sources"] == [ARTICLE]
    by_kind = {}
    for fact in layoff["facts"]:
        by_kind.setdefault(fact["kind"], []).append(fact)
    [event] = by_kind["Layoff"]
    assert event["date"] == "2023-09" and event["inferred"] is True
    assert event["details"]["notice"] == "7 days (some of the affected employees)"
    [reduction] = by_kind["WorkforceReduction"]
    assert reduction["details"]["share"] == "10–15% (estimate)"
    assert reduction["estimate"] is True
    assert reduction["attributed_to"] == "an employee of SenseTime's Smart City and Business Group"
    assert sorted(f["details"]["formula"] for f in by_kind["SeveranceTerm"]) == ["N+1", "N+2"]


def test_headwind_exposures_fold_into_weighs_on(graph):
    weighs = edges(graph, "weighs on")
    assert {graph.nodes[u]["label"] for u, _, _ in weighs} == {
        "US–China chip war",
        "rising inflation",
        "potential recession",
    }
    for _, target, attrs in weighs:
        assert target == AI_INDUSTRY
        assert [f["kind"] for f in attrs["facts"]] == ["HeadwindExposure"]


def test_competition_and_launch_edges(graph):
    rivals = {frozenset((u, v)) for u, v, _ in edges(graph, "competes with")}
    assert frozenset((SENSENOVA, CHATGPT)) in rivals
    assert len(rivals) == 7
    for _, _, attrs in edges(graph, "competes with"):
        assert attrs["symmetric"] is True and attrs["facts"][0]["kind"] == "Competition"
    [(source, target, launch)] = edges(graph, "launched")
    assert (source, target) == (SENSETIME, SENSENOVA)
    [fact] = launch["facts"]
    assert fact["date"] == "2023-04" and fact["inferred"] is True
    assert (launch["earliest"], launch["latest"]) == ("2023-04-01", "2023-04-30")
    assert launch["sources"] == sorted([ARTICLE, GENERAL_KNOWLEDGE])
    assert fact["sources"][1]["role"] == "date inferred from"


def test_every_fact_has_a_source(graph):
    facts = [f for _, a in graph.nodes(data=True) for f in a["facts"]]
    facts += [f for _, _, a in graph.edges(data=True) for f in a["facts"]]
    assert len({f["iri"] for f in facts}) == 16
    assert all(f["sources"] for f in facts)
    for _, _, attrs in graph.edges(data=True):
        assert attrs["sources"] and set(attrs["sources"]) <= set(graph.nodes)


def test_include_and_exclude_kinds(seed_store):
    companies = project(seed_store, include=["Company"])
    assert {a["label"] for _, a in companies.nodes(data=True)} == {"SenseTime", "Baidu", "Alibaba", "Tencent", "OpenAI"}
    assert companies.number_of_edges() == 6
    products = project(seed_store, include=["Product"])
    assert {a["type"] for _, a in products.nodes(data=True)} == {"AIProduct", "LargeLanguageModel"}
    no_sources = project(seed_store, sources=False)
    assert no_sources.number_of_nodes() == 16
    only_events = project(seed_store, exclude=["relation"])
    assert sorted(a["label"] for _, _, a in only_events.edges(data=True)) == ["focuses on", "launched", "layoff"]
    no_layoffs = project(seed_store, exclude=["Layoff"])
    assert not edges(no_layoffs, "layoff")
    assert all(f["kind"] != "Layoff" for f in no_layoffs.nodes[SENSETIME]["facts"])
    no_competition_facts = project(seed_store, exclude=["Competition"])
    assert all(not a["facts"] for _, _, a in edges(no_competition_facts, "competes with"))
    with pytest.raises(UnknownKindError, match="Compny"):
        project(seed_store, include=["Compny"])


def test_time_range_drops_dated_events(seed_store):
    after_launch = project(seed_store, since="2023-05-01")
    assert not edges(after_launch, "launched")
    assert edges(after_launch, "layoff")
    before_layoff = project(seed_store, until="2023-08-31")
    assert not edges(before_layoff, "layoff") and edges(before_layoff, "launched")


def test_graphml_and_node_link_round_trip(graph, tmp_path):
    graphml = tmp_path / "landscape.graphml"
    write_graphml(graph, graphml)
    loaded = nx.read_graphml(graphml, force_multigraph=True)
    assert (loaded.number_of_nodes(), loaded.number_of_edges()) == (19, 29)
    assert "商汤科技" in json.loads(loaded.nodes[SENSETIME]["aliases"])
    assert json.loads(loaded.graph["type_labels"])["LargeLanguageModel"] == "Large language model"
    facts = json.loads(loaded.nodes[SENSETIME]["facts"])
    assert any(f["details"].get("amount") == "CNY 3,809,000,000" for f in facts)
    as_json = tmp_path / "landscape.json"
    write_node_link(graph, as_json)
    data = json.loads(as_json.read_text(encoding="utf-8"))
    again = nx.node_link_graph(data, edges="edges")
    assert (again.number_of_nodes(), again.number_of_edges()) == (19, 29)
    assert again.nodes[SENSETIME]["label"] == "SenseTime"


def test_projection_is_deterministic(graph, seed_store):
    first = json.dumps(node_link(graph), sort_keys=True, ensure_ascii=False)
    second = json.dumps(node_link(project(seed_store)), sort_keys=True, ensure_ascii=False)
    assert first == second


def test_store_without_ontology_or_inferred_graph(seed_store):
    from kgraph.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH
    from kgraph.store.oxigraph import OxigraphStore

    bare = OxigraphStore()
    bare.add_quads(
        [q for q in seed_store.quads() if q.graph_name.value not in (str(ONTOLOGY_GRAPH), str(INFERRED_GRAPH))]
    )
    graph = project(bare)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (19, 29)
    assert graph.nodes[SENSENOVA]["type"] == "LargeLanguageModel"
    assert graph.nodes[SENSENOVA]["type_label"] == "Large language model"
    [(_, _, layoff)] = edges(graph, "layoff")
    assert {f["kind"] for f in layoff["facts"]} == {"Layoff", "WorkforceReduction", "SeveranceTerm"}


def test_time_range_accepts_partial_dates(seed_store):
    assert not edges(project(seed_store, since="2023-05"), "launched")
    assert edges(project(seed_store, until="2023-04"), "launched")
    assert not edges(project(seed_store, until="2023-03"), "launched")
    assert not edges(project(seed_store, since="2024"), "layoff")
    with pytest.raises(DateError, match="not a date"):
        project(seed_store, since="April")
