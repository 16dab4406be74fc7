"""``kgraph query``, ``kgraph queries`` and ``kgraph export`` (``kgraph import`` is in :mod:`kgraph.cli.curate`)."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kgraph.cli.common import (
    EXIT_ERROR,
    EXIT_NOTHING_FOUND,
    StoreOption,
    console,
    errors,
    reported,
)

if TYPE_CHECKING:
    from kgraph.queries import NamedQuery
    from kgraph.store.base import SelectResult, Store, Term

_KEYWORDS = re.compile(r"^\s*(?:#[^\n]*\n\s*)*(?:PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


class ResultFormat(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


class ExportFormat(StrEnum):
    ttl = "ttl"
    nt = "nt"
    nq = "nq"
    trig = "trig"
    jsonld = "jsonld"
    graphml = "graphml"


Binds = Annotated[
    list[str] | None,
    typer.Option(
        "--bind",
        "-b",
        help='NAME=VALUE: fix ?NAME to a value: <IRI>, kg:x / kgd:x, "text", "text"@en, "v"^^xsd:type, '
        "a number, a date (YYYY-MM-DD), true/false, or the name of an entity. Repeat for more.",
    ),
]


@contextmanager
def _query_errors() -> Iterator[None]:
    """Errors of a query as a message on standard error and exit status 2."""
    from kgraph.errors import KgraphError

    with reported():
        try:
            yield
        except KgraphError as error:
            errors.print(f"[bold red]error:[/] {_plain(str(error))}")
            raise typer.Exit(EXIT_ERROR) from None
        except BrokenPipeError:  # the reader stopped early (| head): not an error of the query
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except (RuntimeError, ValueError, OSError) as error:  # raised by the engine while evaluating
            errors.print(f"[bold red]query failed:[/] {_plain(str(error))}")
            raise typer.Exit(EXIT_ERROR) from None


def _plain(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _split_bind(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        from kgraph.errors import KgraphError

        raise KgraphError(f"--bind {text!r}: write NAME=VALUE, such as company=SenseTime")
    return name, value


def _bind_free(store: Store, binds: list[str]) -> dict[str, Term]:
    """Values for an ad-hoc query: read by their form; a bare name is an entity, else a class."""
    from kgraph.queries.terms import read_value

    return {name: read_value(raw, store=store) for name, raw in map(_split_bind, binds)}


def _source(query: str) -> tuple[str, str | None, NamedQuery | None]:
    """The SPARQL text, the file it comes from, and, for a named question, the question itself."""
    from kgraph import queries
    from kgraph.errors import KgraphError

    path = Path(query)
    if query.endswith(".rq"):
        if not path.is_file():
            raise KgraphError(f"no such query file: {query}")
        return path.read_text(encoding="utf-8"), query, None
    if _KEYWORDS.match(query) or "{" in query:
        return query, None, None
    named = queries.get(query)
    return named.text, named.path, named


def _print_select(result: SelectResult, store: Store) -> None:
    import pyoxigraph as ox
    from rich.console import Console
    from rich.table import Table

    from kgraph.queries.results import display, labels

    iris = {t.value for row in result.rows for t in row.values() if isinstance(t, ox.NamedNode)}
    names = labels(store, iris)
    shown = [v for v in result.variables if any(v in row for row in result.rows)] or result.variables
    table = Table(*shown, highlight=False)
    for row in result.rows:
        table.add_row(*(display(row[v], names) if v in row else "" for v in shown))
    # on a terminal the table fits the window; into a file or pipe every cell is printed whole
    out = console if console.is_terminal else Console(width=100_000, highlight=False)
    out.print(table)
    errors.print(f"[dim]{len(result.rows)} row(s)[/]")


def query_command(
    query: Annotated[str, typer.Argument(help="SPARQL text, a .rq file, or the name of a bundled question.")],
    bind: Binds = None,
    format: Annotated[ResultFormat, typer.Option("--format", "-f", help="How to print SELECT results.")] = (
        ResultFormat.table
    ),
    timeout: Annotated[
        float | None, typer.Option("--timeout", "-t", help="Stop the query after this many seconds.", min=0.001)
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", help="Print at most this many rows (a page).", min=0)
    ] = None,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many rows first (the page's start).", min=0)] = 0,
    store: StoreOption = None,
) -> None:
    """Run a SPARQL query on the landscape and print the answer.

    QUERY is SPARQL text, a .rq file, or the name of a bundled question (see 'kgraph queries').

    Predeclared prefixes: kg: kgd: rdf: rdfs: owl: xsd: skos: schema: org: prov: time: wd: wdt:

    Queries see every named graph and the RDFS entailments: ?e a kg:Event finds layoffs, launches and results.

    SELECT prints a table with labels, or W3C csv / tsv / json results; CONSTRUCT and DESCRIBE print Turtle.

    ASK prints true or false and exits with 0 or 1; a query that finds nothing exits with 1 too.
    Errors (syntax, unknown names, bad values, the time limit) exit with 2.

    --limit and --offset print one page of the rows; every named question has a fixed order, so pages never overlap.

    Example: kgraph query timeline --bind company=SenseTime --bind since=2023-01-01
    """
    from kgraph.queries.results import serialise, turtle
    from kgraph.sparql.errors import explain
    from kgraph.store import open_store
    from kgraph.store.base import AskResult, GraphResult, SelectResult

    with _query_errors():
        text, path, named = _source(query)
        target = open_store(store)
        if named is not None:
            values = dict(_split_bind(item) for item in bind or [])
            bindings = named.bind(values, store=target)
            sparql = named.page(limit=limit, offset=offset)
        else:
            bindings = _bind_free(target, bind or [])
            sparql = text  # every store declares the standard prefixes itself
        try:
            result = target.query(sparql, bindings=bindings, timeout=timeout)
        except SyntaxError as error:
            raise explain(error, sparql, source=path) from None
        if named is None and isinstance(result, SelectResult) and (limit is not None or offset):
            end = None if limit is None else offset + limit
            result = SelectResult(result.variables, result.rows[offset:end])
        found = True
        if isinstance(result, AskResult):
            if format is ResultFormat.json:
                sys.stdout.buffer.write(serialise(result, "json") + b"\n")
            else:
                console.print("true" if result.value else "false")
            found = result.value
        elif isinstance(result, GraphResult):
            sys.stdout.buffer.write(turtle(result))
            found = bool(result.triples)
        else:
            if format is ResultFormat.table:
                _print_select(result, target)
            else:
                sys.stdout.buffer.write(serialise(result, format.value))
                if format is ResultFormat.json:
                    sys.stdout.buffer.write(b"\n")
            found = bool(result.rows)
        sys.stdout.flush()
    if not found:
        raise typer.Exit(EXIT_NOTHING_FOUND)


def queries_command(
    name: Annotated[str | None, typer.Argument(help="Show this question's parameters and SPARQL.")] = None,
) -> None:
    """List the bundled questions with what they answer and their parameters (run one with 'kgraph query NAME')."""
    from rich.table import Table

    from kgraph import queries

    with reported():
        if name:
            question = queries.get(name)
            console.print(f"[bold]{question.name}[/]: {_plain(question.description)}")
            for parameter in question.parameters:
                console.print(f"  --bind {_plain(parameter.describe())}")
            console.print()
            console.print(question.text, markup=False, highlight=False)
            return
        table = Table("name", "what it answers", "parameters", show_lines=True)
        for question in queries.catalog().values():
            params = "\n".join(p.describe() for p in question.parameters) or "-"
            table.add_row(question.name, question.description, params)
        console.print(table)


def export_command(
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="The file format.")] = ExportFormat.trig,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="The file to write (default: standard output).")
    ] = None,
    inferred: Annotated[
        bool, typer.Option("--inferred/--no-inferred", help="Include the graph of RDFS entailments.")
    ] = False,
    store: StoreOption = None,
) -> None:
    """Write the whole landscape to a file (or standard output).

    nq, trig and jsonld keep one named graph per source; ttl and nt hold the union of the graphs.

    graphml is the networkx projection: entities as nodes, facts folded into edges and attributes.
    """
    from kgraph.exchange import export, export_bytes
    from kgraph.store import open_store

    with reported():
        target = open_store(store)
        if output is None:
            if format is ExportFormat.graphml:
                from kgraph.errors import KgraphError

                raise KgraphError("graphml needs a file: add -o FILE")
            sys.stdout.buffer.write(export_bytes(target, format.value, inferred=inferred))
            sys.stdout.flush()
            return
        export(target, output, format.value, inferred=inferred)
    errors.print(f"[bold green]wrote[/] {output}")


def register(app: typer.Typer) -> None:
    app.command("query")(query_command)
    app.command("queries")(queries_command)
    app.command("export")(export_command)
