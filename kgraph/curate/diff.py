"""``kgraph diff OLD NEW``: two builds or exports compared by facts, not by triples.

Each side is a build folder (its ``landscape.trig``, else its store) or an RDF file of any format kgraph exports.
Triples are grouped by the fact or entity they describe (a fact's parts belong to the fact: see
:func:`kgraph.curate.changes.fact_key`), which graph holds them does not matter, and the ontology's and the inferred
graph are left out. A fact is added, removed, or changed (with the values that changed).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from kgraph.curate.changes import fact_key
from kgraph.errors import DataError, Problem
from kgraph.infer import INFERRED
from kgraph.vocabulary import ONTOLOGY_GRAPH

RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
XSD_DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")


@dataclass(frozen=True)
class FactChange:
    """One fact added, removed or changed, with its label and (when changed) what changed."""

    key: str
    label: str
    change: str  # "added", "removed" or "changed"
    differences: list[str] = field(default_factory=list)


def read_side(path: Path) -> set[ox.Triple]:
    """The asserted triples of a build folder or an RDF file (the ontology's and the inferred graph left out)."""
    from kgraph.exchange import read_rdf

    path = Path(path)
    if path.is_dir():
        trig, store = path / "landscape.trig", path / "store"
        if trig.is_file():
            path = trig
        elif store.is_dir() or (path / "CURRENT").is_file():  # a build folder's store, or a store's own folder
            from kgraph.store.oxigraph import OxigraphStore

            with OxigraphStore.open(store if store.is_dir() else path, read_only=True) as opened:
                return {_canonical(q.triple) for q in opened.quads() if q.graph_name not in (INFERRED, ONTOLOGY_GRAPH)}
        else:
            raise DataError([Problem(str(path), None, None, "neither a build folder, a store nor an RDF file")])
    return {_canonical(q.triple) for q in read_rdf(path) if q.graph_name not in (INFERRED, ONTOLOGY_GRAPH)}


def _canonical(triple: ox.Triple) -> ox.Triple:
    """``triple`` with a decimal object in its canonical form (``15.0`` and ``15`` are one value)."""
    term = triple.object
    if isinstance(term, ox.Literal) and term.datatype == XSD_DECIMAL:
        try:
            text = format(Decimal(term.value).normalize(), "f")
        except InvalidOperation:
            return triple
        return ox.Triple(triple.subject, triple.predicate, ox.Literal(text, datatype=XSD_DECIMAL))
    return triple


def diff(old: set[ox.Triple], new: set[ox.Triple]) -> list[FactChange]:
    """The facts that differ between ``old`` and ``new``, sorted by change and label."""
    before, after = _grouped(old), _grouped(new)
    changes = []
    for key in sorted(set(before) | set(after)):
        was, now = before.get(key, set()), after.get(key, set())
        if was == now:
            continue
        label = _label(now) or _label(was) or key
        if not was:
            changes.append(FactChange(key, label, "added"))
        elif not now:
            changes.append(FactChange(key, label, "removed"))
        else:
            changes.append(FactChange(key, label, "changed", _differences(was, now)))
    order = {"added": 0, "changed": 1, "removed": 2}
    return sorted(changes, key=lambda c: (order[c.change], c.label))


def _grouped(triples: set[ox.Triple]) -> dict[str, set[ox.Triple]]:
    grouped: dict[str, set[ox.Triple]] = defaultdict(set)
    for triple in triples:
        grouped[fact_key(triple.subject)].add(triple)  # type: ignore[arg-type]
    return grouped


def _label(triples: set[ox.Triple]) -> str | None:
    labels = sorted(
        t.object.value
        for t in triples
        if t.predicate == RDFS_LABEL and isinstance(t.object, ox.Literal) and "/" not in _local(t.subject)
    )
    return labels[0] if labels else None


def _local(node: object) -> str:
    text = getattr(node, "value", "")
    return text.split("/id/", 1)[-1] if "/id/" in text else ""


def _text(term: object) -> str:
    value = getattr(term, "value", str(term))
    return value.rsplit("#", 1)[-1] if isinstance(term, ox.NamedNode) else value


def _differences(was: set[ox.Triple], now: set[ox.Triple]) -> list[str]:
    """What changed, one line per subject and property: ``old → new``, or ``+ value`` / ``- value``."""
    removed: dict[tuple[str, str], list[str]] = defaultdict(list)
    added: dict[tuple[str, str], list[str]] = defaultdict(list)
    for triples, into in ((was - now, removed), (now - was, added)):
        for t in triples:
            part = _local(t.subject).partition("/")[2]
            into[(part, _text(t.predicate).rsplit("/", 1)[-1])].append(_text(t.object))
    lines = []
    for where in sorted(set(removed) | set(added)):
        name = f"{where[0]} {where[1]}" if where[0] else where[1]
        old, new = sorted(removed.get(where, [])), sorted(added.get(where, []))
        if len(old) == 1 and len(new) == 1:
            lines.append(f"{name}: {old[0]} → {new[0]}")
        else:
            lines.extend([f"{name}: - {value}" for value in old] + [f"{name}: + {value}" for value in new])
    return lines
