"""The Oxigraph stores: query time limits, and an on-disk store opened while another process writes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgraph.store.base import AskResult, GraphResult, QueryTimeout, SelectResult
from kgraph.store.oxigraph import OxigraphStore, StoreLockedError

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
GRAPH = ox.NamedNode("https://w3id.org/kgraph/graph/test")

WRITER = textwrap.dedent(
    """
    import sys
    import pyoxigraph as ox
    from kgraph.store.oxigraph import OxigraphStore

    store = OxigraphStore.open(sys.argv[1])
    graph = ox.NamedNode("https://w3id.org/kgraph/graph/test")

    def batch(number):
        return [ox.Quad(ox.NamedNode(f"http://example.org/{number}/{item}"), ox.NamedNode("http://example.org/p"),
                        ox.Literal(item), graph) for item in range(1000)]

    store.add_quads(batch(0))
    store.oxigraph.flush()
    print("first batch", flush=True)
    for number in range(1, 20):
        store.add_quads(batch(number))
    print("all batches", flush=True)
    sys.stdin.readline()
    store.close()
    """
)


def test_a_slow_query_is_stopped_at_the_deadline(seed_store: OxigraphStore) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="longer than 0.5 s"):
        seed_store.query(SLOW, timeout=0.5)
    assert time.monotonic() - started < 5
    # the store still answers afterwards
    assert seed_store.query("ASK { ?s a <https://w3id.org/kgraph/ontology#Layoff> }", timeout=10)


def test_results_under_a_time_limit_equal_those_without(seed_store: OxigraphStore) -> None:
    select = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s ?label"
    free, limited = seed_store.query(select), seed_store.query(select, timeout=30)
    assert isinstance(limited, SelectResult) and limited == free and len(limited) > 50
    bindings = {"s": ox.NamedNode("https://w3id.org/kgraph/id/sensetime")}
    assert seed_store.query(select, bindings=bindings, timeout=30) == seed_store.query(select, bindings=bindings)
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER (?s = <https://w3id.org/kgraph/id/sensetime>) }"
    graph = seed_store.query(construct, timeout=30)
    assert isinstance(graph, GraphResult)
    assert set(graph.triples) == set(seed_store.query(construct).triples)
    assert seed_store.query("ASK { ?s ?p 42 }", timeout=30) == AskResult(False)


def test_errors_under_a_time_limit_keep_their_kind(seed_store: OxigraphStore) -> None:
    with pytest.raises(SyntaxError, match="2:"):
        seed_store.query("SELECT * WHERE {\n ?s ?p }", timeout=30)


def _writer(path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_opening_a_store_that_another_process_writes(tmp_path: Path) -> None:
    path = tmp_path / "store"
    writer = _writer(path)
    try:
        assert writer.stdout is not None and writer.stdin is not None
        assert writer.stdout.readline().strip() == "first batch"
        with pytest.raises(StoreLockedError, match="in use by another process"):
            OxigraphStore.open(path)
        reader = OxigraphStore.open(path, read_only=True)
        seen = len(reader)
        assert 1000 <= seen <= 20_000 and seen % 1000 == 0  # a consistent snapshot: whole batches only
        with pytest.raises(Exception, match="read-only"):
            reader.add_quads(
                [
                    ox.Quad(
                        ox.NamedNode("http://example.org/x"), ox.NamedNode("http://example.org/p"), ox.Literal(1), GRAPH
                    )
                ]
            )
        assert writer.stdout.readline().strip() == "all batches"
        assert len(OxigraphStore.open(path, read_only=True)) == 20_000
        writer.stdin.write("\n")
        writer.stdin.flush()
        assert writer.wait(timeout=60) == 0
    finally:
        if writer.poll() is None:
            writer.kill()
    store = OxigraphStore.open(path)
    assert len(store) == 20_000
    store.close()


def test_a_writer_killed_midway_leaves_a_store_that_opens(tmp_path: Path) -> None:
    path = tmp_path / "store"
    writer = _writer(path)
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "first batch"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=60)
    store = OxigraphStore.open(path)
    count = len(store)
    assert count >= 1000 and count % 1000 == 0  # each batch is one transaction: all of it or none
    assert store.query("ASK { GRAPH ?g { <http://example.org/0/999> ?p ?o } }")
    store.close()
