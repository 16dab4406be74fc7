"""Which part of a landscape to show: the projection of a store, cut to the neighbourhood of a few entities."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from pathlib import Path

import networkx as nx

from kgraph.errors import KgraphError
from kgraph.progress import Progress, silent
from kgraph.store.base import Store
from kgraph.view.data import CLUSTER_ABOVE
from kgraph.view.page import write_page


def select_subgraph(graph: nx.MultiDiGraph, focus: Iterable[Hashable], *, depth: int = 1) -> nx.MultiDiGraph:
    """The nodes within ``depth`` hops of any node of ``focus`` (edges followed both ways), with their edges."""
    if depth < 0:
        raise KgraphError(f"the depth must be 0 or more, not {depth}")
    undirected = graph.to_undirected(as_view=True)
    keep: set[Hashable] = set()
    for node in focus:
        if node not in graph:
            raise KgraphError(f"{node} is not in the graph (filtered out by the chosen classes or dates?)")
        keep.update(nx.single_source_shortest_path_length(undirected, node, cutoff=depth))
    part = graph.subgraph(keep).copy()
    part.graph.update(graph.graph)
    return part


def landscape_graph(
    store: Store,
    *,
    focus: Sequence[str] = (),
    depth: int = 1,
    types: Sequence[str] | None = None,
    since: str | None = None,
    until: str | None = None,
) -> nx.MultiDiGraph:
    """The projection of ``store`` to show: all of it, or the entities within ``depth`` hops of the ``focus`` names.

    Names (labels, aliases or IRIs) are resolved with :class:`kgraph.resolve.EntityIndex`; an unknown or ambiguous
    name raises an error that lists suggestions or candidates. ``types`` keeps those classes (and their subclasses)
    only; ``since``/``until`` (ISO dates) drop dated facts outside the range. The graph also carries what the
    Timeline and Table tabs need (:func:`kgraph.view.tabs.annotate`).
    """
    from kgraph.analytics.projection import project
    from kgraph.resolve import EntityIndex
    from kgraph.view.tabs import annotate

    focus_iris = []
    if focus:
        index = EntityIndex.from_store(store)
        focus_iris = [index.resolve(name).iri for name in focus]
    graph = annotate(project(store, include=list(types) if types else None, since=since, until=until), store)
    if focus_iris:
        graph = select_subgraph(graph, focus_iris, depth=depth)
    return graph


def describe_selection(
    *,
    focus: Sequence[str] = (),
    depth: int = 1,
    types: Sequence[str] | None = None,
    since: str | None = None,
    until: str | None = None,
) -> str | None:
    """A line that says which part of the landscape a page shows (None for all of it)."""
    parts = []
    if focus:
        parts.append(f"within {depth} hop{'s' if depth != 1 else ''} of {', '.join(focus)}")
    if types:
        parts.append("classes: " + ", ".join(types))
    if since or until:
        parts.append(f"dated facts {since or '…'} to {until or '…'}")
    return "; ".join(parts) or None


def write_landscape_view(
    store: Store,
    path: Path,
    *,
    focus: Sequence[str] = (),
    depth: int = 1,
    types: Sequence[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    title: str = "kgraph landscape",
    cluster_above: int = CLUSTER_ABOVE,
    progress: Progress = silent,
) -> tuple[Path, nx.MultiDiGraph]:
    """Write the view of (part of) ``store``'s landscape to ``path``; returns the path and the graph shown."""
    progress("projecting the landscape to a graph")
    graph = landscape_graph(store, focus=focus, depth=depth, types=types, since=since, until=until)
    progress(f"laying out and writing {graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges to {path}")
    subtitle = describe_selection(focus=focus, depth=depth, types=types, since=since, until=until)
    write_page(graph, path, title=title, subtitle=subtitle, cluster_above=cluster_above)
    return Path(path), graph
