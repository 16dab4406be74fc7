"""``Landscape``: the landscape as a Python object, for scripts and notebooks.

>>> from kgraph import Landscape
>>> landscape = Landscape.load()                       # build/store, or the bundled data built in memory
>>> landscape.financials("SenseTime", metric="revenue")[0].amount("CNY").value
Decimal('3809000000')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kgraph.api.models import Company, Entity, Event, Headwind, Measurement, Product, Results, Rows, Source
from kgraph.api.reading import Reader
from kgraph.api.values import to_python, to_term
from kgraph.errors import KgraphError
from kgraph.namespaces import sparql_prologue
from kgraph.store.base import AskResult, SelectResult, Store

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Dataset


class QueryError(KgraphError):
    """A SPARQL query that cannot run: bad syntax, or a bound variable the query does not select."""


class Landscape:
    """A competitive landscape in a store, with typed helpers, SPARQL, and hand-overs to rdflib and networkx.

    Names (``"SenseTime"``, ``"商汤科技"``, ``"sensetime group"``) are resolved through labels and aliases, without
    regard to case; an unknown name raises :class:`kgraph.resolve.UnknownEntityError` suggesting close ones.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._reader = Reader(store)

    # -- opening --------------------------------------------------------------------------------------------------

    @classmethod
    def load(cls, *, build_dir: Path | str = "build") -> Landscape:
        """The built landscape (``build/store``, read-only) or, when there is no build, the bundled data built in
        memory (nothing is written)."""
        from kgraph.build import STORE_NAME
        from kgraph.resources import default_data_dir

        store_dir = Path(build_dir) / STORE_NAME
        if store_dir.is_dir():
            return cls.open(store_dir)
        return cls.from_files(default_data_dir())

    @classmethod
    def open(cls, location: Path | str | None = None, *, read_only: bool = True) -> Landscape:
        """The store at ``location``: an on-disk Oxigraph folder or a SPARQL endpoint URL (default: build/store)."""
        from kgraph.store import open_store

        return cls(open_store(location, read_only=read_only))

    @classmethod
    def from_files(cls, *paths: Path | str, ontology: Path | str | None = None, validate: bool = True) -> Landscape:
        """Compile data files or folders (with the bundled ontology, or ``ontology``) into an in-memory store.

        ``validate`` checks the data against the SHACL shapes first; bad input raises
        :class:`kgraph.errors.DataError` and nothing is loaded.
        """
        from kgraph.build import to_quads
        from kgraph.compile import compile_landscape
        from kgraph.errors import DataError
        from kgraph.infer import add_inferred
        from kgraph.store.oxigraph import OxigraphStore
        from kgraph.validate import shacl_problems

        compiled = compile_landscape([Path(p) for p in paths], ontology=Path(ontology) if ontology else None)
        if validate:
            problems = shacl_problems(compiled)
            if problems:
                raise DataError(problems)
        add_inferred(compiled.dataset)
        store = OxigraphStore()
        store.add_quads(to_quads(compiled))
        return cls(store)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Landscape:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- entities ----------------------------------------------------------------------------------------------

    def resolve(self, name: str, *, types: Iterable[str] | None = None) -> Entity:
        """The entity a label, alias or IRI names (optionally among ``types``, class names such as "Company")."""
        return self._reader.resolve(name, types=types)

    def company(self, name_or_iri: str) -> Company:
        """A company by name, alias or IRI, with its industries, markets, units, products and rivals."""
        return self._reader.company(name_or_iri)

    def companies(self, *, market: str | None = None, industry: str | None = None) -> Results[Company]:
        """All companies, or those active in ``market`` / belonging to ``industry``."""
        return self._reader.companies(market=market, industry=industry)

    def products(self, *, developer: str | None = None) -> Results[Product]:
        """All products, or those ``developer`` develops."""
        return self._reader.products(developer=developer)

    def competitors(self, name_or_iri: str) -> Results[Entity]:
        """The companies or products that compete with a company or product."""
        return self._reader.competitors(name_or_iri)

    # -- events and figures ------------------------------------------------------------------------------------

    def events(
        self,
        *,
        company: str | None = None,
        kind: str | None = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
    ) -> Results[Event]:
        """Events in time order; ``kind`` is an event class ("layoff", "ProductLaunch"; subclasses count);
        ``since``/``until`` are dates (``2023``, ``2023-04`` or ``2023-04-10``) that an event's span must overlap."""
        return self._reader.events(company=company, kind=kind, since=since, until=until)

    def timeline(
        self, company: str, *, since: str | dt.date | None = None, until: str | dt.date | None = None
    ) -> Results[Event]:
        """A company's events in time order (undated ones last, and left out when a range is given)."""
        return self._reader.timeline(company, since=since, until=until)

    def financials(
        self,
        company: str,
        *,
        metric: str | None = None,
        period: str | int | None = None,
        currency: str | None = None,
    ) -> Results[Measurement]:
        """A company's figures: one measurement per metric and period, with its amounts in each currency given."""
        return self._reader.financials(company, metric=metric, period=period, currency=currency)

    def headwinds(self, *, industry: str | None = None) -> Results[Headwind]:
        """Headwinds with what they weigh on and the companies there; optionally only those on ``industry``."""
        return self._reader.headwinds(industry=industry)

    def sources_of(self, fact: str | Mapping[str, Any] | Any) -> Results[Source]:
        """Where a fact or event comes from: an IRI, a result with ``iri``, or a fact dict of the projection."""
        return self._reader.sources_of(fact)

    # -- SPARQL, rdflib, networkx --------------------------------------------------------------------------------

    def query(self, sparql: str, /, **bindings: Any) -> Rows | bool | list[tuple[Any, Any, Any]]:
        """Run SPARQL with the standard prefixes declared; ``bindings`` fix variables to values (never pasted).

        A bound variable need not be selected. Values: :class:`kgraph.api.values.IRI` or a result
        (its ``iri``) bind as IRIs, ``str`` as a plain literal, numbers, booleans and dates as typed literals.
        SELECT gives :class:`Rows` of Python values, ASK a bool, CONSTRUCT/DESCRIBE (s, p, o) tuples.
        """
        terms = {name: to_term(value) for name, value in bindings.items()}
        prologue = sparql_prologue()
        try:
            result = self.store.query(prologue + sparql, bindings=terms)
        except (SyntaxError, RuntimeError, ValueError) as error:
            raise QueryError(f"the query cannot run: {_shift_lines(str(error), prologue.count(chr(10)))}") from None
        if isinstance(result, AskResult):
            return bool(result)
        if isinstance(result, SelectResult):
            return Rows(
                result.variables,
                ({v: to_python(row.get(v)) for v in result.variables} for row in result),
            )
        return [(to_python(t.subject), to_python(t.predicate), to_python(t.object)) for t in result]

    def to_rdflib(self) -> Dataset:
        """Every named graph as an rdflib ``Dataset`` (the default graph is their union)."""
        from rdflib import Dataset

        dataset = Dataset(default_union=True)
        dataset.parse(data=self.store.dump(ox.RdfFormat.N_QUADS), format="nquads")
        return dataset

    def to_networkx(self, **options: Any) -> nx.MultiDiGraph:
        """The projection a person would draw (:func:`kgraph.analytics.projection.project`; same options)."""
        from kgraph.analytics.projection import project

        return project(self.store, **options)

    def view(
        self,
        *,
        focus: str | Iterable[str] = (),
        depth: int = 1,
        types: Iterable[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        height: int = 640,
    ) -> Any:
        """The interactive view for a notebook cell (:func:`kgraph.view.notebook.inline_view`): the whole landscape,
        or what lies within ``depth`` hops of ``focus`` (names or IRIs); ``.save(path)`` writes the page."""
        from kgraph.view.notebook import inline_view

        names = [focus] if isinstance(focus, str) else list(focus)
        return inline_view(
            self.store,
            focus=names,
            depth=depth,
            types=list(types) if types else None,
            since=since,
            until=until,
            height=height,
        )

    def __repr__(self) -> str:
        return f"<Landscape: {len(self.store)} triples in {len(self.store.named_graphs())} named graphs>"


def _shift_lines(message: str, lines: int) -> str:
    """Report positions in the user's text: ``error at 15:3`` -> ``error at line 2, column 3``."""

    def shifted(match: re.Match[str]) -> str:
        return f"line {int(match[1]) - lines}, column {match[2]}"

    return re.sub(r"(?<=error at )(\d+):(\d+)", shifted, message)
