"""The ontology documents every term, and the data uses no term that the ontology does not declare."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kgraph import resources
from kgraph.compile import compile_landscape
from kgraph.namespaces import KG, ONTOLOGY_GRAPH, ONTOLOGY_IRI

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(resources.ontology_file(), format="turtle")


def kg_terms(ontology: Graph) -> set[URIRef]:
    return {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(KG))}


def test_header(ontology):
    header = URIRef(ONTOLOGY_IRI)
    assert (header, RDF.type, OWL.Ontology) in ontology
    for predicate in ("title", "description", "license"):
        assert ontology.value(header, URIRef(f"http://purl.org/dc/terms/{predicate}")) is not None, predicate
    assert ontology.value(header, OWL.versionInfo) is not None


def test_every_term_has_a_label_and_a_comment(ontology):
    terms = kg_terms(ontology)
    assert len(terms) > 100
    undocumented = sorted(t for t in terms if not ontology.value(t, RDFS.label) or not ontology.value(t, RDFS.comment))
    assert undocumented == []


def test_the_python_namespace_lists_exactly_the_ontology_terms(ontology):
    declared = {str(t)[len(str(KG)) :] for t in kg_terms(ontology)}
    assert declared == set(KG.__annotations__)


def test_properties_have_domains_or_ranges(ontology):
    properties = [
        t for t in kg_terms(ontology) if {OWL.ObjectProperty, OWL.DatatypeProperty} & set(ontology.objects(t, RDF.type))
    ]
    lacking = [
        p for p in properties if ontology.value(p, RDFS.domain) is None and ontology.value(p, RDFS.range) is None
    ]
    # Properties deliberately left open: they relate many kinds of things.
    assert sorted(str(p).rsplit("#")[-1] for p in lacking) == ["competesWith", "date", "participant"]


def test_classes_align_to_standard_vocabularies(ontology):
    def supers(name: str) -> set[str]:
        return {str(o) for o in ontology.transitive_objects(KG[name], RDFS.subClassOf)}

    assert {"http://www.w3.org/ns/org#FormalOrganization", "https://schema.org/Corporation"} <= supers("Company")
    assert "http://www.w3.org/ns/org#OrganizationalUnit" in supers("BusinessUnit")
    assert {"https://schema.org/NewsArticle", "http://www.w3.org/ns/prov#Entity"} <= supers("NewsArticle")
    assert {"https://schema.org/Product", "https://schema.org/SoftwareApplication"} <= supers("LargeLanguageModel")
    assert "https://schema.org/Event" in supers("Layoff")
    assert "https://schema.org/Observation" in supers("FinancialMeasurement")
    assert "http://www.w3.org/2006/time#ProperInterval" in supers("FiscalPeriod")


def test_the_data_uses_only_declared_terms(ontology, data_dir):
    compiled = compile_landscape([data_dir])
    declared = {s for s in ontology.subjects(RDF.type) if any(True for _ in ontology.objects(s, RDF.type))}
    builtin = {RDF.type, RDFS.label, RDFS.comment}
    used_predicates: set[URIRef] = set()
    used_classes: set[URIRef] = set()
    for name, triples in compiled.graphs.items():
        if name.value == str(ONTOLOGY_GRAPH):
            continue
        for triple in triples:
            used_predicates.add(URIRef(triple.predicate.value))
            if triple.predicate.value == str(RDF.type):
                used_classes.add(URIRef(triple.object.value))
    assert sorted(used_predicates - builtin - declared) == []
    assert sorted(used_classes - declared) == []
    # kg: individuals used as values (metrics, employee groups) are declared too
    kg_values = {
        URIRef(t.object.value)
        for triples in compiled.graphs.values()
        for t in triples
        if isinstance(t.object, ox.NamedNode) and t.object.value.startswith(str(KG))
    }
    assert sorted(kg_values - declared) == []


def test_shapes_parse_and_target_declared_classes(ontology):
    shapes = Graph().parse(resources.shapes_file(), format="turtle")
    targets = set(shapes.objects(None, URIRef("http://www.w3.org/ns/shacl#targetClass")))
    assert targets and targets <= set(ontology.subjects(RDF.type, OWL.Class))
