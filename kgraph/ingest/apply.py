"""Merge a reviewed fact sheet into the landscape: validate it with the curated data, add it to data/, update the store.

The sheet is checked exactly as ``kgraph build`` checks data (pydantic models, references across files, SHACL
shapes) together with every other file of data/. Only then is anything written, through the one write path
(:mod:`kgraph.curate.write`): the sheet goes to data/ under the source's identifier, the source's named graph in the
store is replaced (so applying a source again replaces its facts instead of adding them twice), the inferred graph
and the build's outputs follow. If any step fails, or the process is killed, data/ and the store stay in step.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from kgraph.compile import collect_files
from kgraph.curate.local import compile_alone, graphs_after
from kgraph.curate.references import entities_still_used
from kgraph.curate.write import Write, commit, graphs_to_write, recover, writable_store
from kgraph.errors import DataError, KgraphError, Problem
from kgraph.factsheet.models import Entity, FactSheet
from kgraph.factsheet.read import FACT_SHEET_SUFFIXES, LoadedSheet, parse_fact_sheet, read_fact_sheet
from kgraph.infer import INFERRED
from kgraph.mapping import graph_name
from kgraph.pipeline import assemble
from kgraph.progress import Progress, silent
from kgraph.store.base import Store
from kgraph.vocabulary import KGD


@dataclass(frozen=True)
class ApplyResult:
    """What applying a sheet changed."""

    source_id: str
    data_file: Path
    replaced_files: list[Path]
    triples: int
    store_updated: bool
    previous_triples: int


def _same_source_files(data_dir: Path, source_id: str) -> list[Path]:
    """Files of ``data_dir`` whose fact sheet is about the source ``source_id``."""
    found = []
    for path in collect_files([data_dir]) if any(data_dir.iterdir()) else []:
        if path.suffix not in FACT_SHEET_SUFFIXES:
            continue
        try:
            if source_id in path.read_text(encoding="utf-8") and read_fact_sheet(path).sheet.source.id == source_id:
                found.append(path)
        except (DataError, UnicodeDecodeError):
            continue  # reported by the validation below
    return found


def apply_sheet(
    sheet_path: Path,
    *,
    data_dir: Path,
    store: str | Path | Store | None = None,
    progress: Progress = silent,
) -> ApplyResult:
    """Validate the fact sheet at ``sheet_path`` with ``data_dir`` and merge it into both; all or nothing.

    ``store`` is a location (opened for writing here, when a store is there) or a store already opened for writing.
    """
    sheet_path = Path(sheet_path)
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), None, None, "no such data folder")])
    if sheet_path.suffix not in FACT_SHEET_SUFFIXES:
        raise DataError([Problem(str(sheet_path), None, None, "a fact sheet is a .yaml, .yml or .json file")])
    with writable_store(store, progress=progress) as opened:
        recover(data_dir, store=opened, progress=progress)
        loaded = read_fact_sheet(sheet_path)
        source_id = loaded.sheet.source.id
        replaced = _same_source_files(data_dir, source_id)
        target = data_dir / f"{source_id}{'.json' if sheet_path.suffix == '.json' else '.yaml'}"
        others = [p for p in (collect_files([data_dir]) if any(data_dir.iterdir()) else []) if p not in replaced]
        others = [p for p in others if p.resolve() != sheet_path.resolve()]
        local = opened is not None
        carried = _carried_entities(loaded.sheet, replaced, others, opened if local else None)
        raw = _as_applied(loaded, sheet_path, carried)
        graph = graph_name(source_id)
        if opened is not None:  # checked and compiled against the store: the cost follows the sheet, not the landscape
            progress(f"validating {sheet_path} against the store")
            applied = parse_fact_sheet(raw.decode("utf-8"), str(sheet_path)) if carried else loaded
            triples = compile_alone(applied, opened, data_dir=data_dir, check=True)
            graphs = graphs_after({graph: triples}, opened, data_dir=data_dir)
        else:
            progress(f"validating {sheet_path} with {len(others)} data file(s)")
            with tempfile.TemporaryDirectory() as scratch:
                checked = sheet_path  # the reviewer's file, so that problems are reported where they can be fixed
                if carried:
                    checked = Path(scratch) / sheet_path.name
                    checked.write_bytes(raw)
                assembly = assemble([*others, checked], infer=False)
            triples = assembly.graphs.get(graph, [])
            graphs = graphs_to_write(assembly.graphs, [graph], opened)
        files: dict[Path, bytes | None] = {old: None for old in replaced if old.resolve() != target.resolve()}
        files[target] = raw
        if opened is None:
            progress("no store to update: run 'kgraph build' to create one")
        try:
            result = commit(
                Write("apply", source_id, files, graphs),
                data_dir=data_dir,
                store=opened,
                progress=progress,
            )
        except OSError as error:
            raise KgraphError(f"cannot write {target}: {error.strerror}; nothing was changed") from None
    return ApplyResult(
        source_id, target, replaced, len(triples), result.store_updated, result.before.get(graph.value, 0)
    )


def _carried_entities(sheet: FactSheet, replaced: list[Path], others: list[Path], store: Store | None) -> list[Entity]:
    """Entities the replaced version of the source declared that the new one uses (or other sources do) without
    declaring them: a source ingested again resolves its own entities as known ones, and must keep declaring them.

    Other sources' use is read from ``store`` when given (an object of a triple in another graph), else from their
    sheets."""
    declared = {entity.id for entity in sheet.entities}
    old = [e for path in replaced for e in read_fact_sheet(path).sheet.entities if e.id not in declared]
    if not old:
        return []
    if store is None:
        users = [sheet, *(read_fact_sheet(p).sheet for p in others if p.suffix in FACT_SHEET_SUFFIXES)]
        return entities_still_used(old, users)
    own = graph_name(sheet.source.id)
    elsewhere = [
        entity.id
        for entity in old
        if any(q.graph_name not in (own, INFERRED) for q in store.quads_for_pattern(None, None, KGD[entity.id]))
    ]
    return entities_still_used(old, [sheet], also=elsewhere)


def _as_applied(loaded: LoadedSheet, sheet_path: Path, carried: list[Entity]) -> bytes:
    """The sheet as it goes into data/: the reviewer's file as it is, unless it quotes the article or must carry
    entities over from the version it replaces.

    Evidence text is for review only; the curated data keeps facts and evidence offsets, never an article's
    sentences, so a sheet that still quotes its evidence is written again without the quotes.
    """
    quotes = any(evidence.text for fact in loaded.sheet.facts for evidence in fact.evidence)
    if not quotes and not carried:
        return sheet_path.read_bytes()
    sheet = loaded.sheet.model_copy(update={"entities": [*loaded.sheet.entities, *carried]})
    data = sheet.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    for fact in data.get("facts", []):
        for evidence in fact.get("evidence", []):
            evidence.pop("text", None)
    if sheet_path.suffix == ".json":
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    header = "# Applied by 'kgraph apply' from a reviewed sheet; evidence keeps character offsets only.\n"
    if carried:
        header += f"# Kept from the version it replaces: {', '.join(e.id for e in carried)}.\n"
    return (header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)).encode("utf-8")
