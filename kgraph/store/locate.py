"""Where the store is, and opening it: a folder (on-disk Oxigraph) or an http(s) URL (a remote SPARQL 1.1 server).

Every command finds its store the same way: the location given (``--store``), else ``$KGRAPH_STORE``, else
``build/store``.
"""

from __future__ import annotations

import os
from pathlib import Path

from kgraph.progress import Progress
from kgraph.store.base import Store

#: Environment variable naming the store commands use when none is given.
STORE_ENV = "KGRAPH_STORE"
DEFAULT_STORE = Path("build") / "store"


def store_location(location: str | Path | None = None) -> str | Path:
    """The store to use: ``location``, else ``$KGRAPH_STORE``, else ``build/store``; a URL as text, else a path."""
    found = location or os.environ.get(STORE_ENV) or DEFAULT_STORE
    return str(found) if is_url(found) else Path(found)


def is_url(location: str | Path) -> bool:
    """Whether ``location`` names a remote SPARQL server rather than a folder."""
    return isinstance(location, str) and location.startswith(("http://", "https://"))


def store_exists(location: str | Path | None = None) -> bool:
    """Whether there is a store at :func:`store_location` (a URL is taken to exist; it is not contacted)."""
    found = store_location(location)
    return isinstance(found, str) or found.is_dir()


def open_store(location: str | Path | None = None, *, read_only: bool = True, on_wait: Progress | None = None) -> Store:
    """The store at :func:`store_location`.

    A URL opens a remote SPARQL 1.1 server (:mod:`kgraph.store.remote`); anything else is an on-disk Oxigraph store
    (``on_wait`` is told when opening it for writing has to wait for other processes).
    """
    found = store_location(location)
    if isinstance(found, str):
        from kgraph.store.remote import RemoteStore

        return RemoteStore.from_url(found, read_only=read_only)
    from kgraph.store.oxigraph import OxigraphStore

    return OxigraphStore.open(found, read_only=read_only, on_wait=on_wait)
