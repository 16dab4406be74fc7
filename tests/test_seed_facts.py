"""Every kind of fact the seed article states is in the built graph, with its source."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kgraph.namespaces import sparql_prologue
from kgraph.store.base import SelectResult

ARTICLE = "https://w3id.org/kgraph/id/sensetime-layoffs-article"


def select(store, body: str) -> list[dict]:
    result = store.query(sparql_prologue() + body)
    assert isinstance(result, SelectResult)
    return [{name: term.value for name, term in row.items()} for row in result]


def test_sensetime_is_a_chinese_ai_company_with_its_scg_unit(seed_store):
    rows = select(
        seed_store,
        """SELECT ?country ?industry ?unit WHERE {
             kgd:sensetime a kg:Company ; rdfs:label "SenseTime" ; kg:countryCode ?country ;
                           kg:industry/rdfs:label ?industry ; org:hasUnit ?u .
             ?u rdfs:label ?unit ; skos:altLabel "SCG" ; org:unitOf kgd:sensetime ; a kg:BusinessUnit .
           }""",
    )
    assert rows == [{"country": "CN", "industry": "AI industry", "unit": "Smart City and Business Group"}]


def test_layoff_is_a_repeat_round_with_one_week_notice(seed_store):
    rows = select(
        seed_store,
        """SELECT ?notice ?repeat ?source WHERE {
             ?layoff a kg:Layoff ; kg:company kgd:sensetime ; kg:affectedUnit kgd:sensetime-scg ;
                     kg:noticePeriod ?notice ; kg:repeatRound ?repeat ; prov:wasDerivedFrom ?source .
           }""",
    )
    assert rows == [{"notice": "P7D", "repeat": "true", "source": ARTICLE}]


def test_scg_cut_is_an_estimated_range_attributed_to_an_employee(seed_store):
    rows = select(
        seed_store,
        """SELECT ?min ?max ?unit ?estimate ?who ?source WHERE {
             ?layoff a kg:Layoff ; kg:hasReduction ?r .
             ?r kg:reducedUnit kgd:sensetime-scg ; kg:share ?share ; kg:isEstimate ?estimate ;
                prov:wasAttributedTo ?agent ; prov:wasDerivedFrom ?source .
             ?agent a kg:AnonymousSource ; kg:memberOf kgd:sensetime-scg ; rdfs:label ?who .
             ?share schema:minValue ?min ; schema:maxValue ?max ; schema:unitText ?unit .
           }""",
    )
    assert len(rows) == 1
    row = rows[0]
    assert (Decimal(row["min"]), Decimal(row["max"])) == (10, 15)
    assert row["unit"] == "percent" and row["estimate"] == "true" and row["source"] == ARTICLE
    assert "employee" in row["who"]


def test_severance_terms(seed_store):
    rows = select(
        seed_store,
        """SELECT ?formula ?months ?group ?extra WHERE {
             ?layoff a kg:Layoff ; kg:hasSeveranceTerm ?t .
             ?t kg:formula ?formula ; kg:additionalMonths ?months ; kg:appliesTo ?g ;
                prov:wasDerivedFrom <https://w3id.org/kgraph/id/sensetime-layoffs-article> .
             BIND (STRAFTER(STR(?g), "#") AS ?group)
             OPTIONAL { ?t kg:extraBenefit ?extra }
           } ORDER BY ?formula ?group""",
    )
    terms = {(r["formula"], int(r["months"]), r["group"], "September" in r.get("extra", "")) for r in rows}
    assert terms == {
        ("N+1", 1, "FreshGraduates", False),
        ("N+1", 1, "NonRenewedContracts", False),
        ("N+2", 2, "AffectedEmployees", True),
    }


def test_statement_answers_the_layoff_and_names_general_ai(seed_store):
    rows = select(
        seed_store,
        """SELECT ?topic (COUNT(?claim) AS ?claims) WHERE {
             ?s a kg:CorporateStatement ; kg:company kgd:sensetime ; prov:wasAttributedTo kgd:sensetime ;
                kg:inResponseTo/a kg:Layoff ; kg:focusArea/rdfs:label ?topic ; kg:claim ?claim ;
                prov:wasDerivedFrom ?source .
           } GROUP BY ?topic""",
    )
    assert rows == [{"topic": "general artificial intelligence", "claims": "5"}]


@pytest.mark.parametrize(
    ("metric", "cny", "usd", "yoy", "loss"),
    [
        ("Revenue", 3_809_000_000, 520_000_000, Decimal(-19), None),
        ("NetIncome", -6_093_000_000, -840_000_000, None, "true"),
        ("AdjustedNetIncome", -4_736_000_000, -650_000_000, None, "true"),
    ],
)
def test_2022_financials(seed_store, metric, cny, usd, yoy, loss):
    rows = select(
        seed_store,
        f"""SELECT ?currency ?value ?converted ?yoy ?loss ?start ?end ?source WHERE {{
             ?m a kg:FinancialMeasurement ; kg:company kgd:sensetime ; kg:metric kg:{metric} ;
                kg:period [ kg:periodStart ?start ; kg:periodEnd ?end ] ; kg:amount ?a ;
                prov:wasDerivedFrom ?source .
             ?a schema:currency ?currency ; schema:value ?value .
             OPTIONAL {{ ?a kg:isConverted ?converted }}
             OPTIONAL {{ ?m kg:yearOnYearChange ?yoy }}
             OPTIONAL {{ ?m kg:isLoss ?loss }}
           }}""",
    )
    by_currency = {row["currency"]: row for row in rows}
    assert set(by_currency) == {"CNY", "USD"}
    assert Decimal(by_currency["CNY"]["value"]) == cny and "converted" not in by_currency["CNY"]
    assert Decimal(by_currency["USD"]["value"]) == usd and by_currency["USD"]["converted"] == "true"
    for row in rows:
        assert (row["start"], row["end"], row["source"]) == ("2022-01-01", "2022-12-31", ARTICLE)
        assert (Decimal(row["yoy"]) if "yoy" in row else None) == yoy
        assert row.get("loss") == loss


def test_three_headwinds_weigh_on_the_ai_industry(seed_store):
    rows = select(
        seed_store,
        """SELECT ?headwind WHERE {
             ?h a kg:Headwind ; rdfs:label ?headwind ; kg:affects kgd:ai-industry .
             ?x a kg:HeadwindExposure ; kg:headwind ?h ; kg:exposed kgd:ai-industry ; prov:wasDerivedFrom ?s .
           }""",
    )
    assert sorted(r["headwind"] for r in rows) == ["US–China chip war", "potential recession", "rising inflation"]


def test_chinese_llm_race(seed_store):
    rows = select(
        seed_store,
        """SELECT ?name WHERE {
             ?race a kg:Competition ; kg:market kgd:chinese-llm-market ; kg:participant ?firm ;
                   prov:wasDerivedFrom ?s .
             ?firm rdfs:label ?name ; kg:countryCode "CN" ; kg:activeInMarket kgd:chinese-llm-market .
           } ORDER BY ?name""",
    )
    assert [r["name"] for r in rows] == ["Alibaba", "Baidu", "SenseTime", "Tencent"]


def test_sensenova_launched_in_april_with_inferred_year_against_chatgpt(seed_store):
    rows = select(
        seed_store,
        """SELECT ?date ?unit ?inferred ?basis ?rival WHERE {
             ?launch a kg:ProductLaunch ; kg:company kgd:sensetime ; kg:product kgd:sensenova ;
                     kg:date ?date ; kg:occurredAt ?t ; prov:wasDerivedFrom ?s .
             ?t time:unitType ?unit ; kg:inferred ?inferred ; kg:inferenceSource ?basis .
             kgd:sensenova a kg:LargeLanguageModel ; kg:developer kgd:sensetime ; kg:competesWith ?r .
             ?r rdfs:label ?rival .
           }""",
    )
    assert rows == [
        {
            "date": "2023-04",
            "unit": "http://www.w3.org/2006/time#unitMonth",
            "inferred": "true",
            "basis": "https://w3id.org/kgraph/id/general-knowledge",
            "rival": "ChatGPT",
        }
    ]


def test_general_knowledge_is_kept_apart_from_the_article(seed_store):
    rows = select(
        seed_store,
        """SELECT ?graph ?source WHERE {
             GRAPH ?graph { kgd:chatgpt kg:developer kgd:openai }
             ?fact a kg:ProductDevelopment ; kg:product kgd:chatgpt ; prov:wasDerivedFrom ?source .
           }""",
    )
    assert rows == [
        {
            "graph": "https://w3id.org/kgraph/graph/general-knowledge",
            "source": "https://w3id.org/kgraph/id/general-knowledge",
        }
    ]


def test_the_article_cites_pandaily(seed_store):
    rows = select(
        seed_store,
        """SELECT ?publisher WHERE {
             kgd:sensetime-layoffs-article a kg:NewsArticle ; kg:basedOn ?report .
             ?report kg:publisher/rdfs:label ?publisher .
           }""",
    )
    assert rows == [{"publisher": "Pandaily"}]


def test_every_fact_and_event_has_a_source(seed_store):
    rows = select(
        seed_store,
        """SELECT ?node WHERE {
             ?node a ?class . ?class rdfs:subClassOf* ?top .
             VALUES ?top { kg:Fact kg:Event }
             FILTER NOT EXISTS { ?node prov:wasDerivedFrom ?source }
           }""",
    )
    assert rows == []
