"""Export a store to RDF files (or GraphML), and import RDF files into a store: whole, or not at all.

Export: N-Quads, TriG and JSON-LD keep one named graph per source; Turtle and N-Triples hold the union of the
graphs (each triple once); GraphML is the networkx projection (:mod:`kgraph.analytics.projection`). The inferred
graph is left out unless asked for: it can always be computed again from the rest.

Import: the file is parsed whole before anything is written, so bad syntax loads nothing and is reported with its
line and column. Triples outside a named graph go into a graph named after the file; named graphs in the file
replace the graphs of the same name in the store (importing a file twice changes nothing), in one transaction with
the inferred graph. A file may not redefine the ontology (:func:`protection_problems`): it cannot say anything about
``kg:`` terms or declare them equivalent to others, nor change a graph the store holds other than an earlier
import's. :mod:`kgraph.curate.imports` keeps an imported file in ``data/`` as a source of its own.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kgraph.compile import parse_rdf
from kgraph.errors import DataError, KgraphError, Problem
from kgraph.infer import EQUIVALENT_CLASS, EQUIVALENT_PROPERTY, INFERRED, INVERSE
from kgraph.store.base import Store
from kgraph.vocabulary import GRAPH, KG, ONTOLOGY_GRAPH, PREFIXES

SAME_AS = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
#: Statements that would make a ``kg:`` term mean something else when it is their object.
_REDEFINING = (EQUIVALENT_CLASS, EQUIVALENT_PROPERTY, INVERSE, SAME_AS)

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


def rdf_bytes(quads: Iterable[ox.Quad], format: str) -> bytes:
    """Quads in an RDF format (``ttl``, ``nt``, ``nq``, ``trig``, ``jsonld``), sorted, so that the same quads always
    give the same bytes; formats without named graphs hold the union of the graphs, each triple once."""
    rdf_format = _rdf_format(format)
    ordered = sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    prefixes = _prefixes(rdf_format)
    if rdf_format.supports_datasets:
        return ox.serialize(ordered, format=rdf_format, prefixes=prefixes) or b""
    triples = sorted(set(q.triple for q in ordered), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes) or b""


def export_bytes(store: Store, format: str, *, inferred: bool = False) -> bytes:
    """The store's content in an RDF format (see :func:`write_export`); the inferred graph only if ``inferred``."""
    buffer = io.BytesIO()
    write_export(store, buffer, format, inferred=inferred)
    return buffer.getvalue()


def write_export(store: Store, output: BinaryIO, format: str, *, inferred: bool = False) -> None:
    """Stream the store's content to ``output`` in an RDF format; the inferred graph only if ``inferred``.

    An Oxigraph store is written in the order of its own index, with no sorting in Python: the same quads give the
    same bytes whatever order they were added in, and a million quads never sit in memory. Other stores (remote
    ones answer in any order) go through :func:`rdf_bytes`. Formats without named graphs hold each triple once.
    """
    from kgraph.store.oxigraph import OxigraphStore

    if not isinstance(store, OxigraphStore):
        output.write(rdf_bytes((q for q in store.quads() if inferred or q.graph_name != INFERRED), format))
        return
    rdf_format = _rdf_format(format)
    prefixes = _prefixes(rdf_format)
    engine = store.oxigraph
    if rdf_format.supports_datasets and inferred:
        engine.dump(output, rdf_format, prefixes=prefixes)
        return
    quads = (q for q in engine.quads_for_pattern(None, None, None) if inferred or q.graph_name != INFERRED)
    if rdf_format.supports_datasets:
        ox.serialize(quads, output, rdf_format, prefixes=prefixes)
    else:
        ox.serialize(_each_once(q.triple for q in quads), output, rdf_format, prefixes=prefixes)


def _each_once(triples: Iterable[ox.Triple]) -> Iterator[ox.Triple]:
    seen: set[ox.Triple] = set()
    for triple in triples:
        if triple not in seen:
            seen.add(triple)
            yield triple


def _rdf_format(format: str) -> ox.RdfFormat:
    rdf_format = EXPORT_FORMATS.get(format)
    if rdf_format is None:
        raise KgraphError(f"unknown RDF format {format!r}: use one of {', '.join(f for f in EXPORT_FORMATS if f)}")
    return rdf_format


def _prefixes(rdf_format: ox.RdfFormat) -> dict[str, str] | None:
    return PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD) else None


def export(store: Store, path: Path, format: str, *, inferred: bool = False) -> None:
    """Write the store to ``path`` (replaced only once the new file is complete)."""
    path = Path(path)
    scratch_path = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        if format == "graphml":
            from kgraph.analytics.projection import project, write_graphml

            write_graphml(project(store), scratch_path)
        else:
            with open(scratch_path, "wb") as output:
                write_export(store, output, format, inferred=inferred)
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


def protection_problems(path: Path, quads: list[ox.Quad], store: Store | None) -> list[Problem]:
    """What in ``quads`` would redefine the ontology or overwrite another source (an empty list when nothing).

    Triples about ``kg:`` terms belong to the ontology's graph only, which a file may bring only to a store that has
    none (or the same one); a ``kg:`` term may not be declared equivalent, inverse or the same as anything; and a
    named graph the store already holds with other content may be replaced only when an earlier import made it.
    """
    problems: list[Problem] = []
    vocabulary = str(KG)
    ontology: set[ox.Triple] | None = None
    for quad in quads:
        subject, obj = quad.subject, quad.object
        about_kg = isinstance(subject, ox.NamedNode) and subject.value.startswith(vocabulary)
        names_kg = isinstance(obj, ox.NamedNode) and obj.value.startswith(vocabulary) and quad.predicate in _REDEFINING
        if not (about_kg or names_kg) or quad.graph_name == ONTOLOGY_GRAPH:
            continue
        ontology = ontology if ontology is not None else _ontology(store)
        if quad.triple in ontology:
            continue  # the ontology's own statement, as in an export of the whole landscape
        term = subject.value if about_kg else obj.value  # type: ignore[union-attr]
        problems.append(
            Problem(str(path), None, None, f"redefines the ontology's term kg:{term[len(vocabulary) :]}: {quad.triple}")
        )
        if len(problems) >= 5:
            break
    if store is None:
        return problems
    by_graph: dict[ox.NamedNode, set[ox.Triple]] = {}
    for quad in quads:
        by_graph.setdefault(quad.graph_name, set()).add(quad.triple)  # type: ignore[arg-type]
    held = set(store.named_graphs())
    for name, triples in by_graph.items():
        if name not in held or name.value.startswith(GRAPH["import-"].value):
            continue
        if {q.triple for q in store.quads(name)} != triples:
            what = "the ontology" if name == ONTOLOGY_GRAPH else "another source"
            problems.append(Problem(str(path), None, None, f"would replace the graph <{name.value}> of {what}"))
    return problems


def _ontology(store: Store | None) -> set[ox.Triple]:
    """The ontology's statements: the store's ontology graph, else the bundled ontology."""
    if store is not None and ONTOLOGY_GRAPH in store.named_graphs():
        return {q.triple for q in store.quads(ONTOLOGY_GRAPH)}
    from kgraph.resources import ontology_file

    return {q.triple for q in ox.parse(path=str(ontology_file()), format=ox.RdfFormat.TURTLE)}
