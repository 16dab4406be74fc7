"""Merge a reviewed fact sheet into the landscape: validate it with the curated data, add it to data/, update the store.

The sheet is checked exactly as ``kgraph build`` checks data (pydantic models, references across files, SHACL
shapes) together with every other file of data/. Only then is anything written: the source's named graph in the
store is replaced (so applying a source again replaces its facts instead of adding them twice), and the sheet is
written to data/ under the source's identifier. If any step fails, data/ and the store are left as they were.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import yaml

from kgraph.compile import collect_files
from kgraph.errors import DataError, KgraphError, Problem
from kgraph.factsheet.read import FACT_SHEET_SUFFIXES, LoadedSheet, read_fact_sheet
from kgraph.mapping import graph_name
from kgraph.pipeline import assemble
from kgraph.progress import Progress, silent
from kgraph.store.base import Store
from kgraph.store.locate import store_exists


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
            if read_fact_sheet(path).sheet.source.id == source_id:
                found.append(path)
        except DataError:
            continue  # reported by the validation below
    return found


def apply_sheet(
    sheet_path: Path,
    *,
    data_dir: Path,
    store: str | Path | None = None,
    progress: Progress = silent,
) -> ApplyResult:
    """Validate the fact sheet at ``sheet_path`` with ``data_dir`` and merge it into both; all or nothing."""
    sheet_path = Path(sheet_path)
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), None, None, "no such data folder")])
    if sheet_path.suffix not in FACT_SHEET_SUFFIXES:
        raise DataError([Problem(str(sheet_path), None, None, "a fact sheet is a .yaml, .yml or .json file")])
    loaded = read_fact_sheet(sheet_path)
    raw = _without_quotes(loaded, sheet_path)
    source_id = loaded.sheet.source.id
    replaced = _same_source_files(data_dir, source_id)
    target = data_dir / f"{source_id}{'.json' if sheet_path.suffix == '.json' else '.yaml'}"
    others = [p for p in (collect_files([data_dir]) if any(data_dir.iterdir()) else []) if p not in replaced]
    if sheet_path.resolve() in {p.resolve() for p in others}:
        others = [p for p in others if p.resolve() != sheet_path.resolve()]
    progress(f"validating {sheet_path} with {len(others)} data file(s)")
    assembly = assemble([*others, sheet_path], infer=False)
    triples = assembly.graphs.get(graph_name(source_id), [])

    opened: Store | None = None
    previous: list[ox.Triple] = []
    if store_exists(store):
        from kgraph.store import open_store

        opened = open_store(store, read_only=False, on_wait=progress)
    try:
        if opened is not None:
            graph = graph_name(source_id)
            previous = [quad.triple for quad in opened.quads(graph)]
            progress(f"replacing graph <{graph.value}> in the store ({len(previous)} -> {len(triples)} triples)")
            try:
                opened.replace_graph(graph, triples)
                _write_atomically(target, raw)
            except BaseException:
                _restore(opened, graph, previous)
                raise
        else:
            progress("no store to update: run 'kgraph build' to create one")
            _write_atomically(target, raw)
    except OSError as error:
        raise KgraphError(f"cannot write {target}: {error.strerror}; nothing was changed") from None
    finally:
        if opened is not None:
            opened.close()
        # Drop the store now: pyshacl can keep this frame alive, and an open store holds the folder's lock.
        updated, opened = opened is not None, None
    for old in replaced:
        if old.resolve() != target.resolve():
            old.unlink()
    return ApplyResult(source_id, target, replaced, len(triples), updated, len(previous))


def _without_quotes(loaded: LoadedSheet, sheet_path: Path) -> bytes:
    """The sheet as it goes into data/: the reviewer's file as it is, unless it quotes the article.

    Evidence text is for review only; the curated data keeps facts and evidence offsets, never an article's
    sentences, so a sheet that still quotes its evidence is written again without the quotes.
    """
    quotes = any(evidence.text for fact in loaded.sheet.facts for evidence in fact.evidence)
    if not quotes:
        return sheet_path.read_bytes()
    data = loaded.sheet.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    for fact in data.get("facts", []):
        for evidence in fact.get("evidence", []):
            evidence.pop("text", None)
    if sheet_path.suffix == ".json":
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    header = "# Applied by 'kgraph apply' from a reviewed sheet; evidence keeps character offsets only.\n"
    return (header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)).encode("utf-8")


def _restore(store: Store, graph: ox.NamedNode, previous: list[ox.Triple]) -> None:
    if previous:
        store.replace_graph(graph, previous)
    else:
        store.remove_graph(graph)


def _write_atomically(target: Path, raw: bytes) -> None:
    handle, scratch = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(raw)
        os.replace(scratch, target)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise
