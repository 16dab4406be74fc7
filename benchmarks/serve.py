"""``kgraph serve`` beside Oxigraph's own server, on the same data and the same queries, under concurrent clients.

Both servers run on loopback over one on-disk copy each of a synthetic landscape (benchmarks/synthetic.py). A fixed
number of client processes each send a fixed number of requests (a bounded loop), cycling through a query mix, and the
table gives throughput (requests/s) and latency (median, 95th percentile) for each server and their ratio. Two
mixes: point look-ups (the HTTP and process overhead dominates) and the named questions (the engine dominates). A third
server is a measuring stick, not a contender: benchmarks/endpoint_floor.py, a bare ASGI app under the same uvicorn
that runs each query on its event loop with none of kgraph's guards, in one process per core. Its ratio is the most
any Python front on pyoxigraph can reach on this machine. It also measures what replacing a query worker costs (the
price of stopping a query at its deadline).

    .venv/bin/python benchmarks/serve.py --triples 100000 --clients 4 --requests 40
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx
import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

POINT_LOOKUP = "SELECT ?p ?o WHERE { ?company ?p ?o }"
ACCEPT = {"Accept": "application/sparql-results+json"}
FLOOR = "bare ASGI app (floor)"


def query_mixes() -> dict[str, list[tuple[str, str]]]:
    """The two mixes: (name, query text with its parameters fixed by a VALUES block)."""
    from synthetic import SAMPLE, sample_questions

    from kgraph.sparql.lexer import with_values

    company = {"company": ox.NamedNode(SAMPLE["company"])}
    named = [(question.name, with_values(question.sparql, bindings)) for question, bindings in sample_questions()]
    return {"point look-ups": [("point look-up", with_values(POINT_LOOKUP, company))], "named questions": named}


def wait_ready(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server at {url} stopped at start-up")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.post(url, data={"query": "ASK {}"}, headers=ACCEPT, timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} was not ready within {seconds:g} s")


@contextlib.contextmanager
def running(command: list[str], url: str) -> Iterator[str]:
    from tests.sparql_servers import stop

    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(url, process)
        yield url
    finally:
        stop(process)


def _client(url: str, mix: list[tuple[str, str]], offset: int, requests: int) -> dict:
    """One client process: ``requests`` POSTs over one kept-alive connection; its latencies and its time span."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    headers = {**ACCEPT, "Content-Type": "application/x-www-form-urlencoded"}
    latencies, failures = [], []
    first = time.perf_counter()
    for number in range(requests):
        _, text = mix[(offset + number) % len(mix)]
        started = time.perf_counter()
        connection.request("POST", parts.path, body=urlencode({"query": text}), headers=headers)
        response = connection.getresponse()
        body = response.read()
        latencies.append(time.perf_counter() - started)
        if response.status != 200:
            failures.append(f"{response.status}: {body[:200]!r}")
    connection.close()
    return {"latencies": latencies, "failures": failures, "first": first, "last": time.perf_counter()}


def load_clients(url: str, mix: list[tuple[str, str]], clients: int, requests: int) -> dict:
    """``clients`` processes each send ``requests`` queries from ``mix`` in turn; throughput and latencies.

    Clients are processes with the standard library's HTTP client (kept-alive connections), so that on a small
    machine the load generator takes as little CPU from the server as Python allows, and no GIL is shared.
    """
    context = multiprocessing.get_context("fork")
    with context.Pool(clients) as pool:
        runs = pool.starmap(_client, [(url, mix, index, requests) for index in range(clients)])
    failures = [failure for run in runs for failure in run["failures"]]
    if failures:
        raise RuntimeError(f"{len(failures)} requests to {url} failed, first: {failures[0]}")
    latencies = [latency for run in runs for latency in run["latencies"]]
    wall = max(run["last"] for run in runs) - min(run["first"] for run in runs)
    return {
        "throughput": len(latencies) / wall,
        "median": statistics.median(latencies),
        "p95": statistics.quantiles(latencies, n=20, method="inclusive")[18],
    }


def same_answers(url: str, oxigraph_url: str, mix: list[tuple[str, str]]) -> None:
    """Check that the server at ``url`` returns as many rows as Oxigraph's for every query of the mix."""
    for name, text in mix:
        counts = []
        for server in (url, oxigraph_url):
            response = httpx.post(server, data={"query": text}, headers=ACCEPT, timeout=120)
            response.raise_for_status()
            counts.append(len(list(ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON))))
        if counts[0] != counts[1]:
            raise RuntimeError(f"{name}: {url} returned {counts[0]} rows, oxigraph serve {counts[1]}")


def worker_start_cost(store: Path, times: int = 3) -> float:
    """Median seconds to start a query worker and open the store (what a stopped query costs)."""
    import asyncio

    from kgraph.server.workers import Job, Worker

    async def once() -> float:
        started = time.perf_counter()
        worker = await Worker.start(store)
        await worker.ask(Job("ASK {}"), 60)  # a worker opens the store at its first query
        spent = time.perf_counter() - started
        await worker.kill()
        return spent

    return statistics.median(asyncio.run(once()) for _ in range(times))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=4, help="concurrent client processes")
    parser.add_argument("--requests", type=int, default=40, help="requests per client and mix")
    parser.add_argument("--workers", type=int, default=2, help="kgraph serve's query workers")
    parser.add_argument(
        "--floor-processes", type=int, default=os.cpu_count() or 1, help="server processes of the bare ASGI app"
    )
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "kgraph-bench")
    args = parser.parse_args(argv)
    args.data.mkdir(parents=True, exist_ok=True)

    from backends import landscape

    from kgraph.store.oxigraph import OxigraphStore
    from tests.sparql_servers import free_port, oxigraph_binary

    mixes = query_mixes()
    with tempfile.TemporaryDirectory(prefix="kgraph-serve-bench-") as scratch_name:
        scratch = Path(scratch_name)
        store_dir = scratch / "store"
        with OxigraphStore.open(store_dir) as store:
            store.load(landscape(args.triples, args.data))
            store.oxigraph.optimize()
        shutil.copytree(store_dir, scratch / "oxigraph")
        shutil.copytree(store_dir, scratch / "floor")
        kgraph_port, oxigraph_port, floor_port = free_port(), free_port(), free_port()
        kgraph_cmd = [sys.executable, "-m", "kgraph", "serve", "--store", str(store_dir), "--port", str(kgraph_port)]
        kgraph_cmd += ["--workers", str(args.workers), "--max-rows", "10000000", "--timeout", "120"]
        kgraph_cmd += ["--long-after", "1000"]  # every query may run long: this measures throughput, not the rule
        oxigraph_cmd = [str(oxigraph_binary()), "serve", "--location", str(scratch / "oxigraph")]
        oxigraph_cmd += ["--bind", f"127.0.0.1:{oxigraph_port}", "--union-default-graph"]
        floor_cmd = [sys.executable, "-m", "uvicorn", "--app-dir", str(HERE), "endpoint_floor:app", "--port"]
        floor_cmd += [str(floor_port), "--workers", str(args.floor_processes), "--log-level", "warning"]
        os.environ["KGRAPH_FLOOR_STORE"] = str(scratch / "floor")
        results: dict[str, dict[str, dict]] = {}
        with (
            running(kgraph_cmd, f"http://127.0.0.1:{kgraph_port}/sparql") as kgraph_url,
            running(oxigraph_cmd, f"http://127.0.0.1:{oxigraph_port}/query") as oxigraph_url,
            running(floor_cmd, f"http://127.0.0.1:{floor_port}/sparql") as floor_url,
        ):
            servers = {"kgraph serve": kgraph_url, "oxigraph serve": oxigraph_url, FLOOR: floor_url}
            for mix_name, mix in mixes.items():
                same_answers(kgraph_url, oxigraph_url, mix)
                same_answers(floor_url, oxigraph_url, mix)
                print(f"{mix_name}: {len(mix)} queries", file=sys.stderr)
                results[mix_name] = {
                    server: load_clients(url, mix, args.clients, args.requests) for server, url in servers.items()
                }
        restart = worker_start_cost(store_dir)

    print(f"{args.triples:,} quads, {args.clients} clients x {args.requests} requests per mix, "
          f"kgraph serve with {args.workers} workers, the bare app in {args.floor_processes} processes")  # fmt: skip
    print()
    print("| mix | server | requests/s | median | p95 |")
    print("|---|---|---|---|---|")
    for mix_name, by_server in results.items():
        for server, run in by_server.items():
            print(
                f"| {mix_name} | {server} | {run['throughput']:.1f} | {run['median'] * 1000:.1f} ms | "
                f"{run['p95'] * 1000:.1f} ms |"
            )
        for server in ("kgraph serve", FLOOR):
            ratio = by_server[server]["throughput"] / by_server["oxigraph serve"]["throughput"]
            print(f"| {mix_name} | **{server} / oxigraph serve throughput** | **{ratio:.0%}** | | |")
    print()
    print(f"replacing a stopped query worker (start a process, open the store): {restart * 1000:.0f} ms")


if __name__ == "__main__":
    main()
