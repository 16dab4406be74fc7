"""``kgraph view``: write the interactive HTML view of the landscape, or of a part of it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kgraph.cli.common import StoreOption, console, date_option, progress_printer, reported


def view_command(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The HTML file to write (one self-contained file, works offline).")
    ] = Path("landscape-view.html"),
    focus: Annotated[
        list[str] | None,
        typer.Option("--focus", "-f", help="Show only what is near this entity (name, alias or IRI); repeatable."),
    ] = None,
    depth: Annotated[int, typer.Option("--depth", "-d", min=0, help="Hops around the focus entities.")] = 1,
    types: Annotated[
        list[str] | None,
        typer.Option(
            "--types", "-t", help="Keep only these classes (and their subclasses), e.g. Company, Product; repeatable."
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Leave out dated facts and events before this date (YYYY[-MM[-DD]]).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Leave out dated facts and events after this date (YYYY[-MM[-DD]]).")
    ] = None,
    title: Annotated[str, typer.Option("--title", help="The page's title.")] = "kgraph landscape",
    store: StoreOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress messages.")] = False,
) -> None:
    """Write an interactive HTML view (graph, timeline, tables): click anything to see its facts and their sources.

    Without options the whole landscape is shown, as 'kgraph build' writes it to build/landscape.html.

    --focus keeps the entities within --depth hops of the named ones; --types keeps some classes only.

    --since and --until leave out dated facts and events outside the range. The file needs no network.
    """
    from kgraph.selection import Selection
    from kgraph.store import open_store
    from kgraph.view import write_landscape_view

    with reported():
        selection = Selection.of(
            focus=focus or (),
            depth=depth,
            types=types,
            since=date_option(since, "--since", end=False),
            until=date_option(until, "--until", end=True),
        )
        path, graph = write_landscape_view(
            open_store(store),
            output,
            selection=selection,
            title=title,
            progress=progress_printer(quiet),
        )
    from rich.markup import escape

    console.print(
        f"[bold green]wrote[/] {escape(str(path))} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)"
    )


def register(app: typer.Typer) -> None:
    app.command("view")(view_command)
