"""Numbers in news prose: money in its usual spellings, percentages and ranges, headcounts and fiscal periods."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from kgraph.factsheet.models import Period

#: Numbers written as words ("two billion dollars", "six per cent").
WORD_NUMBERS = {
    word: index
    for index, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_NUMBER = (
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|(?:" + "|".join(sorted(WORD_NUMBERS, key=len, reverse=True)) + r")\b"
)
_SCALE = r"trillion|billion|million|thousand|tn|bn|mn|mln|m|b|k"
SCALES = {
    "trillion": Decimal(10) ** 12,
    "tn": Decimal(10) ** 12,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "b": Decimal(10) ** 9,
    "million": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "mln": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
    "thousand": Decimal(1000),
    "k": Decimal(1000),
}
#: Currency spellings written before the number, to ISO 4217 codes ("$" alone is taken as US dollars).
PREFIX_CURRENCIES = {
    "us$": "USD",
    "usd": "USD",
    "$": "USD",
    "hk$": "HKD",
    "hkd": "HKD",
    "nt$": "TWD",
    "s$": "SGD",
    "a$": "AUD",
    "c$": "CAD",
    "rmb": "CNY",
    "cny": "CNY",
    "¥": "CNY",
    "￥": "CNY",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "jpy": "JPY",
    "krw": "KRW",
    "₩": "KRW",
}
#: Currency words written after the number.
SUFFIX_CURRENCIES = {
    "yuan": "CNY",
    "renminbi": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "us dollars": "USD",
    "dollars": "USD",
    "usd": "USD",
    "hong kong dollars": "HKD",
    "hk dollars": "HKD",
    "hkd": "HKD",
    "euros": "EUR",
    "eur": "EUR",
    "pounds": "GBP",
    "yen": "JPY",
    "won": "KRW",
}
_PREFIX = "|".join(re.escape(k) for k in sorted(PREFIX_CURRENCIES, key=len, reverse=True))
_SUFFIX = "|".join(re.escape(k) for k in sorted(SUFFIX_CURRENCIES, key=len, reverse=True))
_MONEY = re.compile(
    rf"(?<![\w$])(?P<prefix>{_PREFIX})\s?(?P<n1>{_NUMBER})(?:\s?(?P<s1>{_SCALE})\b)?(?:\s+(?P<suffix1>{_SUFFIX})\b)?"
    rf"|(?<![\w.,])(?P<n2>{_NUMBER})(?:\s?(?P<s2>{_SCALE}))?\s+(?P<suffix2>{_SUFFIX})\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(
    rf"(?<![\w.])(?P<low>{_NUMBER})\s*(?:%|percent|per cent)?\s*(?:-|–|—|to)\s*"
    rf"(?P<high>{_NUMBER})\s*(?:%|percent\b|per cent\b)"
    rf"|(?<![\w.])(?P<single>{_NUMBER})\s*(?:%|percent\b|per cent\b)",
    re.IGNORECASE,
)
_HEADCOUNT = re.compile(
    rf"(?<![\w.$])(?P<n>{_NUMBER})(?:\s?(?P<s>thousand|k)\b)?\s+(?:(?:more|new|full-time|of\s+its|of\s+their)\s+)?"
    r"(?P<noun>jobs|employees|workers|staff|staffers|people|positions|roles|engineers)\b",
    re.IGNORECASE,
)
_DOWN = re.compile(
    r"\b(down|fell|fall|falls|falling|drop|dropped|drops|declin\w*|decreas\w*|slump\w*|plunge\w*|lower|shrank|"
    r"shrink\w*|slid|slide|sank|narrow\w*|contract\w*|cut)\b",
    re.IGNORECASE,
)
_UP = re.compile(
    r"\b(up|rose|rise|rises|rising|gain\w*|grew|grow\w*|increas\w*|jump\w*|climb\w*|surg\w*|soar\w*|higher|"
    r"widen\w*|expand\w*)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Money:
    """An amount of money found in text, with its span."""

    value: Decimal
    currency: str
    start: int
    end: int


@dataclass(frozen=True)
class Percent:
    """A percentage or a range of percentages found in text, with its span."""

    low: Decimal
    high: Decimal
    start: int
    end: int


@dataclass(frozen=True)
class Headcount:
    """A number of people or jobs found in text."""

    value: int
    start: int
    end: int


def number(text: str) -> Decimal:
    """``"10,000"`` -> ``Decimal(10000)``, ``"six"`` -> ``Decimal(6)``."""
    word = WORD_NUMBERS.get(text.lower())
    return Decimal(word) if word is not None else Decimal(text.replace(",", ""))


def _scaled(digits: str, scale: str | None) -> Decimal:
    value = number(digits) * SCALES.get((scale or "").lower(), Decimal(1))
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def find_money(text: str) -> list[Money]:
    """Every amount of money in ``text``: "RMB 3.809 billion", "2.5bn yuan", "$520 million", "US$1 billion"..."""
    found = []
    for match in _MONEY.finditer(text):
        if match.group("prefix") is not None:
            code = PREFIX_CURRENCIES[match.group("prefix").lower()]
            suffix = match.group("suffix1")
            if suffix and SUFFIX_CURRENCIES[suffix.lower()] != code and match.group("prefix") in ("$", "¥"):
                code = SUFFIX_CURRENCIES[suffix.lower()]
            value = _scaled(match.group("n1"), match.group("s1"))
        else:
            code = SUFFIX_CURRENCIES[match.group("suffix2").lower()]
            value = _scaled(match.group("n2"), match.group("s2"))
        found.append(Money(value, code, match.start(), match.end()))
    return found


def find_percentages(text: str) -> list[Percent]:
    """Every percentage or range: "19%", "10-15%", "10% to 15%", "5 percent"."""
    found = []
    for match in _PERCENT.finditer(text):
        if match.group("single") is not None:
            low = high = number(match.group("single"))
        else:
            low, high = sorted((number(match.group("low")), number(match.group("high"))))
        found.append(Percent(low, high, match.start(), match.end()))
    return found


def find_headcounts(text: str) -> list[Headcount]:
    """Numbers of jobs or people: "10,000 jobs", "about 300 employees", "1.2 thousand workers"."""
    found = []
    for match in _HEADCOUNT.finditer(text):
        value = number(match.group("n")) * (1000 if match.group("s") else 1)
        if value == value.to_integral_value() and value >= 1:
            found.append(Headcount(int(value), match.start(), match.end()))
    return found


def signed_change(text: str, percent: Percent) -> Decimal:
    """The change a percentage describes, negative when the words around it say it went down."""
    before = text[max(0, percent.start - 40) : percent.start]
    after = text[percent.end : percent.end + 30]
    clause = re.split(r"[,;]", before)[-1]
    words_after = re.split(r"[,;]", after)[0]
    down = list(_DOWN.finditer(clause)) + list(_DOWN.finditer(words_after))
    up = list(_UP.finditer(clause)) + list(_UP.finditer(words_after))
    if down and not up:
        return -percent.low
    if down and up:
        last_down = max(m.start() for m in _DOWN.finditer(clause)) if _DOWN.search(clause) else -1
        last_up = max(m.start() for m in _UP.finditer(clause)) if _UP.search(clause) else -1
        return -percent.low if last_down > last_up else percent.low
    return percent.low


# -- fiscal periods -----------------------------------------------------------------------------------------------

_ORDINAL_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_QUARTER = re.compile(
    r"\b(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]quarter|Q(?P<q>[1-4]))"
    r"(?:\s+(?:of\s+)?(?:fiscal\s+|FY\s?)?(?P<year>(?:19|20)\d{2}))?",
    re.IGNORECASE,
)
_NINE_MONTHS = re.compile(
    r"\b(?:first\s+three\s+quarters|first\s+nine\s+months|nine\s+months)(?:\s+(?:of|to\s+\w+)\s+(?P<year>(?:19|20)\d{2}))?",
    re.IGNORECASE,
)
_HALF = re.compile(
    r"\b(?:(?P<which>first|second)[\s-]half|H(?P<h>[12]))(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d{2}))?", re.IGNORECASE
)
_FISCAL_YEAR = re.compile(r"\b(?:FY\s?|fiscal\s+(?:year\s+)?)(?P<year>(?:19|20)\d{2}|\d{2})\b", re.IGNORECASE)
_PLAIN_YEAR = re.compile(r"\b(?:in|for|of|during)\s+(?P<year>(?:19|20)\d{2})\b", re.IGNORECASE)
_THE_YEAR = re.compile(r"\b(?:for|in)\s+the\s+(?:full\s+)?year\b|\bannual\b|\bfull-year\b", re.IGNORECASE)


@dataclass(frozen=True)
class FoundPeriod:
    """A fiscal period named in text, and whether its year came from the publication date."""

    period: Period
    inferred_year: bool = False


def _quarter_period(quarter: int, year: int) -> Period:
    start = dt.date(year, 3 * quarter - 2, 1)
    end_month = 3 * quarter
    end = (dt.date(year + (end_month == 12), end_month % 12 + 1, 1)) - dt.timedelta(days=1)
    return Period(label=f"Q{quarter} {year}", start=start, end=end)


def _last_completed_year(published: dt.date | None, ends_month: int) -> int | None:
    """The year of the latest period ending in ``ends_month`` that ended before ``published``."""
    if published is None:
        return None
    return published.year if published.month > ends_month else published.year - 1


def find_period(text: str, *, published: dt.date | None = None) -> FoundPeriod | None:
    """The fiscal period a sentence reports on: "2022", "FY2023", "the fourth quarter", "first three quarters"."""
    if match := _NINE_MONTHS.search(text):
        year = int(match.group("year")) if match.group("year") else _last_completed_year(published, 9)
        if year is not None:
            period = Period(label=f"9M {year}", start=dt.date(year, 1, 1), end=dt.date(year, 9, 30))
            return FoundPeriod(period, inferred_year=not match.group("year"))
    if match := _QUARTER.search(text):
        quarter = _ORDINAL_QUARTERS[match.group("ord").lower()] if match.group("ord") else int(match.group("q"))
        year = int(match.group("year")) if match.group("year") else _last_completed_year(published, 3 * quarter)
        if year is not None:
            return FoundPeriod(_quarter_period(quarter, year), inferred_year=not match.group("year"))
    if match := _HALF.search(text):
        half = 1 if (match.group("which") or "").lower() == "first" or match.group("h") == "1" else 2
        year = int(match.group("year")) if match.group("year") else _last_completed_year(published, 6 * half)
        if year is not None:
            start, end = (
                (dt.date(year, 1, 1), dt.date(year, 6, 30))
                if half == 1
                else (dt.date(year, 7, 1), dt.date(year, 12, 31))
            )
            return FoundPeriod(
                Period(label=f"H{half} {year}", start=start, end=end), inferred_year=not match.group("year")
            )
    if match := _FISCAL_YEAR.search(text):
        year = int(match.group("year"))
        year = year + 2000 if year < 100 else year
        return FoundPeriod(Period(fiscal_year=year, label=f"FY{year}"))
    if match := _PLAIN_YEAR.search(text):
        year = int(match.group("year"))
        return FoundPeriod(Period(fiscal_year=year, label=f"FY{year}"))
    if _THE_YEAR.search(text) and published is not None:
        year = published.year - 1
        return FoundPeriod(Period(fiscal_year=year, label=f"FY{year}"), inferred_year=True)
    return None
