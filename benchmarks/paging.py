"""Pages of answers: the first page of every named question against its whole answer, on a store on disk.

A synthetic landscape (benchmarks/synthetic.py) is bulk-loaded into an on-disk store, compacted as ``kgraph build``
leaves it and opened read-only as the commands open it. Each named question (required parameters bound to entities
every synthetic landscape has, optional ones at their defaults, as from the command line) is timed answering its
first page (``NamedQuery.run(limit=100)``) and its whole answer: medians over repeated runs, all in one process.

    .venv/bin/python benchmarks/paging.py --quads 1000000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

PAGE = 100
#: Targets of issue 13 at 1M quads on disk, in milliseconds.
FIRST_PAGE_TARGET = 200.0
TARGETS = {"facts_from_source": 10.0}


def median_ms(run: Callable[[], object], *, repeats: int, budget: float) -> float:
    """Median wall-clock time in milliseconds: one warm-up, then up to ``repeats`` runs within ``budget`` seconds."""
    run()
    times: list[float] = []
    spent = 0.0
    while len(times) < repeats and (len(times) < 3 or spent < budget):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
        spent += times[-1]
    return statistics.median(times) * 1000


def disk_store(quads: int, folder: Path) -> Path:
    """An on-disk store of the synthetic landscape of about ``quads`` quads, loaded and compacted once."""
    from synthetic import write

    from kgraph.store.oxigraph import OxigraphStore

    store = folder / f"paging-{quads}"
    if store.is_dir():
        return store
    source = folder / f"synthetic-{quads}.nq"
    if not source.exists():
        print(f"generating {quads:,} quads", file=sys.stderr)
        write(source, quads)
    print(f"loading {source} into {store}", file=sys.stderr)
    with OxigraphStore.open(store) as writable:
        writable.load(source)
    with OxigraphStore.open(store) as writable:
        writable.oxigraph.optimize()
    return store


def _ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quads", type=int, default=1_000_000, help="size of the landscape (default 1000000)")
    parser.add_argument("--repeats", type=int, default=15, help="runs per measurement, at most (default 15)")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per measurement, about (default 10)")
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "kgraph-bench")
    args = parser.parse_args(argv)

    from synthetic import sample_questions

    from kgraph.store.base import SelectResult
    from kgraph.store.oxigraph import OxigraphStore

    args.folder.mkdir(parents=True, exist_ok=True)
    store = OxigraphStore.open(disk_store(args.quads, args.folder), read_only=True)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{len(store):,} quads on disk; first page = {PAGE} rows; medians of up to {args.repeats} runs")
    print(f"load average at the start: {load} ({os.cpu_count()} cores)\n")
    print("| question | rows | first page | whole answer | whole / first page | target |")
    print("|---|---:|---:|---:|---:|---|")
    for question, bindings in sample_questions():
        whole = question.run(store, bindings)
        assert isinstance(whole, SelectResult)
        page = question.run(store, bindings, limit=PAGE)
        assert isinstance(page, SelectResult) and page.rows == whole.rows[:PAGE], question.name
        first = median_ms(lambda q=question, b=bindings: q.run(store, b, limit=PAGE), **_runs(args))
        full = median_ms(lambda q=question, b=bindings: q.run(store, b), **_runs(args))
        target = TARGETS.get(question.name, FIRST_PAGE_TARGET)
        verdict = "met" if first < target else "NOT met"
        print(
            f"| `{question.name}` | {len(whole):,} | {_ms(first)} | {_ms(full)} | {full / first:.1f}× "
            f"| < {target:g} ms: {verdict} |",
            flush=True,
        )
    store.close()


def _runs(args: argparse.Namespace) -> dict[str, float]:
    return {"repeats": args.repeats, "budget": args.budget}


if __name__ == "__main__":
    main()
