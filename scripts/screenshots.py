"""Screenshots of the view's three tabs for the README, taken in headless Chromium at 1400x900 with every request
but the page blocked: docs/landscape.png (the graph, SenseTime selected), docs/timeline.png (the layoffs chosen on
the timeline) and docs/table.png (the revenue row chosen: its card and the company's chart).

    .venv/bin/python scripts/screenshots.py [--build build] [--out docs] [--chromium /usr/bin/chromium]

The page is made from the built store (``kgraph build``), or from the bundled data when there is none. Chinese
names need a CJK font (Debian: fonts-wqy-microhei); without one they show as boxes.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from kgraph import Landscape
from kgraph.view import write_landscape_view

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SENSETIME = "https://w3id.org/kgraph/id/sensetime"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", help="the build folder (default: build)")
    parser.add_argument("--out", type=Path, default=Path("docs"), help="where the PNG files go (default: docs)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    options = parser.parse_args()

    from playwright.sync_api import sync_playwright

    landscape = Landscape.load(build_dir=options.build)
    options.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        page_file, _ = write_landscape_view(landscape.store, Path(scratch) / "landscape.html")
        url = page_file.resolve().as_uri()
        browser = playwright.chromium.launch(executable_path=options.chromium, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("window.kgraphView && window.kgraphView.ready")

        at = page.evaluate("iri => kgraphView.pagePosition(iri)", SENSETIME)
        page.mouse.click(at["x"], at["y"])  # selected as a click does: the first view stays
        page.screenshot(path=options.out / "landscape.png")

        page.get_by_role("tab", name="Timeline").click()
        page.locator(".kg-event", has_text="layoffs").click()
        page.screenshot(path=options.out / "timeline.png")

        page.get_by_role("tab", name="Table").click()
        page.locator("#kg-figures tbody tr", has_text="revenue").click()
        page.locator("#kg-panel .kg-chart").scroll_into_view_if_needed()
        page.screenshot(path=options.out / "table.png")
        browser.close()


if __name__ == "__main__":
    main()
