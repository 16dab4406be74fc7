"""What the page needs from a projection, as plain JSON-ready data: nodes with positions, sizes and looks, edges,
the legend, the sources, and every fact in words."""

from __future__ import annotations

import json
import math
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import networkx as nx

from kgraph.view.layout import (
    LABEL_SPREAD_LIMIT,
    LABEL_WIDTH,
    compute_layout,
    label_width,
    node_box,
    readable_layout,
)
from kgraph.view.style import class_style
from kgraph.view.tabs import tab_data

#: Above this many edges, edge labels are left to the side panel and the tooltips (drawing them costs too much).
EDGE_LABEL_LIMIT = 3000
#: Above this many nodes the page opens with each class grouped into one bubble (a click on "Group by class" does
#: the same on any page); 10,000 nodes still draw in a few seconds (benchmarks/view.py).
CLUSTER_ABOVE = 15000
#: Up to this many nodes, selecting a node fades everything but its neighbours (restyling more takes seconds).
FADE_LIMIT = 800
SOURCE_CLASSES = frozenset({"Source", "NewsArticle", "ReferenceSource"})


def importance(graph: nx.Graph) -> dict[Hashable, float]:
    """PageRank of each node over the undirected, simple version of ``graph`` (scaled so the largest is 1)."""
    if graph.number_of_nodes() == 0:
        return {}
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    ranks = nx.pagerank(simple) if simple.number_of_edges() else dict.fromkeys(simple, 1.0)
    top = max(ranks.values()) or 1.0
    return {node: rank / top for node, rank in ranks.items()}


class _Sources:
    """Every source the page mentions, numbered in the order first met."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.items: list[dict[str, Any]] = []

    def add(self, iri: str, **known: Any) -> int:
        number = self.index.get(iri)
        if number is None:
            number = self.index[iri] = len(self.items)
            self.items.append({"iri": iri, "label": None, "publisher": None, "published": None})
        item = self.items[number]
        for key in ("label", "publisher", "published"):
            if item[key] is None and known.get(key):
                item[key] = str(known[key])
        return number

    def finish(self) -> list[dict[str, Any]]:
        for item in self.items:
            item["label"] = item["label"] or item["iri"].rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        return self.items


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _label(node: Hashable, attrs: Mapping[str, Any]) -> str:
    return str(attrs.get("label") or attrs.get("iri") or node)


def _fact(fact: Mapping[str, Any], sources: _Sources) -> dict[str, Any]:
    details = fact.get("details") or {}
    pairs = details.items() if isinstance(details, Mapping) else details
    cited = []
    for source in fact.get("sources") or []:
        if isinstance(source, Mapping):
            number = sources.add(
                str(source["iri"]),
                label=source.get("label"),
                publisher=source.get("publisher"),
                published=source.get("published"),
            )
            cited.append([number, _text(source.get("role"))])
        else:
            cited.append([sources.add(str(source)), None])
    return {
        "kind": _text(fact.get("kind")),
        "kindLabel": _text(fact.get("kind_label")),
        "label": _text(fact.get("label")),
        "date": _text(fact.get("date")),
        "earliest": _text(fact.get("earliest")),
        "latest": _text(fact.get("latest")),
        "inferred": bool(fact.get("inferred")),
        "estimate": bool(fact.get("estimate")),
        "details": [[_text(key), _text(value)] for key, value in pairs if value is not None],
        "sources": cited,
        "attributedTo": _text(fact.get("attributed_to")),
    }


def _facts(facts: Iterable[Mapping[str, Any]] | None, sources: _Sources) -> list[dict[str, Any]]:
    return [_fact(fact, sources) for fact in facts or []]


def page_data(
    graph: nx.MultiDiGraph,
    *,
    title: str,
    subtitle: str | None = None,
    positions: Mapping[Hashable, tuple[float, float]] | None = None,
    cluster_above: int = CLUSTER_ABOVE,
) -> dict[str, Any]:
    """The data of the page for ``graph`` (a projection, see :mod:`kgraph.analytics.projection`)."""
    ranks = importance(graph)
    sizes = {node: round(10 + 26 * math.sqrt(ranks.get(node, 0.0)), 1) for node in graph.nodes}
    if positions is None:
        positions = compute_layout(graph)
        if graph.number_of_nodes() <= LABEL_SPREAD_LIMIT:
            boxes = {node: node_box(_label(node, attrs), sizes[node]) for node, attrs in graph.nodes(data=True)}
            positions = readable_layout(positions, boxes)
    type_labels: Mapping[str, str] = graph.graph.get("type_labels") or {}
    sources = _Sources()
    numbers = {node: i for i, node in enumerate(graph.nodes)}
    node_sources: dict[Hashable, set[int]] = {node: set() for node in graph.nodes}
    classes: dict[str, dict[str, Any]] = {}

    nodes = []
    for node, attrs in graph.nodes(data=True):
        kind = str(attrs.get("type") or "Thing")
        style = class_style(kind)
        entry = classes.setdefault(
            kind,
            {
                "type": kind,
                "label": str(attrs.get("type_label") or type_labels.get(kind) or kind),
                "color": style.color,
                "shape": style.shape,
                "rank": style.rank,
                "count": 0,
            },
        )
        entry["count"] += 1
        iri = str(attrs.get("iri") or node)
        if kind in SOURCE_CLASSES or "published" in attrs:
            node_sources[node].add(
                sources.add(
                    iri, label=attrs.get("label"), publisher=attrs.get("publisher"), published=attrs.get("published")
                )
            )
        facts = _facts(attrs.get("facts"), sources)
        for fact in facts:
            node_sources[node].update(number for number, _ in fact["sources"])
        wrap = label_width(_label(node, attrs))
        x, y = positions.get(node, (0.0, 0.0))
        nodes.append(
            {
                "id": numbers[node],
                "iri": iri,
                "label": _label(node, attrs),
                "type": kind,
                "aliases": [str(alias) for alias in attrs.get("aliases") or []],
                "description": _text(attrs.get("description")),
                "facts": facts,
                "x": x,
                "y": y,
                "size": sizes[node],
            }
        )
        if wrap > LABEL_WIDTH:  # a word longer than the usual width: vis-network would cut it
            nodes[-1]["wrap"] = round(wrap)

    edges = []
    dates: list[str] = []
    for number, (source, target, key, attrs) in enumerate(graph.edges(keys=True, data=True)):
        cited = sorted({sources.add(str(iri)) for iri in attrs.get("sources") or []})
        facts = _facts(attrs.get("facts"), sources)
        cited = sorted(set(cited) | {n for fact in facts for n, _ in fact["sources"]})
        node_sources[source].update(cited)
        node_sources[target].update(cited)
        earliest, latest = _text(attrs.get("earliest")), _text(attrs.get("latest"))
        dates += [d for d in (earliest, latest) if d]
        edges.append(
            {
                "id": number,
                "from": numbers[source],
                "to": numbers[target],
                "key": _text(key),
                "label": str(attrs.get("label") or key),
                "kind": _text(attrs.get("kind")) or "relation",
                "predicate": _text(attrs.get("predicate")),
                "earliest": earliest,
                "latest": latest,
                "symmetric": bool(attrs.get("symmetric")),
                "sources": cited,
                "facts": facts,
            }
        )
    for entry, node in zip(nodes, graph.nodes, strict=True):
        entry["sources"] = sorted(node_sources[node])

    return {
        **tab_data(graph, numbers),
        "title": title,
        "subtitle": subtitle,
        "classes": sorted(classes.values(), key=lambda c: (c["rank"], c["label"])),
        "sources": sources.finish(),
        "nodes": nodes,
        "edges": edges,
        "dateRange": [min(dates), max(dates)] if dates else None,
        "edgeLabels": len(edges) <= EDGE_LABEL_LIMIT,
        "clusterAbove": cluster_above,
        "fadeLimit": FADE_LIMIT,
        "labelSpreadLimit": LABEL_SPREAD_LIMIT,
    }


def script_json(value: Any) -> str:
    """``value`` as JSON that is safe inside a ``<script type="application/json">`` element.

    ``<``, ``>`` and ``&`` become ``\\u`` escapes (so no ``</script>`` or ``<!--`` can end or change the element),
    as do the line separators U+2028 and U+2029.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text
