"""What the Timeline and Table tabs show: the events of each company and its figures, as references into the page's
node facts (so nothing is written twice) plus the numbers the chart and the sorting need.

A projection (see :mod:`kgraph.analytics.projection`) already holds every company's events and figures as fact
dicts told in words. Two things it leaves out are added to the graph by :func:`annotate` from the store:
``event_kinds`` (the fact kinds under ``kg:Event``, from the ontology) and ``figures`` (the rows of the
``financials`` named question for every company: one per amount, with its value, currency and period). A graph
without them (a synthetic landscape, a hand-made projection) still gets a timeline: every dated fact other than a
financial measurement counts as an event.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal
from typing import Any

import networkx as nx

from kgraph.store.base import SelectResult, Store

#: Classes whose nodes get a lane on the timeline and rows in the tables.
COMPANY_CLASSES = frozenset({"Company"})
FIGURE_KIND = "FinancialMeasurement"


def figure_rows(store: Store) -> list[dict[str, Any]]:
    """Every company's figures: the ``financials`` named question with its company left free, one row per amount."""
    from kgraph.queries import get

    result = store.query(get("financials").sparql)
    if not isinstance(result, SelectResult):  # pragma: no cover - a bundled SELECT
        raise TypeError("financials.rq is not a SELECT query")
    rows = []
    for row in result:
        year = row["fiscalYear"].value if "fiscalYear" in row else None
        change = row["yearOnYearChange"].value if "yearOnYearChange" in row else None
        rows.append(
            {
                "company": row["company"].value,
                "measurement": row["measurement"].value,
                "metric": row["metricLabel"].value if "metricLabel" in row else None,
                "period": row["periodLabel"].value if "periodLabel" in row else None,
                "year": int(year) if year and year.lstrip("-").isdigit() else None,
                "value": float(Decimal(row["value"].value)),
                "currency": row["currencyCode"].value,
                "converted": "converted" in row and row["converted"].value in ("true", "1"),
                "change": float(Decimal(change)) if change is not None else None,
                "loss": "isLoss" in row and row["isLoss"].value in ("true", "1"),
            }
        )
    return rows


def annotate(graph: nx.MultiDiGraph, store: Store) -> nx.MultiDiGraph:
    """Add ``event_kinds`` and ``figures`` (see the module docstring) to ``graph``'s attributes; returns it."""
    from kgraph.analytics.projection import ClassTable

    classes = ClassTable.read(store)
    graph.graph["event_kinds"] = sorted(k for k in graph.graph.get("kind_labels", {}) if classes.is_a(k, ("Event",)))
    graph.graph["figures"] = figure_rows(store)
    return graph


def _is_company(attrs: Mapping[str, Any]) -> bool:
    return bool(COMPANY_CLASSES & set(attrs.get("classes") or [attrs.get("type")]))


def tab_data(graph: nx.MultiDiGraph, numbers: Mapping[Hashable, int]) -> dict[str, Any]:
    """The page's ``events`` and ``figures``: ``[node number, fact index]`` pairs into the page's node facts, and the
    figures of each measurement with numeric amounts."""
    event_kinds = graph.graph.get("event_kinds")
    events: list[list[int]] = []
    where: dict[str, tuple[int, int]] = {}
    for node, attrs in graph.nodes(data=True):
        if not _is_company(attrs):
            continue
        for index, fact in enumerate(attrs.get("facts") or []):
            kind = fact.get("kind")
            if fact.get("iri"):
                where.setdefault(str(fact["iri"]), (numbers[node], index))
            if kind == FIGURE_KIND:
                continue
            if (kind in event_kinds) if event_kinds is not None else bool(fact.get("earliest")):
                events.append([numbers[node], index])

    figures: dict[str, dict[str, Any]] = {}
    for row in graph.graph.get("figures") or []:
        if row["measurement"] not in where:  # a company not shown, or a figure left out by the dates chosen
            continue
        entry = figures.setdefault(
            row["measurement"],
            {
                "company": where[row["measurement"]][0],
                "fact": where[row["measurement"]][1],
                "metric": row["metric"],
                "period": row["period"],
                "year": row["year"],
                "change": row["change"],
                "loss": row["loss"],
                "amounts": [],
            },
        )
        entry["amounts"].append([row["value"], row["currency"], row["converted"]])
    ordered = sorted(
        figures.values(),
        key=lambda f: (f["company"], f["year"] if f["year"] is not None else 9999, f["metric"] or ""),
    )
    return {"events": events, "figures": ordered}
