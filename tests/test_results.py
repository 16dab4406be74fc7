"""Tables for people (kgraph.queries.results): one column per thing, amounts and dates as a person reads them."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgraph.queries.results import cell, people_columns, with_label_columns
from kgraph.store.base import SelectResult

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "https://example.org/"


def date(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))


def number(text: str, kind: str = "decimal") -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(XSD + kind))


@pytest.mark.parametrize(
    ("earliest", "latest", "shown"),
    [
        ("2023-04-17", "2023-04-17", "2023-04-17"),
        ("2023-04-01", "2023-04-30", "2023-04"),
        ("2024-02-01", "2024-02-29", "2024-02"),
        ("2022-01-01", "2022-12-31", "2022"),
        ("2023-04-10", "2023-05-02", "2023-04-10 – 2023-05-02"),
    ],
)
def test_a_span_shows_at_its_precision(earliest: str, latest: str, shown: str) -> None:
    result = SelectResult(["event", "earliest", "latest"], [{"earliest": date(earliest), "latest": date(latest)}])
    columns = people_columns(result)
    assert [c.header for c in columns] == ["date"]
    assert cell(result.rows[0], columns[0], {}) == shown


def test_one_column_per_thing() -> None:
    rival = ox.NamedNode(EX + "chatgpt")
    row = {
        "entity": ox.NamedNode(EX + "sensenova"),
        "rival": rival,
        "rivalLabel": ox.Literal("ChatGPT"),
        "value": number("-4736000000"),
        "currencyCode": ox.Literal("CNY"),
        "converted": ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
        "fiscalYear": number("2022", "integer"),
        "yearOnYearChange": number("-19"),
        "date": ox.Literal("2023-04", datatype=ox.NamedNode(XSD + "gYearMonth")),
        "earliest": date("2023-04-01"),
        "latest": date("2023-04-30"),
        "inferred": ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
    }
    result = SelectResult(list(row), [row])
    columns = people_columns(result, hidden={"entity"})
    assert [c.header for c in columns] == ["rival", "value", "fiscal year", "year on year change", "date"]
    shown = [cell(row, column, {}) for column in columns]
    assert shown == ["ChatGPT", "CNY -4,736,000,000\n(converted)", "2022", "-19%", "2023-04 (inferred)"]


def test_label_columns_for_a_spreadsheet() -> None:
    rows = [{"product": ox.NamedNode(EX + "a"), "label": ox.Literal("A"), "maker": ox.NamedNode(EX + "m")}]
    labelled = with_label_columns(SelectResult(["product", "label", "maker"], rows), {EX + "m": "Maker"})
    assert labelled.variables == ["product", "label", "maker", "makerLabel"]  # ``label`` already labels product
    assert labelled.rows[0]["makerLabel"] == ox.Literal("Maker")
