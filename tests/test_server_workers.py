"""The query workers of ``kgraph serve``: answers of any size, deadlines and dead workers, on every event loop."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kgraph.server.workers import LONG_NICENESS, Job, QueryStopped, Worker, WorkerPool

pytestmark = pytest.mark.server

TRIPLES = 30_000
EVERYTHING = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store whose full listing is several megabytes of JSON (more than any pipe buffer)."""
    path = tmp_path_factory.mktemp("workers") / "store"
    store = ox.Store(str(path))
    graph = ox.NamedNode("https://example.org/graph")
    store.extend(
        ox.Quad(
            ox.NamedNode(f"https://example.org/thing/{i // 10}"),
            ox.NamedNode(f"https://example.org/property/{i % 10}"),
            ox.Literal(f"value {i} with some text to make the answer longer"),
            graph,
        )
        for i in range(TRIPLES)
    )
    store.flush()
    del store
    return path


def _uvloop_run(main: Coroutine[Any, Any, Any]) -> Any:
    uvloop = pytest.importorskip("uvloop")
    return uvloop.run(main)


LOOPS: dict[str, Callable[[Coroutine[Any, Any, Any]], Any]] = {"asyncio": asyncio.run, "uvloop": _uvloop_run}


@pytest.fixture(params=sorted(LOOPS))
def run(request: pytest.FixtureRequest) -> Callable[[Coroutine[Any, Any, Any]], Any]:
    """Runs a coroutine on one event loop; every test runs on the standard loop and on uvloop (what uvicorn picks)."""
    return LOOPS[request.param]


def _rows(answer_body: bytes) -> int:
    return sum(1 for _ in ox.parse_query_results(answer_body, ox.QueryResultsFormat.JSON))


def test_large_answers_arrive_whole(store_path, run):
    async def main() -> list[tuple[str, int, int]]:
        pool = WorkerPool(store_path, size=2, long_after=60)  # four long answers at once
        await pool.start()
        try:
            answers = await asyncio.gather(*(pool.run(Job(EVERYTHING, max_rows=TRIPLES), timeout=60) for _ in range(4)))
        finally:
            await pool.close()
        return [(answer.kind, len(answer.body), _rows(answer.body)) for answer in answers]

    for kind, size, rows in run(main()):
        assert kind == "solutions"
        assert size > 1_000_000
        assert rows == TRIPLES


def test_every_format_and_an_error_come_back(store_path, run):
    async def main() -> dict[str, Any]:
        pool = WorkerPool(store_path, size=1)
        await pool.start()
        try:
            return {
                "csv": await pool.run(Job(EVERYTHING + " LIMIT 3", results_format="CSV"), timeout=30),
                "ask": await pool.run(Job("ASK { ?s ?p ?o }"), timeout=30),
                "graph": await pool.run(
                    Job("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2", graph_format="N_TRIPLES"), timeout=30
                ),
                "error": await pool.run(Job("SELECT WHERE {"), timeout=30),
                "named": await pool.run(
                    Job("SELECT * WHERE { ?s ?p ?o } LIMIT 1", default_graphs=("https://example.org/none",)),
                    timeout=30,
                ),
            }
        finally:
            await pool.close()

    answers = run(main())
    assert answers["csv"].kind == "solutions" and answers["csv"].body.decode().splitlines()[0] == "s,p,o"
    assert len(answers["csv"].body.decode().splitlines()) == 4
    assert answers["ask"].kind == "boolean" and b"true" in answers["ask"].body
    assert answers["graph"].kind == "graph" and answers["graph"].body.count(b" .\n") == 2
    assert answers["error"].kind == "error" and answers["error"].body
    assert answers["named"].kind == "solutions" and _rows(answers["named"].body) == 0


def test_a_query_past_its_deadline_is_stopped_and_the_pool_keeps_serving(store_path, run):
    async def main() -> tuple[bool, int, int, str]:
        pool = WorkerPool(store_path, size=2)
        await pool.start()
        try:
            endless = asyncio.ensure_future(pool.run(Job(ENDLESS), timeout=1.0))
            await asyncio.sleep(0.1)
            quick = await pool.run(Job("ASK { ?s ?p ?o }"), timeout=30)
            try:
                await endless
                stopped = False
            except QueryStopped:
                stopped = True
            after = await pool.run(Job("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", results_format="CSV"), timeout=30)
            return stopped, pool.restarts, pool.alive, quick.kind + " " + after.body.decode().split()[1]
        finally:
            await pool.close()

    stopped, restarts, alive, answers = run(main())
    assert stopped
    assert restarts == 1 and alive == 2
    assert answers == f"boolean {TRIPLES}"


def test_a_worker_killed_from_outside_is_replaced(store_path, run):
    async def main() -> tuple[bool, int, str]:
        pool = WorkerPool(store_path, size=1)
        await pool.start()
        try:
            victim = next(iter(pool._workers))
            running = asyncio.ensure_future(pool.run(Job(ENDLESS), timeout=60))
            await asyncio.sleep(0.2)
            os.kill(victim.process.pid, signal.SIGKILL)
            try:
                await running
                died = False
            except QueryStopped:
                died = True
            answer = await pool.run(Job("ASK { ?s ?p ?o }"), timeout=30)
            return died, pool.restarts, answer.kind
        finally:
            await pool.close()

    died, restarts, kind = run(main())
    assert died and restarts == 1 and kind == "boolean"


def test_long_queries_leave_a_worker_to_short_ones(store_path, run):
    async def main() -> tuple[list[str], float, str]:
        pool = WorkerPool(store_path, size=2, long_after=0.3)
        await pool.start()
        try:
            endless = [asyncio.ensure_future(pool.run(Job(ENDLESS), timeout=8)) for _ in range(2)]
            await asyncio.sleep(1.0)  # both have turned long: one runs on, the other was stopped
            started = time.monotonic()
            quick = await pool.run(Job("ASK { ?s ?p ?o }"), timeout=8)
            quick_seconds = time.monotonic() - started
            started = time.monotonic()
            with pytest.raises(QueryStopped) as again:  # known to be long: refused before it takes a worker
                await pool.run(Job(ENDLESS), timeout=8)
            assert again.value.crowded and time.monotonic() - started < 0.2
            outcomes = []
            for task in endless:
                try:
                    await task
                    outcomes.append("answered")
                except QueryStopped as stopped:
                    outcomes.append("crowded" if stopped.crowded else "time limit")
            return sorted(outcomes), quick_seconds, quick.kind
        finally:
            await pool.close()

    outcomes, quick_seconds, kind = run(main())
    assert outcomes == ["crowded", "time limit"]
    assert kind == "boolean" and quick_seconds < 3


def test_a_long_query_yields_the_cpu_to_short_ones(store_path, run):
    async def main() -> tuple[list[int], list[int]]:
        pool = WorkerPool(store_path, size=2, long_after=0.3)
        await pool.start()
        try:
            endless = asyncio.ensure_future(pool.run(Job(ENDLESS), timeout=3))
            await asyncio.sleep(1.0)  # it has turned long
            during = sorted(os.getpriority(os.PRIO_PROCESS, w.process.pid) for w in pool._workers)
            with pytest.raises(QueryStopped):
                await endless
            after = [os.getpriority(os.PRIO_PROCESS, w.process.pid) for w in pool._workers]
            return during, after
        finally:
            await pool.close()

    during, after = run(main())
    assert during == [0, LONG_NICENESS]  # the long query's worker runs behind the other
    assert after == [0, 0]  # its replacement runs at the usual priority


def test_a_worker_gets_its_priority_back_or_says_it_cannot(store_path, run):
    async def main() -> tuple[bool, int, bool, int]:
        worker = await Worker.start(store_path)
        try:
            pid = worker.process.pid
            lowered = worker.yield_cpu(niceness=LONG_NICENESS)
            low = os.getpriority(os.PRIO_PROCESS, pid)
            restored = worker.yield_cpu(niceness=0)
            return lowered, low, restored, os.getpriority(os.PRIO_PROCESS, pid)
        finally:
            await worker.kill()

    lowered, low, restored, now = run(main())
    assert lowered and low == LONG_NICENESS
    assert restored == (now == 0)  # as root it is restored; elsewhere the pool replaces the worker instead
