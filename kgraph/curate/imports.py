"""``kgraph import FILE`` with a data folder: the file becomes a source of its own, ``data/import-<name>.ttl``.

The file is read whole (any RDF format), checked like a fact sheet (the ontology protected, see
:func:`kgraph.exchange.protection_problems`; the SHACL shapes over the landscape with it), written to ``data/`` as
Turtle with a header saying where it came from and when, and its graph ``graph:import-<name>`` replaced in the store
through the one write path. ``kgraph build`` compiles it like every other data file; importing it again replaces it.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgraph.compile import collect_files, read_turtle
from kgraph.curate.local import check_shapes, graphs_after
from kgraph.curate.write import Write, WriteResult, commit, graphs_to_write, recover, update_store, writable_store
from kgraph.errors import DataError, Problem
from kgraph.exchange import graph_for_file, protection_problems, read_rdf
from kgraph.infer import INFERRED
from kgraph.pipeline import assemble
from kgraph.progress import Progress, silent
from kgraph.store.base import Store
from kgraph.vocabulary import KGD, PREFIXES


@dataclass(frozen=True)
class ImportResult:
    """Where an imported file was kept and what the write did."""

    source: str
    data_file: Path
    triples: int
    write: WriteResult


def import_into_data(
    path: Path,
    *,
    data_dir: Path,
    store: str | Path | Store | None = None,
    format: ox.RdfFormat | None = None,
    progress: Progress = silent,
) -> ImportResult:
    """Keep the RDF file ``path`` in ``data_dir`` as the source ``import-<name>`` and bring the store up to date."""
    path, data_dir = Path(path), Path(data_dir)
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), None, None, "no such data folder")])
    graph = graph_for_file(path)
    source = graph.value.rsplit("/", 1)[-1]
    quads = [q for q in read_rdf(path, graph=graph, format=format) if q.graph_name != INFERRED]
    if not quads:
        raise DataError([Problem(str(path), None, None, "the file holds no triples")])
    problems = protection_problems(path, quads, None)
    others = sorted({q.graph_name.value for q in quads if q.graph_name != graph})  # type: ignore[union-attr]
    problems += [
        Problem(str(path), None, None, f"names the graph <{name}>: a file kept in data/ is one source, <{graph.value}>")
        for name in others[:5]
    ]
    if problems:
        raise DataError(problems)
    body = _turtle(path, source, [_skolemised(q.triple, source) for q in quads])
    target = data_dir / f"{source}.ttl"
    with writable_store(store, progress=progress) as opened:
        recover(data_dir, store=opened, progress=progress)
        with tempfile.TemporaryDirectory() as scratch:
            staged = Path(scratch) / target.name
            staged.write_bytes(body)
            if opened is not None:  # checked against the store: the cost follows the file
                progress(f"validating {path} against the store")
                triples = read_turtle(staged)
                check_shapes(triples, opened, own=graph, locate=lambda _: (str(path), None))
                graphs = graphs_after({graph: triples}, opened, data_dir=data_dir)
            else:
                kept = [p for p in collect_files([data_dir]) if p.resolve() != target.resolve()]
                progress(f"validating {path} with {len(kept)} data file(s)")
                assembly = assemble([*kept, staged], infer=False)
                triples = assembly.graphs.get(graph, [])
                graphs = graphs_to_write(assembly.graphs, [graph], opened)
        result = commit(
            Write("import", source, {target: body}, graphs, note=f"from {path.resolve()}"),
            data_dir=data_dir,
            store=opened,
            progress=progress,
        )
    return ImportResult(source, target, len(triples), result)


def _skolemised(triple: ox.Triple, source: str) -> ox.Triple:
    """Blank nodes as IRIs of the import (``kgd:import-x/genid/b1``): the kept file compiles the same each time."""

    def named(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.NamedNode | ox.Literal:
        if isinstance(term, ox.BlankNode):
            return ox.NamedNode(f"{KGD}{source}/genid/{term.value}")
        return term

    return ox.Triple(named(triple.subject), triple.predicate, named(triple.object))  # type: ignore[arg-type]


def _turtle(path: Path, source: str, triples: list[ox.Triple]) -> bytes:
    when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    header = (
        f"# Imported by 'kgraph import' from {path.resolve()} on {when}.\n"
        f"# Kept as the source '{source}' (graph:{source}): edit it here, or 'kgraph retract {source}'.\n"
    )
    body = ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
    return header.encode("utf-8") + body


@dataclass(frozen=True)
class ImportReport:
    """What an import loaded."""

    graphs: dict[str, int]
    inferred: int

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def import_file(
    store: Store, path: Path, *, graph: ox.NamedNode | None = None, format: ox.RdfFormat | None = None
) -> ImportReport:
    """Load an RDF file into ``store``: each of its graphs replaces the graph of the same name, in one transaction."""
    quads = [q for q in read_rdf(path, graph=graph, format=format) if q.graph_name != INFERRED]
    if not quads:
        raise DataError([Problem(str(path), None, None, "the file holds no triples")])
    problems = protection_problems(Path(path), quads, store)
    if problems:
        raise DataError(problems)
    by_graph: dict[ox.NamedNode, set[ox.Triple]] = {}
    for quad in quads:
        assert isinstance(quad.graph_name, ox.NamedNode)  # read_rdf names every graph
        by_graph.setdefault(quad.graph_name, set()).add(quad.triple)
    old = {name: {q.triple for q in store.quads(name)} for name in by_graph}
    update_store(store, old, by_graph)
    inferred = sum(1 for _ in store.quads(INFERRED))
    return ImportReport({name.value: len(triples) for name, triples in by_graph.items()}, inferred)
