"""SPARQL used by kgraph's own code, kept in ``.rq`` files beside this module."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load(name: str) -> str:
    """The text of ``NAME.rq`` from this package (every store declares the standard prefixes)."""
    return resources.files(__package__).joinpath(f"{name}.rq").read_text(encoding="utf-8")
