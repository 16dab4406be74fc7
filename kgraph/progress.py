"""Progress reporting: long work tells a callback what it is doing, one line at a time."""

from __future__ import annotations

from collections.abc import Callable

#: Called with a short message as each step of long work begins.
Progress = Callable[[str], None]


def silent(_: str) -> None:
    """The progress callback that reports nothing."""
