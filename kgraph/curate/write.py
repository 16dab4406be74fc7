"""The one write path: new data files and the named graphs they compile to, into data/, the store and the outputs.

:func:`commit` takes a validated :class:`Write` (the data files to write or delete and the new content of each named
graph they change) and carries it out in this order, each step safe to repeat (see :mod:`kgraph.curate.journal`):

1. stage the files and commit the journal (before this, nothing has changed; after it, the change will complete);
2. move the files into ``data/``;
3. update the store in one SPARQL update, which Oxigraph runs as one transaction: the changed graphs replaced and the
   inferred graph brought up to date for them alone (:mod:`kgraph.curate.inference`);
4. bring the build's outputs that sit beside the store (``landscape.ttl``, ``landscape.trig``,
   ``landscape.html``) up to date: written again at once when small, else from a snapshot in the background
   (:mod:`kgraph.curate.outputs`);
5. append the change to the log (:mod:`kgraph.curate.changes`) and delete the journal.

:func:`recover` completes a committed change that a killed process left (its graphs compiled again from ``data/``)
or throws away an uncommitted one; every write calls it first.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgraph.curate import changes, outputs
from kgraph.curate.inference import InferredChange, inferred_change
from kgraph.curate.journal import Journal, checkpoint, discard, move_files, scratch_dir, stage
from kgraph.infer import INFERRED, inferred_triples
from kgraph.progress import Progress, silent
from kgraph.store.base import Store
from kgraph.store.locate import store_exists
from kgraph.vocabulary import ONTOLOGY_GRAPH


@dataclass(frozen=True)
class Write:
    """A validated change: data files to write (their bytes) or delete (``None``), and each changed graph's triples."""

    command: str
    source: str
    files: Mapping[Path, bytes | None]
    graphs: Mapping[ox.NamedNode, list[ox.Triple]]
    note: str = ""


@dataclass(frozen=True)
class WriteResult:
    """What a write did: its log entry, and the size of each changed graph before and after."""

    change: changes.Change
    store_updated: bool
    before: dict[str, int] = field(default_factory=dict)
    after: dict[str, int] = field(default_factory=dict)


def commit(write: Write, *, data_dir: Path, store: Store | None, progress: Progress = silent) -> WriteResult:
    """Carry out ``write`` on ``data_dir`` and ``store`` (opened for writing, or ``None``): whole or not at all."""
    data_dir = Path(data_dir)
    recover(data_dir, store=store, progress=progress)
    scratch = scratch_dir(data_dir)
    table = stage(scratch, dict(write.files))
    checkpoint("staged")
    old = {graph: {q.triple for q in store.quads(graph)} for graph in write.graphs} if store is not None else {}
    new = {graph: set(triples) for graph, triples in write.graphs.items()}
    entry = changes.record(
        write.command,
        write.source,
        (t for triples in old.values() for t in triples),
        (t for triples in new.values() for t in triples),
        note=write.note,
    )
    journal = Journal(
        id=uuid.uuid4().hex,
        time=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        command=write.command,
        source=write.source,
        store=_location(store),
        files=table,
        graphs=[graph.value for graph in write.graphs],
        record=entry,
    )
    journal.save(scratch)
    checkpoint("committed")
    _carry_out(journal, data_dir, store, old, new, progress)
    change = changes.Change(id=journal.id, time=journal.time, **entry)
    return WriteResult(
        change,
        store is not None,
        {g.value: len(t) for g, t in old.items()},
        {g.value: len(t) for g, t in new.items()},
    )


def graphs_to_write(
    graphs: Mapping[ox.NamedNode, list[ox.Triple]], changed: Iterable[ox.NamedNode], store: Store | None
) -> dict[ox.NamedNode, list[ox.Triple]]:
    """The graphs a write must replace: those that ``changed`` (their new content from ``graphs``, empty when gone),
    and the graphs that a triple moves to or from because it is stored once (see :mod:`kgraph.statements`)."""
    wanted = {graph: list(graphs.get(graph, [])) for graph in changed}
    if store is None:
        return wanted
    leaving = {q.triple for graph in wanted for q in store.quads(graph)}
    for graph, triples in graphs.items():
        if graph not in wanted and graph != ONTOLOGY_GRAPH and not leaving.isdisjoint(triples):
            wanted[graph] = list(triples)  # a triple the changed graphs held moves here
    for graph in _graphs_holding({t for triples in list(wanted.values()) for t in triples}, store):
        if graph not in wanted and graph not in (ONTOLOGY_GRAPH, INFERRED):
            wanted[graph] = list(graphs.get(graph, []))  # a triple it held moves to a changed graph
    return wanted


def _graphs_holding(triples: set[ox.Triple], store: Store) -> set[ox.NamedNode]:
    found = (store.quads_for_pattern(t.subject, t.predicate, t.object, None) for t in triples)  # type: ignore[arg-type]
    return {q.graph_name for quads in found for q in quads}  # type: ignore[misc]


def recover(data_dir: Path, *, store: Store | None = None, progress: Progress = silent) -> bool:
    """Complete the committed write a killed process left in ``data_dir`` or discard an uncommitted one.

    True when a committed write was completed. ``store`` is the store to bring up to date (opened for writing); when
    ``None``, the store the journal names is opened for the time it takes.
    """
    scratch = scratch_dir(data_dir)
    if not scratch.exists():
        return False
    journal = Journal.read(scratch)
    if journal is None:
        progress(f"removing what an interrupted write left in {scratch}")
        discard(scratch)
        return False
    progress(f"completing an interrupted '{journal.command}' of {journal.source} (from {journal.time})")
    move_files(journal)
    graphs = [ox.NamedNode(name) for name in journal.graphs]
    compiled = _compiled_graphs(data_dir)
    new = {graph: set(compiled.get(graph, [])) for graph in graphs}
    opened = store
    if opened is None and journal.store and Path(journal.store).is_dir():
        from kgraph.store import open_store

        opened = open_store(journal.store, read_only=False, on_wait=progress)
    try:
        old = {graph: {q.triple for q in opened.quads(graph)} for graph in graphs} if opened is not None else {}
        _carry_out(journal, data_dir, opened, old, new, progress)
    finally:
        if opened is not None and opened is not store:
            opened.close()
    return True


def _compiled_graphs(data_dir: Path) -> dict[ox.NamedNode, list[ox.Triple]]:
    """Every graph that ``data_dir`` compiles to (already validated when the write was committed)."""
    from kgraph.compile import DATA_SUFFIXES
    from kgraph.pipeline import assemble

    if not any(p.suffix in DATA_SUFFIXES for p in Path(data_dir).rglob("*")):
        return {}
    return dict(assemble([Path(data_dir)], validate=False, infer=False).graphs)


def _carry_out(
    journal: Journal,
    data_dir: Path,
    store: Store | None,
    old: dict[ox.NamedNode, set[ox.Triple]],
    new: dict[ox.NamedNode, set[ox.Triple]],
    progress: Progress,
) -> None:
    move_files(journal)
    checkpoint("moved")
    if store is not None:
        progress(f"updating {len(new)} graph(s) and the inferred graph in the store")
        update_store(store, old, new)
        checkpoint("stored")
        outputs.refresh(store, progress=progress)
        checkpoint("refreshed")
    changes.append(data_dir, {"id": journal.id, "time": journal.time, **journal.record})
    checkpoint("logged")
    discard(scratch_dir(data_dir))


def update_store(
    store: Store, old: Mapping[ox.NamedNode, set[ox.Triple]], new: Mapping[ox.NamedNode, set[ox.Triple]]
) -> None:
    """Give each graph of ``new`` its content and bring the inferred graph up to date, in one update request."""
    inferred = inferred_change(store, old, new)
    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in inferred.removed):
        inferred = _whole(store, new)  # DELETE DATA cannot name blank nodes
    store.update(update_text(new, inferred))


def _whole(store: Store, new: Mapping[ox.NamedNode, set[ox.Triple]]) -> InferredChange:
    kept = [q for q in store.quads() if q.graph_name not in new and q.graph_name != INFERRED]
    kept += [ox.Quad(t.subject, t.predicate, t.object, graph) for graph, triples in new.items() for t in triples]
    return InferredChange(whole=inferred_triples(kept))


def update_text(graphs: Mapping[ox.NamedNode, Iterable[ox.Triple]], inferred: InferredChange) -> str:
    """One SPARQL update request that replaces ``graphs`` and changes the inferred graph as ``inferred`` says."""
    operations = []
    for graph, triples in graphs.items():
        operations.append(f"DROP SILENT GRAPH {graph}")
        operations.extend(_data("INSERT", graph, triples))
    if inferred.whole is not None:
        operations.append(f"DROP SILENT GRAPH {INFERRED}")
        operations.extend(_data("INSERT", INFERRED, inferred.whole))
    else:
        operations.extend(_data("DELETE", INFERRED, inferred.removed))
        operations.extend(_data("INSERT", INFERRED, inferred.added))
    return " ;\n".join(operations) or "CLEAR SILENT GRAPH <urn:kgraph:nothing>"


def _data(verb: str, graph: ox.NamedNode, triples: Iterable[ox.Triple]) -> list[str]:
    body = "\n".join(f"{triple} ." for triple in triples)
    return [f"{verb} DATA {{ GRAPH {graph} {{\n{body}\n}} }}"] if body else []


def _location(store: Store | None) -> str | None:
    path = getattr(store, "path", None)
    return str(Path(path).resolve()) if path is not None else None


@contextlib.contextmanager
def writable_store(store: str | Path | Store | None, *, progress: Progress = silent) -> Iterator[Store | None]:
    """The store at ``store`` opened for writing (``None`` when there is none), or ``store`` itself if it is open."""
    if isinstance(store, Store):
        yield store
        return
    if not store_exists(store):
        yield None
        return
    from kgraph.store import open_store

    opened = open_store(store, read_only=False, on_wait=progress)
    try:
        yield opened
    finally:
        opened.close()
