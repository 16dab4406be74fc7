"""The Python API on the seed landscape: exact answers, names resolved, hostile input harmless."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal

import pytest

from kgraph import Landscape
from kgraph.analytics.projection import project
from kgraph.api import IRI, Company, Layoff, Product, ProductLaunch, QueryError, Rows
from kgraph.api.models import MissingPandasError
from kgraph.api.reading import UnknownKindError
from kgraph.errors import DataError, KgraphError
from kgraph.namespaces import KGD
from kgraph.resolve import UnknownEntityError

SENSETIME = str(KGD["sensetime"])
ARTICLE = str(KGD["sensetime-layoffs-article"])
HOSTILE = [
    '"} ; DROP ALL ; {"',
    "SenseTime' } UNION { ?s ?p ?o",
    "{ ?s ?p ?o }",
    'Sense"Time',
    "SenseTime\nDROP ALL",
    "<img src=x onerror=alert(1)>",
    "\\u0022 ; CLEAR ALL",
    "",
    "公司",
]


@pytest.fixture(scope="module")
def landscape(seed_store) -> Landscape:
    return Landscape(seed_store)


def triple_count(landscape: Landscape) -> int:
    return len(landscape.store)


# -- entities ----------------------------------------------------------------------------------------------------


def test_company_profile(landscape):
    company = landscape.company("SenseTime")
    assert isinstance(company, Company)
    assert company.to_dict() == {
        "iri": SENSETIME,
        "label": "SenseTime",
        "type": "Company",
        "aliases": ["SenseTime Group", "商汤科技"],
        "description": "Chinese artificial-intelligence company, described by the article as a leading one in China.",
        "country": "CN",
        "wikidata": None,
        "industries": ["AI industry"],
        "markets": ["Chinese large-language-model market"],
        "units": ["Smart City and Business Group"],
        "products": ["SenseNova"],
        "competitors": ["Alibaba", "Baidu", "Tencent"],
    }
    assert landscape.company("Baidu").wikidata == "Q14772"


@pytest.mark.parametrize(
    "name", ["商汤科技", "sensetime", "SENSETIME GROUP", "kgd:sensetime", SENSETIME, f"<{SENSETIME}>"]
)
def test_names_resolve_through_labels_aliases_and_iris(landscape, name):
    assert landscape.company(name).iri == SENSETIME


def test_unknown_name_suggests_close_matches(landscape):
    with pytest.raises(UnknownEntityError, match="SenseTime") as caught:
        landscape.company("SensTime")
    assert "SenseTime" in caught.value.suggestions


def test_companies(landscape):
    assert landscape.companies().labels() == ["Alibaba", "Baidu", "OpenAI", "SenseTime", "Tencent"]
    chinese_llm = landscape.companies(market="Chinese LLM race")
    assert chinese_llm.labels() == ["Alibaba", "Baidu", "SenseTime", "Tencent"]
    assert landscape.companies(industry="AI industry").labels() == [
        "Alibaba",
        "Baidu",
        "OpenAI",
        "SenseTime",
        "Tencent",
    ]


def test_products(landscape):
    assert landscape.products().labels() == ["ChatGPT", "SenseNova"]
    [sensenova] = landscape.products(developer="SenseTime")
    assert isinstance(sensenova, Product)
    assert (sensenova.label, sensenova.type, sensenova.developers) == (
        "SenseNova",
        "LargeLanguageModel",
        ["SenseTime"],
    )
    assert landscape.products(developer="OpenAI").labels() == ["ChatGPT"]
    assert landscape.products(developer="Baidu") == []


def test_competitors(landscape):
    [rival] = landscape.competitors("SenseNova")
    assert isinstance(rival, Product) and rival.label == "ChatGPT" and rival.developers == ["OpenAI"]
    rivals = landscape.competitors("SenseTime")
    assert rivals.labels() == ["Alibaba", "Baidu", "Tencent"]
    assert all(isinstance(r, Company) for r in rivals)
    assert landscape.competitors("OpenAI") == []


# -- events and figures --------------------------------------------------------------------------------------------


def test_events_in_time_order(landscape):
    events = landscape.events()
    assert [(e.kind, e.date, e.earliest) for e in events] == [
        ("FinancialResults", None, dt.date(2022, 1, 1)),
        ("ProductLaunch", "2023-04", dt.date(2023, 4, 1)),
        ("Layoff", "2023-09", dt.date(2023, 9, 1)),
        ("CorporateStatement", None, None),
    ]
    assert all(e.sources == [ARTICLE] and e.company == "SenseTime" for e in events)
    assert landscape.timeline("SenseTime").labels() == events.labels()
    assert landscape.events(company="Baidu") == []


def test_layoff_event(landscape):
    [layoff] = landscape.events(kind="layoff")
    assert isinstance(layoff, Layoff)
    assert (layoff.date, layoff.inferred, layoff.notice_period) == ("2023-09", True, "P7D")
    assert layoff.units == ["Smart City and Business Group"]
    [reduction] = layoff.reductions
    assert (reduction.min_share, reduction.max_share, reduction.estimate) == (Decimal(10), Decimal(15), True)
    assert reduction.estimated_by == "an employee of SenseTime's Smart City and Business Group"
    assert str(reduction) == "Smart City and Business Group: 10–15% (estimate)"
    terms = {term.formula: term for term in layoff.severance}
    assert set(terms) == {"N+1", "N+2"}
    assert terms["N+2"].extras == ["the September social-security contribution"]
    assert sorted(terms["N+1"].applies_to) == ["employees whose contracts are not renewed", "fresh graduates"]


def test_events_by_kind_and_dates(landscape):
    [launch] = landscape.events(kind="Product launch")
    assert isinstance(launch, ProductLaunch) and launch.product == "SenseNova" and launch.inferred
    assert landscape.events(kind="kg:ProductLaunch").labels() == [launch.label]
    assert len(landscape.events(kind="Event")) == 4
    assert landscape.events(since="2023-05-01").labels() == ["SenseTime layoffs (2023-09)"]
    assert landscape.events(until="2023-04-15").labels() == [
        "SenseTime results FY2022",
        "SenseTime launches SenseNova (2023-04)",
    ]
    assert landscape.events(since="2023-04", until="2023-04").labels() == ["SenseTime launches SenseNova (2023-04)"]
    assert landscape.timeline("SenseTime", since=dt.date(2023, 9, 30)).labels() == ["SenseTime layoffs (2023-09)"]
    assert landscape.events(since="2024") == []
    with pytest.raises(UnknownKindError, match="Layoff"):
        landscape.events(kind="earthquake")
    with pytest.raises(KgraphError, match="not a date"):
        landscape.events(since="April")


def test_financials(landscape):
    [revenue] = landscape.financials("SenseTime", metric="revenue")
    assert (revenue.metric, revenue.period, revenue.fiscal_year) == ("revenue", "FY2022", 2022)
    assert revenue.amount("CNY").value == Decimal("3809000000") and not revenue.amount("CNY").converted
    assert revenue.amount("USD").value == Decimal("520000000") and revenue.amount("USD").converted
    assert revenue.year_on_year == Decimal(-19)
    assert str(revenue.amount("USD")) == "USD 520,000,000 (converted by the reporter)"
    [loss] = landscape.financials("SenseTime", metric="net income")
    assert loss.is_loss and loss.reported.value == Decimal("-6093000000") < 0
    [adjusted] = landscape.financials("SenseTime", metric="adjusted_net_income", currency="usd")
    assert [(a.value, a.currency) for a in adjusted.amounts] == [(Decimal("-650000000"), "USD")]
    assert len(landscape.financials("SenseTime")) == 3
    assert len(landscape.financials("SenseTime", period="FY2022")) == 3
    assert len(landscape.financials("SenseTime", period=2022)) == 3
    assert landscape.financials("SenseTime", period=2021) == []
    assert landscape.financials("Baidu") == []


def test_headwinds(landscape):
    headwinds = landscape.headwinds(industry="AI industry")
    assert len(headwinds) == 3
    assert sorted(headwinds.labels()) == ["US–China chip war", "potential recession", "rising inflation"]
    for headwind in headwinds:
        assert headwind.affects == "AI industry"
        assert headwind.companies == ["Alibaba", "Baidu", "OpenAI", "SenseTime", "Tencent"]
        assert headwind.sources == [ARTICLE]
    assert sorted(landscape.headwinds().labels()) == sorted(headwinds.labels())
    assert landscape.headwinds(industry="Chinese LLM race") == []


def test_sources_of(landscape):
    [layoff] = landscape.events(kind="layoff")
    [source] = landscape.sources_of(layoff)
    # The article names no publisher of its own; it reports on a Pandaily report.
    assert (source.iri, source.publisher, source.based_on) == (ARTICLE, None, "Pandaily report")
    assert source.based_on_publisher == "Pandaily"
    assert str(source) == "SenseTime lays off employees amid race to develop LLMs (citing Pandaily)"
    assert landscape.sources_of("kgd:sensetime-layoffs-2023") == [source]
    reduction = str(KGD["sensetime-layoffs-2023/reduction-1"])
    [estimate] = landscape.sources_of(reduction)
    assert estimate.estimate and estimate.attributed_to == "an employee of SenseTime's Smart City and Business Group"
    graph = project(landscape.store)
    fact = graph.nodes[SENSETIME]["facts"][0]
    assert landscape.sources_of(fact).labels() == ["SenseTime lays off employees amid race to develop LLMs"]
    [development] = landscape.sources_of("kgd:openai-develops-chatgpt")
    assert development.iri == str(KGD["general-knowledge"])
    assert landscape.sources_of("kgd:no-such-fact") == []
    with pytest.raises(KgraphError, match="not the IRI of a fact"):
        landscape.sources_of("layoffs")


# -- SPARQL --------------------------------------------------------------------------------------------------------


def test_query_rows_are_python_values(landscape):
    rows = landscape.query(
        "SELECT ?value ?currency WHERE { ?m kg:company ?company ; kg:metric kg:Revenue ; kg:amount ?a ."
        " ?a schema:value ?value ; schema:currency ?currency } ORDER BY ?currency"
    )
    assert isinstance(rows, Rows) and rows.variables == ["value", "currency"]
    assert rows.to_dicts() == [
        {"value": Decimal("3809000000"), "currency": "CNY"},
        {"value": Decimal("520000000"), "currency": "USD"},
    ]
    [row] = landscape.query(
        "SELECT ?date ?earliest ?inferred WHERE { kgd:sensenova-launch kg:date ?date ;"
        " kg:occurredAt ?t . ?t kg:earliestDate ?earliest ; kg:inferred ?inferred }"
    )
    assert row == {"date": "2023-04", "earliest": dt.date(2023, 4, 1), "inferred": True}


def test_query_bindings(landscape):
    rows = landscape.query("SELECT ?product ?company WHERE { ?product kg:developer ?company }", company=IRI(SENSETIME))
    assert rows.column("product") == [str(KGD["sensenova"])]
    assert isinstance(rows[0]["product"], IRI)
    by_entity = landscape.query(
        "SELECT ?product ?company WHERE { ?product kg:developer ?company }", company=landscape.resolve("商汤科技")
    )
    assert by_entity == rows
    by_label = landscape.query("SELECT ?entity ?name WHERE { ?entity rdfs:label ?name }", name="Baidu")
    assert by_label.column("entity") == [str(KGD["baidu"])]
    assert landscape.query("ASK { kgd:sensenova kg:competesWith kgd:chatgpt }") is True
    triples = landscape.query("CONSTRUCT { ?p kg:developer ?c } WHERE { ?p kg:developer ?c }")
    assert (str(KGD["sensenova"]), "https://w3id.org/kgraph/ontology#developer", SENSETIME) in triples


def test_query_errors(landscape):
    with pytest.raises(QueryError, match="line 2, column"):
        landscape.query("SELECT ?x WHERE {\n  ?x ?p ")


def test_a_bound_variable_need_not_be_selected(landscape):
    """As rdflib's initBindings: the embedded store binds ?name though the query does not return it."""
    assert landscape.query("SELECT ?x WHERE { ?x ?p ?o }", o="unselected") == []
    found = landscape.query("SELECT ?s WHERE { ?s rdfs:label ?name }", name="SenseTime")
    assert found.to_dicts() == [{"s": f"{KGD}sensetime"}]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_strings_change_nothing(landscape, hostile):
    before = triple_count(landscape)
    with pytest.raises(UnknownEntityError):
        landscape.company(hostile)
    assert landscape.query("SELECT ?entity ?name WHERE { ?entity rdfs:label ?name }", name=hostile) == []
    assert landscape.financials("SenseTime", metric=hostile) == []
    assert landscape.financials("SenseTime", currency=hostile) == []
    assert landscape.financials("SenseTime", period=hostile) == []
    with pytest.raises(UnknownKindError):
        landscape.events(kind=hostile or "nothing")
    rows = landscape.query("SELECT ?text WHERE {}", text=hostile)
    assert rows.to_dicts() == [{"text": hostile}]
    assert "<img" not in rows._repr_html_()
    assert triple_count(landscape) == before
    assert landscape.company("SenseTime").label == "SenseTime"


def test_notebook_views_escape_values(landscape):
    company = landscape.company("SenseTime")
    html = company._repr_html_()
    assert "商汤科技" in html and "<td>SenseTime</td>" in html
    hostile = company.model_copy(update={"label": "<script>alert(1)</script>"})
    assert "<script>" not in hostile._repr_html_()
    assert "&lt;script&gt;" in hostile._repr_html_()
    table = landscape.companies()._repr_html_()
    assert table.count("<tr>") == 6


def test_to_pandas_is_optional(landscape):
    rows = landscape.companies()
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(MissingPandasError, match="pip install pandas"):
            rows.to_pandas()
    else:
        frame = rows.to_pandas()
        assert list(frame["label"]) == rows.labels()


# -- opening and hand-overs ----------------------------------------------------------------------------------------


def test_to_rdflib_and_networkx(landscape):
    dataset = landscape.to_rdflib()
    assert sum(len(graph) for graph in dataset.graphs()) == triple_count(landscape)
    graph = landscape.to_networkx(include=["Company"])
    assert graph.number_of_nodes() == 5


def test_open_load_and_from_files(seed_build, data_dir, tmp_path, monkeypatch):
    opened = Landscape.open(seed_build.out_dir / "store")
    assert opened.company("SenseTime").iri == SENSETIME
    assert Landscape.load(build_dir=seed_build.out_dir).companies().labels() == opened.companies().labels()
    monkeypatch.chdir(tmp_path)
    built = Landscape.load()
    assert built.company("商汤科技").iri == SENSETIME
    assert len(built.store) == len(opened.store)
    from_files = Landscape.from_files(data_dir)
    assert from_files.financials("SenseTime", metric="revenue")[0].year_on_year == Decimal(-19)


def test_from_files_rejects_bad_data(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("source: {id: x, type: reference}\nfacts:\n  - id: y\n    kind: nonsense\n", encoding="utf-8")
    with pytest.raises(DataError):
        Landscape.from_files(bad)


def test_import_kgraph_stays_cheap():
    code = "import sys, kgraph; print(sorted(m for m in ('kgraph.api', 'networkx', 'pyoxigraph') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    code = "import kgraph; print(kgraph.Landscape.__name__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "Landscape"


EXTRA_SHEET = """\
source:
  id: extra-note
  type: reference
  title: A test note
entities:
  - id: acme-ai
    type: Company
    name: Acme AI
    aliases: ["<b>Acme</b>"]
  - id: acme-chat
    type: AIProduct
    name: Acme Chat
    developer: acme-ai
facts:
  - id: acme-chat-launch
    kind: product_launch
    subject: acme-ai
    object: acme-chat
    date:
      value: 2024-02-15
"""


def test_data_added_beside_the_seed(data_dir, tmp_path):
    extra = tmp_path / "extra.yaml"
    extra.write_text(EXTRA_SHEET, encoding="utf-8")
    landscape = Landscape.from_files(data_dir, extra)
    [launch] = landscape.timeline("<b>acme</b>")
    assert (launch.kind, launch.date, launch.product) == ("ProductLaunch", "2024-02-15", "Acme Chat")
    assert launch.earliest == launch.latest == dt.date(2024, 2, 15) and not launch.inferred
    assert landscape.events(since="2024").labels() == [launch.label]
    assert landscape.products(developer="Acme AI").labels() == ["Acme Chat"]
    assert "&lt;b&gt;Acme&lt;/b&gt;" in landscape.company("Acme AI")._repr_html_()
    graph = landscape.to_networkx()
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (22, 31)


def test_readme_example(landscape):
    """The notebook example of the README's API section, call for call."""
    assert landscape.company("商汤科技").competitors == ["Alibaba", "Baidu", "Tencent"]
    [revenue] = landscape.financials("SenseTime", metric="revenue", period=2022)
    assert revenue.amount("CNY").value == Decimal("3809000000")
    assert str(revenue.amount("USD")) == "USD 520,000,000 (converted by the reporter)"
    assert revenue.year_on_year == Decimal("-19")
    assert landscape.competitors("SenseNova").labels() == ["ChatGPT"]
    assert landscape.timeline("SenseTime", since="2023").labels() == [
        "SenseTime launches SenseNova (2023-04)",
        "SenseTime layoffs (2023-09)",
    ]
    [layoff] = landscape.events(kind="layoff")
    assert str(layoff.reductions[0]) == "Smart City and Business Group: 10–15% (estimate)"
    assert landscape.sources_of(layoff)[0].based_on_publisher == "Pandaily"
    rows = landscape.query(
        "SELECT ?product ?company WHERE { ?product kg:developer ?company }", company=landscape.resolve("SenseTime")
    )
    assert rows.to_dicts() == [{"product": IRI(str(KGD["sensenova"])), "company": IRI(SENSETIME)}]
    graph = landscape.to_networkx()
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (19, 29)
    assert landscape.to_networkx(include=["Company", "Product"]).number_of_nodes() == 7


def test_view_in_a_notebook(landscape, tmp_path):
    view = landscape.view(focus="SenseNova", depth=1)
    assert view._repr_html_().startswith("<iframe srcdoc=")
    assert "SenseNova" in view.html and "ChatGPT" in view.html
    view.save(str(tmp_path / "sensenova.html"))
    assert (tmp_path / "sensenova.html").read_text(encoding="utf-8") == view.html
