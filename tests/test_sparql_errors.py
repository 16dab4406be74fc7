"""SPARQL errors in words, placed in the person's own text (after any predeclared prefixes)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgraph.namespaces import sparql_prologue
from kgraph.sparql.errors import QueryError, explain

PROLOGUE = sparql_prologue()
PROLOGUE_LINES = PROLOGUE.count("\n")


def refused(query: str, *, source: str | None = None) -> QueryError:
    """What the person is told about ``query`` sent with the predeclared prefixes."""
    text = PROLOGUE + query
    with pytest.raises(SyntaxError) as caught:
        ox.Store().query(text)
    return explain(caught.value, text, prologue_lines=PROLOGUE_LINES, source=source)


@pytest.mark.parametrize(
    ("query", "line", "column", "message"),
    [
        ("SELECT ?x WHERE { ?x foo:bar ?y }", 1, 22, "unknown prefix foo:"),
        ("SELECT ?x WHERE {\n  ?x kg:developer ?y .\n  ?y ex:bar ?z }", 3, 6, "unknown prefix ex:"),
        ('SELECT ?x WHERE { ?x ?p "商汤科技" .\n ?x foo:bar ?o }', 2, 5, "unknown prefix foo:"),
        ('SELECT ?x WHERE { ?x ?p "a"^^zz:date }', 1, 30, "unknown prefix zz:"),
        ("SELECT ?x WHERE { ?x :bar ?y }", 1, 22, "unknown prefix :"),
        ("SELEC ?x WHERE { ?x ?p ?o }", 1, 1, "expected SELECT, ASK, CONSTRUCT or DESCRIBE, found 'SELEC'"),
        ("PREFIX ex: <http://example.org/>\n  selct ?x {}", 2, 3, "expected SELECT, ASK, CONSTRUCT or DESCRIBE"),
        ("INSERT DATA { <http://a> <http://b> <http://c> }", 1, 1, "INSERT starts an update, not a query"),
        ("", 1, 1, "the query is empty"),
        ("SELECT ?x WHERE { ?x ?p ?o } LIMIT many", 1, 36, "unexpected 'many'"),
        ("SELECT ?x WHERE { ?x ?p ?o ", 1, 28, "unexpected end of the query; expected ',', '.', ';'"),
        ("PREFIX a: <x>\nSELECT * {}", 1, 11, "<x> is not a valid IRI"),
        ('SELECT * WHERE { ?s ?p "open }', 1, 31, "unexpected end of the query; expected '\"'"),
        ("SELECT ?e WHERE {\n  ?e a kg:Event ;\n     kg:date }", 3, 14, "unexpected '}'; expected '$', \"'\""),
    ],
)
def test_errors_name_what_is_wrong_where_the_person_wrote_it(query, line, column, message):
    error = refused(query)
    assert message in error.message
    assert (error.line, error.column) == (line, column)
    assert str(error).startswith(f"line {line}, column {column}: ")
    assert "\\u{" not in str(error) and "Prefix not found" not in str(error)


def test_a_file_is_named_with_its_line_and_column():
    error = refused("# name: mine\nSELECT ?x WHERE {\n  ?x nope:x ?y }\n", source="queries/mine.rq")
    assert str(error) == "queries/mine.rq:3:6: unknown prefix nope: (declare it with PREFIX nope: <...>)"


def test_a_prefix_declared_in_the_query_is_known():
    error = refused("PREFIX ex: <http://example.org/>\nSELECT ?x WHERE { ?x ex:p ?y . ?y other:q ?z }")
    assert error.message.startswith("unknown prefix other:")
    assert (error.line, error.column) == (2, 35)


def test_without_a_prologue_lines_count_from_the_first():
    text = "SELECT ?x WHERE {\n ?x bad:p ?y }"
    with pytest.raises(SyntaxError) as caught:
        ox.Store().query(text)
    assert (
        str(explain(caught.value, text)) == "line 2, column 5: unknown prefix bad: (declare it with PREFIX bad: <...>)"
    )


def test_a_message_alone_is_enough_and_one_without_a_position_is_kept():
    text = PROLOGUE + "SELECT ?x WHERE { ?x foo:bar ?y }"
    with pytest.raises(SyntaxError) as caught:
        ox.Store().query(text)
    from_message = explain(str(caught.value), text, prologue_lines=PROLOGUE_LINES)
    assert str(from_message).startswith("line 1, column 22: unknown prefix foo:")
    kept = explain(RuntimeError("the store is closed"), text, source="x.rq")
    assert str(kept) == "x.rq: the store is closed" and kept.line is None


def test_prefixes_given_to_the_engine_apart_from_the_text_are_known():
    text = "SELECT ?x WHERE { ?x a kg:Company ; ex:p ?y }"
    with pytest.raises(SyntaxError) as caught:
        ox.Store().query(text, prefixes={"kg": "https://w3id.org/kgraph/ontology#"})
    assert explain(caught.value, text).message.startswith("unknown prefix ex:")  # kgraph's prefixes by default
    assert explain(caught.value, text, prefixes=()).message.startswith("unknown prefix kg:")
