"""The row limit holds on the results, whatever the query's text says (LIMIT in comments, strings, escaped names)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.server.results import serialise

EX = "http://example.org/"
ROWS = 40


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    for i in range(ROWS):
        subject = ox.NamedNode(f"{EX}s{i}")
        store.add(ox.Quad(subject, ox.NamedNode(EX + "p"), ox.Literal(f"v{i}", language="en"), ox.DefaultGraph()))
        store.add(ox.Quad(subject, ox.NamedNode(EX + "n"), ox.Literal(i), ox.DefaultGraph()))
    return store


noise = st.sampled_from(
    ["", "# LIMIT 1\n", r"FILTER(?s != ex:x\#) ", "FILTER(?o != 'LIMIT 2') ", r"BIND(ex:a\' AS ?z) "]
)


@given(
    before=noise,
    limit=st.integers(min_value=0, max_value=60) | st.none(),
    max_rows=st.integers(min_value=0, max_value=50),
    format=st.sampled_from(["JSON", "XML", "CSV", "TSV"]),
    ordered=st.booleans(),
)
@settings(max_examples=150, deadline=None)
def test_select_answers_never_pass_the_row_limit(store, before, limit, max_rows, format, ordered):
    query = (
        f"PREFIX ex: <{EX}> SELECT ?s ?o WHERE {{ {before}?s ex:p ?o }}"
        + (" ORDER BY ?s" if ordered else "")
        + (f" LIMIT {limit}" if limit is not None else "")
    )
    expected = min(ROWS if limit is None else limit, ROWS)
    written = serialise(store.query(query), max_rows=max_rows, results_format=format)
    if format == "CSV":  # Oxigraph does not read CSV back; no value here holds a line break
        rows = written.body.decode().splitlines()[1:]
    else:
        rows = list(ox.parse_query_results(written.body, format=getattr(ox.QueryResultsFormat, format)))
    assert len(rows) == min(expected, max_rows)
    assert written.capped is (expected > max_rows)


def test_terms_keep_their_kind_language_and_datatype(store):
    query = f"SELECT ?s ?o ?n WHERE {{ ?s <{EX}p> ?o ; <{EX}n> ?n }} ORDER BY ?n"
    written = serialise(store.query(query), max_rows=5)
    rows = list(ox.parse_query_results(written.body, format=ox.QueryResultsFormat.JSON))
    expected = list(store.query(query))[:5]
    assert [[row[v] for v in ("s", "o", "n")] for row in rows] == [
        [row[v] for v in ("s", "o", "n")] for row in expected
    ]
    assert rows[0]["o"].language == "en" and rows[0]["n"].datatype.value.endswith("#integer")


def test_graph_answers_are_cut_too(store):
    written = serialise(store.query("CONSTRUCT WHERE { ?s ?p ?o }"), max_rows=7, graph_format="N_TRIPLES")
    assert written.kind == "graph" and written.capped
    assert len(list(ox.parse(written.body, format=ox.RdfFormat.N_TRIPLES))) == 7
    ask = serialise(store.query("ASK { ?s ?p ?o }"), max_rows=0)
    assert ask.kind == "boolean" and b"true" in ask.body
