"""Storage backends behind one interface: in-memory and on-disk Oxigraph, and remote SPARQL 1.1 servers."""

from kgraph.store.base import AskResult, GraphResult, LoadReport, QueryResult, SelectResult, Store
from kgraph.store.locate import open_store, store_location
from kgraph.store.oxigraph import OxigraphStore

__all__ = [
    "AskResult",
    "GraphResult",
    "LoadReport",
    "OxigraphStore",
    "QueryResult",
    "SelectResult",
    "Store",
    "open_store",
    "store_location",
]
