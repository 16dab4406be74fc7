"""Partial dates: a year, a month or a day (``2023``, ``2023-04``, ``2023-04-10``), and the days each one covers.

>>> span("2023-02")
(datetime.date(2023, 2, 1), datetime.date(2023, 2, 28))
>>> bound("2023", last=True)
datetime.date(2023, 12, 31)
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Literal

from kgraph.errors import KgraphError

Precision = Literal["year", "month", "day"]
_FORM = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_PRECISIONS: tuple[Precision, ...] = ("year", "month", "day")


class DateError(KgraphError, ValueError):
    """Text that is not a date (YYYY, YYYY-MM or YYYY-MM-DD), or not one of the calendar."""


def precision(text: str) -> Precision:
    """Whether ``text`` names a year, a month or a day; :class:`DateError` when it is no date."""
    parts = _parts(text)
    return _PRECISIONS[len(parts) - 1]


def span(text: str) -> tuple[dt.date, dt.date]:
    """The first and the last day that ``text`` covers; :class:`DateError` when it is no date."""
    parts = _parts(text)
    year = parts[0]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    first, last = (parts[1], parts[1]) if len(parts) == 2 else (1, 12)
    return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])


def bound(value: str | dt.date | None, *, last: bool) -> dt.date | None:
    """The first day ``value`` covers, or its last if ``last`` (a date is itself, ``None`` stays ``None``)."""
    if value is None or isinstance(value, dt.date):
        return value
    return span(str(value).strip())[1 if last else 0]


def _parts(text: str) -> list[int]:
    match = _FORM.fullmatch(text)
    if not match:
        raise DateError(f"{text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(part) for part in match.groups() if part is not None]
    if parts[0] < 1:
        raise DateError(f"{text!r} is not a date: it has no year 0 (years start at 0001)")
    if len(parts) >= 2 and not 1 <= parts[1] <= 12:
        raise DateError(f"{text!r} is not a date: it has no month {parts[1]}")
    if len(parts) == 3:
        try:
            dt.date(*parts)
        except ValueError as error:
            raise DateError(f"{text!r} is not a date: it does not exist ({error})") from None
    return parts
