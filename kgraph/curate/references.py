"""Identifiers that a fact sheet refers to (not those it declares), found and rewritten over the sheet's fields."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from kgraph.factsheet.models import Entity, FactSheet, Source

#: Fields that hold text, never an identifier.
TEXT_FIELDS = frozenset(
    {
        "id", "kind", "type", "name", "aliases", "description", "title", "note", "claims", "scope", "scale", "text",
        "label", "base", "extras", "url", "website", "language", "notice_period", "notice_applies_to", "formula",
        "applies_to", "currency", "value", "precision", "round", "trend", "metric", "country", "wikidata", "unit",
        "unverified",
    }
)  # fmt: skip
#: Fields named ``unit`` hold an identifier inside a reduction, text inside a share (``percent``).
REFERENCE_IN = {"unit": "reductions"}


def _walk(value: Any, visit: Callable[[str], str], parent: str | None = None) -> Any:
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            is_text = key in TEXT_FIELDS and REFERENCE_IN.get(key) != parent
            result[key] = item if is_text else _walk(item, visit, key)
        return result
    if isinstance(value, list):
        return [_walk(item, visit, parent) for item in value]
    if isinstance(value, str):
        return visit(value)
    return value


def references(sheet: FactSheet) -> set[str]:
    """Every identifier that ``sheet`` refers to (its own declarations included when it uses them)."""
    found: set[str] = set()

    def keep(text: str) -> str:
        found.add(text)
        return text

    _walk(sheet.model_dump(mode="json"), keep)
    return found


def rewritten(sheet: FactSheet, renames: Mapping[str, str]) -> dict[str, Any]:
    """``sheet`` as plain data with each reference in ``renames`` replaced (declared ids are left alone)."""
    data = sheet.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    return _walk(data, lambda text: renames.get(text, text))


def entities_still_used(
    declared: list[Entity], users: Iterable[FactSheet], *, also: Iterable[str] = ()
) -> list[Entity]:
    """The entities of ``declared`` that ``users`` refer to (and those of ``also``), with the ones those refer to in
    turn, sorted by id."""
    by_id = {entity.id: entity for entity in declared}
    wanted = (set().union(*(references(sheet) for sheet in users)) | set(also)) & set(by_id)
    pending = list(wanted)
    while pending:
        entity = by_id[pending.pop()]
        for ref in references(FactSheet(source=Source(id="x"), entities=[entity])) & set(by_id):
            if ref not in wanted:
                wanted.add(ref)
                pending.append(ref)
    return [by_id[identifier] for identifier in sorted(wanted)]
