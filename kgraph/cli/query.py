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
    from kgraph.queries.results import Column
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
    csv = "csv"
    tsv = "tsv"
    xlsx = "xlsx"


#: Formats of a question's answer (``export --question``); the others are formats of the whole graph.
ANSWER_FORMATS = (ExportFormat.csv, ExportFormat.tsv, ExportFormat.xlsx)


Binds = Annotated[
    list[str] | None,
    typer.Option(
        "--bind",
        "-b",
        help="NAME=VALUE: fix ?NAME to a value: the name of an entity or a class (SenseTime, Layoff), a date "
        '(2023, 2023-04, 2023-04-17), <IRI>, kgd:x, "text", "text"@en, "v"^^xsd:type, a number or true/false. '
        "Repeat for more.",
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


def _print_select(result: SelectResult, store: Store, *, hidden: set[str]) -> None:
    """A table that fits the terminal: one column per thing, labels for IRIs, amounts and dates for people."""
    import pyoxigraph as ox
    from rich.console import Console
    from rich.table import Table

    from kgraph.queries.results import cell, labels, people_columns

    columns = people_columns(result, hidden=hidden)
    shown = {c.variable for c in columns}
    iris = {t.value for row in result.rows for name, t in row.items() if isinstance(t, ox.NamedNode) and name in shown}
    names = labels(store, iris)
    cells = [[cell(row, column, names) for column in columns] for row in result.rows]
    # COLUMNS, when set, is the width; else a terminal's width, and into a file or pipe every cell is printed whole
    width = os.environ.get("COLUMNS", "")
    if width.isdigit():
        out = Console(width=int(width), highlight=False)
    else:
        out = console if console.is_terminal else Console(width=100_000, highlight=False)
    table = Table(highlight=False)
    for column, size in zip(columns, _widths(columns, cells, out.width), strict=True):
        table.add_column(column.header, justify="right" if column.numeric else "left", width=size, overflow="fold")
    for line in cells:
        table.add_row(*line)
    out.print(table)
    errors.print(f"[dim]{len(result.rows)} row(s)[/]")


def _widths(columns: list[Column], cells: list[list[str]], width: int) -> list[int]:
    """Column widths within ``width``: each column whole if all fit; else amounts whole, words whole as far as
    possible, and the room left shared by how much more each column would take (widths in terminal cells)."""
    from rich.cells import cell_len

    natural, least = [], []
    for i, column in enumerate(columns):
        lines = [line for text in (row[i] for row in cells) for line in text.splitlines()] or [""]
        longest_line = max(cell_len(line) for line in lines)
        header_word = max((cell_len(word) for word in column.header.split()), default=1)
        longest_word = max([header_word, *(cell_len(word) for line in lines for word in line.split())])
        natural.append(max(longest_line, cell_len(column.header), 1))
        least.append(max(longest_line, header_word) if column.numeric else max(min(longest_word, 20), 1))
    room = max(width - 3 * len(columns) - 1, len(columns))  # borders and padding
    if sum(natural) <= room:
        return natural
    if sum(least) > room:  # words must fold: shrink the text columns, amounts last
        sizes = list(least)
        while sum(sizes) > room and max(sizes) > 3:
            widest = max(range(len(sizes)), key=lambda i: (not columns[i].numeric, sizes[i]))
            sizes[widest] -= 1
        return sizes
    spare = room - sum(least)
    wish = [n - m for n, m in zip(natural, least, strict=True)]
    total = sum(wish) or 1
    return [m + spare * w // total for m, w in zip(least, wish, strict=True)]


def query_command(
    query: Annotated[str, typer.Argument(help="SPARQL text, a .rq file, or the name of a bundled question.")],
    bind: Binds = None,
    format: Annotated[ResultFormat, typer.Option("--format", "-f", help="How to print SELECT results.")] = (
        ResultFormat.table
    ),
    timeout: Annotated[
        float | None, typer.Option("--timeout", "-t", help="Stop the query after this many seconds.", min=0.001)
    ] = None,
    with_labels: Annotated[
        bool, typer.Option("--labels", help="csv, tsv, json: add a label column beside each column of IRIs.")
    ] = False,
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
    from kgraph.vocabulary import sparql_prologue

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
            added = sparql_prologue().count("\n") if named is not None else 0  # a named question's prologue
            raise explain(error, sparql, prologue_lines=added, source=path) from None
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
                _print_select(result, target, hidden=set(bindings))
            else:
                shown = _answer_for_spreadsheet(result, target, set()) if with_labels else result
                sys.stdout.buffer.write(serialise(shown, format.value))
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
    format: Annotated[
        ExportFormat | None,
        typer.Option("--format", "-f", help="The file format (default: trig, or csv for --question)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="The file to write (default: standard output).")
    ] = None,
    question: Annotated[
        str | None,
        typer.Option("--question", "-q", help="Write this named question's answer instead (csv, tsv, xlsx)."),
    ] = None,
    bind: Binds = None,
    inferred: Annotated[
        bool, typer.Option("--inferred/--no-inferred", help="Include the graph of RDFS entailments.")
    ] = False,
    store: StoreOption = None,
) -> None:
    """Write the whole landscape, or a named question's answer, to a file (or standard output).

    nq, trig and jsonld keep one named graph per source; ttl and nt hold the union of the graphs.

    graphml is the networkx projection: entities as nodes, facts folded into edges and attributes.

    --question NAME (with --bind NAME=VALUE) writes the answer for a spreadsheet: the question's columns without
    its parameters, and a label column beside each column of IRIs; csv and tsv are the W3C formats, xlsx keeps
    numbers, dates and true/false typed.

    Example: kgraph export --question timeline -b company=SenseTime -f xlsx -o timeline.xlsx
    """
    from kgraph.errors import KgraphError
    from kgraph.exchange import export, export_bytes
    from kgraph.store import open_store

    with _query_errors():
        if question is not None:
            chosen = format or ExportFormat.csv
            if chosen not in ANSWER_FORMATS:
                raise KgraphError(f"--question writes csv, tsv or xlsx, not {chosen.value}")
            _export_answer(open_store(store), question, bind or [], chosen, output)
        else:
            chosen = format or ExportFormat.trig
            if chosen in ANSWER_FORMATS or bind:
                raise KgraphError(f"{'-f ' + chosen.value if not bind else '--bind'} needs --question NAME")
            target = open_store(store)
            if output is None:
                if chosen is ExportFormat.graphml:
                    raise KgraphError("graphml needs a file: add -o FILE")
                sys.stdout.buffer.write(export_bytes(target, chosen.value, inferred=inferred))
                sys.stdout.flush()
                return
            export(target, output, chosen.value, inferred=inferred)
    if output is not None:
        errors.print(f"[bold green]wrote[/] {output}")


def _answer_for_spreadsheet(result: SelectResult, store: Store, hidden: set[str]) -> SelectResult:
    """The rows without the ``hidden`` (bound) variables, with a label column beside each column of IRIs."""
    import pyoxigraph as ox

    from kgraph.queries.results import labels, with_label_columns
    from kgraph.store.base import SelectResult

    kept = SelectResult([v for v in result.variables if v not in hidden], result.rows)
    iris = {t.value for row in kept.rows for v in kept.variables if isinstance(t := row.get(v), ox.NamedNode)}
    labelled = with_label_columns(kept, labels(store, iris))
    rows = [{v: row[v] for v in labelled.variables if v in row} for row in labelled.rows]
    return SelectResult(labelled.variables, rows)


def _export_answer(target: Store, name: str, binds: list[str], format: ExportFormat, output: Path | None) -> None:
    from kgraph import queries
    from kgraph.errors import KgraphError
    from kgraph.queries.results import serialise
    from kgraph.store.base import SelectResult

    named = queries.get(name)
    values = dict(_split_bind(item) for item in binds)
    bindings = named.bind(values, store=target)
    result = target.query(named.sparql, bindings=bindings)
    assert isinstance(result, SelectResult)
    answer = _answer_for_spreadsheet(result, target, set(bindings) | {p.name for p in named.parameters})
    if format is ExportFormat.xlsx:
        if output is None:
            raise KgraphError("xlsx needs a file: add -o FILE")
        _write_xlsx(answer, output, sheet=named.name)
        return
    data = serialise(answer, format.value)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    scratch = output.with_name(f".{output.name}.part")
    scratch.write_bytes(data)
    scratch.replace(output)


def _write_xlsx(result: SelectResult, path: Path, *, sheet: str = "answer") -> None:
    """The rows as a spreadsheet: one column per variable, numbers, dates and booleans as such, IRIs as text."""
    from kgraph.errors import KgraphError

    try:
        from openpyxl import Workbook
    except ImportError:
        raise KgraphError("writing .xlsx needs openpyxl: pip install 'kgraph[xlsx]'") from None
    from kgraph.api.values import to_python

    book = Workbook(write_only=True)
    page = book.create_sheet(sheet[:31])
    page.append(list(result.variables))
    for row in result.rows:
        values = [to_python(row.get(v)) for v in result.variables]
        page.append([str(value) if isinstance(value, str) else value for value in values])
    scratch = path.with_name(f".{path.name}.part")
    book.save(scratch)
    scratch.replace(path)


def register(app: typer.Typer) -> None:
    app.command("query")(query_command)
    app.command("queries")(queries_command)
    app.command("export")(export_command)
