"""Query results written out: W3C SPARQL 1.1 results (JSON, CSV, TSV), Turtle, and tables for people."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from kgraph import sparql
from kgraph.store.base import AskResult, GraphResult, SelectResult, Store, Term
from kgraph.vocabulary import PREFIXES

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
#: Up to this many IRIs have their labels looked up one by one; more are labelled from one query for all labels.
FEW_LABELS = 50


def _term_json(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    found = {"type": "literal", "value": term.value}
    if term.language:
        found["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        found["datatype"] = term.datatype.value
    return found


def sparql_json(result: SelectResult | AskResult) -> bytes:
    """The result in the W3C SPARQL 1.1 Query Results JSON format."""
    if isinstance(result, AskResult):
        document: dict = {"head": {}, "boolean": result.value}
    else:
        bindings = [{name: _term_json(term) for name, term in row.items()} for row in result.rows]
        document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def serialise(result: SelectResult | AskResult, format: str) -> bytes:
    """The result as ``json``, ``csv``, ``tsv`` or ``xml`` (W3C formats, written by pyoxigraph)."""
    parsed = ox.parse_query_results(sparql_json(result), format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=RESULT_FORMATS[format]) or b""


def turtle(result: GraphResult) -> bytes:
    """CONSTRUCT or DESCRIBE triples as Turtle with kgraph's prefixes."""
    return ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""


def compact(iri: str) -> str:
    """``kgd:sensetime`` for an IRI under a known prefix, else ``<iri>``."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            local = iri[len(namespace) :]
            if local and all(c.isalnum() or c in "_-." for c in local):
                best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else f"<{iri}>"


def labels(store: Store, iris: Iterable[str]) -> dict[str, str]:
    """``rdfs:label`` of each IRI that has one: looked up one by one (through bindings), or all at once for many."""
    wanted = sorted(set(iris))
    found: dict[str, str] = {}
    if len(wanted) > FEW_LABELS:
        result = store.query(sparql.load("all_labels"))
        if isinstance(result, SelectResult):
            keep = set(wanted)
            for row in result.rows:
                iri = row["entity"].value
                if iri in keep and iri not in found:
                    found[iri] = row["label"].value
        return found
    query = sparql.load("label_of")
    for iri in wanted:
        result = store.query(query, bindings={"entity": ox.NamedNode(iri)})
        if isinstance(result, SelectResult) and result.rows:
            found[iri] = result.rows[0]["label"].value
    return found


def with_label_columns(result: SelectResult, names: dict[str, str]) -> SelectResult:
    """The result with a ``<name>Label`` column beside each IRI column that has none (for spreadsheets)."""
    iris = [v for v in result.variables if any(isinstance(row.get(v), ox.NamedNode) for row in result.rows)]
    labelled = {v for v in iris if f"{v}Label" in result.variables}
    if "label" in result.variables:  # ``label`` is the label of the first column of IRIs without one
        owner = next((v for v in iris if v not in labelled), None)
        if owner is not None:
            labelled.add(owner)
    variables: list[str] = []
    added = []
    for v in result.variables:
        variables.append(v)
        label = f"{v}Label"
        if v in iris and v not in labelled:
            variables.append(label)
            added.append((v, label))
    rows = []
    for row in result.rows:
        row = dict(row)
        for v, label in added:
            term = row.get(v)
            if isinstance(term, ox.NamedNode) and term.value in names:
                row[label] = ox.Literal(names[term.value])
        rows.append(row)
    return SelectResult(variables, rows)


def display(term: Term, names: dict[str, str]) -> str:
    """A term for a person: an entity's label, a compact IRI, or a literal's text."""
    if isinstance(term, ox.NamedNode):
        return names.get(term.value) or compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


# -- tables for people -------------------------------------------------------------------------------------------

XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMBERS = {XSD + name for name in ("decimal", "integer", "double", "float", "int", "long", "nonNegativeInteger")}
_CURRENCY_COLUMNS = ("currencyCode", "currency")
_SPAN = ("earliest", "latest")


@dataclass(frozen=True)
class Column:
    """A column of a table for people: the variable it shows and how."""

    variable: str
    header: str
    label: str | None = None  # the variable holding this column's labels (``rival`` -> ``rivalLabel``)
    currency: str | None = None  # the variable holding the currency of this column's amounts
    span: bool = False  # this column shows ``date`` or ``earliest``/``latest`` as one date at its precision
    numeric: bool = False


def people_columns(result: SelectResult, *, hidden: Iterable[str] = ()) -> list[Column]:
    """The columns a person reads, one per thing.

    Left out: ``hidden`` variables (bound parameters) and those bound in no row. An IRI column shows its label from
    a ``<name>Label`` (or ``label``) column, which is then not shown apart; amounts take the currency of a
    ``currencyCode`` column (and ``converted``); ``date``, ``earliest``/``latest`` and ``inferred`` become one date
    at its precision.
    """
    hide = set(hidden)
    present = [v for v in result.variables if v not in hide and any(v in row for row in result.rows)]
    if not present:
        return [Column(v, _words(v)) for v in result.variables if v not in hide] or [
            Column(v, _words(v)) for v in result.variables
        ]
    iris = {v for v in present if any(isinstance(row.get(v), ox.NamedNode) for row in result.rows)}
    numeric = {
        v
        for v in present
        if any(isinstance(t := row.get(v), ox.Literal) and t.datatype.value in _NUMBERS for row in result.rows)
    }
    labels = {v: f"{v}Label" for v in present if f"{v}Label" in present and v in iris}
    if "label" in present and "label" not in labels.values():
        owner = next((v for v in present if v in iris and v not in labels), None)
        if owner is not None:
            labels[owner] = "label"
    currency = next((c for c in _CURRENCY_COLUMNS if c in present and c not in numeric), None)
    span = all(v in present for v in _SPAN)
    dated = "date" if span and "date" in present else "earliest"
    skip = set(labels.values()) | ({currency, "converted"} if currency else set())
    if span:
        skip |= {*_SPAN, "date", "inferred"} - {dated}
    columns = []
    for v in present:
        if v in skip:
            continue
        if span and v == dated:
            columns.append(Column(v, "date", span=True))
            continue
        header = _words(v[: -len("Label")] if v.endswith("Label") and len(v) > 5 else v)
        money = currency if v in numeric and ("value" in v.lower() or "amount" in v.lower()) else None
        columns.append(Column(v, header, label=labels.get(v), currency=money, numeric=v in numeric))
    return columns


def cell(row: dict[str, Term], column: Column, names: dict[str, str]) -> str:
    """What a table shows for ``column`` in ``row``."""
    if column.span:
        when = row["date"].value if "date" in row else _span(row.get("earliest"), row.get("latest"))
        inferred = row.get("inferred")
        return f"{when} (inferred)" if when and inferred is not None and inferred.value in ("true", "1") else when
    term = row.get(column.variable)
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode) and column.label and column.label in row:
        return row[column.label].value
    if not isinstance(term, ox.Literal):
        return display(term, names)
    datatype = term.datatype.value
    if datatype == XSD + "boolean":
        return "yes" if term.value in ("true", "1") else "no"
    if datatype in _NUMBERS and not column.variable.lower().endswith("year"):
        text = _grouped(term.value)
        if column.currency and column.currency in row:
            converted = row.get("converted")
            note = "\n(converted)" if converted is not None and converted.value in ("true", "1") else ""
            return f"{row[column.currency].value} {text}{note}"
        if column.variable.endswith(("Change", "Share")):
            return f"{text}%"
        return text
    return term.value


def _grouped(number: str) -> str:
    """``-4736000000`` -> ``-4,736,000,000``; ``0.125`` stays; anything unreadable is kept as written."""
    try:
        value = Decimal(number)
    except InvalidOperation:
        return number
    if not value.is_finite():
        return number
    if value == value.to_integral_value() and "e" not in number.lower():
        return f"{int(value):,}"
    return f"{value:,f}" if "e" not in number.lower() else number


def _span(earliest: Term | None, latest: Term | None) -> str:
    """A date at its precision: ``2023-04-17``, ``2023-04`` (a whole month), ``2023`` (a whole year), or a range."""
    if earliest is None or latest is None:
        return (earliest or latest).value if (earliest or latest) is not None else ""  # type: ignore[union-attr]
    try:
        first, last = dt.date.fromisoformat(earliest.value[:10]), dt.date.fromisoformat(latest.value[:10])
    except ValueError:
        return f"{earliest.value} – {latest.value}"
    if first == last:
        return first.isoformat()
    month_end = calendar.monthrange(first.year, first.month)[1]
    if first.day == 1 and (last.year, last.month, last.day) == (first.year, first.month, month_end):
        return f"{first:%Y-%m}"
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
        return str(first.year)
    return f"{first.isoformat()} – {last.isoformat()}"


def _words(name: str) -> str:
    """``yearOnYearChange`` -> ``year on year change``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()
