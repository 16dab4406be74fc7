"""A :class:`Store` on any SPARQL 1.1 server: its query, update and Graph Store Protocol endpoints over HTTP.

Results come back as pyoxigraph terms, like the embedded stores'. Bound variables travel as a ``VALUES`` block of
serialised RDF terms (:func:`kgraph.sparql.lexer.with_values`), never as pasted text. Loading goes in batches, one
named graph at a time, and each graph is replaced rather than appended, so a load that stopped half-way can simply be
run again (:meth:`RemoteStore.load_dataset`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

from kgraph import sparql
from kgraph.errors import KgraphError
from kgraph.sparql.lexer import has_dataset_clause, query_form, with_values
from kgraph.store.base import (
    AskResult,
    GraphName,
    GraphResult,
    QueryResult,
    QueryTimeout,
    SelectResult,
    Store,
    Term,
)
from kgraph.store.remote_config import RemoteSettings, ServerKind, complete, read_settings

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
_ACCEPT_GRAPH = f"{N_TRIPLES}, text/turtle;q=0.9"
#: Graphs that Virtuoso keeps for itself: never part of the landscape.
_VIRTUOSO_SYSTEM = ("http://www.openlinksw.com/", "http://www.w3.org/ns/ldp#", "http://localhost:8890/")
_RDF_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}

Progress = Callable[[str], None]


class RemoteStoreError(KgraphError):
    """The SPARQL server could not be reached or refused a request."""


class LoadInterruptedError(RemoteStoreError):
    """A load stopped before every graph was replaced; running it again resumes it."""

    def __init__(self, message: str, report: LoadReport) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class LoadReport:
    """What a load did: graphs replaced, graphs already up to date (skipped), triples sent."""

    replaced: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    triples: int = 0
    requests: int = 0


def _quiet(_: str) -> None:
    pass


def _detect_server(client: httpx.Client, settings: RemoteSettings) -> ServerKind:
    """What kind of server answers at the query URL (from its ``Server`` header)."""
    try:
        response = client.get(settings.query_url, params={"query": "ASK {}"}, headers={"Accept": RESULTS_JSON})
    except httpx.HTTPError as error:
        raise RemoteStoreError(f"cannot reach the SPARQL server at {settings.query_url}: {error}") from None
    header = response.headers.get("server", "").lower()
    if "oxigraph" in header:
        return "oxigraph"
    if "virtuoso" in header:
        return "virtuoso"
    return "generic"


def _auth(settings: RemoteSettings) -> httpx.Auth | None:
    if settings.user is None:
        return None
    if settings.auth == "digest":
        return httpx.DigestAuth(settings.user, settings.password or "")
    return httpx.BasicAuth(settings.user, settings.password or "")


_BNODE_ID = re.compile(r"[^A-Za-z0-9_]")


def _standard_json(body: bytes) -> bytes:
    """Virtuoso's JSON results made standard: ``typed-literal`` is ``literal``; ``nodeID://b1`` blank nodes ``b1``."""
    document = json.loads(body)
    for row in document.get("results", {}).get("bindings", []):
        for value in row.values():
            if value.get("type") == "typed-literal":
                value["type"] = "literal"
            elif value.get("type") == "bnode":
                value["value"] = "v" + _BNODE_ID.sub("_", value["value"].removeprefix("nodeID://"))
    return json.dumps(document).encode("utf-8")


_DURATION = ox.NamedNode("http://www.w3.org/2001/XMLSchema#duration")
_SECONDS = re.compile(r"-?[0-9]+(\.[0-9]*)?")


def _duration_from_seconds(text: str) -> str:
    """An ``xsd:duration`` lexical form for a number of seconds (Virtuoso returns durations as seconds)."""
    seconds = float(text)
    sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, rest = divmod(rest, 60)
    date = f"{int(days)}D" if days else ""
    time = "".join(f"{int(v)}{unit}" for v, unit in ((hours, "H"), (minutes, "M")) if v)
    if rest:
        time += f"{rest:g}S"
    if not date and not time:
        time = "0S"
    return f"{sign}P{date}" + (f"T{time}" if time else "")


_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
_BOOLEAN_FORMS = {"1": "true", "0": "false"}


def _virtuoso_term(term: Term) -> Term:
    if isinstance(term, ox.Literal) and term.datatype == _DURATION and _SECONDS.fullmatch(term.value):
        return ox.Literal(_duration_from_seconds(term.value), datatype=_DURATION)
    if isinstance(term, ox.Literal) and term.datatype == _BOOLEAN and term.value in _BOOLEAN_FORMS:
        return ox.Literal(_BOOLEAN_FORMS[term.value], datatype=_BOOLEAN)
    return term


def _virtuoso_result(result: QueryResult) -> QueryResult:
    """Results from Virtuoso with its changes to values undone where they can be (durations, booleans)."""
    if isinstance(result, SelectResult):
        rows = [{name: _virtuoso_term(term) for name, term in row.items()} for row in result.rows]
        return SelectResult(result.variables, rows)
    if isinstance(result, GraphResult):
        return GraphResult(
            [ox.Triple(t.subject, t.predicate, _virtuoso_term(t.object)) for t in result.triples]  # type: ignore[arg-type]
        )
    return result


def _graph_digest(triples: Sequence[ox.Triple]) -> str:
    lines = sorted(str(triple) for triple in triples)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _graph_groups(
    pending: Sequence[tuple[ox.NamedNode, list[ox.Triple], str]], size: int
) -> Iterator[list[tuple[ox.NamedNode, list[ox.Triple], str]]]:
    """Consecutive graphs grouped up to ``size`` triples a group; a graph larger than ``size`` is a group alone."""
    group: list[tuple[ox.NamedNode, list[ox.Triple], str]] = []
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

    def __init__(self, settings: RemoteSettings, *, read_only: bool = False, client: httpx.Client | None = None):
        self.settings = settings
        self.read_only = read_only
        self._client = client or httpx.Client(auth=_auth(settings), timeout=settings.timeout)
        self._graphs: list[ox.NamedNode] | None = None

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
        client = httpx.Client(auth=_auth(settings), timeout=settings.timeout)
        kind = settings.server or _detect_server(client, settings)
        settings = complete(settings, kind)
        client.auth = _auth(settings)
        return cls(settings, read_only=read_only, client=client)

    def __repr__(self) -> str:
        return f"RemoteStore({self.settings.query_url!r}, read_only={self.read_only})"

    # --- HTTP -------------------------------------------------------------------------------------------------

    def _send(self, method: str, url: str, *, timeout: float | None = None, **kwargs: Any) -> httpx.Response:
        try:
            response = self._client.request(method, url, timeout=timeout or self.settings.timeout, **kwargs)
        except httpx.TimeoutException:
            raise QueryTimeout(timeout or self.settings.timeout) from None
        except httpx.HTTPError as error:
            raise RemoteStoreError(f"cannot reach the SPARQL server at {url}: {error}") from None
        if response.status_code in (401, 403):
            raise RemoteStoreError(
                f"{url} refused the request ({response.status_code}): check KGRAPH_STORE_USER and "
                "KGRAPH_STORE_PASSWORD (or user/password in kgraph.toml)"
            )
        if response.status_code >= 400:
            detail = response.text.strip()[:800]
            raise RemoteStoreError(f"{url} answered {response.status_code}: {detail}")
        return response

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

    # --- Store ------------------------------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        text = with_values(sparql, bindings) if bindings else sparql
        form = [("query", text), *self._dataset_params(text)]
        accept = _ACCEPT_GRAPH if query_form(text) in ("CONSTRUCT", "DESCRIBE") else RESULTS_JSON
        response = self._send(
            "POST", self.settings.query_url, content=_form(form), headers=_form_headers(accept), timeout=timeout
        )
        return self._result(response)

    def _result(self, response: httpx.Response) -> QueryResult:
        result = _parse_result(response)
        return _virtuoso_result(result) if self.settings.server == "virtuoso" else result

    def update(self, sparql: str) -> None:
        self._writable()
        if not self.settings.update_url:
            raise RemoteStoreError("this server has no update endpoint configured (KGRAPH_STORE_UPDATE)")
        self._send(
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
            self._send(
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
        for graph, triples in _by_graph(quads).items():
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
        self._send("DELETE", str(self.settings.graph_store_url), params={"graph": graph.value})
        self._graphs = None

    def named_graphs(self) -> list[ox.NamedNode]:
        if self._graphs is None:
            response = self._send(
                "POST",
                self.settings.query_url,
                content=_form([("query", sparql.load("remote_graphs"))]),
                headers=_form_headers(RESULTS_JSON),
            )
            result = _parse_result(response)
            assert isinstance(result, SelectResult)
            names = {row["graph"].value for row in result if isinstance(row.get("graph"), ox.NamedNode)}
            self._graphs = [ox.NamedNode(name) for name in sorted(names) if self._in_scope(name)]
        return list(self._graphs)

    def _in_scope(self, graph: str) -> bool:
        if self.settings.graph_prefix:
            return graph.startswith(self.settings.graph_prefix)
        return not (self.settings.server == "virtuoso" and graph.startswith(_VIRTUOSO_SYSTEM))

    def quads(self, graph: GraphName | None = None) -> Iterator[ox.Quad]:
        graphs = self.named_graphs() if graph is None else [graph]
        for name in graphs:
            if isinstance(name, ox.DefaultGraph):
                result = self._raw_construct(sparql.load("remote_default_graph"))
            else:
                result = self.query(sparql.load("remote_graph_triples"), bindings={"graph": name})
            assert isinstance(result, GraphResult)
            for triple in result:
                yield ox.Quad(triple.subject, triple.predicate, triple.object, name)

    def _raw_construct(self, text: str) -> QueryResult:
        response = self._send(
            "POST", self.settings.query_url, content=_form([("query", text)]), headers=_form_headers(_ACCEPT_GRAPH)
        )
        return self._result(response)

    def __len__(self) -> int:
        result = self.query(sparql.load("remote_count"))
        assert isinstance(result, SelectResult)
        return int(result.rows[0]["n"].value)

    def graph_sizes(self) -> dict[str, int]:
        """The number of triples in each of kgraph's named graphs on the server."""
        result = self.query(sparql.load("remote_graph_sizes"))
        assert isinstance(result, SelectResult)
        return {row["graph"].value: int(row["n"].value) for row in result}

    def load_dataset(
        self,
        quads: Iterable[ox.Quad],
        *,
        journal: Path | None = None,
        progress: Progress = _quiet,
    ) -> LoadReport:
        """Replace each named graph of ``quads`` on the server, graph by graph, in batches.

        A graph is replaced whole (never appended to), so a rerun never duplicates triples. With a ``journal`` file,
        graphs that an earlier run already replaced with the same content (and that still hold as many triples on
        the server) are skipped, so an interrupted load resumes where it stopped. Raises
        :class:`LoadInterruptedError`, which tells what was loaded, when a graph fails.
        """
        self._writable()
        grouped = _by_graph(quads)
        if ox.DefaultGraph() in grouped:
            raise RemoteStoreError("a remote load takes named graphs only; the data has triples in the default graph")
        done = _read_journal(journal, self.settings.query_url)
        sizes = self.graph_sizes() if done else {}
        report = LoadReport()
        ordered = sorted(grouped.items(), key=lambda item: item[0].value)
        pending: list[tuple[ox.NamedNode, list[ox.Triple], str]] = []
        for graph, triples in ordered:
            digest = _graph_digest(triples)
            if done.get(graph.value) == digest and sizes.get(graph.value) == len(set(triples)):
                report.skipped.append(graph.value)
            else:
                pending.append((graph, triples, digest))  # type: ignore[arg-type]
        total, position = len(pending), 0
        for group in _graph_groups(pending, self.settings.batch_size):
            first = group[0][0].value
            count = sum(len(triples) for _, triples, _ in group)
            try:
                progress(f"graphs {position + 1}-{position + len(group)} of {total} ({count} triples), from {first}")
                if len(group) == 1 and count > self.settings.batch_size:
                    for index, batch in enumerate(_batches(group[0][1], self.settings.batch_size)):
                        self._put_triples(group[0][0], batch, append=index > 0)
                        report.requests += 1
                else:
                    report.requests += self._replace_graphs([(graph, triples) for graph, triples, _ in group])
            except (Exception, KeyboardInterrupt) as error:
                loaded = len(report.replaced) + len(report.skipped)
                raise LoadInterruptedError(
                    f"the load stopped at graph {position + 1} of {total} ({first}): {error}. "
                    f"{loaded} graph(s) with {report.triples} triples are loaded; run the load again to resume "
                    "(graphs are replaced, never duplicated)",
                    report,
                ) from error
            position += len(group)
            for graph, triples, digest in group:
                report.replaced.append(graph.value)
                report.triples += len(triples)
                done[graph.value] = digest
            _write_journal(journal, self.settings.query_url, done)
        return report

    def _replace_graphs(self, group: Sequence[tuple[ox.NamedNode, Sequence[ox.Triple]]]) -> int:
        """Replace several small graphs with as few requests as the server allows; the number of requests."""
        drops = " ;\n".join(f"DROP SILENT GRAPH {graph}" for graph, _ in group)  # serialised IRIs
        if self.settings.server == "oxigraph" and self.settings.graph_store_url:
            self.update(drops)
            quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for graph, triples in group for t in triples]
            body = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
            headers = {"Content-Type": "application/n-quads"}
            self._send("POST", self.settings.graph_store_url, content=body, headers=headers)
            self._graphs = None
            return 2
        if self.settings.graph_store_url:  # one PUT per graph: SPARQL Update text has limits (Virtuoso's SQL size)
            requests = 0
            for graph, triples in group:
                for index, batch in enumerate(_batches(triples, self.settings.batch_size)):
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
        self._client.close()

    def _writable(self) -> None:
        if self.read_only:
            raise RemoteStoreError("this store was opened read-only")


def _form(pairs: Sequence[tuple[str, str]]) -> bytes:
    from urllib.parse import urlencode

    return urlencode(pairs).encode("ascii")


def _form_headers(accept: str) -> dict[str, str]:
    return {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}


def _by_graph(quads: Iterable[ox.Quad]) -> dict[GraphName, list[ox.Triple]]:
    grouped: dict[GraphName, list[ox.Triple]] = defaultdict(list)
    for quad in quads:
        grouped[quad.graph_name].append(quad.triple)
    return grouped


def _parse_result(response: httpx.Response) -> QueryResult:
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    body = response.content
    if media in _RDF_FORMATS:
        try:
            return GraphResult(list(ox.parse(body, format=_RDF_FORMATS[media])))
        except SyntaxError as error:
            raise RemoteStoreError(f"the server's triples could not be read: {error}") from None
    if media == RESULTS_JSON or media == "application/json":
        if b"typed-literal" in body or b"nodeID://" in body:
            body = _standard_json(body)
        format = ox.QueryResultsFormat.JSON
    elif media == "application/sparql-results+xml":
        format = ox.QueryResultsFormat.XML
    elif media == "text/tab-separated-values":
        format = ox.QueryResultsFormat.TSV
    else:
        raise RemoteStoreError(f"the server answered in an unexpected format: {media or 'none'}")
    try:
        result = ox.parse_query_results(body, format=format)
        if isinstance(result, ox.QueryBoolean):
            return AskResult(bool(result))
        variables = [variable.value for variable in result.variables]
        rows = [{name: solution[name] for name in variables if solution[name] is not None} for solution in result]
    except SyntaxError as error:
        raise RemoteStoreError(f"the server's results could not be read: {error}") from None
    return SelectResult(variables, rows)


def _read_journal(path: Path | None, url: str) -> dict[str, str]:
    if path is None or not path.is_file():
        return {}
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    graphs = document.get(url, {})
    return dict(graphs) if isinstance(graphs, dict) else {}


def _write_journal(path: Path | None, url: str, graphs: Mapping[str, str]) -> None:
    if path is None:
        return
    document: dict[str, Any] = {}
    if path.is_file():
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            document = {}
    document[url] = dict(graphs)
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps(document, indent=1, sort_keys=True), encoding="utf-8")
    scratch.replace(path)
