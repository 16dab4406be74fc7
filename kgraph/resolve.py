"""Find entities by name: labels and aliases, case and punctuation folded, legal suffixes ignored."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgraph import sparql
from kgraph.errors import KgraphError
from kgraph.store.base import SelectResult, Store
from kgraph.vocabulary import KGD

LEGAL_SUFFIXES = (
    "co ltd",
    "co limited",
    "company limited",
    "company",
    "co",
    "corporation",
    "corp",
    "incorporated",
    "inc",
    "limited",
    "ltd",
    "llc",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "nv",
    "bv",
    "holdings",
    "holding",
    "group",
    "technology",
    "technologies",
    "tech",
)
_SUFFIX = re.compile(r"(?:\s+(?:" + "|".join(re.escape(s) for s in LEGAL_SUFFIXES) + r"))+$")


def fold(text: str) -> str:
    """A name reduced for matching: NFKC, case-folded, punctuation to spaces, legal suffixes dropped."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[^\w]+", " ", text).strip()
    stripped = _SUFFIX.sub("", text).strip()
    return stripped or text


@dataclass(frozen=True)
class Candidate:
    """An entity that a name may refer to."""

    iri: str
    label: str
    types: tuple[str, ...]
    names: tuple[str, ...] = field(default=())


class UnknownEntityError(KgraphError, LookupError):
    """No entity has that name; the message suggests close matches."""

    def __init__(self, text: str, suggestions: list[str]) -> None:
        self.text = text
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(f"no entity is called {text!r}{hint}")


class AmbiguousEntityError(KgraphError, LookupError):
    """Several entities have that name; the message lists them."""

    def __init__(self, text: str, candidates: list[Candidate]) -> None:
        self.text = text
        self.candidates = candidates
        listed = "; ".join(f"{c.label} <{c.iri}> ({', '.join(c.types)})" for c in candidates)
        super().__init__(f"{text!r} names {len(candidates)} entities: {listed}. Use the IRI to pick one.")


class EntityIndex:
    """Names of the entities in a landscape, folded for lookup."""

    def __init__(self, rows: Iterable[tuple[str, str, bool, str]], *, merged: Mapping[str, str] | None = None) -> None:
        """``rows`` are (IRI, name, whether the name is the label, class IRI); ``merged`` maps the IRI of an entity
        merged into another (``owl:sameAs``, see :mod:`kgraph.curate.merge`) to the IRI of the one kept."""
        self.merged = dict(merged or {})
        names: dict[str, list[str]] = defaultdict(list)
        types: dict[str, set[str]] = defaultdict(set)
        for iri, name, _primary, kind in sorted(rows, key=lambda row: (row[0], not row[2], row[1])):
            if name not in names[iri]:
                names[iri].append(name)
            types[iri].add(kind.rsplit("#", 1)[-1])
        self._by_fold: dict[str, set[str]] = defaultdict(set)
        self.candidates: dict[str, Candidate] = {}
        for iri, entity_names in names.items():
            self.candidates[iri] = Candidate(iri, entity_names[0], tuple(sorted(types[iri])), tuple(entity_names))
            for name in entity_names:
                self._by_fold[fold(name)].add(iri)

    @classmethod
    def from_store(cls, store: Store) -> EntityIndex:
        result = store.query(sparql.load("entity_names"))
        assert isinstance(result, SelectResult)
        rows = [(row["entity"].value, row["name"].value, "primary" in row, row["type"].value) for row in result]
        merged = store.query(sparql.load("merged_entities"))
        assert isinstance(merged, SelectResult)
        return cls(rows, merged={row["merged"].value: row["entity"].value for row in merged})

    def lookup(self, text: str, *, types: Iterable[str] | None = None) -> list[Candidate]:
        """Every entity whose label or alias matches ``text`` once folded (an IRI matches itself, and the IRI of a
        merged entity the one it was merged into)."""
        text = self.merged.get(text, text)
        if text in self.candidates:
            return [self.candidates[text]]
        wanted = set(types or ())
        found = [self.candidates[iri] for iri in sorted(self._by_fold.get(fold(text), ()))]
        return [c for c in found if not wanted or wanted & set(c.types)]

    def resolve(self, text: str, *, types: Iterable[str] | None = None) -> Candidate:
        """The one entity ``text`` names; raise :class:`UnknownEntityError` or :class:`AmbiguousEntityError`."""
        found = self.lookup(text, types=types)
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousEntityError(text, found)
        raise UnknownEntityError(text, self.suggest(text))

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Names close to ``text``."""
        labels = {name: c.label for c in self.candidates.values() for name in c.names}
        folded = {fold(name): name for name in labels}
        close = difflib.get_close_matches(fold(text), list(folded), n=limit, cutoff=0.6)
        prefix = [name for key, name in folded.items() if key.startswith(fold(text)) and fold(text)]
        return list(dict.fromkeys([labels[folded[c]] for c in close] + [labels[n] for n in prefix]))[:limit]


def kept_entity(store: Store, node: ox.NamedNode) -> ox.NamedNode:
    """The entity that ``node`` was merged into (``owl:sameAs``, see :mod:`kgraph.curate.merge`), else ``node``."""
    if not node.value.startswith(str(KGD)):
        return node
    result = store.query(sparql.load("merged_entities"), bindings={"merged": node})
    assert isinstance(result, SelectResult)
    return next((row["entity"] for row in result), node)  # type: ignore[return-value]
