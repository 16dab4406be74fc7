"""Counts that describe a landscape: triples, graphs, instances per class, facts per source."""

from __future__ import annotations

from dataclasses import dataclass, field

from kgraph import sparql
from kgraph.store.base import SelectResult, Store


@dataclass(frozen=True)
class Summary:
    triples: int
    graphs: int
    by_class: list[tuple[str, int]] = field(default_factory=list)
    by_source: list[tuple[str, str, int]] = field(default_factory=list)


def summarize(store: Store) -> Summary:
    """Count what ``store`` holds."""
    classes = store.query(sparql.load("count_by_class"))
    sources = store.query(sparql.load("facts_by_source"))
    assert isinstance(classes, SelectResult) and isinstance(sources, SelectResult)
    by_class = [
        (row["label"].value if "label" in row else row["class"].value, int(row["count"].value)) for row in classes
    ]
    by_source = [
        (row["graph"].value, row["label"].value if "label" in row else row["source"].value, int(row["facts"].value))
        for row in sources
    ]
    return Summary(len(store), len(store.named_graphs()), by_class, by_source)
