"""The rule-based extractor keeps its measured quality on the evaluation set (benchmarks/ingest_quality.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph.ingest.evaluate import evaluate, merge
from kgraph.ingest.graph import index_from_data

REPO = Path(__file__).resolve().parents[1]
FOLDER = REPO / "benchmarks" / "ingest"
SETS = [FOLDER, FOLDER / "heldout", FOLDER / "blind", FOLDER / "blind2"]


def test_precision_and_recall_targets_hold() -> None:
    index = index_from_data([REPO / "data"])
    results = [evaluate(folder, index=index) for folder in SETS]
    assert [r.articles for r in results][0] >= 12
    overall = merge(results).overall
    assert overall.gold >= 120
    assert overall.precision >= 0.85, merge(results).table()
    assert overall.recall >= 0.6, merge(results).table()


def test_real_prose_development_set_keeps_its_measured_quality() -> None:
    folder = FOLDER / "real" / "dev"
    if not (folder / "gold").is_dir():
        pytest.skip("no real-prose development set in this checkout")
    result = evaluate(folder, index=index_from_data([REPO / "data"]))
    overall = result.overall
    assert result.articles >= 40
    # measured 0.84 / 0.77 on 47 articles; a margin for articles added to the set later
    assert overall.precision >= 0.7, result.table()
    assert overall.recall >= 0.55, result.table()
    assert all(score.recall > 0.3 for score in result.by_kind.values()), result.table()
