"""What the commands share: the console, error reporting, and the default locations."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from kgraph.errors import DataError, KgraphError

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        "-s",
        envvar="KGRAPH_STORE",
        help="The store to use: a folder (on-disk Oxigraph) or a SPARQL 1.1 endpoint URL. Default: build/store.",
    ),
]

BuildDir = Annotated[
    Path,
    typer.Option("--build-dir", "-b", help="Folder of the built landscape (graph files, store, view)."),
]


@contextmanager
def reported() -> Iterator[None]:
    """Turn kgraph's errors into a message on standard error and exit status 1 (2 for bad input)."""
    try:
        yield
    except DataError as error:
        errors.print(f"[bold red]error:[/] {len(error.problems)} problem(s) in the input; nothing was changed.")
        for problem in error.problems:
            errors.print(f"  {problem}", markup=False)
        raise typer.Exit(2) from None
    except KgraphError as error:
        errors.print("[bold red]error:[/] " + _escape(str(error)))
        raise typer.Exit(1) from None


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def progress_printer(quiet: bool) -> Callable[[str], None]:
    """A progress callback that writes to standard error (so standard output stays clean for data)."""
    if quiet or not sys.stderr:
        return lambda _: None
    return lambda message: errors.print(f"[dim]… {_escape(message)}[/]")
