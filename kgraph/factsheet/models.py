"""Pydantic models of a fact sheet: one source, the entities it introduces, and the facts it states.

A fact sheet is what a curator edits (YAML) and what ingestion proposes; :mod:`kgraph.mapping` compiles it to RDF.
Identifiers are slugs (``sensetime``, ``sensetime-layoffs-2023``) that become IRIs under :data:`kgraph.vocabulary.KGD`.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from kgraph import dates
from kgraph.limits import MAX_NUMBER_DIGITS

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*[a-z0-9]$|^[a-z0-9]$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, description="lower-case letters, digits and hyphens")]
Ref = Slug

_NOT_IN_IRI = re.compile(r"[\x00-\x20<>\"{}|\\^`\x7f]")


def _web_address(value: str) -> str:
    """An absolute http(s) address that is a valid IRI (it becomes one in the graph)."""
    if not re.match(r"https?://[^/?#]", value):
        raise ValueError(f"{value!r} is not a web address: write it with http:// or https://")
    bad = _NOT_IN_IRI.search(value)
    if bad is not None:
        what = "a space" if bad.group() == " " else f"the character {bad.group()!r}"
        raise ValueError(f"{value!r} is not a valid web address: it contains {what} (percent-encode it)")
    return value


WebAddress = Annotated[str, AfterValidator(_web_address)]

EntityType = Literal[
    "Company",
    "BusinessUnit",
    "Organization",
    "NewsPublisher",
    "AnonymousSource",
    "Product",
    "AIProduct",
    "LargeLanguageModel",
    "Industry",
    "Market",
    "Headwind",
    "Topic",
]
PRODUCT_TYPES = frozenset({"Product", "AIProduct", "LargeLanguageModel"})
ORGANIZATION_TYPES = frozenset({"Company", "BusinessUnit", "Organization", "NewsPublisher"})

Metric = Literal["revenue", "net_income", "adjusted_net_income", "operating_income", "gross_profit"]
EmployeeGroup = Literal["affected_employees", "non_renewed_contracts", "fresh_graduates"]


class Model(BaseModel):
    """Base of all fact-sheet models: unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DateValue(Model):
    """A date at the precision the source gives it: ``2023``, ``2023-04`` or ``2023-04-10``.

    ``inferred`` marks a date part that the source does not state (the year of "in April"), with a ``note`` saying
    where it comes from and, optionally, the ``basis`` source that supports it.
    """

    value: str
    precision: Literal["year", "month", "day"] | None = None
    inferred: bool = False
    note: str | None = None
    basis: Ref | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_scalar(cls, data: object) -> object:
        if isinstance(data, dt.date | int | str):
            return {"value": data}
        return data

    @field_validator("value", mode="before")
    @classmethod
    def _to_text(cls, value: object) -> object:
        if isinstance(value, dt.datetime):
            raise ValueError("a date, not a date and time, is expected")
        if isinstance(value, dt.date | int):
            return value.isoformat() if isinstance(value, dt.date) else str(value)
        return value

    @model_validator(mode="after")
    def _check(self) -> DateValue:
        form = dates.precision(self.value)
        if self.precision is not None and self.precision != form:
            raise ValueError(f"date {self.value!r} has {form} precision, not {self.precision}")
        if self.inferred and not self.note:
            raise ValueError("an inferred date needs a note saying where it comes from")
        if self.precision is None:
            object.__setattr__(self, "precision", form)
        return self

    @property
    def earliest(self) -> dt.date:
        """The first day the date covers."""
        return dates.span(self.value)[0]

    @property
    def latest(self) -> dt.date:
        """The last day the date covers."""
        return dates.span(self.value)[1]


class Amount(Model):
    """Money: a decimal value and an ISO 4217 currency code; ``converted`` marks the reporter's conversion."""

    value: Decimal = Field(max_digits=MAX_NUMBER_DIGITS)
    currency: str
    converted: bool = False

    @field_validator("value", mode="before")
    @classmethod
    def _no_float(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError("a number is expected, not true/false")
        if isinstance(value, float):
            return Decimal(repr(value))
        return value

    @field_validator("currency")
    @classmethod
    def _iso_code(cls, code: str) -> str:
        if code.upper() == "RMB":
            raise ValueError("'RMB' is not an ISO 4217 code: write 'CNY' for the Chinese yuan")
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise ValueError(f"currency {code!r} is not a three-letter ISO 4217 code such as CNY or USD")
        return code


class PercentRange(Model):
    """A share in percent between ``min`` and ``max`` (equal for a single figure)."""

    min: Decimal = Field(ge=0, le=100)
    max: Decimal = Field(ge=0, le=100)
    unit: Literal["percent"] = "percent"

    @model_validator(mode="after")
    def _ordered(self) -> PercentRange:
        if self.min > self.max:
            raise ValueError(f"range minimum {self.min} is greater than its maximum {self.max}")
        return self


class Period(Model):
    """A fiscal period; ``fiscal_year: 2022`` alone stands for the calendar year."""

    label: str | None = None
    fiscal_year: int | None = Field(default=None, ge=1, le=9999)
    start: dt.date | None = None
    end: dt.date | None = None

    @model_validator(mode="after")
    def _complete(self) -> Period:
        if self.start is None and self.end is None and self.fiscal_year is not None:
            object.__setattr__(self, "start", dt.date(self.fiscal_year, 1, 1))
            object.__setattr__(self, "end", dt.date(self.fiscal_year, 12, 31))
        if self.start is None or self.end is None:
            raise ValueError("a period needs a fiscal_year, or a start and an end")
        if self.end <= self.start:
            raise ValueError(f"period ends ({self.end}) before it begins ({self.start})")
        if self.label is None:
            label = f"FY{self.fiscal_year}" if self.fiscal_year else f"{self.start} to {self.end}"
            object.__setattr__(self, "label", label)
        return self

    @property
    def key(self) -> str:
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"


class Measurement(Model):
    """One reported figure: a metric in one or more currencies, with its year-on-year change in percent."""

    metric: Metric
    amounts: list[Amount] = Field(min_length=1)
    yoy_change_percent: Decimal | None = Field(default=None, max_digits=MAX_NUMBER_DIGITS)
    loss: bool = False
    estimate: bool = False

    @model_validator(mode="after")
    def _loss_is_negative(self) -> Measurement:
        if self.loss and any(amount.value >= 0 for amount in self.amounts):
            raise ValueError("a loss is a negative income: give its amounts with a minus sign")
        currencies = [amount.currency for amount in self.amounts]
        if len(set(currencies)) != len(currencies):
            raise ValueError(f"one amount per currency, got {currencies}")
        originals = [amount for amount in self.amounts if not amount.converted]
        if len(originals) != 1:
            raise ValueError("exactly one amount is the reported one; mark the others converted: true")
        return self


class Evidence(Model):
    """Where a fact stands in its source: character offsets, and the text for a reviewer (never compiled to RDF)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Evidence:
        if self.end < self.start:
            raise ValueError("evidence ends before it starts")
        return self


class Reduction(Model):
    """How much a unit (or the whole company) was cut: a share range or a headcount."""

    unit: Ref
    share: PercentRange | None = None
    headcount: int | None = Field(default=None, ge=1, le=100_000_000)
    estimate: bool = False
    attributed_to: Ref | None = None

    @model_validator(mode="after")
    def _has_size(self) -> Reduction:
        if self.share is None and self.headcount is None:
            raise ValueError("a reduction needs a share or a headcount")
        return self


_AFFECTED: list[EmployeeGroup] = ["affected_employees"]


class Severance(Model):
    """A severance rule: ``N`` or ``N+k`` months' salary, for a group of employees, with extras."""

    formula: str = Field(pattern=r"^N(\+[1-9][0-9]*)?$")
    applies_to: list[EmployeeGroup] = Field(default_factory=lambda: _AFFECTED.copy(), min_length=1)
    base: str | None = None
    extras: list[str] = Field(default_factory=list)

    @property
    def additional_months(self) -> int:
        return int(self.formula.partition("+")[2] or 0)


class FactBase(Model):
    """What every fact has: an id, a subject, a date, who said it, and (for ingested facts) confidence and evidence."""

    id: Slug
    subject: Ref
    date: DateValue | None = None
    attributed_to: Ref | None = None
    estimate: bool = False
    confidence: float | None = Field(default=None, ge=0, le=1)
    evidence: list[Evidence] = Field(default_factory=list)
    note: str | None = None
    unverified: str | None = None  # why an ingested fact failed its checks; never applied until a reviewer removes it


class LayoffFact(FactBase):
    kind: Literal["layoff"]
    units: list[Ref] = Field(default_factory=list)
    repeat_round: bool = False
    scale: str | None = None
    scope: str | None = None
    notice_period: str | None = Field(default=None, pattern=r"^P(\d+[YMWD])+$")
    notice_applies_to: str | None = None
    headcount: int | None = Field(default=None, ge=1, le=100_000_000)
    share: PercentRange | None = None
    reductions: list[Reduction] = Field(default_factory=list)
    severance: list[Severance] = Field(default_factory=list)


class FinancialResultFact(FactBase):
    kind: Literal["financial_result"]
    period: Period
    measurements: list[Measurement] = Field(min_length=1)
    trend: Literal["declining", "stable", "growing"] | None = None

    @model_validator(mode="after")
    def _one_per_metric(self) -> FinancialResultFact:
        metrics = [m.metric for m in self.measurements]
        if len(set(metrics)) != len(metrics):
            raise ValueError(f"each metric once per period, got {metrics}")
        return self


class ProductLaunchFact(FactBase):
    kind: Literal["product_launch"]
    object: Ref = Field(description="the product launched")


class DevelopsFact(FactBase):
    kind: Literal["develops"]
    object: Ref = Field(description="the product developed")


class CompetitionFact(FactBase):
    kind: Literal["competition"]
    object: Ref | None = None
    participants: list[Ref] = Field(default_factory=list)
    market: Ref | None = None

    @model_validator(mode="after")
    def _has_rivals(self) -> CompetitionFact:
        if self.object is None and not self.participants:
            raise ValueError("a competition needs an object or participants besides its subject")
        return self

    @property
    def rivals(self) -> list[str]:
        seen = dict.fromkeys([self.subject, *([self.object] if self.object else []), *self.participants])
        return list(seen)


class HeadwindFact(FactBase):
    kind: Literal["headwind_affects"]
    object: Ref = Field(description="the industry, market or organisation affected")


class StatementFact(FactBase):
    kind: Literal["statement"]
    in_response_to: Ref | None = None
    claims: list[str] = Field(default_factory=list)
    focus_areas: list[Ref] = Field(default_factory=list)


class FundingFact(FactBase):
    kind: Literal["funding"]
    investors: list[Ref] = Field(default_factory=list)
    amount: Amount | None = None
    valuation: Amount | None = None
    round: str | None = None


class PartnershipFact(FactBase):
    kind: Literal["partnership"]
    object: Ref


Fact = Annotated[
    LayoffFact
    | FinancialResultFact
    | ProductLaunchFact
    | DevelopsFact
    | CompetitionFact
    | HeadwindFact
    | StatementFact
    | FundingFact
    | PartnershipFact,
    Field(discriminator="kind"),
]
FactKind = Literal[
    "layoff",
    "financial_result",
    "product_launch",
    "develops",
    "competition",
    "headwind_affects",
    "statement",
    "funding",
    "partnership",
]
FACT_KINDS: tuple[str, ...] = get_args(FactKind)


class Entity(Model):
    """A company, unit, product, market, industry, headwind, topic or agent that facts refer to."""

    id: Slug
    type: EntityType
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    description: str | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    wikidata: str | None = Field(default=None, pattern=r"^Q[1-9][0-9]*$")
    website: WebAddress | None = None
    unit_of: Ref | None = None
    member_of: Ref | None = None
    developer: Ref | None = None
    industries: list[Ref] = Field(default_factory=list)
    markets: list[Ref] = Field(default_factory=list)
    merged: list[Slug] = Field(
        default_factory=list,
        description="identifiers of entities merged into this one by kgraph merge: their IRIs stay owl:sameAs it",
    )
    proposed: bool = False

    @model_validator(mode="after")
    def _unit_has_parent(self) -> Entity:
        if self.type == "BusinessUnit" and self.unit_of is None:
            raise ValueError("a business unit needs unit_of: the company it belongs to")
        if self.unit_of is not None and self.type != "BusinessUnit":
            raise ValueError("only a BusinessUnit has unit_of")
        if self.developer is not None and self.type not in PRODUCT_TYPES:
            raise ValueError("only a product has a developer")
        return self


class Source(Model):
    """The document a fact sheet's facts come from."""

    id: Slug
    type: Literal["news_article", "reference"] = "news_article"
    title: str | None = None
    url: WebAddress | None = None
    publisher: Ref | None = None
    published: DateValue | None = None
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    description: str | None = None
    based_on: Source | None = None


class FactSheet(Model):
    """One source with its entities and facts."""

    source: Source
    entities: list[Entity] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
