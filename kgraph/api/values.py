"""RDF terms to Python values and back: what :meth:`kgraph.Landscape.query` returns and accepts as bindings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from kgraph.errors import KgraphError
from kgraph.vocabulary import XSD, literal

_INTEGERS = {
    XSD[name].value
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}


class IRI(str):
    """An IRI in a result row: a string that binds back as an IRI (not as a literal) when passed to a query."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"IRI({str(self)!r})"


class BindingError(KgraphError, TypeError):
    """A Python value that cannot be bound to a query variable."""


def to_python(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> Any:
    """A Python value for an RDF term: :class:`IRI`, ``Decimal``, ``int``, ``float``, ``bool``, ``date``,
    ``datetime`` or ``str`` (partial dates such as ``2023-04`` and durations stay as their lexical form); a quoted
    triple is a tuple of three."""
    if term is None:
        return None
    if isinstance(term, ox.Triple):
        return (to_python(term.subject), to_python(term.predicate), to_python(term.object))
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    datatype = term.datatype.value
    text = term.value
    try:
        if datatype == XSD.decimal.value:
            return Decimal(text)
        if datatype in _INTEGERS:
            return int(text)
        if datatype in (XSD.double.value, XSD.float.value):
            return float(text)
        if datatype == XSD.boolean.value:
            return text in ("true", "1")
        if datatype == XSD.date.value:
            return dt.date.fromisoformat(text)
        if datatype == XSD.dateTime.value:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, InvalidOperation):
        return text
    return text


def to_term(value: Any) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """An RDF term for a Python value bound to a query variable (never pasted into the query text).

    :class:`IRI` and results with an ``iri`` become IRIs; ``str`` a plain literal, whatever it contains; numbers,
    booleans and dates typed literals.
    """
    if isinstance(value, ox.NamedNode | ox.Literal | ox.BlankNode):
        return value
    if isinstance(value, IRI):
        return ox.NamedNode(str(value))
    iri = getattr(value, "iri", None)
    if isinstance(iri, str) and not isinstance(value, str):
        return ox.NamedNode(iri)
    if isinstance(value, bool | int | Decimal | float | dt.date | str):
        return literal(value)
    raise BindingError(f"cannot bind a value of type {type(value).__name__} to a query variable")
