"""The landscape as a networkx graph that a person would draw: entities as nodes, relations as labelled edges.

:func:`project` reads a store with a few SPARQL queries (``kgraph/sparql/projection_*.rq``) and folds every fact
node and event into the edges and nodes it is about, so that no anonymous fact node appears in the graph.

Contract (what the HTML view, the analytics and exports rely on)
------------------------------------------------------------------
The result is a :class:`networkx.MultiDiGraph` whose nodes are entity and source IRIs.

Node attributes:
    ``iri``, ``label``; ``type`` (the most specific kgraph class, local name, e.g. ``"LargeLanguageModel"``);
    ``type_label`` (the ontology's label of that class, e.g. ``"Large language model"``); ``classes`` (that class
    and every kgraph class above it, sorted: ``["AIProduct", "LargeLanguageModel", "Product"]``); ``aliases`` (list of
    str); ``description`` (str or None); ``facts`` (list of fact dicts about the node, in time order: a company's
    financial figures, its events, the parts of its layoffs); ``country`` (ISO code or None). Source nodes also
    have ``publisher`` and ``published``.

Edge attributes (edge keys are strings: the relation's local name, or the IRI of the event an edge stands for):
    ``predicate`` (IRI of the relation, or of the fact class for edges made from events: ``kg:Layoff``);
    ``label`` (human words: "develops", "competes with", "layoff", "weighs on", "launched");
    ``kind`` (``"relation"`` for asserted relations, else the fact class local name: ``"Layoff"``,
    ``"ProductLaunch"``, ``"CorporateStatement"``, ...); ``facts`` (fact dicts backing the edge: the competition
    behind "competes with", the layoff with its reductions and severance terms); ``earliest``/``latest`` (ISO dates
    spanned by the edge's dated facts, None when undated); ``sources`` (sorted list of source IRIs);
    ``symmetric`` (True for "competes with" and partnerships: one edge per pair, its direction means nothing).

How facts become edges:
    a layoff is an edge company -> each affected or reduced unit; a product launch company -> product; a headwind
    exposure is folded into "weighs on" headwind -> industry; a competition into "competes with" between every
    two rivals; a product-development fact into "develops"; a statement's focus areas company -> topic ("focuses
    on"); a funding round investor -> company; a partnership between partners. Financial results and measurements
    stay in the company's ``facts``.

Fact dict:
    ``iri``, ``kind`` (class local name), ``kind_label``, ``label``, ``date`` (lexical, at the precision given:
    ``"2023-04"``), ``earliest``/``latest`` (ISO dates; a measurement's period bounds), ``inferred`` (bool: the
    date was inferred), ``details`` (ordered dict of human key -> human value: ``amount`` "CNY 3,809,000,000",
    ``converted`` "USD 520,000,000 (converted by the reporter)", ``year-on-year`` "-19%", ``period`` "FY2022",
    ``share`` "10–15% (estimate)"), ``estimate`` (bool), ``sources`` (list of dicts with ``iri``, ``label``,
    ``publisher``, ``published``; a source that only supports an inferred date has ``role``),
    ``attributed_to`` (label of who said it, or None). A fact dict shown in several places is the same object.

Graph attributes: ``type_labels`` (class local name -> label, for legends) and ``kind_labels`` (fact kinds).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgraph import sparql
from kgraph.analytics.facts import FactBook, local_name, ordered
from kgraph.errors import UnknownKindError
from kgraph.selection import EVERYTHING, Selection
from kgraph.store.base import SelectResult, Store
from kgraph.vocabulary import GRAPH, KG, ORG

if TYPE_CHECKING:
    import networkx as nx

KG_NS = str(KG)
#: Classes whose instances are never drawn as nodes: they are folded into edges and attributes.
FOLDED_CLASSES = ("Fact", "Event", "MonetaryAmount", "PercentRange", "FiscalPeriod", "Metric", "EmployeeGroup")


@dataclass(frozen=True)
class Relation:
    """How an asserted relation is drawn."""

    label: str
    canonical: str
    flip: bool = False
    symmetric: bool = False


RELATIONS: dict[str, Relation] = {
    KG.develops.value: Relation("develops", KG.develops.value),
    KG.developer.value: Relation("develops", KG.develops.value, flip=True),
    KG.competesWith.value: Relation("competes with", KG.competesWith.value, symmetric=True),
    KG.activeInMarket.value: Relation("active in", KG.activeInMarket.value),
    KG.industry.value: Relation("in industry", KG.industry.value),
    KG.affects.value: Relation("weighs on", KG.affects.value),
    KG.memberOf.value: Relation("member of", KG.memberOf.value),
    KG.publisher.value: Relation("published by", KG.publisher.value),
    KG.basedOn.value: Relation("based on", KG.basedOn.value),
    ORG.unitOf.value: Relation("unit of", ORG.unitOf.value),
    ORG.hasUnit.value: Relation("unit of", ORG.unitOf.value, flip=True),
}
RELATION_NAMES = sorted({local_name(r.canonical) for r in RELATIONS.values()})

#: Facts that fold into an asserted relation: kind -> relation predicate.
FACT_RELATIONS = {
    "HeadwindExposure": KG.affects.value,
    "Competition": KG.competesWith.value,
    "ProductDevelopment": KG.develops.value,
}
#: Events drawn as edges of their own: kind -> (label, symmetric).
EVENT_EDGES = {
    "Layoff": ("layoff", False),
    "ProductLaunch": ("launched", False),
    "CorporateStatement": ("focuses on", False),
    "FundingRound": ("invests in", False),
    "Partnership": ("partners with", True),
}


@dataclass
class ClassTable:
    """The ontology's kgraph classes: labels and superclasses, by local name."""

    labels: dict[str, str] = field(default_factory=dict)
    parents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _ancestors: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _specific: dict[frozenset[str], str | None] = field(default_factory=dict, repr=False)

    @classmethod
    def read(cls, store: Store) -> ClassTable:
        """The classes of the ontology in ``store``, or of the bundled ontology when the store holds none."""
        table = cls()
        rows = _select(store, "projection_classes")
        if not len(rows):
            return cls.bundled()
        for row in rows:
            name = local_name(row["class"].value)
            table.labels.setdefault(name, row["label"].value if "label" in row else name)
            table.parents[name]
            if "super" in row:
                table.parents[name].add(local_name(row["super"].value))
        return table

    @classmethod
    def bundled(cls) -> ClassTable:
        """The classes of the ontology kgraph ships with."""
        import pyoxigraph as ox

        from kgraph.resources import ontology_file
        from kgraph.store.oxigraph import OxigraphStore

        ontology = OxigraphStore()
        ontology.add_quads(list(ox.parse(path=str(ontology_file()), format=ox.RdfFormat.TURTLE)))
        return cls.read(ontology)

    def ancestors(self, name: str) -> frozenset[str]:
        """``name`` and every class above it."""
        known = self._ancestors.get(name)
        if known is not None:
            return known
        seen = {name}
        todo = [name]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        self._ancestors[name] = frozenset(seen)
        return self._ancestors[name]

    def most_specific(self, iris: Iterable[str]) -> str | None:
        """The class among ``iris`` (kgraph class IRIs) that no other one of them is a subclass of."""
        key = frozenset(iris)
        if key not in self._specific:
            names = sorted({local_name(i) for i in key})
            above = {a for n in names for a in self.ancestors(n) - {n}}
            specific = [n for n in names if n not in above]
            self._specific[key] = specific[0] if specific else None
        return self._specific[key]

    def label(self, name: str) -> str:
        return self.labels.get(name, name)

    def is_a(self, name: str, kinds: Collection[str]) -> bool:
        return bool(self.ancestors(name) & set(kinds))


@dataclass(frozen=True)
class KindFilter:
    """Which node types, fact kinds and relations to keep; an empty include set keeps everything."""

    node_include: frozenset[str]
    fact_include: frozenset[str]
    relation_include: frozenset[str]
    exclude: frozenset[str]
    dates: Selection = EVERYTHING

    def keeps_node(self, classes: ClassTable, kind: str) -> bool:
        ancestors = classes.ancestors(kind)
        if self.node_include and not ancestors & self.node_include:
            return False
        return not ancestors & self.exclude

    def keeps_fact(self, classes: ClassTable, fact: dict[str, Any]) -> bool:
        ancestors = classes.ancestors(fact["kind"])
        if self.fact_include and not ancestors & self.fact_include:
            return False
        if ancestors & self.exclude:
            return False
        return self.dates.keeps_dates(fact["earliest"], fact["latest"])

    def keeps_relation(self, predicate: str) -> bool:
        name = local_name(predicate)
        if self.relation_include and not {name, "relation"} & self.relation_include:
            return False
        return not {name, "relation"} & self.exclude


def _kind_filter(
    classes: ClassTable,
    include: Iterable[str] | None,
    exclude: Iterable[str] | None,
    since: str | None,
    until: str | None,
) -> KindFilter:
    include_set = set(include or ())
    exclude_set = set(exclude or ())
    known = set(classes.labels) | set(RELATION_NAMES) | {"relation"}
    unknown = sorted((include_set | exclude_set) - known)
    if unknown:
        raise UnknownKindError(
            f"unknown kind(s) {', '.join(unknown)}; use class names ({', '.join(sorted(classes.labels))}), "
            f"relation names ({', '.join(RELATION_NAMES)}) or 'relation'"
        )
    fact_kinds = {name for name in include_set if classes.is_a(name, ("Fact", "Event"))}
    relations = include_set & (set(RELATION_NAMES) | {"relation"})
    nodes = include_set - fact_kinds - relations
    return KindFilter(
        frozenset(nodes),
        frozenset(fact_kinds),
        frozenset(relations),
        frozenset(exclude_set),
        Selection.of(since=since, until=until),
    )


def _kind_name(store: Store, name: str) -> str:
    """A class named as the value grammar reads it (``layoff``, ``Product launch``, ``kg:Layoff``) by its local name;
    relation names and unknown names are kept as given (an unknown one is reported with the kinds there are)."""
    from kgraph.queries.terms import TermError, resolve_class

    if name in RELATION_NAMES or name == "relation":
        return name
    try:
        return local_name(resolve_class(store, name).value)
    except TermError:
        return name


def project(
    store: Store,
    *,
    include: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    sources: bool = True,
) -> nx.MultiDiGraph:
    """The landscape in ``store`` as a :class:`networkx.MultiDiGraph` (see the module docstring for its contract).

    ``include`` and ``exclude`` name kinds to keep or drop: node classes (``"Company"``, ``"Product"`` also keeps
    its subclasses), fact kinds (``"Layoff"``, ``"FinancialMeasurement"``, ``"Event"``), relations
    (``"competesWith"``) or ``"relation"`` for all asserted relations. Include lists are per dimension: including
    only node classes leaves facts and relations unrestricted. ``since``/``until`` (``2023``, ``2023-04`` or
    ``2023-04-10``) drop dated facts outside the range, and the edges that only they made. ``sources=False``
    leaves out source nodes.
    """
    import networkx as nx

    classes = ClassTable.read(store)
    include = None if include is None else [_kind_name(store, name) for name in include]
    kinds = _kind_filter(classes, include, [_kind_name(store, name) for name in exclude or ()], since, until)
    if not sources:
        kinds = replace(kinds, exclude=kinds.exclude | {"Source"})
    graph = nx.MultiDiGraph()
    graph.graph["type_labels"] = {}
    graph.graph["kind_labels"] = {}
    nodes = _read_nodes(store, classes)
    labels = {iri: attrs["label"] for iri, attrs in nodes.items()}
    book = FactBook.read(store, labels=labels, classes=classes)
    for iri, attrs in sorted(nodes.items()):
        if kinds.keeps_node(classes, attrs["type"]):
            graph.add_node(iri, **attrs)
            graph.graph["type_labels"][attrs["type"]] = attrs["type_label"]
    _add_relations(graph, store, book)
    _fold_facts(graph, book, classes, kinds)
    for _, _, attrs in graph.edges(data=True):
        _finish_edge(attrs)
    for _, attrs in graph.nodes(data=True):
        attrs["facts"] = ordered(attrs["facts"])
    graph.graph["type_labels"] = dict(sorted(graph.graph["type_labels"].items()))
    graph.graph["kind_labels"] = dict(sorted(book.class_labels.items()))
    graph.remove_edges_from([(u, v, k) for u, v, k, a in graph.edges(keys=True, data=True) if not _edge_kept(a, kinds)])
    return graph


def _read_nodes(store: Store, classes: ClassTable) -> dict[str, dict[str, Any]]:
    types: dict[str, set[str]] = defaultdict(set)
    rows: dict[str, dict[str, Any]] = {}
    for row in _select(store, "projection_nodes"):
        iri = row["node"].value
        types[iri].add(row["type"].value)
        found = rows.setdefault(iri, {"label": None, "description": None, "country": None})
        for key in ("label", "description", "country"):
            if key in row and found[key] is None:
                found[key] = row[key].value
    nodes = {}
    for iri, kinds in types.items():
        kind = classes.most_specific(kinds)
        if kind is None or classes.is_a(kind, FOLDED_CLASSES):
            continue
        found = rows[iri]
        nodes[iri] = {
            "iri": iri,
            "label": found["label"] or local_name(iri),
            "type": kind,
            "type_label": classes.label(kind),
            "classes": sorted(classes.ancestors(kind) & set(classes.labels)),
            "aliases": [],
            "description": found["description"],
            "country": found["country"],
            "facts": [],
        }
    for row in _select(store, "projection_aliases"):
        node = nodes.get(row["node"].value)
        if node is not None and row["alias"].value not in node["aliases"]:
            node["aliases"].append(row["alias"].value)
    return nodes


def _graph_sources(book: FactBook) -> dict[str, list[str]]:
    """The source IRIs that each named graph holds the facts of (one graph per source, by name)."""
    by_graph: dict[str, list[str]] = {}
    for source in book.sources:
        by_graph.setdefault(GRAPH[local_name(source)].value, []).append(source)
    return by_graph


def _add_relations(graph: nx.MultiDiGraph, store: Store, book: FactBook) -> None:
    graph_sources = _graph_sources(book)
    rows = sorted(
        (row["subject"].value, row["predicate"].value, row["object"].value, row["graph"].value)
        for row in _select(store, "projection_relations")
    )
    for subject, predicate, target, graph_name in rows:
        relation = RELATIONS[predicate]
        if relation.flip:
            subject, target = target, subject
        edge = _edge(graph, subject, target, relation.canonical, relation.label, "relation", relation.symmetric)
        if edge is not None:
            edge["asserted"] = True
            edge["sources"].update(graph_sources.get(graph_name, ()))


def _edge(
    graph: nx.MultiDiGraph, subject: str, target: str, predicate: str, label: str, kind: str, symmetric: bool, key=None
) -> dict[str, Any] | None:
    """The edge's attribute dict, created when missing; None when an end is not in the graph."""
    if subject == target or subject not in graph or target not in graph:
        return None
    if symmetric and subject > target:
        subject, target = target, subject
    key = key or local_name(predicate)
    if not graph.has_edge(subject, target, key):
        graph.add_edge(
            subject,
            target,
            key=key,
            predicate=predicate,
            label=label,
            kind=kind,
            facts=[],
            sources=set(),
            symmetric=symmetric,
            earliest=None,
            latest=None,
            asserted=False,
        )
    return graph.edges[subject, target, key]


def _fold_facts(graph: nx.MultiDiGraph, book: FactBook, classes: ClassTable, kinds: KindFilter) -> None:
    for fact in sorted(book.facts):
        told = book.tell(fact)
        if not kinds.keeps_fact(classes, told):
            continue
        parts = [book.tell(p) for p in book.parts(fact) if kinds.keeps_fact(classes, book.tell(p))]
        about = book.about(fact)
        for node in about:
            if node in graph:
                graph.nodes[node]["facts"].extend([told, *parts])
        kind = told["kind"]
        if kind in FACT_RELATIONS:
            _fold_into_relation(graph, book, fact, told, FACT_RELATIONS[kind])
        elif kind in EVENT_EDGES:
            _event_edges(graph, book, fact, told, parts)


def _ends(book: FactBook, fact: str, kind: str) -> tuple[list[str], list[str]]:
    """The nodes an edge made from ``fact`` starts from and leads to."""
    one = book.objects
    match kind:
        case "HeadwindExposure":
            return one(fact, KG.headwind.value), one(fact, KG.exposed.value)
        case "ProductDevelopment":
            return one(fact, KG.company.value), one(fact, KG.product.value)
        case "Layoff":
            units = one(fact, KG.affectedUnit.value)
            for part in one(fact, KG.hasReduction.value):
                units += [u for u in one(part, KG.reducedUnit.value) if u not in units]
            return one(fact, KG.company.value), units
        case "ProductLaunch":
            return one(fact, KG.company.value), one(fact, KG.product.value)
        case "CorporateStatement":
            return one(fact, KG.company.value), one(fact, KG.focusArea.value)
        case "FundingRound":
            return one(fact, KG.investor.value), one(fact, KG.company.value)
        case _:
            return [], []


def _fold_into_relation(graph: nx.MultiDiGraph, book: FactBook, fact: str, told: dict, predicate: str) -> None:
    relation = RELATIONS[predicate]
    if told["kind"] == "Competition":
        pairs = list(combinations(book.objects(fact, KG.participant.value), 2))
    else:
        starts, ends = _ends(book, fact, told["kind"])
        pairs = [(s, e) for s in starts for e in ends]
    for subject, target in pairs:
        edge = _edge(graph, subject, target, predicate, relation.label, "relation", relation.symmetric)
        if edge is not None:
            edge["facts"].append(told)


def _event_edges(graph: nx.MultiDiGraph, book: FactBook, fact: str, told: dict, parts: list[dict]) -> None:
    kind = told["kind"]
    label, symmetric = EVENT_EDGES[kind]
    if kind == "Partnership":
        pairs = list(combinations(book.objects(fact, KG.participant.value), 2))
    else:
        starts, ends = _ends(book, fact, kind)
        pairs = [(s, e) for s in starts for e in ends]
    for subject, target in pairs:
        key = fact if len(pairs) == 1 else f"{fact}|{target}"
        edge = _edge(graph, subject, target, KG_NS + kind, label, kind, symmetric, key=key)
        if edge is not None:
            edge["facts"].extend([told, *parts])


def _finish_edge(attrs: dict[str, Any]) -> None:
    attrs["facts"] = ordered(attrs["facts"])
    for fact in attrs["facts"]:
        attrs["sources"].update(s["iri"] for s in fact["sources"])
    attrs["sources"] = sorted(attrs["sources"])
    dated = [f for f in attrs["facts"] if f["earliest"] and not f["kind"].startswith("Financial")]
    if dated:
        attrs["earliest"] = min(f["earliest"] for f in dated)
        attrs["latest"] = max(f["latest"] or f["earliest"] for f in dated)


def _edge_kept(attrs: dict[str, Any], kinds: KindFilter) -> bool:
    asserted = attrs.pop("asserted")
    if attrs["kind"] == "relation" and not kinds.keeps_relation(attrs["predicate"]):
        return False
    return asserted or bool(attrs["facts"])


def _select(store: Store, name: str) -> SelectResult:
    result = store.query(sparql.load(name))
    if not isinstance(result, SelectResult):  # pragma: no cover - the bundled queries are SELECTs
        raise TypeError(f"{name}.rq is not a SELECT query")
    return result


# -- export -------------------------------------------------------------------------------------------------------


def _flat(value: Any) -> Any:
    if isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def flattened(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attribute values are strings, numbers or booleans (lists and dicts as JSON); None dropped."""
    import networkx as nx

    flat = nx.MultiDiGraph()
    flat.graph.update({k: _flat(v) for k, v in graph.graph.items() if v is not None})
    for node, attrs in graph.nodes(data=True):
        flat.add_node(node, **{k: _flat(v) for k, v in attrs.items() if v is not None})
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        flat.add_edge(u, v, key=key, **{k: _flat(val) for k, val in attrs.items() if val is not None})
    return flat


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write ``graph`` as GraphML (UTF-8); list and dict attributes become JSON strings."""
    import networkx as nx

    nx.write_graphml(flattened(graph), str(path), encoding="utf-8")


def node_link(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """``graph`` as node-link data (``nodes`` and ``edges``), ready for :func:`json.dumps`."""
    import networkx as nx

    data = nx.node_link_data(graph, edges="edges")
    data["graph"] = dict(graph.graph)
    return data


def write_node_link(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write ``graph`` as node-link JSON (UTF-8)."""
    path.write_text(json.dumps(node_link(graph), ensure_ascii=False, indent=1, default=str), encoding="utf-8")
