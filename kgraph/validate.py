"""Check a compiled landscape against the SHACL shapes, reporting each violation where a person can fix it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from kgraph import resources
from kgraph.compile import Compiled
from kgraph.errors import Problem
from kgraph.rdflib_bridge import to_graph
from kgraph.vocabulary import KG, KGD


def shacl_problems(compiled: Compiled, *, shapes: Path | None = None) -> list[Problem]:
    """Every SHACL violation of ``compiled``, located at the file and line that declared the offending node."""
    every = (t for triples in compiled.graphs.values() for t in triples)
    return shape_problems(every, locate=compiled.locate, shapes=shapes)


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
    in ``sh:not``, which then fail every value.
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


def _short(term: object) -> str:
    text = str(term)
    if isinstance(term, URIRef):
        for prefix in (KGD, KG):
            if text.startswith(prefix):
                return text[len(prefix) :]
    return text
