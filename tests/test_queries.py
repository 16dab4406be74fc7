"""The named questions: the catalog, parameter binding, and each question's exact answer on the seed data."""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgraph import queries
from kgraph.infer import materialise
from kgraph.namespaces import KG, KGD
from kgraph.queries import ParameterError, QueryNotFoundError
from kgraph.resolve import AmbiguousEntityError, UnknownEntityError
from kgraph.store.base import SelectResult
from kgraph.store.oxigraph import OxigraphStore

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
NUMERIC = {XSD + name for name in ("decimal", "integer", "double", "float")}
ARTICLE = "kgd:sensetime-layoffs-article"
HOSTILE = [
    '"} ; DROP ALL ; {"',
    "x' } UNION { ?s ?p ?o } #",
    "Sense\nTime",
    "{ ?s ?p ?o }",
    '\\" . } DELETE WHERE { ?s ?p ?o } #',
    "Ünknöwn 商汤 \u202e",
    "",
]


def simple(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> object:
    """A term as a value that is easy to compare: IRIs compacted, numbers as Decimal, booleans as bool."""
    if isinstance(term, ox.NamedNode):
        return term.value.replace(str(KGD), "kgd:").replace(str(KG), "kg:")
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in NUMERIC:
            return Decimal(term.value)
        if datatype == XSD + "boolean":
            return term.value == "true"
        return term.value
    return str(term)


def ask(store: OxigraphStore, name: str, **values: object) -> list[dict[str, object]]:
    result = queries.get(name).run(store, values)
    assert isinstance(result, SelectResult)
    return [{key: simple(value) for key, value in row.items()} for row in result]


def column(rows: list[dict[str, object]], name: str) -> list[object]:
    return [row.get(name) for row in rows]


# -- the catalog -------------------------------------------------------------------------------------------------


def test_catalog_has_at_least_fifteen_documented_questions() -> None:
    catalog = queries.catalog()
    assert len(catalog) >= 15
    for name, query in catalog.items():
        assert query.name == name and query.description
        assert query.text.lstrip().startswith("#")


@pytest.mark.parametrize("name", sorted(queries.catalog()))
def test_every_question_parses_and_projects_its_parameters(seed_store: OxigraphStore, name: str) -> None:
    query = queries.get(name)
    select = query.text.split("WHERE", 1)[0]
    for parameter in query.parameters:
        assert re.search(rf"\?{parameter.name}\b", select), f"{name}: ?{parameter.name} must be in the SELECT clause"
        assert not re.search(rf"BOUND\s*\(\s*\?{parameter.name}\s*\)", query.text, re.IGNORECASE)
    # a query that does not parse, or a parameter Oxigraph refuses to bind, fails here
    values = {p.name: ox.Literal("no such value") for p in query.parameters}
    result = seed_store.query(query.sparql, bindings=values)
    assert isinstance(result, SelectResult)


def test_unknown_question_suggests_close_names() -> None:
    with pytest.raises(QueryNotFoundError, match="timeline"):
        queries.get("timelin")
    assert queries.get("company-profile").name == "company_profile"


def test_parameters_are_checked(seed_store: OxigraphStore) -> None:
    timeline = queries.get("timeline")
    with pytest.raises(ParameterError, match="needs a value for company"):
        timeline.bind({}, store=seed_store)
    with pytest.raises(ParameterError, match="no parameter 'compnay'"):
        timeline.bind({"compnay": "SenseTime"}, store=seed_store)
    with pytest.raises(ParameterError, match="not a date"):
        timeline.bind({"company": "SenseTime", "since": "2023-02-30"}, store=seed_store)
    with pytest.raises(UnknownEntityError, match="SenseTime"):
        timeline.bind({"company": "SensTime"}, store=seed_store)
    bound = timeline.bind({"company": "sensetime group", "since": "2023-01-01"}, store=seed_store)
    assert bound == {
        "company": ox.NamedNode(f"{KGD}sensetime"),
        "since": ox.Literal("2023-01-01", datatype=ox.NamedNode(XSD + "date")),
    }
    assert queries.get("events").bind({}, store=seed_store) == {"kind": ox.NamedNode(f"{KG}Event")}


def test_an_ambiguous_name_lists_the_candidates(seed_store: OxigraphStore) -> None:
    store = OxigraphStore()
    store.add_quads(list(seed_store.quads()))
    graph = ox.NamedNode("https://w3id.org/kgraph/graph/test")
    other = ox.NamedNode(f"{KGD}sensetime-fan-club")
    store.add_quads(
        [
            ox.Quad(other, ox.NamedNode(RDF_TYPE), ox.NamedNode(f"{KG}Company"), graph),
            ox.Quad(other, ox.NamedNode(RDFS_LABEL), ox.Literal("SenseTime"), graph),
        ]
    )
    with pytest.raises(AmbiguousEntityError) as caught:
        queries.get("company_profile").bind({"company": "SenseTime"}, store=store)
    assert {c.iri for c in caught.value.candidates} == {f"{KGD}sensetime", f"{KGD}sensetime-fan-club"}


# -- exact answers on the seed data --------------------------------------------------------------------------------


def test_company_profile(seed_store: OxigraphStore) -> None:
    rows = ask(seed_store, "company_profile", company="SenseTime")
    pairs = {(re.split(r"[#/:]", row["property"])[-1], row["value"]) for row in rows}
    assert pairs == {
        ("label", "SenseTime"),
        ("altLabel", "SenseTime Group"),
        ("altLabel", "商汤科技"),
        ("description", "Chinese artificial-intelligence company, described by the article as a leading one in China."),
        ("countryCode", "CN"),
        ("industry", "kgd:ai-industry"),
        ("activeInMarket", "kgd:chinese-llm-market"),
        ("hasUnit", "kgd:sensetime-scg"),
        ("develops", "kgd:sensenova"),
        ("competesWith", "kgd:alibaba"),
        ("competesWith", "kgd:baidu"),
        ("competesWith", "kgd:tencent"),
    }
    assert len(rows) == 12


def test_products_and_their_competitors(seed_store: OxigraphStore) -> None:
    rows = ask(seed_store, "products", company="SenseTime")
    assert [(r["product"], r["class"], r["rival"], r["rivalDeveloperLabel"]) for r in rows] == [
        ("kgd:sensenova", "kg:LargeLanguageModel", "kgd:chatgpt", "OpenAI")
    ]
    assert ask(seed_store, "products", company="Baidu") == []


def test_competitors_with_market_and_source(seed_store: OxigraphStore) -> None:
    rows = ask(seed_store, "competitors", entity="SenseTime")
    assert column(rows, "rivalLabel") == ["Alibaba", "Baidu", "Tencent"]
    assert set(column(rows, "market")) == {"kgd:chinese-llm-market"}
    assert set(column(rows, "source")) == {ARTICLE}
    rows = ask(seed_store, "competitors", entity="SenseNova")
    assert [(r["rival"], r.get("market")) for r in rows] == [("kgd:chatgpt", None)]
    # competesWith is symmetric: ChatGPT's rivals come from the inferred graph
    assert column(ask(seed_store, "competitors", entity="ChatGPT"), "rival") == ["kgd:sensenova"]


def test_market_rivals_lists_each_pair_once(seed_store: OxigraphStore) -> None:
    rows = ask(seed_store, "market_rivals", market="Chinese LLM race")
    assert [(r["firstLabel"], r["secondLabel"]) for r in rows] == [
        ("Alibaba", "Baidu"),
        ("Alibaba", "SenseTime"),
        ("Alibaba", "Tencent"),
        ("Baidu", "SenseTime"),
        ("Baidu", "Tencent"),
        ("SenseTime", "Tencent"),
    ]


def test_market_players(seed_store: OxigraphStore) -> None:
    rows = ask(seed_store, "market_players", market="kgd:chinese-llm-market")
    assert [(r["companyLabel"], r["country"], r.get("productLabel")) for r in rows] == [
        ("Alibaba", "CN", None),
        ("Baidu", "CN", None),
        ("SenseTime", "CN", "SenseNova"),
        ("Tencent", "CN", None),
    ]


def test_timeline_in_time_order(seed_store: OxigraphStore) -> None:
    rows = ask(seed_store, "timeline", company="SenseTime")
    assert [(r["event"], r["class"], r.get("earliest"), r.get("latest")) for r in rows] == [
        ("kgd:sensetime-results-2022", "kg:FinancialResults", "2022-01-01", "2022-12-31"),
        ("kgd:sensenova-launch", "kg:ProductLaunch", "2023-04-01", "2023-04-30"),
        ("kgd:sensetime-layoffs-2023", "kg:Layoff", "2023-09-01", "2023-09-30"),
        ("kgd:sensetime-layoff-statement", "kg:CorporateStatement", None, None),
    ]
    assert column(rows, "inferred") == [None, True, True, None]
    assert set(column(rows, "source")) == {ARTICLE}


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        ("2023-05-01", None, ["kgd:sensetime-layoffs-2023"]),
        (None, "2023-04-15", ["kgd:sensetime-results-2022", "kgd:sensenova-launch"]),
        ("2023-01-01", "2023-06-30", ["kgd:sensenova-launch"]),
        ("2023-04-30", "2023-09-01", ["kgd:sensenova-launch", "kgd:sensetime-layoffs-2023"]),
        ("2024-01-01", None, []),
    ],
)
def test_timeline_between_dates(
    seed_store: OxigraphStore, since: str | None, until: str | None, expected: list
) -> None:  # noqa: E501
    values = {"company": "SenseTime"} | ({"since": since} if since else {}) | ({"until": until} if until else {})
    assert column(ask(seed_store, "timeline", **values), "event") == expected


def test_events_of_a_kind_through_the_class_hierarchy(seed_store: OxigraphStore) -> None:
    everything = ask(seed_store, "events")
    assert column(everything, "event") == [
        "kgd:sensetime-results-2022",
        "kgd:sensenova-launch",
        "kgd:sensetime-layoffs-2023",
        "kgd:sensetime-layoff-statement",
    ]
    assert column(ask(seed_store, "events", kind="kg:Layoff"), "event") == ["kgd:sensetime-layoffs-2023"]
    assert column(ask(seed_store, "events", kind="kg:ProductLaunch", until="2023-03-31"), "event") == []


def test_financials_in_every_currency(seed_store: OxigraphStore) -> None:
    rows = ask(seed_store, "financials", company="SenseTime")
    got = {(r["metricLabel"], r["currencyCode"]): (r["value"], r.get("converted"), r.get("isLoss")) for r in rows}
    assert got == {
        ("adjusted net income", "CNY"): (Decimal("-4736000000"), None, True),
        ("adjusted net income", "USD"): (Decimal("-650000000"), True, True),
        ("net income", "CNY"): (Decimal("-6093000000"), None, True),
        ("net income", "USD"): (Decimal("-840000000"), True, True),
        ("revenue", "CNY"): (Decimal("3809000000"), None, None),
        ("revenue", "USD"): (Decimal("520000000"), True, None),
    }
    assert {r["periodLabel"] for r in rows} == {"FY2022"}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"metric": "revenue", "currency": "CNY"}, [Decimal("3809000000")]),
        ({"metric": "Net Income", "currency": "usd"}, [Decimal("-840000000")]),
        ({"metric": "adjusted_net_income", "period": "FY2022", "currency": "CNY"}, [Decimal("-4736000000")]),
        ({"metric": "revenue", "period": "2022"}, [Decimal("3809000000"), Decimal("520000000")]),
        ({"metric": "revenue", "period": "2021"}, []),
        ({"currency": "EUR"}, []),
        ({"metric": '"revenue"', "currency": '"CNY"'}, [Decimal("3809000000")]),
    ],
)
def test_financials_by_metric_period_and_currency(seed_store: OxigraphStore, values: dict, expected: list) -> None:
    rows = ask(seed_store, "financials", company="SenseTime", **values)
    assert sorted(column(rows, "value")) == sorted(expected)


def test_year_on_year_changes(seed_store: OxigraphStore) -> None:
    rows = ask(seed_store, "year_on_year")
    assert [(r["companyLabel"], r["metricLabel"], r["fiscalYear"], r["reportedChange"]) for r in rows] == [
        ("SenseTime", "revenue", "2022", Decimal(-19))
    ]
    assert rows[0]["value"] == Decimal("3809000000") and rows[0]["currencyCode"] == "CNY"
    assert "computedChange" not in rows[0]  # the graph has no FY2021 figure


def test_year_on_year_computed_from_the_previous_year(seed_store: OxigraphStore) -> None:
    store = OxigraphStore()
    store.add_quads(list(seed_store.quads()))
    store.update(
        """PREFIX kg: <https://w3id.org/kgraph/ontology#> PREFIX kgd: <https://w3id.org/kgraph/id/>
        PREFIX schema: <https://schema.org/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        INSERT DATA { GRAPH <https://w3id.org/kgraph/graph/test> {
          kgd:r21 a kg:FinancialMeasurement ; kg:company kgd:sensetime ; kg:metric kg:Revenue ; kg:period kgd:p21 ;
                  kg:amount kgd:r21-cny .
          kgd:p21 kg:fiscalYear "2021"^^xsd:gYear .
          kgd:r21-cny schema:value "4700000000"^^xsd:decimal ; schema:currency "CNY" . } }"""
    )
    rows = [r for r in ask(store, "year_on_year", company="SenseTime") if r["fiscalYear"] == "2022"]
    assert len(rows) == 1
    assert rows[0]["previousValue"] == Decimal("4700000000")
    assert rows[0]["computedChange"] == Decimal("-19")  # (3809 - 4700) / 4700 = -18.96 %, rounded to 0.1


def test_headwinds_on_an_industry_and_its_companies(seed_store: OxigraphStore) -> None:
    rows = ask(seed_store, "headwinds", industry="AI industry")
    assert {r["headwindLabel"] for r in rows} == {"US–China chip war", "rising inflation", "potential recession"}
    companies = {"Alibaba", "Baidu", "OpenAI", "SenseTime", "Tencent"}
    for headwind in ("US–China chip war", "rising inflation", "potential recession"):
        assert {r["companyLabel"] for r in rows if r["headwindLabel"] == headwind} == companies
    assert len(rows) == 15
    assert {r["source"] for r in rows} == {ARTICLE}
    assert ask(seed_store, "headwinds", industry="Chinese LLM race") == []


def test_a_headwind_on_something_without_companies_is_listed(seed_store: OxigraphStore) -> None:
    store = OxigraphStore()
    store.add_quads(list(seed_store.quads()))
    store.update(
        """PREFIX kg: <https://w3id.org/kgraph/ontology#> PREFIX kgd: <https://w3id.org/kgraph/id/>
        INSERT DATA { GRAPH <https://w3id.org/kgraph/graph/test> {
          kgd:x a kg:HeadwindExposure ; kg:headwind kgd:rising-inflation ; kg:exposed kgd:general-ai . } }"""
    )
    rows = ask(store, "headwinds", industry="general AI")
    assert [(r["headwind"], r.get("company")) for r in rows] == [("kgd:rising-inflation", None)]
    assert len(ask(store, "headwinds")) == 16


def test_workforce_cuts_with_size_and_estimator(seed_store: OxigraphStore) -> None:
    rows = ask(seed_store, "workforce_cuts", company="SenseTime")
    assert len(rows) == 1
    cut = rows[0]
    assert cut["unit"] == "kgd:sensetime-scg"
    assert (cut["minShare"], cut["maxShare"]) == (Decimal(10), Decimal(15))
    assert cut["isEstimate"] is True
    assert cut["estimatedBy"] == "kgd:scg-employee"
    assert cut["source"] == ARTICLE
    assert "headcount" not in cut


def test_severance_terms(seed_store: OxigraphStore) -> None:
    rows = ask(seed_store, "severance_terms", company="SenseTime")
    assert [(r["formula"], r["additionalMonths"], r["group"], r.get("extra")) for r in rows] == [
        ("N+2", Decimal(2), "kg:AffectedEmployees", "the September social-security contribution"),
        ("N+1", Decimal(1), "kg:NonRenewedContracts", None),
        ("N+1", Decimal(1), "kg:FreshGraduates", None),
    ]


def test_facts_from_a_source(seed_store: OxigraphStore) -> None:
    general = ask(seed_store, "facts_from_source", source="kgd:general-knowledge")
    assert [(r["fact"], r["class"]) for r in general] == [("kgd:openai-develops-chatgpt", "kg:ProductDevelopment")]
    article = ask(seed_store, "facts_from_source", source=ARTICLE)
    classes = sorted(r["class"].removeprefix("kg:") for r in article)
    assert classes == sorted(
        ["Competition"] * 2
        + ["CorporateStatement", "FinancialResults", "Layoff", "ProductLaunch", "WorkforceReduction"]
        + ["FinancialMeasurement"] * 3
        + ["HeadwindExposure"] * 3
        + ["SeveranceTerm"] * 2
    )
    assert {r["graph"] for r in article} == {"https://w3id.org/kgraph/graph/sensetime-layoffs-article"}


def test_no_fact_without_a_source(seed_store: OxigraphStore) -> None:
    assert ask(seed_store, "unsourced_facts") == []


def test_a_fact_without_a_source_is_found(seed_store: OxigraphStore) -> None:
    store = OxigraphStore()
    store.add_quads([q for q in seed_store.quads() if q.graph_name.value != "https://w3id.org/kgraph/graph/inferred"])
    store.update(
        "INSERT DATA { GRAPH <https://w3id.org/kgraph/graph/test> {"
        " <https://w3id.org/kgraph/id/rumour> a <https://w3id.org/kgraph/ontology#Layoff> } }"
    )
    materialise(store)
    assert column(ask(store, "unsourced_facts"), "fact") == ["kgd:rumour"]


def test_provenance_of_a_fact(seed_store: OxigraphStore) -> None:
    rows = ask(seed_store, "provenance", fact="kgd:sensetime-layoffs-2023/reduction-1")
    assert len(rows) == 1
    row = rows[0]
    assert row["source"] == ARTICLE
    assert row["basedOn"] == "kgd:pandaily-sensetime-layoffs-report"
    assert row["basedOnPublisherLabel"] == "Pandaily"
    assert row["attributedTo"] == "kgd:scg-employee"
    assert row["isEstimate"] is True
    assert row["graph"] == "https://w3id.org/kgraph/graph/sensetime-layoffs-article"
    general = ask(seed_store, "provenance", fact="<https://w3id.org/kgraph/id/openai-develops-chatgpt>")
    assert [(r["source"], r.get("attributedTo")) for r in general] == [("kgd:general-knowledge", None)]


def test_statements(seed_store: OxigraphStore) -> None:
    rows = ask(seed_store, "statements", company="SenseTime")
    assert len(rows) == 5
    assert {r["respondsTo"] for r in rows} == {"kgd:sensetime-layoffs-2023"}
    assert any("general AI" in r["claim"] for r in rows)


def test_language_models(seed_store: OxigraphStore) -> None:
    rows = ask(seed_store, "language_models")
    assert [(r["model"], r["developerLabel"], r["launched"], r["rivalLabel"]) for r in rows] == [
        ("kgd:sensenova", "SenseTime", "2023-04", "ChatGPT")
    ]


def test_inferred_values(seed_store: OxigraphStore) -> None:
    rows = ask(seed_store, "inferred_values")
    assert [(r["subject"], r["value"], r.get("basis")) for r in rows] == [
        ("kgd:sensenova-launch", "2023-04", "kgd:general-knowledge"),
        ("kgd:sensetime-layoffs-2023", "2023-09", None),
        (ARTICLE, "2023-09", None),
    ]


def test_sources(seed_store: OxigraphStore) -> None:
    rows = ask(seed_store, "sources")
    assert [(r["source"], r["facts"]) for r in rows] == [
        (ARTICLE, Decimal(15)),
        ("kgd:general-knowledge", Decimal(1)),
        ("kgd:pandaily-sensetime-layoffs-report", Decimal(0)),
    ]
    assert rows[2]["publisherLabel"] == "Pandaily"


# -- hostile values ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_strings_change_nothing_and_match_nothing(seed_store: OxigraphStore, hostile: str) -> None:
    before = len(seed_store)
    financials = queries.get("financials")
    for parameter in ("metric", "period", "currency"):
        result = financials.run(seed_store, {"company": "kgd:sensetime", parameter: hostile})
        assert len(result) == 0, parameter
    for name in ("timeline", "workforce_cuts", "company_profile"):
        assert len(queries.get(name).run(seed_store, {"company": ox.Literal(hostile)})) == 0
    assert len(queries.get("provenance").run(seed_store, {"fact": ox.Literal(hostile)})) == 0
    if hostile.strip():
        with pytest.raises((UnknownEntityError, ParameterError)):
            queries.get("timeline").bind({"company": hostile}, store=seed_store)
    assert len(seed_store) == before


# -- pages -------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic_store() -> OxigraphStore:
    """A synthetic landscape with many rows per question (benchmarks/synthetic.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from synthetic import generate

    store = OxigraphStore()
    store.add_quads(list(generate(12_000, seed=5)))
    return store


def _sampled() -> dict[str, dict]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from synthetic import sample_questions

    return {question.name: bindings for question, bindings in sample_questions()}


@pytest.mark.parametrize("name", sorted(queries.catalog()))
def test_every_question_orders_its_rows_completely(synthetic_store: OxigraphStore, name: str) -> None:
    """No two different rows agree on every variable of the ORDER BY clause: the order is the same on every run."""
    question = queries.get(name)
    order = question.text[question.text.rindex("ORDER BY") :]
    keys = re.findall(r"\?(\w+)", order)
    result = question.run(synthetic_store, _sampled()[name])
    assert isinstance(result, SelectResult)
    seen: dict[tuple, dict] = {}
    for row in result.rows:
        key = tuple(str(row.get(variable)) for variable in keys)
        assert seen.setdefault(key, row) == row, f"{name}: rows tie on {keys}"


@pytest.mark.parametrize("name", sorted(queries.catalog()))
def test_pages_put_together_are_the_whole_answer(synthetic_store: OxigraphStore, name: str) -> None:
    question = queries.get(name)
    values = _sampled()[name]
    whole = question.run(synthetic_store, values)
    assert isinstance(whole, SelectResult)
    size = max(len(whole) // 6, 1)  # about six pages, whatever the size of the answer
    pages = []
    for offset in range(0, len(whole) + size, size):
        page = question.run(synthetic_store, values, limit=size, offset=offset)
        assert isinstance(page, SelectResult) and len(page) <= size
        pages.extend(page.rows)
    assert pages == whole.rows
    assert question.run(synthetic_store, values, limit=0).rows == []
    assert question.run(synthetic_store, values, offset=max(len(whole) - 1, 0)).rows == whole.rows[-1:]


def test_pages_of_a_named_question_through_the_seed(seed_store: OxigraphStore) -> None:
    timeline = queries.get("timeline")
    whole = ask(seed_store, "timeline", company="SenseTime")
    first = timeline.run(seed_store, {"company": "SenseTime"}, limit=1)
    rest = timeline.run(seed_store, {"company": "SenseTime"}, offset=1)
    assert [simple(r["event"]) for r in first.rows + rest.rows] == [r["event"] for r in whole]


@pytest.mark.parametrize("bad", [-1, 1.5, "10", True])
def test_a_page_needs_whole_numbers(seed_store: OxigraphStore, bad: object) -> None:
    with pytest.raises(ParameterError, match="whole number"):
        queries.get("companies").run(seed_store, limit=bad)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="whole number"):
        queries.get("companies").run(seed_store, offset=bad)  # type: ignore[arg-type]
