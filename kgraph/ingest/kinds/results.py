"""Financial results: metrics with amounts, the reporter's conversions, the year-on-year change, the period."""

from __future__ import annotations

import re
from decimal import Decimal

from kgraph.factsheet.models import Amount, Measurement, Period
from kgraph.ingest import lexicon
from kgraph.ingest.context import ArticleContext, Line
from kgraph.ingest.draft import Draft
from kgraph.ingest.quantities import FoundPeriod, find_money, find_percentages, find_period, signed_change

_CLAUSE_END = re.compile(r"[;:]")
_FORECAST = re.compile(r"\b(?:expect\w*|forecast\w*|looked for|consensus)\b|\b(?:last|previous) year['’]s")
_OF_METRIC = re.compile(r"\s*(?:\([^)]{0,30}\)\s*)?of\s+(?:its\s+|their\s+)?")
_CONVERSION = re.compile(
    r"\s*(?:\(\s*|,\s*)(?:or\s+|about\s+|approximately\s+|roughly\s+|equivalent to\s+|some\s+)?(?:about\s+)?"
)


def read(context: ArticleContext, line: Line) -> list[Draft]:
    """The financial result a sentence reports, merged into the draft of its company and period."""
    text = line.text
    if lexicon.FUNDING.search(text) and re.search(r"\b(rais|invest)", text, re.I):
        return []
    money = find_money(text)
    if not money:
        return []
    keywords: list[tuple[str, int, int, str]] = []
    for metric, pattern in lexicon.METRICS:
        for match in pattern.finditer(text):
            if not any(s <= match.start() < e for _, s, e, _ in keywords):
                keywords.append((metric, match.start(), match.end(), match.group()))
    if not keywords:
        return []
    keywords.sort(key=lambda item: item[1])
    subject, from_context = context.subject_before(line, keywords[0][1] + 1)
    owner = _owner_after(context, line, keywords[0][2])
    if from_context and owner is not None:
        subject, from_context = owner, False  # "Revenue at Tensor Labs fell 10%"
    if subject is None:
        return []
    found, note = _period(context, text)
    if found is None:
        return []
    measurements: dict[str, Measurement] = {}
    for position, (metric, start, _end, word) in enumerate(keywords):
        stop = keywords[position + 1][1] if position + 1 < len(keywords) else len(text)
        if metric == "net_income" and lexicon.ADJUSTED_CUES.search(text[:start]):
            metric = "adjusted_net_income"
        amounts = [
            m
            for m in money
            if start <= m.start < stop
            and not _prior(text, m.start, start)
            and not re.search(r"[;:]", text[start : m.start])
        ]
        ahead = next((m for m in money if _OF_METRIC.fullmatch(text[m.end : start])), None)
        if ahead is not None:  # "made 8.1 trillion won (S$7.64 billion) of operating profit"
            amounts = [ahead]
        if not amounts or metric in measurements:
            continue
        loss = bool(lexicon.LOSS_WORDS.search(word)) or bool(re.search(r"\bloss of\b", text[start : amounts[0].start]))
        sign = Decimal(-1) if loss else Decimal(1)
        values = [Amount(value=sign * amounts[0].value, currency=amounts[0].currency)]
        for converted in amounts[1:]:
            opening = text[amounts[0].end : converted.start]
            if _CONVERSION.fullmatch(opening) and all(a.currency != converted.currency for a in values):
                values.append(Amount(value=sign * converted.value, currency=converted.currency, converted=True))
        percents = [
            p
            for p in find_percentages(text[start:stop])
            if not re.match(r"\s*of\b", text[start + p.end : start + p.end + 5])
        ]
        change = signed_change(text[start:stop], percents[0]) if percents else None
        measurements[metric] = Measurement(metric=metric, amounts=values, yoy_change_percent=change, loss=loss)
    if not measurements:
        return []
    draft = context.draft(
        "financial_result", subject, key=found.period.key, period=found.period, note=note, confidence=0.9
    )
    for metric, measurement in measurements.items():
        draft.measurements.setdefault(metric, measurement)
    if from_context:
        draft.confidence = min(draft.confidence, 0.8)
    context.mark(subject, "company")
    return [draft]


def _owner_after(context: ArticleContext, line: Line, position: int) -> str | None:
    """The company a metric is said of right after it: "revenue at X", "net profit of X", "sales for X"."""
    linked = re.match(r"\s+(?:at|of|for)\s+(?:the\s+)?", line.text[position:])
    if linked is None:
        return None
    owner = next((m for m in line.mentions if m.start == position + linked.end()), None)
    return context.canonical(owner) if owner is not None and context.is_org(owner, line.text) else None


def _period(context: ArticleContext, text: str) -> tuple[FoundPeriod | None, str | None]:
    """The period a sentence reports on: written, else the one read before, else the year before publication."""
    found = find_period(text, published=context.published)
    note = None
    if found is None and context.focus.period is not None:
        found = context.focus.period
    if found is None and context.published is not None:
        year = context.published.year - 1
        found = FoundPeriod(Period(fiscal_year=year, label=f"FY{year}"), inferred_year=True)
        note = f"The article names no period; FY{year} assumed from the publication date."
    if found is None:
        return None, None
    context.focus.period = found
    if found.inferred_year and note is None:
        note = f"The year of {found.period.label} is taken from the publication date."
    return found, note


def _prior(text: str, money_start: int, segment_start: int) -> bool:
    """Whether an amount is a previous period's ("compared with a loss of 1.2 billion yuan a year earlier")."""
    before = text[max(segment_start, money_start - 30) : money_start]
    after = text[money_start : money_start + 45]
    if re.search(r"\bto\s+(?:about\s+|around\s+|some\s+)?$", before):
        return False  # "jumped 63% from a year earlier to RMB43.5 billion"
    if _FORECAST.search(before):
        return True  # a forecast or last year's figure
    return bool(re.search(r"\b(compared (?:with|to)|versus|vs\.?|from)\b", before)) or bool(
        re.search(r"^[^,;]*\b(a year (?:earlier|ago)|in the previous|last year)\b", after)
    )
