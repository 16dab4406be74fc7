"""``kgraph review``: a proposed fact sheet reviewed in the browser, on a page served from 127.0.0.1."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kgraph.cli.common import StoreOption, console, reported


def review_command(
    sheet: Annotated[Path, typer.Argument(help="A proposed fact sheet (.yaml or .json), e.g. from 'kgraph ingest'.")],
    article: Annotated[
        Path | None,
        typer.Option(help="The article the sheet comes from. Default: the one named in the sheet's header."),
    ] = None,
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port on 127.0.0.1 (0: a free one).")] = 0,
    browser: Annotated[bool, typer.Option("--browser/--no-browser", help="Open the page in the browser.")] = True,
    data: Annotated[
        Path | None,
        typer.Option("--data", "-d", help="The data folder accepted facts go to. Default: ./data, else the bundled."),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Review a proposed fact sheet in the browser, then apply what you accepted.

    The page shows the article with each fact's evidence marked, each proposed fact as a card to accept, edit (its
    fields) or reject, and the new entities with the graph's entities of a similar name to link them to. 'Apply
    accepted facts' adds exactly the accepted and edited facts to data/ and the store, as 'kgraph apply' does: all
    of them or nothing. An 'unverified' fact is applied only once edited with the mark cleared. The server listens
    on 127.0.0.1 only and makes no request elsewhere; stop it with Ctrl+C.
    """
    from kgraph.resources import default_data_dir
    from kgraph.review.server import ReviewServer
    from kgraph.review.session import ReviewSession

    with reported():
        session = ReviewSession.open(sheet, article=article, data_dir=data or default_data_dir(), store=store)
        server = ReviewServer(session, port=port)
    console.print(f"reviewing {sheet} at {server.url} (Ctrl+C to stop)", markup=False, highlight=False, soft_wrap=True)
    if browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def register(app: typer.Typer) -> None:
    app.command("review")(review_command)
