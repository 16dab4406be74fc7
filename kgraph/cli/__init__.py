"""The ``kgraph`` command line. Each command group lives in a module of its own that registers itself here."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="kgraph",
    help="Build, check, query and look at a competitive-landscape knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

#: Modules of this package that add commands; each has ``register(app)``.
COMMAND_MODULES = ("build", "load", "serve", "analyze", "view", "query", "ingest")

for _name in COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}").register(app)


def main() -> None:
    """Entry point of the ``kgraph`` script."""
    app()
