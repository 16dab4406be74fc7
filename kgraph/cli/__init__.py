"""The ``kgraph`` command line. Each command group lives in a module of its own that registers itself here."""

from __future__ import annotations

import importlib
import inspect
from typing import Annotated

import typer

from kgraph.cli.common import EXIT_STATUS_HELP

app = typer.Typer(
    name="kgraph",
    help="Build, check, query and look at a competitive-landscape knowledge graph.",
    epilog=EXIT_STATUS_HELP,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"kgraph {version('kgraph')}")
        raise typer.Exit(0)


@app.callback()
def _options(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print kgraph's version and stop."),
    ] = None,
) -> None:
    """Build, check, query and look at a competitive-landscape knowledge graph."""


#: Modules of this package that add commands; each has ``register(app)``.
COMMAND_MODULES = ("build", "load", "serve", "analyze", "view", "query", "ingest", "review", "curate")

for _name in COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}").register(app)


def _unwrapped(text: str) -> str:
    """Help text with each paragraph on one line, for the terminal to wrap (Typer keeps a docstring's line breaks)."""
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(p if p.startswith("\b") else " ".join(p.split()) for p in paragraphs)


def _unwrap_help(group: typer.Typer) -> None:
    """Each command's help with its paragraphs unwrapped, and the exit statuses shared by every command."""
    for command in group.registered_commands:
        text = command.help or (command.callback.__doc__ if command.callback else None)
        if text:
            command.help = _unwrapped(text)
        command.epilog = command.epilog or EXIT_STATUS_HELP
    for subgroup in group.registered_groups:
        if subgroup.typer_instance is not None:
            subgroup.typer_instance.info.epilog = subgroup.typer_instance.info.epilog or EXIT_STATUS_HELP
            _unwrap_help(subgroup.typer_instance)


_unwrap_help(app)


def main() -> None:
    """Entry point of the ``kgraph`` script."""
    try:
        app()
    except Exception:  # a bug rather than bad input: show where, with the exit status of an error
        import sys
        import traceback

        from kgraph.cli.common import EXIT_ERROR

        traceback.print_exc()
        sys.exit(EXIT_ERROR)
