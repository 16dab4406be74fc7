"""Turn the ontology and the data files into the landscape's named graphs, or a list of everything wrong with them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgraph import resources
from kgraph.errors import DataError, Problem
from kgraph.factsheet.check import Declaration, check_references, declarations
from kgraph.factsheet.read import FACT_SHEET_SUFFIXES, LoadedSheet, read_fact_sheet
from kgraph.limits import check_xml_entities
from kgraph.mapping import Graphs, compile_sheets
from kgraph.vocabulary import GRAPH, KG, KGD, ONTOLOGY_GRAPH, RDF

TURTLE_SUFFIXES = (".ttl",)
DATA_SUFFIXES = FACT_SHEET_SUFFIXES + TURTLE_SUFFIXES


@dataclass
class Compiled:
    """The named graphs built from the ontology and the data files, with where each identifier was declared."""

    graphs: dict[ox.NamedNode, list[ox.Triple]]
    sheets: list[LoadedSheet] = field(default_factory=list)
    turtle_files: list[Path] = field(default_factory=list)
    declared: dict[str, Declaration] = field(default_factory=dict)

    def __len__(self) -> int:
        """The number of triples, over all graphs."""
        return sum(len(triples) for triples in self.graphs.values())

    def locate(self, node: str) -> tuple[str, int | None]:
        """The file and line that declared ``node`` (a fact's parts are located at the fact)."""
        if node.startswith(KGD):
            identifier = node[len(KGD) :].split("/")[0]
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


def parse_rdf(path: Path, format: ox.RdfFormat) -> list[ox.Quad]:
    """Every quad of an RDF file; bad syntax raises :class:`DataError` with the file, line and column."""
    try:
        data = path.read_bytes()
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise DataError([Problem(str(path), None, None, "not UTF-8 text")]) from None
    except OSError as error:
        raise DataError([Problem(str(path), None, None, f"cannot read it: {error.strerror}")]) from None
    if not data.strip():
        raise DataError([Problem(str(path), None, None, "the file is empty")])
    if format == ox.RdfFormat.RDF_XML:
        over = check_xml_entities(data)
        if over is not None:
            raise DataError([Problem(str(path), over.line, None, over.message)])
    try:
        return list(ox.parse(data, format=format, base_iri=path.resolve().as_uri()))
    except SyntaxError as error:
        where = f"column {error.offset}" if error.offset else None
        message = str(error.msg).split(": ", 1)[-1] if error.lineno else str(error.msg)
        raise DataError([Problem(str(path), error.lineno, where, f"not valid {format.name}: {message}")]) from None
    except ValueError as error:
        raise DataError([Problem(str(path), None, None, f"cannot read it: {error}")]) from None


def read_turtle(path: Path) -> list[ox.Triple]:
    """The triples of a Turtle file (see :func:`parse_rdf`)."""
    return [quad.triple for quad in parse_rdf(path, ox.RdfFormat.TURTLE)]


def _turtle_declarations(triples: Iterable[ox.Triple]) -> dict[str, str]:
    """Identifiers declared in a Turtle data file, by their class's local name."""
    known = {}
    for subject, predicate, kind in ((t.subject, t.predicate, t.object) for t in triples):
        if predicate != RDF.type or not isinstance(subject, ox.NamedNode) or not isinstance(kind, ox.NamedNode):
            continue
        if subject.value.startswith(KGD) and kind.value.startswith(KG):
            known[subject.value[len(KGD) :]] = kind.value[len(KG) :]
    return known


def compile_landscape(paths: Sequence[Path], *, ontology: Path | None = None) -> Compiled:
    """Read, check and compile every data file under ``paths``; raise :class:`DataError` listing all problems."""
    files = collect_files(paths)
    problems: list[Problem] = []
    sheets: list[LoadedSheet] = []
    turtle: list[tuple[Path, list[ox.Triple]]] = []
    for path in files:
        try:
            if path.suffix in TURTLE_SUFFIXES:
                turtle.append((path, read_turtle(path)))
            else:
                sheets.append(read_fact_sheet(path))
        except DataError as error:
            problems.extend(error.problems)
    known: dict[str, str] = {}
    for _, triples in turtle:
        known.update(_turtle_declarations(triples))
    problems.extend(check_references(sheets, known))
    if problems:
        raise DataError(problems)

    graphs: Graphs = {ONTOLOGY_GRAPH: dict.fromkeys(read_turtle(ontology or resources.ontology_file()))}
    compile_sheets([loaded.sheet for loaded in sheets], graphs)
    for path, triples in turtle:
        graphs.setdefault(GRAPH[path.stem], {}).update(dict.fromkeys(triples))
    declared, _ = declarations(sheets)
    named = {name: list(triples) for name, triples in graphs.items() if triples}
    return Compiled(named, sheets, [path for path, _ in turtle], declared)
