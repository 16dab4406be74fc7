"""The interactive HTML view of a landscape: one self-contained page, offline, tested in a browser, with three tabs:
the graph (vis-network), a timeline of each company's events, and tables of figures and events.

- :func:`write_page` / :func:`render_page`: the page for any projection (a networkx graph, see
  :mod:`kgraph.analytics.projection`).
- :func:`landscape_graph` / :func:`selected_graph`: the part of a store's landscape to show (focus, depth, classes,
  time range: a :class:`kgraph.selection.Selection`).
- :func:`write_landscape_view`: both at once, for ``kgraph build`` and ``kgraph view``.
- :func:`inline_view`: the same page inside a notebook (an object with ``_repr_html_``).
- :mod:`kgraph.view.tabs`: what the Timeline and Table tabs show; :mod:`kgraph.view.layout`: where nodes go.
"""

from kgraph.view.notebook import InlineView, inline_view
from kgraph.view.page import render_page, write_page
from kgraph.view.select import landscape_graph, select_subgraph, selected_graph, write_landscape_view

__all__ = [
    "InlineView",
    "inline_view",
    "landscape_graph",
    "render_page",
    "select_subgraph",
    "selected_graph",
    "write_landscape_view",
    "write_page",
]
