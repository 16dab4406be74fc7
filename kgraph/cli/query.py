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

from kgraph.cli.common import StoreOption, console, errors, reported

if TYPE_CHECKING:
    from kgraph.store.base import SelectResult, Store, Term

#: Exit status of a query that failed (1 is an ASK answered false).
QUERY_FAILED = 2
_KEYWORDS = re.compile(r"^\s*(?:#[^\n]*\n\s*)*(?:PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_POSITION = re.compile(r"error at (\d+):(\d+)")
_UNPROJECTED = re.compile(r"does not contains? variable \?(\w+) in its SELECT", re.IGNORECASE)


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
def _query_errors(prologue_lines: int = 0) -> Iterator[None]:
    """Errors of a query as a message and exit status 2; syntax errors with the line and column of the query."""
    from kgraph.errors import KgraphError

    with reported():
        try:
            yield
        except SyntaxError as error:
            message = _POSITION.sub(
                lambda m: f"line {int(m[1]) - prologue_lines}, column {m[2]}" if int(m[1]) > prologue_lines else m[0],
                str(error),
            )
            errors.print(f"[bold red]syntax error:[/] {_plain(message)}")
            raise typer.Exit(QUERY_FAILED) from None
        except KgraphError as error:
            errors.print(f"[bold red]error:[/] {_plain(str(error))}")
            raise typer.Exit(QUERY_FAILED) from None
        except BrokenPipeError:  # the reader stopped early (| head): not an error of the query
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except (RuntimeError, ValueError, OSError) as error:  # raised by the engine: unknown prefix, bad binding...
            message = str(error)
            unprojected = _UNPROJECTED.search(message)
            if unprojected:
                name = unprojected[1]
                message = _UNPROJECTED_HINT.format(name=name)
            errors.print(f"[bold red]query failed:[/] {_plain(message)}")
            raise typer.Exit(QUERY_FAILED) from None


_UNPROJECTED_HINT = (
    "--bind {name}=...: Oxigraph binds only variables that the query returns; add ?{name} to the SELECT clause "
    "(or use SELECT *; in ASK and CONSTRUCT, use ?{name} in a triple pattern, not only in a FILTER)"
)


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
    """Values for an ad-hoc query: read by their form, bare names resolved as entities."""
    import pyoxigraph as ox

    from kgraph.queries.terms import parse_value
    from kgraph.resolve import EntityIndex

    bound: dict[str, Term] = {}
    index = None
    for text in binds:
        name, raw = _split_bind(text)
        term = parse_value(raw)
        if term is None:
            index = index or EntityIndex.from_store(store)
            term = ox.NamedNode(index.resolve(raw).iri)
        bound[name] = term
    return bound


def _source(query: str) -> tuple[str, object | None]:
    """The SPARQL text and, for a named question, the question itself."""
    from kgraph import queries
    from kgraph.errors import KgraphError

    path = Path(query)
    if query.endswith(".rq"):
        if not path.is_file():
            raise KgraphError(f"no such query file: {query}")
        return path.read_text(encoding="utf-8"), None
    if _KEYWORDS.match(query) or "{" in query:
        return query, None
    return "", queries.get(query)


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
    store: StoreOption = None,
) -> None:
    """Run a SPARQL query on the landscape and print the answer.

    QUERY is SPARQL text, a .rq file, or the name of a bundled question (see 'kgraph queries').

    Predeclared prefixes: kg: kgd: rdf: rdfs: owl: xsd: skos: schema: org: prov: time: wd: wdt:

    Queries see every named graph and the RDFS entailments: ?e a kg:Event finds layoffs, launches and results.

    SELECT prints a table with labels, or W3C csv / tsv / json results; CONSTRUCT and DESCRIBE print Turtle.

    ASK prints true or false and exits with 0 or 1. Errors (syntax, unknown names, time limit) exit with 2.

    Example: kgraph query timeline --bind company=SenseTime --bind since=2023-01-01
    """
    from kgraph.queries.results import serialise, turtle
    from kgraph.store import open_store
    from kgraph.store.base import AskResult, GraphResult
    from kgraph.vocabulary import sparql_prologue

    prologue = sparql_prologue()
    with _query_errors(prologue.count("\n")):
        text, named = _source(query)
        target = open_store(store)
        if named is not None:
            values = dict(_split_bind(item) for item in bind or [])
            bindings = named.bind(values, store=target)  # type: ignore[attr-defined]
            result = target.query(named.sparql, bindings=bindings, timeout=timeout)  # type: ignore[attr-defined]
        else:
            bindings = _bind_free(target, bind or [])
            result = target.query(prologue + text, bindings=bindings, timeout=timeout)
        answer = None
        if isinstance(result, AskResult):
            if format is ResultFormat.json:
                sys.stdout.buffer.write(serialise(result, "json") + b"\n")
            else:
                console.print("true" if result.value else "false")
            answer = result.value
        elif isinstance(result, GraphResult):
            sys.stdout.buffer.write(turtle(result))
        elif format is ResultFormat.table:
            _print_select(result, target)
        else:
            sys.stdout.buffer.write(serialise(result, format.value))
            if format is ResultFormat.json:
                sys.stdout.buffer.write(b"\n")
        sys.stdout.flush()
    if answer is not None:
        raise typer.Exit(0 if answer else 1)


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
