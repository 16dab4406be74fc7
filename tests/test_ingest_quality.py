"""The rule-based extractor keeps its measured quality on the evaluation set (benchmarks/ingest_quality.py)."""

from __future__ import annotations

from pathlib import Path

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
