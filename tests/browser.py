"""Pages in a real headless Chromium (Playwright driving /usr/bin/chromium) with every request but the page blocked."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("KGRAPH_CHROMIUM", "/usr/bin/chromium"))


@pytest.fixture(scope="module", name="browser")
def chromium_browser() -> Iterator[object]:
    """A headless Chromium for the tests of a module (skips when there is none)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no Chromium at {CHROMIUM} (scripts/install-system-deps.sh installs it)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


class Visit:
    """A page opened with every request blocked except the page file itself; records what the page tried."""

    def __init__(self, browser, path: Path, *, timeout: float = 60_000) -> None:
        self.url = path.resolve().as_uri()
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda m: self.problems.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))
        self.page.on("dialog", self._dialog)
        started = time.perf_counter()
        self.page.goto(self.url)
        self.page.wait_for_function("window.kgraphView && window.kgraphView.ready", timeout=timeout)
        self.seconds = time.perf_counter() - started

    def _route(self, route) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def hook(self, expression: str, *args):
        return self.page.evaluate(expression, *args)

    def panel(self) -> str:
        return self.page.inner_text("#kg-panel")

    def click_node(self, iri: str) -> None:
        at = self.hook("iri => kgraphView.pagePosition(iri)", iri)
        self.page.mouse.click(at["x"], at["y"])

    def close(self) -> None:
        self.context.close()
