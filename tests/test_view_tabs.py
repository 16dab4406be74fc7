"""The view's Timeline and Table tabs and the chart of figures: their data in Python, and the tabs in headless
Chromium with every request blocked (kgraph.view.tabs, templates/tabs.js and chart.js)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from kgraph.view import landscape_graph, write_page
from kgraph.view.data import page_data
from kgraph.view.synthetic import synthetic_projection
from tests.browser import Visit, chromium_browser  # noqa: F401 - the browser fixture

ID = "https://w3id.org/kgraph/id/"
SENSETIME = ID + "sensetime"
HOSTILE = "<img src=x onerror=alert(1)>"
ARTICLE = ID + "sensetime-layoffs-article"


@pytest.fixture(scope="module")
def seed_graph(seed_store) -> nx.MultiDiGraph:
    return landscape_graph(seed_store)


# ---------------------------------------------------------------------------------------------------- in Python


def test_events_and_figures_come_from_the_projection_and_the_financials_question(seed_graph) -> None:
    assert {"Layoff", "ProductLaunch", "FinancialResults", "CorporateStatement"} <= set(seed_graph.graph["event_kinds"])
    assert "FinancialMeasurement" not in seed_graph.graph["event_kinds"]
    data = page_data(seed_graph, title="seed")
    nodes = data["nodes"]
    events = {nodes[lane]["facts"][index]["label"]: nodes[lane]["label"] for lane, index in data["events"]}
    assert events == {
        "SenseTime results FY2022": "SenseTime",
        "SenseTime launches SenseNova (2023-04)": "SenseTime",
        "SenseTime layoffs (2023-09)": "SenseTime",
        "SenseTime statement": "SenseTime",  # undated, still an event
    }
    revenue = next(f for f in data["figures"] if f["metric"] == "revenue")
    assert nodes[revenue["company"]]["iri"] == SENSETIME
    assert nodes[revenue["company"]]["facts"][revenue["fact"]]["label"] == "SenseTime revenue FY2022"
    assert sorted(revenue["amounts"]) == [[520_000_000.0, "USD", True], [3_809_000_000.0, "CNY", False]]
    assert (revenue["period"], revenue["year"], revenue["change"], revenue["loss"]) == ("FY2022", 2022, -19.0, False)
    assert {f["metric"] for f in data["figures"] if f["loss"]} == {"net income", "adjusted net income"}


def test_a_part_of_the_landscape_keeps_only_its_companies_figures(seed_store) -> None:
    part = landscape_graph(seed_store, focus=["ChatGPT"], depth=1)
    data = page_data(part, title="part")
    assert SENSETIME not in {n["iri"] for n in data["nodes"]}
    assert data["figures"] == [] and data["events"] == []
    before = page_data(landscape_graph(seed_store, until="2021"), title="before")
    assert before["figures"] == []  # FY2022 figures are outside the dates chosen


def figures_graph() -> nx.MultiDiGraph:
    """A company with figures over three years, a loss among them, and a launch; every label hostile."""
    company = ID + "acme"
    graph = nx.MultiDiGraph(type_labels={"Company": "Company"}, event_kinds=["ProductLaunch"], figures=[])
    source = {"iri": ID + "acme-source", "label": HOSTILE + " report", "publisher": HOSTILE, "published": "2024-03"}
    facts = []
    for year, metric, value in ((2021, "revenue", 800.0), (2022, "revenue", 1000.0), (2023, "revenue", 1200.0)) + (
        (2023, HOSTILE, -300.0),
    ):
        iri = f"{company}/{metric}-{year}"
        facts.append(
            {
                "iri": iri,
                "kind": "FinancialMeasurement",
                "kind_label": "Financial measurement",
                "label": f"{metric} FY{year}",
                "date": None,
                "earliest": f"{year}-01-01",
                "latest": f"{year}-12-31",
                "inferred": False,
                "details": {"amount": f"USD {value:,.0f}"},
                "estimate": False,
                "sources": [source],
                "attributed_to": None,
            }
        )
        graph.graph["figures"].append(
            {
                "company": company,
                "measurement": iri,
                "metric": metric,
                "period": f"FY{year}",
                "year": year,
                "value": value,
                "currency": "USD",
                "converted": False,
                "change": 25.0 if metric == "revenue" and year > 2021 else None,
                "loss": value < 0,
            }
        )
    facts.append(
        {
            "iri": ID + "acme-launch",
            "kind": "ProductLaunch",
            "kind_label": "Product launch",
            "label": HOSTILE + " launch",
            "date": "2023-04-17",
            "earliest": "2023-04-17",
            "latest": "2023-04-17",
            "inferred": False,
            "details": {"product": HOSTILE},
            "estimate": False,
            "sources": [source],
            "attributed_to": None,
        }
    )
    graph.add_node(company, iri=company, label=HOSTILE, type="Company", type_label="Company", aliases=[], facts=facts)
    return graph


# ---------------------------------------------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def seed_page(seed_graph, tmp_path_factory) -> Path:
    return write_page(seed_graph, tmp_path_factory.mktemp("tabs") / "seed.html", title="Seed landscape")


@pytest.fixture
def visit(browser, seed_page) -> Iterator[Visit]:
    opened = Visit(browser, seed_page)
    yield opened
    opened.close()


def events_shown(visit: Visit) -> dict[str, dict]:
    return {event["label"]: event for event in visit.hook("kgraphView.timelineEvents()")}


@pytest.mark.browser
def test_timeline_places_each_event_at_its_precision_and_opens_its_facts(visit: Visit) -> None:
    visit.page.get_by_role("tab", name="Graph").press("ArrowRight")  # by keyboard
    assert visit.hook("kgraphView.tab()") == "timeline"
    assert visit.page.get_by_role("tab", name="Timeline").get_attribute("aria-selected") == "true"
    assert visit.page.is_hidden("#kg-table") and visit.page.is_visible("#kg-timeline")
    events = events_shown(visit)
    assert set(events) == {
        "SenseTime results FY2022",
        "SenseTime launches SenseNova (2023-04)",
        "SenseTime layoffs (2023-09)",
    }
    assert {e["company"] for e in events.values()} == {"SenseTime"}
    results, launch, layoff = (
        events["SenseTime results FY2022"],
        events["SenseTime launches SenseNova (2023-04)"],
        events["SenseTime layoffs (2023-09)"],
    )
    assert launch["inferred"] and layoff["inferred"] and not results["inferred"]  # the article gives no year
    assert 9 <= results["width"] / launch["width"] <= 15  # a year spans about twelve months
    assert results["left"] < launch["left"] < layoff["left"]
    assert "SenseTime statement" in visit.page.inner_text("#kg-timeline")  # undated, listed apart

    assert visit.page.inner_text(".kg-event >> nth=2") == "≈ layoffs (2023-09)"  # the lane names the company
    visit.page.locator(".kg-event", has_text="layoffs").click()
    assert visit.hook("kgraphView.selection.kind") == "fact"
    panel = visit.panel()
    assert "SenseTime layoffs (2023-09)" in panel and "date inferred" in panel
    assert "Smart City and Business Group" in panel and "Source:" in panel and "Pandaily" in panel
    assert visit.problems == [] and visit.requests == [visit.url]


@pytest.mark.browser
def test_filters_are_shared_by_the_graph_the_timeline_and_the_table(visit: Visit) -> None:
    visit.page.select_option("#kg-time-mode", "hide")
    visit.page.fill("#kg-since", "2023-05")
    visit.page.fill("#kg-until", "2023-12")
    visit.page.press("#kg-until", "Enter")
    visit.page.get_by_role("tab", name="Timeline").click()
    assert set(events_shown(visit)) == {"SenseTime layoffs (2023-09)"}
    visit.page.get_by_role("tab", name="Table").click()
    shown = [row[3] for row in visit.hook("kgraphView.tableRows('events')")]
    assert shown == ["SenseTime layoffs (2023-09)", "SenseTime statement"]  # undated events stay, as in the graph
    assert visit.hook("kgraphView.tableRows('figures')") == []  # FY2022 is outside the range

    visit.page.select_option("#kg-time-mode", "fade")  # fading keeps the rows, marked
    assert len(visit.hook("kgraphView.tableRows('figures')")) == 3
    assert visit.page.locator("#kg-figures tbody tr.kg-faded").count() == 3

    visit.page.click("#kg-reset")
    visit.page.click("#kg-sources-box summary")  # only the article: what general knowledge also says stays
    visit.page.locator(f'#kg-sources input[data-iri="{ARTICLE}"]').uncheck()
    assert [row[3] for row in visit.hook("kgraphView.tableRows('events')")] == [
        "SenseTime launches SenseNova (2023-04)"
    ]
    visit.page.locator(f'#kg-sources input[data-iri="{ARTICLE}"]').check()
    visit.page.locator('#kg-classes input[data-type="Company"]').uncheck()
    assert visit.hook("kgraphView.tableRows('events')") == []
    visit.page.get_by_role("tab", name="Timeline").click()
    assert events_shown(visit) == {} and "No events" in visit.page.inner_text("#kg-timeline")
    visit.page.get_by_role("tab", name="Graph").click()
    assert SENSETIME not in visit.hook("kgraphView.shownNodeIris()")
    assert visit.problems == []


@pytest.mark.browser
def test_table_lists_figures_sorts_filters_and_copies(visit: Visit) -> None:
    visit.page.get_by_role("tab", name="Table").click()
    rows = visit.hook("kgraphView.tableRows('figures')")
    revenue = next(row for row in rows if row[1] == "revenue")
    assert revenue == [
        "SenseTime",
        "revenue",
        "FY2022",
        "CNY 3,809,000,000",
        "USD 520,000,000",
        "-19%",
        "SenseTime lays off employees amid race to develop LLMs (citing Pandaily)",
    ]
    amount = visit.page.locator("#kg-figures th", has_text="Amount")
    amount.get_by_role("button").click()
    assert [row[1] for row in visit.hook("kgraphView.tableRows('figures')")] == [
        "net income",
        "adjusted net income",
        "revenue",
    ]
    amount.get_by_role("button").click()
    assert amount.get_attribute("aria-sort") == "descending"
    assert visit.hook("kgraphView.tableRows('figures')")[0][1] == "revenue"
    visit.page.fill("#kg-figures .kg-table-filter", "net income")  # still sorted by amount, largest first
    assert [row[1] for row in visit.hook("kgraphView.tableRows('figures')")] == [
        "adjusted net income",
        "net income",
    ]
    tsv = visit.hook("kgraphView.tableTsv('figures')").splitlines()
    assert tsv[0].split("\t")[:4] == ["Company", "Metric", "Period", "Amount"]
    assert len(tsv) == 3 and all(len(line.split("\t")) == 7 for line in tsv)
    visit.context.grant_permissions(["clipboard-read", "clipboard-write"])
    visit.page.click("#kg-figures .kg-copy")
    # a locator waits without evaluating strings, which the page's Content-Security-Policy forbids
    visit.page.locator("#kg-figures .kg-copy", has_text="Copied 2 rows").wait_for()
    assert visit.page.evaluate("navigator.clipboard.readText()") == "\n".join(tsv) + "\n"

    dates = [row[0] for row in visit.hook("kgraphView.tableRows('events')")]
    assert dates == ["2022", "2023-04 (inferred)", "2023-09 (inferred)", "undated"]
    visit.page.locator("#kg-events tbody tr", has_text="Layoff").click()
    assert "severance" in visit.panel()
    visit.page.locator("#kg-figures tbody tr").first.click()  # a figure shows its card and the company's chart
    assert len(visit.page.locator("#kg-panel .kg-chart rect").all()) == 3
    assert visit.problems == [] and visit.requests == [visit.url]


@pytest.mark.browser
def test_chart_draws_figures_over_periods_and_every_tab_keeps_hostile_labels_as_text(browser, tmp_path) -> None:
    path = write_page(figures_graph(), tmp_path / "figures.html", title="Acme")
    visit = Visit(browser, path)
    try:
        visit.hook("iri => kgraphView.select(iri)", ID + "acme")
        bars = visit.page.eval_on_selector_all(
            "#kg-panel .kg-chart rect",
            "rects => rects.map(r => ({metric: r.dataset.metric, period: r.dataset.period,"
            " x: +r.getAttribute('x'), y: +r.getAttribute('y'), height: +r.getAttribute('height')}))",
        )
        revenue = sorted((b for b in bars if b["metric"] == "revenue"), key=lambda b: b["x"])
        assert [b["period"] for b in revenue] == ["FY2021", "FY2022", "FY2023"]  # periods in time order
        assert revenue[2]["height"] / revenue[0]["height"] == pytest.approx(1200 / 800, rel=0.02)
        [loss] = [b for b in bars if b["metric"] == HOSTILE]
        zero = revenue[0]["y"] + revenue[0]["height"]
        assert loss["y"] == pytest.approx(zero, abs=0.01)  # drawn down from the zero line
        assert loss["height"] / revenue[2]["height"] == pytest.approx(300 / 1200, rel=0.02)
        assert HOSTILE in visit.page.inner_text("#kg-panel .kg-chart")

        visit.page.get_by_role("tab", name="Timeline").click()
        text = visit.page.inner_text("#kg-timeline")
        assert HOSTILE in text and "launch" in text
        assert visit.page.get_attribute(".kg-event", "title").startswith(HOSTILE + " launch")
        [launch] = visit.hook("kgraphView.timelineEvents()")
        assert launch["width"] == 12  # a day is a dot
        visit.page.locator(".kg-event").click()
        assert HOSTILE + " launch" in visit.panel()
        visit.page.get_by_role("tab", name="Table").click()
        table = visit.page.inner_text("#kg-table")
        assert table.count(HOSTILE) >= 5 and "USD 1,200" in table and "+25%" in table
        assert visit.page.locator("img").count() == 0 and visit.hook("window.pwned") is None
        assert visit.dialogs == [] and visit.problems == [] and visit.requests == [visit.url]
    finally:
        visit.close()


def test_page_names_its_tabs(seed_page: Path) -> None:
    text = seed_page.read_text(encoding="utf-8")
    assert re.findall(r'role="tab" data-tab="(\w+)"', text) == ["graph", "timeline", "table"]


EARLIER_RESULTS = """\
# A test sheet: SenseTime's results a year earlier, so that the chart has two periods.
source:
  id: test-results-2021
  type: news_article
  title: Test sheet with 2021 results
  publisher: pandaily
  published: 2022-03-25
facts:
  - id: sensetime-results-2021
    kind: financial_result
    subject: sensetime
    period: {fiscal_year: 2021, label: FY2021}
    measurements:
      - metric: revenue
        amounts: [{value: 4700000000, currency: CNY}]
"""


def kgraph(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it, in ``cwd``."""
    return subprocess.run(
        [sys.executable, "-m", "kgraph", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=300,
    )


@pytest.mark.browser
def test_journey_build_then_view_a_part_and_read_its_tabs(browser, tmp_path: Path, data_dir: Path) -> None:
    shutil.copytree(data_dir, tmp_path / "data")
    (tmp_path / "data" / "test-results-2021.yaml").write_text(EARLIER_RESULTS, encoding="utf-8")
    built = kgraph("build", cwd=tmp_path)
    assert built.returncode == 0, built.stderr

    visit = Visit(browser, tmp_path / "build" / "landscape.html")  # the whole landscape, as `make run` writes it
    try:
        visit.page.get_by_role("tab", name="Table").click()
        revenue = [row for row in visit.hook("kgraphView.tableRows('figures')") if row[1] == "revenue"]
        assert [(row[2], row[3]) for row in revenue] == [
            ("FY2021", "CNY 4,700,000,000"),
            ("FY2022", "CNY 3,809,000,000"),
        ]
        assert revenue[0][6] == "Test sheet with 2021 results (Pandaily)"
        visit.page.locator("#kg-figures tbody tr", has_text="FY2021").click()
        periods = visit.page.eval_on_selector_all(
            "#kg-panel .kg-chart rect[data-metric=revenue]", "rects => rects.map(r => r.dataset.period)"
        )
        assert periods == ["FY2021", "FY2022"]
        assert visit.problems == [] and visit.requests == [visit.url]
    finally:
        visit.close()

    viewed = kgraph("view", "--focus", "SenseTime", "--depth", "1", "--since", "2023", "-o", "part.html", cwd=tmp_path)
    assert viewed.returncode == 0, viewed.stderr
    visit = Visit(browser, tmp_path / "part.html")
    try:
        visit.page.get_by_role("tab", name="Timeline").click()
        assert set(events_shown(visit)) == {
            "SenseTime launches SenseNova (2023-04)",
            "SenseTime layoffs (2023-09)",
        }  # the results of 2021 and 2022 are before the range chosen
        visit.page.locator(".kg-event", has_text="launches SenseNova").click()
        assert "kgraph curators' general knowledge" in visit.panel()
        assert visit.problems == [] and visit.requests == [visit.url]
    finally:
        visit.close()


@pytest.mark.browser
def test_large_tables_draw_their_first_rows_and_copy_them_all(browser, tmp_path: Path) -> None:
    graph = synthetic_projection(2000, seed=2)
    path = write_page(graph, tmp_path / "large.html", title="2,000 nodes")
    visit = Visit(browser, path)
    try:
        visit.page.get_by_role("tab", name="Table").click()
        events = len(visit.hook("kgraphView.tableRows('events')"))
        assert events > 500
        assert visit.page.locator("#kg-events tbody tr").count() == 500
        assert len(visit.hook("kgraphView.tableTsv('events')").splitlines()) == events + 1  # every row copied
        visit.page.locator("#kg-events .kg-more").click()
        assert visit.page.locator("#kg-events tbody tr").count() == events
        visit.page.get_by_role("tab", name="Timeline").click()
        companies = sum(1 for _, a in graph.nodes(data=True) if a["type"] == "Company")
        assert companies > 200 and visit.page.locator(".kg-lane").count() == 200
        visit.page.locator("#kg-timeline .kg-more").click()
        assert visit.page.locator(".kg-lane").count() == len(
            {e["company"] for e in visit.hook("kgraphView.timelineEvents()")}
        )
        assert visit.problems == []
    finally:
        visit.close()
