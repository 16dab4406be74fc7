"""Query results written out: W3C SPARQL 1.1 results (JSON, CSV, TSV), Turtle, and labels for people."""

from __future__ import annotations

import json
from collections.abc import Iterable

import pyoxigraph as ox

from kgraph import sparql
from kgraph.store.base import AskResult, GraphResult, SelectResult, Store, Term
from kgraph.vocabulary import PREFIXES

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
#: Above this many distinct IRIs a table shows compact names instead of looking up every label.
MAX_LABEL_LOOKUPS = 2000


def _term_json(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    found = {"type": "literal", "value": term.value}
    if term.language:
        found["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        found["datatype"] = term.datatype.value
    return found


def sparql_json(result: SelectResult | AskResult) -> bytes:
    """The result in the W3C SPARQL 1.1 Query Results JSON format."""
    if isinstance(result, AskResult):
        document: dict = {"head": {}, "boolean": result.value}
    else:
        bindings = [{name: _term_json(term) for name, term in row.items()} for row in result.rows]
        document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def serialise(result: SelectResult | AskResult, format: str) -> bytes:
    """The result as ``json``, ``csv``, ``tsv`` or ``xml`` (W3C formats, written by pyoxigraph)."""
    parsed = ox.parse_query_results(sparql_json(result), format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=RESULT_FORMATS[format])


def turtle(result: GraphResult) -> bytes:
    """CONSTRUCT or DESCRIBE triples as Turtle with kgraph's prefixes."""
    return ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""


def compact(iri: str) -> str:
    """``kgd:sensetime`` for an IRI under a known prefix, else ``<iri>``."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            local = iri[len(namespace) :]
            if local and all(c.isalnum() or c in "_-." for c in local):
                best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else f"<{iri}>"


def labels(store: Store, iris: Iterable[str]) -> dict[str, str]:
    """``rdfs:label`` of each IRI that has one (looked up one by one, through bindings)."""
    wanted = sorted(set(iris))
    if len(wanted) > MAX_LABEL_LOOKUPS:
        return {}
    query = sparql.load("label_of")
    found = {}
    for iri in wanted:
        result = store.query(query, bindings={"entity": ox.NamedNode(iri)})
        if isinstance(result, SelectResult) and result.rows:
            found[iri] = result.rows[0]["label"].value
    return found


def display(term: Term, names: dict[str, str]) -> str:
    """A term for a person: an entity's label, a compact IRI, or a literal's text."""
    if isinstance(term, ox.NamedNode):
        return names.get(term.value) or compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value
