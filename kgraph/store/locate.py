"""Open a store from a location: a folder (on-disk Oxigraph) or an http(s) URL (a remote SPARQL 1.1 server)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from kgraph.store.base import Store

#: Environment variable naming the store commands use when none is given.
STORE_ENV = "KGRAPH_STORE"
DEFAULT_STORE = Path("build") / "store"


def open_store(
    location: str | Path | None = None, *, read_only: bool = True, on_wait: Callable[[str], None] | None = None
) -> Store:
    """The store at ``location``, else at ``$KGRAPH_STORE``, else ``build/store``.

    A URL opens a remote SPARQL 1.1 server (:mod:`kgraph.store.remote`); anything else is an on-disk Oxigraph store
    (``on_wait`` is told when opening it for writing has to wait for other processes).
    """
    location = location or os.environ.get(STORE_ENV) or DEFAULT_STORE
    text = str(location)
    if text.startswith(("http://", "https://")):
        from kgraph.store.remote import RemoteStore

        return RemoteStore.from_url(text, read_only=read_only)
    from kgraph.store.oxigraph import OxigraphStore

    return OxigraphStore.open(Path(text), read_only=read_only, on_wait=on_wait)
