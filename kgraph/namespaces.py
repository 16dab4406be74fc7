"""kgraph's namespaces as rdflib terms, for the edges that use rdflib (the IRIs are :mod:`kgraph.vocabulary`'s)."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, TIME, XSD, DefinedNamespace

from kgraph import vocabulary
from kgraph.vocabulary import ONTOLOGY_IRI, PREFIXES, sparql_prologue

SCHEMA = Namespace(vocabulary.SCHEMA)
ORG = Namespace(vocabulary.ORG)
WD = Namespace(vocabulary.WD)
WDT = Namespace(vocabulary.WDT)

#: Entities and fact nodes of the landscape.
KGD = Namespace(vocabulary.KGD)
#: Names of the named graphs: one per source, one for the ontology, one for inferred triples.
GRAPH = Namespace(vocabulary.GRAPH)
ONTOLOGY_GRAPH = GRAPH["ontology"]
INFERRED_GRAPH = GRAPH["inferred"]

__all__ = [
    "GRAPH",
    "INFERRED_GRAPH",
    "KG",
    "KGD",
    "ONTOLOGY_GRAPH",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "TIME",
    "WD",
    "WDT",
    "XSD",
    "sparql_prologue",
]


#: The kgraph ontology, its terms those of :data:`kgraph.vocabulary.KG_TERMS`.
KG = type(
    "KG",
    (DefinedNamespace,),
    {"_fail": True, "_NS": Namespace(vocabulary.KG), "__annotations__": dict.fromkeys(vocabulary.KG_TERMS, object)},
)
