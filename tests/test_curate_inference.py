"""The inferred graph updated for a change of some graphs equals the one computed again from everything."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgraph.build import BuildResult
from kgraph.curate.inference import inferred_change
from kgraph.curate.write import update_text
from kgraph.infer import INFERRED, inferred_triples
from kgraph.store.oxigraph import OxigraphStore

GRAPH = "https://w3id.org/kgraph/graph/"
KG = "https://w3id.org/kgraph/ontology#"
KGD = "https://w3id.org/kgraph/id/"


@pytest.fixture
def store(seed_store: OxigraphStore) -> OxigraphStore:
    memory = OxigraphStore()
    memory.add_quads(list(seed_store.quads()))
    return memory


def _change(store: OxigraphStore, new: dict[ox.NamedNode, set[ox.Triple]]) -> None:
    old = {graph: {q.triple for q in store.quads(graph)} for graph in new}
    store.update(update_text(new, inferred_change(store, old, new)))


def _recomputed(store: OxigraphStore) -> set[ox.Triple]:
    return set(inferred_triples(q for q in store.quads() if q.graph_name != INFERRED))


def _triple(s: str, p: str, o: str) -> ox.Triple:
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o))


def test_dropping_and_restoring_a_source(store: OxigraphStore, seed_build: BuildResult) -> None:
    general = ox.NamedNode(GRAPH + "general-knowledge")
    content = {q.triple for q in store.quads(general)}
    before = {q.triple for q in store.quads(INFERRED)}
    _change(store, {general: set()})
    after = {q.triple for q in store.quads(INFERRED)}
    assert after == _recomputed(store) and after != before
    _change(store, {general: content})
    assert {q.triple for q in store.quads(INFERRED)} == before


def test_a_triple_asserted_elsewhere_leaves_the_inferred_graph_and_comes_back(store: OxigraphStore) -> None:
    # kgd:sensenova is a LargeLanguageModel; that it is a Product is inferred
    product = _triple(KGD + "sensenova", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", KG + "Product")
    assert next(iter(store.oxigraph.quads_for_pattern(product.subject, product.predicate, product.object, INFERRED)))
    extra = ox.NamedNode(GRAPH + "extra")
    _change(store, {extra: {product, _triple(KGD + "acme", KG + "competesWith", KGD + "sensetime")}})
    inferred = {q.triple for q in store.quads(INFERRED)}
    assert product not in inferred and inferred == _recomputed(store)
    assert _triple(KGD + "sensetime", KG + "competesWith", KGD + "acme") in inferred  # symmetric
    _change(store, {extra: set()})
    inferred = {q.triple for q in store.quads(INFERRED)}
    assert product in inferred and inferred == _recomputed(store)


def test_a_schema_change_recomputes_everything(store: OxigraphStore) -> None:
    extra = ox.NamedNode(GRAPH + "extra")
    sub = _triple("https://example.org/Startup", "http://www.w3.org/2000/01/rdf-schema#subClassOf", KG + "Company")
    typed = _triple(
        "https://example.org/x", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "https://example.org/Startup"
    )
    _change(store, {extra: {sub, typed}})
    inferred = {q.triple for q in store.quads(INFERRED)}
    assert _triple("https://example.org/x", typed.predicate.value, KG + "Organization") in inferred
    assert inferred == _recomputed(store)
