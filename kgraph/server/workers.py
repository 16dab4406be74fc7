"""A pool of worker processes that answer SPARQL queries on the on-disk store, each stopped at its deadline.

pyoxigraph cannot interrupt a query and holds the GIL while it runs, so every query runs in a worker process that
opened the store read-only. A worker that passes the deadline is killed and replaced; the others keep serving.
Results leave the worker already serialised by Oxigraph, in the format the client asked for.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

#: Formats a worker can write, by name: SPARQL results formats and RDF formats.
_RESULT_FORMATS = ("JSON", "XML", "CSV", "TSV")
_GRAPH_FORMATS = ("TURTLE", "N_TRIPLES", "RDF_XML", "N_QUADS", "JSON_LD")


@dataclass(frozen=True)
class Job:
    """One query for a worker: the text, the dataset, and the formats to answer in."""

    sparql: str
    results_format: str = "JSON"
    graph_format: str = "TURTLE"
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """A worker's reply: ``kind`` is "solutions", "boolean", "graph" or "error" (then ``body`` is the message)."""

    kind: str
    body: bytes


class QueryStopped(Exception):
    """The query passed its deadline; its worker was killed."""


def _run(store: Any, job: Job) -> Answer:
    import pyoxigraph as ox

    options: dict[str, Any] = {}
    if job.default_graphs or job.named_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs] or None
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs] or None
    else:
        options["use_default_graph_as_union"] = True
    try:
        result = store.query(job.sparql, **options)
        if isinstance(result, ox.QueryTriples):
            return Answer("graph", result.serialize(format=getattr(ox.RdfFormat, job.graph_format)) or b"")
        kind = "boolean" if isinstance(result, ox.QueryBoolean) else "solutions"
        return Answer(kind, result.serialize(format=getattr(ox.QueryResultsFormat, job.results_format)) or b"")
    except SyntaxError as error:
        return Answer("error", str(error).encode("utf-8"))
    except (ValueError, RuntimeError, OSError) as error:
        return Answer("failure", str(error).encode("utf-8"))


def worker_main(path: str, connection: Connection) -> None:
    """The loop of one worker process: open the store read-only, then answer jobs until the pipe closes."""
    import pyoxigraph as ox

    store = ox.Store.read_only(path)
    connection.send("ready")
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(_run(store, job))


def _context() -> multiprocessing.context.BaseContext:
    """Fork server where there is one (a new worker is a fork of a process that imported pyoxigraph), else spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["pyoxigraph", __name__])
        return context
    return multiprocessing.get_context("spawn")


class Worker:
    """One worker process and its end of the pipe."""

    def __init__(self, path: Path) -> None:
        context = _context()
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=worker_main, args=(str(path), child_end), daemon=True)
        self.process.start()
        child_end.close()

    def wait_ready(self, seconds: float) -> None:
        if not self.connection.poll(seconds):
            self.kill()
            raise RuntimeError("a query worker did not start in time")
        message = self.connection.recv()
        if message != "ready":
            raise RuntimeError(f"a query worker failed to start: {message}")

    def ask(self, job: Job, seconds: float) -> Answer:
        """Send ``job`` and wait for the answer at most ``seconds`` (blocking; run it in a thread)."""
        self.connection.send(job)
        if not self.connection.poll(seconds):
            raise QueryStopped
        return self.connection.recv()

    async def ask_async(self, job: Job, seconds: float) -> Answer:
        """Send ``job`` and wait on the event loop (no thread) for the answer, at most ``seconds``."""
        self.connection.send(job)
        loop = asyncio.get_running_loop()
        readable: asyncio.Future[None] = loop.create_future()
        descriptor = self.connection.fileno()
        loop.add_reader(descriptor, lambda: readable.done() or readable.set_result(None))
        try:
            await asyncio.wait_for(readable, seconds)
        except TimeoutError:
            raise QueryStopped from None
        finally:
            loop.remove_reader(descriptor)
        return self.connection.recv()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()


class WorkerPool:
    """``size`` workers on the store at ``path``; :meth:`run` answers a job or raises :class:`QueryStopped`."""

    def __init__(self, path: Path, *, size: int = 2) -> None:
        self.path = Path(path)
        self.size = size
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._workers: set[Worker] = set()
        self.restarts = 0
        self.last_restart_seconds = 0.0

    def _spawn(self) -> Worker:
        started = time.perf_counter()
        worker = Worker(self.path)
        worker.wait_ready(60)
        self.last_restart_seconds = time.perf_counter() - started
        return worker

    async def start(self) -> None:
        workers = await asyncio.gather(*(asyncio.to_thread(self._spawn) for _ in range(self.size)))
        for worker in workers:
            self._workers.add(worker)
            self._idle.put_nowait(worker)

    async def run(self, job: Job, *, timeout: float) -> Answer:
        worker = await self._idle.get()
        try:
            answer = await worker.ask_async(job, timeout)
        except QueryStopped:
            await self._replace(worker)
            raise
        except (EOFError, OSError, BrokenPipeError):  # the worker died (out of memory, killed from outside)
            await self._replace(worker)
            raise QueryStopped from None
        self._idle.put_nowait(worker)
        return answer

    async def _replace(self, worker: Worker) -> None:
        self._workers.discard(worker)
        await asyncio.to_thread(worker.kill)
        fresh = await asyncio.to_thread(self._spawn)
        self.restarts += 1
        self._workers.add(fresh)
        self._idle.put_nowait(fresh)

    async def drain(self) -> None:
        """Stop every worker once idle (before the store is written); :meth:`start` brings them back."""
        for _ in range(len(self._workers)):
            worker = await self._idle.get()
            await asyncio.to_thread(worker.kill)
        self._workers.clear()

    @property
    def alive(self) -> int:
        return sum(1 for worker in self._workers if worker.process.is_alive())

    async def close(self) -> None:
        for worker in list(self._workers):
            await asyncio.to_thread(worker.kill)
        self._workers.clear()


def update_main(path: str, sparql: str, connection: Connection) -> None:
    """Run one update on the store opened read-write, and report the outcome."""
    import pyoxigraph as ox

    try:
        store = ox.Store(path)
        store.update(sparql)
        store.flush()
        connection.send(Answer("done", b""))
    except SyntaxError as error:
        connection.send(Answer("error", str(error).encode("utf-8")))
    except (ValueError, RuntimeError, OSError) as error:
        connection.send(Answer("failure", str(error).encode("utf-8")))


def run_update(path: Path, sparql: str, *, timeout: float) -> Answer:
    """Run an update in a process of its own, killed at the deadline (blocking; run it in a thread)."""
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=update_main, args=(str(path), sparql, sender), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryStopped
        return receiver.recv()
    except EOFError:
        return Answer("failure", b"the update process stopped without an answer")
    finally:
        if process.is_alive():
            process.kill()
        process.join(timeout=10)
        receiver.close()
