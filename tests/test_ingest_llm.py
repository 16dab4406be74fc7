"""The OpenAI-compatible extractor plugs in behind the same interface: tested against a chat-completions server
started on 127.0.0.1 by the fixture (it answers with a fixed proposal; no network, no model)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kgraph.errors import KgraphError
from kgraph.factsheet.models import DateValue
from kgraph.ingest import Article, Extractor, load_extractor, propose
from kgraph.ingest.graph import index_from_data
from kgraph.ingest.llm import OpenAICompatibleExtractor
from kgraph.ingest.rules import RuleBasedExtractor

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


@pytest.fixture
def chat_server() -> Iterator[tuple[str, list[dict]]]:
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
            reply = json.dumps({"choices": [{"message": {"content": json.dumps(ANSWER)}}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", received
    server.shutdown()
    server.server_close()


def test_a_language_model_extractor_plugs_in(chat_server: tuple[str, list[dict]]) -> None:
    url, received = chat_server
    index = index_from_data([REPO / "data"])
    extractor = OpenAICompatibleExtractor(base_url=url, model="test-model", api_key="secret")
    assert isinstance(extractor, Extractor)
    article = Article(TEXT, published=DateValue(value="2024-01-16"))
    sheet = propose(article, index=index, extractor=extractor).sheet
    [request] = received
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer secret"
    schema = request["body"]["response_format"]["json_schema"]["schema"]
    assert "ProposedFact" in json.dumps(schema) and TEXT in request["body"]["messages"][1]["content"]
    [fact] = sheet.facts
    assert (fact.kind, fact.subject) == ("partnership", "sensetime")
    [entity] = sheet.entities
    assert entity.proposed and entity.name == "Nimbus Cloud" and fact.object == entity.id
    [evidence] = fact.evidence
    assert TEXT[evidence.start : evidence.end] == evidence.text  # re-anchored on the article
    assert sheet.source.description and "openai" in sheet.source.description


def test_extractors_are_chosen_by_name(monkeypatch: pytest.MonkeyPatch, chat_server: tuple[str, list[dict]]) -> None:
    index = index_from_data([REPO / "data"])
    assert isinstance(load_extractor("rules", index=index), RuleBasedExtractor)
    assert isinstance(load_extractor("kgraph.ingest.rules:RuleBasedExtractor", index=index), RuleBasedExtractor)
    with pytest.raises(KgraphError, match="no extractor called"):
        load_extractor("no-such-extractor", index=index)
    monkeypatch.delenv("KGRAPH_LLM_BASE_URL", raising=False)
    with pytest.raises(KgraphError, match="KGRAPH_LLM_BASE_URL"):
        load_extractor("openai", index=index)
    monkeypatch.setenv("KGRAPH_LLM_BASE_URL", chat_server[0])
    monkeypatch.setenv("KGRAPH_LLM_MODEL", "test-model")
    assert isinstance(load_extractor("openai", index=index), OpenAICompatibleExtractor)


def test_an_answer_outside_the_schema_is_an_error() -> None:
    extractor = OpenAICompatibleExtractor(base_url="http://127.0.0.1:9", model="m")
    with pytest.raises(KgraphError, match="does not fit the schema"):
        extractor.parse('{"facts": [{"kind": "merger", "subject": "X"}]}', Article(TEXT))
