"""``kgraph build``, ``kgraph validate`` and ``kgraph stats``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kgraph.cli.common import BuildDir, StoreOption, console, progress_printer, reported
from kgraph.summary import Summary

DataPaths = Annotated[
    list[Path] | None,
    typer.Argument(help="Data files or folders (*.yaml, *.json, *.ttl). Default: ./data, else the bundled data."),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress messages.")]


def print_summary(summary: Summary) -> None:
    console.print(f"[bold]{summary.triples}[/] triples in [bold]{summary.graphs}[/] named graphs")
    classes = Table("class", "instances", title="Entities and facts by class", title_justify="left")
    for label, count in summary.by_class:
        classes.add_row(label, str(count))
    console.print(classes)
    sources = Table("source", "named graph", "facts and events", title="Facts per source", title_justify="left")
    for graph, label, count in summary.by_source:
        sources.add_row(label, "graph:" + graph.rsplit("/", 1)[-1], str(count))
    console.print(sources)


def build_command(
    paths: DataPaths = None,
    build_dir: BuildDir = Path("build"),
    quiet: Quiet = False,
    load_into_store: Annotated[
        str | None,
        typer.Option("--store", "-s", help="Also load the built graph into this store (e.g. a SPARQL endpoint URL)."),
    ] = None,
) -> None:
    """Build the landscape: read the data, validate it (pydantic and SHACL), write the graph and the store.

    Writes landscape.ttl (all triples), landscape.trig (one named graph per source), store/ (an Oxigraph store that
    later commands open at once) and landscape.html (the interactive view, see 'kgraph view') into the build folder.
    Nothing is written unless every check passes.
    """
    from kgraph.build import build
    from kgraph.resources import default_data_dir

    with reported():
        result = build(paths or [default_data_dir()], build_dir, progress=progress_printer(quiet))
    print_summary(result.summary)
    console.print("[bold green]built[/] " + ", ".join(str(p) for p in result.outputs))
    views = [p for p in result.outputs if p.suffix == ".html"]
    if views:
        console.print(f"[bold]view:[/] open {views[0]} in a browser (works offline)")
    if load_into_store:
        from kgraph.cli.load import JOURNAL_NAME, built_quads, load_into

        with reported():
            progress = progress_printer(quiet)
            journal = build_dir / JOURNAL_NAME
            console.print(load_into(load_into_store, built_quads(build_dir), journal=journal, progress=progress))


def validate_command(paths: DataPaths = None, quiet: Quiet = False) -> None:
    """Check data files or folders and report every problem: file, line, where, what is wrong.

    Runs the same checks as build (fact-sheet models, references between files, SHACL shapes) and writes nothing.
    Exit status 0 when the data is valid, 2 when it is not.
    """
    from kgraph.pipeline import assemble
    from kgraph.resources import default_data_dir

    targets = paths or [default_data_dir()]
    with reported():
        compiled = assemble(targets, infer=False, progress=progress_printer(quiet)).compiled
    files = len(compiled.sheets) + len(compiled.turtle_files)
    console.print(f"[bold green]valid:[/] {files} file(s), {len(compiled)} triples, no problems")


def stats_command(store: StoreOption = None) -> None:
    """Print the counts of the built landscape (run 'kgraph build' first)."""
    from kgraph.store import open_store
    from kgraph.summary import summarize

    with reported():
        summary = summarize(open_store(store))
    print_summary(summary)


def register(app: typer.Typer) -> None:
    app.command("build")(build_command)
    app.command("validate")(validate_command)
    app.command("stats")(stats_command)
