"""The one grammar for values: dates at any precision, classes by name, entities by name, literals by their form."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kgraph import Landscape
from kgraph.analytics.projection import project
from kgraph.build import STORE_NAME, BuildResult
from kgraph.cli import app
from kgraph.namespaces import KG, KGD
from kgraph.queries.terms import TermError, day_of, parse_date, parse_value, read_value, resolve_class
from kgraph.resolve import UnknownEntityError
from kgraph.store.oxigraph import OxigraphStore

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2023", dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
        ("2023-04", dt.date(2023, 4, 1), dt.date(2023, 4, 30)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        (" 2023-04-17 ", dt.date(2023, 4, 17), dt.date(2023, 4, 17)),
        (dt.date(2023, 4, 17), dt.date(2023, 4, 17), dt.date(2023, 4, 17)),
    ],
)
def test_dates_at_any_precision_cover_a_span(text, first, last):
    assert day_of(text) == first and day_of(text, last=True) == last
    assert parse_date(text, last=True) == ox.Literal(last.isoformat(), datatype=ox.NamedNode(XSD + "date"))


@pytest.mark.parametrize("bad", ["2023-13", "2023-02-30", "23", "2023/04", "April 2023", "2023-4", ""])
def test_a_date_that_is_none_says_how_to_write_one(bad):
    with pytest.raises(TermError, match="write 2023, 2023-04 or 2023-04-17"):
        day_of(bad)


def test_values_by_their_form():
    assert parse_value("kgd:sensetime") == ox.NamedNode(str(KGD["sensetime"]))
    assert parse_value('"SenseTime"@en') == ox.Literal("SenseTime", language="en")
    assert parse_value("2023-04-17") == ox.Literal("2023-04-17", datatype=ox.NamedNode(XSD + "date"))
    assert parse_value("2023-04") == ox.Literal("2023-04", datatype=ox.NamedNode(XSD + "gYearMonth"))
    assert parse_value("2023") == ox.Literal("2023", datatype=ox.NamedNode(XSD + "integer"))
    assert parse_value("-4.5") == ox.Literal("-4.5", datatype=ox.NamedNode(XSD + "decimal"))
    assert parse_value("true") == ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))
    assert parse_value("SenseTime") is None  # a name: the caller resolves it


@pytest.mark.parametrize("name", ["Layoff", "layoff", "kg:Layoff", "LAYOFF", f"<{KG.Layoff}>"])
def test_classes_by_name_label_or_iri(seed_store: OxigraphStore, name: str):
    assert resolve_class(seed_store, name, within=str(KG.Event)) == ox.NamedNode(str(KG.Layoff))


def test_a_class_by_its_label_and_one_outside_the_root(seed_store: OxigraphStore):
    assert resolve_class(seed_store, "product launch") == ox.NamedNode(str(KG.ProductLaunch))
    assert resolve_class(seed_store, "Large language model") == ox.NamedNode(str(KG.LargeLanguageModel))
    with pytest.raises(TermError, match="did you mean Layoff"):
        resolve_class(seed_store, "Layof", within=str(KG.Event))
    with pytest.raises(TermError, match="no class is called 'Company'"):
        resolve_class(seed_store, "Company", within=str(KG.Event))


def test_a_store_without_the_ontology_reads_the_bundled_one():
    assert resolve_class(OxigraphStore(), "layoff") == ox.NamedNode(str(KG.Layoff))


def test_read_value_by_kind(seed_store: OxigraphStore):
    sensetime = ox.NamedNode(str(KGD["sensetime"]))
    assert read_value("商汤科技", "entity", store=seed_store) == sensetime
    assert read_value("SenseTime", store=seed_store) == sensetime  # a bare name: an entity first
    assert read_value("Layoff", store=seed_store) == ox.NamedNode(str(KG.Layoff))  # then a class
    assert read_value("2023", "date", last=True) == parse_date("2023-12-31")
    assert read_value("2023", "number") == ox.Literal("2023", datatype=ox.NamedNode(XSD + "integer"))
    assert read_value('"x"', "string") == ox.Literal("x") and read_value("x y", "string") == ox.Literal("x y")
    with pytest.raises(UnknownEntityError):
        read_value("Nobody at all", store=seed_store)
    with pytest.raises(TermError, match="not an IRI"):
        read_value("SenseTime", "iri")
    with pytest.raises(TermError, match="needs a store"):
        read_value("SenseTime", "entity")


# -- the same grammar everywhere ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store_path(seed_build: BuildResult) -> str:
    return str(seed_build.out_dir / STORE_NAME)


def _cli(store_path: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [*args, "--store", store_path])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("since", "until"), [("2023", None), ("2023-09", None), (None, "2023-04"), ("2022", "2022")])
def test_the_cli_the_api_and_the_projection_read_dates_alike(store_path: str, since, until):
    landscape = Landscape.open(Path(store_path))
    api = landscape.timeline("SenseTime", since=since, until=until).labels()
    graph = project(landscape.store, since=since, until=until)
    binds = [*(["-b", f"since={since}"] if since else []), *(["-b", f"until={until}"] if until else [])]
    code, out, _ = _cli(store_path, "query", "timeline", "-b", "company=SenseTime", *binds, "-f", "csv")
    assert code == (0 if api else 1)
    cli = [line.split(",")[2] for line in out.splitlines()[1:]]
    assert [label.split(" (")[0] for label in api] == [label.split(" (")[0] for label in cli] != []
    by_day = project(landscape.store, since=since and str(day_of(since)), until=until and str(day_of(until, last=True)))
    assert sorted(graph.edges(keys=True)) == sorted(by_day.edges(keys=True))
    landscape.close()


def test_kinds_by_name_in_named_questions_and_ad_hoc_queries(store_path: str):
    code, out, _ = _cli(store_path, "query", "events", "-b", "kind=Layoff", "-f", "csv")
    assert code == 0 and [line.split(",")[1] for line in out.splitlines()[1:]] == [f"{KGD}sensetime-layoffs-2023"]
    code, out, _ = _cli(store_path, "query", "events", "-b", "kind=product launch", "-f", "csv")
    assert code == 0 and f"{KGD}sensenova-launch" in out and "layoffs" not in out
    code, out, _ = _cli(store_path, "query", "SELECT ?e WHERE { ?e a ?kind }", "-b", "kind=Layoff", "-f", "csv")
    assert code == 0 and out.split() == ["e", f"{KGD}sensetime-layoffs-2023"]
    code, _, err = _cli(store_path, "query", "events", "-b", "kind=Layof")
    assert code == 2 and "did you mean Layoff" in err
    code, _, err = _cli(store_path, "query", "timeline", "-b", "company=SenseTime", "-b", "since=2023-13")
    assert code == 2 and "'2023-13' is not a date: write 2023, 2023-04 or 2023-04-17" in err


def test_the_projection_reads_kinds_by_name_as_everywhere(seed_store: OxigraphStore) -> None:
    by_local_name = project(seed_store, include=["Company", "Layoff"], exclude=["NewsArticle"])
    by_words = project(seed_store, include=["company", "layoff"], exclude=["news article"])
    assert sorted(by_words.nodes) == sorted(by_local_name.nodes) and len(by_words) > 0
    assert sorted(by_words.edges(keys=True)) == sorted(by_local_name.edges(keys=True))
    products = project(seed_store, include=["kg:LargeLanguageModel"])
    assert {attrs["type"] for _, attrs in products.nodes(data=True)} == {"LargeLanguageModel"}
    assert [attrs["label"] for _, attrs in products.nodes(data=True)] == ["SenseNova"]
