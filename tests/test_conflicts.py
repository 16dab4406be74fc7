"""Sources that disagree: the named question ``conflicts``, ``Landscape.conflicts()`` and the view's fact details."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kgraph import Landscape
from kgraph.analytics.projection import project
from kgraph.build import STORE_NAME, BuildResult
from kgraph.cli import app
from kgraph.queries import get
from kgraph.store.oxigraph import OxigraphStore
from tests.conftest import DATA

KGD = "https://w3id.org/kgraph/id/"
SECOND_OPINION = {
    "source": {"id": "second-opinion", "type": "news_article", "title": "Another account of SenseTime's 2022"},
    "facts": [
        {
            "id": "second-opinion-results",
            "kind": "financial_result",
            "subject": "sensetime",
            "period": {"fiscal_year": 2022},
            "measurements": [{"metric": "revenue", "amounts": [{"value": 3600000000, "currency": "CNY"}]}],
        },
        {"id": "second-opinion-launch", "kind": "product_launch", "subject": "sensetime", "object": "sensenova",
         "date": "2023-03"},
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def disputed(seed_build: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("conflicts")
    shutil.copytree(DATA, root / "data")
    shutil.copytree(seed_build.out_dir / STORE_NAME, root / "store")
    sheet = root / "second.yaml"
    sheet.write_text(yaml.safe_dump(SECOND_OPINION), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["apply", str(sheet), "--data", str(root / "data"), "--store", str(root / "store")]
    )
    assert result.exit_code == 0, result.stderr
    return root / "store"


def test_the_named_question_lists_each_disagreement_once_with_both_sources(disputed: Path) -> None:
    with OxigraphStore.open(disputed, read_only=True) as store:
        rows = [{k: v.value for k, v in row.items()} for row in get("conflicts").run(store)]
        about_sensenova = get("conflicts").run(store, {"entity": "SenseNova"})
    found = {
        (r["entityLabel"], r["aspect"], r["value"], r["source"].rsplit("/", 1)[-1], r["otherValue"],
         r["otherSource"].rsplit("/", 1)[-1])
        for r in rows
    }  # fmt: skip
    assert found == {
        ("SenseNova", "launch date", "2023-03", "second-opinion", "2023-04", "sensetime-layoffs-article"),
        (
            "SenseTime",
            "revenue FY2022 (CNY)",
            "3600000000",
            "second-opinion",
            "3809000000",
            "sensetime-layoffs-article",
        ),
    }
    assert len(about_sensenova) == 1


def test_the_api_returns_conflicts(disputed: Path) -> None:
    with OxigraphStore.open(disputed, read_only=True) as store:
        conflicts = Landscape(store).conflicts("SenseTime")
    [revenue] = conflicts
    assert {revenue.value, revenue.other_value} == {Decimal(3600000000), Decimal(3809000000)}
    assert {revenue.source, revenue.other_source} == {"second-opinion", "sensetime-layoffs-article"}


def test_the_view_marks_the_disputed_value_with_the_other_source(disputed: Path, seed_store: OxigraphStore) -> None:
    with OxigraphStore.open(disputed, read_only=True) as store:
        graph = project(store)
    facts = {f["iri"]: f for _, data in graph.nodes(data=True) for f in data.get("facts", [])}
    facts |= {f["iri"]: f for *_, data in graph.edges(data=True) for f in data.get("facts", [])}
    seed_revenue = facts[f"{KGD}sensetime-results-2022/revenue"]
    assert "3,600,000,000 according to" in seed_revenue["details"]["disputed"]
    launch = facts[f"{KGD}second-opinion-launch"]
    assert launch["details"]["disputed"].startswith("launch date: 2023-04 according to")
    undisputed = {f["iri"]: f for _, d in project(seed_store).nodes(data=True) for f in d.get("facts", [])}
    assert not [f for f in undisputed.values() if "disputed" in f["details"]]
