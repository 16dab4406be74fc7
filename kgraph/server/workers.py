"""A pool of worker processes that answer SPARQL queries on the on-disk store, each stopped at its deadline.

pyoxigraph cannot interrupt a query (it releases the GIL, but a thread cannot be stopped), so every query runs in a
worker process that opened the store read-only. A worker that passes the deadline is killed and replaced; the others
keep serving. Results leave the worker already serialised by Oxigraph, in the format the client asked for.

A worker talks to the server over a socket pair in length-prefixed frames: the server side is an asyncio stream, so
it works on any event loop (uvloop included) and never blocks the loop while a large answer arrives.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import socket
import struct
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kgraph.store.lock import StoreBusy, StoreLock

#: A frame's header: the kind of message (one byte) and the length of its body.
_HEADER = struct.Struct("!BQ")
#: Answers shorter than this leave the worker in one write.
_SMALL = 1 << 16
#: Message kinds on the wire; a job travels as JSON, an answer as the bytes Oxigraph wrote.
_KINDS = ("ready", "job", "solutions", "boolean", "graph", "error", "failure")


@dataclass(frozen=True)
class Job:
    """One query for a worker: the text, the dataset, and the formats to answer in."""

    sparql: str
    results_format: str = "JSON"
    graph_format: str = "TURTLE"
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def to_json(self) -> bytes:
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__}
        return json.dumps(fields).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Job:
        fields = json.loads(data)
        graphs = {name: tuple(fields.pop(name)) for name in ("default_graphs", "named_graphs")}
        return cls(**fields, **graphs)


@dataclass(frozen=True)
class Answer:
    """A worker's reply: ``kind`` is "solutions", "boolean", "graph", "error" or "failure" (then a message)."""

    kind: str
    body: bytes


class QueryStopped(Exception):
    """The query passed its deadline, or its worker died; the worker was replaced."""


def _frame(kind: str, body: bytes) -> bytes:
    return _HEADER.pack(_KINDS.index(kind), len(body)) + body


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


def worker_main(path: str, channel: socket.socket) -> None:
    """The loop of one worker process: open the store read-only, then answer jobs until the server hangs up."""
    import pyoxigraph as ox

    lock = StoreLock(Path(path))  # each query reads under the store's shared lock, and the current store
    with lock.shared() as generation:
        store = ox.Store.read_only(path)
    channel.sendall(_frame("ready", b""))
    with channel, channel.makefile("rb") as incoming:
        while True:
            header = incoming.read(_HEADER.size)
            if len(header) < _HEADER.size:
                return
            _, size = _HEADER.unpack(header)
            job = Job.from_json(incoming.read(size))
            with lock.shared(wait=float("inf")) as current:  # a long write: the server's deadline decides
                if current != generation:
                    store, generation = ox.Store.read_only(path), current
                answer = _run(store, job)
            if len(answer.body) < _SMALL:  # one system call for the usual small answer
                channel.sendall(_frame(answer.kind, answer.body))
            else:
                channel.sendall(_HEADER.pack(_KINDS.index(answer.kind), len(answer.body)))
                channel.sendall(answer.body)


def _context() -> multiprocessing.context.BaseContext:
    """Fork server where there is one (a new worker is a fork of a process that imported pyoxigraph), else spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["pyoxigraph", __name__])
        return context
    return multiprocessing.get_context("spawn")


class Worker:
    """One worker process and the server's stream to it; create one with :meth:`start`."""

    def __init__(
        self, process: multiprocessing.process.BaseProcess, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.process = process
        self._reader = reader
        self._writer = writer

    @classmethod
    async def start(cls, path: Path, *, seconds: float = 60) -> Worker:
        """Start a worker on the store at ``path`` and wait until it has opened the store."""
        ours, theirs = socket.socketpair()
        context = _context()
        process = context.Process(target=worker_main, args=(str(path), theirs), daemon=True)
        try:
            await asyncio.to_thread(process.start)
        finally:
            theirs.close()
        reader, writer = await asyncio.open_connection(sock=ours)
        worker = cls(process, reader, writer)
        try:
            async with asyncio.timeout(seconds):
                kind, _ = await worker._receive()
        except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
            await worker.kill()
            raise RuntimeError("a query worker did not start (could it open the store?)") from None
        if kind != "ready":
            await worker.kill()
            raise RuntimeError(f"a query worker failed to start: {kind}")
        return worker

    async def _receive(self) -> tuple[str, bytes]:
        header = await self._reader.readexactly(_HEADER.size)
        code, size = _HEADER.unpack(header)
        return _KINDS[code], await self._reader.readexactly(size)

    async def ask(self, job: Job, seconds: float) -> Answer:
        """Send ``job`` and wait for the answer at most ``seconds``; :class:`QueryStopped` after that."""
        self._writer.write(_frame("job", job.to_json()))
        try:
            async with asyncio.timeout(seconds):
                kind, body = await self._receive()
        except TimeoutError:
            raise QueryStopped from None
        except (asyncio.IncompleteReadError, ConnectionError):  # the worker died (out of memory, killed)
            raise QueryStopped from None
        return Answer(kind, body)

    async def kill(self) -> None:
        """Stop the process and close the stream."""
        self._writer.close()
        with contextlib.suppress(ConnectionError):
            await self._writer.wait_closed()
        if self.process.is_alive():
            self.process.kill()
        await asyncio.to_thread(self.process.join, 5)


class WorkerPool:
    """``size`` workers on the store at ``path``; :meth:`run` answers a job or raises :class:`QueryStopped`."""

    def __init__(self, path: Path, *, size: int = 2) -> None:
        self.path = Path(path)
        self.size = size
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._workers: set[Worker] = set()
        self.restarts = 0
        self.last_restart_seconds = 0.0

    async def _spawn(self) -> Worker:
        started = time.perf_counter()
        worker = await Worker.start(self.path)
        self.last_restart_seconds = time.perf_counter() - started
        return worker

    async def start(self) -> None:
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        for worker in workers:
            self._workers.add(worker)
            self._idle.put_nowait(worker)

    async def run(self, job: Job, *, timeout: float) -> Answer:
        worker = await self._idle.get()
        try:
            answer = await worker.ask(job, timeout)
        except BaseException:  # stopped, died, or cancelled mid-query (its answer would be left in the stream)
            await self._replace(worker)
            raise
        self._idle.put_nowait(worker)
        return answer

    async def _replace(self, worker: Worker) -> None:
        self._workers.discard(worker)
        await worker.kill()
        fresh = await self._spawn()
        self.restarts += 1
        self._workers.add(fresh)
        self._idle.put_nowait(fresh)

    async def drain(self) -> None:
        """Stop every worker once idle (before the store is written); :meth:`start` brings them back."""
        for _ in range(len(self._workers)):
            worker = await self._idle.get()
            await worker.kill()
        self._workers.clear()

    @property
    def alive(self) -> int:
        return sum(1 for worker in self._workers if worker.process.is_alive())

    async def close(self) -> None:
        for worker in list(self._workers):
            await worker.kill()
        self._workers.clear()


def update_main(path: str, sparql: str, connection: Connection) -> None:
    """Run one update on the store opened read-write, and report the outcome."""
    import pyoxigraph as ox

    try:
        with StoreLock(Path(path)).exclusive():
            store = ox.Store(path)
            store.update(sparql)
            store.flush()
            del store
        connection.send(Answer("done", b""))
    except SyntaxError as error:
        connection.send(Answer("error", str(error).encode("utf-8")))
    except (ValueError, RuntimeError, OSError, StoreBusy) as error:
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
