"""What an extractor proposes: facts that name their entities as written, before they are resolved to the graph.

These pydantic models are also the output schema given to a language model (see :mod:`kgraph.ingest.llm`): an
extractor needs to know nothing about identifiers, the graph or the fact-sheet format.
"""

from __future__ import annotations

from pydantic import Field

from kgraph.factsheet.models import (
    Amount,
    DateValue,
    EntityType,
    Evidence,
    FactKind,
    Measurement,
    Model,
    PercentRange,
    Period,
)


class ProposedFact(Model):
    """One fact as found in an article; entities are named as written (``SenseTime Group``), not by identifier."""

    kind: FactKind
    subject: str = Field(min_length=1)
    object: str | None = None
    participants: list[str] = Field(default_factory=list)
    date: DateValue | None = None
    confidence: float = Field(default=0.5, ge=0, le=1)
    evidence: list[Evidence] = Field(default_factory=list)
    estimate: bool = False
    note: str | None = None
    unverified: str | None = Field(
        default=None, description="Set by kgraph, not by an extractor: what could not be checked against the article."
    )
    # layoff
    headcount: int | None = Field(default=None, ge=1)
    share: PercentRange | None = None
    unit: str | None = None
    repeat_round: bool = False
    notice_period: str | None = Field(default=None, pattern=r"^P(\d+[YMWD])+$")
    # financial_result
    period: Period | None = None
    measurements: list[Measurement] = Field(default_factory=list)
    # funding
    amount: Amount | None = None
    valuation: Amount | None = None
    investors: list[str] = Field(default_factory=list)
    round: str | None = None
    # statement
    responds_to: FactKind | None = None


class EntityHint(Model):
    """What an extractor believes about a name it used: its class, other names, its developer or parent."""

    name: str = Field(min_length=1)
    type: EntityType | None = None
    aliases: list[str] = Field(default_factory=list)
    developer: str | None = None
    unit_of: str | None = None


class Proposal(Model):
    """Everything an extractor proposes for one article."""

    facts: list[ProposedFact] = Field(default_factory=list)
    entities: list[EntityHint] = Field(default_factory=list)
    extractor: str = "unknown"
