"""What the commands share: the console, error reporting, and the default locations."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from kgraph.errors import DataError, KgraphError
from kgraph.progress import Progress, silent
from kgraph.store.locate import STORE_ENV

if TYPE_CHECKING:
    import pyoxigraph as ox

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False, soft_wrap=True)  # a message stays one line, for grep and logs

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        "-s",
        envvar=STORE_ENV,
        help="The store to use: a folder (on-disk Oxigraph) or a SPARQL 1.1 endpoint URL. Default: build/store.",
    ),
]

GraphOption = Annotated[
    str | None,
    typer.Option(
        "--graph",
        "-g",
        help="Named graph for the file's triples outside named graphs (default: graph:import-FILENAME).",
    ),
]

BuildDir = Annotated[
    Path,
    typer.Option("--build-dir", "-b", help="Folder of the built landscape (graph files, store, view)."),
]


def graph_iri(graph: str | None) -> ox.NamedNode | None:
    """The value of ``--graph`` as an IRI (None when not given); a :class:`KgraphError` when it is not one."""
    from kgraph.queries.terms import parse_iri

    if graph is None:
        return None
    iri = parse_iri(graph)
    if iri is None:
        raise KgraphError(f"--graph {graph!r} is not an IRI (<...> or a prefixed name)")
    return iri


#: Exit status of every command: it did what was asked.
EXIT_OK = 0
#: Exit status of every command: no answer (an ASK answered false, a query or search that found nothing).
EXIT_NOTHING_FOUND = 1
#: Exit status of every command: bad input (an unknown name, a bad value or file, no store) or another error.
EXIT_ERROR = 2
EXIT_STATUS_HELP = (
    "Exit status: 0 done; 1 no answer (ASK false, nothing found); 2 bad input or another error (the message says"
    " which)."
)


@contextmanager
def reported() -> Iterator[None]:
    """Turn kgraph's errors into a message on standard error and exit status 2 (:data:`EXIT_ERROR`)."""
    try:
        yield
    except DataError as error:
        errors.print(f"[bold red]error:[/] {len(error.problems)} problem(s) in the input; nothing was changed.")
        for problem in error.problems:
            errors.print(f"  {problem}", markup=False)
        raise typer.Exit(EXIT_ERROR) from None
    except KgraphError as error:
        errors.print("[bold red]error:[/] " + _escape(str(error)))
        raise typer.Exit(EXIT_ERROR) from None


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def progress_printer(quiet: bool) -> Progress:
    """A progress callback that writes to standard error (so standard output stays clean for data)."""
    if quiet or not sys.stderr:
        return silent
    return lambda message: errors.print(f"[dim]… {_escape(message)}[/]")


def date_option(value: str | None, name: str, *, end: bool) -> str | None:
    """A date given as 2023, 2023-04 or 2023-04-17, as an ISO date: the period's first day, or its last if ``end``."""
    from kgraph.queries.terms import TermError, day_of

    if value is None:
        return None
    try:
        return day_of(value, last=end).isoformat()
    except TermError as error:
        raise typer.BadParameter(str(error), param_hint=name) from None
