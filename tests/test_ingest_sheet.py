"""Proposals become fact sheets of the curated shape: per fact kind, article -> ingest --apply -> question and API.

Each case ingests a short article through the CLI into a copy of data/ and of the built store, then asks the kind's
named question and the Python API for the values the article states: no rebuild in between.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph import Landscape
from kgraph.analytics.projection import project
from kgraph.build import STORE_NAME, BuildResult
from kgraph.cli import app
from kgraph.factsheet.read import read_fact_sheet
from kgraph.queries import get
from kgraph.store.oxigraph import OxigraphStore
from tests.conftest import DATA

KGD = "https://w3id.org/kgraph/id/"
PUBLISHED = "2024-03-05"


def _rows(store: OxigraphStore, question: str, **values: str) -> list[dict[str, str]]:
    result = get(question).run(store, values)
    return [{name: term.value for name, term in row.items()} for row in result]


def check_layoff(landscape: Landscape, store: OxigraphStore, source: str) -> None:
    [row] = _rows(store, "workforce_cuts", company="Acme Robotics")
    assert (row["unit"], row["minShare"], row["maxShare"], row["headcount"]) == (
        f"{KGD}acme-robotics",
        "12",
        "12",
        "300",
    )
    [layoff] = landscape.events(kind="layoff", company="Acme Robotics")
    [reduction] = layoff.reductions
    assert (reduction.unit, reduction.min_share, reduction.headcount) == ("Acme Robotics", Decimal(12), 300)


def check_financial_result(landscape: Landscape, store: OxigraphStore, source: str) -> None:
    rows = _rows(store, "financials", company="Acme Robotics")
    assert {(r["currencyCode"], r["value"]) for r in rows} == {("USD", "120000000")}
    [revenue] = landscape.financials("Acme Robotics", metric="revenue", period=2023)
    assert revenue.amount("USD").value == Decimal(120000000) and revenue.year_on_year == Decimal(-8)


def check_product_launch(landscape: Landscape, store: OxigraphStore, source: str) -> None:
    rows = _rows(store, "timeline", company="SenseTime", since="2024-01-01")
    assert [r["label"] for r in rows] == ["SenseTime launches SenseChat (2024-03-05)"]
    [launch] = landscape.timeline("SenseTime", since="2024")
    assert launch.product == "SenseChat" and launch.date == "2024-03-05"


def check_develops(landscape: Landscape, store: OxigraphStore, source: str) -> None:
    assert "ERNIE Bot" in {r.get("productLabel") for r in _rows(store, "products", company="Baidu")}
    assert "ERNIE Bot" in landscape.products(developer="Baidu").labels()


def check_competition(landscape: Landscape, store: OxigraphStore, source: str) -> None:
    rows = _rows(store, "competitors", entity="Baidu")
    assert (f"{KGD}alibaba", f"{KGD}{source}") in {(r["rival"], r.get("source")) for r in rows}
    assert "Alibaba" in landscape.competitors("Baidu").labels()


def check_headwind_affects(landscape: Landscape, store: OxigraphStore, source: str) -> None:
    rows = _rows(store, "headwinds", industry="Baidu")
    assert {(r["headwind"], r["source"]) for r in rows} == {(f"{KGD}us-china-chip-war", f"{KGD}{source}")}
    [headwind] = landscape.headwinds(industry="Baidu")
    assert headwind.label == "US–China chip war"


def check_statement(landscape: Landscape, store: OxigraphStore, source: str) -> None:
    rows = _rows(store, "events", kind="kg:CorporateStatement")
    assert (f"{KGD}sensetime", f"{KGD}{source}-statement-1") in {(r["company"], r["event"]) for r in rows}
    [statement] = [s for s in landscape.events(kind="CorporateStatement") if s.iri.startswith(f"{KGD}{source}")]
    assert statement.company == "SenseTime" and statement.sources == [f"{KGD}{source}"]
    said = [r["claim"] for r in _rows(store, "statements", company="SenseTime") if source in r["statement"]]
    assert said == ["The layoffs were part of a normal adjustment."]


def check_funding(landscape: Landscape, store: OxigraphStore, source: str) -> None:
    rows = _rows(store, "events", kind="kg:FundingRound")
    assert [r["company"] for r in rows] == [f"{KGD}acme-robotics"]
    [funding] = landscape.events(kind="FundingRound")
    assert funding.company == "Acme Robotics" and funding.sources
    rows = landscape.query("SELECT ?value ?round WHERE { ?f a kg:FundingRound ; kg:amount/schema:value ?value }")
    assert [row["value"] for row in rows] == [Decimal(50000000)]


def check_partnership(landscape: Landscape, store: OxigraphStore, source: str) -> None:
    rows = _rows(store, "events", kind="kg:Partnership")
    assert [(r["company"], r["event"]) for r in rows] == [(f"{KGD}baidu", f"{KGD}{source}-partnership-1")]
    assert [e.company for e in landscape.events(kind="Partnership")] == ["Baidu"]


#: The class of the fact each kind becomes, as the view's panel names it.
PANEL_KINDS = {
    "layoff": "Layoff",
    "financial_result": "FinancialMeasurement",
    "product_launch": "ProductLaunch",
    "develops": "ProductDevelopment",
    "competition": "Competition",
    "headwind_affects": "HeadwindExposure",
    "statement": "CorporateStatement",
    "funding": "FundingRound",
    "partnership": "Partnership",
}
CASES: dict[str, tuple[str, Callable[[Landscape, OxigraphStore, str], None]]] = {
    "layoff": ("Acme Robotics said on Monday it will cut 300 jobs, about 12% of its workforce.", check_layoff),
    "financial_result": (
        "Acme Robotics reported revenue of $120 million for 2023, down 8% from a year earlier.",
        check_financial_result,
    ),
    "product_launch": ("SenseTime launched SenseChat, a chatbot, on Tuesday.", check_product_launch),
    "develops": ("Baidu's ERNIE Bot is a large language model developed by Baidu.", check_develops),
    "competition": ("Baidu competes with Alibaba in the Chinese LLM market.", check_competition),
    "headwind_affects": ("The US-China chip war weighs on Baidu, analysts said.", check_headwind_affects),
    "statement": (
        "SenseTime said in a statement that the layoffs were part of a normal adjustment.",
        check_statement,
    ),
    "funding": (
        "Acme Robotics raised $50 million in a Series B round led by Sequoia Capital.",
        check_funding,
    ),
    "partnership": ("Baidu partnered with Tencent on cloud computing.", check_partnership),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_an_ingested_fact_of_each_kind_is_answered_without_a_rebuild(
    kind: str, seed_build: BuildResult, tmp_path: Path
) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(seed_build.out_dir / STORE_NAME, tmp_path / "store")
    text, check = CASES[kind]
    article = tmp_path / f"{kind}.txt"
    article.write_text(f"A {kind.replace('_', ' ')} story\n\n{text}\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["ingest", str(article), "--published", PUBLISHED, "--apply", "-q"]
        + ["--data", str(tmp_path / "data"), "--store", str(tmp_path / "store")],
    )
    assert result.exit_code == 0, result.stderr
    [applied] = [p for p in (tmp_path / "data").glob("*.yaml") if not (DATA / p.name).exists()]
    sheet = read_fact_sheet(applied).sheet
    assert kind in {fact.kind for fact in sheet.facts}
    with OxigraphStore.open(tmp_path / "store", read_only=True) as store:
        landscape = Landscape(store)
        check(landscape, store, sheet.source.id)
        graph = project(store)  # what the view's panel lists
    told = [f for _, data in graph.nodes(data=True) for f in data.get("facts", [])]
    told += [f for *_, data in graph.edges(data=True) for f in data.get("facts", [])]
    source = f"{KGD}{sheet.source.id}"
    kinds = {f["kind"] for f in told if source in {s["iri"] for s in f["sources"]}}
    assert PANEL_KINDS[kind] in kinds


def test_a_layoff_keeps_its_size_in_reductions_like_the_curated_sheets(seed_build: BuildResult) -> None:
    from kgraph.factsheet.models import DateValue
    from kgraph.ingest import Article, propose
    from kgraph.ingest.graph import index_from_data

    article = Article(
        "Cuts\n\nSenseTime laid off an estimated 10% to 15% of the staff in its Smart City and Business Group.",
        published=DateValue(value=PUBLISHED),
    )
    [layoff] = propose(article, index=index_from_data([DATA])).sheet.facts
    assert layoff.share is None and layoff.headcount is None
    [reduction] = layoff.reductions
    assert (reduction.unit, reduction.share.min, reduction.share.max, reduction.estimate) == (
        "sensetime-scg",
        10,
        15,
        True,
    )
