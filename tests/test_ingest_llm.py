"""The OpenAI-compatible extractor against a scripted chat server on 127.0.0.1 (no network, no model): its answers
are grounded on the article, long articles go in overlapping chunks, answers are cached, and a slow, refused,
malformed or missing answer is a clear error."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kgraph.errors import KgraphError
from kgraph.factsheet.models import DateValue
from kgraph.ingest import Article, Extractor, load_extractor, propose
from kgraph.ingest.graph import index_from_data
from kgraph.ingest.grounding import NormalisedText
from kgraph.ingest.llm import OpenAICompatibleExtractor, chunks
from kgraph.ingest.rules import RuleBasedExtractor
from kgraph.resolve import EntityIndex
from tests.chat_server import ChatServer, Reply, chat_server

REPO = Path(__file__).resolve().parents[1]
TEXT = "Deal news\n\nSenseTime Group has formed a partnership with Nimbus Cloud, the companies said on Monday."
ANSWER = {
    "facts": [
        {
            "kind": "partnership",
            "subject": "SenseTime Group",
            "object": "Nimbus Cloud",
            "confidence": 0.9,
            "evidence": [{"start": 0, "end": 5, "text": "SenseTime Group has formed a partnership with Nimbus Cloud"}],
        }
    ],
    "entities": [{"name": "Nimbus Cloud", "type": "Company"}],
}
FUNDING_TEXT = (
    "Nimbus Cloud raises funds\n\n"
    "Nimbus Cloud said on Monday it had raised $120 million in a Series B round led by Orbit Ventures.\n"
    "The start-up cut 40 jobs, about 10% of its staff, in March 2023. “We stay focused,” its founder said."
)


def fact(kind: str, subject: str, quote: str, **fields: object) -> dict:
    return {
        "kind": kind,
        "subject": subject,
        "confidence": 0.9,
        "evidence": [{"start": 0, "end": 0, "text": quote}],
    } | {key: value for key, value in fields.items()}


GROUNDED = fact(
    "funding",
    "Nimbus Cloud",
    # whitespace, a line break and typographic quotes differ from the article: still found
    "Nimbus Cloud said on Monday it had raised $120  million in a Series B\nround led by Orbit Ventures.",
    amount={"value": 120_000_000, "currency": "USD"},
    investors=["Orbit Ventures"],
    round="Series B",
)
INVENTED = [
    fact("layoff", "Nimbus Cloud", "The start-up cut 40 jobs, about 10% of its staff, in March 2023.", headcount=400),
    fact("partnership", "Nimbus Cloud", "Nimbus Cloud said on Monday it had raised", object="Megacorp Holdings"),
    fact("competition", "Nimbus Cloud", "Nimbus Cloud competes head-on with Acme Robotics.", object="SenseTime"),
    fact("layoff", "Nimbus Cloud", "The start-up cut 40 jobs", headcount=40, date="2022-03"),
]


@pytest.fixture(scope="module")
def index() -> EntityIndex:
    return index_from_data([REPO / "data"])


@pytest.fixture
def server() -> Iterator[ChatServer]:
    with chat_server() as running:
        yield running


def extractor_for(server: ChatServer, index: EntityIndex, **options: object) -> OpenAICompatibleExtractor:
    settings = {"timeout": 2.0, "retries": 2, "backoff": 0.01} | options
    return OpenAICompatibleExtractor(base_url=server.url, model="test-model", index=index, **settings)  # type: ignore[arg-type]


def test_a_language_model_extractor_plugs_in(server: ChatServer, index: EntityIndex) -> None:
    server.play(Reply(ANSWER))
    extractor = extractor_for(server, index, api_key="secret")
    assert isinstance(extractor, Extractor)
    article = Article(TEXT, published=DateValue(value="2024-01-16"))
    sheet = propose(article, index=index, extractor=extractor).sheet
    [request] = server.received
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer secret"
    schema = request["body"]["response_format"]["json_schema"]["schema"]
    assert "ProposedFact" in json.dumps(schema) and TEXT in request["body"]["messages"][1]["content"]
    [partnership] = sheet.facts
    assert (partnership.kind, partnership.subject, partnership.unverified) == ("partnership", "sensetime", None)
    [entity] = sheet.entities
    assert entity.proposed and entity.name == "Nimbus Cloud" and partnership.object == entity.id
    [evidence] = partnership.evidence
    assert TEXT[evidence.start : evidence.end] == evidence.text  # anchored on the article, not the model's offsets
    assert sheet.source.description and "openai" in sheet.source.description
    assert (extractor.usage.requests, extractor.usage.total_tokens) == (1, 120)


def test_invented_evidence_names_and_figures_leave_facts_unverified(server: ChatServer, index: EntityIndex) -> None:
    server.play(Reply({"facts": [GROUNDED, *INVENTED]}))
    article = Article(FUNDING_TEXT, published=DateValue(value="2023-04-03"))
    proposal = extractor_for(server, index).extract(article)
    grounded, headcount, name, evidence, date = proposal.facts
    assert grounded.unverified is None
    assert FUNDING_TEXT[grounded.evidence[0].start : grounded.evidence[0].end].startswith("Nimbus Cloud said")
    assert headcount.unverified == "headcount 400 is not in its evidence"
    assert name.unverified == "'Megacorp Holdings' is not named in the article"
    assert evidence.unverified is not None and evidence.evidence == []
    assert "evidence not in the article: 'Nimbus Cloud competes head-on with Acme Robotics.'" in evidence.unverified
    assert "'SenseTime' is not named in the article" in evidence.unverified
    assert date.unverified == "date 2022-03 is not in its evidence"


def test_invented_aliases_and_developers_are_dropped(server: ChatServer, index: EntityIndex) -> None:
    text = "Launch\n\nNimbus Cloud, also called Nimbus, unveiled the Cirrus model on Monday."
    hints = [
        {"name": "Nimbus Cloud", "type": "Company", "aliases": ["Nimbus", "Baidu"]},
        {"name": "Cirrus", "type": "LargeLanguageModel", "developer": "Megacorp"},
        {"name": "Stratus", "type": "LargeLanguageModel", "developer": "Nimbus Cloud"},
    ]
    server.play(Reply({"facts": [], "entities": hints}))
    company, invented, named = extractor_for(server, index).extract(Article(text)).entities
    assert company.aliases == ["Nimbus"]  # "Baidu" as an alias would merge Nimbus Cloud into Baidu
    assert invented.developer is None and named.developer == "Nimbus Cloud"


def test_names_are_found_through_the_graphs_aliases(server: ChatServer, index: EntityIndex) -> None:
    text = "Results\n\n商汤科技 said its revenue fell 19% to RMB 3.809 billion in 2022."
    results = fact(
        "financial_result",
        "SenseTime",
        "商汤科技 said its revenue fell 19% to RMB 3.809 billion in 2022.",
        period={"fiscal_year": 2022},
        measurements=[
            {"metric": "revenue", "yoy_change_percent": -19, "amounts": [{"value": 3_809_000_000, "currency": "CNY"}]}
        ],
    )
    wrong_figure = results | {
        "measurements": [{"metric": "revenue", "amounts": [{"value": 3_900_000_000, "currency": "CNY"}]}]
    }
    server.play(Reply({"facts": [results, wrong_figure]}))
    right, wrong = extractor_for(server, index).extract(Article(text)).facts
    assert right.unverified is None
    assert wrong.unverified == "revenue CNY 3900000000 is not in its evidence"


def test_quotes_are_compared_with_whitespace_quotes_and_dashes_normalised() -> None:
    text = NormalisedText("It said:  “AI is\n here” — for  good.")
    assert text.find('it said: "AI is here" - for good.') == (0, 36)
    assert text.find("AI is there") is None


def test_an_unverified_fact_is_not_applied_until_a_reviewer_removes_the_mark(
    server: ChatServer, index: EntityIndex, tmp_path: Path
) -> None:
    import shutil

    from kgraph.ingest.apply import apply_sheet

    server.play(Reply({"facts": [GROUNDED, INVENTED[0]], "entities": [{"name": "Orbit Ventures", "type": "Company"}]}))
    article = Article(FUNDING_TEXT, published=DateValue(value="2023-04-03"))
    proposed = propose(article, index=index, extractor=extractor_for(server, index))
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text(proposed.to_yaml(extractor="openai"), encoding="utf-8")
    before = sorted(p.name for p in data.iterdir())
    with pytest.raises(KgraphError, match=r"sheet.yaml:\d+: facts\[1\].unverified: fact '.*-layoff-1' failed"):
        apply_sheet(sheet, data_dir=data)
    assert sorted(p.name for p in data.iterdir()) == before
    edited = sheet.read_text(encoding="utf-8").replace("headcount: 400", "headcount: 40")
    edited = "\n".join(line for line in edited.splitlines() if "unverified:" not in line)
    sheet.write_text(edited, encoding="utf-8")
    result = apply_sheet(sheet, data_dir=data)
    assert result.data_file.name.startswith("nimbus-cloud-raises-funds")


def test_a_long_article_goes_in_overlapping_chunks(server: ChatServer, index: EntityIndex) -> None:
    sentences = [
        f"Sentence number {n} says that Nimbus Cloud works with Orbit Ventures on item {n}." for n in range(60)
    ]
    text = "Long read\n\n" + " ".join(sentences)
    article = Article(text)
    pieces = chunks(article, size=1200, overlap=200)
    assert len(pieces) >= 4 and all(len(piece) <= 1200 for piece in pieces)
    assert all(piece in text for piece in pieces)
    assert all(a[-80:] in b for a, b in zip(pieces, pieces[1:], strict=False))  # each overlaps the next
    assert sentences[-1] in pieces[-1] and "Long read" in pieces[0]

    def answer(body: dict) -> Reply:
        chunk = body["messages"][1]["content"]
        quote = next(s for s in sentences if s in chunk)
        found = [fact("partnership", "Nimbus Cloud", quote, object="Orbit Ventures")]
        last = sentences[-1]
        if last in chunk:
            found.append(fact("partnership", "Nimbus Cloud", last, object="Orbit Ventures"))
        return Reply({"facts": found})

    server.play(answer)
    proposal = extractor_for(server, index, chunk_characters=1200).extract(article)
    assert len(server.received) == len(chunks(article, size=1200, overlap=100))
    quotes = [f.evidence[0].text for f in proposal.facts]
    assert len(quotes) == len(set(quotes))  # a fact found in two chunks' overlap is kept once
    assert sentences[-1] in quotes and all(f.unverified is None for f in proposal.facts)


def test_answers_are_cached_by_article_and_model(server: ChatServer, index: EntityIndex, tmp_path: Path) -> None:
    server.play(Reply(ANSWER))
    article = Article(TEXT)
    first = extractor_for(server, index, cache_dir=tmp_path / "cache")
    assert first.extract(article) == (again := extractor_for(server, index, cache_dir=tmp_path / "cache")).extract(
        article
    )
    assert len(server.received) == 1 and (again.usage.requests, again.usage.cached, again.usage.total_tokens) == (
        0,
        1,
        0,
    )
    other_model = OpenAICompatibleExtractor(
        base_url=server.url, model="other", index=index, cache_dir=tmp_path / "cache"
    )
    other_model.extract(article)
    assert len(server.received) == 2
    extractor_for(server, index, cache_dir=tmp_path / "cache").extract(Article(TEXT + " More."))
    assert len(server.received) == 3


def test_a_malformed_answer_is_not_cached(server: ChatServer, index: EntityIndex, tmp_path: Path) -> None:
    server.play(Reply(content="not json at all"))
    with pytest.raises(KgraphError, match="does not fit the schema"):
        extractor_for(server, index, cache_dir=tmp_path / "cache").extract(Article(TEXT))
    assert not any((tmp_path / "cache").glob("*.json"))


def test_failures_are_retried_with_back_off(server: ChatServer, index: EntityIndex) -> None:
    server.play(Reply(status=503), Reply(status=429), Reply(ANSWER))
    extractor = extractor_for(server, index)
    assert len(extractor.extract(Article(TEXT)).facts) == 1
    assert len(server.received) == 3 and extractor.usage.requests == 3


@pytest.mark.parametrize(
    ("replies", "message", "requests"),
    [
        ([Reply(status=400)], r"refused the request: HTTP 400 \(scripted failure 400\)", 1),
        ([Reply(status=401)], "HTTP 401", 1),
        ([Reply(status=500)], r"refused the request: HTTP 500", 3),
        ([Reply(delay=1.0)], r"did not answer within 0.3 s \(3 tries\)", 3),
        ([Reply(drop=True)], r"cannot be reached \(3 tries\)", 3),
        ([Reply(body=b"<html>gateway</html>")], "malformed answer", 1),
        ([Reply(body=b'{"choices": []}')], "malformed answer", 1),
        ([Reply(refusal="I cannot help with that.")], "refused to answer: I cannot help with that.", 1),
        ([Reply(content="")], "empty answer", 1),
        ([Reply(content='{"facts": [{"kind": "merger", "subject": "X"}]}')], r"facts.0.kind: Input should be", 1),
        ([Reply(content="[1, 2]")], "not a JSON object", 1),
    ],
)
def test_a_model_that_fails_gives_a_clear_error(
    server: ChatServer, index: EntityIndex, replies: list[Reply], message: str, requests: int
) -> None:
    server.play(*replies)
    with pytest.raises(KgraphError, match=message):
        extractor_for(server, index, timeout=0.3).extract(Article(TEXT))
    deadline = time.monotonic() + 10  # a request given up on may reach a busy server's thread after the client left
    while len(server.received) < requests and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(server.received) == requests


def test_a_server_that_is_not_there(index: EntityIndex) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    extractor = OpenAICompatibleExtractor(
        base_url=f"http://127.0.0.1:{port}/v1", model="m", index=index, retries=1, backoff=0.01
    )
    with pytest.raises(KgraphError, match=rf"127.0.0.1:{port}/v1 cannot be reached \(2 tries\)"):
        extractor.extract(Article(TEXT))


def test_extractors_are_chosen_by_name(monkeypatch: pytest.MonkeyPatch, server: ChatServer, tmp_path: Path) -> None:
    index = index_from_data([REPO / "data"])
    assert isinstance(load_extractor("rules", index=index), RuleBasedExtractor)
    assert isinstance(load_extractor("kgraph.ingest.rules:RuleBasedExtractor", index=index), RuleBasedExtractor)
    with pytest.raises(KgraphError, match="no extractor called"):
        load_extractor("no-such-extractor", index=index)
    monkeypatch.delenv("KGRAPH_LLM_BASE_URL", raising=False)
    with pytest.raises(KgraphError, match="KGRAPH_LLM_BASE_URL"):
        load_extractor("openai", index=index)
    monkeypatch.setenv("KGRAPH_LLM_BASE_URL", server.url)
    monkeypatch.setenv("KGRAPH_LLM_MODEL", "test-model")
    monkeypatch.setenv("KGRAPH_LLM_CACHE", str(tmp_path / "answers"))
    chosen = load_extractor("openai", index=index)
    assert isinstance(chosen, OpenAICompatibleExtractor)
    assert chosen.index is index and chosen.cache_dir == tmp_path / "answers"
    monkeypatch.setenv("KGRAPH_LLM_CACHE", "off")
    assert load_extractor("openai", index=index).cache_dir is None  # type: ignore[attr-defined]
