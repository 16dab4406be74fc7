"""Talking to a SPARQL 1.1 server over HTTP: requests, errors, authentication, and reading its answers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from kgraph.errors import KgraphError
from kgraph.store import virtuoso
from kgraph.store.base import AskResult, GraphResult, QueryResult, QueryTimeout, SelectResult
from kgraph.store.remote_config import RemoteSettings, ServerKind

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"
ACCEPT_GRAPH = f"{N_TRIPLES}, text/turtle;q=0.9"
_RDF_FORMATS = {
    N_TRIPLES: ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    N_QUADS: ox.RdfFormat.N_QUADS,
}


class RemoteStoreError(KgraphError):
    """The SPARQL server could not be reached or refused a request."""


class Transport:
    """The HTTP connection to one SPARQL server, with its settings (endpoints, credentials, time limit)."""

    def __init__(self, settings: RemoteSettings, client: httpx.Client | None = None) -> None:
        self.settings = settings
        self.client = client or httpx.Client(auth=_auth(settings), timeout=settings.timeout)

    @classmethod
    def connect(cls, settings: RemoteSettings) -> tuple[Transport, ServerKind]:
        """A connection to the server of ``settings``, and its kind (asked once, unless the settings say)."""
        client = httpx.Client(auth=_auth(settings), timeout=settings.timeout)
        return cls(settings, client), settings.server or _detect_server(client, settings)

    def use(self, settings: RemoteSettings) -> None:
        """Go on with ``settings`` (completed once the server's kind is known)."""
        self.settings = settings
        self.client.auth = _auth(settings)  # type: ignore[assignment]  # None: no authentication

    def send(self, method: str, url: str, *, timeout: float | None = None, **kwargs: Any) -> httpx.Response:
        """One request; a refusal or an error status raises :class:`RemoteStoreError`, a time-out QueryTimeout."""
        try:
            response = self.client.request(method, url, timeout=timeout or self.settings.timeout, **kwargs)
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

    def query(self, pairs: Sequence[tuple[str, str]], *, accept: str, timeout: float | None = None) -> QueryResult:
        """POST a query (form-encoded ``pairs``) to the query endpoint and read the answer."""
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        response = self.send(
            "POST", self.settings.query_url, content=urlencode(pairs).encode("ascii"), headers=headers, timeout=timeout
        )
        result = parse_result(response)
        return virtuoso.standard_result(result) if self.settings.server == "virtuoso" else result

    def close(self) -> None:
        self.client.close()


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


def parse_result(response: httpx.Response) -> QueryResult:
    """A server's answer (SPARQL results or RDF triples) as kgraph's result types."""
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    body = response.content
    if media in _RDF_FORMATS:
        try:
            return GraphResult(list(ox.parse(body, format=_RDF_FORMATS[media])))
        except SyntaxError as error:
            raise RemoteStoreError(f"the server's triples could not be read: {error}") from None
    if media == RESULTS_JSON or media == "application/json":
        if virtuoso.needs_standard_json(body):
            body = virtuoso.standard_json(body)
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
