"""``kgraph analyze``: neighbourhoods, rankings, paths and communities of the landscape, and graph exports."""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from kgraph.cli.common import EXIT_NOTHING_FOUND, StoreOption, console, date_option, reported

if TYPE_CHECKING:
    import networkx as nx

analyze_app = typer.Typer(
    help="Analyse the landscape as a network: who is central, how two entities are connected, which groups form.\n\n"
    "Works on the projection a person would draw: entities as nodes, relations and events as labelled edges.",
    no_args_is_help=True,
)

Include = Annotated[
    list[str] | None,
    typer.Option(
        "--include",
        "-i",
        help="Keep only these kinds: a class (Company, Product), a fact kind (Layoff) "
        "or a relation (competesWith). Repeat for several.",
    ),
]
Exclude = Annotated[
    list[str] | None,
    typer.Option("--exclude", "-x", help="Leave out these kinds (same names as --include). Repeat for several."),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Since = Annotated[
    str | None, typer.Option("--since", help="Leave out dated facts and events before this date (YYYY[-MM[-DD]]).")
]
Until = Annotated[
    str | None, typer.Option("--until", help="Leave out dated facts and events after this date (YYYY[-MM[-DD]]).")
]


class Measure(StrEnum):
    pagerank = "pagerank"
    degree = "degree"


class Method(StrEnum):
    louvain = "louvain"
    greedy = "greedy"


class ExportFormat(StrEnum):
    graphml = "graphml"
    json = "json"


def _projection(
    store: str | None,
    include: list[str] | None,
    exclude: list[str] | None,
    since: str | None = None,
    until: str | None = None,
) -> nx.MultiDiGraph:
    from kgraph.analytics.projection import project
    from kgraph.store import open_store

    return project(
        open_store(store),
        include=include or None,
        exclude=exclude or None,
        since=date_option(since, "--since", end=False),
        until=date_option(until, "--until", end=True),
    )


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _table(title: str, columns: list[str], rows: list[list[object]]) -> Table:
    table = Table(*columns, title=title, title_justify="left")
    for row in rows:
        table.add_row(*(Text(str(value)) for value in row))
    return table


@analyze_app.command("ego")
def ego_command(
    name: Annotated[str, typer.Argument(help="The entity at the centre: a label, alias or IRI.")],
    hops: Annotated[int, typer.Option("--hops", "-n", min=0, help="How many edges away to look.")] = 1,
    store: StoreOption = None,
    include: Include = None,
    exclude: Exclude = None,
    since: Since = None,
    until: Until = None,
    as_json: AsJson = False,
) -> None:
    """Show what lies within N hops of an entity: its neighbours and the relations between them."""
    from kgraph.analytics.network import ego

    with reported():
        part = ego(_projection(store, include, exclude, since, until), name, hops=hops)
    nodes = sorted(part.nodes(data=True), key=lambda item: (item[1]["distance"], item[1]["label"]))
    edges = sorted(
        (part.nodes[u]["label"], attrs["label"], part.nodes[v]["label"], attrs.get("earliest") or "")
        for u, v, attrs in part.edges(data=True)
    )
    if as_json:
        _print_json(
            {
                "center": part.graph["center"],
                "nodes": [
                    {"iri": n, "label": a["label"], "type": a["type"], "distance": a["distance"]} for n, a in nodes
                ],
                "edges": [{"source": s, "label": label, "target": t, "date": d or None} for s, label, t, d in edges],
            }
        )
        return
    console.print(
        _table(
            f"Within {hops} hop(s) of {part.nodes[part.graph['center']]['label']}",
            ["hops", "entity", "class"],
            [[a["distance"], a["label"], a["type_label"]] for _, a in nodes],
        )
    )
    console.print(_table("Relations", ["from", "relation", "to", "from date"], [list(e) for e in edges]))


@analyze_app.command("rank")
def rank_command(
    by: Annotated[Measure, typer.Option("--by", help="PageRank or degree centrality.")] = Measure.pagerank,
    types: Annotated[
        list[str] | None,
        typer.Option("--type", "-t", help="Classes to rank (with their subclasses). Default: Company and Product."),
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="How many to show.")] = 10,
    store: StoreOption = None,
    include: Include = None,
    exclude: Exclude = None,
    since: Since = None,
    until: Until = None,
    as_json: AsJson = False,
) -> None:
    """Rank companies and products (or other classes) by how central they are in the landscape."""
    from kgraph.analytics.network import DEFAULT_RANKED, rank

    with reported():
        graph = _projection(store, include, exclude, since, until)
        ranked = rank(graph, by=by.value, types=types or DEFAULT_RANKED, top=top)
    if as_json:
        _print_json([asdict(r) for r in ranked])
        return
    rows = [[r.rank, r.label, r.type, f"{r.score:.4f}", r.degree] for r in ranked]
    console.print(_table(f"Ranking by {by.value}", ["#", "entity", "class", by.value, "neighbours"], rows))


@analyze_app.command("path")
def path_command(
    start: Annotated[str, typer.Argument(help="Where the path starts: a label, alias or IRI.")],
    end: Annotated[str, typer.Argument(help="Where it ends.")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many shortest paths.")] = 5,
    store: StoreOption = None,
    include: Include = None,
    exclude: Exclude = None,
    since: Since = None,
    until: Until = None,
    as_json: AsJson = False,
) -> None:
    """Explain how two entities are connected: the shortest chains of labelled relations between them.

    Exit status 1 when they are not connected.
    """
    from kgraph.analytics.network import paths

    with reported():
        found = paths(_projection(store, include, exclude, since, until), start, end, limit=limit)
    if as_json:
        _print_json(
            [
                {
                    "text": str(p),
                    "steps": [
                        {"from": s.source_label, "relation": s.label, "to": s.target_label, "forward": s.forward}
                        for s in p.steps
                    ],
                }
                for p in found
            ]
        )
    elif found:
        for path in found:
            console.print(Text(str(path)))
    else:
        console.print(Text(f"{start} and {end} are not connected."))
    if not found:
        raise typer.Exit(EXIT_NOTHING_FOUND)


@analyze_app.command("communities")
def communities_command(
    method: Annotated[Method, typer.Option("--method", help="Louvain (seeded) or greedy modularity.")] = Method.louvain,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the Louvain method (same seed, same answer).")] = 1,
    store: StoreOption = None,
    include: Include = None,
    exclude: Exclude = None,
    since: Since = None,
    until: Until = None,
    as_json: AsJson = False,
) -> None:
    """Find groups of entities that are linked more to each other than to the rest, largest first."""
    from kgraph.analytics.network import communities

    with reported():
        groups = communities(_projection(store, include, exclude, since, until), method=method.value, seed=seed)
    if as_json:
        _print_json([{"number": g.number, "hub": g.hub, "size": g.size, "members": g.labels} for g in groups])
        return
    rows = [[g.number, g.size, g.hub, ", ".join(g.labels)] for g in groups]
    console.print(_table(f"Communities ({method.value})", ["#", "size", "hub", "members"], rows))


@analyze_app.command("export")
def export_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="GraphML, or node-link JSON.")
    ] = ExportFormat.graphml,
    store: StoreOption = None,
    include: Include = None,
    exclude: Exclude = None,
    since: Since = None,
    until: Until = None,
) -> None:
    """Write the projection (entities, labelled edges, facts as attributes) as GraphML or node-link JSON."""
    from kgraph.analytics.projection import write_graphml, write_node_link

    with reported():
        graph = _projection(store, include, exclude, since, until)
        if format is ExportFormat.graphml:
            write_graphml(graph, output)
        else:
            write_node_link(graph, output)
    console.print(
        Text(f"wrote {output}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges ({format.value})")
    )


def register(app: typer.Typer) -> None:
    app.add_typer(analyze_app, name="analyze")
