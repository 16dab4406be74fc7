"""Money, percentages, headcounts and fiscal periods as news prose writes them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kgraph.ingest.quantities import find_headcounts, find_money, find_percentages, find_period, signed_change


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("revenue of RMB 3.809 billion", "3809000000", "CNY"),
        ("raised 2.5bn yuan this year", "2500000000", "CNY"),
        ("worth $520 million", "520000000", "USD"),
        ("values it at US$1 billion", "1000000000", "USD"),
        ("a loss of ¥3.8bn", "3800000000", "CNY"),
        ("bought back HK$3.5 billion of shares", "3500000000", "HKD"),
        ("(USD 520 million)", "520000000", "USD"),
        ("a net loss of 870 million yuan", "870000000", "CNY"),
        ("15 million euros", "15000000", "EUR"),
        ("RMB3.8bn", "3800000000", "CNY"),
        ("an operating loss of 2.9 trillion won", "2900000000000", "KRW"),
        ("$10,500 per seat", "10500", "USD"),
    ],
)
def test_money_spellings(text: str, value: str, currency: str) -> None:
    [money] = find_money(text)
    assert money.value == Decimal(value)
    assert money.currency == currency
    assert text[money.start : money.end].strip("() ")


def test_money_never_from_plain_numbers_or_years() -> None:
    assert find_money("In 2022 it had 10,000 employees and 5% growth") == []


def test_reported_amount_and_conversion_are_both_found_in_order() -> None:
    found = find_money("RMB 6.093 billion (USD 840 million)")
    assert [(m.value, m.currency) for m in found] == [(Decimal(6093000000), "CNY"), (Decimal(840000000), "USD")]


@pytest.mark.parametrize(
    ("text", "low", "high", "change"),
    [
        ("reduced by 10-15%", 10, 15, 10),
        ("10% to 15% of its staff", 10, 15, 10),
        ("sales were cut 10%", 10, 10, -10),
        ("revenue was down 19%", 19, 19, -19),
        ("a year-on-year decrease of 19%", 19, 19, -19),
        ("net income rose 39% to", 39, 39, 39),
        ("about 5% of its workforce", 5, 5, 5),
        ("fell 2.5 percent", Decimal("2.5"), Decimal("2.5"), Decimal("-2.5")),
        ("up 10% year on year", 10, 10, 10),
    ],
)
def test_percentages_ranges_and_direction(text: str, low: object, high: object, change: object) -> None:
    [percent] = find_percentages(text)
    assert (percent.low, percent.high) == (Decimal(low), Decimal(high))
    assert signed_change(text, percent) == Decimal(change)


def test_headcounts() -> None:
    found = find_headcounts("it will cut 10,000 jobs, about 300 employees, not 200,000 Chinese characters")
    assert [h.value for h in found] == [10000, 300]


@pytest.mark.parametrize(
    ("text", "label", "start", "end", "inferred"),
    [
        ("total revenue in 2022 was", "FY2022", "2022-01-01", "2022-12-31", False),
        ("FY2023 results", "FY2023", "2023-01-01", "2023-12-31", False),
        ("for the fourth quarter", "Q4 2022", "2022-10-01", "2022-12-31", True),
        ("third-quarter revenue", "Q3 2022", "2022-07-01", "2022-09-30", True),
        ("Q1 2023 sales", "Q1 2023", "2023-01-01", "2023-03-31", False),
        ("for the first three quarters of 2023", "9M 2023", "2023-01-01", "2023-09-30", False),
        ("in the first half", "H1 2022", "2022-01-01", "2022-06-30", True),
    ],
)
def test_fiscal_periods(text: str, label: str, start: str, end: str, inferred: bool) -> None:
    found = find_period(text, published=dt.date(2023, 4, 12))
    assert found is not None
    assert found.period.label == label
    assert (found.period.start.isoformat(), found.period.end.isoformat()) == (start, end)
    assert found.inferred_year is inferred


def test_no_period_without_one() -> None:
    assert find_period("revenue grew strongly", published=None) is None


def test_numbers_written_as_words() -> None:
    [money] = find_money("Google will put as much as two billion dollars into Anthropic")
    assert (money.value, money.currency) == (Decimal(2_000_000_000), "USD")
    [share] = find_percentages("roughly six per cent of its employees")
    assert (share.low, share.high) == (Decimal(6), Decimal(6))
    assert find_money("one of the people said") == [] and find_headcounts("Two departments were spared") == []
