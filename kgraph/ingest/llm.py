"""An extractor that asks a language model behind an OpenAI-compatible chat API, with the proposal as its schema.

Not used unless chosen (``kgraph ingest --extractor openai``); nothing is downloaded and no call is made otherwise.
Configure it with ``KGRAPH_LLM_BASE_URL`` (e.g. ``http://127.0.0.1:8000/v1`` for a local server),
``KGRAPH_LLM_MODEL``, if the server needs one ``KGRAPH_LLM_API_KEY``, ``KGRAPH_LLM_CACHE`` (the answers' folder;
``off`` for none), ``KGRAPH_LLM_TIMEOUT`` (seconds per request, 120) and ``KGRAPH_LLM_RETRIES`` (3).

The model is sent the article, in chunks of whole sentences that overlap when it is long, and the JSON schema of
:class:`~kgraph.ingest.proposal.Proposal` (``response_format: json_schema``). Each answer is validated with the same
pydantic models and cached by chunk, model and instructions. Every fact is then grounded on the article
(:mod:`kgraph.ingest.grounding`): a quote, a name or a figure the article does not state marks the fact
``unverified``. A timeout, a dropped connection, HTTP 429 or 5xx is retried with back-off; another refusal, a
malformed answer or a model's refusal to answer is a :class:`~kgraph.errors.KgraphError` saying which.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kgraph.errors import KgraphError
from kgraph.ingest.article import Article
from kgraph.ingest.grounding import NormalisedText, ground
from kgraph.ingest.proposal import EntityHint, Proposal, ProposedFact
from kgraph.resolve import EntityIndex, fold

INSTRUCTIONS = (
    "You extract facts about the AI industry from one news article. Return JSON that follows the schema. "
    "Use only these kinds: layoff, financial_result, product_launch, develops, competition, headwind_affects, "
    "statement, funding, partnership. Name entities exactly as the article writes them. Money as a decimal "
    "value with an ISO 4217 code (CNY for RMB or yuan); a loss is a negative amount with loss: true. Dates as "
    "YYYY, YYYY-MM or YYYY-MM-DD; when the year or day comes from the publication date, set inferred: true and "
    "say so in note. Quote the sentence a fact comes from, word for word, in evidence[].text. Leave out what the "
    "article does not state. Leave 'unverified' out."
)
#: Characters of article text per request (about 3,000 tokens), and how much of the previous chunk is repeated.
CHUNK_CHARACTERS = 12_000
CHUNK_OVERLAP = 1_000
_RETRY_STATUSES = {408, 409, 429, 500, 502, 503, 504}


@dataclass
class Usage:
    """What the model was asked: requests sent, answers taken from the cache, and tokens as the server counted them."""

    requests: int = 0
    cached: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __str__(self) -> str:
        return (
            f"{self.total_tokens:,} tokens ({self.prompt_tokens:,} prompt + {self.completion_tokens:,} completion) "
            f"in {self.requests} request(s); {self.cached} answer(s) from the cache"
        )


def default_cache_dir() -> Path | None:
    """``KGRAPH_LLM_CACHE`` (``off``: no cache), else ``kgraph/llm`` under the user's cache folder."""
    configured = os.environ.get("KGRAPH_LLM_CACHE")
    if configured:
        return None if configured.lower() == "off" else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kgraph" / "llm"


def chunks(article: Article, *, size: int = CHUNK_CHARACTERS, overlap: int = CHUNK_OVERLAP) -> list[str]:
    """The article's text in pieces of whole sentences of about ``size`` characters, each repeating ``overlap``."""
    text = article.text
    if len(text) <= size or not article.sentences:
        return [text]
    pieces: list[str] = []
    sentences = article.sentences
    first = 0
    while first < len(sentences):
        last = first
        while last + 1 < len(sentences) and sentences[last + 1].end - sentences[first].start <= size:
            last += 1
        pieces.append(text[sentences[first].start : sentences[last].end])
        if last + 1 >= len(sentences):
            break
        following = last + 1
        while following - 1 > first and sentences[last].end - sentences[following - 1].start <= overlap:
            following -= 1
        first = following
    return pieces


class OpenAICompatibleExtractor:
    """Proposes facts with a chat-completions endpoint (OpenAI, vLLM, llama.cpp server, Ollama...)."""

    name = "openai"

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        index: EntityIndex | None = None,
        timeout: float = 120.0,
        retries: int = 3,
        backoff: float = 2.0,
        cache_dir: Path | None = None,
        chunk_characters: int = CHUNK_CHARACTERS,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.index = index
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.cache_dir = cache_dir
        self.chunk_characters = chunk_characters
        self.usage = Usage()

    @classmethod
    def from_env(cls, *, index: EntityIndex | None = None) -> OpenAICompatibleExtractor:
        base_url = os.environ.get("KGRAPH_LLM_BASE_URL")
        model = os.environ.get("KGRAPH_LLM_MODEL")
        if not base_url or not model:
            raise KgraphError("the openai extractor needs KGRAPH_LLM_BASE_URL and KGRAPH_LLM_MODEL to be set")
        return cls(
            base_url=base_url,
            model=model,
            api_key=os.environ.get("KGRAPH_LLM_API_KEY"),
            index=index,
            timeout=_setting("KGRAPH_LLM_TIMEOUT", 120.0, float),
            retries=int(_setting("KGRAPH_LLM_RETRIES", 3, int)),
            cache_dir=default_cache_dir(),
        )

    def request(self, article: Article, text: str | None = None) -> dict[str, Any]:
        """The chat-completions request for ``article`` (or one chunk ``text`` of it)."""
        published = article.published.value if article.published else "unknown"
        return {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": INSTRUCTIONS},
                {"role": "user", "content": f"Published: {published}\n\n{article.text if text is None else text}"},
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "proposal", "strict": False, "schema": Proposal.model_json_schema()},
            },
        }

    def extract(self, article: Article) -> Proposal:
        """The model's facts for every chunk of ``article``, merged and grounded on the article."""
        answers = [
            self.answer(self.request(article, text), article)
            for text in chunks(article, size=self.chunk_characters, overlap=self.chunk_characters // 12)
        ]
        return ground(_merged(answers), article, index=self.index)

    def answer(self, request: dict[str, Any], article: Article) -> Proposal:
        """The model's proposal for ``request`` (not yet grounded): from the cache, else from the server.

        Only an answer that fits the schema is cached.
        """
        from kgraph.curate.journal import write_durably

        cached = self._cache_file(request)
        if cached is not None and cached.is_file():
            self.usage.cached += 1
            return self.parse(cached.read_text(encoding="utf-8"), article, grounded=False)
        content = self._post(request)
        proposal = self.parse(content, article, grounded=False)
        if cached is not None:
            write_durably(cached, content.encode("utf-8"))
        return proposal

    def _post(self, request: dict[str, Any]) -> str:
        import httpx  # lazily: only this extractor talks to a server

        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        where = f"the language model at {self.base_url}"
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                self.usage.requests += 1
                response = httpx.post(
                    f"{self.base_url}/chat/completions", json=request, headers=headers, timeout=self.timeout
                )
            except httpx.TimeoutException:
                if last:
                    raise KgraphError(
                        f"{where} did not answer within {self.timeout:g} s ({self.retries + 1} tries)"
                    ) from None
            except httpx.TransportError as error:
                if last:
                    raise KgraphError(f"{where} cannot be reached ({self.retries + 1} tries): {error}") from None
            else:
                if response.status_code < 400:
                    return self._content(response, where)
                if response.status_code not in _RETRY_STATUSES or last:
                    raise KgraphError(
                        f"{where} refused the request: HTTP {response.status_code} {_reason(response)}"
                    ) from None
            time.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _content(self, response: Any, where: str) -> str:  # noqa: ANN401 - an httpx.Response
        try:
            answer = response.json()
            message = answer["choices"][0]["message"]
        except (ValueError, KeyError, IndexError, TypeError):
            body = response.text[:200]
            raise KgraphError(f"{where} gave a malformed answer (no choices[0].message): {body!r}") from None
        usage = answer.get("usage") or {}
        self.usage.prompt_tokens += int(usage.get("prompt_tokens") or 0)
        self.usage.completion_tokens += int(usage.get("completion_tokens") or 0)
        if message.get("refusal"):
            raise KgraphError(f"{where} refused to answer: {message['refusal']}")
        content = message.get("content")
        if not isinstance(content, str) or not content.strip():
            finish = answer["choices"][0].get("finish_reason")
            raise KgraphError(f"{where} gave an empty answer (finish reason: {finish})")
        return content

    def _cache_file(self, request: dict[str, Any]) -> Path | None:
        if self.cache_dir is None:
            return None
        key = json.dumps({"url": self.base_url, "request": request}, sort_keys=True, ensure_ascii=False)
        return self.cache_dir / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()}.json"

    def parse(self, content: str, article: Article, *, grounded: bool = True) -> Proposal:
        """The model's answer as a proposal; grounded on the article unless ``grounded`` is false."""
        try:
            data = json.loads(content)
            if not isinstance(data, dict):
                raise TypeError("the answer is not a JSON object")
            data["extractor"] = self.name
            for fact in data.get("facts") or []:
                if isinstance(fact, dict):
                    fact.pop("unverified", None)  # only grounding decides that
            proposal = Proposal.model_validate(data)
        except (json.JSONDecodeError, TypeError, ValidationError) as error:
            raise KgraphError(f"the language model's answer does not fit the schema: {_first_line(error)}") from None
        return ground(proposal, article, index=self.index) if grounded else proposal


def _setting(name: str, default: float, kind: type) -> float:
    """A non-negative number from the environment variable ``name``, or ``default`` when it is not set."""
    text = os.environ.get(name)
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        value = -1
    if value < 0:
        raise KgraphError(f"{name}={text!r} is not a number of {'seconds' if kind is float else 'tries'} (0 or more)")
    return value


def _merged(answers: list[Proposal]) -> Proposal:
    """One proposal from the chunks' answers; a fact found twice in the overlap of two chunks is kept once."""
    facts: dict[tuple[str, tuple[str, ...]], ProposedFact] = {}
    entities: dict[str, EntityHint] = {}
    for answer in answers:
        for fact in answer.facts:
            quotes = tuple(sorted(NormalisedText(e.text or "").text for e in fact.evidence))
            key = (fact.model_dump_json(exclude={"evidence"}), quotes)
            facts.setdefault(key, fact)
        for hint in answer.entities:
            entities.setdefault(fold(hint.name), hint)
    extractor = answers[0].extractor if answers else "openai"
    return Proposal(facts=list(facts.values()), entities=list(entities.values()), extractor=extractor)


def _reason(response: Any) -> str:  # noqa: ANN401 - an httpx.Response
    try:
        detail = response.json().get("error", {})
        message = detail.get("message") if isinstance(detail, dict) else str(detail)
    except (ValueError, AttributeError):
        message = None
    return f"({message or response.reason_phrase or response.text[:200]})"


def _first_line(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        return f"{'.'.join(str(part) for part in first['loc'])}: {first['msg']}"
    return str(error)
