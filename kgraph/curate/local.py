"""A change checked and compiled against the store instead of against all of data/: its cost follows the change.

``kgraph build`` compiles and validates every data file; a write to a built landscape does not need to. A fact sheet
is compiled alone, with the names and classes of the entities it refers to read from the store (which always equals
a build of data/, see :mod:`kgraph.curate.write`); its references and identifiers are checked there; the SHACL shapes
run on its own nodes with what the store says about the nodes they point to. Which graph stores a triple that several
sources state (:mod:`kgraph.statements`) is decided from the store too, and when a triple leaves its graph, the
sheets that mention both its nodes are compiled to find the source that states it next.

Triples are looked up by pattern (:meth:`kgraph.store.base.Store.quads_for_pattern`): in an Oxigraph store through its
indexes, in a remote one by small SPARQL queries; only a write without a store compiles all of data/.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import get_args

import pyoxigraph as ox

from kgraph.compile import TURTLE_SUFFIXES, collect_files, read_turtle
from kgraph.curate.references import references
from kgraph.errors import DataError, Problem
from kgraph.factsheet.check import check_references, declarations
from kgraph.factsheet.models import EntityType
from kgraph.factsheet.read import FACT_SHEET_SUFFIXES, LoadedSheet, read_fact_sheet
from kgraph.infer import INFERRED, RDF_TYPE
from kgraph.mapping import compile_sheets, graph_name
from kgraph.sparql import load
from kgraph.statements import home_order
from kgraph.store.base import SelectResult, Store
from kgraph.vocabulary import GRAPH, KG, KGD, ONTOLOGY_GRAPH

Triples = list[ox.Triple]


class Neighbourhood:
    """What the store says about the nodes a sheet declares and refers to: classes and labels, by graph."""

    def __init__(self, store: Store, identifiers: Iterable[str], *, turtle: set[ox.NamedNode]) -> None:
        self.turtle = turtle
        self.types: dict[str, dict[ox.NamedNode, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.labels: dict[str, dict[ox.NamedNode, str]] = defaultdict(dict)
        question = load("node_declarations")
        for identifier in identifiers:
            answer = store.query(question, bindings={"node": KGD[identifier]})
            assert isinstance(answer, SelectResult)
            for row in answer:
                graph = row["graph"]
                assert isinstance(graph, ox.NamedNode)
                if "type" in row and row["type"].value.startswith(KG):
                    self.types[identifier][graph].add(row["type"].value[len(KG) :])
                elif "label" in row:
                    self.labels[identifier][graph] = row["label"].value

    def declared_in(self, identifier: str) -> set[ox.NamedNode]:
        """The graphs that give ``identifier`` a class (the inferred graph left out)."""
        return {graph for graph in self.types.get(identifier, {}) if graph != INFERRED}

    def kind(self, identifier: str) -> str | None:
        """What ``identifier`` is, as the reference checks name it: an entity class, ``source`` or ``fact``."""
        every = set().union(*self.types.get(identifier, {}).values())
        if not every:
            return None
        if "Source" in every:
            return "source"
        asserted = set().union(*(t for g, t in self.types[identifier].items() if g != INFERRED))
        entity = sorted(asserted & set(get_args(EntityType)))
        if entity:
            return entity[0]
        return "fact" if every & {"Fact", "Event"} else sorted(asserted)[0] if asserted else None

    def name(self, identifier: str) -> str | None:
        """The name a fact sheet gave ``identifier`` (labels from Turtle files do not name entities in labels)."""
        for graph in self.declared_in(identifier):
            if graph not in self.turtle and graph in self.labels.get(identifier, {}):
                return self.labels[identifier][graph]
        return None


def turtle_graphs(data_dir: Path) -> set[ox.NamedNode]:
    """The graphs of the Turtle files of ``data_dir``."""
    return {GRAPH[p.stem] for p in Path(data_dir).rglob("*") if p.suffix in TURTLE_SUFFIXES}


def compile_alone(
    loaded: LoadedSheet,
    store: Store,
    *,
    data_dir: Path,
    check: bool,
    leaving: Iterable[ox.NamedNode] = (),
) -> Triples:
    """The triples of one sheet's graph, compiled with the names of the store; ``check`` runs the checks first
    (identifiers may repeat those of the graphs ``leaving`` the store in the same write)."""
    sheet = loaded.sheet
    own = graph_name(sheet.source.id)
    declared, problems = declarations([loaded])
    referred = references(sheet) - set(declared)
    around = Neighbourhood(store, [*declared, *referred], turtle=turtle_graphs(data_dir))
    if check:
        for identifier, declaration in declared.items():
            elsewhere = around.declared_in(identifier) - {own, *leaving} - around.turtle
            if elsewhere:
                source = sorted(g.value.rsplit("/", 1)[-1] for g in elsewhere)[0]
                problems.append(
                    Problem(loaded.file, declaration.line, None, f"duplicate identifier {identifier!r} (declared by "
                            f"the source {source!r})")
                )  # fmt: skip
        known = {identifier: kind for identifier in referred if (kind := around.kind(identifier))}
        problems += check_references([loaded], known)
        if problems:
            raise DataError(problems)
    names = {identifier: name for identifier in referred if (name := around.name(identifier))}
    triples = list(compile_sheets([sheet], names=names).get(own, {}))
    if check:
        declared_at = {identifier: declaration.line for identifier, declaration in declared.items()}

        def locate(node: str) -> tuple[str, int | None]:
            identifier = node[len(KGD) :].split("/")[0] if node.startswith(KGD) else ""
            return loaded.file, declared_at.get(identifier)

        check_shapes(triples, store, own=own, locate=locate)
    return triples


def check_shapes(
    triples: Triples, store: Store, *, own: ox.NamedNode, locate: Callable[[str], tuple[str, int | None]]
) -> None:
    """The shapes on the nodes of ``triples`` (the new content of the graph ``own``), with the store's triples about
    the nodes they are linked to; a :class:`DataError` with each problem placed by ``locate``."""
    from kgraph.validate import shape_problems

    focus = {t.subject for t in triples if isinstance(t.subject, ox.NamedNode)}
    linked = {t.object for t in triples if isinstance(t.object, ox.NamedNode)} - focus
    skip = {own, INFERRED}
    context: set[ox.Triple] = {q.triple for q in store.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH)}
    for node in focus | linked:
        described = [q.triple for q in store.quads_for_pattern(node, None, None, None) if q.graph_name not in skip]
        context.update(described if node in focus else [t for t in described if t.predicate == RDF_TYPE])
        for triple in described if node in focus else ():
            if isinstance(triple.object, ox.NamedNode):
                context.update(
                    q.triple
                    for q in store.quads_for_pattern(triple.object, RDF_TYPE, None, None)
                    if q.graph_name not in skip
                )
    problems = shape_problems([*triples, *context], focus=focus, locate=locate)
    if problems:
        raise DataError(problems)


def graphs_after(
    changed: Mapping[ox.NamedNode, Triples], store: Store, *, data_dir: Path
) -> dict[ox.NamedNode, Triples]:
    """The graphs to replace when each graph of ``changed`` states its new triples, each triple stored once.

    A triple goes to the first graph (in :func:`kgraph.statements.home_order`) that states it: the changed graphs
    by their new content, the others by what the store holds; a triple that leaves its graph goes to the next source
    that states it, found among the data files that mention its nodes.
    """
    stating: dict[ox.Triple, set[ox.NamedNode]] = defaultdict(set)
    for graph, triples in changed.items():
        for triple in triples:
            stating[triple].add(graph)
    leaving = {q.triple for graph in changed for q in store.quads_for_pattern(None, None, None, graph)}
    leaving -= set(stating)
    for triple in list(stating):
        for quad in _held(store, triple):
            if quad.graph_name not in changed and quad.graph_name != INFERRED:
                stating[triple].add(quad.graph_name)  # type: ignore[arg-type]
    for triple, graphs in _next_homes(leaving, changed, data_dir, store).items():
        stating[triple] |= graphs
    new: dict[ox.NamedNode, set[ox.Triple]] = {graph: set() for graph in changed}
    removed: dict[ox.NamedNode, set[ox.Triple]] = defaultdict(set)
    for triple, graphs in stating.items():
        home = min(graphs, key=home_order)
        new.setdefault(home, set()).add(triple)
        for other in graphs - {home} - set(changed):
            removed[other].add(triple)
    result = {graph: list(triples) for graph, triples in new.items() if graph in changed}
    for graph in (set(new) | set(removed)) - set(changed):
        held = {q.triple for q in store.quads_for_pattern(None, None, None, graph)}
        updated = (held | new.get(graph, set())) - removed.get(graph, set())
        if updated != held:
            result[graph] = list(updated)
    return result


def _held(store: Store, triple: ox.Triple) -> Iterable[ox.Quad]:
    return store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None)  # type: ignore[arg-type]


def _next_homes(
    leaving: set[ox.Triple], changed: Mapping[ox.NamedNode, Triples], data_dir: Path, store: Store
) -> dict[ox.Triple, set[ox.NamedNode]]:
    """For each triple that leaves a changed graph, the other sources' graphs that state it too."""
    leaving = {t for t in leaving if not _only_in(store, t.subject, changed)}
    if not leaving:
        return {}
    words = {_word(node) for t in leaving for node in (t.subject, t.object) if isinstance(node, ox.NamedNode)}
    pattern = re.compile("|".join(sorted(map(re.escape, words - {""}))) or "$^")
    found: dict[ox.Triple, set[ox.NamedNode]] = defaultdict(set)
    files = collect_files([data_dir]) if any(Path(data_dir).iterdir()) else []
    for path in files:
        if not pattern.search(path.read_text(encoding="utf-8")):
            continue
        if path.suffix in TURTLE_SUFFIXES:
            graph, triples = GRAPH[path.stem], read_turtle(path)
        elif path.suffix in FACT_SHEET_SUFFIXES:
            loaded = read_fact_sheet(path)
            graph = graph_name(loaded.sheet.source.id)
            triples = compile_alone(loaded, store, data_dir=data_dir, check=False)
        else:
            continue
        if graph in changed:
            continue
        for triple in leaving.intersection(triples):
            found[triple].add(graph)
    return found


def _only_in(store: Store, node: object, graphs: Mapping[ox.NamedNode, Triples]) -> bool:
    """Whether ``node`` (or the fact it is part of) is declared by the changed graphs alone: no other source can then
    state anything about it (a sheet that refers to an entity keeps it declared, see :mod:`kgraph.curate.retract`)."""
    if not isinstance(node, ox.NamedNode) or not node.value.startswith(KGD):
        return False
    declared = KGD[node.value[len(KGD) :].split("/")[0]]
    homes = {q.graph_name for q in store.quads_for_pattern(declared, RDF_TYPE, None, None)} - {INFERRED}
    return bool(homes) and homes <= set(graphs)


def _word(node: ox.NamedNode) -> str:
    """What a data file that states something about ``node`` must contain: its identifier, or its IRI's last part
    (a Turtle file may write the IRI with a prefix); nothing for the ontology's terms."""
    if node.value.startswith(KGD):
        return node.value[len(KGD) :].split("/")[0]
    return "" if node.value.startswith(KG) else re.split(r"[/#]", node.value.rstrip("/#"))[-1]
