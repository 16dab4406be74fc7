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
- its rows are in a complete order (``ORDER BY`` ends with every other variable), so pages never overlap;
- an optional parameter is tested with ``NOT EXISTS { FILTER (?param = ?param) } || test`` (true when no value is
  given), never with ``BOUND(?param)``: Oxigraph decides ``BOUND`` of a variable the pattern never binds when it plans
  the query, before the substitution. Nor with ``COALESCE(test, true)``, which relies on an error inside ``COALESCE``
  that Virtuoso 7.2 does not catch; the ``NOT EXISTS`` form is plain SPARQL 1.1 that both evaluate alike.

Kinds of parameter: ``entity`` (a label, alias or IRI of an entity, resolved through :class:`EntityIndex`; an
optional ``entity:Class`` limits the candidates), ``date`` (YYYY-MM-DD), ``string``, ``number`` and ``iri``.
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
from kgraph.namespaces import sparql_prologue
from kgraph.queries.terms import TermError, parse_date, parse_iri, parse_literal, parse_number
from kgraph.store.base import QueryResult, Store, Term

KINDS = ("entity", "date", "string", "number", "iri")
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
        kind = f"{self.kind} {'/'.join(self.types)}" if self.types else self.kind
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
        return self.sparql if not clauses else f"{self.sparql.rstrip()}\n{' '.join(clauses)}\n"

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
        if parameter.kind == "entity" and parse_iri(raw) is None:
            if index is None:
                if store is None:
                    raise ParameterError(f"resolving the name {raw!r} needs a store")
                from kgraph.resolve import EntityIndex

                index = EntityIndex.from_store(store)
            candidate = index.resolve(raw, types=parameter.types or None)
            bound[parameter.name] = ox.NamedNode(candidate.iri)
            continue
        try:
            bound[parameter.name] = convert(parameter, raw)
        except TermError as error:
            raise ParameterError(f"{query.name}: {parameter.name}: {error}") from None
    return bound


def convert(parameter: Parameter, raw: str) -> Term:
    """A raw value read as the parameter's kind (entities only as IRIs here)."""
    if parameter.kind in ("entity", "iri"):
        node = parse_iri(raw)
        if node is None:
            raise TermError(f"{raw!r} is not an IRI (<...>, or a prefixed name such as kgd:sensetime)")
        return node
    if parameter.kind == "date":
        return parse_date(raw)
    if parameter.kind == "number":
        return parse_number(raw)
    quoted = parse_literal(raw.strip()) if raw.strip().startswith('"') else None
    return ox.Literal(quoted.value) if quoted is not None else ox.Literal(raw)
