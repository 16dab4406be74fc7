"""What the endpoint allows: its limits, and the checks every query and update passes before it runs."""

from __future__ import annotations

import functools
import hmac
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from kgraph.namespaces import PREFIXES
from kgraph.sparql.lexer import SparqlTextError, has_load, query_form, service_targets

#: The least address space a query worker can work in (pyoxigraph and RocksDB take about 500 MB once the store is open).
_LEAST_MEMORY = 768 << 20
#: Queries up to this length have their checks remembered (clients send the same queries again and again).
_REMEMBERED_LENGTH = 8192


@dataclass(frozen=True)
class ServeSettings:
    """How ``kgraph serve`` runs. The defaults are the safe ones: read-only, loopback, limited time and size."""

    store: Path
    view: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    timeout: float = 10.0
    max_rows: int = 10_000
    max_body: int = 1_000_000
    #: Seconds a query waits for a write in progress before the endpoint answers 503 with Retry-After.
    lock_wait: float = 5.0
    #: Bytes of address space each query worker may use (None: no limit).
    max_memory: int | None = 2 << 30
    #: Queries that may wait for a free worker; past that the endpoint answers 503 at once.
    max_waiting: int = 16
    #: A query running longer than this is long; at most ``max_long`` run at a time (None: all workers but one).
    long_after: float = 1.0
    max_long: int | None = None
    #: Largest request line plus headers, and largest URL, in bytes.
    max_head: int = 16_384
    max_url: int = 8_192
    allow_updates: bool = False
    update_token: str | None = None
    service_hosts: frozenset[str] = field(default_factory=frozenset)
    #: Origins whose browser pages may call the endpoint (CORS); none by default.
    cors_origins: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.allow_updates and not self.update_token:
            raise ValueError("updates need a token (--update-token or KGRAPH_UPDATE_TOKEN)")
        if self.allow_updates and len(self.update_token or "") < 16:
            raise ValueError("the update token must be at least 16 characters long")
        if self.max_memory is not None and self.max_memory < _LEAST_MEMORY:
            raise ValueError(
                f"--max-memory must be at least {_LEAST_MEMORY >> 20} MB: a worker needs about 500 MB of address "
                "space to open the store (0 means no limit)"
            )


class Refused(Exception):
    """A request the endpoint will not run: ``status`` is the HTTP status, the message says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _check_services(text: str, settings: ServeSettings) -> None:
    for target in service_targets(text, prefixes=PREFIXES):
        if target is None:
            raise Refused(403, "SERVICE with a variable or an unresolvable name is not allowed")
        host = (urlsplit(target).hostname or "").lower()
        if host not in settings.service_hosts:
            raise Refused(403, f"SERVICE to {host or target} is not allowed on this endpoint")


def check_query(text: str, settings: ServeSettings) -> None:
    """Refuse federated queries to hosts not explicitly allowed."""
    try:
        _check_services(text, settings)
    except SparqlTextError as error:
        raise Refused(400, str(error)) from None


def prepared_query(text: str, settings: ServeSettings) -> str:
    """The query form (SELECT, ASK...) once the checks pass; else :class:`Refused`."""
    if len(text) <= _REMEMBERED_LENGTH:
        return _remembered_query(text, settings)
    return _prepare_query(text, settings)


def _prepare_query(text: str, settings: ServeSettings) -> str:
    check_query(text, settings)
    try:
        return query_form(text)
    except SparqlTextError as error:
        raise Refused(400, str(error)) from None


_remembered_query = functools.lru_cache(maxsize=1024)(_prepare_query)


def check_update(text: str, settings: ServeSettings, authorization: str | None) -> None:
    """Refuse updates unless enabled and authorised, and refuse LOAD and disallowed SERVICE in any case."""
    if not settings.allow_updates:
        raise Refused(403, "this endpoint is read-only (start it with --allow-updates and a token to change that)")
    presented = (authorization or "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(presented.encode(), (settings.update_token or "").encode()):
        raise Refused(401, "updates need the endpoint's token: Authorization: Bearer TOKEN")
    try:
        if has_load(text):
            raise Refused(403, "LOAD is not allowed on this endpoint")
        _check_services(text, settings)
    except SparqlTextError as error:
        raise Refused(400, str(error)) from None
