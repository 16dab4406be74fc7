"""Check a compiled landscape against the SHACL shapes, reporting each violation where a person can fix it."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from kgraph import resources
from kgraph.compile import Compiled
from kgraph.errors import Problem
from kgraph.rdflib_bridge import to_graph
from kgraph.vocabulary import KG, KGD


def shacl_problems(compiled: Compiled, *, shapes: Path | None = None) -> list[Problem]:
    """Every SHACL violation of ``compiled``, located at the file and line that declared the offending node."""
    from pyshacl import validate  # imported lazily: pyshacl takes a second to import

    shapes_graph = Graph().parse(shapes or resources.shapes_file(), format="turtle")
    conforms, report, _ = validate(
        to_graph(t for triples in compiled.graphs.values() for t in triples),
        shacl_graph=shapes_graph,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    if conforms:
        return []
    problems = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        value = report.value(result, SH.value)
        file, line = compiled.locate(str(focus))
        where = _short(focus)
        text = str(message) if message else "violates a shape"
        if path is not None:
            text += f" [{_short(path)}]"
        if value is not None and str(value) != str(focus):
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
