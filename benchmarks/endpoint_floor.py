"""A measuring stick for benchmarks/serve.py: the least any Python endpoint on pyoxigraph can do per request.

A bare ASGI application that runs each form-encoded query straight on the event loop and returns Oxigraph's JSON.
It has none of ``kgraph serve``'s guards (no time limit, no row cap, no checks, no worker isolation), so it is never
to be served to anyone: it only shows how close a Python HTTP front can come to Oxigraph's own server, whatever it
does. The store folder comes from the environment variable ``KGRAPH_FLOOR_STORE``.

    KGRAPH_FLOOR_STORE=build/store uvicorn --app-dir benchmarks endpoint_floor:app --workers 2
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl

import pyoxigraph as ox

Message = dict
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_HEADERS = [(b"content-type", b"application/sparql-results+json")]
_store: ox.Store | None = None


def _opened() -> ox.Store:
    global _store  # one read-only store per server process, opened on its first request
    if _store is None:
        _store = ox.Store.read_only(os.environ["KGRAPH_FLOOR_STORE"])
    return _store


async def app(scope: dict, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    query = dict(parse_qsl(body.decode("utf-8"))).get("query", "ASK {}")
    solutions = _opened().query(query, use_default_graph_as_union=True)
    answer = solutions.serialize(format=ox.QueryResultsFormat.JSON) or b""
    await send({"type": "http.response.start", "status": 200, "headers": _HEADERS})
    await send({"type": "http.response.body", "body": answer})
