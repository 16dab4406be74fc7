"""The inferred graph brought up to date for a change of some graphs, without inferring the whole landscape again.

Every rule of :mod:`kgraph.infer` takes one premise, and the premises of a triple ``(s, p, o)`` are triples between
the same two nodes (``s`` with ``o``, or ``s`` with its classes): so only the triples entailed by what changed can
change status, and whether one of them is still entailed is decided by the asserted triples around its two nodes.
A change of the schema itself (subclasses, subproperties, inverses) makes everything a candidate: the inferred graph
is then computed again whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from kgraph.infer import (
    EQUIVALENT_CLASS,
    EQUIVALENT_PROPERTY,
    INFERRED,
    INVERSE,
    RDF_TYPE,
    SUBCLASS,
    SUBPROPERTY,
    SYMMETRIC,
    Schema,
    inferred_triples,
)
from kgraph.store.base import Store

SCHEMA_PREDICATES = (SUBCLASS, SUBPROPERTY, EQUIVALENT_CLASS, EQUIVALENT_PROPERTY, INVERSE)


@dataclass(frozen=True)
class InferredChange:
    """Triples to take out of the inferred graph and to put in; ``whole`` replaces the graph instead."""

    removed: frozenset[ox.Triple] = frozenset()
    added: frozenset[ox.Triple] = frozenset()
    whole: list[ox.Triple] | None = None


def is_schema(triple: ox.Triple) -> bool:
    """Whether ``triple`` changes what the ontology entails."""
    return triple.predicate in SCHEMA_PREDICATES or (triple.predicate == RDF_TYPE and triple.object == SYMMETRIC)


class _After:
    """The asserted triples as they will be once the changed graphs hold their new content."""

    def __init__(self, store: Store, changes: Mapping[ox.NamedNode, Iterable[ox.Triple]]) -> None:
        self.store = store
        self.left_out = {*changes, INFERRED}
        self.new: dict[ox.NamedNode | ox.BlankNode, set[ox.Triple]] = {}
        for triples in changes.values():
            for triple in triples:
                self.new.setdefault(triple.subject, set()).add(triple)  # type: ignore[arg-type]

    def matching(self, subject: ox.NamedNode | ox.BlankNode, predicate: ox.NamedNode | None, obj: object) -> set:
        found = {
            quad.triple
            for quad in self.store.quads_for_pattern(subject, predicate, obj, None)  # type: ignore[arg-type]
            if quad.graph_name not in self.left_out
        }
        found.update(
            t
            for t in self.new.get(subject, ())
            if (predicate is None or t.predicate == predicate) and (obj is None or t.object == obj)
        )
        return found

    def asserts(self, triple: ox.Triple) -> bool:
        return bool(self.matching(triple.subject, triple.predicate, triple.object))  # type: ignore[arg-type]


def _closure(schema: Schema, premises: Iterable[ox.Triple]) -> set[ox.Triple]:
    found: set[ox.Triple] = set()
    pending = list(premises)
    while pending:
        for entailed in schema.consequences(pending.pop()):
            if entailed not in found:
                found.add(entailed)
                pending.append(entailed)
    return found


def inferred_change(
    store: Store,
    old: Mapping[ox.NamedNode, set[ox.Triple]],
    new: Mapping[ox.NamedNode, set[ox.Triple]],
) -> InferredChange:
    """How the inferred graph of ``store`` changes when each graph of ``old`` (its current content) becomes ``new``."""
    touched = set().union(*(old[g] ^ new.get(g, set()) for g in old)) if old else set()
    after = _After(store, new)
    if any(is_schema(t) for t in touched):
        asserted = [q for q in store.quads_for_pattern(None, None, None, None) if q.graph_name not in after.left_out]
        asserted += [ox.Quad(t.subject, t.predicate, t.object, g) for g, triples in new.items() for t in triples]
        return InferredChange(whole=inferred_triples(asserted))
    schema_triples = [
        q.triple
        for predicate in SCHEMA_PREDICATES
        for q in store.quads_for_pattern(None, predicate, None, None)
        if q.graph_name != INFERRED
    ]
    schema_triples += [q.triple for q in store.quads_for_pattern(None, RDF_TYPE, SYMMETRIC, None)]
    schema = Schema(schema_triples)
    candidates = touched | _closure(schema, touched)
    removed, added = set(), set()
    for triple in candidates:
        should = not after.asserts(triple) and triple in _closure(schema, _premises(after, triple))
        subject, object = triple.subject, triple.object
        assert not isinstance(subject, ox.Triple) and not isinstance(object, ox.Triple)  # no RDF-star here
        present = next(iter(store.quads_for_pattern(subject, triple.predicate, object, INFERRED)), None)
        if should and present is None:
            added.add(triple)
        elif present is not None and not should:
            removed.add(triple)
    return InferredChange(frozenset(removed), frozenset(added))


def _premises(after: _After, triple: ox.Triple) -> set[ox.Triple]:
    """The asserted triples that could entail ``triple``: those between its two nodes (or of its subject's types)."""
    if triple.predicate == RDF_TYPE:
        return after.matching(triple.subject, RDF_TYPE, None)  # type: ignore[arg-type]
    found = after.matching(triple.subject, None, triple.object)  # type: ignore[arg-type]
    if not isinstance(triple.object, ox.Literal):
        found |= after.matching(triple.object, None, triple.subject)  # type: ignore[arg-type]
    return found
