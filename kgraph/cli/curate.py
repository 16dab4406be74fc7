"""``kgraph import``, ``retract``, ``merge``, ``changes`` and ``diff``: the life cycle after ``kgraph apply``."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer

from kgraph.cli.common import (
    GraphOption,
    StoreOption,
    console,
    date_option,
    errors,
    graph_iri,
    progress_printer,
    reported,
)

DataDir = Annotated[
    Path | None,
    typer.Option("--data", "-d", help="The data folder (default: ./data, else the bundled data)."),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress messages.")]


def _data_dir(data: Path | None) -> Path:
    from kgraph.resources import default_data_dir

    return data or default_data_dir()


def import_command(
    file: Annotated[Path, typer.Argument(help="An RDF file: .ttl, .nt, .nq, .trig, .jsonld, .rdf.")],
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            "-d",
            help="Keep the file in this data folder as a source of its own. Default: ./data when the store is the "
            "default one (no --store, no KGRAPH_STORE); otherwise the file goes into the store only.",
        ),
    ] = None,
    graph: GraphOption = None,
    store: StoreOption = None,
    quiet: Quiet = False,
) -> None:
    """Add an RDF file to the landscape, whole or not at all.

    With a data folder the file is kept there as data/import-NAME.ttl (a source of its own: 'kgraph build' keeps
    it, 'kgraph retract import-NAME' removes it), checked against the shapes with the rest of the data, and its
    graph, the inferred graph and the build's outputs are brought up to date in the same step.

    Without one, the file goes into the store only: triples outside named graphs go into one graph for the file
    (or --graph), and each named graph replaces the graph of the same name.

    Either way the file is parsed completely first (a syntax error is reported with its line and loads nothing),
    and it may not redefine the ontology's terms nor replace the ontology's or another source's graph.
    """
    from kgraph.errors import KgraphError

    progress = progress_printer(quiet)
    with reported():
        if data is None and store is None and not os.environ.get("KGRAPH_STORE") and Path("data").is_dir():
            data = Path("data")
        if data is not None:
            if graph is not None:
                raise KgraphError("--graph is for imports into the store only: a file kept in data/ has its own graph")
            from kgraph.curate.imports import import_into_data

            result = import_into_data(file, data_dir=data, store=store, progress=progress)
            where = "data and store" if result.write.store_updated else "data (no store found: run 'kgraph build')"
            console.print(
                f"[bold green]imported[/] {file} as source {result.source}: {result.data_file}, "
                f"{result.triples} triples in the {where} ({result.write.change.summary()} facts)"
            )
            return
        from kgraph.curate.imports import import_file
        from kgraph.store import open_store

        with open_store(store, read_only=False, on_wait=progress) as target:
            progress(f"loading {file}")
            report = import_file(target, file, graph=graph_iri(graph))
    for name, count in report.graphs.items():
        console.print(f"{count} triples into <{name}>")
    errors.print(f"[bold green]imported[/] {report.triples} triples into the store only; {report.inferred} inferred")


def retract_command(
    source: Annotated[str, typer.Argument(help="The source's identifier (a fact sheet's source id, import-NAME).")],
    data: DataDir = None,
    store: StoreOption = None,
    quiet: Quiet = False,
) -> None:
    """Remove a source's facts everywhere: its file in data/, its graph in the store, the build's outputs.

    Entities the source declared that other sources still refer to stay, in data/kept-entities.yaml; the command
    says which. The remaining data is checked as 'kgraph build' checks it: on any problem nothing changes.
    """
    from kgraph.curate.retract import retract

    with reported():
        result = retract(source, data_dir=_data_dir(data), store=store, progress=progress_printer(quiet))
    files = ", ".join(str(p) for p in result.removed_files)
    console.print(f"[bold green]retracted[/] {source}: removed {files} ({result.write.change.summary()} facts)")
    if result.kept_entities:
        console.print(f"kept, as other sources use them: {', '.join(result.kept_entities)}", markup=False)


def merge_command(
    keep: Annotated[str, typer.Argument(help="The entity that stays: a name, an alias or an identifier.")],
    other: Annotated[str, typer.Argument(help="The entity that turns out to be the same one and goes.")],
    data: DataDir = None,
    store: StoreOption = None,
    quiet: Quiet = False,
) -> None:
    """Merge two entities that are one: OTHER becomes KEEP in every fact sheet of data/ and in the store.

    References to OTHER are rewritten, its name and aliases become aliases of KEEP (both names still resolve), and
    the merge is recorded in the change log. Entities of incompatible classes, an entity merged with itself and
    ambiguous names are refused; on any problem nothing changes.
    """
    from kgraph.curate.merge import merge

    with reported():
        result = merge(keep, other, data_dir=_data_dir(data), store=store, progress=progress_printer(quiet))
    files = ", ".join(str(p) for p in result.rewritten_files)
    console.print(f"[bold green]merged[/] {result.merged} into {result.kept}: rewrote {files}")


def changes_command(
    since: Annotated[
        str | None, typer.Option(help="Only changes on or after this day (YYYY, YYYY-MM, YYYY-MM-DD).")
    ] = None,
    data: DataDir = None,
) -> None:
    """List the writes to the landscape, oldest first: time, command, source, facts added, removed and changed."""
    from rich.table import Table

    from kgraph.curate.changes import read

    first = date_option(since, "--since", end=False)
    with reported():
        entries = read(_data_dir(data), since=dt.date.fromisoformat(first) if first else None)
    table = Table("time", "command", "source", "facts", "added, removed, changed", box=None)
    for change in entries:
        listed = "; ".join(
            f"{sign}{', '.join(ids)}"
            for sign, ids in (("+", change.added), ("-", change.removed), ("~", change.changed))
            if ids
        )
        table.add_row(
            change.time,
            change.command,
            change.source,
            change.summary(),
            listed + (f" ({change.note})" if change.note else ""),
        )
    console.print(table)
    errors.print(f"{len(entries)} change(s)")


def diff_command(
    old: Annotated[Path, typer.Argument(help="A build folder (its landscape.trig or store) or an RDF export.")],
    new: Annotated[Path, typer.Argument(help="The other build folder or export.")],
) -> None:
    """Compare two builds or exports by facts, not triples: facts added, removed, and changed with their values.

    Triples are grouped by the fact or entity they describe (a fact's parts, such as its amounts, belong to it);
    which named graph holds them does not matter; the ontology and the inferred graph are left out.
    """
    from kgraph.curate.diff import diff, read_side

    with reported():
        changes = diff(read_side(old), read_side(new))
    signs = {"added": "+", "removed": "-", "changed": "~"}
    for change in changes:
        console.print(f"{signs[change.change]} {change.label} ({change.key})", markup=False, highlight=False)
        for line in change.differences:
            console.print(f"    {line}", markup=False, highlight=False)
    counts = {kind: sum(1 for c in changes if c.change == kind) for kind in signs}
    errors.print(f"{counts['added']} fact(s) added, {counts['removed']} removed, {counts['changed']} changed")


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("retract")(retract_command)
    app.command("merge")(merge_command)
    app.command("changes")(changes_command)
    app.command("diff")(diff_command)
