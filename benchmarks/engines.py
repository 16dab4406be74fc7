"""Oxigraph (pyoxigraph, kgraph's store) against rdflib's in-memory Dataset on synthetic landscapes.

For each size, a synthetic landscape (benchmarks/synthetic.py: N-Quads with per-source graphs, the ontology and
the inferred graph) is loaded by each engine in a process of its own, which reports the load time, the memory the
load took (peak resident memory over the process's resident memory before it), and the median time of every
named question (kgraph/queries/*.rq, parameters bound to entities that every synthetic landscape has). The table
gives both engines side by side and their ratio (rdflib / Oxigraph) measured in the same run.

    python benchmarks/engines.py                      # 10k and 100k triples
    python benchmarks/engines.py --sizes 10k,100k,1M  # rdflib takes a minute or more to load 1M
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENGINES = ("oxigraph", "rdflib")
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}


def _memory_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class _Overtime(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Overtime


def _timed(run, repeats: int, budget: float) -> tuple[float | None, int]:  # noqa: ANN001
    """Median seconds of ``run()`` over a warm-up and ``repeats`` runs; None if one run exceeds ``budget``."""
    signal.signal(signal.SIGALRM, _alarm)
    times: list[float] = []
    rows = 0
    for attempt in range(repeats + 1):
        signal.setitimer(signal.ITIMER_REAL, budget)
        started = time.perf_counter()
        try:
            rows = run()
        except _Overtime:
            return None, rows
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        elapsed = time.perf_counter() - started
        if attempt or elapsed > budget / 4:  # a slow first run counts: no warm-up then
            times.append(elapsed)
        if sum(times) > budget:
            break
    return statistics.median(times), rows


def worker(engine: str, path: Path, repeats: int, budget: float) -> dict:
    """Load ``path`` with ``engine`` and time every named question (runs in its own process)."""
    import pyoxigraph as ox

    from kgraph.namespaces import sparql_prologue

    sys.path.insert(0, str(HERE))
    from synthetic import sample_questions

    if engine == "rdflib":
        from rdflib import Dataset, URIRef
    baseline = _memory_kib("VmRSS")
    started = time.perf_counter()
    if engine == "oxigraph":
        from kgraph.store.oxigraph import OxigraphStore

        store = OxigraphStore()
        store.oxigraph.load(path=str(path), format=ox.RdfFormat.N_QUADS)
        size = len(store)
    else:
        dataset = Dataset(default_union=True)
        dataset.parse(str(path), format="nquads")
        size = len(dataset)
    load = time.perf_counter() - started
    memory = (_memory_kib("VmHWM") - baseline) / 1024
    results = {"load": load, "memory": memory, "size": size, "queries": {}}
    for question, bindings in sample_questions():
        if engine == "oxigraph":

            def run(question=question, bindings=bindings) -> int:  # noqa: ANN001
                return len(store.query(question.sparql, bindings=bindings))
        else:
            text = sparql_prologue() + question.text
            init = {name: URIRef(term.value) for name, term in bindings.items() if isinstance(term, ox.NamedNode)}

            def run(text=text, init=init) -> int:  # noqa: ANN001
                return len(list(dataset.query(text, initBindings=init)))

        median, rows = _timed(run, repeats, budget)
        results["queries"][question.name] = {"median": median, "rows": rows}
    return results


def measure(engine: str, path: Path, repeats: int, budget: float) -> dict:
    """Run :func:`worker` in a fresh interpreter, so that each engine's memory is its own."""
    command = [sys.executable, __file__, "--worker", engine, str(path), "--repeats", str(repeats)]
    command += ["--budget", str(budget)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{engine} on {path} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def _seconds(value: float | None, budget: float) -> str:
    if value is None:
        return f"> {budget:g} s"
    return f"{value * 1000:.1f} ms" if value < 10 else f"{value:.1f} s"


def _ratio(slow: float | None, fast: float | None) -> str:
    if slow is None or not fast:
        return "—"
    return f"{slow / fast:.1f}×"


def table(results: dict[str, dict[str, dict]], budget: float) -> str:
    """A Markdown table: one row per measure, for each size Oxigraph, rdflib and rdflib / Oxigraph."""
    sizes = list(results)
    header = ["measure"]
    for size in sizes:
        header += [f"{size} Oxigraph", f"{size} rdflib", f"{size} ratio"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    rows: list[list[str]] = [["quads loaded"], ["load"], ["memory of the load"]]
    for size in sizes:
        ox_run, rdf_run = results[size]["oxigraph"], results[size]["rdflib"]
        rows[0] += [f"{ox_run['size']:,}", f"{rdf_run['size']:,}", ""]
        rows[1] += [f"{ox_run['load']:.2f} s", f"{rdf_run['load']:.2f} s", _ratio(rdf_run["load"], ox_run["load"])]
        rows[2] += [
            f"{ox_run['memory']:.0f} MB",
            f"{rdf_run['memory']:.0f} MB",
            _ratio(rdf_run["memory"], ox_run["memory"]),
        ]
    names = sorted(results[sizes[0]]["oxigraph"]["queries"])
    for name in names:
        row = [f"`{name}` (rows)"]
        for size in sizes:
            fast = results[size]["oxigraph"]["queries"][name]
            slow = results[size]["rdflib"]["queries"][name]
            rows_note = (
                f" ({fast['rows']})"
                if fast["rows"] == slow["rows"] or slow["median"] is None
                else (f" ({fast['rows']} vs {slow['rows']})")
            )
            row += [_seconds(fast["median"], budget) + rows_note, _seconds(slow["median"], budget),
                    _ratio(slow["median"], fast["median"])]  # fmt: skip
        rows.append(row)
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated sizes: 10k, 100k, 1M (default 10k,100k)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each query after a warm-up (default 5)")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds a query may take per run (default 60)")
    parser.add_argument("--data-dir", type=Path, help="where to keep the generated landscapes (default: a temp dir)")
    parser.add_argument("--json", type=Path, help="also write the raw measurements to this file")
    parser.add_argument("--worker", nargs=2, metavar=("ENGINE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        engine, path = args.worker
        print(json.dumps(worker(engine, Path(path), args.repeats, args.budget)))
        return

    sys.path.insert(0, str(HERE))
    from synthetic import write

    sizes = [size.strip() for size in args.sizes.split(",") if size.strip()]
    unknown = [size for size in sizes if size not in SIZES]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}: use {', '.join(SIZES)}")
    with tempfile.TemporaryDirectory(prefix="kgraph-bench-") as scratch:
        data_dir = args.data_dir or Path(scratch)
        data_dir.mkdir(parents=True, exist_ok=True)
        results: dict[str, dict[str, dict]] = {}
        for size in sizes:
            path = data_dir / f"synthetic-{size}.nq"
            if not path.exists():
                print(f"generating {size} triples -> {path}", file=sys.stderr)
                write(path, SIZES[size])
            results[size] = {}
            for engine in ENGINES:
                print(f"measuring {engine} on {size}", file=sys.stderr)
                results[size][engine] = measure(engine, path, args.repeats, args.budget)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(table(results, args.budget))


if __name__ == "__main__":
    main()
