"""An extractor that asks a language model behind an OpenAI-compatible chat API, with the proposal as its schema.

Not used unless chosen (``kgraph ingest --extractor openai``); nothing is downloaded and no call is made otherwise.
Configure it with ``KGRAPH_LLM_BASE_URL`` (e.g. ``http://127.0.0.1:8000/v1`` for a local server),
``KGRAPH_LLM_MODEL`` and, if the server needs one, ``KGRAPH_LLM_API_KEY``. The model is sent the article and the
JSON schema of :class:`~kgraph.ingest.proposal.Proposal` (``response_format: json_schema``); its answer is
validated with the same pydantic models, and each evidence span is re-anchored on the article's text, because
models quote better than they count characters.
"""

from __future__ import annotations

import json
import os
from typing import Any

from pydantic import ValidationError

from kgraph.errors import KgraphError
from kgraph.factsheet.models import Evidence
from kgraph.ingest.article import Article
from kgraph.ingest.proposal import Proposal, ProposedFact

INSTRUCTIONS = (
    "You extract facts about the AI industry from one news article. Return JSON that follows the schema. "
    "Use only these kinds: layoff, financial_result, product_launch, develops, competition, headwind_affects, "
    "statement, funding, partnership. Name entities exactly as the article writes them. Money as a decimal "
    "value with an ISO 4217 code (CNY for RMB or yuan); a loss is a negative amount with loss: true. Dates as "
    "YYYY, YYYY-MM or YYYY-MM-DD; when the year or day comes from the publication date, set inferred: true and "
    "say so in note. Quote the sentence a fact comes from in evidence[].text. Leave out what the article does "
    "not state."
)


class OpenAICompatibleExtractor:
    """Proposes facts with a chat-completions endpoint (OpenAI, vLLM, llama.cpp server, Ollama...)."""

    name = "openai"

    def __init__(self, *, base_url: str, model: str, api_key: str | None = None, timeout: float = 120.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.timeout = timeout

    @classmethod
    def from_env(cls) -> OpenAICompatibleExtractor:
        base_url = os.environ.get("KGRAPH_LLM_BASE_URL")
        model = os.environ.get("KGRAPH_LLM_MODEL")
        if not base_url or not model:
            raise KgraphError("the openai extractor needs KGRAPH_LLM_BASE_URL and KGRAPH_LLM_MODEL to be set")
        return cls(base_url=base_url, model=model, api_key=os.environ.get("KGRAPH_LLM_API_KEY"))

    def request(self, article: Article) -> dict[str, Any]:
        """The chat-completions request for ``article``."""
        published = article.published.value if article.published else "unknown"
        return {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": INSTRUCTIONS},
                {"role": "user", "content": f"Published: {published}\n\n{article.text}"},
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "proposal", "strict": False, "schema": Proposal.model_json_schema()},
            },
        }

    def extract(self, article: Article) -> Proposal:
        import httpx  # lazily: only this extractor talks to a server

        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            response = httpx.post(
                f"{self.base_url}/chat/completions", json=self.request(article), headers=headers, timeout=self.timeout
            )
            response.raise_for_status()
            content = response.json()["choices"][0]["message"]["content"]
        except (httpx.HTTPError, KeyError, IndexError, ValueError) as error:
            raise KgraphError(f"the language model at {self.base_url} gave no usable answer: {error}") from None
        return self.parse(content, article)

    def parse(self, content: str, article: Article) -> Proposal:
        """The model's answer as a proposal, with evidence anchored on the article's text."""
        try:
            data = json.loads(content)
            data["extractor"] = self.name
            proposal = Proposal.model_validate(data)
        except (json.JSONDecodeError, TypeError, ValidationError) as error:
            raise KgraphError(f"the language model's answer does not fit the schema: {error}") from None
        facts = [fact.model_copy(update={"evidence": _anchor(fact, article.text)}) for fact in proposal.facts]
        return proposal.model_copy(update={"facts": facts})


def _anchor(fact: ProposedFact, text: str) -> list[Evidence]:
    anchored = []
    for evidence in fact.evidence:
        quote = (evidence.text or "").strip()
        start = text.find(quote) if quote else -1
        if start >= 0:
            anchored.append(Evidence(start=start, end=start + len(quote), text=quote))
        elif evidence.end <= len(text):
            anchored.append(Evidence(start=evidence.start, end=evidence.end, text=text[evidence.start : evidence.end]))
    return anchored
