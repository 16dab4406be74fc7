"""``kgraph serve`` under attack and under faults: long writes, heavy queries, floods, oversized requests.

Every test runs a real endpoint on loopback and is bounded in time (a few seconds of waiting each) and memory.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kgraph.build import STORE_NAME, BuildResult
from tests.sparql_servers import Served, kgraph_serve

pytestmark = pytest.mark.server

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
#: A real writer: another process opens the store for writing (taking its lock) and holds it.
WRITER = """
import sys, time
from kgraph.store.oxigraph import OxigraphStore
store = OxigraphStore.open(sys.argv[1])
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
store.close()
"""


@pytest.fixture
def store(seed_build: BuildResult, tmp_path: Path) -> Path:
    """A scratch copy of the seed store."""
    path = tmp_path / STORE_NAME
    shutil.copytree(seed_build.out_dir / STORE_NAME, path)
    return path


def count(base: str) -> httpx.Response:
    return httpx.post(base + "/sparql", data={"query": COUNT}, headers={"Accept": "text/csv"}, timeout=30)


def hold_for_writing(store: Path, seconds: float) -> subprocess.Popen:
    """Start a writer process that holds the store's lock for ``seconds``; returns once it holds it."""
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(store), str(seconds)], stdout=subprocess.PIPE)
    assert writer.stdout is not None and writer.stdout.readline() == b"locked\n"
    return writer


# --- issue 15, item 1: a long write never kills the endpoint -----------------------------------------------------


def test_a_long_write_is_answered_503_and_the_endpoint_recovers_on_its_own(store):
    lock_wait = 0.5
    with kgraph_serve(store, "--lock-wait", str(lock_wait), "--timeout", "5") as base:
        before = count(base).text
        writer = hold_for_writing(store, 8)  # 16 times the lock wait
        try:
            for _ in range(4):
                started = time.monotonic()
                response = count(base)
                assert response.status_code == 503
                assert "being written" in response.text
                assert response.headers["Retry-After"] == "1"
                assert time.monotonic() - started < lock_wait + 2
            health = httpx.get(base + "/health", timeout=5)
            assert health.status_code == 503 and health.json()["status"] == "store being written"
            assert health.json()["workers"] == 2
        finally:
            assert writer.wait(timeout=30) == 0
        after = count(base)
        assert after.status_code == 200 and after.text == before
        health = httpx.get(base + "/health", timeout=5).json()
        assert health["status"] == "ok" and health["workers"] == 2 and health["restarts"] == 0


def test_workers_stopped_during_a_write_come_back(store):
    """The time limit is shorter than the lock wait: workers are killed and replaced while the writer holds on."""
    with kgraph_serve(store, "--lock-wait", "30", "--timeout", "1", "--workers", "2") as base:
        writer = hold_for_writing(store, 6)
        try:
            stopped = [count(base) for _ in range(3)]
            assert [r.status_code for r in stopped] == [503] * 3
            assert all("time limit" in r.text for r in stopped)
        finally:
            assert writer.wait(timeout=30) == 0
        assert count(base).status_code == 200
        health = httpx.get(base + "/health", timeout=5).json()
        assert health["status"] == "ok" and health["workers"] == 2 and health["restarts"] >= 3


def test_a_write_does_not_wait_for_long_queries(store):
    with kgraph_serve(store, "--timeout", "30", "--long-after", "0.5") as base:
        answers: dict[str, httpx.Response] = {}
        query = threading.Thread(target=lambda: answers.update(long=ask(base, ENDLESS, timeout=60)))
        query.start()
        time.sleep(1.5)  # the query is long now
        started = time.monotonic()
        writer = hold_for_writing(store, 0.5)  # returns once the writer holds the lock
        waited = time.monotonic() - started
        assert writer.wait(timeout=30) == 0
        query.join(timeout=60)
        assert waited < 10  # not the 30 s the query could have run
        assert answers["long"].status_code == 503 and "write to the store go first" in answers["long"].text
        assert count(base).status_code == 200


def test_sigterm_stops_the_endpoint_within_seconds_during_a_write(store):
    with kgraph_serve(store, "--lock-wait", "60", "--timeout", "60") as base:
        writer = hold_for_writing(store, 20)
        try:
            waiting = subprocess.Popen(  # a client whose query waits for the writer
                [
                    sys.executable,
                    "-c",
                    f"import httpx; httpx.post({base + '/sparql'!r}, data={{'query': 'ASK {{}}'}}, timeout=100)",
                ],
                stderr=subprocess.DEVNULL,
            )
            time.sleep(1)
            started = time.monotonic()
            base.process.send_signal(signal.SIGTERM)
            base.process.wait(timeout=15)
            assert time.monotonic() - started < 8
            waiting.wait(timeout=15)
        finally:
            writer.kill()
            writer.wait()


# --- issue 15, items 2, 3, 4 and 8: the policy's reading, resource limits, odd requests ---------------------------

MAX_ROWS = 50
HEAVY_SORT = "SELECT ?a ?c ?e WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?c ?e ?i"


@pytest.fixture(scope="module")
def tight(seed_build: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One worker, one waiting place, a small row cap and 1 GB of address space per worker."""
    store = tmp_path_factory.mktemp("tight") / STORE_NAME
    shutil.copytree(seed_build.out_dir / STORE_NAME, store)
    options = ["--workers", "1", "--max-waiting", "1", "--timeout", "20", "--max-rows", str(MAX_ROWS)]
    with kgraph_serve(store, *options, "--max-memory", "1024", "--lock-wait", "1") as base:
        yield base


def idle(base: str) -> dict:
    """/health once every worker is back (after a test stopped one)."""
    deadline = time.monotonic() + 30
    while True:
        health = httpx.get(base + "/health", timeout=5)
        if health.status_code == 200 and health.json()["waiting"] == 0 or time.monotonic() > deadline:
            return health.json()
        time.sleep(0.2)


def ask(base: str, query: str, *, timeout: float = 30) -> httpx.Response:
    return httpx.post(base + "/sparql", data={"query": query}, headers={"Accept": "text/csv"}, timeout=timeout)


def test_escaped_names_hide_neither_service_nor_the_row_cap(tight):
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(0.5)
        target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        for hiding in (r"ex:a\#", r"ex:a\'"):
            query = (
                f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ BIND({hiding} AS ?v) SERVICE <{target}> {{ }} }}"
            )
            response = ask(tight, query)
            assert response.status_code == 403 and "SERVICE" in response.text
        with pytest.raises(TimeoutError):
            listener.accept()  # nobody came
    cut = ask(tight, r"PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ?p ?o FILTER(?o != ex:x\#) }")
    assert cut.status_code == 200
    assert len(cut.text.strip().splitlines()) == MAX_ROWS + 1 and cut.headers["X-Kgraph-Rows-Cut"] == "true"


def test_a_prefix_named_service_is_accepted(tight):
    query = "PREFIX service: <https://w3id.org/kgraph/ontology#> SELECT ?c WHERE { ?c a service:Company }"
    response = ask(tight, query)
    assert response.status_code == 200 and len(response.text.splitlines()) > 1


def test_a_default_graph_uri_that_is_not_an_iri_is_a_clear_400(tight):
    restarts = idle(tight)["restarts"]
    for bad in ("not an iri", "http://exa mple.org/", ""):
        response = httpx.post(tight + "/sparql", data={"query": COUNT, "default-graph-uri": bad}, timeout=10)
        assert response.status_code == 400 and "default-graph-uri" in response.text
    assert ask(tight, COUNT).status_code == 200
    assert idle(tight)["restarts"] == restarts


def test_oversized_urls_and_headers_are_refused(tight):
    port = int(tight.rsplit(":", 1)[1])
    for request, status in (
        (b"GET /sparql?query=" + b"x" * 20_000 + b" HTTP/1.1\r\nHost: a\r\n\r\n", b"414"),
        (b"GET /health HTTP/1.1\r\nHost: a\r\nX-Big: " + b"y" * 100_000 + b"\r\n\r\n", b"431"),
        (b"GET /health HTTP/1.1\r\nHost: a\r\n" + b"X-Many: z\r\n" * 5_000 + b"\r\n", b"431"),
    ):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
            with contextlib.suppress(OSError):  # the server may close before it has read everything
                client.sendall(request)
            assert client.recv(200).split(b" ")[1] == status
    assert httpx.get(tight + "/health", timeout=5).status_code == 200


def test_a_query_that_needs_too_much_memory_is_stopped(tight):
    restarts = idle(tight)["restarts"]
    started = time.monotonic()
    response = ask(tight, HEAVY_SORT)
    assert response.status_code == 503 and "memory" in response.text
    assert time.monotonic() - started < 15
    assert ask(tight, COUNT).status_code == 200
    assert idle(tight)["restarts"] == restarts + 1


def test_a_query_is_stopped_when_its_client_leaves(tight):
    restarts = idle(tight)["restarts"]
    with pytest.raises(httpx.ReadTimeout):
        ask(tight, ENDLESS, timeout=1)
    started = time.monotonic()
    assert ask(tight, COUNT).status_code == 200  # the only worker is free again well before the 20 s limit
    assert time.monotonic() - started < 10
    assert idle(tight)["restarts"] == restarts + 1


def test_the_queue_is_bounded(tight):
    idle(tight)
    gone: list[BaseException] = []

    def endless(text: str) -> None:
        try:
            ask(tight, text, timeout=4)  # one runs, one waits; both leave after 4 s
        except httpx.ReadTimeout as error:
            gone.append(error)

    # Two texts: a text the endpoint has seen run long would be refused at once rather than queued.
    texts = [ENDLESS + " # queued", ENDLESS + " # queued too"]
    clients = [threading.Thread(target=endless, args=(text,)) for text in texts]
    for client in clients:
        client.start()
        time.sleep(0.5)
    started = time.monotonic()
    refused = ask(tight, COUNT)
    assert refused.status_code == 503 and "too many" in refused.text and refused.headers["Retry-After"]
    assert time.monotonic() - started < 2
    for client in clients:
        client.join(timeout=30)
    assert len(gone) == 2
    assert ask(tight, COUNT).status_code == 200
