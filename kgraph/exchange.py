"""Export a store to RDF files (or GraphML), and import RDF files into a store: whole, or not at all.

Export: N-Quads, TriG and JSON-LD keep one named graph per source; Turtle and N-Triples hold the union of the
graphs (each triple once); GraphML is the networkx projection (:mod:`kgraph.analytics.projection`). The inferred
graph is left out unless asked for: it can always be computed again from the rest.

Import: the file is parsed whole before anything is written, so bad syntax loads nothing and is reported with its
line and column. Triples outside a named graph go into a graph named after the file; named graphs in the file
replace the graphs of the same name in the store (importing a file twice changes nothing). The inferred graph is
computed again afterwards.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgraph.compile import parse_rdf
from kgraph.errors import DataError, KgraphError, Problem
from kgraph.infer import INFERRED, materialise
from kgraph.store.base import Store, named_graphs_of
from kgraph.vocabulary import GRAPH, PREFIXES

EXPORT_FORMATS: dict[str, ox.RdfFormat | None] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "graphml": None,
}
IMPORT_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class ImportReport:
    """What an import loaded."""

    graphs: dict[str, int]
    inferred: int

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def rdf_bytes(quads: Iterable[ox.Quad], format: str) -> bytes:
    """Quads in an RDF format (``ttl``, ``nt``, ``nq``, ``trig``, ``jsonld``), sorted, so that the same quads always
    give the same bytes; formats without named graphs hold the union of the graphs, each triple once."""
    rdf_format = EXPORT_FORMATS.get(format)
    if rdf_format is None:
        raise KgraphError(f"unknown RDF format {format!r}: use one of {', '.join(f for f in EXPORT_FORMATS if f)}")
    ordered = sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD) else None
    if rdf_format.supports_datasets:
        return ox.serialize(ordered, format=rdf_format, prefixes=prefixes) or b""
    triples = sorted(set(q.triple for q in ordered), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes) or b""


def export_bytes(store: Store, format: str, *, inferred: bool = False) -> bytes:
    """The store's content in an RDF format (see :func:`rdf_bytes`); the inferred graph only if ``inferred``."""
    return rdf_bytes((q for q in store.quads() if inferred or q.graph_name != INFERRED), format)


def export(store: Store, path: Path, format: str, *, inferred: bool = False) -> None:
    """Write the store to ``path`` (replaced only once the new file is complete)."""
    path = Path(path)
    scratch_path = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        if format == "graphml":
            from kgraph.analytics.projection import project, write_graphml

            write_graphml(project(store), scratch_path)
        else:
            scratch_path.write_bytes(export_bytes(store, format, inferred=inferred))
        os.replace(scratch_path, path)
    finally:
        scratch_path.unlink(missing_ok=True)


def graph_for_file(path: Path) -> ox.NamedNode:
    """The named graph that a file's default-graph triples go to: ``graph:import-<file name>``."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", Path(path).stem).strip("-").lower() or "file"
    return GRAPH[f"import-{slug}"]


def read_rdf(path: Path, *, graph: ox.NamedNode | None = None, format: ox.RdfFormat | None = None) -> list[ox.Quad]:
    """Every quad of an RDF file; a syntax error raises :class:`DataError` with the file, line and column."""
    path = Path(path)
    rdf_format = format or IMPORT_FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        known = ", ".join(sorted(IMPORT_FORMATS))
        raise DataError([Problem(str(path), None, None, f"unknown kind of RDF file: use {known}")])
    if not path.is_file():
        raise DataError([Problem(str(path), None, None, "no such file")])
    target = graph or graph_for_file(path)
    parsed = parse_rdf(path, rdf_format)
    return [
        ox.Quad(q.subject, q.predicate, q.object, target) if isinstance(q.graph_name, ox.DefaultGraph) else q
        for q in parsed
    ]


def import_file(
    store: Store, path: Path, *, graph: ox.NamedNode | None = None, format: ox.RdfFormat | None = None
) -> ImportReport:
    """Load an RDF file into ``store``: each of its graphs replaces the graph of the same name."""
    quads = [q for q in read_rdf(path, graph=graph, format=format) if q.graph_name != INFERRED]
    if not quads:
        raise DataError([Problem(str(path), None, None, "the file holds no triples")])
    store.replace_graphs(quads)
    inferred = materialise(store)
    graphs = named_graphs_of(quads)
    return ImportReport({name.value: len(set(triples)) for name, triples in graphs.items()}, inferred)
