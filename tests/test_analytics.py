"""Network analytics on the seed projection: ego networks, rankings, explained paths, communities."""

from __future__ import annotations

import networkx as nx
import pytest

from kgraph.analytics.network import communities, ego, find, paths, rank
from kgraph.analytics.projection import project
from kgraph.namespaces import KGD
from kgraph.resolve import UnknownEntityError

SENSETIME = str(KGD["sensetime"])


@pytest.fixture(scope="module")
def graph(seed_store) -> nx.MultiDiGraph:
    return project(seed_store)


def labels(graph: nx.MultiDiGraph) -> set[str]:
    return {attrs["label"] for _, attrs in graph.nodes(data=True)}


def test_find_by_label_alias_and_iri(graph):
    assert find(graph, "商汤科技") == SENSETIME
    assert find(graph, "sensetime group") == SENSETIME
    assert find(graph, SENSETIME) == SENSETIME
    with pytest.raises(UnknownEntityError, match="SenseNova"):
        find(graph, "SenseNovo")


def test_ego_network(graph):
    one = ego(graph, "SenseNova", hops=1)
    assert labels(one) == {"SenseNova", "SenseTime", "ChatGPT"}
    assert sorted(attrs["label"] for _, _, attrs in one.edges(data=True)) == ["competes with", "develops", "launched"]
    assert one.nodes[SENSETIME]["distance"] == 1 and one.graph["center"] == str(KGD["sensenova"])
    two = ego(graph, "SenseNova", hops=2)
    assert (two.number_of_nodes(), two.number_of_edges()) == (11, 23)
    assert {"OpenAI", "Baidu", "Smart City and Business Group", "AI industry"} <= labels(two)
    assert labels(ego(graph, "SenseNova", hops=0)) == {"SenseNova"}
    assert two.nodes[SENSETIME]["facts"], "the ego network keeps the nodes' facts"


def test_pagerank_ranking(graph):
    ranked = rank(graph)
    assert [r.label for r in ranked] == ["SenseTime", "Alibaba", "Baidu", "Tencent", "SenseNova", "ChatGPT", "OpenAI"]
    assert [r.rank for r in ranked] == list(range(1, 8))
    assert ranked[0].degree == 8 and ranked[0].score > 2 * ranked[1].score
    assert ranked[1].score == ranked[2].score == ranked[3].score
    everyone = rank(graph, types=None)
    assert len(everyone) == graph.number_of_nodes()
    assert sum(r.score for r in everyone) == pytest.approx(1.0, abs=1e-4)


def test_degree_ranking(graph):
    ranked = rank(graph, by="degree", types=["Company"], top=2)
    assert [(r.label, r.degree) for r in ranked] == [("SenseTime", 8), ("Alibaba", 5)]
    assert ranked[0].score == pytest.approx(8 / 18)
    products = rank(graph, by="degree", types=["Product"])
    assert {r.label for r in products} == {"SenseNova", "ChatGPT"}
    with pytest.raises(ValueError, match="unknown measure"):
        rank(graph, by="closeness")


def test_paths_are_explained(graph):
    [path] = paths(graph, "SenseNova", "Baidu")
    assert str(path) == "SenseNova —developed by→ SenseTime —competes with→ Baidu"
    assert path.nodes == [str(KGD["sensenova"]), SENSETIME, str(KGD["baidu"])]
    assert [step.kind for step in path.steps] == ["relation", "relation"]
    [path] = paths(graph, "an employee of SenseTime's Smart City and Business Group", "chip war")
    assert str(path) == (
        "an employee of SenseTime's Smart City and Business Group —member of→ Smart City and Business Group"
        " —unit of→ SenseTime —in industry→ AI industry —weighed on by→ US–China chip war"
    )
    assert len(path) == 4


def test_paths_through_events_and_disconnected(graph, seed_store):
    layoffs_only = project(seed_store, include=["Company", "BusinessUnit"], exclude=["relation"])
    [path] = paths(layoffs_only, "SCG", "SenseTime")
    assert str(path) == "Smart City and Business Group —layoff by→ SenseTime"
    assert path.steps[0].facts[0]["kind"] == "Layoff"
    assert paths(graph, "ChatGPT", "Pandaily") == []
    assert str(paths(graph, "Baidu", "Baidu")[0]) == ""
    assert [str(p) for p in paths(graph, "chip war", "SenseTime", limit=10)] == [
        "US–China chip war —weighs on→ AI industry —industry of→ SenseTime"
    ]
    rivals = paths(graph, "ChatGPT", "Baidu", limit=10)
    assert [str(p) for p in rivals] == [
        "ChatGPT —developed by→ OpenAI —in industry→ AI industry —industry of→ Baidu",
        "ChatGPT —competes with→ SenseNova —developed by→ SenseTime —competes with→ Baidu",
    ]
    assert [str(p) for p in paths(graph, "ChatGPT", "Baidu", limit=1)] == [str(rivals[0])]


def test_communities(graph):
    found = communities(graph)
    assert [c.size for c in found] == [6, 5, 4, 3, 1]
    assert sum(c.size for c in found) == graph.number_of_nodes()
    by_hub = {c.hub: set(c.labels) for c in found}
    assert by_hub["Alibaba"] == {"Alibaba", "Baidu", "Tencent", "Chinese large-language-model market"}
    assert {"SenseTime", "SenseNova", "Smart City and Business Group"} <= by_hub["SenseTime"]
    assert [c.labels for c in communities(graph)] == [c.labels for c in found]
    greedy = communities(graph, method="greedy")
    assert sum(c.size for c in greedy) == graph.number_of_nodes()
    with pytest.raises(ValueError, match="unknown method"):
        communities(graph, method="magic")
