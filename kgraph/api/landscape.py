"""``Landscape``: the landscape as a Python object, for scripts and notebooks.

>>> from kgraph import Landscape
>>> landscape = Landscape.load()                       # build/store, or the bundled data built in memory
>>> landscape.financials("SenseTime", metric="revenue")[0].amount("CNY").value
Decimal('3809000000')
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgraph.api.models import Rows
from kgraph.api.reading import Reader
from kgraph.api.values import to_python, to_term
from kgraph.errors import KgraphError
from kgraph.store.base import AskResult, SelectResult, Store
from kgraph.store.oxigraph import syntax_message

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Dataset


class QueryError(KgraphError):
    """A SPARQL query that cannot run: bad syntax, or a bound variable the query does not select."""


class Landscape(Reader):
    """A competitive landscape in a store, with typed helpers (:class:`~kgraph.api.reading.Reader`'s), SPARQL, and
    hand-overs to rdflib and networkx: ``Landscape(store)``, or :meth:`load`, :meth:`open`, :meth:`from_files`.

    Names (``"SenseTime"``, ``"商汤科技"``, ``"sensetime group"``) are resolved through labels and aliases, without
    regard to case; an unknown name raises :class:`kgraph.resolve.UnknownEntityError` suggesting close ones.
    """

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
        from kgraph.pipeline import assemble
        from kgraph.store.oxigraph import OxigraphStore

        assembly = assemble([Path(p) for p in paths], ontology=Path(ontology) if ontology else None, validate=validate)
        store = OxigraphStore()
        store.add_quads(assembly.quads())
        return cls(store)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Landscape:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing (a store opened with read_only=False) ---------------------------------------------------------------

    def apply(self, sheet: Path | str, *, data: Path | str = "data") -> Any:
        """Add a reviewed fact sheet to ``data`` and to this store, as ``kgraph apply`` does (whole or nothing)."""
        from kgraph.ingest.apply import apply_sheet

        return apply_sheet(Path(sheet), data_dir=Path(data), store=self._writable())

    def retract(self, source: str, *, data: Path | str = "data") -> Any:
        """Remove a source from ``data`` and from this store, as ``kgraph retract`` does."""
        from kgraph.curate.retract import retract

        return retract(source, data_dir=Path(data), store=self._writable())

    def merge(self, keep: str, other: str, *, data: Path | str = "data") -> Any:
        """Merge the entity ``other`` into ``keep`` in ``data`` and in this store, as ``kgraph merge`` does."""
        from kgraph.curate.merge import merge

        return merge(keep, other, data_dir=Path(data), store=self._writable())

    def _writable(self) -> Store:
        if getattr(self.store, "read_only", False):
            raise KgraphError("this landscape was opened read-only: use Landscape.open(..., read_only=False)")
        for cached in ("index", "classes"):  # names and classes are read again after the write
            self.__dict__.pop(cached, None)
        return self.store

    # -- SPARQL, rdflib, networkx --------------------------------------------------------------------------------

    def query(self, sparql: str, /, **bindings: Any) -> Rows | bool | list[tuple[Any, Any, Any]]:
        """Run SPARQL with the standard prefixes declared; ``bindings`` fix variables to values (never pasted).

        A bound variable need not be selected. Values: :class:`kgraph.api.values.IRI` or a result
        (its ``iri``) bind as IRIs, ``str`` as a plain literal, numbers, booleans and dates as typed literals.
        SELECT gives :class:`Rows` of Python values, ASK a bool, CONSTRUCT/DESCRIBE (s, p, o) tuples.
        """
        terms = {name: to_term(value) for name, value in bindings.items()}
        try:
            result = self.store.query(sparql, bindings=terms)
        except SyntaxError as error:
            raise QueryError(f"the query cannot run: {syntax_message(error)}") from None
        except (RuntimeError, ValueError) as error:
            raise QueryError(f"the query cannot run: {error}") from None
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
        from kgraph.rdflib_bridge import to_dataset

        return to_dataset(self.store.quads())

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
        or what lies within ``depth`` hops of ``focus`` (names or IRIs), as :class:`kgraph.selection.Selection`
        chooses; ``.save(path)`` writes the page."""
        from kgraph.view.notebook import inline_view

        return inline_view(self.store, focus=focus, depth=depth, types=types, since=since, until=until, height=height)

    def __repr__(self) -> str:
        return f"<Landscape: {len(self.store)} triples in {len(self.store.named_graphs())} named graphs>"
