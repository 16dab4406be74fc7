"""The entity names of the landscape, from the store or, when there is none, straight from the data files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kgraph.resolve import EntityIndex


def index_from_data(paths: Sequence[Path]) -> EntityIndex:
    """Compile the data files (no SHACL run) into an in-memory store and index its names."""
    from kgraph.pipeline import assemble
    from kgraph.store.oxigraph import OxigraphStore

    store = OxigraphStore()
    store.add_quads(assemble(list(paths), validate=False, infer=False).quads())
    return EntityIndex.from_store(store)


def entity_index(*, store: str | Path | None = None, data: Sequence[Path] | None = None) -> EntityIndex:
    """The names of the store at ``store`` when it exists, else of the data files under ``data``."""
    from kgraph.store.locate import open_store, store_exists

    if store is not None or (data is None and store_exists()):
        with open_store(store, read_only=True) as opened:
            return EntityIndex.from_store(opened)
    from kgraph.resources import default_data_dir

    return index_from_data(list(data or [default_data_dir()]))
