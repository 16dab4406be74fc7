"""Named questions: bundled SPARQL queries (``*.rq`` in this package) with a description and declared parameters.

Each file starts with a header in comments::

    # name: timeline
    # description: A company's events in time order, optionally between two dates.
    # param: company (entity, required): the company
    # param: since (date, optional): first day

A parameter is a SPARQL variable of the same name, fixed through the store's ``bindings`` (never pasted into the
text). Every bundled query keeps these rules:

- a parameter is listed in the SELECT clause: Oxigraph substitutes such a variable before it evaluates the query
  (any other bound variable joins the pattern as a ``VALUES`` block, which can be slower);
- its rows are in a complete order (``ORDER BY`` ends with every other variable), so pages never overlap; a
  question with many rows may order its keys in a subquery ended by ``# page keys`` (see :data:`PAGE_KEYS`): every
  key must give at least one row, and the outer ``ORDER BY`` must begin with the subquery's. Neither the subquery
  nor the pattern joined to it may hold a property path or a ``FILTER EXISTS``: Virtuoso 7.2 then answers wrongly;
- an optional parameter is tested with ``NOT EXISTS { FILTER (?param = ?param) } || test`` (true when no value is
  given), never with ``BOUND(?param)``: Oxigraph decides ``BOUND`` of a variable the pattern never binds when it plans
  the query, before the substitution. Nor with ``COALESCE(test, true)``, which relies on an error inside ``COALESCE``
  that Virtuoso 7.2 does not catch; the ``NOT EXISTS`` form is plain SPARQL 1.1 that both evaluate alike.

Kinds of parameter, read by :func:`kgraph.queries.terms.read_value` as everywhere else: ``entity`` (a label, alias
or IRI of an entity; ``entity:Company|Organization`` limits the candidates), ``class`` (a class by name, such as
``Layoff``, or IRI; ``class:Event`` only its subclasses), ``date`` (``2023``, ``2023-04`` or ``2023-04-17``, the
period's first day; ``date:last`` its last day), ``string``, ``number`` and ``iri``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pyoxigraph as ox

from kgraph.errors import KgraphError
from kgraph.queries.terms import TermError, parse_iri, read_value
from kgraph.store.base import QueryResult, Store, Term
from kgraph.vocabulary import sparql_prologue

KINDS = ("entity", "class", "date", "string", "number", "iri")
#: Ends a subquery that orders the keys of the rows (the entities) as the whole answer does: a page asks it for the
#: first ``offset + limit`` keys only (each key gives one row or more), so a page does not build every row first.
PAGE_KEYS = "# page keys"
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<kind>[a-z]+)(?::(?P<types>[A-Za-z|]+))?\s*,\s*"
    r"(?P<need>required|optional)(?:\s*,\s*default\s+(?P<default>[^)]+?))?\s*\)\s*:\s*(?P<doc>.+)$"
)


class QueryNotFoundError(KgraphError, LookupError):
    """No named question has that name; the message suggests close ones."""


class ParameterError(KgraphError, ValueError):
    """A value given for a parameter is missing, unknown or of the wrong kind."""


@dataclass(frozen=True)
class Parameter:
    """A parameter of a named question: a variable of the query, with its kind."""

    name: str
    kind: str
    required: bool
    description: str
    types: tuple[str, ...] = ()
    default: str | None = None

    def describe(self) -> str:
        """``company (entity Company, required): the company``."""
        kind = f"{self.kind} {'/'.join(self.types)}" if self.types and self.kind != "date" else self.kind
        need = "required" if self.required else "optional"
        default = f", default {self.default}" if self.default else ""
        return f"{self.name} ({kind}, {need}{default}): {self.description}"


@dataclass(frozen=True)
class NamedQuery:
    """A bundled SPARQL query with what it answers and the parameters it takes."""

    name: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    #: The ``.rq`` file the question was read from (named in error messages).
    path: str | None = None

    @property
    def sparql(self) -> str:
        """The query text with the standard prefixes declared."""
        return sparql_prologue() + self.text

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise ParameterError(f"{self.name} has no parameter {name!r} (its parameters: {known})")

    def bind(self, values: Mapping[str, str | Term], *, store: Store | None = None) -> dict[str, Term]:
        """Turn ``{parameter: raw value}`` into RDF terms; entity names are resolved in ``store``."""
        return bind_parameters(self, values, store=store)

    def page(self, *, limit: int | None = None, offset: int = 0) -> str:
        """The query text (prefixes declared) answering only rows ``offset`` to ``offset + limit`` of its order.

        Every named question orders its rows completely, so pages never overlap nor leave a row out.
        """
        for name, value in (("limit", limit), ("offset", offset)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ParameterError(f"{name} must be a whole number, 0 or more (not {value!r})")
        clauses = ([f"LIMIT {limit}"] if limit is not None else []) + ([f"OFFSET {offset}"] if offset else [])
        if not clauses:
            return self.sparql
        text = self.sparql
        if limit is not None:  # the subquery that picks the page's keys needs only the first offset + limit of them
            text = text.replace(PAGE_KEYS, f"LIMIT {offset + limit}")
        return f"{text.rstrip()}\n{' '.join(clauses)}\n"

    def run(
        self,
        store: Store,
        values: Mapping[str, str | Term] | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
        timeout: float | None = None,
    ) -> QueryResult:
        """Run the question on ``store`` with the given parameter values; ``limit``/``offset`` answer one page."""
        text = self.page(limit=limit, offset=offset)
        return store.query(text, bindings=self.bind(values or {}, store=store), timeout=timeout)


def parse_header(name: str, text: str, *, path: str | None = None) -> NamedQuery:
    """Read the ``# name:``, ``# description:`` and ``# param:`` lines at the top of a query file."""
    description = ""
    parameters: list[Parameter] = []
    declared = name
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line.lstrip("#").strip().partition(":")
        value = value.strip()
        if key == "name":
            declared = value
        elif key == "description":
            description = value
        elif key == "param":
            match = _PARAM.match(value)
            if not match or match["kind"] not in KINDS:
                raise KgraphError(f"{name}.rq: cannot read the parameter line {line!r}")
            parameters.append(
                Parameter(
                    name=match["name"],
                    kind=match["kind"],
                    required=match["need"] == "required",
                    description=match["doc"].strip(),
                    types=tuple(match["types"].split("|")) if match["types"] else (),
                    default=match["default"].strip() if match["default"] else None,
                )
            )
    if declared != name:
        raise KgraphError(f"{name}.rq declares the name {declared!r}: the file and the name must agree")
    if not description:
        raise KgraphError(f"{name}.rq has no '# description:' line")
    return NamedQuery(name, description, tuple(parameters), text, path)


@cache
def catalog() -> dict[str, NamedQuery]:
    """Every named question, by name, in alphabetical order."""
    files = sorted(
        (entry for entry in resources.files(__package__).iterdir() if entry.name.endswith(".rq")),
        key=lambda entry: entry.name,
    )
    found = {}
    for entry in files:
        name = entry.name[: -len(".rq")]
        found[name] = parse_header(name, entry.read_text(encoding="utf-8"), path=str(entry))
    return found


def get(name: str) -> NamedQuery:
    """The named question ``name``; raise :class:`QueryNotFoundError` with close names otherwise."""
    queries = catalog()
    key = name.strip().replace("-", "_")
    if key in queries:
        return queries[key]
    close = difflib.get_close_matches(key, list(queries), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; 'kgraph queries' lists them"
    raise QueryNotFoundError(f"no named question is called {name!r}{hint}")


def bind_parameters(
    query: NamedQuery, values: Mapping[str, str | Term], *, store: Store | None = None
) -> dict[str, Term]:
    """Check ``values`` against the query's parameters and convert them to RDF terms.

    Raw strings are read by kind; ready-made pyoxigraph terms are taken as they are. Entity names need ``store``
    (an IRI does not). Unknown names, missing required values and ambiguous names raise errors.
    """
    for name in values:
        query.parameter(name)
    bound: dict[str, Term] = {}
    index = None
    for parameter in query.parameters:
        raw = values.get(parameter.name, parameter.default)
        if raw is None:
            if parameter.required:
                raise ParameterError(f"{query.name} needs a value for {parameter.describe()}")
            continue
        if isinstance(raw, ox.NamedNode | ox.Literal | ox.BlankNode):
            bound[parameter.name] = raw
            continue
        if parameter.kind == "entity" and parse_iri(raw) is None and store is not None and index is None:
            from kgraph.resolve import EntityIndex

            index = EntityIndex.from_store(store)
        try:
            bound[parameter.name] = read_value(
                raw,
                parameter.kind,
                store=store,
                types=() if parameter.kind == "date" else parameter.types,
                last=parameter.kind == "date" and "last" in parameter.types,
                index=index,
            )
        except TermError as error:
            raise ParameterError(f"{query.name}: {parameter.name}: {error}") from None
    return bound
