"""The query editor at /query in headless Chromium: YASGUI served by the endpoint, Ctrl+Enter, a table, no network."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kgraph.build import STORE_NAME, BuildResult
from kgraph.namespaces import sparql_prologue
from kgraph.store.oxigraph import OxigraphStore
from tests.sparql_servers import Served, kgraph_serve

pytestmark = [pytest.mark.server, pytest.mark.browser]

CHROMIUM = Path(os.environ.get("KGRAPH_CHROMIUM", "/usr/bin/chromium"))


@pytest.fixture(scope="module")
def served(seed_build: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    store = tmp_path_factory.mktemp("editor") / STORE_NAME
    shutil.copytree(seed_build.out_dir / STORE_NAME, store)
    with kgraph_serve(store) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no Chromium at {CHROMIUM} (scripts/install-system-deps.sh installs it)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield chromium
        chromium.close()


def test_the_editor_runs_a_query_with_ctrl_enter_and_shows_a_table(served, browser, seed_store: OxigraphStore):
    page = browser.new_page()
    requested: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        page.goto(served + "/query")
        page.wait_for_function("window.kgraphEditor !== undefined")
        page.locator(".CodeMirror").first.wait_for()
        assert page.locator(".CodeMirror .cm-keyword", has_text="SELECT").count() >= 1  # highlighted
        page.locator(".CodeMirror-code").first.click()
        page.keyboard.press("Control+Enter")
        page.locator(".yasr table tbody tr").first.wait_for(timeout=20_000)
        shown = page.locator(".yasr table tbody tr").all_inner_texts()
    finally:
        page.close()
    query = page_query = "SELECT ?company ?name WHERE { ?company a kg:Company ; rdfs:label ?name } ORDER BY ?name"
    expected = [row["name"].value for row in seed_store.query(sparql_prologue() + query)]
    assert page_query and len(shown) == len(expected)
    assert all(name in row for name, row in zip(expected, shown, strict=True))
    assert any("SenseTime" in row for row in shown)
    assert requested and all(url.startswith(served) for url in requested), requested
    assert not problems, (problems, requested)


def test_the_editor_page_allows_nothing_from_elsewhere(served):
    response = httpx.get(served + "/query")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy and "script-src 'self'" in policy
    assert "http" not in response.text.split("<body>")[0]  # the scripts and styles come from this endpoint
    for asset in ("/static/yasgui/yasgui.min.js", "/static/yasgui/yasgui.min.css", "/static/editor.js"):
        assert httpx.get(served + asset).status_code == 200
    assert httpx.get(served + "/static/../app.py").status_code == 404
