"""Where rdflib meets pyoxigraph: the edges that need rdflib (SHACL validation, ``to_rdflib``) cross here."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Dataset, Graph


def to_graph(triples: Iterable[ox.Triple]) -> Graph:
    """pyoxigraph triples as an rdflib ``Graph``."""
    graph = Graph()
    data = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)
    if data:
        graph.parse(data=data, format="nt")
    return graph


def to_dataset(quads: Iterable[ox.Quad]) -> Dataset:
    """pyoxigraph quads as an rdflib ``Dataset`` whose default graph is the union of the named graphs."""
    dataset = Dataset(default_union=True)
    data = ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS)
    if data:
        dataset.parse(data=data, format="nquads")
    return dataset
