"""Which part of a landscape to look at: what lies near a few entities, some classes only, dated facts in a range.

The view (``kgraph view``, :meth:`kgraph.Landscape.view`), the projection and ``kgraph analyze`` take the same
choices; this module is their one home.

>>> chosen = Selection.of(focus="SenseTime", depth=2, since="2023-04")
>>> chosen.since, chosen.until
('2023-04-01', None)
>>> chosen.describe()
'within 2 hops of SenseTime; dated facts 2023-04 to …'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kgraph.dates import bound
from kgraph.errors import KgraphError

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True, kw_only=True)
class Selection:
    """The entities within ``depth`` hops of ``focus`` (names, aliases or IRIs; none: everything), of the classes
    ``types`` (and their subclasses; none: all), and the dated facts that overlap ``since``..``until``.

    ``since`` and ``until`` are ISO days (the first day of the period given, the last day of the period given);
    ``period`` keeps the dates as they were written, for :meth:`describe`. Make one with :meth:`of`.
    """

    focus: tuple[str, ...] = ()
    depth: int = 1
    types: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    period: tuple[str | None, str | None] = (None, None)

    @classmethod
    def of(
        cls,
        *,
        focus: str | Iterable[str] = (),
        depth: int = 1,
        types: Iterable[str] | None = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
    ) -> Selection:
        """The selection these choices make; a :class:`kgraph.dates.DateError` for a date that is none (``2023``,
        ``2023-04`` and ``2023-04-10`` are dates), a :class:`KgraphError` for a negative depth."""
        if depth < 0:
            raise KgraphError(f"the depth must be 0 or more, not {depth}")
        return cls(
            focus=(focus,) if isinstance(focus, str) else tuple(focus),
            depth=depth,
            types=tuple(types or ()),
            since=_day(since, last=False),
            until=_day(until, last=True),
            period=(_text(since), _text(until)),
        )

    def keeps_dates(self, earliest: str | None, latest: str | None) -> bool:
        """Whether a fact that spans ``earliest``..``latest`` (ISO days; None when unknown) overlaps the range."""
        if self.since and latest and latest < self.since:
            return False
        return not (self.until and earliest and earliest > self.until)

    def describe(self) -> str | None:
        """A line that says which part of the landscape is shown (None for all of it)."""
        parts = []
        if self.focus:
            parts.append(f"within {self.depth} hop{'s' if self.depth != 1 else ''} of {', '.join(self.focus)}")
        if self.types:
            parts.append("classes: " + ", ".join(self.types))
        since, until = self.period
        if since or until:
            parts.append(f"dated facts {since or '…'} to {until or '…'}")
        return "; ".join(parts) or None


#: Everything: no focus, every class, every date.
EVERYTHING = Selection()


def within(graph: nx.MultiDiGraph, centres: Iterable[Hashable], *, depth: int) -> dict[Hashable, int]:
    """The nodes of ``graph`` within ``depth`` hops of any of ``centres`` (edges followed both ways), with how many
    hops away each one is; a :class:`KgraphError` names a centre that is not in the graph."""
    import networkx as nx

    if depth < 0:
        raise KgraphError(f"the depth must be 0 or more, not {depth}")
    undirected = graph.to_undirected(as_view=True)
    distances: dict[Hashable, int] = {}
    for centre in centres:
        if centre not in graph:
            raise KgraphError(f"{centre} is not in the graph (filtered out by the chosen classes or dates?)")
        for node, hops in nx.single_source_shortest_path_length(undirected, centre, cutoff=depth).items():
            distances[node] = min(hops, distances.get(node, hops))
    return distances


def _day(value: str | dt.date | None, *, last: bool) -> str | None:
    day = bound(value, last=last)
    return day.isoformat() if day else None


def _text(value: str | dt.date | None) -> str | None:
    return None if value is None else (value.isoformat() if isinstance(value, dt.date) else str(value).strip())
