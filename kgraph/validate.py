"""Check a compiled landscape against the SHACL shapes, reporting each violation where a person can fix it."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from kgraph import resources
from kgraph.compile import Compiled
from kgraph.errors import Problem
from kgraph.rdflib_bridge import to_graph
from kgraph.vocabulary import KG, KGD, ONTOLOGY_GRAPH, RDF


def shacl_problems(
    compiled: Compiled, *, changed: Collection[ox.NamedNode] | None = None, shapes: Path | None = None
) -> list[Problem]:
    """Every SHACL violation of ``compiled``, located at the file and line that declared the offending node.

    ``changed`` names graphs that changed (every graph when ``None``): then only the affected nodes are checked, the
    nodes those graphs describe and the nodes of other graphs that point to them (see :func:`affected`).
    """
    if changed is None:
        data, focus = [t for triples in compiled.graphs.values() for t in triples], None
    else:
        data, focus = affected(compiled.graphs, changed)
    return shape_problems(data, locate=compiled.locate, focus=focus, shapes=shapes)


def shape_problems(
    triples: Iterable[ox.Triple],
    *,
    locate: Callable[[str], tuple[str, int | None]],
    focus: Iterable[ox.NamedNode] | None = None,
    shapes: Path | None = None,
) -> list[Problem]:
    """The SHACL violations of ``triples`` (all their nodes, or only those of the ``focus`` nodes: the others may be
    described in part), each placed by ``locate``.

    The focus is applied to the report, not given to pyshacl: its own ``focus_nodes`` also narrows the shapes nested
    in ``sh:not``, which then fail every value (an amount in CNY reported as "not RMB").
    """
    from pyshacl import validate  # imported lazily: pyshacl takes a second to import

    kept = {URIRef(node.value) for node in focus} if focus is not None else None
    if kept is not None and not kept:
        return []
    shapes_graph = Graph().parse(shapes or resources.shapes_file(), format="turtle")
    conforms, report, _ = validate(
        to_graph(triples),
        shacl_graph=shapes_graph,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    if conforms:
        return []
    problems = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus_node = report.value(result, SH.focusNode)
        if kept is not None and focus_node not in kept:
            continue
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        value = report.value(result, SH.value)
        file, line = locate(str(focus_node))
        where = _short(focus_node)
        text = str(message) if message else "violates a shape"
        if path is not None:
            text += f" [{_short(path)}]"
        if value is not None and str(value) != str(focus_node):
            text += f" (value: {value})"
        problems.append(Problem(file, line, where, text))
    return sorted(set(problems))


def affected(
    graphs: Mapping[ox.NamedNode, Sequence[ox.Triple]], changed: Collection[ox.NamedNode]
) -> tuple[list[ox.Triple], set[ox.NamedNode]]:
    """What checking the changed graphs takes: the triples the shapes read, and the nodes to check.

    The nodes are those the changed graphs describe and those of other graphs that point to them; the triples are
    the ontology's, every triple about those nodes (in any graph), and the types of every node they point to. The
    shapes look one step from a node (a value's class, a part of the same fact), so that is all they read.
    """
    described = {t.subject for name in changed for t in graphs.get(name, ()) if isinstance(t.subject, ox.NamedNode)}
    nodes = set(described)
    for name, triples in graphs.items():
        if name not in changed and name != ONTOLOGY_GRAPH:
            nodes.update(t.subject for t in triples if t.object in described and isinstance(t.subject, ox.NamedNode))
    about = [t for triples in graphs.values() for t in triples if t.subject in nodes]
    values = {t.object for t in about if isinstance(t.object, ox.NamedNode)}
    types = [t for triples in graphs.values() for t in triples if t.predicate == RDF.type and t.subject in values]
    return [*graphs.get(ONTOLOGY_GRAPH, ()), *about, *types], nodes


def _short(term: object) -> str:
    text = str(term)
    if isinstance(term, URIRef):
        for prefix in (KGD, KG):
            if text.startswith(prefix):
                return text[len(prefix) :]
    return text
