"""``kgraph serve`` under attack and under faults: long writes, heavy queries, floods, oversized requests.

Every test runs a real endpoint on loopback and is bounded in time (a few seconds of waiting each) and memory.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from kgraph.build import STORE_NAME, BuildResult
from tests.sparql_servers import kgraph_serve

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


def count(base: str, **options: float) -> httpx.Response:
    return httpx.post(base + "/sparql", data={"query": COUNT}, headers={"Accept": "text/csv"}, timeout=30, **options)


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
