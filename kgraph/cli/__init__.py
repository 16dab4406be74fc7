"""The ``kgraph`` command line. Each command group lives in a module of its own that registers itself here."""

from __future__ import annotations

import importlib
import inspect

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
COMMAND_MODULES = ("build", "load", "serve", "analyze", "view", "query", "ingest", "review")

for _name in COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}").register(app)


def _unwrapped(text: str) -> str:
    """Help text with each paragraph on one line, for the terminal to wrap (Typer keeps a docstring's line breaks)."""
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(p if p.startswith("\b") else " ".join(p.split()) for p in paragraphs)


def _unwrap_help(group: typer.Typer) -> None:
    for command in group.registered_commands:
        text = command.help or (command.callback.__doc__ if command.callback else None)
        if text:
            command.help = _unwrapped(text)
    for subgroup in group.registered_groups:
        if subgroup.typer_instance is not None:
            _unwrap_help(subgroup.typer_instance)


_unwrap_help(app)


def main() -> None:
    """Entry point of the ``kgraph`` script."""
    app()
