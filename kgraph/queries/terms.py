"""Read values typed by a person (``--bind NAME=VALUE``) as RDF terms, without ever pasting them into SPARQL."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from kgraph.errors import KgraphError
from kgraph.vocabulary import PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"
_PREFIXED = re.compile(r"^(?P<prefix>[A-Za-z][\w.-]*)?:(?P<local>[\w.%/-]*)$")
_QUOTED = re.compile(r'^"(?P<text>.*)"(?:@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(?P<type>\S+))?$', re.DOTALL)
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
_DOUBLE = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


def parse_date(text: str) -> ox.Literal:
    """An ``xsd:date`` from ``YYYY-MM-DD`` (a real calendar day)."""
    text = text.strip()
    try:
        if not _DATE.match(text):
            raise ValueError
        dt.date.fromisoformat(text)
    except ValueError:
        raise TermError(f"{text!r} is not a date: write YYYY-MM-DD, such as 2023-04-01") from None
    return ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))


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

    Anything else (a bare name) gives ``None``: the caller resolves it as an entity label.
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
    try:
        return parse_number(stripped)
    except TermError:
        return None
