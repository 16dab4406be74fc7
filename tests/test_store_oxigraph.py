"""The Oxigraph stores: query time limits, and on-disk stores shared by processes that read and write them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgraph.errors import KgraphError
from kgraph.store.base import AskResult, GraphResult, QueryTimeout, SelectResult
from kgraph.store.lock import StoreBusy
from kgraph.store.oxigraph import OxigraphStore, put_in_place

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
GRAPH = ox.NamedNode("https://w3id.org/kgraph/graph/test")

WRITER = textwrap.dedent(
    """
    import sys
    import pyoxigraph as ox
    from kgraph.store.oxigraph import OxigraphStore, put_in_place

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


def test_a_store_being_written_keeps_other_processes_out_until_it_is_done(tmp_path: Path) -> None:
    path = tmp_path / "store"
    writer = _writer(path)
    try:
        assert writer.stdout is not None and writer.stdin is not None
        assert writer.stdout.readline().strip() == "first batch"
        with pytest.raises(StoreBusy, match="in use by another process"):
            OxigraphStore.open(path, wait=0.3)
        with pytest.raises(StoreBusy, match="being written by another process"):
            OxigraphStore.open(path, read_only=True, wait=0.3)
        assert writer.stdout.readline().strip() == "all batches"
        opened: list[OxigraphStore] = []
        waiting = threading.Thread(target=lambda: opened.append(OxigraphStore.open(path, read_only=True)))
        waiting.start()
        time.sleep(0.3)
        assert not opened  # the reader waits for the writer
        writer.stdin.write("\n")
        writer.stdin.flush()
        assert writer.wait(timeout=60) == 0
        waiting.join(timeout=30)
        [reader] = opened
        assert len(reader) == 20_000  # never a half-written store
        reader.close()
    finally:
        if writer.poll() is None:
            writer.kill()
    store = OxigraphStore.open(path)
    assert len(store) == 20_000
    store.close()


def _quads(count: int, *, start: int = 0) -> list[ox.Quad]:
    return [
        ox.Quad(ox.NamedNode(f"http://example.org/{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(i), GRAPH)
        for i in range(start, start + count)
    ]


def test_a_reader_sees_what_another_process_wrote_since(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with OxigraphStore.open(path) as store:
        store.add_quads(_quads(1000))
    reader = OxigraphStore.open(path, read_only=True)
    assert len(reader) == 1000
    script = textwrap.dedent(
        """
        import sys
        import pyoxigraph as ox
        from kgraph.store.oxigraph import OxigraphStore, put_in_place
        graph = ox.NamedNode("https://w3id.org/kgraph/graph/test")
        with OxigraphStore.open(sys.argv[1]) as store:
            store.add_quads([ox.Quad(ox.NamedNode(f"http://example.org/{i}"), ox.NamedNode("http://example.org/p"),
                                     ox.Literal(i), graph) for i in range(1000, 1500)])
        """
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True, timeout=60)
    assert len(reader) == 1500
    count = reader.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert isinstance(count, SelectResult) and int(count.rows[0]["n"].value) == 1500
    reader.close()


def test_a_reader_follows_a_store_replaced_whole(tmp_path: Path) -> None:
    """What ``kgraph build`` does: a new folder moved into place under the lock, the old one deleted."""
    path = tmp_path / "store"
    with OxigraphStore.open(path) as store:
        store.add_quads(_quads(100))
    reader = OxigraphStore.open(path, read_only=True)
    assert len(reader) == 100
    OxigraphStore.create(tmp_path / "new", _quads(300, start=5000)).close()
    put_in_place(tmp_path / "new", path)
    assert len(reader) == 300
    assert reader.query("ASK { <http://example.org/5000> ?p ?o }")
    reader.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "new.lock",
        "new.lock.intent",
        "store",
        "store.lock",
        "store.lock.intent",
    ]


def test_a_store_is_created_only_where_there_is_none(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    with pytest.raises(KgraphError, match="something is there already"):
        OxigraphStore.create(tmp_path / "store", _quads(1))
    assert list((tmp_path / "store").iterdir()) == []


def test_a_waiting_writer_goes_before_new_readers(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with OxigraphStore.open(path) as store:
        store.add_quads(_quads(10))
    holder = textwrap.dedent(
        """
        import sys, time
        from pathlib import Path
        from kgraph.store.lock import StoreLock
        with StoreLock(Path(sys.argv[1])).shared():
            print("reading", flush=True)
            time.sleep(1.5)
        """
    )
    reading = subprocess.Popen([sys.executable, "-c", holder, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert reading.stdout is not None and reading.stdout.readline().strip() == "reading"
        started = time.monotonic()
        written: list[float] = []

        notices: list[str] = []

        def write() -> None:
            with OxigraphStore.open(path, on_wait=notices.append) as store:
                written.append(time.monotonic() - started)
                store.add_quads(_quads(10, start=10))

        writer = threading.Thread(target=write)
        writer.start()
        time.sleep(0.3)
        with pytest.raises(StoreBusy):  # the writer is waiting: a new reader waits behind it
            OxigraphStore.open(path, read_only=True, wait=0.2)
        writer.join(timeout=30)
        assert written and 0.8 < written[0] < 10  # it waited for the query in progress, then wrote
        assert notices == [f"waiting for other processes to finish with {path} (at most 30 s)"]
    finally:
        reading.wait(timeout=30)
    with OxigraphStore.open(path, read_only=True) as reader:
        assert len(reader) == 20


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


BAD_LINE = "<http://example.org/x> <http://example.org/p> oops .\n"


def _nquads_file(path: Path, count: int, *, then: str = "") -> Path:
    """``count`` quads of :func:`_quads` as N-Quads, one a line, then the text ``then``."""
    path.write_bytes((ox.serialize(_quads(count), format=ox.RdfFormat.N_QUADS) or b"") + then.encode())
    return path


def test_a_file_loaded_into_an_empty_store_on_disk_takes_its_place_whole(tmp_path: Path) -> None:
    source = _nquads_file(tmp_path / "facts.nq", 500, then="_:b <http://example.org/p> _:c .\n")
    path = tmp_path / "store"
    with OxigraphStore.open(path) as store:
        folder = path.stat().st_ino
        store.load(source)
        assert path.stat().st_ino != folder  # bulk-loaded into a new folder that took the store's place
        assert len(store) == 501
        store.add_quads([ox.Quad(ox.NamedNode("http://example.org/more"), ox.NamedNode("http://example.org/p"), GRAPH)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.nq", "store", "store.lock", "store.lock.intent"]
    with OxigraphStore.open(path, read_only=True) as reader:
        assert len(reader.oxigraph) == 502


def test_a_bad_file_leaves_an_empty_store_on_disk_empty_and_usable(tmp_path: Path) -> None:
    source = _nquads_file(tmp_path / "facts.nq", 20_000, then=BAD_LINE)
    path = tmp_path / "store"
    with OxigraphStore.open(path) as store:
        with pytest.raises(SyntaxError, match="line 20001"):
            store.load(source)
        assert len(store.oxigraph) == 0
        store.add_quads([ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"), GRAPH)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.nq", "store", "store.lock", "store.lock.intent"]


def test_a_file_loaded_into_a_store_with_data_adds_to_it_in_one_transaction(tmp_path: Path) -> None:
    first = _nquads_file(tmp_path / "first.nq", 10)
    second = _nquads_file(tmp_path / "second.nq", 30, then=BAD_LINE)
    path = tmp_path / "store"
    with OxigraphStore.open(path) as store:
        store.load(first)
        folder = path.stat().st_ino
        with pytest.raises(SyntaxError):
            store.load(second)
        assert len(store.oxigraph) == 10  # nothing of the bad file
        store.load(_nquads_file(second, 30))
        assert len(store.oxigraph) == 30 and path.stat().st_ino == folder


def test_graphs_are_replaced_whole_and_only_by_name() -> None:
    store = OxigraphStore()
    other = ox.NamedNode("https://w3id.org/kgraph/graph/other")
    first = store.replace_graphs([*_quads(5), *(ox.Quad(q.subject, q.predicate, q.object, other) for q in _quads(2))])
    assert first.replaced == [other.value, GRAPH.value] and first.triples == 7  # in the order of their IRIs
    again = store.replace_graphs(_quads(3, start=100))
    assert again.replaced == [GRAPH.value] and len(store) == 5  # the test graph replaced, the other kept
    unnamed = ox.Quad(ox.NamedNode("http://example.org/x"), ox.NamedNode("http://example.org/p"), ox.Literal(1))
    with pytest.raises(KgraphError, match="default graph"):
        store.replace_graphs([unnamed, *_quads(1)])
    assert len(store) == 5


@pytest.mark.parametrize("timeout", [None, 10.0])
def test_the_standard_prefixes_are_declared_and_a_query_may_redeclare_them(
    seed_store: OxigraphStore, timeout: float | None
) -> None:
    assert seed_store.query("ASK { ?s a kg:Layoff }", timeout=timeout)
    own = "PREFIX kg: <http://example.org/other#> ASK { ?s a kg:Layoff }"
    assert not seed_store.query(own, timeout=timeout)
    with pytest.raises(SyntaxError, match="error at 2:"):
        seed_store.query("SELECT ?s\nWHERE { ?s a kg:Layoff . oops }", timeout=timeout)
