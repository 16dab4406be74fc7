"""``kgraph serve``: a SPARQL 1.1 endpoint over the built store, with the view and the named questions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kgraph.cli.common import console, errors, reported
from kgraph.store.locate import STORE_ENV, store_location

UPDATE_TOKEN_ENV = "KGRAPH_UPDATE_TOKEN"


def serve_command(
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            "-s",
            envvar=STORE_ENV,
            help="The on-disk store to serve (written by 'kgraph build'). Default: build/store.",
        ),
    ] = None,
    host: Annotated[str, typer.Option(help="Address to listen on. Keep 127.0.0.1 unless a proxy guards it.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Query worker processes (queries run in parallel).", min=1)] = 2,
    timeout: Annotated[float, typer.Option(help="Seconds a query may run before it is stopped.")] = 10.0,
    max_rows: Annotated[int, typer.Option(help="Most result rows a query returns.", min=1)] = 10_000,
    max_body: Annotated[int, typer.Option(help="Largest request body accepted, in bytes.", min=1)] = 1_000_000,
    allow_updates: Annotated[
        bool,
        typer.Option("--allow-updates", help=f"Accept SPARQL updates that present the token (${UPDATE_TOKEN_ENV})."),
    ] = False,
    update_token: Annotated[
        str | None,
        typer.Option(envvar=UPDATE_TOKEN_ENV, help="The token updates must send as 'Authorization: Bearer'."),
    ] = None,
    allow_service: Annotated[
        list[str] | None, typer.Option(help="A host that SERVICE may query (repeat the option for several).")
    ] = None,
    view: Annotated[
        Path | None, typer.Option(help="The HTML view to serve. Default: landscape.html beside the store.")
    ] = None,
) -> None:
    """Serve the landscape: SPARQL 1.1 Protocol at /sparql, the view at /view, named questions at /queries.

    Safe by default: listens on 127.0.0.1 only, read-only, every query stopped after --timeout seconds, results cut
    at --max-rows, SERVICE refused except to --allow-service hosts, LOAD always refused.

    Queries always see the store as it is now: what 'kgraph import' writes or 'kgraph build' rebuilds while the
    endpoint runs is served without a restart. /health reports the query workers and the store's generation.
    """
    import uvicorn

    from kgraph.server.app import create_app
    from kgraph.server.policy import ServeSettings

    with reported():
        from kgraph.errors import KgraphError

        location = store_location(store)
        if isinstance(location, str):
            raise KgraphError("kgraph serve serves an on-disk store; a SPARQL server already has its own endpoint")
        if not location.is_dir():
            raise KgraphError(f"no store at {location}: run 'kgraph build' first")
        try:
            settings = ServeSettings(
                store=location,
                view=view or location.parent / "landscape.html",
                host=host,
                port=port,
                workers=workers,
                timeout=timeout,
                max_rows=max_rows,
                max_body=max_body,
                allow_updates=allow_updates,
                update_token=update_token,
                service_hosts=frozenset(h.lower() for h in allow_service or ()),
            )
        except ValueError as error:
            raise KgraphError(str(error)) from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        errors.print(f"[bold yellow]warning:[/] listening on {host}: anyone who can reach it can query the graph")
    console.print(f"kgraph endpoint at [bold]http://{host}:{port}/sparql[/] (Ctrl-C stops it)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", proxy_headers=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
