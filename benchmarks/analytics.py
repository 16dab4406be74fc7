"""How long the networkx projection, the analytics and the Python API take on synthetic landscapes.

    python benchmarks/analytics.py --sizes 10000 100000

For each size: the landscape from ``benchmarks/synthetic.py`` is loaded into an in-memory Oxigraph store, then
each step is timed (the median of ``--repeat`` runs for the quick ones). Prints one table, sizes side by side, each
figure as wall-clock time (CPU time of the process).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import SAMPLE, generate  # noqa: E402

from kgraph import Landscape  # noqa: E402
from kgraph.analytics.network import communities, ego, paths, rank  # noqa: E402
from kgraph.analytics.projection import project, write_graphml, write_node_link  # noqa: E402
from kgraph.store.oxigraph import OxigraphStore  # noqa: E402


def timed(step: Callable[[], object], repeat: int) -> tuple[tuple[float, float], object]:
    """The median wall-clock and CPU times of ``repeat`` runs (seconds), and the last result.

    The CPU time of this process says more than the wall clock on a machine shared with other work.
    """
    walls, cpus = [], []
    result = None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = step()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    return (statistics.median(walls), statistics.median(cpus)), result


def measure(size: int, repeat: int) -> dict[str, str]:
    quads = list(generate(size))
    store = OxigraphStore()
    store.add_quads(quads)
    row: dict[str, str] = {"quads": f"{len(quads):,}"}
    seconds, graph = timed(lambda: project(store), 3)
    row["projection"] = _duration(seconds)
    row["nodes / edges"] = f"{graph.number_of_nodes():,} / {graph.number_of_edges():,}"
    company = SAMPLE["company"]
    steps: dict[str, tuple[Callable[[], object], int]] = {
        "PageRank (companies, products)": (lambda: rank(graph), repeat),
        "degree ranking": (lambda: rank(graph, by="degree"), repeat),
        "ego network, 2 hops": (lambda: ego(graph, company, hops=2), repeat),
        "shortest paths (company 0 to the last)": (lambda: paths(graph, company, _last_company(graph)), repeat),
        "communities (Louvain)": (lambda: communities(graph), 1),
    }
    for name, (step, runs) in steps.items():
        seconds, _ = timed(step, runs)
        row[name] = _duration(seconds)
    with TemporaryDirectory() as scratch:
        seconds, _ = timed(lambda: write_graphml(graph, Path(scratch) / "g.graphml"), 1)
        row["GraphML export"] = _duration(seconds)
        seconds, _ = timed(lambda: write_node_link(graph, Path(scratch) / "g.json"), 1)
        row["node-link JSON export"] = _duration(seconds)
    landscape = Landscape(store)
    api: dict[str, Callable[[], object]] = {
        "API company()": lambda: landscape.company(company),
        "API timeline()": lambda: landscape.timeline(company),
        "API financials()": lambda: landscape.financials(company, metric="revenue"),
        "API competitors()": lambda: landscape.competitors(company),
    }
    landscape.company(company)  # the entity index is built once per Landscape
    for name, step in api.items():
        seconds, _ = timed(step, repeat)
        row[name] = _duration(seconds)
    return row


def _last_company(graph) -> str:  # noqa: ANN001 - networkx graph
    companies = sorted(n for n, a in graph.nodes(data=True) if a["type"] == "Company")
    return companies[-1]


def _duration(seconds: tuple[float, float]) -> str:
    """``wall (cpu)``."""
    wall, cpu = seconds

    def text(value: float) -> str:
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"

    return f"{text(wall)} ({text(cpu)})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="quads per landscape")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the quick steps (median)")
    args = parser.parse_args(argv)
    columns = []
    for size in args.sizes:
        print(f"measuring {size:,} quads", file=sys.stderr)
        columns.append(measure(size, args.repeat))
    names = list(columns[0])
    width = max(len(name) for name in names)
    header = "| " + "step".ljust(width) + " | " + " | ".join(f"{s:,} quads" for s in args.sizes) + " |"
    print(header)
    print("|" + "-" * (width + 2) + "|" + "|".join("-" * 24 for _ in args.sizes) + "|")
    for name in names:
        print("| " + name.ljust(width) + " | " + " | ".join(column[name] for column in columns) + " |")


if __name__ == "__main__":
    main()
