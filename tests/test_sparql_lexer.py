"""The SPARQL tokenizer: bindings as VALUES blocks, row limits, and keyword scans that text cannot fool."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgraph.sparql.lexer import SparqlTextError, has_keyword, service_targets, with_row_limit, with_values

EX = "http://example.org/"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    p = ox.NamedNode(EX + "p")
    for i in range(10):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), p, ox.Literal(f"v{i % 3}"), ox.DefaultGraph()))
    store.add(ox.Quad(ox.NamedNode(EX + "odd"), p, ox.Literal('"} ; DROP ALL ; {"'), ox.DefaultGraph()))
    return store


def rows(store: ox.Store, query: str) -> list[tuple]:
    return sorted(tuple(str(v) for v in solution) for solution in store.query(query))


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o }",
        "SELECT ?o (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?o",
        "SELECT ?o ?s WHERE { { SELECT ?s ?o WHERE { ?s ?p ?o } } } # a comment with { and }",
        'SELECT ?s ?o WHERE { ?s ?p ?o FILTER (?o != "}{") }',
        "SELECT ?o ?s WHERE { OPTIONAL { ?s <http://example.org/p> ?o } }",
        "SELECT ?o ?s WHERE { ?s ?p ?x OPTIONAL { ?s <http://example.org/p> ?o } }",
        # a subquery that returns the bound variable, and one that filters on it, as the paged named questions do
        "SELECT ?s ?o WHERE { { SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 3 } ?s ?q ?r }",
        "SELECT ?s ?o WHERE { { SELECT ?s ?o WHERE { ?s ?p ?x FILTER (NOT EXISTS { FILTER (?o = ?o) } || ?x = ?o) }"
        " ORDER BY ?s LIMIT 2 } }",
    ],
)
def test_values_block_answers_like_oxigraph_substitution(store, query):
    term = ox.Literal("v1")
    expected = sorted(tuple(str(v) for v in s) for s in store.query(query, substitutions={ox.Variable("o"): term}))
    assert expected
    assert rows(store, with_values(query, {"o": term})) == expected


def test_hostile_literal_is_a_literal(store):
    hostile = ox.Literal('"} ; DROP ALL ; {"')
    bound = with_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": hostile})
    assert rows(store, bound) == [(f"<{EX}odd>",)]
    assert len(store) == 11


def test_bindings_refuse_what_they_cannot_write():
    with pytest.raises(SparqlTextError):
        with_values("SELECT * WHERE { ?s ?p ?o }", {"s": ox.BlankNode()})
    with pytest.raises(SparqlTextError):
        with_values("SELECT * WHERE { ?s ?p ?o }", {"s } DROP": ox.NamedNode(EX)})
    with pytest.raises(SparqlTextError):
        with_values("CONSTRUCT WHERE { ?s ?p ?o }", {"s": ox.NamedNode(EX)})


def test_row_limit(store):
    assert len(rows(store, with_row_limit("SELECT * WHERE { ?s ?p ?o } # end", 4))) == 4
    assert len(rows(store, with_row_limit("SELECT * WHERE { ?s ?p ?o } LIMIT 2", 4))) == 2
    assert len(rows(store, with_row_limit("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 9 OFFSET 1", 4))) == 4
    inner = "SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } LIMIT 8 } } VALUES ?p { <http://example.org/p> }"
    assert len(rows(store, with_row_limit(inner, 3))) == 3


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("LOAD <file:///etc/passwd>", True),
        ("load silent <http://x/>", True),
        ("PREFIX : <file:///etc/> LOAD:passwd", True),
        ("\\u004cOAD <file:///etc/passwd>", True),
        ('INSERT DATA { <a:b> <a:c> "LOAD <file:///etc/passwd>" }', False),
        ("INSERT DATA { <a:b> <a:c> '''\nLOAD <file:///x>\n''' }", False),
        ("# LOAD <file:///etc/passwd>\nINSERT DATA { <a:b> <a:c> <a:LOAD> }", False),
        ("INSERT DATA { <a:b> <a:c> ?load }", False),
    ],
)
def test_load_scan(text, found):
    assert has_keyword(text, "LOAD") is found


def test_service_targets_resolve_prefixes_and_base():
    text = (
        "BASE <http://base.example/> PREFIX e: <http://evil.example/>\n"
        "SELECT * { SERVICE e:q {} SERVICE SILENT <rel> {} SERVICE ?v {} } # SERVICE <http://hidden/>"
    )
    assert service_targets(text) == ["http://evil.example/q", "http://base.example/rel", None]
    assert service_targets('SELECT * { BIND("SERVICE <http://x/>" AS ?s) }') == []
