"""What the shape of the landscape tells: neighbourhoods, rankings, how two entities are connected, communities.

Every function takes the projection (:func:`kgraph.analytics.projection.project`) and names entities by label,
alias or IRI (case-insensitive; an unknown name raises :class:`kgraph.resolve.UnknownEntityError` with
suggestions). Edges are followed in both directions; a path reads each edge the way it points ("SenseNova
—developed by→ SenseTime" walks "develops" backwards).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any, Literal

from kgraph.resolve import EntityIndex
from kgraph.selection import within

if TYPE_CHECKING:
    import networkx as nx

#: How an edge label reads when a path walks the edge backwards.
INVERSE_LABELS = {
    "develops": "developed by",
    "unit of": "has unit",
    "in industry": "industry of",
    "active in": "has player",
    "weighs on": "weighed on by",
    "member of": "has member",
    "published by": "publishes",
    "based on": "basis of",
    "launched": "launched by",
    "layoff": "layoff by",
    "focuses on": "focus of",
    "invests in": "funded by",
}
DEFAULT_RANKED = ("Company", "Product")
#: Shortest paths read before choosing the first ones in a stable order (their number can explode in dense graphs).
MAX_PATHS_CONSIDERED = 1000


def node_index(graph: nx.MultiDiGraph) -> EntityIndex:
    """Names of the graph's nodes (labels and aliases) for resolution."""
    rows = []
    for node, attrs in graph.nodes(data=True):
        for kind in attrs.get("classes") or [attrs.get("type", "Thing")]:
            rows.append((node, attrs.get("label") or node, True, kind))
            rows.extend((node, alias, False, kind) for alias in attrs.get("aliases") or ())
    return EntityIndex(rows)


def find(graph: nx.MultiDiGraph, name: str, *, index: EntityIndex | None = None) -> str:
    """The node that ``name`` (a label, alias or IRI) stands for."""
    if name in graph:
        return name
    return (index or node_index(graph)).resolve(name).iri


def _undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """A simple undirected graph: one edge per pair of neighbours, ``weight`` the number of edges between them."""
    import networkx as nx

    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    for u, v in graph.edges():
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += 1
        else:
            simple.add_edge(u, v, weight=1)
    return simple


# -- ego network -------------------------------------------------------------------------------------------------


def ego(graph: nx.MultiDiGraph, name: str, *, hops: int = 1) -> nx.MultiDiGraph:
    """The part of ``graph`` within ``hops`` edges of the entity ``name`` (edges followed both ways).

    Each node of the result has ``distance`` (hops from the centre); the graph attribute ``center`` is its IRI.
    """
    if hops < 0:
        raise ValueError("hops must be 0 or more")
    center = find(graph, name)
    distances = within(graph, [center], depth=hops)
    part = graph.subgraph(distances).copy()
    for node, distance in distances.items():
        part.nodes[node]["distance"] = distance
    part.graph["center"] = center
    return part


# -- rankings ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    """An entity's place in a ranking."""

    rank: int
    iri: str
    label: str
    type: str
    score: float
    degree: int


def rank(
    graph: nx.MultiDiGraph,
    *,
    by: Literal["pagerank", "degree"] = "pagerank",
    types: Iterable[str] | None = DEFAULT_RANKED,
    top: int | None = None,
) -> list[Ranked]:
    """Entities of ``types`` (classes and their subclasses; None for all) by PageRank or degree centrality.

    Both are computed on the whole landscape seen as an undirected graph (PageRank weighs an edge by how many
    relations and events link the pair); ties are broken by label.
    """
    import networkx as nx

    simple = _undirected(graph)
    if by == "pagerank":
        scores = nx.pagerank(simple, weight="weight") if simple.number_of_nodes() else {}
    elif by == "degree":
        scores = nx.degree_centrality(simple) if simple.number_of_nodes() > 1 else dict.fromkeys(simple, 0.0)
    else:
        raise ValueError(f"unknown measure {by!r}: use 'pagerank' or 'degree'")
    wanted = set(types or ())
    chosen = [
        node
        for node, attrs in graph.nodes(data=True)
        if not wanted or wanted & set(attrs.get("classes") or [attrs.get("type")])
    ]
    chosen.sort(key=lambda n: (-scores.get(n, 0.0), graph.nodes[n].get("label") or n))
    if top is not None:
        chosen = chosen[:top]
    return [
        Ranked(
            rank=place,
            iri=node,
            label=graph.nodes[node].get("label") or node,
            type=graph.nodes[node].get("type") or "",
            score=round(scores.get(node, 0.0), 6),
            degree=simple.degree(node),
        )
        for place, node in enumerate(chosen, start=1)
    ]


# -- paths -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One edge of a path, read in the direction the path walks it (``forward`` False: shown against its arrow)."""

    source: str
    target: str
    source_label: str
    target_label: str
    label: str
    kind: str
    forward: bool
    facts: list[dict[str, Any]] = field(default_factory=list, compare=False)

    @property
    def text(self) -> str:
        """``—develops→``, or ``←label—`` for an edge walked backwards that has no inverse wording."""
        return f"—{self.label}→" if self.forward else f"←{self.label}—"


@dataclass(frozen=True)
class Path:
    """How two entities are connected: a chain of labelled relations."""

    steps: list[Step]

    @property
    def nodes(self) -> list[str]:
        return [self.steps[0].source, *(s.target for s in self.steps)] if self.steps else []

    def __len__(self) -> int:
        return len(self.steps)

    def __str__(self) -> str:
        if not self.steps:
            return ""
        return " ".join([self.steps[0].source_label, *(f"{s.text} {s.target_label}" for s in self.steps)])


def _step(graph: nx.MultiDiGraph, u: str, v: str) -> Step:
    """The edge between ``u`` and ``v`` to show: asserted relations before events, then by label."""
    candidates = []
    for a, b, forward in ((u, v, True), (v, u, False)):
        for attrs in (graph.get_edge_data(a, b) or {}).values():
            candidates.append((attrs.get("kind") != "relation", attrs.get("label", ""), not forward, forward, attrs))
    _, _, _, forward, attrs = min(candidates, key=lambda c: c[:3])
    label = attrs.get("label", "")
    if not forward and (attrs.get("symmetric") or label in INVERSE_LABELS):
        label = label if attrs.get("symmetric") else INVERSE_LABELS[label]
        forward = True
    return Step(
        source=u,
        target=v,
        source_label=graph.nodes[u].get("label") or u,
        target_label=graph.nodes[v].get("label") or v,
        label=label,
        kind=attrs.get("kind", ""),
        forward=forward,
        facts=list(attrs.get("facts") or ()),
    )


def paths(graph: nx.MultiDiGraph, start: str, end: str, *, limit: int = 5) -> list[Path]:
    """The shortest paths between two entities (at most ``limit``, in a stable order), each explained.

    An empty list means they are not connected. Of very many equally short paths, the first
    :data:`MAX_PATHS_CONSIDERED` found are ordered and the first ``limit`` of them returned.
    """
    import networkx as nx

    index = node_index(graph)
    source, target = find(graph, start, index=index), find(graph, end, index=index)
    if source == target:
        return [Path([])]
    undirected = graph.to_undirected(as_view=True)
    try:
        found = sorted(islice(nx.all_shortest_paths(undirected, source, target), MAX_PATHS_CONSIDERED))
    except nx.NetworkXNoPath:
        return []
    return [Path([_step(graph, u, v) for u, v in zip(nodes, nodes[1:], strict=False)]) for nodes in found[:limit]]


# -- communities ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Community:
    """A group of entities more linked to each other than to the rest."""

    number: int
    members: list[str]
    labels: list[str]
    hub: str

    @property
    def size(self) -> int:
        return len(self.members)


def communities(
    graph: nx.MultiDiGraph, *, method: Literal["louvain", "greedy"] = "louvain", seed: int = 1
) -> list[Community]:
    """Communities of the landscape (Louvain with a fixed ``seed``, or greedy modularity), largest first.

    Each is named by its ``hub``, the member with the most neighbours.
    """
    import networkx as nx

    simple = _undirected(graph)
    if method == "louvain":
        groups = nx.community.louvain_communities(simple, weight="weight", seed=seed)
    elif method == "greedy":
        groups = nx.community.greedy_modularity_communities(simple, weight="weight")
    else:
        raise ValueError(f"unknown method {method!r}: use 'louvain' or 'greedy'")

    def label(node: str) -> str:
        return graph.nodes[node].get("label") or node

    ordered = sorted(
        (sorted(group, key=lambda n: (label(n), n)) for group in groups),
        key=lambda members: (-len(members), label(members[0])),
    )
    return [
        Community(
            number=number,
            members=members,
            labels=[label(n) for n in members],
            hub=label(min(members, key=lambda n: (-simple.degree(n), label(n)))),
        )
        for number, members in enumerate(ordered, start=1)
    ]
