"""One reader per fact kind (kgraph/ingest/kinds/): each reads the ways real news prose states its kind of fact."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kgraph.factsheet.models import DateValue
from kgraph.ingest import Article, Proposal, ProposedFact
from kgraph.ingest.context import ArticleContext, Line
from kgraph.ingest.graph import index_from_data
from kgraph.ingest.rules import RuleBasedExtractor
from kgraph.resolve import EntityIndex, fold

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def index() -> EntityIndex:
    return index_from_data([DATA])


def _read(index: EntityIndex, body: str, published: str = "2024-05-27") -> Proposal:
    article = Article(f"A headline with no facts\n\n{body}", published=DateValue(value=published))
    return RuleBasedExtractor(index).extract(article)


def _pairs(proposal: Proposal, kind: str) -> set[tuple[str, str | None]]:
    return {(f.subject, f.object) for f in proposal.facts if f.kind == kind}


def _one(proposal: Proposal, kind: str) -> ProposedFact:
    [fact] = [f for f in proposal.facts if f.kind == kind]
    return fact


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Tensor Labs released Nimbus, a chatbot. GPT-3, developed by OpenAI, is older.", ("OpenAI", "GPT-3")),
        ("Rivals include Llama 2, the model built by Meta Platforms, among others.", ("Meta Platforms", "Llama 2")),
        ("Users compare it with Ernie, Baidu's chatbot, every day.", ("Baidu", "Ernie")),
        ("It costs less than ChatGPT, the OpenAI chatbot, to run.", ("OpenAI", "ChatGPT")),
        ("Late that month Alibaba put out an update to its Qwen 2.5 model.", ("Alibaba", "Qwen 2.5")),
        ("Tensor Labs, founded in 2021, is the developer of Claude 2.", ("Tensor Labs", "Claude 2")),
        ("Tensor Labs, the start-up that created Claude 2, raised money.", ("Tensor Labs", "Claude 2")),
    ],
)
def test_develops_read_from_appositives_and_possessives(
    index: EntityIndex, body: str, expected: tuple[str, str]
) -> None:
    assert expected in _pairs(_read(index, body), "develops")


def test_a_developer_read_only_from_the_headline_is_not_proposed(index: EntityIndex) -> None:
    article = Article(
        "Tensor Labs answers claims its Nimbus models copy Llama\n\nThe start-up said the claims were wrong.",
        published=DateValue(value="2024-05-27"),
    )
    assert not _pairs(RuleBasedExtractor(index).extract(article), "develops")
    stated = _read(index, "Tensor Labs answered claims that its Nimbus model copies Llama.")
    assert _pairs(stated, "develops") == {("Tensor Labs", "Nimbus")}


def test_an_event_is_not_a_product(index: EntityIndex) -> None:
    proposal = _read(index, "He spoke during an appearance at Dubai's World Governments Summit.")
    assert not _pairs(proposal, "develops")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Anthropic is the developer of Claude 2, a chatbot that goes up against ChatGPT.", ("Claude 2", "ChatGPT")),
        ("In that field the start-up Nimbus goes head to head with Moonshot AI.", ("Nimbus", "Moonshot AI")),
        ("The young company is seen as one of OpenAI's most serious challengers.", None),
        ("Tensor Labs said Nimbus 2 scores better than both GPT-4 and Gemini Ultra.", ("Nimbus 2", "GPT-4")),
        ("Tensor Labs said Nimbus 2 surpassed GPT-4 in Chinese.", ("Nimbus 2", "GPT-4")),
    ],
)
def test_rivalries_in_relative_clauses_and_comparisons(
    index: EntityIndex, body: str, expected: tuple[str, str] | None
) -> None:
    proposal = _read(index, "Tensor Labs unveiled a model. " + body)
    pairs = _pairs(proposal, "competition")
    if expected is None:
        assert ("Tensor Labs", "OpenAI") in pairs  # "the young company" is the one the article is about
    else:
        assert expected in pairs


@pytest.mark.parametrize(
    "body",
    [
        "Some observers have said that Nimbus 2 is on a par with GPT-4o.",
        "Nimbus 2 rivals GPT-4o on most tests, analysts say.",
        "Tensor Labs could match GPT-4o within a year.",
        "Tensor Labs does not compete with OpenAI in Europe.",
    ],
)
def test_hearsay_guesses_and_denials_are_no_rivalry(index: EntityIndex, body: str) -> None:
    assert not _pairs(_read(index, body), "competition")


def test_the_one_reporting_a_comparison_is_no_rival(index: EntityIndex) -> None:
    proposal = _read(index, "Nimbus 2 outperforms Gemini Ultra, Tensor Labs said.")
    assert _pairs(proposal, "competition") == {("Nimbus 2", "Gemini Ultra")}


def test_the_one_reporting_a_list_is_not_in_it(index: EntityIndex) -> None:
    hit = _read(index, "Sanctions weigh on Huawei, Tensor Labs said.")
    assert _pairs(hit, "headwind_affects") == {("sanctions", "Huawei")}
    funding = _one(
        _read(index, "Nimbus AI raised $300 million in a round led by Tencent, Tensor Labs said."), "funding"
    )
    assert funding.investors == ["Tencent"]


def test_a_rivalry_the_company_states_is_read(index: EntityIndex) -> None:
    proposal = _read(index, "Tensor Labs said Nimbus 2 is on a par with GPT-4o.")
    assert _pairs(proposal, "competition") == {("Nimbus 2", "GPT-4o")}


def test_a_rivalry_whose_subject_the_sentence_does_not_name_is_less_sure(index: EntityIndex) -> None:
    proposal = _read(index, "Tensor Labs raised money in May. Since then it goes head to head with OpenAI.")
    assert {(f.subject, f.object, f.confidence) for f in proposal.facts if f.kind == "competition"} == {
        ("Tensor Labs", "OpenAI", 0.5)
    }
    named = _read(index, "Tensor Labs goes head to head with OpenAI.")
    assert [f.confidence for f in named.facts if f.kind == "competition"] == [0.7]


def test_a_product_described_as_its_makers_answer_to_a_rival(index: EntityIndex) -> None:
    proposal = _read(index, "Its Nimbus 2, Tensor Labs' answer to ChatGPT, made an error in a demo.")
    assert _pairs(proposal, "competition") == {("Nimbus 2", "ChatGPT")}


def test_beating_forecasts_is_no_rivalry(index: EntityIndex) -> None:
    proposal = _read(index, "Tensor Labs said revenue beat Wall Street's forecasts by a wide margin.")
    assert not _pairs(proposal, "competition")


def test_funding_put_into_with_investors_listed_before_the_verb(index: EntityIndex) -> None:
    proposal = _read(
        index,
        "Google has agreed to put as much as two billion dollars into Anthropic. Investors Salesforce, Google, "
        "which is owned by Alphabet, and Nvidia were among the big technology names that put money in. The "
        "chipmakers Intel and IBM also took part.",
    )
    funding = _one(proposal, "funding")
    assert funding.subject == "Anthropic"
    assert funding.amount is not None and funding.amount.value == Decimal(2_000_000_000)
    assert {"Google", "Salesforce", "Nvidia", "Intel", "IBM"} <= set(funding.investors)
    assert "Alphabet" not in funding.investors


def test_investors_who_helped_a_company_raise_a_round(index: EntityIndex) -> None:
    funding = _one(_read(index, "Nimbus Capital and Tencent helped Tensor Labs raise $300 million."), "funding")
    assert (funding.subject, funding.investors) == ("Tensor Labs", ["Nimbus Capital", "Tencent"])
    assert funding.amount is not None and funding.amount.value == Decimal(300_000_000)
    assert not _pairs(_read(index, "Tencent helped Tensor Labs build its model."), "funding")


@pytest.mark.parametrize(
    "body",
    [
        "Tensor Labs has completed a $300 million Series C financing.",
        "The start-up Tensor Labs got $300 million in fresh funding from Tencent.",
        "Tensor Labs is valued at $2 billion after the $300 million round.",
    ],
)
def test_rounds_as_reporters_write_them(index: EntityIndex, body: str) -> None:
    funding = _one(_read(index, body), "funding")
    assert funding.subject == "Tensor Labs"
    assert funding.amount is not None and funding.amount.value == Decimal(300_000_000)


def test_a_completed_deal_is_no_round(index: EntityIndex) -> None:
    assert not _pairs(_read(index, "Tensor Labs completed its $300 million purchase of Nimbus AI."), "funding")


def test_a_round_closed_by_the_company_a_relative_clause_refers_to(index: EntityIndex) -> None:
    proposal = _read(
        index,
        "Tensor Labs trains models. Lee, chairman of the venture firm Innovation Works, runs the company, which "
        "closed a funding round led by Alibaba Cloud.",
    )
    funding = _one(proposal, "funding")
    assert (funding.subject, funding.investors) == ("Tensor Labs", ["Alibaba Cloud"])


def test_collected_counts_only_with_a_round(index: EntityIndex) -> None:
    proposal = _read(index, "Tensor Labs said it had collected six billion dollars in a Series B round.")
    funding = _one(proposal, "funding")
    assert funding.amount is not None and funding.amount.value == Decimal(6_000_000_000)
    assert funding.round == "Series B"
    assert not _read(index, "Tensor Labs brought in $10.3 billion from data-centre chips.").facts or not _pairs(
        _read(index, "Tensor Labs brought in $10.3 billion from data-centre chips."), "funding"
    )


@pytest.mark.parametrize(
    ("body", "metric", "value"),
    [
        ("Tensor Labs lost 401 million yuan in the first half of 2024.", "net_income", Decimal(-401_000_000)),
        ("Tensor Labs earned a net €1.22bn in the first quarter of 2024.", "net_income", Decimal(1_220_000_000)),
        (
            "Excluding non-recurring items, Tensor Labs' loss widened to 483 million yuan in the first half of 2024.",
            "adjusted_net_income",
            Decimal(-483_000_000),
        ),
        (
            "Tensor Labs made 8.1 trillion won (S$7.64 billion) of operating profit in the fourth quarter of 2024, "
            "against 346 billion won a year earlier.",
            "operating_income",
            Decimal(8_100_000_000_000),
        ),
    ],
)
def test_results_written_with_verbs_and_adjustments(index: EntityIndex, body: str, metric: str, value: Decimal) -> None:
    [measurement] = _one(_read(index, body), "financial_result").measurements
    assert (measurement.metric, measurement.amounts[0].value) == (metric, value)


def test_a_result_said_of_the_company_after_the_metric(index: EntityIndex) -> None:
    proposal = _read(
        index, "Tensor Labs raised money in May. Revenue at Nimbus AI fell 10% to 3.4 billion yuan in 2023."
    )
    result = _one(proposal, "financial_result")
    assert result.subject == "Nimbus AI"
    [measurement] = result.measurements
    assert (measurement.metric, measurement.amounts[0].value) == ("revenue", Decimal(3_400_000_000))


def test_market_value_lost_is_no_net_loss(index: EntityIndex) -> None:
    proposal = _read(index, "Nvidia lost $589 billion of stock-market value on Monday.")
    assert not _pairs(proposal, "financial_result")


def test_an_earlier_round_of_layoffs_is_a_fact_of_its_own(index: EntityIndex) -> None:
    proposal = _read(
        index,
        "Facebook owner Meta said on Tuesday that it would eliminate 10,000 jobs. In November 2022 the social-media "
        "group had already let go of some 11,000 people, about 13 per cent of its employees.",
        published="2023-03-14",
    )
    layoffs = sorted((f.headcount, f.date.value if f.date else None) for f in proposal.facts if f.kind == "layoff")
    assert layoffs == [(10_000, "2023-03-14"), (11_000, "2022-11")]


@pytest.mark.parametrize(
    ("body", "headcount", "share"),
    [
        ("Tensor Labs is shedding about 6% of its global workforce, or 12,000 employees.", 12000, Decimal(6)),
        ("About 1,800 people, or 5% of staff, will lose their jobs at Tensor Labs.", 1800, Decimal(5)),
        ("Tensor Labs said on Monday it had reduced its headcount by 8%.", None, Decimal(8)),
    ],
)
def test_layoffs_as_reporters_write_them(index: EntityIndex, body: str, headcount: int | None, share: Decimal) -> None:
    layoff = _one(_read(index, body), "layoff")
    assert layoff.subject == "Tensor Labs"
    assert layoff.headcount == headcount and layoff.share is not None and layoff.share.min == share


def test_cutting_a_forecast_is_no_layoff(index: EntityIndex) -> None:
    assert not _pairs(_read(index, "Tensor Labs cut its forecast as employees left for rivals."), "layoff")


def test_an_industry_trend_is_no_layoff(index: EntityIndex) -> None:
    proposal = _read(index, "Across the industry, Amazon, Google and others have announced job losses.")
    assert not _pairs(proposal, "layoff")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Tensor Labs will need an export licence to ship its machines to China.",
            {("export controls", "Tensor Labs")},
        ),
        (
            "Shares of Broadcom, Micron and Tensor Labs fell after the new tariffs were announced.",
            {("tariffs", "Broadcom"), ("tariffs", "Micron"), ("tariffs", "Tensor Labs")},
        ),
        (
            "Washington's curbs on sales of advanced semiconductors weigh on Tensor Labs.",
            {("export controls", "Tensor Labs")},
        ),
        (
            "Tensor Labs will need a licence to export its fastest chips to China.",
            {("export controls", "Tensor Labs")},
        ),
        (
            "Tensor Labs said it would lay off 10,000 employees, citing the economic uncertainty.",
            {("uncertain economy", "Tensor Labs")},
        ),
    ],
)
def test_headwinds_written_out(index: EntityIndex, body: str, expected: set[tuple[str, str]]) -> None:
    assert expected <= _pairs(_read(index, body), "headwind_affects")


def test_a_headwind_named_in_passing_hits_no_one(index: EntityIndex) -> None:
    passing = _read(index, "Tensor Labs cut prices in May. Talks on tariffs are due to resume under a new envoy.")
    assert not _pairs(passing, "headwind_affects")
    referred = _read(index, "Tensor Labs cut prices in May. Tariffs will weigh on its margins, it warned.")
    assert _pairs(referred, "headwind_affects") == {("tariffs", "Tensor Labs")}
    kind = _read(index, "Tensor Labs cut prices in May. Sanctions limit what Chinese companies can buy.")
    assert _pairs(kind, "headwind_affects") == {("sanctions", "Tensor Labs")}


def test_a_headwind_hits_the_names_opening_its_own_clause(index: EntityIndex) -> None:
    proposal = _read(
        index,
        "Orders went to local suppliers, Huawei and Cambricon among them, and the rest went on Tensor Labs chips "
        "scaled back to comply with export rules.",
    )
    assert _pairs(proposal, "headwind_affects") == {("export controls", "Tensor Labs")}


def test_a_headwind_hits_what_its_own_clause_names(index: EntityIndex) -> None:
    proposal = _read(
        index,
        "The Bureau of Industry and Security added Tensor Labs to the entity list, and Nvidia said it would comply.",
    )
    assert _pairs(proposal, "headwind_affects") == {("sanctions", "Tensor Labs")}


def test_the_restrictions_refer_to_the_headwind_named_before(index: EntityIndex) -> None:
    named = "Washington tightened export controls in October. "
    hit = _read(index, named + "The restrictions will hit Tensor Labs and Nimbus AI.")
    assert _pairs(hit, "headwind_affects") == {("export controls", "Tensor Labs"), ("export controls", "Nimbus AI")}
    assert not _pairs(_read(index, named + "The rules took effect in November at Tensor Labs."), "headwind_affects")
    assert not _pairs(_read(index, "The restrictions will hit Tensor Labs and Nimbus AI."), "headwind_affects")


def test_statements_by_who_speaks(index: EntityIndex) -> None:
    proposal = _read(
        index,
        "Tensor Labs cut jobs this week. Asked about the cuts, the company told Guangzhui AI that hiring went on. "
        "(Bloomberg) -- The Commerce Department said in a statement on Thursday that four firms were listed.",
    )
    assert {f.subject for f in proposal.facts if f.kind == "statement"} == {"Tensor Labs"}


def test_a_statement_carrying_news_only_attributes_it(index: EntityIndex) -> None:
    news = _read(index, "Tensor Labs said in a statement that it had raised $100 million from Nimbus Capital.")
    assert not _pairs(news, "statement")
    told = _read(index, "Tensor Labs told Reuters it had raised $100 million from Nimbus Capital.")
    assert not _pairs(told, "statement")
    assert _pairs(news, "funding") == {("Tensor Labs", None)}
    size = _read(index, "Tensor Labs will cut 300 jobs, or 5% of its staff, it said in a filing on Monday.")
    assert not _pairs(size, "statement")
    view = _read(index, "In a statement, Tensor Labs called the new rules unfair to its customers.")
    assert _pairs(view, "statement") == {("Tensor Labs", None)}
    denial = _read(index, "Tensor Labs said in a statement that the report about its layoffs was false.")
    assert _pairs(denial, "statement") == {("Tensor Labs", None)}
    rules = _read(index, "In a statement, Tensor Labs said export controls would hurt its sales in China.")
    assert _pairs(rules, "statement") == {("Tensor Labs", None)}
    assert _pairs(rules, "headwind_affects") == {("export controls", "Tensor Labs")}


def test_a_company_s_view_of_the_headwind_that_hits_it_is_a_statement(index: EntityIndex) -> None:
    view = _read(index, "Tensor Labs said export controls would not have a material impact on its results.")
    assert _pairs(view, "statement") == {("Tensor Labs", None)}
    other = _read(index, "Nimbus AI said export controls would hurt Tensor Labs.")
    assert not _pairs(other, "statement")  # a view of another company's trouble
    plain = _read(index, "Tensor Labs said sales rose in May.")
    assert not _pairs(plain, "statement")


def test_a_government_body_speaks_when_it_answers_or_opposes(index: EntityIndex) -> None:
    opposes = _read(index, "China's Ministry of Commerce said it firmly opposed the new US rules on chip exports.")
    assert _pairs(opposes, "statement") == {("Ministry of Commerce", None)}
    embassy = _read(index, "In a statement, the Chinese Embassy called the decision an abuse of export controls.")
    assert _pairs(embassy, "statement") == {("Embassy", None)}
    assert not _pairs(embassy, "headwind_affects")  # the embassy speaks; it is not what the controls hit
    decision = _read(index, "The Commerce Department rejected the request from Tensor Labs on Monday.")
    assert not _pairs(decision, "statement")
    announcement = _read(index, "The Commerce Department said in a statement that four firms were listed.")
    assert not _pairs(announcement, "statement")


@pytest.mark.parametrize(
    "body",
    [
        "A spokesperson for Tensor Labs said the company complies with all applicable laws.",
        "Tensor Labs said in an emailed statement that it would comply with the rules.",
        "Tensor Labs told Reuters the rules would have little impact on its business.",
        "In a post on WeChat, Tensor Labs said the report was untrue.",
    ],
)
def test_statements_as_reporters_write_them(index: EntityIndex, body: str) -> None:
    assert _pairs(_read(index, body), "statement") == {("Tensor Labs", None)}


@pytest.mark.parametrize(
    "body",
    [
        "A Tensor Labs spokesperson declined to comment.",
        "Tensor Labs did not immediately respond to a request for comment, Reuters said in a statement.",
        "Neither Tensor Labs nor Nimbus AI commented when asked about the round, a spokesperson said.",
    ],
)
def test_no_comment_is_no_statement(index: EntityIndex, body: str) -> None:
    assert not _pairs(_read(index, body), "statement")


def test_the_statement_said_is_attribution_not_a_statement(index: EntityIndex) -> None:
    proposal = _read(index, "Tensor Labs was listed. Licences will be denied, the statement said.")
    assert not _pairs(proposal, "statement")


def test_people_are_neither_speakers_nor_launched_products(index: EntityIndex) -> None:
    proposal = _read(
        index,
        "Nimbus AI, the company started by venture capitalist Kai-Fu Lee, put out a statement on Tuesday. "
        "Lee, who is also its chairman, said the models were new.",
        published="2023-12-12",
    )
    assert _pairs(proposal, "statement") == {("Nimbus AI", None)}
    assert not _pairs(proposal, "product_launch")


def test_launch_verbs_and_the_date_closest_to_the_verb(index: EntityIndex) -> None:
    proposal = _read(
        index,
        "He unveiled Tensor Labs in July 2023 and in November of that year Tensor Labs introduced Grok, its chatbot. "
        "In April the start-up put out Grok-1.5V, the newest version.",
    )
    launches = {(f.object, f.date.value if f.date else None) for f in proposal.facts if f.kind == "product_launch"}
    assert {("Grok", "2023-11"), ("Grok-1.5V", "2024-04")} <= launches


def test_a_launch_late_that_month_takes_the_month_written_before(index: EntityIndex) -> None:
    proposal = _read(
        index,
        "Its shares have climbed 40% since January. Late that month Tensor Labs put out Nimbus 2, its new model.",
        published="2025-02-14",
    )
    launches = {(f.object, f.date.value if f.date else None) for f in proposal.facts if f.kind == "product_launch"}
    assert launches == {("Nimbus 2", "2025-01")}


def test_an_undated_launch_happened_on_the_day_of_the_news(index: EntityIndex) -> None:
    body = "Tensor Labs said on Tuesday that sales rose. It also released Nimbus, its chatbot, to business users."
    launch = _one(_read(index, body, published="2024-05-30"), "product_launch")
    assert launch.date is not None and (launch.date.value, launch.date.inferred) == ("2024-05-28", True)
    older = "In March 2023 Tensor Labs raised money. It also released Nimbus, its chatbot, to business users."
    assert _one(_read(index, older, published="2024-05-30"), "product_launch").date is None


def test_a_unit_named_after_its_parent_and_an_acronym_are_entities_of_their_own(index: EntityIndex) -> None:
    proposal = _read(
        index,
        "SMIC warns of curbs. Semiconductor Manufacturing International Corp said export controls would hurt its "
        "business. Sanctions also weigh on Alibaba Cloud.",
    )
    assert {("export controls", "SMIC"), ("sanctions", "Alibaba Cloud")} <= _pairs(proposal, "headwind_affects")


@pytest.mark.parametrize(
    "body",
    [
        "Tensor Labs intends to bring out Nimbus 2, a large language model, early next year.",
        "Tensor Labs is expected to unveil Nimbus 2 next month.",
        "Tensor Labs denied that it would launch Nimbus 2 this year.",
    ],
)
def test_plans_guesses_and_denials_are_no_launches(index: EntityIndex, body: str) -> None:
    assert not _pairs(_read(index, body), "product_launch")


def test_a_launch_in_a_relative_clause_or_opened_to_the_public(index: EntityIndex) -> None:
    proposal = _read(index, "Nimbus 2, which Tensor Labs unveiled on Thursday, is faster.", published="2024-05-31")
    assert {
        (f.subject, f.object, f.date.value if f.date else None) for f in proposal.facts if f.kind == "product_launch"
    } == {("Tensor Labs", "Nimbus 2", "2024-05-30")}
    opened = _read(index, "Tensor Labs opened its Nimbus chatbot to the public on Thursday.", published="2024-05-31")
    assert {(f.object, f.date.value if f.date else None) for f in opened.facts if f.kind == "product_launch"} == {
        ("Nimbus", "2024-05-30")
    }
    owned = _read(
        index, "Tensor Labs' Nimbus chatbot, unveiled on Thursday, let investors down.", published="2024-05-31"
    )
    assert {
        (f.subject, f.object, f.date.value if f.date else None) for f in owned.facts if f.kind == "product_launch"
    } == {("Tensor Labs", "Nimbus", "2024-05-30")}
    available = _read(index, "Tensor Labs made its Nimbus chatbot available to all users.")
    assert _pairs(available, "product_launch") == {("Tensor Labs", "Nimbus")}
    assert not _pairs(_read(index, "Tensor Labs made more chips available to Nimbus AI."), "product_launch")
    deal = _read(index, "It signed a lease with Amazon that Tensor Labs presented as a partnership.")
    assert not _pairs(deal, "product_launch")


def test_a_launch_told_as_the_time_of_something_else_is_background(index: EntityIndex) -> None:
    scene = _read(index, "Since Tensor Labs released Nimbus, its chatbot, a string of start-ups have raised money.")
    assert not _pairs(scene, "product_launch")
    dated = _read(index, "Since Tensor Labs released Nimbus in March 2023, start-ups have raised money.")
    assert {(f.object, f.date.value if f.date else None) for f in dated.facts if f.kind == "product_launch"} == {
        ("Nimbus", "2023-03")
    }
    news = _read(index, "Tensor Labs released Nimbus, its chatbot, after it raised money from Nimbus Capital.")
    assert _pairs(news, "product_launch") == {("Tensor Labs", "Nimbus")}


def test_a_plan_to_invest_is_no_round(index: EntityIndex) -> None:
    proposal = _read(index, "Tensor Labs intends to pour more than $12 billion into Nimbus Robotics in 2025.")
    assert not _pairs(proposal, "funding")


def test_a_description_refers_to_the_company_it_described(index: EntityIndex) -> None:
    proposal = _read(
        index,
        "Tensor Labs, the Santa Clara chipmaker, lost value on Monday. Nimbus AI, a start-up from Hangzhou, "
        "released a cheaper model. The chipmaker responded warmly. In a statement it called the work excellent.",
    )
    assert _pairs(proposal, "statement") == {("Tensor Labs", None)}


def test_a_rebuttal_is_a_statement_and_an_announcement_is_not(index: EntityIndex) -> None:
    rebuttal = _read(index, "Tensor Labs said its inclusion on the list was incorrect.")
    assert _pairs(rebuttal, "statement") == {("Tensor Labs", None)}
    announcement = _read(index, "Tensor Labs said on Tuesday that it would open an office in Paris.")
    assert not _pairs(announcement, "statement")


def test_shares_falling_after_a_headwind_is_named(index: EntityIndex) -> None:
    proposal = _read(
        index,
        "Chip stocks slid after the new tariffs hit Tensor Labs. Shares of Broadcom gave up roughly 7%, as did Micron. "
        "Nimbus AI rose 2% on Friday.",
    )
    pairs = _pairs(proposal, "headwind_affects")
    assert {("tariffs", "Tensor Labs"), ("tariffs", "Broadcom"), ("tariffs", "Micron")} <= pairs
    assert ("tariffs", "Nimbus AI") not in pairs


def test_a_list_of_companies_hit_by_the_headwind_named_before(index: EntityIndex) -> None:
    proposal = _read(
        index,
        "Washington has put four more Chinese companies on its export blacklist, accusing them of supplying chips. "
        "The companies named are Beijing Anwise Technology Co., SITONHOLY (Tianjin) Co. and LINKZOL (Beijing) "
        "Technology Co.",
    )
    affected = {obj for kind, obj in _pairs(proposal, "headwind_affects") if kind == "sanctions"}
    assert affected == {
        "Beijing Anwise Technology Co.",
        "SITONHOLY (Tianjin) Co.",
        "LINKZOL (Beijing) Technology Co.",
    }


def test_a_launch_of_several_models_by_several_makers(index: EntityIndex) -> None:
    models = _read(
        index,
        "Last month Tensor Labs published two pre-trained models, Yi-34B and Yi-6B, as open source.",
        published="2023-12-12",
    )
    launches = {
        (f.subject, f.object, f.date.value if f.date else None) for f in models.facts if f.kind == "product_launch"
    }
    assert launches == {("Tensor Labs", "Yi-34B", "2023-11"), ("Tensor Labs", "Yi-6B", "2023-11")}
    makers = _read(index, "In April the start-up Shengshu Technology and Tsinghua University released Vidu.")
    assert _pairs(makers, "product_launch") == {("Shengshu Technology", "Vidu"), ("Tsinghua University", "Vidu")}


def test_an_acronym_the_article_spells_out_in_lower_case_is_no_company(index: EntityIndex) -> None:
    proposal = _read(
        index,
        "Tensor Labs sold more high-bandwidth memory (HBM) this year. Thanks to HBM, Tensor Labs has been pulling "
        "ahead of Samsung and of Micron Technology.",
    )
    assert _pairs(proposal, "competition") == {("Tensor Labs", "Samsung"), ("Tensor Labs", "Micron Technology")}


def test_an_earlier_amount_is_another_round_and_staff_led_by_founders_is_none(index: EntityIndex) -> None:
    proposal = _read(
        index,
        "Tensor Labs raised $600 million in a Series B round led by General Catalyst. Microsoft put $16 million into "
        "Tensor Labs in February. Most of its staff, led by Mustafa Suleyman, would go to work for Microsoft.",
    )
    rounds = sorted(
        (f.amount.value if f.amount else None, tuple(f.investors)) for f in proposal.facts if f.kind == "funding"
    )
    assert rounds == [(Decimal(16_000_000), ("Microsoft",)), (Decimal(600_000_000), ("General Catalyst",))]


def test_its_partner_is_a_partnership(index: EntityIndex) -> None:
    proposal = _read(
        index, "Samsung Electronics gets its AI tools not from Google, its partner in other markets, but from Baidu."
    )
    assert ("Samsung Electronics", "Google") in _pairs(proposal, "partnership")


@pytest.mark.parametrize(
    "body",
    [
        "Tensor Labs and Nimbus AI formed a joint venture in Shanghai.",
        "Tensor Labs picked Nimbus AI as its partner for AI features in China.",
        "Tensor Labs reached a licensing agreement with Nimbus AI.",
    ],
)
def test_partnerships_as_reporters_write_them(index: EntityIndex, body: str) -> None:
    assert _pairs(_read(index, body), "partnership") == {("Tensor Labs", "Nimbus AI")}


def test_a_planned_joint_venture_is_no_partnership(index: EntityIndex) -> None:
    assert not _pairs(_read(index, "Tensor Labs and Nimbus AI plan to form a joint venture."), "partnership")


def test_other_names_of_one_company(index: EntityIndex) -> None:
    article = Article(
        "A headline with no facts\n\nAlibaba and HongShan, the firm formerly known as Sequoia China, have both "
        "signed up to invest. Tensor Labs, known in Chinese as Zhangliang Keji, released ChatRhino (Yanxi in "
        "Chinese) on Thursday.",
        published=DateValue(value="2024-03-05"),
    )
    context = ArticleContext(index, article)
    context.learn_aliases([Line(s, context.finder.find(s.text)) for s in article.sentences])
    assert context.aliases[fold("Sequoia")] == "HongShan"  # a place ending a name is left out
    assert context.aliases[fold("Zhangliang Keji")] == "Tensor Labs"
    assert context.aliases[fold("Yanxi")] == "ChatRhino"
