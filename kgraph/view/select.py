"""Which part of a landscape to show: the projection of a store, cut to the neighbourhood of a few entities."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from pathlib import Path

import networkx as nx

from kgraph.progress import Progress, silent
from kgraph.selection import EVERYTHING, Selection, within
from kgraph.store.base import Store
from kgraph.view.data import CLUSTER_ABOVE
from kgraph.view.page import write_page


def select_subgraph(graph: nx.MultiDiGraph, focus: Iterable[Hashable], *, depth: int = 1) -> nx.MultiDiGraph:
    """The nodes within ``depth`` hops of any node of ``focus`` (edges followed both ways), with their edges."""
    part = graph.subgraph(within(graph, focus, depth=depth)).copy()
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

    The options are those of :class:`kgraph.selection.Selection`: :func:`selected_graph` with
    ``Selection.of(focus=..., ...)``.
    """
    return selected_graph(store, Selection.of(focus=focus, depth=depth, types=types, since=since, until=until))


def selected_graph(store: Store, selection: Selection = EVERYTHING) -> nx.MultiDiGraph:
    """The part of ``store``'s projection that ``selection`` chooses.

    Names (labels, aliases or IRIs) are resolved with :class:`kgraph.resolve.EntityIndex`; an unknown or ambiguous
    name raises an error that lists suggestions or candidates. ``types`` keeps those classes (and their subclasses)
    only; ``since``/``until`` drop dated facts outside the range. The graph also carries what the Timeline and Table
    tabs need (:func:`kgraph.view.tabs.annotate`).
    """
    from kgraph.analytics.projection import project
    from kgraph.resolve import EntityIndex
    from kgraph.view.tabs import annotate

    focus_iris = []
    if selection.focus:
        index = EntityIndex.from_store(store)
        focus_iris = [index.resolve(name).iri for name in selection.focus]
    projected = project(store, include=selection.types or None, since=selection.since, until=selection.until)
    graph = annotate(projected, store)
    if focus_iris:
        graph = select_subgraph(graph, focus_iris, depth=selection.depth)
    return graph


def write_landscape_view(
    store: Store,
    path: Path,
    *,
    selection: Selection = EVERYTHING,
    title: str = "kgraph landscape",
    cluster_above: int = CLUSTER_ABOVE,
    progress: Progress = silent,
) -> tuple[Path, nx.MultiDiGraph]:
    """Write the view of the part of ``store``'s landscape that ``selection`` chooses to ``path``; returns the path
    and the graph shown."""
    progress("projecting the landscape to a graph")
    graph = selected_graph(store, selection)
    progress(f"laying out and writing {graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges to {path}")
    write_page(graph, path, title=title, subtitle=selection.describe(), cluster_above=cluster_above)
    return Path(path), graph
