"""Precision and recall of news ingestion per fact kind and per set, and its speed on a large article.

Usage: python benchmarks/ingest_quality.py [--extractor NAME] [--misses]
Entity names are resolved against the curated data in data/, as `kgraph ingest` does. A set whose folder is absent
is skipped; the misses of a blind set are never printed (it is scored, not read).
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from kgraph.factsheet.models import DateValue
from kgraph.ingest import propose
from kgraph.ingest.article import MAX_ARTICLE_BYTES, Article
from kgraph.ingest.evaluate import Evaluation, evaluate, merge
from kgraph.ingest.extract import Extractor, load_extractor
from kgraph.ingest.graph import index_from_data
from kgraph.resolve import EntityIndex

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "benchmarks" / "ingest"
REAL = FOLDER / "real"
#: title -> (folder, blind). Written sets: the development set (rules written against it), two sets scored once
#: untuned and then used for one round of fixes each, and a blind set never used for tuning. Real prose (restated
#: news articles): a development set for tuning and three blind sets scored untuned.
SETS: dict[str, tuple[Path, bool]] = {
    "written: development set (the rules were written against it)": (FOLDER, False),
    "written: second set (first run untuned, then one round of fixes)": (FOLDER / "heldout", False),
    "written: blind set (first run untuned, then one round of fixes)": (FOLDER / "blind", True),
    "written: second blind set (never used for tuning)": (FOLDER / "blind2", True),
    "real prose: development set (tuned on)": (REAL / "dev", False),
    "real prose: first blind set (scored untuned)": (REAL / "blind1", True),
    "real prose: second blind set (scored untuned)": (REAL / "blind2", True),
    "real prose: third blind set (scored untuned)": (REAL / "blind3", True),
}


#: How the evaluation articles are joined into a large one.
SHAPES = {
    "paragraphs": "one article after another",
    "one sentence": "run together, every full stop a comma",
    "new names": "one after another, every capitalised word made unique (no name repeats)",
}


def large_article(size: int, *, shape: str) -> str:
    """About ``size`` bytes of the evaluation articles joined in one of the :data:`SHAPES`."""
    texts = [path.read_text(encoding="utf-8") for path in sorted((FOLDER / "articles").glob("*.txt"))]
    pieces: list[str] = []
    length = 0
    while length < size:
        text = texts[len(pieces) % len(texts)]
        if shape == "one sentence":
            text = re.sub(r"[.!?](?!\d)", ",", " ".join(text.split()))
        elif shape == "new names":
            text = re.sub(r"\b([A-Z][a-z]+)\b", rf"\g<1>{len(pieces)}", text)
        pieces.append(text)
        length += len(text.encode()) + 1
    return (" " if shape == "one sentence" else "\n").join(pieces)[:size]


def speed(index: EntityIndex, extractor: Extractor) -> str:
    """A table of the time taken on articles of growing size and shape, per kilobyte and relative to the smallest."""
    rows = ["| article | KB | sentences | seconds | ms per KB | relative |", "|---|---:|---:|---:|---:|---:|"]
    baseline = None
    for size in (5_000, 50_000, MAX_ARTICLE_BYTES - 10_000):
        for shape in SHAPES:
            text = large_article(size, shape=shape)
            article = Article(text, name="large", published=DateValue(value="2024-01-15"))
            started = time.perf_counter()
            propose(article, index=index, extractor=extractor)
            elapsed = time.perf_counter() - started
            per_kb = 1000 * elapsed / (len(text.encode()) / 1000)
            baseline = baseline or per_kb
            rows.append(
                f"| {shape} | {len(text.encode()) // 1000} | {len(article.sentences)} | {elapsed:.2f} | "
                f"{per_kb:.1f} | {per_kb / baseline:.1f} |"
            )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extractor", default="rules", help="extractor name (default: rules)")
    parser.add_argument("--misses", action="store_true", help="list the facts missed or proposed wrongly (not blind)")
    parser.add_argument("--no-speed", action="store_true", help="skip the timing of large articles")
    options = parser.parse_args()
    index = index_from_data([ROOT / "data"])
    extractor = load_extractor(options.extractor, index=index)
    results: dict[str, Evaluation] = {}
    for title, (folder, blind) in SETS.items():
        if not (folder / "gold").is_dir():
            print(f"\n{title}: {folder.relative_to(ROOT)} is absent, skipped")
            continue
        started = time.perf_counter()
        result = evaluate(folder, index=index, extractor=extractor)
        elapsed = time.perf_counter() - started
        results[title] = result
        print(f"\n{title}: {result.articles} articles, extractor {options.extractor!r}, {elapsed:.2f} s")
        print(result.table())
        if options.misses and not blind:
            for miss in result.misses:
                print("  ", miss)
    for label, prefix in (("all written sets", "written"), ("all real-prose sets", "real")):
        chosen = [r for title, r in results.items() if title.startswith(prefix)]
        if chosen:
            combined = merge(chosen)
            print(f"\n{label}: {combined.articles} articles")
            print(combined.table())
    if not options.no_speed:
        print(f"\nspeed, extractor {options.extractor!r} (evaluation articles joined into larger ones)")
        print(speed(index, extractor))


if __name__ == "__main__":
    main()
