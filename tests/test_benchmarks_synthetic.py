"""The synthetic landscape generator of the benchmarks: deterministic, sized as asked, valid against the shapes."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from kgraph import queries, resources
from kgraph.infer import INFERRED, inferred_triples
from kgraph.namespaces import KG
from kgraph.store.base import SelectResult
from kgraph.store.oxigraph import OxigraphStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synthetic import SAMPLE, generate, sample_questions, write  # noqa: E402


@pytest.fixture(scope="module")
def landscape() -> list[ox.Quad]:
    return list(generate(4000, seed=3))


def test_the_same_seed_gives_the_same_file(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.nq", tmp_path / "b.nq", tmp_path / "c.nq"
    assert write(first, 3000, seed=1) == write(second, 3000, seed=1)
    write(other, 3000, seed=2)
    assert first.read_bytes() == second.read_bytes() != other.read_bytes()


def test_size_and_graphs(landscape: list[ox.Quad]) -> None:
    assert 4000 <= len(landscape) < 4400
    graphs = {q.graph_name.value for q in landscape}
    assert "https://w3id.org/kgraph/graph/ontology" in graphs and INFERRED.value in graphs
    assert sum(g.startswith("https://w3id.org/kgraph/graph/syn-article-") for g in graphs) > 5


def test_the_inferred_graph_is_the_rdfs_closure(landscape: list[ox.Quad]) -> None:
    inferred = {q.triple for q in landscape if q.graph_name == INFERRED}
    assert inferred == set(inferred_triples(landscape))


def test_it_uses_only_declared_terms_and_passes_the_shapes(landscape: list[ox.Quad]) -> None:
    from pyshacl import validate

    ontology = Graph().parse(resources.ontology_file(), format="turtle")
    declared = {str(s) for s in ontology.subjects() if str(s).startswith(str(KG))}
    asserted = [q.triple for q in landscape if q.graph_name != INFERRED]
    used = {str(t) for triple in asserted for t in (triple.predicate, triple.object) if isinstance(t, ox.NamedNode)}
    assert {t for t in used if t.startswith(str(KG))} <= declared
    data = Graph().parse(data=ox.serialize(asserted, format=ox.RdfFormat.N_TRIPLES), format="nt")
    conforms, _, text = validate(data, shacl_graph=Graph().parse(resources.shapes_file()), inference="none")
    assert conforms, text[:2000]


def test_the_sample_entities_answer_the_named_questions(landscape: list[ox.Quad]) -> None:
    store = OxigraphStore()
    store.add_quads(landscape)
    for name in ("timeline", "financials", "products", "competitors", "workforce_cuts", "provenance"):
        question = queries.get(name)
        values = {p.name: ox.NamedNode(SAMPLE[p.name]) for p in question.parameters if p.required}
        result = question.run(store, values)
        assert isinstance(result, SelectResult) and len(result) > 0, name


def test_every_named_question_is_benchmarked_with_its_required_parameters_bound(landscape: list[ox.Quad]) -> None:
    store = OxigraphStore()
    store.add_quads(landscape)
    sampled = sample_questions()
    assert [question.name for question, _ in sampled] == list(queries.catalog())
    for question, bindings in sampled:
        assert {p.name for p in question.parameters if p.required} <= set(bindings), question.name
        store.query(question.sparql, bindings=bindings)  # the bound query runs
