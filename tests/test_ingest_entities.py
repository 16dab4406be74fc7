"""Names in articles resolved against the graph; unknown names proposed as new entities, never merged silently."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kgraph.factsheet.models import DateValue
from kgraph.ingest import Article, propose
from kgraph.ingest.graph import index_from_data
from kgraph.ingest.mentions import MentionFinder
from kgraph.resolve import EntityIndex

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def index() -> EntityIndex:
    return index_from_data([DATA])


def _sheet(index: EntityIndex, text: str, published: str = "2023-10-20"):  # noqa: ANN202
    return propose(Article(text, published=DateValue(value=published)), index=index).sheet


def test_known_names_found_with_legal_suffixes_and_case(index: EntityIndex) -> None:
    finder = MentionFinder(index)
    found = finder.find(
        "SENSETIME GROUP and Alibaba Group Holding said the Smart City and Business Group (SCG) shrank."
    )
    labels = [m.candidate.label for m in found if m.candidate]
    assert labels[:2] == ["SenseTime", "Alibaba"]
    assert "Smart City and Business Group" in labels


def test_names_of_bodies_go_on_through_of_and_and(index: EntityIndex) -> None:
    finder = MentionFinder(index)
    found = finder.find(
        "The Bureau of Industry and Security and the Ministry of Commerce met officials of Tensor Labs and Nvidia."
    )
    assert [m.name for m in found] == [
        "Bureau of Industry and Security",
        "Ministry of Commerce",
        "Tensor Labs",
        "Nvidia",
    ]


def test_an_owner_whose_name_ends_in_s(index: EntityIndex) -> None:
    found = MentionFinder(index).find("Tensor Labs' model beat Baidu's and Nimbus Systems’ models.")
    assert [(m.name, m.possessive) for m in found] == [
        ("Tensor Labs", True),
        ("Baidu", True),
        ("Nimbus Systems", True),
    ]


def test_sensetime_group_is_sensetime(index: EntityIndex) -> None:
    sheet = _sheet(index, "Headline here\n\nSenseTime Group on Tuesday launched SenseNova 5.0, a large language model.")
    [launch] = [f for f in sheet.facts if f.kind == "product_launch"]
    assert launch.subject == "sensetime"
    assert launch.date.value == "2023-10-17" and launch.date.inferred
    [product] = [e for e in sheet.entities if e.id == launch.object]
    assert product.proposed and product.type == "LargeLanguageModel" and product.developer == "sensetime"
    assert product.name == "SenseNova 5.0"


def test_alias_introduced_by_the_article_links_both_names(index: EntityIndex) -> None:
    text = (
        "Funding news\n\nBeijing Zhipu Huazhang Technology Co., the start-up better known as Zhipu AI, has raised "
        "2.5bn yuan, the company said on Friday. Zhipu AI competes with Baidu."
    )
    sheet = _sheet(index, text)
    [entity] = [e for e in sheet.entities if e.name == "Zhipu AI"]
    assert entity.proposed and entity.type == "Company"
    assert "Beijing Zhipu Huazhang Technology Co." in entity.aliases
    [funding] = [f for f in sheet.facts if f.kind == "funding"]
    assert funding.subject == entity.id
    assert (funding.amount.value, funding.amount.currency) == (2500000000, "CNY")
    [rivalry] = [f for f in sheet.facts if f.kind == "competition"]
    assert (rivalry.subject, rivalry.object) == (entity.id, "baidu")


def test_unknown_names_become_proposed_entities_with_a_guessed_class(index: EntityIndex) -> None:
    text = (
        "Chip curbs bite\n\nUS export controls have made it harder for Acme Robotics to buy chips. "
        "Acme Robotics released Widget 2 in September, an open-source model."
    )
    sheet = _sheet(index, text, "2024-01-16")
    types = {e.name: e.type for e in sheet.entities}
    assert types == {"export controls": "Headwind", "Acme Robotics": "Company", "Widget 2": "LargeLanguageModel"}
    assert all(e.proposed for e in sheet.entities)
    ids = {e.id for e in sheet.entities} | {"sensetime", "baidu"}
    assert all(f.subject in ids for f in sheet.facts)


def test_known_headwinds_resolve_through_aliases(index: EntityIndex) -> None:
    text = "Headwinds\n\nRising inflation and fears of a recession are weighing on Baidu."
    sheet = _sheet(index, text)
    pairs = sorted((f.subject, f.object) for f in sheet.facts if f.kind == "headwind_affects")
    assert pairs == [("potential-recession", "baidu"), ("rising-inflation", "baidu")]
    assert sheet.entities == []


def test_an_ambiguous_name_is_not_merged(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for path in DATA.glob("*.yaml"):
        (data / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (data / "general-knowledge.yaml").write_text(_insert_entities(DATA / "general-knowledge.yaml"), encoding="utf-8")
    index = index_from_data([data])
    assert len(index.lookup("Nova")) == 2
    sheet = _sheet(index, "Deal\n\nNova has formed a partnership with Baidu, the companies said on Monday.")
    [partnership] = [f for f in sheet.facts if f.kind == "partnership"]
    assert partnership.subject not in ("nova-labs", "nova-corp")
    [entity] = [e for e in sheet.entities if e.id == partnership.subject]
    assert entity.proposed and "nova-labs" in entity.description and "nova-corp" in entity.description


def _insert_entities(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    extra = (
        "  - id: nova-labs\n    type: Company\n    name: Nova\n"
        "  - id: nova-corp\n    type: Company\n    name: Nova Corp.\n\n"
    )
    return text.replace("\nfacts:", "\n" + extra + "facts:", 1)


def test_dates_default_to_none_without_publication_date(index: EntityIndex) -> None:
    sheet = propose(Article("News\n\nBaidu on Tuesday unveiled Ernie 5, a language model."), index=index).sheet
    [launch] = [f for f in sheet.facts if f.kind == "product_launch"]
    assert launch.date is None
    assert dt.date.today()  # the publication date is never guessed from the clock
