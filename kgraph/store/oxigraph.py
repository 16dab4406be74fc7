"""Oxigraph-backed stores: in memory (tests, notebooks) and on disk (the built landscape)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from kgraph.errors import KgraphError
from kgraph.store.base import AskResult, GraphName, GraphResult, QueryResult, SelectResult, Store, Term
from kgraph.store.deadline import run_with_deadline


class StoreLockedError(KgraphError):
    """The on-disk store is being written by another process."""


class OxigraphStore(Store):
    """A :class:`Store` on pyoxigraph: ``OxigraphStore()`` in memory, ``OxigraphStore.open(path)`` on disk."""

    def __init__(self, store: ox.Store | None = None, *, path: Path | None = None, read_only: bool = False) -> None:
        self._store = store if store is not None else ox.Store()
        self.path = path
        self.read_only = read_only

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> OxigraphStore:
        """Open (or create) an on-disk store; ``read_only`` opens one that another process may be writing."""
        path = Path(path)
        try:
            if read_only:
                if not path.is_dir():
                    raise KgraphError(f"no store at {path}: run 'kgraph build' first")
                return cls(ox.Store.read_only(str(path)), path=path, read_only=True)
            return cls(ox.Store(str(path)), path=path)
        except OSError as error:
            if "lock" in str(error).lower():
                raise StoreLockedError(
                    f"the store at {path} is in use by another process; open it read-only or wait"
                ) from None
            raise KgraphError(f"cannot open the store at {path}: {error}") from None

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store."""
        return self._store

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        substitutions = {ox.Variable(name): term for name, term in (bindings or {}).items()}
        if timeout is not None:
            return run_with_deadline(self._store, sparql, substitutions, timeout)
        result = self._store.query(sparql, use_default_graph_as_union=True, substitutions=substitutions or None)
        return convert_result(result)

    def load(self, path: Path, *, graph: ox.NamedNode | None = None) -> None:
        """Load an RDF file in one transaction with Oxigraph's own loader (about 10x faster than quad by quad)."""
        if graph is not None:
            super().load(path, graph=graph)
            return
        self._writable()
        self._store.load(path=str(path))

    def update(self, sparql: str) -> None:
        self._writable()
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
        return sorted(self._store.named_graphs(), key=lambda g: g.value)

    def quads(self, graph: GraphName | None = None) -> Iterator[ox.Quad]:
        return iter(self._store.quads_for_pattern(None, None, None, graph))

    def __len__(self) -> int:
        return len(self._store)

    def close(self) -> None:
        if self.path is not None and not self.read_only:
            self._store.flush()

    def _writable(self) -> None:
        if self.read_only:
            raise KgraphError("this store was opened read-only")


def convert_result(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> QueryResult:
    """pyoxigraph's query results as kgraph's result types."""
    if isinstance(result, ox.QueryBoolean):
        return AskResult(bool(result))
    if isinstance(result, ox.QueryTriples):
        return GraphResult(list(result))
    variables = [variable.value for variable in result.variables]
    # A solution iterates its values in the order of the variables: zipping them is about 2x faster than looking
    # each one up by name (measured on 100k rows of 4 variables: 0.54 s against 1.1 s).
    rows = [
        {name: value for name, value in zip(variables, solution, strict=True) if value is not None}
        for solution in result
    ]
    return SelectResult(variables, rows)
