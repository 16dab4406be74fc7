"""RDFS materialisation: the triples the ontology entails, kept apart in the named graph ``INFERRED_GRAPH``.

What is entailed (and nothing else): the superclasses of every ``rdf:type`` (``rdfs:subClassOf``, transitively),
the superproperties of every triple (``rdfs:subPropertyOf`` and ``owl:equivalentProperty``), the reverse of
``owl:inverseOf`` and ``owl:SymmetricProperty`` triples, until nothing new follows. Domains and ranges are not used
to add types. The source graphs stay as they were: only triples that no graph asserts go into the inferred graph,
so it can be dropped and computed again at any time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from kgraph.errors import KgraphError
from kgraph.limits import inferred_budget
from kgraph.store.base import Store
from kgraph.vocabulary import INFERRED_GRAPH, OWL, RDF, RDFS

RDF_TYPE = RDF.type
SUBCLASS = RDFS.subClassOf
SUBPROPERTY = RDFS.subPropertyOf
INVERSE = OWL.inverseOf
EQUIVALENT_PROPERTY = OWL.equivalentProperty
EQUIVALENT_CLASS = OWL.equivalentClass
SYMMETRIC = OWL.SymmetricProperty
INFERRED = INFERRED_GRAPH


def _closure(edges: dict[ox.NamedNode, set[ox.NamedNode]]) -> dict[ox.NamedNode, set[ox.NamedNode]]:
    """Everything reachable from each node (the node itself left out)."""
    reach: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for start in edges:
        seen: set[ox.NamedNode] = set()
        stack = list(edges[start])
        while stack:
            node = stack.pop()
            if node not in seen and node != start:
                seen.add(node)
                stack.extend(edges.get(node, ()))
        reach[start] = seen
    return reach


class Schema:
    """The parts of an ontology that entail triples."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        broader: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
        wider: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
        self.inverse: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
        self.symmetric: set[ox.NamedNode] = set()
        for s, p, o in ((t.subject, t.predicate, t.object) for t in triples):
            if not isinstance(s, ox.NamedNode) or not isinstance(o, ox.NamedNode):
                continue
            if p == SUBCLASS:
                broader[s].add(o)
            elif p == EQUIVALENT_CLASS:
                broader[s].add(o)
                broader[o].add(s)
            elif p == SUBPROPERTY:
                wider[s].add(o)
            elif p == EQUIVALENT_PROPERTY:
                wider[s].add(o)
                wider[o].add(s)
            elif p == INVERSE:
                self.inverse[s].add(o)
                self.inverse[o].add(s)
            elif p == RDF_TYPE and o == SYMMETRIC:
                self.symmetric.add(s)
        self.superclasses = {c: found for c, found in _closure(broader).items() if found}
        self.superproperties = {p: found for p, found in _closure(wider).items() if found}

    def consequences(self, triple: ox.Triple) -> Iterable[ox.Triple]:
        """The triples that one triple entails in one step."""
        s, p, o = triple.subject, triple.predicate, triple.object
        if p == RDF_TYPE:
            for broader in self.superclasses.get(o, ()) if isinstance(o, ox.NamedNode) else ():
                yield ox.Triple(s, RDF_TYPE, broader)
            return
        for wider in self.superproperties.get(p, ()):
            yield ox.Triple(s, wider, o)
        if isinstance(o, ox.Literal):
            return
        for inverse in self.inverse.get(p, ()):
            yield ox.Triple(o, inverse, s)
        if p in self.symmetric:
            yield ox.Triple(o, p, s)


class InferenceTooLarge(KgraphError):
    """The data entails more triples than a write may add (see :func:`kgraph.limits.inferred_budget`)."""


def inferred_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The triples entailed by ``quads`` (any graph, the inferred graph ignored) that none of them asserts.

    Raises :class:`InferenceTooLarge` past :func:`~kgraph.limits.inferred_budget` of the asserted triples.
    """
    asserted = {quad.triple for quad in quads if quad.graph_name != INFERRED}
    schema = Schema(asserted)
    budget = inferred_budget(len(asserted))
    found: set[ox.Triple] = set()
    pending = list(asserted)
    while pending:
        triple = pending.pop()
        for entailed in schema.consequences(triple):
            if entailed not in asserted and entailed not in found:
                found.add(entailed)
                pending.append(entailed)
        if len(found) > budget:
            raise InferenceTooLarge(
                f"the data would entail more than {budget:,} inferred triples ({len(asserted):,} asserted): "
                "look for rdfs:subClassOf, rdfs:subPropertyOf or owl:inverseOf statements that reach many "
                "resources; nothing was changed"
            )
    return sorted(found, key=str)


def materialise(store: Store) -> int:
    """Compute the store's inferred graph again from its other graphs; the number of inferred triples."""
    triples = inferred_triples(store.quads())
    store.replace_graph(INFERRED, triples)
    return len(triples)
