"""The deadline runner: a query in a forked child, killed at the deadline; no import circle with the store."""

from __future__ import annotations

import ast
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgraph.store.base import AskResult, GraphResult, QueryTimeout, SelectResult
from kgraph.store.deadline import run_with_deadline

EX = "http://example.org/"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    for i in range(200):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(i), ox.DefaultGraph()))
    return store


def test_every_result_kind_comes_back(store):
    rows = run_with_deadline(store, f"SELECT ?s WHERE {{ ?s <{EX}p> 7 }}", {}, 30)
    assert isinstance(rows, SelectResult) and [row["s"].value for row in rows] == [f"{EX}s7"]
    assert run_with_deadline(store, "ASK { ?s ?p ?o }", {}, 30) == AskResult(True)
    built = run_with_deadline(store, "CONSTRUCT WHERE { ?s ?p ?o }", {}, 30)
    assert isinstance(built, GraphResult) and len(built) == 200
    bound = run_with_deadline(store, "SELECT ?s ?o WHERE { ?s ?p ?o }", {ox.Variable("o"): ox.Literal(3)}, 30)
    assert [row["s"].value for row in bound] == [f"{EX}s3"]
    with pytest.raises(SyntaxError):
        run_with_deadline(store, "SELECT WHERE {", {}, 30)


def test_a_query_past_its_deadline_is_stopped(store):
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        run_with_deadline(store, endless, {}, 0.5)
    assert time.monotonic() - started < 5


def test_the_runner_does_not_import_the_store_module():
    """oxigraph.py imports the runner; the runner imports nothing back, not even inside a function."""
    import kgraph.store.deadline as deadline

    tree = ast.parse(Path(deadline.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert "kgraph.store.base" in imported
    assert "kgraph.store.oxigraph" not in imported
