"""Turn the ontology and the data files into one RDF dataset, or a list of everything wrong with them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from kgraph import resources
from kgraph.errors import DataError, Problem
from kgraph.factsheet.check import Declaration, check_references, declarations
from kgraph.factsheet.read import FACT_SHEET_SUFFIXES, LoadedSheet, read_fact_sheet
from kgraph.mapping import compile_sheets
from kgraph.namespaces import GRAPH, KG, KGD, ONTOLOGY_GRAPH

TURTLE_SUFFIXES = (".ttl",)
DATA_SUFFIXES = FACT_SHEET_SUFFIXES + TURTLE_SUFFIXES


@dataclass
class Compiled:
    """The dataset built from the ontology and the data files, with where each identifier was declared."""

    dataset: Dataset
    sheets: list[LoadedSheet] = field(default_factory=list)
    turtle_files: list[Path] = field(default_factory=list)
    declared: dict[str, Declaration] = field(default_factory=dict)

    @property
    def source_graphs(self) -> list[URIRef]:
        return sorted(g.identifier for g in self.dataset.graphs() if g.identifier not in (ONTOLOGY_GRAPH,) and len(g))

    def locate(self, node: str) -> tuple[str, int | None]:
        """The file and line that declared ``node`` (a fact's parts are located at the fact)."""
        if node.startswith(str(KGD)):
            identifier = node[len(str(KGD)) :].split("/")[0]
            declaration = self.declared.get(identifier)
            if declaration is not None:
                return declaration.file, declaration.line
        return "(data)", None


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """The data files named by ``paths`` (files, or folders searched recursively), in a stable order."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in DATA_SUFFIXES and p.is_file())
            if not found:
                problems.append(Problem(str(path), None, None, "no data files (*.yaml, *.json, *.ttl) in this folder"))
            files.extend(found)
        elif path.is_file():
            if path.suffix not in DATA_SUFFIXES:
                problems.append(Problem(str(path), None, None, f"unknown kind of file: use {', '.join(DATA_SUFFIXES)}"))
            files.append(path)
        else:
            problems.append(Problem(str(path), None, None, "no such file or folder"))
    if problems:
        raise DataError(problems)
    return files


def read_ontology(dataset: Dataset, ontology: Path | None = None) -> Graph:
    """Parse the ontology into its own named graph of ``dataset``."""
    graph = dataset.graph(ONTOLOGY_GRAPH)
    parse_turtle(ontology or resources.ontology_file(), graph)
    return graph


def parse_turtle(path: Path, graph: Graph) -> None:
    """Parse a Turtle file into ``graph``; a syntax error becomes a :class:`DataError` with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError([Problem(str(path), None, None, "not UTF-8 text")]) from None
    if not text.strip():
        raise DataError([Problem(str(path), None, None, "the file is empty")])
    scratch = Graph()
    try:
        scratch.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except Exception as error:  # rdflib raises several exception types for bad syntax
        message = str(error)
        match = re.search(r"line (\d+)", message)
        line = int(match.group(1)) if match else None
        reason = message.split("\n")[0] if "\n" in message else message
        raise DataError([Problem(str(path), line, None, f"not valid Turtle: {reason.strip()}")]) from None
    for triple in scratch:
        graph.add(triple)


def _turtle_declarations(graph: Graph) -> dict[str, str]:
    """Identifiers declared in a Turtle data file, by their class's local name."""
    known = {}
    for subject, kind in graph.subject_objects(RDF.type):
        if isinstance(subject, URIRef) and str(subject).startswith(str(KGD)) and str(kind).startswith(str(KG)):
            known[str(subject)[len(str(KGD)) :]] = str(kind)[len(str(KG)) :]
    return known


def compile_landscape(paths: Sequence[Path], *, ontology: Path | None = None) -> Compiled:
    """Read, check and compile every data file under ``paths``; raise :class:`DataError` listing all problems."""
    files = collect_files(paths)
    problems: list[Problem] = []
    sheets: list[LoadedSheet] = []
    turtle: list[tuple[Path, Graph]] = []
    for path in files:
        try:
            if path.suffix in TURTLE_SUFFIXES:
                graph = Graph()
                parse_turtle(path, graph)
                turtle.append((path, graph))
            else:
                sheets.append(read_fact_sheet(path))
        except DataError as error:
            problems.extend(error.problems)
    known: dict[str, str] = {}
    for _, graph in turtle:
        known.update(_turtle_declarations(graph))
    problems.extend(check_references(sheets, known))
    if problems:
        raise DataError(problems)

    dataset = Dataset()
    read_ontology(dataset, ontology)
    compile_sheets([loaded.sheet for loaded in sheets], dataset)
    for path, graph in turtle:
        target = dataset.graph(GRAPH[path.stem])
        for triple in graph:
            target.add(triple)
    declared, _ = declarations(sheets)
    return Compiled(dataset, sheets, [path for path, _ in turtle], declared)
