"""RDFS materialisation: subclass types, superproperties, inverse and symmetric properties, in their own graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from kgraph.build import BuildResult
from kgraph.infer import INFERRED, inferred_triples, materialise
from kgraph.namespaces import INFERRED_GRAPH, KG, KGD
from kgraph.store.oxigraph import OxigraphStore

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def kg(name: str) -> ox.NamedNode:
    return ox.NamedNode(f"{KG}{name}")


def kgd(name: str) -> ox.NamedNode:
    return ox.NamedNode(f"{KGD}{name}")


def inferred(store: OxigraphStore) -> set[ox.Triple]:
    return {quad.triple for quad in store.quads(INFERRED)}


def test_a_query_for_a_class_finds_its_subclasses(seed_store: OxigraphStore) -> None:
    result = seed_store.query("SELECT ?e WHERE { ?e a <https://w3id.org/kgraph/ontology#Event> } ORDER BY ?e")
    assert [row["e"].value.removeprefix(str(KGD)) for row in result] == [
        "sensenova-launch",
        "sensetime-layoff-statement",
        "sensetime-layoffs-2023",
        "sensetime-results-2022",
    ]


def test_the_seed_entailments(seed_store: OxigraphStore) -> None:
    found = inferred(seed_store)
    assert ox.Triple(kgd("sensetime"), RDF_TYPE, kg("Organization")) in found
    assert ox.Triple(kgd("sensetime"), RDF_TYPE, ox.NamedNode("https://schema.org/Corporation")) in found
    assert ox.Triple(kgd("sensenova"), RDF_TYPE, kg("Product")) in found  # two steps up from LargeLanguageModel
    assert ox.Triple(kgd("sensetime-layoffs-2023/reduction-1"), RDF_TYPE, kg("Fact")) in found
    # superproperty: kg:basedOn is a kind of prov:wasDerivedFrom
    derived = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
    assert ox.Triple(kgd("sensetime-layoffs-article"), derived, kgd("pandaily-sensetime-layoffs-report")) in found
    # equivalent property: kg:developer is Wikidata's P178
    assert (
        ox.Triple(kgd("sensenova"), ox.NamedNode("http://www.wikidata.org/prop/direct/P178"), kgd("sensetime")) in found
    )


def test_the_inferred_graph_holds_nothing_asserted(seed_store: OxigraphStore) -> None:
    asserted = {quad.triple for quad in seed_store.quads() if quad.graph_name != INFERRED}
    found = inferred(seed_store)
    assert found and not found & asserted
    # and computing it again gives the same triples
    assert set(inferred_triples(seed_store.quads())) == found


def test_inverse_and_symmetric_properties_are_completed() -> None:
    ontology = ox.NamedNode("https://w3id.org/kgraph/graph/ontology")
    data = ox.NamedNode("https://w3id.org/kgraph/graph/test")
    quads = [
        ox.Quad(kg("developer"), ox.NamedNode("http://www.w3.org/2002/07/owl#inverseOf"), kg("develops"), ontology),
        ox.Quad(kgd("model"), kg("developer"), kgd("lab"), data),
        ox.Quad(kgd("lab2"), kg("develops"), kgd("model2"), data),
        ox.Quad(
            kg("competesWith"), RDF_TYPE, ox.NamedNode("http://www.w3.org/2002/07/owl#SymmetricProperty"), ontology
        ),
        ox.Quad(kgd("lab"), kg("competesWith"), kgd("lab2"), data),
    ]
    found = set(inferred_triples(quads))
    assert found == {
        ox.Triple(kgd("lab"), kg("develops"), kgd("model")),
        ox.Triple(kgd("model2"), kg("developer"), kgd("lab2")),
        ox.Triple(kgd("lab2"), kg("competesWith"), kgd("lab")),
    }


def test_materialise_replaces_the_inferred_graph(seed_store: OxigraphStore) -> None:
    store = OxigraphStore()
    store.add_quads([q for q in seed_store.quads() if q.graph_name != INFERRED])
    assert not inferred(store)
    count = materialise(store)
    assert count == len(inferred(store)) == len(inferred(seed_store))
    store.update("DELETE WHERE { GRAPH ?g { <https://w3id.org/kgraph/id/chatgpt> ?p ?o } }")
    materialise(store)
    assert ox.Triple(kgd("chatgpt"), kg("competesWith"), kgd("sensenova")) in inferred(store)  # from SenseNova's side
    assert not any(t.subject == kgd("chatgpt") and t.predicate == RDF_TYPE for t in inferred(store))


def test_the_files_keep_the_asserted_triples_apart(seed_build: BuildResult) -> None:
    """landscape.ttl holds the asserted triples only; landscape.trig has the inferred graph as a graph of its own."""
    corporation = ox.Triple(kgd("sensetime"), RDF_TYPE, ox.NamedNode("https://schema.org/Corporation"))
    assert corporation not in set(ox.parse(path=str(seed_build.out_dir / "landscape.ttl")))
    assert ox.Quad(*corporation, INFERRED) in set(ox.parse(path=str(seed_build.out_dir / "landscape.trig")))
    trig = Dataset()
    trig.parse(Path(seed_build.out_dir / "landscape.trig"), format="trig")
    graph = trig.graph(INFERRED_GRAPH)
    assert len(graph) == len(inferred_triples(ox.parse(path=str(seed_build.out_dir / "landscape.trig"))))
    assert len(graph) > 100
