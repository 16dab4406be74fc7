"""``kgraph merge KEEP OTHER``: two entities that turn out to be one become the first, in every sheet of data/.

Every reference to ``OTHER`` in every fact sheet is rewritten to ``KEEP``; ``OTHER``'s declaration is removed and its
name and aliases become aliases of ``KEEP`` (so both names still resolve), and the fields ``KEEP`` lacks are taken
from it. ``KEEP``'s declaration lists ``OTHER`` under ``merged``, which compiles to ``KEEP owl:sameAs OTHER``: the
old IRI resolves to ``KEEP`` wherever an entity is named (named questions, the API, the CLI). The merge is also
recorded in the change log (``merge``, with both identifiers). The rewritten sheets are
written again from their models: the comments at their top are kept, those further down are lost. Both entities
must be of one family (organisations, products, or the same class otherwise); an entity merged with itself, a
fact, or a name that fits several entities is refused, and so is an entity that a Turtle file of data/ names (such
files are not rewritten).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from kgraph.compile import TURTLE_SUFFIXES
from kgraph.curate.local import compile_alone, graphs_after
from kgraph.curate.references import rewritten
from kgraph.curate.retract import data_sources
from kgraph.curate.write import Write, WriteResult, commit, graphs_to_write, recover, writable_store
from kgraph.errors import DataError, KgraphError, Problem
from kgraph.factsheet.models import ORGANIZATION_TYPES, PRODUCT_TYPES, Entity, FactSheet
from kgraph.factsheet.read import FACT_SHEET_SUFFIXES, LoadedSheet, parse_fact_sheet, read_fact_sheet
from kgraph.mapping import graph_name
from kgraph.pipeline import Assembly, assemble
from kgraph.progress import Progress, silent
from kgraph.resolve import fold
from kgraph.store.base import Store
from kgraph.vocabulary import KGD

FAMILIES = (frozenset(ORGANIZATION_TYPES), frozenset(PRODUCT_TYPES))


@dataclass(frozen=True)
class MergeResult:
    """The entity kept, the one merged into it, and the sheets rewritten."""

    kept: str
    merged: str
    rewritten_files: list[Path]
    write: WriteResult


def merge(
    keep: str, other: str, *, data_dir: Path, store: str | Path | Store | None = None, progress: Progress = silent
) -> MergeResult:
    """Merge the entity named ``other`` into the one named ``keep`` (see the module's docstring)."""
    data_dir = Path(data_dir)
    with writable_store(store, progress=progress) as opened:
        recover(data_dir, store=opened, progress=progress)
        files = [p for paths in data_sources(data_dir).values() for p in paths]
        sheets = {p: read_fact_sheet(p) for p in files if p.suffix in FACT_SHEET_SUFFIXES}
        entities = {e.id: e for loaded in sheets.values() for e in loaded.sheet.entities}
        kept, merged = _entity(keep, entities, data_dir), _entity(other, entities, data_dir)
        _check(kept, merged, files)
        new_files = {p: b for p, loaded in sheets.items() if (b := _merged_sheet(loaded, kept, merged)) is not None}
        changed = {graph_name(sheets[p].sheet.source.id): p for p in new_files}
        if opened is not None:  # checked against the store: the cost follows the sheets rewritten
            progress(f"validating {len(new_files)} rewritten sheet(s) against the store")
            compiled = {
                graph: compile_alone(
                    parse_fact_sheet(new_files[path].decode("utf-8"), str(path)),
                    opened,
                    data_dir=data_dir,
                    check=True,
                    leaving=list(changed),
                )
                for graph, path in changed.items()
            }
            graphs = graphs_after(compiled, opened, data_dir=data_dir)
        else:
            graphs = graphs_to_write(_assembled(files, new_files, progress).graphs, list(changed), opened)
        note = f"{merged.id} merged into {kept.id}; '{merged.name}' kept as an alias"
        write = Write("merge", f"{kept.id} <- {merged.id}", dict(new_files), graphs, note=note)
        result = commit(write, data_dir=data_dir, store=opened, progress=progress)
    return MergeResult(kept.id, merged.id, list(new_files), result)


def _assembled(files: list[Path], new_files: dict[Path, bytes], progress: Progress) -> Assembly:
    """All of data/ with the rewritten sheets, compiled and validated (for a store other than Oxigraph)."""
    with tempfile.TemporaryDirectory() as scratch:
        inputs = [p for p in files if p not in new_files]
        for number, (path, content) in enumerate(new_files.items()):
            staged = Path(scratch) / str(number) / path.name
            staged.parent.mkdir()
            staged.write_bytes(content)
            inputs.append(staged)
        progress(f"validating data/ with {len(new_files)} sheet(s) rewritten")
        return assemble(inputs, infer=False)


def _entity(name: str, entities: dict[str, Entity], data_dir: Path) -> Entity:
    """The entity ``name`` names: an identifier, a name or an alias (case and punctuation ignored)."""
    name = name.removeprefix(str(KGD)).removeprefix("kgd:")
    if name in entities:
        return entities[name]
    exact = [e for e in entities.values() if name.casefold() in {n.casefold() for n in (e.name, *e.aliases)}]
    if len(exact) == 1:
        return exact[0]
    folded = fold(name)
    found = exact or [e for e in entities.values() if folded in {fold(n) for n in (e.name, *e.aliases)}]
    if len(found) == 1:
        return found[0]
    if found:
        listed = ", ".join(f"{e.name} ({e.id})" for e in found)
        raise KgraphError(f"{name!r} fits several entities: {listed}; give an identifier")
    raise DataError([Problem(str(data_dir), None, None, f"no entity {name!r} is declared in a fact sheet here")])


def _check(kept: Entity, merged: Entity, files: list[Path]) -> None:
    if kept.id == merged.id:
        raise KgraphError(f"{kept.name} ({kept.id}) cannot be merged with itself")
    same_family = kept.type == merged.type or any({kept.type, merged.type} <= family for family in FAMILIES)
    if not same_family:
        raise KgraphError(
            f"{merged.name} ({merged.id}) is a {merged.type} and {kept.name} ({kept.id}) a {kept.type}: "
            "entities of incompatible classes are not merged"
        )
    named = re.compile(rf"<{re.escape(str(KGD))}{merged.id}>|\bkgd:{merged.id}(?![\w-])")
    for path in files:
        if path.suffix in TURTLE_SUFFIXES and named.search(path.read_text(encoding="utf-8")):
            raise KgraphError(f"{path} names {merged.id}: edit that file first (merge rewrites fact sheets only)")


def _merged_sheet(loaded: LoadedSheet, kept: Entity, merged: Entity) -> bytes | None:
    """The sheet with ``merged`` rewritten to ``kept``; ``None`` when the merge does not change it."""
    sheet = loaded.sheet
    original = sheet.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data = rewritten(sheet, {merged.id: kept.id})
    entities = []
    for entity in data.get("entities", []):
        if entity["id"] == merged.id:
            continue
        if entity["id"] == kept.id:
            entity = _absorbed(entity, merged)
        entities.append(entity)
    if "entities" in data:
        data["entities"] = entities
    if data == original:
        return None
    FactSheet.model_validate(data)  # a merge must leave a valid sheet
    lines = Path(loaded.file).read_text(encoding="utf-8").splitlines(keepends=True)
    kept_comments = "".join(line for line in _leading(lines) if line.startswith("#"))
    header = kept_comments + f"# Rewritten by 'kgraph merge': {merged.id} merged into {kept.id}.\n"
    return (header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)).encode("utf-8")


def _leading(lines: list[str]) -> list[str]:
    """The comment lines at the top of a file (the curator's notes about the source), kept when it is rewritten."""
    leading = []
    for line in lines:
        if not line.startswith("#"):
            break
        leading.append(line)
    return leading


def _absorbed(entity: dict, merged: Entity) -> dict:
    """``entity`` (plain data) with ``merged``'s names as aliases and the fields it lacks taken from ``merged``."""
    names = [n for n in (merged.name, *merged.aliases) if n.casefold() != entity["name"].casefold()]
    aliases = list(dict.fromkeys([*entity.get("aliases", []), *names]))
    extra = merged.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    for field in ("description", "country", "wikidata", "website", "developer", "unit_of", "member_of"):
        if field in extra and field not in entity:
            entity[field] = extra[field]
    for field in ("industries", "markets"):
        combined = list(dict.fromkeys([*entity.get(field, []), *extra.get(field, [])]))
        if combined:
            entity[field] = combined
    entity["merged"] = list(dict.fromkeys([*entity.get("merged", []), *extra.get("merged", []), merged.id]))
    return {**entity, "aliases": aliases} if aliases else entity
