"""The selection: which entities, classes and dates a view or an analysis looks at."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from kgraph.dates import DateError
from kgraph.errors import KgraphError
from kgraph.selection import EVERYTHING, Selection, within


def test_dates_become_the_days_they_cover_and_keep_their_written_form() -> None:
    chosen = Selection.of(since="2023", until="2023-02")
    assert (chosen.since, chosen.until) == ("2023-01-01", "2023-02-28")
    assert chosen.describe() == "dated facts 2023 to 2023-02"
    assert Selection.of(since=dt.date(2024, 2, 29)).since == "2024-02-29"
    with pytest.raises(DateError, match="not a date"):
        Selection.of(until="April")


def test_a_fact_is_kept_when_its_span_overlaps_the_range() -> None:
    spring = Selection.of(since="2023-04", until="2023-06")
    assert spring.keeps_dates("2023-03-01", "2023-04-01")
    assert not spring.keeps_dates("2023-01-01", "2023-03-31")
    assert not spring.keeps_dates("2023-07-01", "2023-07-01")
    assert spring.keeps_dates(None, None)  # undated facts stay
    assert EVERYTHING.keeps_dates("1990-01-01", "1990-01-01")


def test_focus_and_types_are_tuples_and_described() -> None:
    chosen = Selection.of(focus="SenseTime", depth=2, types=["Company", "Product"])
    assert chosen.focus == ("SenseTime",) and chosen.types == ("Company", "Product")
    assert chosen.describe() == "within 2 hops of SenseTime; classes: Company, Product"
    assert Selection.of(focus=["A", "B"]).describe() == "within 1 hop of A, B"
    assert EVERYTHING.describe() is None
    with pytest.raises(KgraphError, match="0 or more"):
        Selection.of(depth=-1)


def test_within_follows_edges_both_ways_and_counts_hops() -> None:
    graph = nx.MultiDiGraph([("a", "b"), ("c", "b"), ("c", "d"), ("e", "f")])
    assert within(graph, ["a"], depth=0) == {"a": 0}
    assert within(graph, ["a"], depth=2) == {"a": 0, "b": 1, "c": 2}
    assert within(graph, ["a", "d"], depth=1) == {"a": 0, "b": 1, "d": 0, "c": 1}
    with pytest.raises(KgraphError, match="not in the graph"):
        within(graph, ["z"], depth=1)
