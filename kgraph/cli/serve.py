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
    max_memory: Annotated[
        int, typer.Option(help="Megabytes of address space each query worker may use (0: no limit).", min=0)
    ] = 2048,
    max_waiting: Annotated[
        int, typer.Option(help="Queries that may wait for a free worker; more are answered 503 at once.", min=0)
    ] = 16,
    long_after: Annotated[
        float,
        typer.Option(
            help="Seconds after which a query counts as long. Long queries may hold all workers but one; one more "
            "is stopped.",
            min=0,
        ),
    ] = 1.0,
    lock_wait: Annotated[
        float,
        typer.Option(help="Seconds a query waits for a write in progress before it is answered 503.", min=0),
    ] = 5.0,
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
    cors: Annotated[
        list[str] | None,
        typer.Option(
            help="An origin whose web pages may query the endpoint (CORS; repeat for several). Default: none."
        ),
    ] = None,
    view: Annotated[
        Path | None, typer.Option(help="The HTML view to serve. Default: landscape.html beside the store.")
    ] = None,
) -> None:
    """Serve the landscape: SPARQL at /sparql, a query editor at /query, named questions at /queries, the view.

    Queries may use the prefixes the command line predeclares (kg:, kgd:, schema:...); the service description at
    /sparql lists them. GET /queries/NAME?PARAM=VALUE answers a named question (limit= and offset= for a page).

    Safe by default: listens on 127.0.0.1 only, read-only, every query stopped after --timeout seconds or past
    --max-memory, results cut at --max-rows, at most --max-waiting queries queued, long queries (past --long-after
    seconds) on all workers but one, SERVICE refused except to --allow-service hosts, LOAD always refused.

    Queries always see the store as it is now: what 'kgraph import' writes or 'kgraph build' rebuilds while the
    endpoint runs is served without a restart; while a write holds the store, queries are answered 503 with
    Retry-After after --lock-wait seconds. /health reports the query workers, the store's generation, and whether
    the store is being written (503 then).
    """
    import uvicorn

    from kgraph.server.app import create_app
    from kgraph.server.http import bounded_protocol
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
                max_memory=max_memory << 20 or None,
                max_waiting=max_waiting,
                long_after=long_after,
                lock_wait=lock_wait,
                allow_updates=allow_updates,
                update_token=update_token,
                service_hosts=frozenset(h.lower() for h in allow_service or ()),
                cors_origins=tuple(cors or ()),
            )
        except ValueError as error:
            raise KgraphError(str(error)) from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        errors.print(f"[bold yellow]warning:[/] listening on {host}: anyone who can reach it can query the graph")
    console.print(f"kgraph endpoint at [bold]http://{host}:{port}/sparql[/] (Ctrl-C stops it)")
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level="warning",
        proxy_headers=False,
        http=bounded_protocol(max_head=settings.max_head, max_url=settings.max_url),
        timeout_graceful_shutdown=3,  # requests still running then are cancelled (their queries stopped)
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
