"""Query results serialised with a cap on their size: the row limit holds on what a query returns, whatever its text.

A SELECT answer keeps at most ``max_rows`` solutions and a CONSTRUCT or DESCRIBE answer at most ``max_rows`` triples.
Oxigraph evaluates lazily, so a query without ORDER BY stops being computed once the cap is reached.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Serialised:
    """A serialised answer: ``kind`` is "solutions", "boolean" or "graph"; ``capped`` when rows were left out."""

    kind: str
    body: bytes
    capped: bool = False


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict[str, Any]:
    """A term as the W3C SPARQL 1.1 JSON results format (with the RDF-star triple form) writes it."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        written: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            written["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            written["datatype"] = term.datatype.value
        return written
    parts = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
    return {"type": "triple", "value": {name: _json_term(part) for name, part in parts.items()}}


def _solutions_json(variables: list[str], rows: list[ox.QuerySolution]) -> bytes:
    bindings = [
        {name: _json_term(value) for name, value in zip(variables, row, strict=True) if value is not None}
        for row in rows
    ]
    document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def serialise(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
    *,
    max_rows: int,
    results_format: str = "JSON",
    graph_format: str = "TURTLE",
) -> Serialised:
    """``result`` in the named pyoxigraph format, cut at ``max_rows`` solutions or triples."""
    if isinstance(result, ox.QueryBoolean):
        return Serialised("boolean", result.serialize(format=getattr(ox.QueryResultsFormat, results_format)) or b"")
    if isinstance(result, ox.QueryTriples):
        triples = list(itertools.islice(result, max_rows + 1))
        body = ox.serialize(triples[:max_rows], format=getattr(ox.RdfFormat, graph_format)) or b""
        return Serialised("graph", body, capped=len(triples) > max_rows)
    variables = [variable.value for variable in result.variables]
    rows = list(itertools.islice(result, max_rows + 1))
    capped = len(rows) > max_rows
    body = _solutions_json(variables, rows[:max_rows])
    if results_format != "JSON":  # Oxigraph writes the other formats from the cut JSON
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        body = parsed.serialize(format=getattr(ox.QueryResultsFormat, results_format)) or b""
    return Serialised("solutions", body, capped=capped)
