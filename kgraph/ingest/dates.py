"""Dates in news prose, resolved against the publication date at the precision the text gives them.

"on Thursday" is the last Thursday on or before publication (a day), "in April" the last April not after it (a
month), "last March" the March before the publication month. Whatever the text leaves out and the publication
date supplies is marked ``inferred`` with a note saying so.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from kgraph.factsheet.models import DateValue

MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): index for index, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}
_MONTH = r"(?P<month>" + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(name for name in calendar.day_name) + r")"

_PATTERNS = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    (
        "day_month_year",
        re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>(?:19|20)\d{{2}})\b"),
    ),
    ("month_day_year", re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,\s*(?P<year>(?:19|20)\d{{2}})\b")),
    ("month_day", re.compile(rf"\b(?i:on\s+)?{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?![,\s]*\d)")),
    (
        "day_month",
        re.compile(rf"\b(?i:on)\s+(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?!,?\s*\d)"),
    ),
    ("month_year", re.compile(rf"\b(?i:in|since|from|during|by|last)\s+{_MONTH},?\s+(?P<year>(?:19|20)\d{{2}})\b")),
    ("last_month", re.compile(rf"\b(?i:last)\s+{_MONTH}\b(?!,?\s*\d)")),
    (
        "in_month",
        re.compile(
            rf"\b(?:(?:in|since|during|early|late)\s+|mid-\s*|mid\s+){_MONTH}\b"
            r"(?!,?\s*\d|\s+of\s+(?:that|the same) year)",
            re.IGNORECASE,
        ),
    ),
    ("weekday", re.compile(rf"\b(?i:on|last|this|since)\s+{_WEEKDAY}\b")),
    ("relative_day", re.compile(r"\b(?P<word>today|yesterday)\b", re.IGNORECASE)),
    ("previous_month", re.compile(r"\b(?:last|earlier|the previous) month\b", re.IGNORECASE)),
    ("last_year", re.compile(r"\blast\s+year\b", re.IGNORECASE)),
    (
        "year",
        re.compile(r"\b(?i:in|since|during)\s+(?i:(?:early|late|mid-)\s*)?(?P<year>(?:19|20)\d{2})\b(?!\s*[-–]\s*\d)"),
    ),
    ("this_month", re.compile(r"\b(?:earlier |later )?this month\b", re.IGNORECASE)),
    ("month_that_year", re.compile(rf"\b{_MONTH}\s+of\s+(?:that|the same) year\b", re.IGNORECASE)),
    ("that_month", re.compile(r"\b(?:that|the same) month\b", re.IGNORECASE)),
    ("that_year", re.compile(r"\b(?:that|the same) year\b", re.IGNORECASE)),
]


#: Dates that refer to the one written before them ("in November of that year", "that month").
_ANAPHORIC = ("month_that_year", "that_month", "that_year")


@dataclass(frozen=True)
class FoundDate:
    """A date found in text: its value and span."""

    value: DateValue
    start: int
    end: int
    text: str


def _month(match: re.Match[str]) -> int:
    return MONTHS[match.group("month").lower().rstrip(".")]


def _inferred(value: str, what: str, published: dt.date) -> DateValue:
    note = f"{what} (published {published.isoformat()})"
    return DateValue(value=value, inferred=True, note=note)


def resolve(
    kind: str, match: re.Match[str], published: dt.date | None, earlier: DateValue | None = None
) -> DateValue | None:
    """The date one pattern's match stands for, or None when it needs a publication date (or, for "that month", a
    date written before it) that is missing."""
    if kind in _ANAPHORIC:
        return _anaphoric(kind, match, earlier)
    if kind == "iso":
        return DateValue(value=match.group(), precision="day")
    if kind in ("day_month_year", "month_day_year"):
        return DateValue(value=f"{match.group('year')}-{_month(match):02d}-{int(match.group('day')):02d}")
    if kind == "month_year":
        return DateValue(value=f"{match.group('year')}-{_month(match):02d}")
    if kind == "year":
        return DateValue(value=match.group("year"))
    if published is None:
        return None
    if kind in ("month_day", "day_month"):
        month, day = _month(match), int(match.group("day"))
        year = published.year if (month, day) <= (published.month, published.day) else published.year - 1
        return _inferred(f"{year}-{month:02d}-{day:02d}", "no year given: the last such day", published)
    if kind == "last_month":
        month = _month(match)
        year = published.year if month < published.month else published.year - 1
        name = calendar.month_name[month]
        return _inferred(f"{year}-{month:02d}", f"'last {name}' read as the {name} before this month", published)
    if kind == "in_month":
        month = _month(match)
        year = published.year if month <= published.month else published.year - 1
        name = calendar.month_name[month]
        return _inferred(f"{year}-{month:02d}", f"no year given: the last {name}", published)
    if kind == "weekday":
        weekday = WEEKDAYS[match.group("weekday").lower()]
        back = (published.weekday() - weekday) % 7
        if match.group().lower().startswith("last") and back == 0:
            back = 7
        weekday_date = published - dt.timedelta(days=back)
        name = match.group("weekday")
        return _inferred(
            weekday_date.isoformat(), f"'{name}' read as the last {name} on or before publication", published
        )
    if kind == "relative_day":
        named_day = published - dt.timedelta(days=1 if match.group("word").lower() == "yesterday" else 0)
        return _inferred(named_day.isoformat(), f"'{match.group('word').lower()}' read as a day", published)
    if kind == "previous_month":
        year, month = (published.year, published.month - 1) if published.month > 1 else (published.year - 1, 12)
        return _inferred(f"{year}-{month:02d}", "'last month' read as the month before publication", published)
    if kind == "this_month":
        return _inferred(
            f"{published.year}-{published.month:02d}", "'this month' read as the month of publication", published
        )
    if kind == "last_year":
        return _inferred(str(published.year - 1), "'last year' read as the year before", published)
    return None


def _anaphoric(kind: str, match: re.Match[str], earlier: DateValue | None) -> DateValue | None:
    """Dates such as "that month", "the same year", "November of that year": read with the year (and month) of
    the date written before."""
    if earlier is None or (kind == "that_month" and len(earlier.value) < 7):
        return None
    if kind == "month_that_year":
        value = f"{earlier.value[:4]}-{_month(match):02d}"
    else:
        value = earlier.value[:7] if kind == "that_month" else earlier.value[:4]
    return DateValue(value=value, inferred=True, note=f"'{match.group().lower()}' read as {value}, the date before it")


def find_dates(text: str, *, published: dt.date | None = None, earlier: DateValue | None = None) -> list[FoundDate]:
    """Every date in ``text`` that can be resolved, in order; overlapping matches keep the most precise. "That month"
    and "the same year" refer to the date written before them in ``text``, else to ``earlier``."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if kind in ("in_month", "month_that_year") and not match.group("month")[0].isupper():
                continue
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            before = text[max(0, match.start() - 12) : match.start()].lower()
            if "end of" in before or "until" in before:
                continue
            try:
                previous = max((d for d in found if d.end <= match.start()), key=lambda d: d.start, default=None)
                value = resolve(kind, match, published, previous.value if previous else earlier)
            except ValueError:
                continue
            if value is not None:
                found.append(FoundDate(value, match.start(), match.end(), match.group()))
                taken.append((match.start(), match.end()))
    return sorted(found, key=lambda date: date.start)


def publication_date(value: DateValue | None) -> dt.date | None:
    """The publication date as a day, when it is known to the day."""
    if value is None or value.precision != "day":
        return None
    return value.earliest
