"""kgraph's three store backends side by side: in memory, on disk, and remote (Oxigraph's server over HTTP).

For each size, a synthetic landscape (benchmarks/synthetic.py) is loaded through kgraph's Store API (``Store.load``
for the embedded stores, ``RemoteStore.replace_graphs`` for the server: batched, one named graph at a time; the
store on disk is then compacted, as ``kgraph build`` leaves it, outside the load time), then a
point look-up (every property of one company) and every named question (required parameters bound to entities that
every synthetic landscape has, optional ones at their defaults, as from the command line) are timed: median and 95th
percentile over repeated runs.

    .venv/bin/python benchmarks/backends.py --sizes 10000 100000 1000000
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

#: Seconds after which a named question is given up (reported as "> 60 s").
QUERY_LIMIT = 60.0
POINT_LOOKUP = "SELECT ?company ?p ?o WHERE { ?company ?p ?o }"
BACKENDS = ("memory", "disk", "remote")
#: pyoxigraph's own loaders under kgraph's stores, and Oxigraph's command-line loader (the engine's fastest way onto
#: disk): timed for the load only, as references for kgraph's loads (their queries are the stores' above).
NATIVE_LOADS = ("memory, native load", "disk, bulk load", "disk, oxigraph load")


def landscape(size: int, folder: Path) -> Path:
    """The synthetic landscape of ``size`` quads as N-Quads (generated once, then reused)."""
    from synthetic import write

    path = folder / f"synthetic-{size}.nq"
    if not path.exists():
        print(f"generating {size} quads", file=sys.stderr)
        write(path, size)
    return path


def timed(run: Callable[[], object], repeats: int, budget: float) -> list[float]:
    """Run times in seconds: one warm-up, then up to ``repeats`` runs or ``budget`` seconds, at least 3 runs."""
    started = time.perf_counter()
    run()
    if time.perf_counter() - started > budget:
        return [time.perf_counter() - started]
    times: list[float] = []
    while len(times) < repeats and (len(times) < 3 or sum(times) < budget):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18] if len(times) > 1 else times[0]


def measure_queries(store, repeats: int, budget: float) -> dict[str, dict]:  # noqa: ANN001
    from synthetic import SAMPLE, sample_questions

    from kgraph.store.base import QueryTimeout

    results: dict[str, dict] = {}
    company = {"company": ox.NamedNode(SAMPLE["company"])}
    times = timed(lambda: store.query(POINT_LOOKUP, bindings=company), repeats * 4, budget)
    results["point look-up"] = {"median": statistics.median(times), "p95": p95(times), "rows": None}
    for question, bindings in sample_questions():
        try:
            rows = len(store.query(question.sparql, bindings=bindings, timeout=QUERY_LIMIT))
        except QueryTimeout:
            results[question.name] = {"median": None, "p95": None, "rows": None}
            continue
        times = timed(lambda q=question, b=bindings: store.query(q.sparql, bindings=b), repeats, budget)
        results[question.name] = {"median": statistics.median(times), "p95": p95(times), "rows": rows}
    return results


def run_backend(backend: str, path: Path, scratch: Path, server_url: str | None, repeats: int, budget: float) -> dict:
    from kgraph.store.oxigraph import OxigraphStore
    from kgraph.store.remote import RemoteStore
    from tests.sparql_servers import oxigraph_binary

    quads = sum(1 for _ in ox.parse(path=str(path)))
    started = time.perf_counter()
    if backend in NATIVE_LOADS:
        folder = scratch / "bulk-store"
        shutil.rmtree(folder, ignore_errors=True)
        if backend == "disk, oxigraph load":
            command = [str(oxigraph_binary()), "load", "--location", str(folder), "--file", str(path)]
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        else:
            native = OxigraphStore() if backend.startswith("memory") else OxigraphStore.open(folder)
            if backend.startswith("memory"):
                native.oxigraph.load(path=str(path), format=ox.RdfFormat.N_QUADS)
            else:
                native.oxigraph.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
            native.close()
        load = time.perf_counter() - started
        print(f"  {backend}: loaded {quads} quads in {load:.1f} s", file=sys.stderr)
        return {"quads": quads, "load": load, "queries": {}}
    if backend == "memory":
        store = OxigraphStore()
        store.load(path)
    elif backend == "disk":
        folder = scratch / "disk-store"
        shutil.rmtree(folder, ignore_errors=True)
        store = OxigraphStore.open(folder)
        store.load(path)
        store.close()
    else:
        store = RemoteStore.from_url(server_url, read_only=False)
        for graph in store.named_graphs():
            store.remove_graph(graph)
        store.replace_graphs(ox.parse(path=str(path)))
    load = time.perf_counter() - started
    print(f"  {backend}: loaded {quads} quads in {load:.1f} s", file=sys.stderr)
    if backend == "disk":  # compacted as 'kgraph build' leaves its store, then read as 'kgraph serve' does
        compacting = time.perf_counter()
        with OxigraphStore.open(scratch / "disk-store") as writable:
            writable.oxigraph.optimize()
        print(f"  {backend}: compacted in {time.perf_counter() - compacting:.1f} s", file=sys.stderr)
        store = OxigraphStore.open(scratch / "disk-store", read_only=True)
    results = {"quads": quads, "load": load, "queries": measure_queries(store, repeats, budget)}
    if backend == "remote":
        for graph in store.named_graphs():
            store.remove_graph(graph)
    store.close()
    return results


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return f"> {QUERY_LIMIT:g} s"
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def summary_table(results: dict[int, dict[str, dict]]) -> str:
    header = "| size | backend | load | triples/s | point look-up median / p95 | heaviest question | median / p95 |"
    lines = [header, "|---|---|---|---|---|---|---|"]
    for by_backend in results.values():
        for backend, run in by_backend.items():
            if not run["queries"]:
                rate = run["quads"] / run["load"]
                lines.append(f"| {run['quads']:,} | {backend} | {run['load']:.2f} s | {rate:,.0f} | — | — | — |")
                continue
            point = run["queries"]["point look-up"]
            named = {k: v for k, v in run["queries"].items() if k != "point look-up"}
            heaviest = max(named, key=lambda name: named[name]["median"] or float("inf"))
            lines.append(
                f"| {run['quads']:,} | {backend} | {run['load']:.2f} s | {run['quads'] / run['load']:,.0f} | "
                f"{_ms(point['median'])} / {_ms(point['p95'])} | `{heaviest}` | "
                f"{_ms(named[heaviest]['median'])} / {_ms(named[heaviest]['p95'])} |"
            )
    return "\n".join(lines)


def questions_table(size: int, by_backend: dict[str, dict]) -> str:
    backends = [backend for backend in by_backend if by_backend[backend]["queries"]]
    lines = [
        f"| question ({size:,} quads), median / p95 | " + " | ".join(backends) + " | rows |",
        "|---|" + "---|" * (len(backends) + 1),
    ]
    for name in by_backend[backends[0]]["queries"]:
        cells = [
            f"{_ms(by_backend[b]['queries'][name]['median'])} / {_ms(by_backend[b]['queries'][name]['p95'])}"
            for b in backends
        ]
        rows = by_backend[backends[0]]["queries"][name]["rows"]
        lines.append(f"| `{name}` | " + " | ".join(cells) + f" | {'' if rows is None else rows} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--backends", nargs="+", choices=BACKENDS + NATIVE_LOADS, default=list(BACKENDS + NATIVE_LOADS))
    parser.add_argument("--repeats", type=int, default=15, help="most timed runs of each query")
    parser.add_argument("--budget", type=float, default=4.0, help="seconds of timed runs per query, about")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "kgraph-bench")
    args = parser.parse_args(argv)
    args.data.mkdir(parents=True, exist_ok=True)

    from tests.sparql_servers import oxigraph_server

    results: dict[int, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory(prefix="kgraph-backends-") as scratch_name:
        scratch = Path(scratch_name)
        server_dir = scratch / "server"
        server_dir.mkdir()
        with oxigraph_server(server_dir) as url:
            for size in args.sizes:
                path = landscape(size, args.data)
                print(f"{size} quads", file=sys.stderr)
                results[size] = {
                    backend: run_backend(backend, path, scratch, url, args.repeats, args.budget)
                    for backend in args.backends
                }
                print(summary_table(results), file=sys.stderr)  # so far, in case a later size fails
    print(summary_table(results))
    for size in results:
        print()
        print(questions_table(size, results[size]))


if __name__ == "__main__":
    main()
