"""The extractor interface, and how to pick an extractor by name.

An extractor turns an :class:`~kgraph.ingest.article.Article` into a :class:`~kgraph.ingest.proposal.Proposal`:
facts that name entities as written. Resolution against the graph, identifiers and the fact-sheet format are done
afterwards by :func:`kgraph.ingest.propose`, the same for every extractor. Built in:

- ``rules`` (default): :class:`kgraph.ingest.rules.RuleBasedExtractor`, deterministic and offline.
- ``openai``: :class:`kgraph.ingest.llm.OpenAICompatibleExtractor`, a language model behind an OpenAI-compatible
  API (configured from ``KGRAPH_LLM_BASE_URL``, ``KGRAPH_LLM_MODEL`` and ``KGRAPH_LLM_API_KEY``).

Others plug in without touching kgraph: name a class as ``package.module:ClassName``, or register it as an entry
point in the ``kgraph.extractors`` group. Its constructor receives the graph's :class:`~kgraph.resolve.EntityIndex`
as the keyword ``index`` when it accepts one.
"""

from __future__ import annotations

import importlib
import inspect
from importlib.metadata import entry_points
from typing import Protocol, runtime_checkable

from kgraph.errors import KgraphError
from kgraph.ingest.article import Article
from kgraph.ingest.proposal import Proposal
from kgraph.resolve import EntityIndex

ENTRY_POINT_GROUP = "kgraph.extractors"
BUILT_IN = {
    "rules": "kgraph.ingest.rules:RuleBasedExtractor",
    "openai": "kgraph.ingest.llm:OpenAICompatibleExtractor",
}


@runtime_checkable
class Extractor(Protocol):
    """Anything that proposes facts for an article."""

    name: str

    def extract(self, article: Article) -> Proposal:
        """The facts the article states, with entities named as written."""
        ...


def _load(target: str) -> type:
    module_name, _, attribute = target.partition(":")
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise KgraphError(f"cannot load the extractor {target!r}: {error}") from None


def load_extractor(name: str, *, index: EntityIndex) -> Extractor:
    """The extractor called ``name``: built in, ``module:Class``, or an entry point of ``kgraph.extractors``."""
    if name in BUILT_IN:
        factory = _load(BUILT_IN[name])
    elif ":" in name:
        factory = _load(name)
    else:
        found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
        if not found:
            known = ", ".join([*BUILT_IN, *(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP))])
            raise KgraphError(f"no extractor called {name!r}; available: {known} (or module:Class)")
        factory = found[0].load()
    maker = getattr(factory, "from_env", factory)
    accepts_index = "index" in inspect.signature(maker).parameters
    extractor = maker(index=index) if accepts_index else maker()
    if not isinstance(extractor, Extractor):
        raise KgraphError(f"{name!r} is not an extractor: it needs a name and an extract(article) method")
    return extractor
