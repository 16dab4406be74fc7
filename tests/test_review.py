"""``kgraph review``: the review page served on 127.0.0.1, driven in headless Chromium through the whole flow (accept
one fact, reject one, edit one, link a new entity, apply), and the decisions checked where the page cannot help:
an unverified fact, an invalid edit, a wrong token or host."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from typer.testing import CliRunner

from kgraph.build import STORE_NAME, build
from kgraph.cli import app
from kgraph.review.server import ReviewServer
from kgraph.review.session import ReviewError, ReviewSession

REPO = Path(__file__).resolve().parents[1]
ARTICLE = REPO / "benchmarks" / "ingest" / "articles" / "02-zhipu-funding.txt"
CHROMIUM = Path(os.environ.get("KGRAPH_CHROMIUM", "/usr/bin/chromium"))
HOSTILE_TEXT = "Its slogan reads <img src=x onerror=window.__pwned=1> and <script>window.__pwned=2</script> here."
HOSTILE_NAME = '<img src=x onerror="window.__pwned=3">Meituan'
SOURCE = "zhipu-ai-raises-2-5bn-yuan-as-investors-back-20231020"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("review")
    shutil.copytree(REPO / "data", root / "data")
    build([root / "data"], root / "build")
    return root


@pytest.fixture
def workspace(built: Path, tmp_path: Path) -> Path:
    """data/, a store, and a sheet proposed by 'kgraph ingest' for a hostile copy of an article, edited for the test:
    one new entity named like a graph entity (to link), one with markup in its name, one fact marked unverified."""
    shutil.copytree(built / "data", tmp_path / "data")
    shutil.copytree(built / "build" / STORE_NAME, tmp_path / "store")
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE.read_text(encoding="utf-8") + "\n" + HOSTILE_TEXT + "\n", encoding="utf-8")
    sheet = tmp_path / "sheet.yaml"
    result = CliRunner().invoke(
        app, ["ingest", str(article), "--published", "2023-10-20", "-d", str(tmp_path / "data"), "-o", str(sheet)]
    )
    assert result.exit_code == 0, result.output
    text = sheet.read_text(encoding="utf-8")
    assert text.startswith("# article: article.txt\n")
    text = text.replace("name: Baichuan", "name: Baidu Inc").replace("name: Meituan", f"name: '{HOSTILE_NAME}'")
    text = text.replace(
        "  object: moonshot-ai\n",
        "  object: moonshot-ai\n  unverified: \"'Moonshot AI' is not named in the article\"\n",
    )
    sheet.write_text(text, encoding="utf-8")
    return tmp_path


def fact_id(kind: str) -> str:
    return f"{SOURCE}-{kind}"


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def review_process(workspace: Path) -> Iterator[str]:
    """'kgraph review SHEET --no-browser' as a user runs it; yields the URL it prints."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kgraph", "review", "sheet.yaml", "--no-browser", "-d", "data", "-s", "store"],
        cwd=workspace,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert found, line + (process.stderr.read() if process.stderr else "")
        yield found.group()
    finally:
        process.terminate()
        process.wait(timeout=10)


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


@pytest.mark.browser
def test_review_accept_reject_edit_link_and_apply(browser, review_process: str, workspace: Path) -> None:  # noqa: ANN001
    url = review_process
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    requests: list[str] = []
    problems: list[str] = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url) else route.abort())
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(url)
    page.wait_for_selector(".card[data-fact]")

    # the article, its evidence marked, and hostile text shown as text
    article = page.inner_text("#article")
    assert "Beijing Zhipu Huazhang Technology Co." in article and HOSTILE_TEXT in article
    assert page.locator("#article mark").count() >= 4
    assert page.evaluate("document.querySelectorAll('img, #article script, #entities script').length") == 0
    assert page.evaluate("window.__pwned") is None
    assert HOSTILE_NAME in page.inner_text("#entities")
    cards = page.locator(".card[data-fact]")
    assert cards.count() == 4
    assert "null" not in page.inner_text("#facts")

    def card(kind: str):  # noqa: ANN202
        return page.locator(f'.card[data-fact="{fact_id(kind)}"]')

    # clicking a card lights its evidence
    card("develops-1").locator("h3").click()
    assert "competes with Baichuan" in page.inner_text("#article mark.active")
    # an unverified fact cannot be accepted as it stands
    assert card("rivalry-2").locator("button.accept").is_disabled()
    assert "Unverified: 'Moonshot AI' is not named in the article" in card("rivalry-2").inner_text()

    card("funding-1").get_by_role("button", name="Accept").click()
    card("develops-1").get_by_role("button", name="Reject").click()
    card("rivalry-1").get_by_role("button", name="Edit").click()
    card("rivalry-1").locator('input[name="confidence"]').fill("0.95")
    card("rivalry-1").locator('input[name="note"]').fill("Checked: <b>both</b> named in the article")  # a new field
    card("rivalry-1").get_by_role("button", name="Save edit").click()
    assert page.inner_text("#counts") == "1 accepted, 1 edited, 1 rejected, 1 undecided"
    entity = page.locator('.card.entity[data-entity="baichuan"]')
    entity.locator("select").select_option("baidu")

    before = snapshot(workspace / "data")
    page.get_by_role("button", name="Apply accepted facts").click()
    page.wait_for_selector("#status.done")
    assert f"Applied source {SOURCE}" in page.inner_text("#status")
    assert problems == [] and all(request.startswith(url) for request in requests)
    # reopened, the page keeps what data/ holds now: applying again changes nothing
    page.reload()
    page.wait_for_selector(".card[data-fact]")
    assert page.inner_text("#counts") == "0 accepted, 2 edited, 0 rejected, 2 undecided"
    assert "kept as in data/" in card("rivalry-1").inner_text() and "baidu" in card("rivalry-1").inner_text()
    written = workspace / "data" / f"{SOURCE}.yaml"
    first = written.read_text(encoding="utf-8")
    page.get_by_role("button", name="Apply accepted facts").click()
    page.wait_for_selector("#status.done")
    assert written.read_text(encoding="utf-8") == first
    context.close()

    written = workspace / "data" / f"{SOURCE}.yaml"
    assert written.name not in before
    sheet = yaml.safe_load(written.read_text(encoding="utf-8"))
    facts = {fact["id"]: fact for fact in sheet["facts"]}
    assert set(facts) == {fact_id("funding-1"), fact_id("rivalry-1")}
    assert facts[fact_id("rivalry-1")]["confidence"] == 0.95
    assert facts[fact_id("rivalry-1")]["note"] == "Checked: <b>both</b> named in the article"
    assert facts[fact_id("rivalry-1")]["object"] == "baidu"  # linked to the graph's entity
    assert {entity["id"] for entity in sheet["entities"]} == {"zhipu-ai", "meituan"}
    assert all("text" not in evidence for fact in sheet["facts"] for evidence in fact["evidence"])


@pytest.fixture
def session(workspace: Path) -> ReviewSession:
    return ReviewSession.open(workspace / "sheet.yaml", data_dir=workspace / "data", store=workspace / "store")


@pytest.mark.parametrize(
    ("decisions", "message"),
    [
        ({"facts": {}}, "no fact is accepted"),
        ({"facts": {fact_id("rivalry-2"): {"decision": "accept"}}}, "rivalry-2: unverified ('Moonshot AI' is not"),
        (
            {"facts": {fact_id("rivalry-1"): {"decision": "edit", "fields": {"subject": "zhipu-ai", "confidence": 2}}}},
            "rivalry-1: confidence: Input should be less than or equal to 1",
        ),
        (
            {
                "facts": {
                    fact_id("rivalry-1"): {
                        "decision": "edit",
                        "fields": {"subject": "nobody-known", "object": "baichuan"},
                    }
                }
            },
            "unknown rival 'nobody-known'",
        ),
        ({"facts": {fact_id("funding-1"): {"decision": "accept"}}, "links": {"meituan": "no-such"}}, "cannot link"),
        ({"facts": []}, "not in the expected form"),
    ],
)
def test_decisions_that_cannot_be_applied_change_nothing(
    session: ReviewSession, workspace: Path, decisions: dict, message: str
) -> None:
    before = snapshot(workspace / "data")
    with pytest.raises(ReviewError, match=re.escape(message)):
        session.apply(decisions)
    assert snapshot(workspace / "data") == before


def test_an_unverified_fact_goes_in_once_edited_with_the_mark_cleared(session: ReviewSession) -> None:
    fields = {"subject": "zhipu-ai", "object": "moonshot-ai", "confidence": 0.8}
    sheet = session.reviewed_sheet({"facts": {fact_id("rivalry-2"): {"decision": "edit", "fields": fields}}})
    [fact] = sheet.facts
    assert fact.unverified is None and fact.object == "moonshot-ai"
    assert {entity.id for entity in sheet.entities} == {"zhipu-ai", "moonshot-ai"}


def test_the_page_data_lists_candidates_for_new_entities(session: ReviewSession) -> None:
    data = session.page_data()
    entities = {entity["id"]: entity for entity in data["entities"]}
    assert [c["id"] for c in entities["baichuan"]["candidates"]] == ["baidu"]
    assert data["article"].startswith("Zhipu AI raises") and len(data["facts"]) == 4


def test_the_server_answers_its_own_page_only(session: ReviewSession) -> None:
    server = ReviewServer(session)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert server.server_address[0] == "127.0.0.1"
        page = httpx.get(server.url)
        assert page.status_code == 200 and "default-src 'none'" in page.headers["content-security-policy"]
        assert httpx.get(server.url, headers={"Host": "attacker.example"}).status_code == 421
        decisions = {"facts": {fact_id("funding-1"): {"decision": "accept"}}}
        assert httpx.post(server.url + "apply", json=decisions).status_code == 403
        wrong = httpx.post(server.url + "apply", json=decisions, headers={"X-Review-Token": "guess"})
        assert wrong.status_code == 403
        assert httpx.get(server.url + "../../etc/passwd").status_code == 404
    finally:
        server.shutdown()
        server.server_close()


def test_facts_already_in_data_start_accepted(session: ReviewSession, workspace: Path) -> None:
    assert session.page_data()["applied"] == {}
    session.apply({"facts": {fact_id("funding-1"): {"decision": "accept"}}})
    again = ReviewSession.open(workspace / "sheet.yaml", data_dir=workspace / "data", store=workspace / "store")
    assert list(again.page_data()["applied"]) == [fact_id("funding-1")]
