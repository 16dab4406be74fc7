"""The one grammar for values a person types, as RDF terms that are bound to queries, never pasted into them.

The command line (``--bind``, ``--since``), the Python API, the view and the analytics all read values here:

- dates at any precision: ``2023``, ``2023-04``, ``2023-04-17`` (:func:`day_of`: a period's first or last day);
- IRIs (``<https://...>``, ``https://...``, ``kgd:sensetime``), quoted literals (``"text"@en``,
  ``"2023"^^xsd:gYear``), numbers and ``true``/``false`` (:func:`parse_value`);
- classes and kinds of event by name (``Layoff``, ``product launch``; :func:`resolve_class`);
- entities by label or alias (:func:`read_value` with ``kind="entity"``, through :class:`kgraph.resolve.EntityIndex`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kgraph import dates
from kgraph.errors import KgraphError
from kgraph.vocabulary import PREFIXES

if TYPE_CHECKING:
    from kgraph.resolve import EntityIndex
    from kgraph.store.base import Store

XSD = "http://www.w3.org/2001/XMLSchema#"
_PREFIXED = re.compile(r"^(?P<prefix>[A-Za-z][\w.-]*)?:(?P<local>[\w.%/-]*)$")
_QUOTED = re.compile(r'^"(?P<text>.*)"(?:@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(?P<type>\S+))?$', re.DOTALL)
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
_DOUBLE = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
#: The kinds of value :func:`read_value` reads.
KINDS = ("entity", "class", "date", "string", "number", "iri", "any")


class TermError(KgraphError, ValueError):
    """A value cannot be read as the RDF term it should be."""


def parse_iri(text: str) -> ox.NamedNode | None:
    """``<http://...>``, a prefixed name with a known prefix (``kgd:sensetime``), or an absolute http(s) IRI."""
    text = text.strip()
    try:
        if text.startswith("<") and text.endswith(">"):
            return ox.NamedNode(text[1:-1])
        if text.startswith(("http://", "https://", "urn:")) and not any(c in text for c in ' <>"{}|\\^`'):
            return ox.NamedNode(text)
    except ValueError as error:
        raise TermError(f"{text!r} is not a valid IRI: {error}") from None
    match = _PREFIXED.match(text)
    if match and (match["prefix"] or "") in PREFIXES:
        return ox.NamedNode(PREFIXES[match["prefix"] or ""] + match["local"])
    return None


def day_of(value: str | dt.date, *, last: bool = False) -> dt.date:
    """The first day that ``2023``, ``2023-04`` or ``2023-04-17`` covers, or with ``last`` the last one."""
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        day = dates.bound(value, last=last)
    except dates.DateError:
        raise TermError(f"{str(value).strip()!r} is not a date: write 2023, 2023-04 or 2023-04-17") from None
    assert day is not None
    return day


def parse_date(text: str | dt.date, *, last: bool = False) -> ox.Literal:
    """An ``xsd:date``: the first (or ``last``) day of ``2023``, ``2023-04`` or ``2023-04-17``."""
    return ox.Literal(day_of(text, last=last).isoformat(), datatype=ox.NamedNode(XSD + "date"))


def parse_number(text: str) -> ox.Literal:
    """An ``xsd:integer``, ``xsd:decimal`` or ``xsd:double`` from its usual spelling."""
    text = text.strip()
    if _INTEGER.match(text):
        return ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))
    if _DECIMAL.match(text):
        try:
            return ox.Literal(str(Decimal(text)), datatype=ox.NamedNode(XSD + "decimal"))
        except InvalidOperation:
            pass
    if _DOUBLE.match(text):
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "double"))
    raise TermError(f"{text!r} is not a number")


def parse_literal(text: str) -> ox.Literal | None:
    """``"text"``, ``"text"@lang`` or ``"text"^^datatype`` (the datatype an IRI or prefixed name)."""
    match = _QUOTED.match(text)
    if not match:
        return None
    value = match["text"]
    if match["lang"]:
        return ox.Literal(value, language=match["lang"])
    if match["type"]:
        datatype = parse_iri(match["type"])
        if datatype is None:
            raise TermError(f"unknown datatype {match['type']!r} (use <IRI> or a prefix such as xsd:)")
        return ox.Literal(value, datatype=datatype)
    return ox.Literal(value)


def parse_value(text: str) -> ox.NamedNode | ox.Literal | None:
    """A value whose form says what it is: IRI, prefixed name, quoted literal, number, date or boolean.

    ``2023-04-17`` is an ``xsd:date``, ``2023-04`` an ``xsd:gYearMonth`` and ``2023`` a number (write
    ``"2023"^^xsd:gYear`` for the year). Anything else (a bare name) gives ``None``: an entity's or a class's name.
    """
    stripped = text.strip()
    for read in (parse_iri, parse_literal):
        term = read(stripped)
        if term is not None:
            return term
    if stripped in ("true", "false"):
        return ox.Literal(stripped, datatype=ox.NamedNode(XSD + "boolean"))
    if _DATE.match(stripped):
        return parse_date(stripped)
    if _YEAR_MONTH.match(stripped):
        return ox.Literal(stripped, datatype=ox.NamedNode(XSD + "gYearMonth"))
    try:
        return parse_number(stripped)
    except TermError:
        return None


def _folded(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.casefold())


def resolve_class(store: Store, name: str, *, within: str | None = None) -> ox.NamedNode:
    """The class of the ontology that ``name`` names (``Layoff``, ``product launch``, ``kg:Layoff``).

    Only subclasses of ``within`` (a class IRI, or a class of kgraph's ontology by local name: ``"Event"``) count
    when it is given. Case, spaces and punctuation do not matter; the ontology kgraph ships with answers when
    ``store`` holds none; an unknown name lists the close ones.
    """
    within = _kg(within) if within and ":" not in within else within
    known = _class_names(store, within) or _bundled_class_names(within)
    iri = parse_iri(name)
    if iri is not None and (iri.value in dict(known) or not known):
        return iri
    wanted = _folded(_local(iri.value) if iri is not None else name)
    names: dict[str, str] = {}
    for cls, label in known:
        for spelling in (_local(cls), label):
            if spelling:
                names.setdefault(_folded(spelling), cls)
    if wanted in names:
        return ox.NamedNode(names[wanted])
    close = sorted({_local(names[c]) for c in difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)})
    hint = f"did you mean {', '.join(close)}? " if close else ""
    shown = ", ".join(sorted({_local(cls) for cls, _ in known}))
    raise TermError(f"no class is called {name!r}: {hint}the classes are {shown}")


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def _class_names(store: Store, within: str | None) -> list[tuple[str, str | None]]:
    from kgraph import sparql
    from kgraph.store.base import SelectResult

    bindings = {"root": ox.NamedNode(within)} if within else {}
    result = store.query(sparql.load("class_names"), bindings=bindings)
    if not isinstance(result, SelectResult):
        return []
    return [(row["class"].value, row["label"].value if "label" in row else None) for row in result.rows]


@functools.cache
def _bundled_class_names(within: str | None) -> list[tuple[str, str | None]]:
    from kgraph.resources import ontology_file
    from kgraph.store.oxigraph import OxigraphStore

    ontology = OxigraphStore()
    ontology.add_quads(list(ox.parse(path=str(ontology_file()), format=ox.RdfFormat.TURTLE)))
    return _class_names(ontology, within)


def read_value(
    raw: str,
    kind: str = "any",
    *,
    store: Store | None = None,
    types: tuple[str, ...] = (),
    last: bool = False,
    index: EntityIndex | None = None,
) -> ox.NamedNode | ox.Literal:
    """``raw`` read as a value of ``kind`` (one of :data:`KINDS`): the one place every command and API reads values.

    ``entity``: a label or alias (resolved in ``store``, among ``types`` if given) or an IRI; ``class``: a class by
    name under ``types[0]`` or an IRI; ``date``: ``2023``, ``2023-04`` or ``2023-04-17`` as the period's first day (its
    ``last`` with ``last``); ``number``, ``iri``, ``string`` (``"quoted"`` forms accepted); ``any``: the form says
    what it is (:func:`parse_value`), and a bare name is an entity, else a class. ``index`` saves reading the
    store's names again when several values are read.
    """
    if kind not in KINDS:
        raise TermError(f"unknown kind of value {kind!r}: one of {', '.join(KINDS)}")
    if kind == "date":
        return parse_date(raw, last=last)
    if kind == "number":
        return parse_number(raw)
    if kind == "string":
        quoted = parse_literal(raw.strip()) if raw.strip().startswith('"') else None
        return ox.Literal(quoted.value) if quoted is not None else ox.Literal(raw)
    if kind == "any":
        term = parse_value(raw)
        if term is not None:
            return term
    elif kind in ("entity", "iri", "class"):
        node = parse_iri(raw)
        if node is not None and (kind != "class" or store is None):
            return node
        if kind == "iri":
            raise TermError(f"{raw!r} is not an IRI (<...>, or a prefixed name such as kgd:sensetime)")
    if store is None:
        raise TermError(f"reading the name {raw!r} needs a store")
    if kind == "class":
        return resolve_class(store, raw, within=types[0] if types else None)
    from kgraph.resolve import EntityIndex, UnknownEntityError

    try:
        return ox.NamedNode((index or EntityIndex.from_store(store)).resolve(raw, types=types or None).iri)
    except UnknownEntityError:
        if kind == "entity":
            raise
        try:
            return resolve_class(store, raw)
        except TermError:
            pass
        raise


def _kg(name: str) -> str:
    return PREFIXES["kg"] + name
