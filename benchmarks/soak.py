"""Soak test of ``kgraph serve``: light clients, heavy clients and a writer at once, on loopback.

Two phases on one endpoint over a synthetic landscape (benchmarks/synthetic.py), each bounded in requests and time:

1. light alone: ``--light-clients`` processes each send ``--requests`` light queries (a point look-up and the named
   questions about one company), one after the other;
2. heavy clients: the same light load again, while ``--heavy-clients`` processes send heavy queries (a cross
   product that never ends, an ORDER BY over a product that needs gigabytes) until the light clients are done;
3. heavy clients and writes: the same, while a writer process also writes the store through its lock every
   ``--write-every`` seconds (reads wait for a write: that is the lock's job).

The tables compare the light queries' median and 95th percentile in each phase, and say how every heavy query ended:
stopped at the time limit, as one long query too many, at the memory limit, to let a write go first, refused
because the queue was full, or answered.

    .venv/bin/python benchmarks/soak.py --triples 20000 --light-clients 3 --requests 400 --heavy-clients 3
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from serve import ACCEPT, POINT_LOOKUP, running  # noqa: E402 - the benchmarks folder is put on the path first

HEAVY = [
    ("cross product", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"),
    ("sort of a product", "SELECT ?a ?c ?e WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?c ?e ?i"),
]
#: How a heavy query ended, from the endpoint's answer.
OUTCOMES = {
    "time limit": "stopped at the time limit",
    "long queries may use": "stopped as one long query too many",
    "memory": "stopped at the memory limit",
    "too many queries are waiting": "refused: the queue was full",
    "write to the store go first": "stopped to let a write go first",
}
FORM = {**ACCEPT, "Content-Type": "application/x-www-form-urlencoded"}


def light_mix() -> list[str]:
    """A point look-up and the named questions about the sample company that answer in a few milliseconds."""
    from synthetic import SAMPLE, sample_questions

    from kgraph.sparql.lexer import with_values

    company = ox.NamedNode(SAMPLE["company"])
    quick = {"company_profile", "competitors", "products", "provenance", "event_details", "market_rivals"}
    named = [with_values(q.sparql, bindings) for q, bindings in sample_questions() if q.name in quick]
    return [with_values(POINT_LOOKUP, {"company": company}), *named]


def _post(connection: http.client.HTTPConnection, path: str, query: str) -> tuple[int, bytes]:
    connection.request("POST", path, body=urlencode({"query": query}), headers=FORM)
    response = connection.getresponse()
    return response.status, response.read()


def light_client(url: str, mix: list[str], offset: int, requests: int) -> tuple[list[float], list[str]]:
    """``requests`` light queries on one kept-alive connection: the latencies, and what failed."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    latencies, failures = [], []
    for number in range(requests):
        started = time.perf_counter()
        status, body = _post(connection, parts.path, mix[(offset + number) % len(mix)])
        latencies.append(time.perf_counter() - started)
        if status != 200:
            failures.append(f"{status}: {body[:120]!r}")
    connection.close()
    return latencies, failures


def heavy_client(url: str, offset: int, stop: threading.Event, most: int) -> list[tuple[str, float]]:
    """Heavy queries one after the other until ``stop`` is set (at most ``most``): how each ended, and its time."""
    parts = urlsplit(url)
    ended = []
    for number in range(most):
        if stop.is_set():
            break
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        started = time.perf_counter()
        status, body = _post(connection, parts.path, HEAVY[(offset + number) % len(HEAVY)][1])
        connection.close()
        text = body.decode("utf-8", "replace")
        outcome = "answered" if status == 200 else next((v for k, v in OUTCOMES.items() if k in text), text[:60])
        ended.append((outcome, time.perf_counter() - started))
    return ended


def writer(store: Path, stop: threading.Event, every: float) -> list[float]:
    """Write one triple through the store's lock every ``every`` seconds until ``stop``; how long each write held it."""
    from kgraph.store.oxigraph import OxigraphStore

    held = []
    number = 0
    while not stop.wait(every):
        started = time.perf_counter()
        with OxigraphStore.open(store) as written:
            written.update(f'INSERT DATA {{ GRAPH <urn:soak> {{ <urn:soak:{number}> <urn:soak:n> "{number}" }} }}')
        held.append(time.perf_counter() - started)
        number += 1
    return held


def light_load(url: str, mix: list[str], clients: int, requests: int) -> tuple[list[float], list[str]]:
    context = multiprocessing.get_context("fork")
    with context.Pool(clients) as pool:
        runs = pool.starmap(light_client, [(url, mix, index, requests) for index in range(clients)])
    return [x for latencies, _ in runs for x in latencies], [f for _, failures in runs for f in failures]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def soak(url: str, mix: list[str], store: Path, args: argparse.Namespace, *, writes: bool) -> dict:
    """The light load while heavy clients (and, if ``writes``, a writer) run: latencies, failures, outcomes."""
    context = multiprocessing.get_context("fork")
    # The writer starts afresh: a fork of this process would inherit RocksDB without its background threads.
    fresh = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(args.heavy_clients) as pool, fresh.Pool(1) as writers:
        stop = manager.Event()
        heavy = [pool.apply_async(heavy_client, (url, i, stop, 1000)) for i in range(args.heavy_clients)]
        written = writers.apply_async(writer, (store, stop, args.write_every if writes else 3600))
        time.sleep(1)  # the heavy clients are under way
        light, failures = light_load(url, mix, args.light_clients, args.requests)
        stop.set()
        ended = [outcome for result in heavy for outcome in result.get(timeout=300)]
        return {"light": light, "failures": failures, "heavy": ended, "writes": written.get(timeout=300)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=20_000)
    parser.add_argument("--light-clients", type=int, default=3)
    parser.add_argument("--requests", type=int, default=400, help="light requests per client and phase")
    parser.add_argument("--heavy-clients", type=int, default=3)
    parser.add_argument("--workers", type=int, default=3, help="kgraph serve's query workers")
    parser.add_argument("--timeout", type=float, default=5.0, help="kgraph serve --timeout")
    parser.add_argument("--write-every", type=float, default=0.5, help="seconds between two writes")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "kgraph-bench")
    args = parser.parse_args(argv)
    args.data.mkdir(parents=True, exist_ok=True)

    from backends import landscape

    from kgraph.store.oxigraph import OxigraphStore
    from tests.sparql_servers import free_port

    mix = light_mix()
    with tempfile.TemporaryDirectory(prefix="kgraph-soak-") as scratch:
        store = Path(scratch) / "store"
        with OxigraphStore.open(store) as written:
            written.load(landscape(args.triples, args.data))
        port = free_port()
        command = [sys.executable, "-m", "kgraph", "serve", "--store", str(store), "--port", str(port)]
        command += ["--workers", str(args.workers), "--timeout", str(args.timeout), "--long-after", "0.5"]
        command += ["--max-memory", "1024", "--lock-wait", "2"]
        with running(command, f"http://127.0.0.1:{port}/sparql") as url:
            light_load(url, mix, args.light_clients, 5)  # warm-up
            alone, alone_failures = light_load(url, mix, args.light_clients, args.requests)
            phases = {
                "heavy clients": soak(url, mix, store, args, writes=False),
                "heavy clients and writes": soak(url, mix, store, args, writes=True),
            }

    print(f"{args.triples:,} quads; kgraph serve with {args.workers} workers, --timeout {args.timeout:g}, "
          f"--long-after 0.5, --max-memory 1024; {args.light_clients} light clients x {args.requests} requests, "
          f"{args.heavy_clients} heavy clients, a write every {args.write_every:g} s")  # fmt: skip
    print()
    names = list(phases)
    print(f"| light queries | alone | {' | '.join(names)} | {' | '.join(f'{n} / alone' for n in names)} |")
    print("|---|---|" + "---|" * (2 * len(names)))
    for name, measure in (("median", statistics.median), ("95th percentile", p95)):
        base = measure(alone)
        values = [measure(phase["light"]) for phase in phases.values()]
        cells = [f"{v * 1000:.1f} ms" for v in values] + [f"{v / base:.2f}" for v in values]
        print(f"| {name} | {base * 1000:.1f} ms | {' | '.join(cells)} |")
    failed = [f"{len(phase['failures'])} of {len(phase['light'])}" for phase in phases.values()]
    print(f"| failed | {len(alone_failures)} of {len(alone)} | {' | '.join(failed)} |{' |' * len(names)}")
    print()
    print("| heavy queries | " + " | ".join(names) + " | longest a client waited |")
    print("|---|" + "---|" * len(names) + "---|")
    ended = {name: phase["heavy"] for name, phase in phases.items()}
    for outcome in sorted({outcome for run in ended.values() for outcome, _ in run}):
        counts = [str(sum(1 for o, _ in run if o == outcome)) for run in ended.values()]
        longest = max(seconds for run in ended.values() for o, seconds in run if o == outcome)
        print(f"| {outcome} | {' | '.join(counts)} | {longest:.1f} s |")
    print()
    held = phases["heavy clients and writes"]["writes"]
    if held:
        print(f"writes: {len(held)}, each holding the store {statistics.median(held) * 1000:.0f} ms (median)")
    for failure in [f for phase in phases.values() for f in phase["failures"]][:3]:
        print(f"a light query failed: {failure}")


if __name__ == "__main__":
    main()
