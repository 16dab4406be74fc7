"""Flag restated articles that share a run of seven or more words with the source text they were written from.

Usage: python benchmarks/ingest/real/check_overlap.py SOURCES_DIR [--words 7] [ARTICLES_DIR ...]

Each ``ARTICLES_DIR/<name>.txt`` is compared with ``SOURCES_DIR/<name>.txt`` (the source text as read, kept outside
the repository). Words are compared case-folded, punctuation ignored. Prints each shared run and exits with status 1
when any article has one, 2 when a source is missing.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORD = re.compile(r"[\w$€£¥%.]+")


def words(text: str) -> list[str]:
    """The text's words, case-folded, with trailing full stops dropped."""
    return [w.rstrip(".").casefold() for w in WORD.findall(text) if w.rstrip(".")]


def shared_runs(restated: str, source: str, length: int) -> list[str]:
    """Every run of ``length`` words of ``restated`` that also occurs in ``source``, merged where they overlap."""
    source_words = words(source)
    grams = {tuple(source_words[i : i + length]) for i in range(len(source_words) - length + 1)}
    ours = words(restated)
    runs: list[tuple[int, int]] = []
    for i in range(len(ours) - length + 1):
        if tuple(ours[i : i + length]) in grams:
            if runs and i <= runs[-1][1]:
                runs[-1] = (runs[-1][0], i + length)
            else:
                runs.append((i, i + length))
    return [" ".join(ours[a:b]) for a, b in runs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", type=Path, help="folder of source texts, one <name>.txt per article")
    parser.add_argument("folders", type=Path, nargs="*", help="folders of restated articles (default: dev/articles)")
    parser.add_argument("--words", type=int, default=7, help="shortest shared run to flag (default: 7)")
    options = parser.parse_args()
    folders = options.folders or [HERE / "dev" / "articles"]
    status = 0
    for folder in folders:
        for article in sorted(folder.glob("*.txt")):
            source = options.sources / article.name
            if not source.exists():
                print(f"{article.name}: no source text at {source}")
                status = max(status, 2)
                continue
            runs = shared_runs(article.read_text(encoding="utf-8"), source.read_text(encoding="utf-8"), options.words)
            for run in runs:
                print(f"{article.name}: {run}")
            if runs:
                status = max(status, 1)
    if status == 0:
        print("no shared runs")
    sys.exit(status)


if __name__ == "__main__":
    main()
