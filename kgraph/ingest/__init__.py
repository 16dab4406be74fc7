"""News ingestion: from an article's text to a proposed fact sheet, reviewed, then applied to data/ and the store.

``propose(article, extractor=..., index=...)`` runs an extractor and resolves what it found against the graph;
:mod:`kgraph.ingest.apply` validates a reviewed sheet and merges it.
"""

from __future__ import annotations

from kgraph.ingest.article import Article
from kgraph.ingest.extract import Extractor, load_extractor
from kgraph.ingest.proposal import EntityHint, Proposal, ProposedFact
from kgraph.ingest.sheet import ProposedSheet, build_sheet
from kgraph.resolve import EntityIndex

__all__ = [
    "Article",
    "EntityHint",
    "Extractor",
    "Proposal",
    "ProposedFact",
    "ProposedSheet",
    "load_extractor",
    "propose",
]


def propose(
    article: Article,
    *,
    index: EntityIndex,
    extractor: Extractor | None = None,
    source_id: str | None = None,
) -> ProposedSheet:
    """The fact sheet proposed for ``article``: the extractor's facts with names resolved against ``index``."""
    if extractor is None:
        from kgraph.ingest.rules import RuleBasedExtractor

        extractor = RuleBasedExtractor(index)
    proposal = extractor.extract(article)
    return build_sheet(article, proposal, index, source_id=source_id)
