"""Dates in news prose, resolved against the publication date, with their precision and what was inferred."""

from __future__ import annotations

import datetime as dt

import pytest

from kgraph.ingest.dates import find_dates

PUBLISHED = dt.date(2023, 10, 19)  # a Thursday


@pytest.mark.parametrize(
    ("text", "value", "precision", "inferred"),
    [
        ("Baidu on Tuesday unveiled", "2023-10-17", "day", True),
        ("the company said on Thursday", "2023-10-19", "day", True),
        ("In April, SenseTime introduced", "2023-04", "month", True),
        ("launched in November", "2022-11", "month", True),
        ("launched Kimi last October", "2022-10", "month", True),
        ("last March", "2023-03", "month", True),
        ("on March 14, 2023", "2023-03-14", "day", False),
        ("on 14 March 2023", "2023-03-14", "day", False),
        ("in March 2022", "2022-03", "month", False),
        ("placed on the list in 2019", "2019", "year", False),
        ("on May 5", "2023-05-05", "day", True),
        ("yesterday", "2023-10-18", "day", True),
        ("last year", "2022", "year", True),
        ("earlier this month", "2023-10", "month", True),
        ("unveiled in mid-March", "2023-03", "month", True),
        ("founded in late 2021", "2021", "year", False),
    ],
)
def test_relative_and_absolute_dates(text: str, value: str, precision: str, inferred: bool) -> None:
    [found] = find_dates(text, published=PUBLISHED)
    assert found.value.value == value
    assert found.value.precision == precision
    assert found.value.inferred is inferred
    if inferred:
        assert "2023-10-19" in found.value.note


def test_relative_dates_need_a_publication_date() -> None:
    assert find_dates("In April, it launched a model", published=None) == []
    assert [d.value.value for d in find_dates("in March 2022", published=None)] == ["2022-03"]


def test_deadlines_and_lowercase_may_are_not_dates() -> None:
    assert find_dates("cut jobs by the end of March", published=PUBLISHED) == []
    assert find_dates("it may launch in may", published=PUBLISHED) == []


def test_a_sentence_may_open_with_the_date() -> None:
    published = dt.date(2023, 3, 14)
    assert [
        d.value.value for d in find_dates("In November 2022 the group let go of 11,000 people", published=published)
    ] == ["2022-11"]
    assert [d.value.value for d in find_dates("On Monday it said so", published=published)] == ["2023-03-13"]


def test_last_month_is_the_month_before_publication() -> None:
    [found] = find_dates("Last month the company published two models", published=dt.date(2024, 1, 12))
    assert (found.value.value, found.value.inferred) == ("2023-12", True)


def test_that_month_and_that_year_refer_to_the_date_written_before() -> None:
    earlier = find_dates("Shares climbed in June", published=PUBLISHED)[0].value
    [late] = find_dates("Late that month it put out a model", published=PUBLISHED, earlier=earlier)
    assert (late.value.value, late.value.inferred) == ("2023-06", True)
    found = find_dates("It was founded in July 2021 and in November of that year it raised money", published=PUBLISHED)
    assert [d.value.value for d in found] == ["2021-07", "2021-11"]
    assert [d.value.value for d in find_dates("Later that year it grew", earlier=earlier)] == ["2023"]
    assert find_dates("Late that month it put out a model", published=PUBLISHED) == []
