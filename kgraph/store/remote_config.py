"""Where a remote SPARQL server's endpoints are and how to log in: from the URL, environment variables or kgraph.toml.

Precedence, highest first: keyword arguments, environment variables (``KGRAPH_STORE_USER``, ``KGRAPH_STORE_PASSWORD``,
``KGRAPH_STORE_UPDATE``, ``KGRAPH_STORE_GRAPH_STORE``, ``KGRAPH_STORE_AUTH``, ``KGRAPH_STORE_SERVER``,
``KGRAPH_STORE_UNION``, ``KGRAPH_STORE_TIMEOUT``), the ``[store]`` table of ``kgraph.toml`` (in the working folder, or
the file named by ``KGRAPH_CONFIG``), then what the server's kind implies (Oxigraph, Virtuoso or a generic server).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from kgraph.errors import KgraphError

ServerKind = Literal["oxigraph", "virtuoso", "generic"]
#: How queries see the union of the named graphs: Oxigraph's ``union-default-graph`` parameter, the server's own
#: default graph (Neptune, GraphDB, Stardog), or an explicit dataset listing every graph kgraph manages.
UnionMode = Literal["param", "native", "dataset"]

CONFIG_ENV = "KGRAPH_CONFIG"
CONFIG_NAME = "kgraph.toml"
ENV_PREFIX = "KGRAPH_STORE_"
_FIELDS = ("update", "graph_store", "user", "password", "auth", "server", "union", "timeout", "graph_prefix")


@dataclass(frozen=True)
class RemoteSettings:
    """The endpoints and credentials of one SPARQL 1.1 server."""

    query_url: str
    update_url: str | None = None
    graph_store_url: str | None = None
    user: str | None = None
    password: str | None = None
    auth: Literal["basic", "digest"] | None = None
    server: ServerKind | None = None
    union: UnionMode | None = None
    timeout: float = 60.0
    graph_prefix: str | None = None
    batch_size: int = 50_000

    def __repr__(self) -> str:  # never show the password
        shown = "***" if self.password else None
        return f"RemoteSettings(query_url={self.query_url!r}, user={self.user!r}, password={shown!r})"


def _config_table(path: Path | None, environ: Mapping[str, str]) -> dict[str, Any]:
    path = path or Path(environ.get(CONFIG_ENV) or CONFIG_NAME)
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise KgraphError(f"{path}: not valid TOML: {error}") from None
    table = document.get("store", {})
    if not isinstance(table, dict):
        raise KgraphError(f"{path}: [store] must be a table")
    if "password_env" in table:
        table = {**table, "password": environ.get(str(table["password_env"]))}
    unknown = set(table) - set(_FIELDS) - {"url", "password_env", "batch_size"}
    if unknown:
        raise KgraphError(f"{path}: unknown keys in [store]: {', '.join(sorted(unknown))}")
    return table


def read_settings(
    url: str | None = None,
    *,
    config: Path | None = None,
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> RemoteSettings:
    """The settings for the server at ``url`` (else the config file's ``url``), before the server's kind is known."""
    environ = os.environ if environ is None else environ
    table = _config_table(config, environ)
    url = url or table.get("url")
    if not url:
        raise KgraphError("no SPARQL endpoint URL given (use --store URL, KGRAPH_STORE or url in kgraph.toml)")
    values: dict[str, Any] = {key: table[key] for key in (*_FIELDS, "batch_size") if table.get(key) is not None}
    for key in _FIELDS:
        if environ.get(ENV_PREFIX + key.upper()):
            values[key] = environ[ENV_PREFIX + key.upper()]
    values.update({key: value for key, value in overrides.items() if value is not None})
    renamed = {"update": "update_url", "graph_store": "graph_store_url"}
    values = {renamed.get(key, key): value for key, value in values.items()}
    if "timeout" in values:
        values["timeout"] = float(values["timeout"])
    if "batch_size" in values:
        values["batch_size"] = int(values["batch_size"])
    for key, allowed in (("auth", ("basic", "digest")), ("server", ("oxigraph", "virtuoso", "generic"))):
        if key in values and values[key] not in allowed:
            raise KgraphError(f"{key} must be one of {', '.join(allowed)}, not {values[key]!r}")
    if "union" in values and values["union"] not in ("param", "native", "dataset"):
        raise KgraphError(f"union must be param, native or dataset, not {values['union']!r}")
    return RemoteSettings(query_url=url, **values)


def _sibling(url: str, path: str) -> str:
    parts = urlsplit(url)
    head = parts.path.rstrip("/")
    for tail in ("/query", "/sparql"):
        if head.endswith(tail):
            head = head[: -len(tail)]
    return urlunsplit((parts.scheme, parts.netloc, head + path, "", ""))


def complete(settings: RemoteSettings, server: ServerKind) -> RemoteSettings:
    """Fill in what the server's kind implies: the usual endpoint paths and how to query the union of graphs."""
    query = settings.query_url
    updates: dict[str, Any] = {"server": server}
    if server == "oxigraph":
        if urlsplit(query).path.rstrip("/") in ("", "/"):
            updates["query_url"] = _sibling(query, "/query")
        updates.setdefault("update_url", settings.update_url or _sibling(query, "/update"))
        updates["graph_store_url"] = settings.graph_store_url or _sibling(query, "/store")
        updates["union"] = settings.union or "param"
    elif server == "virtuoso":
        secured = settings.user is not None
        updates["update_url"] = settings.update_url or _sibling(query, "/sparql-auth" if secured else "/sparql")
        crud = "/sparql-graph-crud-auth" if secured else "/sparql-graph-crud"
        updates["graph_store_url"] = settings.graph_store_url or _sibling(query, crud)
        updates["union"] = settings.union or "dataset"
        updates["auth"] = settings.auth or "digest"
    else:
        updates["update_url"] = settings.update_url or query
        updates["union"] = settings.union or "dataset"
    return replace(settings, **updates)
