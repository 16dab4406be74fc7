"""``kgraph load``: put the built landscape (or an RDF file) into another store, such as a remote SPARQL server."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kgraph.cli.common import BuildDir, GraphOption, console, graph_iri, progress_printer, reported
from kgraph.errors import KgraphError
from kgraph.progress import Progress, silent
from kgraph.store.locate import STORE_ENV

if TYPE_CHECKING:
    import pyoxigraph as ox

JOURNAL_NAME = ".remote-load.json"


def load_command(
    store: Annotated[
        str,
        typer.Option(
            "--store",
            "-s",
            envvar=STORE_ENV,
            help="Where to load: a SPARQL 1.1 endpoint URL (credentials from KGRAPH_STORE_USER/PASSWORD or "
            "kgraph.toml) or a store folder.",
        ),
    ],
    source: Annotated[
        Path | None,
        typer.Option("--from", help="An RDF file (.trig, .nq, .ttl, .nt, .jsonld, .rdf) instead of the built store."),
    ] = None,
    graph: GraphOption = None,
    build_dir: BuildDir = Path("build"),
    batch_size: Annotated[int, typer.Option(help="Triples per request.", min=1)] = 50_000,
    journal: Annotated[
        Path | None,
        typer.Option(help="Where to record the graphs loaded, to resume. Default: BUILD_DIR/.remote-load.json."),
    ] = None,
    restart: Annotated[bool, typer.Option("--restart", help="Replace every graph, even those already loaded.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress messages.")] = False,
) -> None:
    """Load the landscape into a store, one named graph (source) at a time, replacing each graph whole.

    A load that stops half-way says what it loaded; run the same command again to resume it: graphs already loaded
    with the same content are skipped, the others are replaced, and no triple is ever duplicated.

    A file given with --from is read whole first (a syntax error names its line and loads nothing); its triples
    outside named graphs go into one graph for the file, as with 'kgraph import'.
    """
    from kgraph.exchange import read_rdf

    progress = progress_printer(quiet)
    with reported():
        if graph is not None and source is None:
            raise KgraphError("--graph names the graph for a file's triples: give the file with --from")
        if source is not None:
            progress(f"reading {source}")
            quads = read_rdf(source, graph=graph_iri(graph))
        else:
            quads = built_quads(build_dir)
        journal = journal or build_dir / JOURNAL_NAME
        if restart:
            journal.unlink(missing_ok=True)
        console.print(load_into(store, quads, journal=journal, batch_size=batch_size, progress=progress))


def built_quads(build_dir: Path) -> list[ox.Quad]:
    """Every quad of the store that 'kgraph build' wrote into ``build_dir``."""
    from kgraph.build import STORE_NAME
    from kgraph.store import open_store

    with open_store(build_dir / STORE_NAME, read_only=True) as built:
        return list(built.quads())


def load_into(
    location: str,
    quads: list[ox.Quad],
    *,
    journal: Path,
    batch_size: int = 50_000,
    progress: Progress = silent,
) -> str:
    """Load ``quads`` into the store at ``location`` graph by graph; a message that says what was loaded.

    Every quad must be in a graph named by an IRI (a store is replaced graph by graph); else nothing is loaded.
    """
    import pyoxigraph as ox

    from kgraph.store import open_store

    unnamed = sum(1 for quad in quads if not isinstance(quad.graph_name, ox.NamedNode))
    if unnamed:
        raise KgraphError(
            f"{unnamed} triple(s) are not in a graph named by an IRI, and kgraph loads graph by graph: "
            "nothing was loaded (--graph puts a file's default-graph triples into one)"
        )
    graphs = len({quad.graph_name for quad in quads})
    with open_store(location, read_only=False, on_wait=progress) as target:
        report = target.replace_graphs(quads, journal=journal, batch_size=batch_size, progress=progress)
    skipped = f"; {len(report.skipped)} graph(s) already up to date" if report.skipped else ""
    loaded = f"{report.triples} triples ({len(quads)} quads in {graphs} graph(s))"
    return f"[bold green]loaded[/] {loaded} into {location}{skipped}"


def register(app: typer.Typer) -> None:
    app.command("load")(load_command)
