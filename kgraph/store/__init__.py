"""Storage backends behind one interface: in-memory and on-disk Oxigraph, and remote SPARQL 1.1 servers."""

from kgraph.store.base import AskResult, GraphResult, QueryResult, SelectResult, Store
from kgraph.store.locate import open_store
from kgraph.store.oxigraph import OxigraphStore

__all__ = ["AskResult", "GraphResult", "OxigraphStore", "QueryResult", "SelectResult", "Store", "open_store"]
