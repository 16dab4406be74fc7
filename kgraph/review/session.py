"""One review of a proposed fact sheet: what the page shows, and what its Apply button does with the decisions.

The page is given the sheet's facts (each with its evidence offsets and the fields a reviewer may edit), the article
they point into, and the sheet's new entities with the graph's entities they might be. The reviewer's decisions come
back as ``{"facts": {id: {"decision": "accept" | "reject" | "edit", "fields": {...}}}, "links": {new id: existing
id}}``; :meth:`ReviewSession.apply` keeps the accepted and edited facts (an ``unverified`` fact only once edited
with the mark removed), points links at the existing entities, and hands the sheet to
:func:`kgraph.ingest.apply.apply_sheet`, the function behind ``kgraph apply``.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from kgraph.errors import DataError, KgraphError
from kgraph.factsheet.models import FACT_KINDS, FactSheet
from kgraph.factsheet.read import LoadedSheet, read_fact_sheet
from kgraph.ingest.apply import ApplyResult, apply_sheet
from kgraph.ingest.batch import ArticleInfo, read_article, sheet_with
from kgraph.resolve import EntityIndex
from kgraph.vocabulary import KGD

#: The header line of a sheet written by ``kgraph ingest`` that names its article.
ARTICLE_HEADER = "# article: "
#: Fields of a fact that say what it is and where it stands: shown, never edited.
FIXED_FIELDS = ("id", "kind", "evidence")
#: Fields of facts and entities that name an entity.
REFERENCE_FIELDS = frozenset(
    {"subject", "object", "participants", "investors", "units", "unit", "attributed_to", "market", "developer",
     "unit_of", "member_of"}
)  # fmt: skip


class ReviewError(KgraphError):
    """The decisions cannot be applied; ``problems`` says why, one message each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def article_named_in(sheet_path: Path) -> Path | None:
    """The article a YAML sheet from ``kgraph ingest`` names in its header, relative to the sheet's folder."""
    if sheet_path.suffix == ".json":
        return None
    with sheet_path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.startswith("#"):
                return None
            if line.startswith(ARTICLE_HEADER):
                return sheet_path.parent / line[len(ARTICLE_HEADER) :].strip()
    return None


@dataclass
class ReviewSession:
    """A sheet under review, its article, and where accepted facts go."""

    sheet_path: Path
    loaded: LoadedSheet
    article: str | None
    article_name: str | None
    index: EntityIndex
    data_dir: Path
    store: str | Path | None = None

    @classmethod
    def open(
        cls,
        sheet_path: Path,
        *,
        article: Path | None = None,
        data_dir: Path,
        store: str | Path | None = None,
        index: EntityIndex | None = None,
    ) -> ReviewSession:
        """Read the sheet and its article (given, or named in the sheet's header) and the graph's names."""
        from kgraph.ingest.graph import entity_index

        loaded = read_fact_sheet(sheet_path)
        location = article or article_named_in(sheet_path)
        text = None
        if location is not None:
            document, _ = read_article(str(location), ArticleInfo())
            text = document.text
        if index is None:
            index = entity_index(store=store, data=[data_dir])
        name = str(location) if location else None
        return cls(Path(sheet_path), loaded, text, name, index, Path(data_dir), store)

    @property
    def sheet(self) -> FactSheet:
        return self.loaded.sheet

    def page_data(self) -> dict[str, Any]:
        """What the page shows, as JSON-ready data."""
        sheet = self.sheet
        facts = []
        for fact in sheet.facts:
            dumped = fact.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
            fields = {key: value for key, value in dumped.items() if key not in FIXED_FIELDS}
            evidence = [{"start": e.start, "end": e.end, "text": e.text} for e in fact.evidence]
            editable = [
                {"name": name, "json": _structured(info.annotation)}
                for name, info in type(fact).model_fields.items()
                if name not in FIXED_FIELDS
            ]
            facts.append(
                {"id": fact.id, "kind": fact.kind, "fields": fields, "editable": editable, "evidence": evidence}
            )
        entities = [
            {
                "id": entity.id,
                "name": entity.name,
                "type": entity.type,
                "description": entity.description,
                "candidates": self._candidates(entity.name, entity.aliases),
            }
            for entity in sheet.entities
            if entity.proposed
        ]
        source = sheet.source
        published = source.published.value if source.published else None
        applied = self.applied_facts()
        return {
            "source": {"id": source.id, "title": source.title, "published": published},
            "sheet": str(self.sheet_path),
            "article": self.article,
            "articleName": self.article_name,
            "facts": facts,
            "entities": entities,
            "applied": {key: value for key, value in applied.items() if key in {fact.id for fact in sheet.facts}},
        }

    def applied_facts(self) -> dict[str, dict[str, Any]]:
        """This source's facts already in data/ (from 'ingest --apply' or an earlier review), by id, as their editable
        fields: the page starts them as edits to keep, so applying again keeps them as they are."""
        from kgraph.ingest.apply import _same_source_files

        found: dict[str, dict[str, Any]] = {}
        for path in _same_source_files(self.data_dir, self.sheet.source.id):
            for fact in read_fact_sheet(path).sheet.facts:
                dumped = fact.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
                found[fact.id] = {key: value for key, value in dumped.items() if key not in FIXED_FIELDS}
        return found

    def _candidates(self, name: str, aliases: list[str]) -> list[dict[str, Any]]:
        found = {c.iri: c for text in [name, *aliases] for c in self.index.lookup(text)}
        for label in self.index.suggest(name, limit=5):
            found.update({c.iri: c for c in self.index.lookup(label)})
        return [
            {"id": iri[len(str(KGD)) :], "label": c.label, "types": list(c.types)}
            for iri, c in sorted(found.items(), key=lambda item: item[1].label.casefold())
            if iri.startswith(str(KGD))
        ]

    def reviewed_sheet(self, decisions: dict[str, Any]) -> FactSheet:
        """The sheet holding exactly the accepted and edited facts, links applied; :class:`ReviewError` if invalid."""
        chosen = decisions.get("facts") if isinstance(decisions, dict) else None
        links = decisions.get("links") or {} if isinstance(decisions, dict) else {}
        if not isinstance(chosen, dict) or not isinstance(links, dict):
            raise ReviewError(["the decisions are not in the expected form"])
        problems: list[str] = []
        known = {iri[len(str(KGD)) :] for iri in self.index.candidates if iri.startswith(str(KGD))}
        proposed = {entity.id for entity in self.sheet.entities if entity.proposed}
        links = {new: old for new, old in links.items() if old}
        for new, old in links.items():
            if new not in proposed or old not in known:
                problems.append(f"cannot link {new!r} to {old!r}: not a new entity and an entity of the graph")
        facts = []
        for fact in self.sheet.facts:
            decision = chosen.get(fact.id) or {}
            verdict = decision.get("decision") if isinstance(decision, dict) else None
            if verdict not in ("accept", "edit"):
                continue
            data = fact.model_dump(mode="json", exclude_none=True)
            if verdict == "edit":
                fields = decision.get("fields")
                if not isinstance(fields, dict):
                    problems.append(f"{fact.id}: the edit has no fields")
                    continue
                data = {key: data[key] for key in FIXED_FIELDS if key in data} | {
                    key: value for key, value in fields.items() if key not in FIXED_FIELDS
                }
            if data.get("unverified"):
                problems.append(
                    f"{fact.id}: unverified ({data['unverified']}): check it against the article, edit it and clear "
                    "'unverified', or reject it"
                )
            facts.append(_relinked(data, links))
        if not facts and not problems:
            problems.append("no fact is accepted: accept or edit at least one")
        if problems:
            raise ReviewError(problems)
        data = self.sheet.model_dump(mode="json", exclude_none=True)
        data["entities"] = [_relinked(e, links) for e in data.get("entities", []) if e["id"] not in links]
        data["facts"] = facts
        try:
            sheet = FactSheet.model_validate(data)
        except ValidationError as error:
            raise ReviewError([_described(item, data) for item in error.errors()]) from None
        return sheet_with(sheet, list(sheet.facts))

    def apply(self, decisions: dict[str, Any]) -> ApplyResult:
        """Apply the accepted and edited facts with ``kgraph apply``'s function: all of them or nothing."""
        sheet = self.reviewed_sheet(decisions)
        body = yaml.safe_dump(
            sheet.model_dump(mode="json", exclude_none=True, exclude_defaults=True),
            sort_keys=False,
            allow_unicode=True,
            width=110,
        )
        with tempfile.TemporaryDirectory(prefix="kgraph-review-") as scratch:
            reviewed = Path(scratch) / f"{sheet.source.id}.yaml"
            reviewed.write_text("# Reviewed with 'kgraph review'.\n" + body, encoding="utf-8")
            try:
                return apply_sheet(reviewed, data_dir=self.data_dir, store=self.store)
            except DataError as error:
                raise ReviewError(
                    [f"{p.where}: {p.message}" if p.where else p.message for p in error.problems]
                ) from None


def _structured(annotation: Any) -> bool:  # noqa: ANN401 - a type annotation
    """Whether a field holds a list or a nested model (edited as JSON) rather than one text, number or flag."""
    if get_origin(annotation) is list:
        return True
    options = get_args(annotation) or (annotation,)
    return any(_structured(option) if get_args(option) else isinstance(option, type) and issubclass(option, BaseModel)
               for option in options)  # fmt: skip


def _relinked(value: dict[str, Any], links: dict[str, str]) -> dict[str, Any]:
    """``value`` with every reference to a linked new entity pointed at the existing one."""

    def swap(item: Any) -> Any:  # noqa: ANN401 - JSON
        if isinstance(item, str):
            return links.get(item, item)
        if isinstance(item, list):
            return [swap(element) for element in item]
        return item

    result = {}
    for key, item in value.items():
        if key in REFERENCE_FIELDS:
            result[key] = swap(item)
        elif key == "reductions" and isinstance(item, list):
            result[key] = [_relinked(r, links) if isinstance(r, dict) else r for r in item]
        else:
            result[key] = item
    return result


def _described(error: Any, data: dict[str, Any]) -> str:  # noqa: ANN401 - a pydantic error entry
    location = list(error["loc"])
    where = ".".join(str(part) for part in location)
    if len(location) >= 2 and location[0] == "facts" and isinstance(location[1], int):
        fact_id = data["facts"][location[1]].get("id", "?")
        where = ".".join(str(part) for part in location[2:] if not isinstance(part, str) or part not in FACT_KINDS)
        return f"{fact_id}: {where or 'fact'}: {error['msg'].removeprefix('Value error, ')}"
    return f"{where}: {error['msg'].removeprefix('Value error, ')}"
