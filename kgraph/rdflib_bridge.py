"""Where rdflib meets pyoxigraph: the few edges that need rdflib (SHACL validation, ``to_rdflib``) cross here."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Dataset, Graph


def dataset_graphs(dataset: Dataset) -> dict[ox.NamedNode, list[ox.Triple]]:
    """The triples of each non-empty named graph of an rdflib dataset, as pyoxigraph terms."""
    graphs: dict[ox.NamedNode, list[ox.Triple]] = {}
    for graph in dataset.graphs():
        if len(graph):
            data = graph.serialize(format="nt", encoding="utf-8")
            name = ox.NamedNode(str(graph.identifier))
            graphs[name] = [quad.triple for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    return graphs


def add_to_graph(graph: Graph, triples: Iterable[ox.Triple]) -> None:
    """Add pyoxigraph triples to an rdflib graph."""
    data = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)
    if data:
        graph.parse(data=data, format="nt")


def to_dataset(quads: Iterable[ox.Quad]) -> Dataset:
    """pyoxigraph quads as an rdflib ``Dataset`` whose default graph is the union of the named graphs."""
    dataset = Dataset(default_union=True)
    data = ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS)
    if data:
        dataset.parse(data=data, format="nquads")
    return dataset
