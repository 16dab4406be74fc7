"""Storage backends behind one interface: in-memory and on-disk Oxigraph (and, later, remote SPARQL servers)."""

from kgraph.store.base import AskResult, GraphResult, QueryResult, SelectResult, Store
from kgraph.store.oxigraph import OxigraphStore

__all__ = ["AskResult", "GraphResult", "OxigraphStore", "QueryResult", "SelectResult", "Store"]
