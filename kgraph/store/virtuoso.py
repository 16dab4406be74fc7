"""Virtuoso's dialect: what its SPARQL endpoint changes in results, undone, and the graphs it keeps for itself."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox

from kgraph.store.base import GraphResult, QueryResult, SelectResult, Term
from kgraph.vocabulary import XSD

#: Graphs that Virtuoso keeps for itself: never part of the landscape.
SYSTEM_GRAPHS = ("http://www.openlinksw.com/", "http://www.w3.org/ns/ldp#", "http://localhost:8890/")

_BNODE_ID = re.compile(r"[^A-Za-z0-9_]")
_DURATION = XSD.duration
_SECONDS = re.compile(r"-?[0-9]+(\.[0-9]*)?")
_BOOLEAN = XSD.boolean
_BOOLEAN_FORMS = {"1": "true", "0": "false"}


def needs_standard_json(body: bytes) -> bool:
    """Whether a JSON result uses Virtuoso's own forms (``typed-literal``, ``nodeID://`` blank nodes)."""
    return b"typed-literal" in body or b"nodeID://" in body


def standard_json(body: bytes) -> bytes:
    """Virtuoso's JSON results made standard: ``typed-literal`` is ``literal``; ``nodeID://b1`` blank nodes ``b1``."""
    document = json.loads(body)
    for row in document.get("results", {}).get("bindings", []):
        for value in row.values():
            if value.get("type") == "typed-literal":
                value["type"] = "literal"
            elif value.get("type") == "bnode":
                value["value"] = "v" + _BNODE_ID.sub("_", value["value"].removeprefix("nodeID://"))
    return json.dumps(document).encode("utf-8")


def _duration_from_seconds(text: str) -> str:
    """An ``xsd:duration`` lexical form for a number of seconds (Virtuoso returns durations as seconds)."""
    seconds = float(text)
    sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, rest = divmod(rest, 60)
    date = f"{int(days)}D" if days else ""
    time = "".join(f"{int(v)}{unit}" for v, unit in ((hours, "H"), (minutes, "M")) if v)
    if rest:
        time += f"{rest:g}S"
    if not date and not time:
        time = "0S"
    return f"{sign}P{date}" + (f"T{time}" if time else "")


def _term(term: Term) -> Term:
    if isinstance(term, ox.Literal) and term.datatype == _DURATION and _SECONDS.fullmatch(term.value):
        return ox.Literal(_duration_from_seconds(term.value), datatype=_DURATION)
    if isinstance(term, ox.Literal) and term.datatype == _BOOLEAN and term.value in _BOOLEAN_FORMS:
        return ox.Literal(_BOOLEAN_FORMS[term.value], datatype=_BOOLEAN)
    return term


def _object(term: Term | ox.Triple) -> Term | ox.Triple:
    return term if isinstance(term, ox.Triple) else _term(term)


def standard_result(result: QueryResult) -> QueryResult:
    """Results from Virtuoso with its changes to values undone where they can be (durations, booleans)."""
    if isinstance(result, SelectResult):
        rows = [{name: _term(term) for name, term in row.items()} for row in result.rows]
        return SelectResult(result.variables, rows)
    if isinstance(result, GraphResult):
        return GraphResult([ox.Triple(t.subject, t.predicate, _object(t.object)) for t in result.triples])
    return result
