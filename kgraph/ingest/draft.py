"""A fact being assembled by the rules extractor: later sentences may add to it before it becomes a proposal."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from kgraph.factsheet.models import Amount, DateValue, Evidence, Measurement, PercentRange, Period
from kgraph.ingest.article import Sentence
from kgraph.ingest.proposal import FactKind, ProposedFact


@dataclass
class Draft:
    """One fact under construction, with the sentences it was read from."""

    kind: FactKind
    subject: str
    object: str | None = None
    participants: list[str] = field(default_factory=list)
    date: DateValue | None = None
    confidence: float = 0.7
    evidence: list[Evidence] = field(default_factory=list)
    estimate: bool = False
    note: str | None = None
    headcount: int | None = None
    share: PercentRange | None = None
    unit: str | None = None
    repeat_round: bool = False
    notice_period: str | None = None
    period: Period | None = None
    measurements: dict[str, Measurement] = field(default_factory=dict)
    amount: Amount | None = None
    valuation: Amount | None = None
    investors: list[str] = field(default_factory=list)
    round: str | None = None
    responds_to: FactKind | None = None

    @property
    def key(self) -> Hashable:
        """What tells two drafts of one kind and subject apart: the period of a result, else the object."""
        if self.kind == "financial_result":
            return self.period.key if self.period else None
        return self.object

    headline: Sentence | None = None

    def cite(self, sentence: Sentence) -> None:
        """Add ``sentence`` to the evidence (once); the headline only counts when no other sentence states the fact."""
        if sentence.is_title:
            self.headline = sentence
        elif all(e.start != sentence.start for e in self.evidence):
            self.evidence.append(Evidence(start=sentence.start, end=sentence.end, text=sentence.text))

    def complete(self) -> bool:
        """Whether the draft says enough to be proposed."""
        if self.kind == "financial_result":
            return bool(self.measurements) and self.period is not None
        if self.kind == "funding":
            return self.amount is not None or bool(self.investors)
        if self.kind == "competition":
            return bool(self.object or self.participants)
        if self.kind == "develops":
            return bool(self.evidence)  # a headline's "Apple's iPhones", "its Yi models" shortens too much
        return True

    def names(self) -> list[str]:
        """Every entity name the draft uses."""
        names = [self.subject, *self.participants, *self.investors]
        if self.object:
            names.append(self.object)
        if self.unit:
            names.append(self.unit)
        return names

    def proposed(self) -> ProposedFact:
        evidence = self.evidence
        if not evidence and self.headline is not None:
            evidence = [Evidence(start=self.headline.start, end=self.headline.end, text=self.headline.text)]
        return ProposedFact(
            kind=self.kind,
            subject=self.subject,
            object=self.object,
            participants=self.participants,
            date=self.date,
            confidence=round(self.confidence, 2),
            evidence=evidence,
            estimate=self.estimate,
            note=self.note,
            headcount=self.headcount,
            share=self.share,
            unit=self.unit,
            repeat_round=self.repeat_round,
            notice_period=self.notice_period,
            period=self.period,
            measurements=list(self.measurements.values()),
            amount=self.amount,
            valuation=self.valuation,
            investors=self.investors,
            round=self.round,
            responds_to=self.responds_to,
        )
