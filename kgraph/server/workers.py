"""A pool of worker processes that answer SPARQL queries on the on-disk store, each stopped at its deadline.

pyoxigraph cannot interrupt a query (it releases the GIL, but a thread cannot be stopped), so every query runs in a
worker process that reads the store through :class:`~kgraph.store.oxigraph.OxigraphStore` and its lock. A worker that
passes the deadline, or dies (out of its memory limit), is killed and replaced; the others keep serving. A worker never
waits long for a writer: past ``lock_wait`` seconds it answers "busy" and stays alive for the next query. Results
leave the worker already serialised, in the format the client asked for, cut at the row limit.

A worker talks to the server over a socket pair in length-prefixed frames: the server side is an asyncio stream, so
it works on any event loop (uvloop included) and never blocks the loop while a large answer arrives.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import os
import socket
import struct
import time
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgraph.errors import KgraphError
from kgraph.namespaces import PREFIXES
from kgraph.server.results import serialise
from kgraph.store.lock import StoreBusy

if TYPE_CHECKING:
    from kgraph.store.oxigraph import OxigraphStore

#: A frame's header: the kind of message (one byte), whether rows were left out (one byte), the length of its body.
_HEADER = struct.Struct("!BBQ")
#: How many long queries the pool remembers (by text, or by question and values).
_REMEMBERED_LONG = 1024
#: Answers shorter than this leave the worker in one write.
_SMALL = 1 << 16
#: Message kinds on the wire; a job travels as JSON, an answer as the serialised result or a message.
_KINDS = ("ready", "job", "running", "solutions", "boolean", "graph", "error", "failure", "busy", "done")
#: How often a long query checks whether a write is waiting for it (it then stops and lets the write go first).
_WRITER_POLL = 0.1
#: The CPU priority (nice value) of a worker while its query runs long: short queries on the other workers go first.
LONG_NICENESS = 19


@dataclass(frozen=True)
class WorkerLimits:
    """What one worker may use: ``lock_wait`` seconds waiting for a writer, ``memory`` bytes of address space."""

    lock_wait: float = 5.0
    memory: int | None = None


@dataclass(frozen=True)
class Job:
    """One query for a worker: the text (or a named question, its raw values and page), the dataset, the formats
    to answer in, and the row limit."""

    sparql: str = ""
    results_format: str = "JSON"
    graph_format: str = "TURTLE"
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int = 10_000
    question: str = ""
    values: tuple[tuple[str, str], ...] = ()
    limit: int | None = None
    offset: int = 0

    def to_json(self) -> bytes:
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__}
        return json.dumps(fields).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Job:
        fields = json.loads(data)
        graphs = {name: tuple(fields.pop(name)) for name in ("default_graphs", "named_graphs")}
        values = tuple((name, value) for name, value in fields.pop("values"))
        return cls(
            **fields, default_graphs=graphs["default_graphs"], named_graphs=graphs["named_graphs"], values=values
        )


@dataclass(frozen=True)
class Answer:
    """A worker's reply: ``kind`` is "solutions", "boolean" or "graph" (``capped`` when rows were left out), or
    "error" (the query is wrong), "failure" (it could not run) or "busy" (a writer held the store), with a message."""

    kind: str
    body: bytes
    capped: bool = False


class QueryStopped(Exception):
    """The query passed its deadline, its worker died (``died``), it ran long while the workers that long queries
    may hold were taken (``crowded``), or it ran long while a write waited for it (``yielded``); the worker was
    replaced."""

    def __init__(self, *, died: bool = False, crowded: bool = False, yielded: bool = False) -> None:
        super().__init__("the query's worker died" if died else "the query was stopped")
        self.died = died
        self.crowded = crowded
        self.yielded = yielded


class PoolFull(Exception):
    """Too many queries are already waiting for a worker."""


def _frame(kind: str, body: bytes, capped: bool = False) -> bytes:
    return _HEADER.pack(_KINDS.index(kind), capped, len(body)) + body


def _run(store: Any, job: Job, text: str, substitutions: dict[Any, Any]) -> Answer:
    import pyoxigraph as ox

    options: dict[str, Any] = {"prefixes": PREFIXES, "substitutions": substitutions or None}
    try:
        if job.default_graphs or job.named_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs] or None
            options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs] or None
        else:
            options["use_default_graph_as_union"] = True
    except ValueError as error:
        return Answer("error", f"not an IRI in default-graph-uri or named-graph-uri: {error}".encode())
    try:
        result = store.query(text, **options)
        written = serialise(
            result, max_rows=job.max_rows, results_format=job.results_format, graph_format=job.graph_format
        )
        return Answer(written.kind, written.body, written.capped)
    except SyntaxError as error:
        return Answer("error", str(error).encode("utf-8"))
    except (ValueError, RuntimeError, OSError, MemoryError) as error:
        return Answer("failure", str(error).encode("utf-8"))


def _question(store: OxigraphStore, job: Job) -> tuple[str, dict[Any, Any]]:
    """The text of a named question's page and its values as substitutions (entity names resolved in ``store``)."""
    import pyoxigraph as ox

    from kgraph.queries import get

    question = get(job.question)
    bound = question.bind(dict(job.values), store=store)
    return question.page(limit=job.limit, offset=job.offset), {ox.Variable(name): term for name, term in bound.items()}


def _answer(store: OxigraphStore, job: Job, lock_wait: float, started: Callable[[], None]) -> Answer:
    """The answer to ``job``; ``started`` is called once the store is held and the query starts."""
    try:
        text, substitutions = _question(store, job) if job.question else (job.sparql, {})
    except StoreBusy:
        raise
    except KgraphError as error:  # a value that is not what the parameter takes, an unknown or ambiguous name
        return Answer("error", str(error).encode("utf-8"))
    with store.reading(wait=lock_wait) as current:
        started()
        return _run(current, job, text, substitutions)


def _limit_memory(limit: int | None) -> None:
    """Cap this process's address space: a query that needs more fails (or the worker dies) instead of the host."""
    if limit is None:
        return
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def worker_main(path: str, channel: socket.socket, limits: WorkerLimits) -> None:
    """The loop of one worker process: answer jobs until the server hangs up, opening the store at the first."""
    from kgraph.store.oxigraph import OxigraphStore

    _limit_memory(limits.memory)
    store: OxigraphStore | None = None
    channel.sendall(_frame("ready", b""))
    with channel, channel.makefile("rb") as incoming:
        while True:
            header = incoming.read(_HEADER.size)
            if len(header) < _HEADER.size:
                return
            _, _, size = _HEADER.unpack(header)
            job = Job.from_json(incoming.read(size))
            try:
                if store is None:
                    store = OxigraphStore.open(Path(path), read_only=True, wait=limits.lock_wait)
                answer = _answer(store, job, limits.lock_wait, lambda: channel.sendall(_frame("running", b"")))
            except StoreBusy as busy:
                answer = Answer("busy", str(busy).encode("utf-8"))
            except KgraphError as error:
                answer = Answer("failure", str(error).encode("utf-8"))
            if len(answer.body) < _SMALL:  # one system call for the usual small answer
                channel.sendall(_frame(answer.kind, answer.body, answer.capped))
            else:
                channel.sendall(_HEADER.pack(_KINDS.index(answer.kind), answer.capped, len(answer.body)))
                channel.sendall(answer.body)


def _context() -> Any:  # a multiprocessing context: fork server or spawn
    """Fork server where there is one (a new worker is a fork of a process that imported pyoxigraph), else spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["pyoxigraph", "kgraph.store.oxigraph", "kgraph.queries", __name__])
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
    async def start(cls, path: Path, limits: WorkerLimits | None = None, *, seconds: float = 60) -> Worker:
        """Start a worker for the store at ``path`` and wait until it is ready (it opens the store at its first job)."""
        ours, theirs = socket.socketpair()
        context = _context()
        process = context.Process(target=worker_main, args=(str(path), theirs, limits or WorkerLimits()), daemon=True)
        try:
            await asyncio.to_thread(process.start)
        finally:
            theirs.close()
        reader, writer = await asyncio.open_connection(sock=ours)
        worker = cls(process, reader, writer)
        try:
            async with asyncio.timeout(seconds):
                kind, _, _ = await worker._receive()
        except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
            await worker.kill()
            raise RuntimeError("a query worker did not start") from None
        if kind != "ready":
            await worker.kill()
            raise RuntimeError(f"a query worker failed to start: {kind}")
        return worker

    async def _receive(self) -> tuple[str, bool, bytes]:
        header = await self._reader.readexactly(_HEADER.size)
        code, capped, size = _HEADER.unpack(header)
        return _KINDS[code], bool(capped), await self._reader.readexactly(size)

    async def ask(self, job: Job, seconds: float, running: asyncio.Event | None = None) -> Answer:
        """Send ``job`` and wait for the answer at most ``seconds``; :class:`QueryStopped` after that.

        ``running`` is set when the worker holds the store and starts the query.
        """
        self._writer.write(_frame("job", job.to_json()))
        try:
            async with asyncio.timeout(seconds):
                kind, capped, body = await self._receive()
                while kind == "running":
                    if running is not None:
                        running.set()
                    kind, capped, body = await self._receive()
        except TimeoutError:
            raise QueryStopped from None
        except (asyncio.IncompleteReadError, ConnectionError):  # the worker died (out of memory, killed)
            raise QueryStopped(died=True) from None
        return Answer(kind, body, capped)

    def yield_cpu(self, *, niceness: int) -> bool:
        """Set the worker's CPU priority (0 is the usual one); False where the system does not allow it (a process
        may lower its priority but only a privileged one raise it again)."""
        pid = self.process.pid
        if pid is None:
            return False
        try:
            os.setpriority(os.PRIO_PROCESS, pid, niceness)
        except (PermissionError, ProcessLookupError):
            return False
        return True

    async def kill(self) -> None:
        """Stop the process and close the stream."""
        self._writer.close()
        with contextlib.suppress(ConnectionError):
            await self._writer.wait_closed()
        if self.process.is_alive():
            self.process.kill()
        await asyncio.to_thread(self.process.join, 5)


class WorkerPool:
    """``size`` workers on the store at ``path``; :meth:`run` answers a job or raises :class:`QueryStopped`.

    At most ``max_waiting`` queries wait for a free worker; one more raises :class:`PoolFull` at once. A query still
    running after ``long_after`` seconds is long: at most ``max_long`` long queries run at a time (by default all
    workers but one), a query that turns long beyond that is stopped, so that short queries always find a worker.
    A long query is also stopped when ``writer_waiting()`` says that a write waits for the store: a write never
    waits for long queries, and short ones never wait long behind a write.
    """

    def __init__(
        self,
        path: Path,
        *,
        size: int = 2,
        limits: WorkerLimits | None = None,
        max_waiting: int = 16,
        long_after: float = 1.0,
        max_long: int | None = None,
        writer_waiting: Callable[[], bool] = lambda: False,
    ) -> None:
        self.path = Path(path)
        self.size = size
        self.limits = limits or WorkerLimits()
        self.max_waiting = max_waiting
        self.long_after = long_after
        self.writer_waiting = writer_waiting
        self.max_long = max(1, size - 1) if max_long is None else max_long
        self._long = 0
        self._known_long: OrderedDict[object, None] = OrderedDict()
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._workers: set[Worker] = set()
        self._waiting = 0
        self._closing = False
        self.restarts = 0

    async def start(self) -> None:
        workers = await asyncio.gather(*(Worker.start(self.path, self.limits) for _ in range(self.size)))
        for worker in workers:
            self._workers.add(worker)
            self._idle.put_nowait(worker)

    async def run(self, job: Job, *, timeout: float) -> Answer:
        """The answer to ``job``: waiting for a worker and running take at most ``timeout`` seconds together.

        A query that ran long once is remembered: the next time it counts as long from the start, so that it is
        refused at once (not after ``long_after`` seconds on a worker) when the long queries' workers are taken.
        """
        deadline = time.monotonic() + timeout
        key = (job.sparql, job.question, job.values)
        long = key in self._known_long
        if long and self._long >= self.max_long:
            raise QueryStopped(crowded=True)
        if self._waiting >= self.max_waiting and self._idle.empty():
            raise PoolFull
        self._long += long
        try:
            worker = await self._free_worker(timeout)
            return await self._ask(worker, job, deadline, key, long)
        finally:
            self._long -= long

    async def _free_worker(self, timeout: float) -> Worker:
        self._waiting += 1
        try:
            async with asyncio.timeout(timeout):
                return await self._idle.get()
        except TimeoutError:
            raise QueryStopped from None
        finally:
            self._waiting -= 1

    async def _ask(self, worker: Worker, job: Job, deadline: float, key: object, long: bool) -> Answer:
        running = asyncio.Event()
        asking = asyncio.ensure_future(worker.ask(job, max(deadline - time.monotonic(), 0.001), running))
        turned_long = yielded = False
        try:
            await _first(asking, running.wait())  # time spent waiting for a write to end does not count as long
            if long:
                yielded = worker.yield_cpu(niceness=LONG_NICENESS)
            elif not await _done_within(asking, self.long_after):
                self._remember_long(key)
                if self._long >= self.max_long:
                    raise QueryStopped(crowded=True)
                self._long += 1
                turned_long = True
                yielded = worker.yield_cpu(niceness=LONG_NICENESS)  # light queries on the other workers go first
            while not await _done_within(asking, _WRITER_POLL):  # a long query: writes go first
                if self.writer_waiting():
                    raise QueryStopped(yielded=True)
            answer = asking.result()
        except BaseException:  # stopped, died, or cancelled mid-query (its answer would be left in the stream)
            asking.cancel()
            await self._replace(worker)
            raise
        finally:
            self._long -= turned_long
        if yielded and not worker.yield_cpu(niceness=0):
            await self._replace(worker)  # it cannot have its priority back: a fresh worker takes its place
        else:
            self._idle.put_nowait(worker)
        return answer

    def _remember_long(self, key: object) -> None:
        self._known_long[key] = None
        self._known_long.move_to_end(key)
        if len(self._known_long) > _REMEMBERED_LONG:
            self._known_long.popitem(last=False)

    async def _replace(self, worker: Worker) -> None:
        self._workers.discard(worker)
        await worker.kill()
        if self._closing:
            return
        while not self._closing:
            try:
                fresh = await Worker.start(self.path, self.limits)
                break
            except RuntimeError:  # cannot start one now (no memory, no processes): try again shortly
                await asyncio.sleep(1)
        else:
            return
        self.restarts += 1
        self._workers.add(fresh)
        self._idle.put_nowait(fresh)

    @property
    def alive(self) -> int:
        return sum(1 for worker in self._workers if worker.process.is_alive())

    @property
    def waiting(self) -> int:
        return self._waiting

    @property
    def long(self) -> int:
        """Queries running longer than ``long_after`` now."""
        return self._long

    async def close(self) -> None:
        self._closing = True
        await asyncio.gather(*(worker.kill() for worker in list(self._workers)))
        self._workers.clear()


async def _first(task: asyncio.Future[Any], other: Coroutine[Any, Any, Any]) -> None:
    """Return when ``task`` or ``other`` is done (``other`` is then cancelled)."""
    waiter = asyncio.ensure_future(other)
    try:
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()


async def _done_within(task: asyncio.Future[Any], seconds: float) -> bool:
    done, _ = await asyncio.wait({task}, timeout=seconds)
    return bool(done)


def update_main(path: str, sparql: str, lock_wait: float, connection: Connection) -> None:
    """Run one update on the store opened for writing through its lock, and report the outcome.

    The update sees the union of the graphs as queries do: ``DELETE WHERE`` deletes what it matches there from the
    graphs that hold it (:func:`~kgraph.sparql.lexer.with_union_deletes`); the predeclared prefixes hold too.
    """
    from kgraph.sparql.lexer import SparqlTextError, with_union_deletes
    from kgraph.store.oxigraph import OxigraphStore

    text = sparql
    try:
        store = OxigraphStore.open(Path(path), wait=lock_wait)
        try:
            text = with_union_deletes(sparql, [graph.value for graph in store.named_graphs()])
            store.oxigraph.update(text, prefixes=PREFIXES)
        finally:
            store.close()
        connection.send(Answer("done", b""))
    except SyntaxError as error:
        note = "" if text == sparql else " (in the update with its DELETE WHERE spelt out for the union of the graphs)"
        connection.send(Answer("error", f"{error}{note}".encode()))
    except SparqlTextError as error:
        connection.send(Answer("error", str(error).encode("utf-8")))
    except StoreBusy as busy:
        connection.send(Answer("busy", str(busy).encode("utf-8")))
    except (ValueError, RuntimeError, OSError, KgraphError) as error:
        connection.send(Answer("failure", str(error).encode("utf-8")))


async def run_update(path: Path, sparql: str, *, timeout: float, lock_wait: float) -> Answer:
    """Run an update in a process of its own, killed at the deadline or when the caller is cancelled."""
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=update_main, args=(str(path), sparql, lock_wait, sender), daemon=True)
    await asyncio.to_thread(process.start)
    sender.close()
    loop = asyncio.get_running_loop()
    readable = loop.create_future()

    def ready() -> None:
        if not readable.done():
            readable.set_result(None)

    loop.add_reader(receiver.fileno(), ready)
    try:
        async with asyncio.timeout(timeout):
            await readable
        try:
            return receiver.recv()
        except EOFError:
            return Answer("failure", b"the update process stopped without an answer")
    except TimeoutError:
        raise QueryStopped from None
    finally:
        loop.remove_reader(receiver.fileno())
        if process.is_alive():
            process.kill()
        await asyncio.to_thread(process.join, 10)
        receiver.close()
