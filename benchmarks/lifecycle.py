"""Time the life cycle's writes on landscapes on disk: ``apply`` of one article's sheet and ``retract`` of it.

Each landscape is the curated data of ``data/`` plus a synthetic landscape (``benchmarks/synthetic.py``) kept in
``data/`` as one Turtle file, with its store built from them as ``kgraph build`` builds it (the shapes left out: they
were checked when the synthetic generator was written, and take minutes at 1M triples). The sheet is what ``kgraph
ingest`` proposes for a short layoffs article. Each repetition applies the sheet (through the CLI's function: data/,
journal, store, inferred graph, change log) and retracts it again. Then the build's outputs are written beside the
store (``landscape.ttl`` and ``.trig`` streamed from the store, the view drawn), each timed: a cost of the whole
landscape. Last, one apply with those outputs present, and the time until the background refresh has written them
again (:mod:`kgraph.curate.outputs`).

    python benchmarks/lifecycle.py [--sizes 10k,100k,1M] [--repeats 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate  # noqa: E402

from kgraph.build import STORE_NAME, VIEW_NAME, write_exports  # noqa: E402
from kgraph.curate import outputs  # noqa: E402
from kgraph.curate.retract import retract  # noqa: E402
from kgraph.factsheet.models import DateValue  # noqa: E402
from kgraph.infer import INFERRED  # noqa: E402
from kgraph.ingest import Article, propose  # noqa: E402
from kgraph.ingest.apply import apply_sheet  # noqa: E402
from kgraph.ingest.graph import index_from_data  # noqa: E402
from kgraph.pipeline import assemble  # noqa: E402
from kgraph.store.oxigraph import OxigraphStore  # noqa: E402
from kgraph.view import write_landscape_view  # noqa: E402
from kgraph.vocabulary import ONTOLOGY_GRAPH, PREFIXES  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
ARTICLE = REPO / "benchmarks" / "ingest" / "articles" / "11-megvii-layoffs.txt"
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}


def landscape(root: Path, size: int) -> tuple[Path, Path, int]:
    """data/ (the curated sheets and the synthetic Turtle file) and the store built from it; the store's quads."""
    data = root / "data"
    shutil.copytree(REPO / "data", data)
    synthetic = [q.triple for q in generate(size) if q.graph_name not in (INFERRED, ONTOLOGY_GRAPH)]
    ox.serialize(synthetic, output=str(data / "synthetic.ttl"), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    assembly = assemble([data], validate=False)
    store = OxigraphStore.create(root / "build" / STORE_NAME, assembly.quads())
    count = len(store)
    store.close()
    return data, root / "build" / STORE_NAME, count


def sheet(root: Path) -> Path:
    article = Article(ARTICLE.read_text(encoding="utf-8"), published=DateValue(value="2023-03-02"))
    path = root / "article.yaml"
    path.write_text(propose(article, index=index_from_data([REPO / "data"])).to_yaml(), encoding="utf-8")
    return path


def timed(action) -> float:  # noqa: ANN001 - a callable
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def measure(size: int, repeats: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="kgraph-lifecycle-") as scratch:
        root = Path(scratch)
        data, store, quads = landscape(root, size)
        article = sheet(root)
        applied, retracted, triples = [], [], 0
        for _ in range(repeats):
            start = time.perf_counter()
            result = apply_sheet(article, data_dir=data, store=store)
            applied.append(time.perf_counter() - start)
            triples = result.triples
            start = time.perf_counter()
            retract(result.source_id, data_dir=data, store=store)
            retracted.append(time.perf_counter() - start)
        with OxigraphStore.open(store) as opened:
            exports = timed(lambda: write_exports(opened, store.parent))
            view = timed(lambda: write_landscape_view(opened, store.parent / VIEW_NAME))
        start = time.perf_counter()
        result = apply_sheet(article, data_dir=data, store=store)
        with_outputs = time.perf_counter() - start
        while outputs.pending(store.parent):
            time.sleep(0.05)
        settled = time.perf_counter() - start
        return {
            "quads": quads,
            "triples": triples,
            "apply": statistics.median(applied),
            "apply_max": max(applied),
            "retract": statistics.median(retracted),
            "retract_max": max(retracted),
            "exports": exports,
            "view": view,
            "with_outputs": with_outputs,
            "settled": settled,
        }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="landscape sizes (default 10k,100k,1M)")
    parser.add_argument("--repeats", type=int, default=5, help="applies and retracts per size (default 5)")
    args = parser.parse_args(argv)
    rows = []
    for name in args.sizes.split(","):
        print(f"measuring {name} ...", file=sys.stderr)
        rows.append(measure(SIZES[name], args.repeats))
    print(
        "| quads in the store | sheet's triples | apply, median (max) | retract, median (max) "
        "| exports written | view drawn | apply beside the outputs | outputs current after |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['quads']:,} | {row['triples']} | {row['apply']:.2f} s ({row['apply_max']:.2f} s) "
            f"| {row['retract']:.2f} s ({row['retract_max']:.2f} s) | {row['exports']:.2f} s | {row['view']:.2f} s "
            f"| {row['with_outputs']:.2f} s | {row['settled']:.2f} s |"
        )


if __name__ == "__main__":
    main()
