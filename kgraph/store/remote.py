"""A :class:`Store` on any SPARQL 1.1 server: its query, update and Graph Store Protocol endpoints over HTTP.

Results come back as pyoxigraph terms, like the embedded stores'. Bound variables travel as a ``VALUES`` block of
serialised RDF terms (:func:`kgraph.sparql.lexer.with_values`), never as pasted text. Loading goes in batches, one
named graph at a time, and each graph is replaced rather than appended, so a load that stopped half-way can simply be
run again (:meth:`RemoteStore.replace_graphs`). The HTTP side is :mod:`kgraph.store.remote_http`, Virtuoso's
dialect :mod:`kgraph.store.virtuoso`, the journal of loads :mod:`kgraph.store.remote_journal`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgraph import sparql
from kgraph.progress import Progress, silent
from kgraph.sparql.lexer import has_dataset_clause, query_form, with_prefixes, with_values
from kgraph.store import virtuoso
from kgraph.store.base import (
    GraphName,
    GraphResult,
    LoadReport,
    QueryResult,
    SelectResult,
    Store,
    Term,
    named_graphs_of,
    quads_by_graph,
)
from kgraph.store.remote_config import RemoteSettings, complete, read_settings
from kgraph.store.remote_http import ACCEPT_GRAPH, N_QUADS, N_TRIPLES, RESULTS_JSON, RemoteStoreError, Transport
from kgraph.store.remote_journal import Journal, graph_digest
from kgraph.vocabulary import PREFIXES

__all__ = ["LoadInterruptedError", "LoadReport", "RemoteStore", "RemoteStoreError"]


class LoadInterruptedError(RemoteStoreError):
    """A load stopped before every graph was replaced; running it again resumes it."""

    def __init__(self, message: str, report: LoadReport) -> None:
        super().__init__(message)
        self.report = report


Pending = tuple[ox.NamedNode, list[ox.Triple], str]


def _graph_groups(pending: Sequence[Pending], size: int) -> Iterator[list[Pending]]:
    """Consecutive graphs grouped up to ``size`` triples a group; a graph larger than ``size`` is a group alone."""
    group: list[Pending] = []
    count = 0
    for item in pending:
        if group and count + len(item[1]) > size:
            yield group
            group, count = [], 0
        group.append(item)
        count += len(item[1])
    if group:
        yield group


def _batches(triples: Sequence[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """Batches of at most ``size`` triples; every triple with a blank node goes in the first, so labels agree."""
    with_blank = [t for t in triples if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)]
    plain = [t for t in triples if not (isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode))]
    first = with_blank + plain[: max(0, size - len(with_blank))]
    yield first
    for start in range(len(first) - len(with_blank), len(plain), size):
        yield plain[start : start + size]


class RemoteStore(Store):
    """A SPARQL 1.1 server seen as a :class:`Store`: ``RemoteStore.from_url("http://host:7878")``."""

    def __init__(self, settings: RemoteSettings, *, read_only: bool = False, transport: Transport | None = None):
        self._http = transport or Transport(settings)
        self._http.use(settings)
        self.read_only = read_only
        self._graphs: list[ox.NamedNode] | None = None

    @property
    def settings(self) -> RemoteSettings:
        """The server's endpoints, credentials and limits."""
        return self._http.settings

    @settings.setter
    def settings(self, settings: RemoteSettings) -> None:
        self._http.use(settings)

    @classmethod
    def from_url(
        cls,
        url: str | None = None,
        *,
        read_only: bool = True,
        config: Path | None = None,
        **overrides: Any,
    ) -> RemoteStore:
        """The server at ``url``, with endpoints and credentials from ``overrides``, the environment or kgraph.toml.

        The server's kind (Oxigraph, Virtuoso, other) is asked once, unless given as ``server=``; it decides the
        default update and graph-store endpoints and how queries see the union of the named graphs.
        """
        settings = read_settings(url, config=config, **overrides)
        transport, kind = Transport.connect(settings)
        return cls(complete(settings, kind), read_only=read_only, transport=transport)

    def __repr__(self) -> str:
        return f"RemoteStore({self.settings.query_url!r}, read_only={self.read_only})"

    def _dataset_params(self, sparql_text: str) -> list[tuple[str, str]]:
        """Protocol parameters that make the query see the union of kgraph's graphs on this server."""
        if has_dataset_clause(sparql_text):
            return []
        if self.settings.union == "param":
            return [("union-default-graph", "")]
        if self.settings.union == "native":
            return []
        graphs = [graph.value for graph in self.named_graphs()]
        if not graphs:  # an empty dataset: point at a graph that holds nothing
            graphs = ["urn:kgraph:empty"]
        return [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]

    # --- reading ----------------------------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        text = with_prefixes(with_values(sparql, bindings) if bindings else sparql, PREFIXES)
        accept = ACCEPT_GRAPH if query_form(text) in ("CONSTRUCT", "DESCRIBE") else RESULTS_JSON
        return self._http.query([("query", text), *self._dataset_params(text)], accept=accept, timeout=timeout)

    def named_graphs(self) -> list[ox.NamedNode]:
        if self._graphs is None:
            result = self._http.query([("query", sparql.load("remote_graphs"))], accept=RESULTS_JSON)
            assert isinstance(result, SelectResult)
            names = {row["graph"].value for row in result if isinstance(row.get("graph"), ox.NamedNode)}
            self._graphs = [ox.NamedNode(name) for name in sorted(names) if self._in_scope(name)]
        return list(self._graphs)

    def _in_scope(self, graph: str) -> bool:
        if self.settings.graph_prefix:
            return graph.startswith(self.settings.graph_prefix)
        return not (self.settings.server == "virtuoso" and graph.startswith(virtuoso.SYSTEM_GRAPHS))

    def quads(self, graph: GraphName | None = None) -> Iterator[ox.Quad]:
        graphs = self.named_graphs() if graph is None else [graph]
        for name in graphs:
            if isinstance(name, ox.DefaultGraph):
                result = self._http.query([("query", sparql.load("remote_default_graph"))], accept=ACCEPT_GRAPH)
            else:
                result = self.query(sparql.load("remote_graph_triples"), bindings={"graph": name})
            assert isinstance(result, GraphResult)
            for triple in result:
                yield ox.Quad(triple.subject, triple.predicate, triple.object, name)

    def __len__(self) -> int:
        result = self.query(sparql.load("remote_count"))
        assert isinstance(result, SelectResult)
        return int(result.rows[0]["n"].value)

    def graph_sizes(self) -> dict[str, int]:
        """The number of triples in each of kgraph's named graphs on the server."""
        result = self.query(sparql.load("remote_graph_sizes"))
        assert isinstance(result, SelectResult)
        return {row["graph"].value: int(row["n"].value) for row in result}

    # --- writing ----------------------------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        self._writable()
        if not self.settings.update_url:
            raise RemoteStoreError("this server has no update endpoint configured (KGRAPH_STORE_UPDATE)")
        self._http.send(
            "POST",
            self.settings.update_url,
            content=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )
        self._graphs = None

    def _put_triples(self, graph: GraphName, triples: Sequence[ox.Triple], *, append: bool) -> None:
        body = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b""
        if self.settings.graph_store_url:
            params = {"default": ""} if isinstance(graph, ox.DefaultGraph) else {"graph": graph.value}
            self._http.send(
                "POST" if append else "PUT",
                self.settings.graph_store_url,
                params=params,
                content=body,
                headers={"Content-Type": N_TRIPLES},
            )
            self._graphs = None
            return
        data = body.decode("utf-8")
        if isinstance(graph, ox.DefaultGraph):
            self.update(("" if append else "DROP SILENT DEFAULT ;\n") + "INSERT DATA {\n" + data + "}")
        else:
            target = str(graph)  # the graph's IRI serialised as an RDF term (escaped by pyoxigraph)
            drop = "" if append else "DROP SILENT GRAPH " + target + " ;\n"
            self.update(drop + "INSERT DATA { GRAPH " + target + " {\n" + data + "} }")

    def add_quads(self, quads: Sequence[ox.Quad]) -> None:
        self._writable()
        for graph, triples in quads_by_graph(quads).items():
            for batch in _batches(triples, self.settings.batch_size):
                self._put_triples(graph, batch, append=True)

    def replace_graph(self, graph: ox.NamedNode, triples: Sequence[ox.Triple]) -> None:
        self._writable()
        if not triples:
            self.remove_graph(graph)
            return
        for number, batch in enumerate(_batches(triples, self.settings.batch_size)):
            self._put_triples(graph, batch, append=number > 0)

    def remove_graph(self, graph: ox.NamedNode) -> None:
        self._writable()
        if self.settings.update_url:
            self.update(f"DROP SILENT GRAPH {graph}")  # a serialised IRI
            return
        self._http.send("DELETE", str(self.settings.graph_store_url), params={"graph": graph.value})
        self._graphs = None

    def replace_graphs(
        self,
        quads: Iterable[ox.Quad],
        *,
        journal: Path | None = None,
        batch_size: int | None = None,
        progress: Progress = silent,
    ) -> LoadReport:
        """Replace each named graph of ``quads`` on the server, graph by graph, in batches of ``batch_size`` triples.

        A graph is replaced whole (never appended to), so a rerun never duplicates triples. With a ``journal`` file,
        graphs that an earlier run already replaced with the same content (and that still hold as many triples on
        the server) are skipped, so an interrupted load resumes where it stopped. Raises
        :class:`LoadInterruptedError`, which tells what was loaded, when a graph fails.
        """
        self._writable()
        size = batch_size or self.settings.batch_size
        grouped = named_graphs_of(quads)
        record = Journal(journal, self.settings.query_url)
        sizes = self.graph_sizes() if record.done else {}
        report = LoadReport()
        pending: list[Pending] = []
        for graph, triples in grouped.items():
            digest = graph_digest(triples)
            if record.up_to_date(graph, digest, sizes.get(graph.value), len(set(triples))):
                report.skipped.append(graph.value)
            else:
                pending.append((graph, triples, digest))
        total, position = len(pending), 0
        for group in _graph_groups(pending, size):
            first = group[0][0].value
            count = sum(len(triples) for _, triples, _ in group)
            try:
                progress(f"graphs {position + 1}-{position + len(group)} of {total} ({count} triples), from {first}")
                if len(group) == 1 and count > size:
                    for index, batch in enumerate(_batches(group[0][1], size)):
                        self._put_triples(group[0][0], batch, append=index > 0)
                        report.requests += 1
                else:
                    report.requests += self._replace_small_graphs(
                        [(graph, triples) for graph, triples, _ in group], size
                    )
            except (Exception, KeyboardInterrupt) as error:
                loaded = len(report.replaced) + len(report.skipped)
                raise LoadInterruptedError(
                    f"the load stopped at graph {position + 1} of {total} ({first}): {error}. "
                    f"{loaded} graph(s) with {report.triples} triples are loaded; run the load again to resume "
                    "(graphs are replaced, never duplicated)",
                    report,
                ) from error
            position += len(group)
            for graph, triples, _ in group:
                report.replaced.append(graph.value)
                report.triples += len(triples)
            record.record([(graph, digest) for graph, _, digest in group])
        return report

    def _replace_small_graphs(self, group: Sequence[tuple[ox.NamedNode, Sequence[ox.Triple]]], size: int) -> int:
        """Replace several small graphs with as few requests as the server allows; the number of requests."""
        drops = " ;\n".join(f"DROP SILENT GRAPH {graph}" for graph, _ in group)  # serialised IRIs
        if self.settings.server == "oxigraph" and self.settings.graph_store_url:
            self.update(drops)
            quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for graph, triples in group for t in triples]
            payload = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
            self._http.send("POST", self.settings.graph_store_url, content=payload, headers={"Content-Type": N_QUADS})
            self._graphs = None
            return 2
        if self.settings.graph_store_url:  # one PUT per graph: SPARQL Update text has limits (Virtuoso's SQL size)
            requests = 0
            for graph, triples in group:
                for index, batch in enumerate(_batches(triples, size)):
                    self._put_triples(graph, batch, append=index > 0)
                    requests += 1
            return requests
        parts = []
        for graph, triples in group:
            body = (ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
            parts.append(f"GRAPH {graph} {{\n{body}}}")
        self.update(drops + " ;\nINSERT DATA {\n" + "\n".join(parts) + "}")
        return 1

    def close(self) -> None:
        self._http.close()

    def _writable(self) -> None:
        if self.read_only:
            raise RemoteStoreError("this store was opened read-only")
