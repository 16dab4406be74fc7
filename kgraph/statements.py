"""A triple that several sources state is stored once: in the graph of the first of them.

Oxigraph's union of the named graphs keeps one row per graph that holds a triple, so a fact stated by two sources
would come back twice from a plain query (``?p kg:developer ?c``) and be counted twice. The store therefore holds
each asserted triple in one graph only, its *home*: the ontology's graph first, then the sources' graphs in the order
of their names. The other sources still state it in data/, and their fact nodes still point to their sources
(``prov:wasDerivedFrom``), which is what ``provenance`` and ``sources_of`` read; when the home source is retracted or
stops stating the triple, the next source that states it becomes its home.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from kgraph.vocabulary import ONTOLOGY_GRAPH


def home_order(graph: ox.NamedNode) -> tuple[bool, str]:
    """The order in which graphs claim the triples they share: the ontology first, then by name."""
    return graph != ONTOLOGY_GRAPH, graph.value


def stored_once(graphs: Mapping[ox.NamedNode, list[ox.Triple]]) -> dict[ox.NamedNode, list[ox.Triple]]:
    """``graphs`` with each triple kept in its home graph only (and once there), in the same order of graphs."""
    seen: set[ox.Triple] = set()
    kept: dict[ox.NamedNode, list[ox.Triple]] = {}
    for graph in sorted(graphs, key=home_order):
        kept[graph] = [t for t in dict.fromkeys(graphs[graph]) if t not in seen]
        seen.update(kept[graph])
    return {graph: kept[graph] for graph in graphs}
