"""SPARQL used by kgraph's own code, kept in ``.rq`` files beside this module."""

from __future__ import annotations

from functools import cache
from importlib import resources

from kgraph.namespaces import sparql_prologue


@cache
def load(name: str) -> str:
    """The text of ``NAME.rq`` from this package, with the standard prefixes declared."""
    text = resources.files(__package__).joinpath(f"{name}.rq").read_text(encoding="utf-8")
    return sparql_prologue() + text
