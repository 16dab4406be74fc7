"""The view inside a notebook: the page in a sandboxed iframe (``srcdoc``, escaped), through ``_repr_html_``."""

from __future__ import annotations

import html
from collections.abc import Iterable

import networkx as nx

from kgraph.selection import Selection
from kgraph.store.base import Store
from kgraph.view.page import render_page


class InlineView:
    """A rendered page that notebooks show inline; ``html`` is the whole page, ``save(path)`` writes it."""

    def __init__(self, page: str, *, height: int = 640) -> None:
        self.html = page
        self.height = height

    def _repr_html_(self) -> str:
        # The sandbox lets the page's own scripts run but gives it no access to the notebook (no same origin).
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" sandbox="allow-scripts" '
            f'style="width:100%;height:{int(self.height)}px;border:1px solid #dee2e6" '
            'title="kgraph landscape view"></iframe>'
        )

    def save(self, path: str) -> None:
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            out.write(self.html)


def inline_view(
    source: Store | nx.MultiDiGraph,
    *,
    focus: str | Iterable[str] = (),
    depth: int = 1,
    types: Iterable[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    title: str = "kgraph landscape",
    height: int = 640,
) -> InlineView:
    """The view of a store's landscape (or of a projection already made) for a notebook cell; the choices are those
    of :class:`kgraph.selection.Selection` (a projection already made is only cut to the focus)."""
    from kgraph.view.select import select_subgraph, selected_graph

    selection = Selection.of(focus=focus, depth=depth, types=types, since=since, until=until)
    if isinstance(source, nx.Graph):
        graph = select_subgraph(source, selection.focus, depth=depth) if selection.focus else source
    else:
        graph = selected_graph(source, selection)
    return InlineView(render_page(graph, title=title, subtitle=selection.describe()), height=height)
