"""One reader per fact kind, each a function ``read(context, line) -> list[Draft]`` over a shared article context.

They run in the order of :data:`READERS` on every sentence: a launch read first lets the rivalry reader take the
launched product as its subject, a result read first keeps a funding sentence from being read as revenue.
"""

from __future__ import annotations

from collections.abc import Callable

from kgraph.ingest.context import ArticleContext, Line
from kgraph.ingest.draft import Draft
from kgraph.ingest.kinds import (
    competition,
    develops,
    funding,
    headwinds,
    launches,
    layoffs,
    partnerships,
    results,
    statements,
)

Reader = Callable[[ArticleContext, Line], list[Draft]]

READERS: tuple[Reader, ...] = (
    results.read,
    layoffs.read,
    launches.read,
    develops.read,
    competition.read,
    partnerships.read,
    funding.read,
    headwinds.read,
    statements.read,
)

__all__ = ["READERS", "Reader"]
