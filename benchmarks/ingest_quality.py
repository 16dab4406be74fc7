"""Precision and recall of news ingestion on the evaluation set in benchmarks/ingest/ (articles and gold facts).

Usage: python benchmarks/ingest_quality.py [--extractor NAME] [--misses]
Entity names are resolved against the curated data in data/, as `kgraph ingest` does.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kgraph.ingest.evaluate import evaluate, merge
from kgraph.ingest.extract import load_extractor
from kgraph.ingest.graph import index_from_data

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "benchmarks" / "ingest"
#: The development set (rules written against it), two sets scored once untuned and then used for one round of
#: fixes each, and a blind set never used for tuning.
SETS = {
    "development set (13 articles; the rules were written against it)": FOLDER,
    "second set (8 articles; first run untuned, then one round of fixes)": FOLDER / "heldout",
    "blind set (6 articles; first run untuned, then one round of fixes)": FOLDER / "blind",
    "second blind set (6 articles; never used for tuning)": FOLDER / "blind2",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extractor", default="rules", help="extractor name (default: rules)")
    parser.add_argument("--misses", action="store_true", help="list the facts missed or proposed wrongly")
    options = parser.parse_args()
    index = index_from_data([ROOT / "data"])
    extractor = load_extractor(options.extractor, index=index)
    results = []
    for title, folder in SETS.items():
        started = time.perf_counter()
        result = evaluate(folder, index=index, extractor=extractor)
        elapsed = time.perf_counter() - started
        results.append(result)
        print(f"\n{title}, extractor {options.extractor!r}, {elapsed:.2f} s")
        print(result.table())
        if options.misses:
            for miss in result.misses:
                print("  ", miss)
    combined = merge(results)
    print(f"\nall sets: {combined.articles} articles")
    print(combined.table())


if __name__ == "__main__":
    main()
