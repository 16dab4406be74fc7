"""The rule-based extractor keeps its measured quality on the evaluation set (benchmarks/ingest_quality.py)."""

from __future__ import annotations

from pathlib import Path

from kgraph.ingest.evaluate import evaluate, merge
from kgraph.ingest.graph import index_from_data

REPO = Path(__file__).resolve().parents[1]
SETS = [REPO / "benchmarks" / "ingest", REPO / "benchmarks" / "ingest" / "heldout"]


def test_precision_and_recall_targets_hold() -> None:
    index = index_from_data([REPO / "data"])
    results = [evaluate(folder, index=index) for folder in SETS]
    assert [r.articles for r in results][0] >= 12
    overall = merge(results).overall
    assert overall.gold >= 80
    assert overall.precision >= 0.85, merge(results).table()
    assert overall.recall >= 0.6, merge(results).table()
    heldout = results[1].overall
    assert heldout.precision >= 0.8 and heldout.recall >= 0.5, results[1].table()
