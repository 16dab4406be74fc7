"""Run an Oxigraph query with a time limit: in a forked child process that is killed at the deadline.

pyoxigraph cannot interrupt a running query, so the query runs in a child (a copy-on-write snapshot of the
store), which sends its results back serialised (SPARQL JSON results, or N-Triples for CONSTRUCT/DESCRIBE). At
the deadline the child is killed and :class:`QueryTimeout` raised; the store itself is never written by the child.
Needs ``os.fork`` (Linux, macOS).
"""

from __future__ import annotations

import os
import selectors
import signal
import time
import warnings
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kgraph.errors import KgraphError
from kgraph.store.base import GraphResult, QueryResult, QueryTimeout, Term, convert_result

if TYPE_CHECKING:
    from collections.abc import Mapping

_SOLUTIONS, _GRAPH, _ERROR = b"S", b"G", b"E"
#: Exceptions that cross from the child to the parent with their type (others become KgraphError).
_ERRORS: dict[str, type[Exception]] = {
    "SyntaxError": SyntaxError,
    "ValueError": ValueError,
    "TypeError": TypeError,
    "RuntimeError": RuntimeError,
    "OSError": OSError,
}


def _answer(store: ox.Store, sparql: str, substitutions: Mapping[ox.Variable, Term]) -> bytes:
    try:
        result = store.query(sparql, use_default_graph_as_union=True, substitutions=dict(substitutions) or None)
        if isinstance(result, ox.QueryTriples):
            return _GRAPH + (ox.serialize(list(result), format=ox.RdfFormat.N_TRIPLES) or b"")
        return _SOLUTIONS + (result.serialize(format=ox.QueryResultsFormat.JSON) or b"")
    except Exception as error:  # sent to the parent, which raises it again
        return _ERROR + f"{type(error).__name__}\n{error}".encode()


def _child(store: ox.Store, sparql: str, substitutions: Mapping[ox.Variable, Term], pipe: int) -> None:
    status = 0
    try:
        payload = memoryview(_answer(store, sparql, substitutions))
        while payload:
            written = os.write(pipe, payload)
            payload = payload[written:]
    except BaseException:  # noqa: BLE001 - the child must never return into the parent's code
        status = 1
    finally:
        os._exit(status)


def _decode(data: bytes) -> QueryResult:
    kind, body = data[:1], data[1:]
    if kind == _SOLUTIONS:
        return convert_result(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
    if kind == _GRAPH:
        return GraphResult([quad.triple for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)])
    if kind == _ERROR:
        name, _, message = body.decode("utf-8", "replace").partition("\n")
        raise _ERRORS.get(name, KgraphError)(message)
    raise KgraphError("the query process stopped without an answer")


def run_with_deadline(
    store: ox.Store, sparql: str, substitutions: Mapping[ox.Variable, Term], timeout: float
) -> QueryResult:
    """Run the query in a forked child; kill it and raise :class:`QueryTimeout` after ``timeout`` seconds."""
    if not hasattr(os, "fork"):
        raise KgraphError("query time limits need os.fork, which this platform lacks")
    if timeout <= 0:
        raise QueryTimeout(timeout)
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Python 3.12+ warns about fork with threads
        pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(store, sparql, substitutions, write_end)
    os.close(write_end)
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    finished = False
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(read_end, selectors.EVENT_READ)
            while (left := deadline - time.monotonic()) > 0:
                if not selector.select(left):
                    continue
                chunk = os.read(read_end, 1 << 20)
                if not chunk:
                    finished = True
                    break
                chunks.append(chunk)
    finally:
        os.close(read_end)
        if not finished:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if not finished:
        raise QueryTimeout(timeout)
    return _decode(b"".join(chunks))
