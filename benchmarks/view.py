"""How fast the HTML view draws and responds at 500, 2,000 and 10,000 nodes, in headless Chromium, offline.

For each size: a synthetic landscape projection (kgraph.view.synthetic) is laid out and written; Chromium opens it
with every request but the file blocked and the script measures, from navigation start, the first frame drawn and
the moment the page responds; then the time a search takes to select and focus a node and show its panel, the
time of one full redraw, and the time the Timeline and the Table tabs take to draw. 10,000 nodes and more are
measured twice: with every node drawn (the default up to 15,000) and opened grouped by class (one bubble per class;
a search opens the graph again).

    .venv/bin/python benchmarks/view.py [--sizes 500 2000 10000] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from kgraph.view.data import CLUSTER_ABOVE
from kgraph.view.layout import compute_layout
from kgraph.view.page import write_page
from kgraph.view.synthetic import synthetic_projection

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def measure(browser, path: Path, probe: str) -> dict[str, float]:
    """Open ``path`` offline and time drawing, readiness, a search for ``probe`` and a redraw (milliseconds)."""
    url = path.resolve().as_uri()
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_function("window.kgraphView && window.kgraphView.ready", timeout=300_000)
    timings = page.evaluate("kgraphView.timings")
    started = time.perf_counter()
    page.fill("#kg-search", probe)
    page.press("#kg-search", "Enter", timeout=300_000)
    page.wait_for_function("kgraphView.focused !== null", timeout=300_000)
    page.inner_text("#kg-panel")
    search = (time.perf_counter() - started) * 1000
    redraw = page.evaluate("kgraphView.redraw()")
    tabs = page.evaluate(
        "() => ['timeline', 'table'].map(tab => { const t = performance.now(); kgraphView.showTab(tab);"
        " document.body.getBoundingClientRect(); return performance.now() - t; })"
    )
    context.close()
    if errors:
        raise RuntimeError(f"the page failed: {errors}")
    return {
        "first_draw": timings["firstDraw"],
        "interactive": timings["interactive"],
        "search": search,
        "redraw": redraw,
        "timeline": tabs[0],
        "table": tabs[1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10_000])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    options = parser.parse_args()

    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=options.chromium, args=ARGS)
        for size in options.sizes:
            graph = synthetic_projection(size, seed=1)
            started = time.perf_counter()
            compute_layout(graph)
            layout = time.perf_counter() - started
            modes = [("all nodes", max(size, CLUSTER_ABOVE))]
            if size >= 10_000:
                modes.append(("grouped by class", 0))
            for mode, threshold in modes:
                path = Path(scratch) / f"view-{size}-{threshold}.html"
                started = time.perf_counter()
                write_page(graph, path, title=f"{size} nodes", cluster_above=threshold)
                written = time.perf_counter() - started
                figures = measure(browser, path, "Company 42")
                rows.append((size, graph.number_of_edges(), mode, layout, written, path.stat().st_size, figures))
        browser.close()

    print(
        "| nodes | edges | opened | layout (s) | write page (s) | file (MB) | first draw (s) | interactive (s) "
        "| search → panel (s) | redraw (ms) | Timeline tab (ms) | Table tab (ms) |"
    )
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, edges, mode, layout, written, file_size, f in rows:
        print(
            f"| {size:,} | {edges:,} | {mode} | {layout:.2f} | {written:.2f} | {file_size / 1e6:.1f} "
            f"| {f['first_draw'] / 1000:.2f} | {f['interactive'] / 1000:.2f} | {f['search'] / 1000:.2f} "
            f"| {f['redraw']:.0f} | {f['timeline']:.0f} | {f['table']:.0f} |"
        )


if __name__ == "__main__":
    main()
