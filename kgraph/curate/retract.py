"""``kgraph retract SOURCE``: a source's facts removed from data/, the store and the outputs, in one write.

The source's file leaves ``data/`` and its named graph leaves the store. Entities it declared that other sources
still refer to stay: they move to ``data/kept-entities.yaml`` (a reference sheet without facts), together with the
entities they refer to themselves; the rest go with the source.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import yaml

from kgraph.compile import TURTLE_SUFFIXES, collect_files
from kgraph.curate.local import compile_alone, graphs_after
from kgraph.curate.references import entities_still_used
from kgraph.curate.write import Write, WriteResult, commit, graphs_to_write, recover, writable_store
from kgraph.errors import DataError, Problem
from kgraph.factsheet.models import Entity, FactSheet, Source
from kgraph.factsheet.read import FACT_SHEET_SUFFIXES, LoadedSheet, parse_fact_sheet, read_fact_sheet
from kgraph.infer import INFERRED
from kgraph.mapping import graph_name
from kgraph.pipeline import assemble
from kgraph.progress import Progress, silent
from kgraph.store.base import Store
from kgraph.vocabulary import KGD

KEPT_SOURCE = "kept-entities"


@dataclass(frozen=True)
class RetractResult:
    """What retracting a source removed and kept."""

    source: str
    removed_files: list[Path]
    kept_entities: list[str]
    write: WriteResult


def data_sources(data_dir: Path, *, only: str | None = None) -> dict[str, list[Path]]:
    """The sources of ``data_dir`` (a fact sheet's source id, a Turtle file's name) and the files that hold them;
    ``only`` reads just the sheets that mention that source."""
    sources: dict[str, list[Path]] = {}
    files = collect_files([data_dir]) if any(Path(data_dir).iterdir()) else []
    for path in files:
        if path.suffix in TURTLE_SUFFIXES:
            sources.setdefault(path.stem, []).append(path)
        elif path.suffix in FACT_SHEET_SUFFIXES:
            if only is not None and only not in path.read_text(encoding="utf-8"):
                continue
            sources.setdefault(read_fact_sheet(path).sheet.source.id, []).append(path)
    return sources


def retract(
    source: str, *, data_dir: Path, store: str | Path | Store | None = None, progress: Progress = silent
) -> RetractResult:
    """Remove the source ``source`` everywhere; entities other sources use stay (see the module's docstring)."""
    data_dir = Path(data_dir)
    with writable_store(store, progress=progress) as opened:
        recover(data_dir, store=opened, progress=progress)
        local = opened is not None
        sources = data_sources(data_dir, only=source if local else None)
        if source not in sources:
            sources = data_sources(data_dir) if local else sources
            known = ", ".join(sorted(sources)) or "none"
            raise DataError([Problem(str(data_dir), None, None, f"no source {source!r} here (sources: {known})")])
        removed = sources[source]
        kept_file = data_dir / f"{KEPT_SOURCE}.yaml"
        files: dict[Path, bytes | None] = {path: None for path in removed}
        changed = [graph_name(source)]
        if opened is not None:
            kept = _kept_by_store(removed, source, opened)
            progress("checking that no other source refers to what goes")
            _check_unused(removed, source, kept, opened)
            if kept:
                files[kept_file] = _kept_sheet(kept_file, kept)
                loaded = parse_fact_sheet(files[kept_file].decode("utf-8"), str(kept_file))  # type: ignore[union-attr]
                kept_graph = graph_name(KEPT_SOURCE)
                new = {
                    changed[0]: [],
                    kept_graph: compile_alone(loaded, opened, data_dir=data_dir, check=True, leaving=changed),
                }
            else:
                new = {changed[0]: []}
            graphs = graphs_after(new, opened, data_dir=data_dir)
        else:
            others = [p for paths in sources.values() for p in paths if p not in removed]
            kept = _kept_entities(removed, [read_fact_sheet(p) for p in others if p.suffix in FACT_SHEET_SUFFIXES])
            with tempfile.TemporaryDirectory() as scratch:
                inputs = [p for p in others if p != kept_file]
                if kept:
                    files[kept_file] = _kept_sheet(kept_file, kept)
                    staged = Path(scratch) / kept_file.name
                    staged.write_bytes(files[kept_file])  # type: ignore[arg-type]
                    inputs.append(staged)
                progress(f"validating the {len(inputs)} data file(s) that remain")
                assembly = assemble(inputs, infer=False) if inputs else None
            if kept:
                changed.append(graph_name(KEPT_SOURCE))
            graphs = graphs_to_write(assembly.graphs if assembly else {}, changed, opened)
        note = f"kept entities used elsewhere: {', '.join(e.id for e in kept)}" if kept else ""
        write = Write("retract", source, files, graphs, note=note)
        result = commit(write, data_dir=data_dir, store=opened, progress=progress)
    return RetractResult(source, removed, [e.id for e in kept], result)


def _declared(removed: list[Path]) -> list[Entity]:
    return [e for p in removed if p.suffix in FACT_SHEET_SUFFIXES for e in read_fact_sheet(p).sheet.entities]


def _kept_by_store(removed: list[Path], source: str, store: Store) -> list[Entity]:
    """The entities ``removed`` declares that another graph of ``store`` refers to, with those they refer to."""
    declared = _declared(removed)
    skip = {graph_name(source), INFERRED}
    used = [e.id for e in declared if any(q.graph_name not in skip for q in _referring(store, e.id))]
    return entities_still_used(declared, [], also=used)


def _check_unused(removed: list[Path], source: str, kept: list[Entity], store: Store) -> None:
    """Refuse when another source refers to a fact, a source or an entity that goes with ``source``."""
    own = graph_name(source)
    going = {KGD[source]} | {KGD[e.id] for e in _declared(removed)} - {KGD[e.id] for e in kept}
    for path in removed:
        if path.suffix in FACT_SHEET_SUFFIXES:
            sheet = read_fact_sheet(path).sheet
            going |= {KGD[fact.id] for fact in sheet.facts}
            going |= {KGD[s.id] for s in (sheet.source, sheet.source.based_on) if s is not None}
        else:
            going |= {q.subject for q in store.quads_for_pattern(None, None, None, own)}  # type: ignore[misc]
    problems = []
    for node in sorted(going, key=str):
        if not isinstance(node, ox.NamedNode):
            continue
        users = sorted(
            {
                q.graph_name.value.rsplit("/", 1)[-1]
                for q in _referring(store, node)
                if isinstance(q.graph_name, ox.NamedNode)
                if q.graph_name not in (own, INFERRED)
            }
        )
        if users:
            problems.append(
                Problem(str(path), None, None, f"{node.value.rsplit('/', 1)[-1]} is still used by {', '.join(users)}")
            )
    if problems:
        raise DataError(problems)


def _referring(store: Store, node: str | ox.NamedNode) -> list[ox.Quad]:
    target = KGD[node] if isinstance(node, str) else node
    return list(store.quads_for_pattern(None, None, target, None))


def _kept_entities(removed: list[Path], others: list[LoadedSheet]) -> list[Entity]:
    """The entities declared in ``removed`` that ``others`` refer to, with those they refer to in turn."""
    declared = [e for p in removed if p.suffix in FACT_SHEET_SUFFIXES for e in read_fact_sheet(p).sheet.entities]
    return entities_still_used(declared, [loaded.sheet for loaded in others])


def _kept_sheet(path: Path, entities: list[Entity]) -> bytes:
    """``data/kept-entities.yaml`` with ``entities`` added to those it already keeps."""
    sheet = read_fact_sheet(path).sheet if path.is_file() else None
    already = list(sheet.entities) if sheet else []
    merged = already + [e for e in entities if e.id not in {a.id for a in already}]
    kept = FactSheet(
        source=Source(
            id=KEPT_SOURCE,
            type="reference",
            title="Entities kept when the source that declared them was retracted",
            description="Other sources still refer to these entities; 'kgraph retract' moved them here.",
        ),
        entities=merged,
    )
    data = kept.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    header = "# Written by 'kgraph retract': entities that other sources still use.\n"
    return (header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)).encode("utf-8")
