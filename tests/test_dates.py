"""Partial dates: one parser for the fact sheets, the API, the projection and the command line."""

from __future__ import annotations

import datetime as dt

import pytest

from kgraph.dates import DateError, bound, precision, span
from kgraph.errors import KgraphError


@pytest.mark.parametrize(
    ("text", "form", "first", "last"),
    [
        ("2023", "year", dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
        ("2024-02", "month", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2023-04-10", "day", dt.date(2023, 4, 10), dt.date(2023, 4, 10)),
    ],
)
def test_a_partial_date_covers_its_days(text: str, form: str, first: dt.date, last: dt.date) -> None:
    assert precision(text) == form
    assert span(text) == (first, last)
    assert bound(text, last=False) == first and bound(f" {text} ", last=True) == last


@pytest.mark.parametrize(
    ("text", "why"),
    [("April 2023", "write YYYY"), ("2023-13", "no month 13"), ("2023-02-30", "does not exist"), ("23", "write")],
)
def test_what_is_no_date_is_one_kind_of_error(text: str, why: str) -> None:
    with pytest.raises(DateError, match=why) as caught:
        span(text)
    assert isinstance(caught.value, KgraphError) and isinstance(caught.value, ValueError)


def test_bounds_pass_dates_and_nothing_through() -> None:
    assert bound(dt.date(2023, 5, 1), last=True) == dt.date(2023, 5, 1)
    assert bound(None, last=False) is None
