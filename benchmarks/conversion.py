"""Where a named question's time goes: Oxigraph's engine, or kgraph turning its solutions into rows.

For each named question (parameters bound as from the command line: required ones to entities every synthetic
landscape has, optional ones left to their defaults), on the in-memory store: the median time to iterate the
solutions with pyoxigraph alone (the floor), and the time of ``OxigraphStore.query`` (solutions converted to rows).

    .venv/bin/python benchmarks/conversion.py --triples 1000000 --data /tmp/landscape-1m.nq
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def median_seconds(run: Callable[[], object], repeats: int) -> float:
    """Median of ``repeats`` timed runs after one warm-up."""
    run()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(path: Path, repeats: int) -> list[tuple[str, int, float, float]]:
    """(question, rows, pyoxigraph iteration, kgraph query) for every question the sample entities can answer."""
    from synthetic import sample_questions

    from kgraph.store.oxigraph import OxigraphStore

    store = OxigraphStore()
    store.oxigraph.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    results = []
    for question, bindings in sample_questions():
        substitutions = {ox.Variable(name): term for name, term in bindings.items()} or None

        def iterate(text: str = question.sparql, substitutions: dict | None = substitutions) -> int:
            solutions = store.oxigraph.query(text, use_default_graph_as_union=True, substitutions=substitutions)
            return sum(1 for _ in solutions)

        def convert(text: str = question.sparql, bindings: dict = bindings) -> int:
            return len(store.query(text, bindings=bindings))

        print(f"  {question.name}", file=sys.stderr)
        results.append((question.name, iterate(), median_seconds(iterate, repeats), median_seconds(convert, repeats)))
    return results


def table(results: list[tuple[str, int, float, float]]) -> str:
    lines = [
        "| question | rows | pyoxigraph, iterate | kgraph `query` | conversion share |",
        "|---|---|---|---|---|",
    ]
    for name, rows, raw, full in sorted(results, key=lambda item: -item[3]):
        share = f"{max(full - raw, 0.0) / full:.0%}" if full > 0 else "—"
        lines.append(f"| `{name}` | {rows:,} | {raw * 1000:.0f} ms | {full * 1000:.0f} ms | {share} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000, help="size of the synthetic landscape (default 100000)")
    parser.add_argument("--data", type=Path, help="N-Quads file to use, generated there first if missing")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each question (default 3)")
    args = parser.parse_args(argv)
    path = args.data or Path(f"synthetic-{args.triples}.nq")
    if not path.exists():
        from synthetic import write

        print(f"generating {args.triples} quads into {path}", file=sys.stderr)
        write(path, args.triples)
    print(table(measure(path, args.repeats)))


if __name__ == "__main__":
    main()
