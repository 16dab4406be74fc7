"""SPARQL 1.1 Protocol details: choosing a result format from the Accept header, and the service description."""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

#: Media types of SPARQL results, best first, with pyoxigraph's format names.
RESULT_TYPES = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
#: Media types of RDF for CONSTRUCT and DESCRIBE, best first.
GRAPH_TYPES = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "text/plain": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON_LD",
    "application/n-quads": "N_QUADS",
}
_CANONICAL = {
    "JSON": "application/sparql-results+json",
    "XML": "application/sparql-results+xml",
    "CSV": "text/csv",
    "TSV": "text/tab-separated-values",
    "TURTLE": "text/turtle",
    "N_TRIPLES": "application/n-triples",
    "RDF_XML": "application/rdf+xml",
    "JSON_LD": "application/ld+json",
    "N_QUADS": "application/n-quads",
}


def _preferences(accept: str | None) -> list[tuple[float, int, str]]:
    ranked = []
    for position, part in enumerate((accept or "*/*").split(",")):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranked.append((-quality, position, media.lower()))
    return sorted(ranked)


def negotiate(accept: str | None, offered: dict[str, str], default: str) -> str | None:
    """The format name for the client's ``Accept`` header among ``offered``; None when nothing acceptable."""
    for _, _, media in _preferences(accept):
        if media in offered:
            return offered[media]
        if media in ("*/*", "application/*", "text/*"):
            if media == "*/*" or _CANONICAL[default].startswith(media[:-1]):
                return default
            for candidate, name in offered.items():
                if candidate.startswith(media[:-1]):
                    return name
    return None


def prefers_json(accept: str | None) -> bool:
    """Whether the client's ``Accept`` header ranks JSON above HTML."""
    for _, _, media in _preferences(accept):
        if media in ("application/json", "text/html", "*/*", "text/*"):
            return media == "application/json"
    return False


def media_type(format_name: str) -> str:
    """The media type a response in ``format_name`` carries."""
    return _CANONICAL[format_name]


SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_ANY_URI = ox.NamedNode("http://www.w3.org/2001/XMLSchema#anyURI")


def _prefix_declarations(service: ox.NamedNode, prefixes: Mapping[str, str]) -> list[ox.Triple]:
    """The predeclared prefixes as SHACL declarations (``sh:declare [ sh:prefix ; sh:namespace ]``)."""
    triples = []
    for name, iri in prefixes.items():
        declaration = ox.BlankNode()
        triples += [
            ox.Triple(service, ox.NamedNode(SH + "declare"), declaration),
            ox.Triple(declaration, ox.NamedNode(SH + "prefix"), ox.Literal(name)),
            ox.Triple(declaration, ox.NamedNode(SH + "namespace"), ox.Literal(iri, datatype=XSD_ANY_URI)),
        ]
    return triples


def service_description(endpoint: str, *, updates: bool, prefixes: Mapping[str, str]) -> list[ox.Triple]:
    """The triples of the SPARQL service description of the endpoint at ``endpoint``, with the prefixes that its
    queries may use without declaring them."""
    service = ox.NamedNode(endpoint)
    dataset = ox.BlankNode()
    default_graph = ox.BlankNode()

    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(SD + name)

    triples = [
        ox.Triple(service, RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), service),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, sd("Graph")),
    ]
    if updates:
        triples.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV"):
        triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS + name)))
    for name in ("Turtle", "N-Triples", "RDF_XML", "JSON-LD"):
        triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS + name)))
    return triples + _prefix_declarations(service, prefixes)
