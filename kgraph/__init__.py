"""kgraph: a competitive-landscape knowledge graph built from the news."""

__version__ = "0.1.0"
