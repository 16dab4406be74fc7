"""Oxigraph-backed stores: in memory (tests, notebooks) and on disk (the built landscape)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox

from kgraph.errors import KgraphError
from kgraph.limits import check_query_nesting
from kgraph.progress import Progress
from kgraph.sparql.lexer import with_values
from kgraph.store.base import GraphName, QueryResult, Store, Term, convert_result
from kgraph.store.deadline import run_with_deadline
from kgraph.store.lock import DEFAULT_WAIT, StoreLock
from kgraph.vocabulary import PREFIXES


def _check_nesting(sparql: str) -> None:
    """Refuse text nested deep enough to overflow the engine's parser (a crash of the whole process otherwise)."""
    over = check_query_nesting(sparql)
    if over is not None:
        raise QueryTooDeep(over.message)


class QueryTooDeep(KgraphError, ValueError):
    """The SPARQL text nests deeper than :data:`kgraph.limits.MAX_QUERY_NESTING`."""


#: Oxigraph's refusal to substitute a variable that the query does not return.
_UNRETURNED = re.compile(r"does not contains? variable \?(\w+) in its SELECT projection")


class StoreLockedError(KgraphError):
    """The on-disk store is being written by another process."""


class OxigraphStore(Store):
    """A :class:`Store` on pyoxigraph: ``OxigraphStore()`` in memory, ``OxigraphStore.open(path)`` on disk.

    On disk, other processes are kept out by the store's lock (:mod:`kgraph.store.lock`): a writable store holds it
    exclusively until :meth:`close`; a read-only one takes it for each read and opens the store again when another
    process has written it since, so it always reads the current store, never one being written.
    """

    def __init__(
        self,
        store: ox.Store | None = None,
        *,
        path: Path | None = None,
        read_only: bool = False,
        lock: StoreLock | None = None,
        generation: int = 0,
    ) -> None:
        self._store = store if store is not None else ox.Store()
        self.path = path
        self.read_only = read_only
        self._lock = lock
        self._generation = generation

    @classmethod
    def open(
        cls, path: Path, *, read_only: bool = False, wait: float = DEFAULT_WAIT, on_wait: Progress | None = None
    ) -> OxigraphStore:
        """Open (or create) an on-disk store; ``read_only`` shares it with other readers and one writer at a time.

        A writer waits up to ``wait`` seconds for readers to finish (and a reader for a writer), then gives up with
        :class:`~kgraph.store.lock.StoreBusy`; ``on_wait`` is told once when a writer has to wait.
        """
        path = Path(path)
        if read_only and not path.is_dir():
            raise KgraphError(f"no store at {path}: run 'kgraph build' first")
        lock = StoreLock(path)
        try:
            if read_only:
                with lock.shared(wait=wait) as generation:
                    store = _open_oxigraph(path, read_only=True)
                return cls(store, path=path, read_only=True, lock=lock, generation=generation)
            generation = lock.acquire_exclusive(wait=wait, on_wait=on_wait)
            return cls(_open_oxigraph(path, read_only=False), path=path, lock=lock, generation=generation)
        except BaseException:
            lock.close()
            raise

    @classmethod
    def create(cls, path: Path, quads: Iterable[ox.Quad]) -> OxigraphStore:
        """A new on-disk store at ``path`` (which must not exist) holding ``quads``, open for writing.

        Filled by Oxigraph's bulk loader, several times faster on disk and not transactional: build the store in a
        folder of its own and put it where readers find it with :func:`put_in_place` once it is complete.
        """
        path = Path(path)
        if path.exists():
            raise KgraphError(f"cannot create a store at {path}: something is there already")
        store = cls.open(path)
        store._store.bulk_extend(quads)
        store._store.optimize()
        return store

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store."""
        return self._store

    @contextlib.contextmanager
    def reading(self, *, wait: float = DEFAULT_WAIT) -> Iterator[ox.Store]:
        """The pyoxigraph store to read now: current, and not written by anyone while it is read.

        On a store opened read-only this holds the shared lock (waiting up to ``wait`` seconds for a writer) and
        opens the store again when another process has written it since; a query worker reads through it.
        """
        if self._lock is None or not self.read_only:
            yield self._store
            return
        with self._lock.shared(wait=wait) as generation:
            if generation != self._generation:
                assert self.path is not None
                self._store = _open_oxigraph(self.path, read_only=True)
                self._generation = generation
            yield self._store

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        _check_nesting(sparql)
        with self.reading() as store:
            return _query_binding_any_variable(store, sparql, dict(bindings or {}), timeout)

    def load(self, path: Path, *, graph: ox.NamedNode | None = None) -> None:
        """Load an RDF file whole or not at all, with Oxigraph's own loaders (about 10x faster than quad by quad).

        Into an empty store on disk the file goes through Oxigraph's bulk loader (about 3x faster there) into a new
        folder that then takes the store's place; otherwise it is loaded in one transaction.
        """
        if graph is not None:
            super().load(path, graph=graph)
            return
        self._writable()
        if self.path is not None and self._is_empty():
            self._bulk_load_in_place_of_empty(Path(path))
            return
        self._store.load(path=str(path))

    def _is_empty(self) -> bool:
        no_quads = next(iter(self._store.quads_for_pattern(None, None, None, None)), None) is None
        return no_quads and next(iter(self._store.named_graphs()), None) is None

    def _bulk_load_in_place_of_empty(self, source: Path) -> None:
        """Bulk-load ``source`` into a new folder and swap it for this (empty) store's folder once complete.

        The bulk loader is not transactional, so a file that fails half-way leaves only the new folder to delete.
        This process holds the store's lock exclusively all along, so no other process sees the swap happen.
        """
        assert self.path is not None
        scratch = self.path.with_name(f".{self.path.name}.loading-{os.getpid()}")
        shutil.rmtree(scratch, ignore_errors=True)
        try:
            fresh = ox.Store(str(scratch))
            fresh.bulk_load(path=str(source))
            fresh.flush()
            del fresh  # pyoxigraph lets go of the folder when its store object goes
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        self._store = _CLOSED
        _swap_folder(scratch, self.path)
        self._store = _open_oxigraph(self.path, read_only=False)

    def update(self, sparql: str) -> None:
        self._writable()
        _check_nesting(sparql)
        self._store.update(sparql)

    def add_quads(self, quads: Sequence[ox.Quad]) -> None:
        self._writable()
        self._store.extend(quads)

    def replace_graph(self, graph: ox.NamedNode, triples: Sequence[ox.Triple]) -> None:
        self._writable()
        quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
        if self._store.contains_named_graph(graph):
            self._store.remove_graph(graph)
        self._store.add_graph(graph)
        self._store.extend(quads)

    def remove_graph(self, graph: ox.NamedNode) -> None:
        self._writable()
        if self._store.contains_named_graph(graph):
            self._store.remove_graph(graph)

    def named_graphs(self) -> list[ox.NamedNode]:
        with self.reading() as store:
            return sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)

    def quads(self, graph: GraphName | None = None) -> Iterator[ox.Quad]:
        if self._lock is None or not self.read_only:
            return iter(self._store.quads_for_pattern(None, None, None, graph))
        with self.reading() as store:  # read whole while the lock is held
            return iter(list(store.quads_for_pattern(None, None, None, graph)))

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,
        graph_name: ox.NamedNode | None = None,
    ) -> Iterator[ox.Quad]:
        if self._lock is None or not self.read_only:
            return iter(self._store.quads_for_pattern(subject, predicate, object, graph_name))
        with self.reading() as store:  # read whole while the lock is held
            return iter(list(store.quads_for_pattern(subject, predicate, object, graph_name)))

    def __len__(self) -> int:
        with self.reading() as store:
            return len(store)

    def close(self) -> None:
        """Write everything to disk and let other processes in (an on-disk store cannot be used afterwards)."""
        if self.path is None or self._store is _CLOSED:
            return
        if not self.read_only:
            self._store.flush()
        self._store = _CLOSED  # pyoxigraph lets go of the folder when its store object goes
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def _writable(self) -> None:
        if self.read_only:
            raise KgraphError("this store was opened read-only")


def put_in_place(new: Path, target: Path, *, on_wait: Progress | None = None) -> None:
    """Move the complete store folder ``new`` to ``target``, replacing the store there, under ``target``'s lock.

    Waits for the reads in progress; readers of the old store (``kgraph serve``, a notebook) open the new one at
    their next read. ``new`` must be closed.
    """
    lock = StoreLock(target)
    try:
        with lock.exclusive(on_wait=on_wait):
            _swap_folder(Path(new), Path(target))
    finally:
        lock.close()


def _swap_folder(new: Path, target: Path) -> None:
    """Rename ``new`` to ``target`` and delete the folder that was there (the caller holds the lock)."""
    if target.is_dir() and not target.is_symlink():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
        new.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, target)


class _WithPrefixes:
    """A pyoxigraph store whose queries have the standard prefixes declared (for the deadline runner's child)."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store

    def query(self, sparql: str, **options: Any) -> object:
        return self._store.query(sparql, prefixes=PREFIXES, **options)


_POSITION = re.compile(r"\berror at (\d+):(\d+)")


def syntax_message(error: SyntaxError) -> str:
    """Oxigraph's message for a SPARQL syntax error, its position in words: ``line 2, column 25: expected ...``."""
    return _POSITION.sub(lambda m: f"line {m[1]}, column {m[2]}", str(error))


class _ClosedStore:
    """Stands in for the pyoxigraph store of a closed on-disk store."""

    def __getattr__(self, name: str) -> object:
        raise KgraphError("this store was closed")

    def __len__(self) -> int:
        raise KgraphError("this store was closed")


_CLOSED = cast(ox.Store, _ClosedStore())


def _open_oxigraph(path: Path, *, read_only: bool) -> ox.Store:
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as error:
        if "lock" in str(error).lower():
            raise StoreLockedError(
                f"the store at {path} is in use by another process; open it read-only or wait"
            ) from None
        raise KgraphError(f"cannot open the store at {path}: {error}") from None


def _query_binding_any_variable(
    store: ox.Store, sparql: str, bindings: dict[str, Term], timeout: float | None
) -> QueryResult:
    """Run ``sparql`` with ``bindings``, whether or not the query returns the bound variables.

    Oxigraph substitutes only variables that the query returns; any other bound variable joins the pattern as a
    ``VALUES`` block instead (as on remote stores), so a binding means the same on every store.
    """
    joined: dict[str, Term] = {}
    while True:
        text = with_values(sparql, joined) if joined else sparql
        substitutions = {ox.Variable(name): term for name, term in bindings.items() if name not in joined}
        try:
            if timeout is not None:
                # The runner's child only calls query(), which _WithPrefixes has.
                return run_with_deadline(cast(ox.Store, _WithPrefixes(store)), text, substitutions, timeout)
            result = store.query(
                text, use_default_graph_as_union=True, substitutions={**substitutions} or None, prefixes=PREFIXES
            )
            return convert_result(result)
        except RuntimeError as error:
            unreturned = _UNRETURNED.search(str(error))
            name = unreturned[1] if unreturned else None
            if name is None or name not in bindings or name in joined:
                raise
            joined[name] = bindings[name]
