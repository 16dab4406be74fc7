"""Typed results of the Python API: companies, products, events, measurements, headwinds, sources.

Every result is a frozen pydantic model with ``to_dict()`` and an HTML table for notebooks (``_repr_html_``,
every value escaped). Lists of results and query rows are :class:`Results` / :class:`Rows`: lists with the same
notebook view, ``to_dicts()`` and ``to_pandas()`` (pandas is optional and imported only there).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from html import escape
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from kgraph.analytics.facts import decimal_text
from kgraph.errors import KgraphError

if TYPE_CHECKING:
    import pandas


class MissingPandasError(KgraphError, ImportError):
    """``to_pandas()`` needs pandas, which kgraph does not install."""


def _pandas() -> ModuleType:
    try:
        import pandas
    except ImportError:
        raise MissingPandasError("to_pandas() needs pandas: pip install pandas") from None
    return pandas


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Result):
        return escape(str(value))
    if isinstance(value, list | tuple):
        return escape(", ".join(str(v) for v in value))
    return escape(str(value))


def _table(columns: Sequence[str], rows: Iterable[Sequence[Any]], caption: str | None = None) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    title = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f'<table class="kgraph">{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


class Result(BaseModel):
    """Base of the API's results."""

    model_config = ConfigDict(frozen=True)

    def to_dict(self) -> dict[str, Any]:
        """Plain Python values (nested results as dicts)."""
        return self.model_dump()

    def _repr_html_(self) -> str:
        rows = [(name, getattr(self, name)) for name in type(self).model_fields]
        return _table(("field", "value"), rows, caption=type(self).__name__)


class Source(Result):
    """A document facts come from."""

    iri: str
    label: str
    publisher: str | None = None
    based_on: str | None = None
    based_on_publisher: str | None = None
    attributed_to: str | None = None
    estimate: bool = False

    def __str__(self) -> str:
        if self.publisher:
            return f"{self.label} ({self.publisher})"
        return self.label + (f" (citing {self.based_on_publisher})" if self.based_on_publisher else "")


class Entity(Result):
    """Something the landscape names: a company, a product, a market, a headwind..."""

    iri: str
    label: str
    type: str
    aliases: list[str] = []
    description: str | None = None

    def __str__(self) -> str:
        return self.label


class Company(Entity):
    """A company with what the graph says about it."""

    country: str | None = None
    wikidata: str | None = None
    industries: list[str] = []
    markets: list[str] = []
    units: list[str] = []
    products: list[str] = []
    competitors: list[str] = []


class Product(Entity):
    """A product and who develops it."""

    developers: list[str] = []


class Money(Result):
    """An amount of money: a decimal value and an ISO 4217 currency code."""

    value: Decimal
    currency: str
    converted: bool = False

    def __str__(self) -> str:
        return f"{self.currency} {decimal_text(self.value)}" + (
            " (converted by the reporter)" if self.converted else ""
        )


class Measurement(Result):
    """One metric of one company for one fiscal period, in every currency the source gives."""

    iri: str
    company: str
    metric: str
    period: str | None = None
    fiscal_year: int | None = None
    amounts: list[Money] = []
    year_on_year: Decimal | None = None
    is_loss: bool = False

    def amount(self, currency: str) -> Money | None:
        """The amount in ``currency`` (an ISO code), if the source gives one."""
        return next((a for a in self.amounts if a.currency.upper() == currency.upper()), None)

    @property
    def reported(self) -> Money | None:
        """The amount as the company reported it (not converted)."""
        return next((a for a in self.amounts if not a.converted), None)

    def __str__(self) -> str:
        change = f", {decimal_text(self.year_on_year)}% year on year" if self.year_on_year is not None else ""
        amounts = " / ".join(str(a) for a in self.amounts)
        return f"{self.company} {self.metric} {self.period or ''}: {amounts}{change}"


class Event(Result):
    """Something that happened to a company, with its date at the precision the source gives."""

    iri: str
    kind: str
    label: str
    company: str | None = None
    date: str | None = None
    earliest: dt.date | None = None
    latest: dt.date | None = None
    inferred: bool = False
    sources: list[str] = []

    def __str__(self) -> str:
        return self.label


class WorkforceReduction(Result):
    """How much a unit was cut in a layoff, and who says so."""

    unit: str
    min_share: Decimal | None = None
    max_share: Decimal | None = None
    headcount: int | None = None
    estimate: bool = False
    estimated_by: str | None = None

    def __str__(self) -> str:
        if self.min_share is not None and self.max_share is not None:
            low, high = decimal_text(self.min_share), decimal_text(self.max_share)
            size = f"{low}%" if low == high else f"{low}–{high}%"
        else:
            size = f"{self.headcount} jobs"
        return f"{self.unit}: {size}" + (" (estimate)" if self.estimate else "")


class SeveranceTerm(Result):
    """An N+k severance rule and who it applies to."""

    formula: str
    additional_months: int | None = None
    applies_to: list[str] = []
    base: str | None = None
    extras: list[str] = []

    def __str__(self) -> str:
        return f"{self.formula} for {', '.join(self.applies_to)}"


class Layoff(Event):
    """A round of job cuts."""

    units: list[str] = []
    scope: str | None = None
    scale: str | None = None
    notice_period: str | None = None
    reductions: list[WorkforceReduction] = []
    severance: list[SeveranceTerm] = []


class ProductLaunch(Event):
    """The introduction of a product."""

    product: str | None = None


class FinancialResults(Event):
    """The report of a company's figures for a fiscal period."""

    period: str | None = None
    trend: str | None = None


class CorporateStatement(Event):
    """A public statement, with its claims."""

    claims: list[str] = []
    in_response_to: str | None = None
    focus_areas: list[str] = []


#: Event models by the event's class (local name); other kinds are plain :class:`Event`.
EVENT_MODELS: dict[str, type[Event]] = {
    "Layoff": Layoff,
    "ProductLaunch": ProductLaunch,
    "FinancialResults": FinancialResults,
    "CorporateStatement": CorporateStatement,
}


class Headwind(Result):
    """A headwind, what it weighs on, and the companies there."""

    iri: str
    label: str
    affects: str
    companies: list[str] = []
    sources: list[str] = []

    def __str__(self) -> str:
        return f"{self.label} weighs on {self.affects}"


class Conflict(Result):
    """A value two sources disagree on: a figure (company, metric, period, currency) or a launch date."""

    entity: str
    aspect: str
    value: Any
    source: str
    other_value: Any
    other_source: str
    fact: str
    other_fact: str

    @property
    def label(self) -> str:
        return f"{self.entity} {self.aspect}: {self.value} ({self.source}) or {self.other_value} ({self.other_source})"

    def __str__(self) -> str:
        return self.label


ResultT = TypeVar("ResultT", bound=Result)


class Results(list[ResultT], Generic[ResultT]):
    """A list of results with a notebook view, ``to_dicts()`` and ``to_pandas()``."""

    def to_dicts(self) -> list[dict[str, Any]]:
        return [item.to_dict() for item in self]

    def to_pandas(self) -> pandas.DataFrame:
        """A pandas DataFrame with a column per field (needs pandas)."""
        return _pandas().DataFrame(self.to_dicts())

    def labels(self) -> list[str]:
        """The label (or text) of each result."""
        return [getattr(item, "label", str(item)) for item in self]

    def _repr_html_(self) -> str:
        if not self:
            return _table(("(no results)",), [])
        columns = list(type(self[0]).model_fields)
        return _table(columns, ([getattr(item, c, None) for c in columns] for item in self))


class Rows(list[dict[str, Any]]):
    """Rows of a SPARQL SELECT: each a dict of variable -> Python value (unbound variables are None)."""

    def __init__(self, variables: Sequence[str], rows: Iterable[dict[str, Any]] = ()) -> None:
        super().__init__(rows)
        self.variables = list(variables)

    def to_dicts(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self]

    def to_pandas(self) -> pandas.DataFrame:
        """A pandas DataFrame with a column per variable (needs pandas)."""
        return _pandas().DataFrame(self.to_dicts(), columns=self.variables)

    def column(self, name: str) -> list[Any]:
        return [row.get(name) for row in self]

    def _repr_html_(self) -> str:
        return _table(self.variables, ([row.get(v) for v in self.variables] for row in self))
