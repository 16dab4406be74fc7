"""The seed article, given to the default extractor, yields its layoff, results, SenseNova launch and headwinds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kgraph.factsheet.models import DateValue, FactSheet
from kgraph.ingest import Article, propose
from kgraph.ingest.graph import index_from_data

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "sensetime-layoffs-article.txt"


@pytest.fixture(scope="module")
def seed_sheet() -> tuple[str, FactSheet]:
    if not SEED.is_file():
        pytest.skip(f"the seed article is not at {SEED} (../shared/seed is absent in this checkout)")
    text = SEED.read_text(encoding="utf-8")
    article = Article(text, name=SEED.name, published=DateValue(value="2023-09-14"), publisher="Pandaily")
    return text, propose(article, index=index_from_data([REPO / "data"])).sheet


def _facts(sheet: FactSheet, kind: str) -> list:
    return [fact for fact in sheet.facts if fact.kind == kind]


def test_layoff(seed_sheet: tuple[str, FactSheet]) -> None:
    _, sheet = seed_sheet
    [layoff] = _facts(sheet, "layoff")
    assert layoff.subject == "sensetime"
    assert layoff.repeat_round
    [reduction] = layoff.reductions
    assert reduction.unit == "sensetime-scg" and reduction.estimate
    assert (reduction.share.min, reduction.share.max) == (10, 15)


def test_financial_results(seed_sheet: tuple[str, FactSheet]) -> None:
    _, sheet = seed_sheet
    [results] = _facts(sheet, "financial_result")
    assert results.subject == "sensetime" and results.period.fiscal_year == 2022
    measured = {m.metric: m for m in results.measurements}
    revenue = measured["revenue"]
    assert [(a.value, a.currency, a.converted) for a in revenue.amounts] == [
        (Decimal("3809000000"), "CNY", False),
        (Decimal("520000000"), "USD", True),
    ]
    assert revenue.yoy_change_percent == -19
    assert measured["net_income"].loss and measured["net_income"].amounts[0].value == Decimal("-6093000000")
    adjusted = measured["adjusted_net_income"]
    assert adjusted.loss and adjusted.amounts[0].value == Decimal("-4736000000")
    assert adjusted.amounts[1].value == Decimal("-650000000") and adjusted.amounts[1].converted


def test_sensenova_launch_in_april_with_the_year_inferred(seed_sheet: tuple[str, FactSheet]) -> None:
    _, sheet = seed_sheet
    [launch] = _facts(sheet, "product_launch")
    assert (launch.subject, launch.object) == ("sensetime", "sensenova")
    assert launch.date.value == "2023-04" and launch.date.precision == "month"
    assert launch.date.inferred and "published 2023-09-14" in launch.date.note


def test_three_headwinds_on_the_ai_industry(seed_sheet: tuple[str, FactSheet]) -> None:
    _, sheet = seed_sheet
    pairs = sorted((f.subject, f.object) for f in _facts(sheet, "headwind_affects"))
    assert pairs == [
        ("potential-recession", "ai-industry"),
        ("rising-inflation", "ai-industry"),
        ("us-china-chip-war", "ai-industry"),
    ]


def test_statement_answers_the_layoffs_and_evidence_points_into_the_article(
    seed_sheet: tuple[str, FactSheet],
) -> None:
    text, sheet = seed_sheet
    [statement] = _facts(sheet, "statement")
    [layoff] = _facts(sheet, "layoff")
    assert statement.subject == "sensetime" and statement.in_response_to == layoff.id
    assert sheet.source.publisher == "pandaily"
    for fact in sheet.facts:
        assert fact.evidence and 0 < (fact.confidence or 0) <= 1
        for evidence in fact.evidence:
            assert text[evidence.start : evidence.end] == evidence.text
