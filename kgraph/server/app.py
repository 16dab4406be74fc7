"""The ASGI application of ``kgraph serve``: the SPARQL 1.1 Protocol at /sparql, the view, the query page, health."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from kgraph.server import pages
from kgraph.server.policy import Refused, ServeSettings, check_update, prepared_query
from kgraph.server.protocol import GRAPH_TYPES, RESULT_TYPES, media_type, negotiate, service_description
from kgraph.server.workers import Job, QueryStopped, WorkerPool, run_update
from kgraph.store.lock import StoreLock

FORM = "application/x-www-form-urlencoded"


def _error(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status)


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise Refused(413, f"the request body is larger than {limit} bytes")
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Refused(413, f"the request body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def _parameters(request: Request, settings: ServeSettings) -> list[tuple[str, str]]:
    """The protocol's parameters from the URL and, for POST, the form or the direct body."""
    pairs = list(request.query_params.multi_items())
    if request.method != "POST":
        return pairs
    body = await _body(request, settings.max_body)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "the request body is not UTF-8") from None
    if media == FORM:
        return pairs + parse_qsl(text, keep_blank_values=True)
    if media == "application/sparql-query":
        return [*pairs, ("query", text)]
    if media == "application/sparql-update":
        return [*pairs, ("update", text)]
    raise Refused(415, f"unsupported content type {media or '(none)'}: use a form, sparql-query or sparql-update")


def _syntax_error(text: str) -> str | None:
    """The parser's message for ``text`` (parsed against an empty store, so nothing is evaluated on data)."""
    try:
        ox.Store().query(text)
    except SyntaxError as error:
        return str(error)
    except (ValueError, RuntimeError, OSError):
        return None
    return None


def create_app(settings: ServeSettings) -> Starlette:
    """The endpoint for ``settings``; its worker pool starts and stops with the application."""
    pool = WorkerPool(settings.store, size=settings.workers)
    store_lock = StoreLock(settings.store)
    write_lock = asyncio.Lock()

    async def run_query(request: Request, text: str, pairs: list[tuple[str, str]]) -> Response:
        if len(text.encode("utf-8")) > settings.max_body:
            raise Refused(413, f"the query is larger than {settings.max_body} bytes")
        form, limited = prepared_query(text, settings)
        accept = request.headers.get("accept")
        if form in ("CONSTRUCT", "DESCRIBE"):
            chosen = negotiate(accept, GRAPH_TYPES, "TURTLE")
        else:
            chosen = negotiate(accept, RESULT_TYPES, "JSON")
        if chosen is None:
            raise Refused(406, f"no acceptable format for a {form} result in: {accept}")
        job = Job(
            sparql=limited,
            results_format=chosen if form not in ("CONSTRUCT", "DESCRIBE") else "JSON",
            graph_format=chosen if form in ("CONSTRUCT", "DESCRIBE") else "TURTLE",
            default_graphs=tuple(value for key, value in pairs if key == "default-graph-uri"),
            named_graphs=tuple(value for key, value in pairs if key == "named-graph-uri"),
        )
        async with write_lock:
            pass  # wait while an update runs
        try:
            answer = await pool.run(job, timeout=settings.timeout)
        except QueryStopped:
            return _error(503, f"the query was stopped after {settings.timeout:g} s (the time limit)")
        if answer.kind == "error":
            message = answer.body.decode("utf-8", errors="replace")
            if limited != text:  # report the position in the text the client sent, not in the cut one
                message = await asyncio.to_thread(_syntax_error, text) or message
            return _error(400, message)
        if answer.kind == "failure":
            return _error(500, "the query failed: " + answer.body.decode("utf-8", errors="replace"))
        headers = {"X-Kgraph-Row-Limit": str(settings.max_rows)}
        return Response(answer.body, media_type=media_type(chosen), headers=headers)

    async def run_update_request(request: Request, text: str) -> Response:
        check_update(text, settings, request.headers.get("authorization"))
        async with write_lock:
            await pool.drain()
            try:
                answer = await asyncio.to_thread(run_update, settings.store, text, timeout=settings.timeout)
            except QueryStopped:
                return _error(503, f"the update was stopped after {settings.timeout:g} s (the time limit)")
            finally:
                await pool.start()
        if answer.kind == "error":
            return _error(400, answer.body.decode("utf-8", errors="replace"))
        if answer.kind == "failure":
            return _error(500, "the update failed: " + answer.body.decode("utf-8", errors="replace"))
        return Response(status_code=204)

    async def sparql(request: Request) -> Response:
        try:
            pairs = await _parameters(request, settings)
            names = [key for key, _ in pairs]
            if names.count("query") + names.count("update") > 1:
                raise Refused(400, "give exactly one query or update")
            values = dict(pairs)
            if "update" in values:
                if request.method != "POST":
                    raise Refused(405, "updates must be sent with POST")
                return await run_update_request(request, values["update"])
            if "query" in values:
                return await run_query(request, values["query"], pairs)
        except Refused as refused:
            return _error(refused.status, str(refused))
        endpoint = str(request.url.replace(query=""))
        chosen = negotiate(request.headers.get("accept"), GRAPH_TYPES, "TURTLE") or "TURTLE"
        triples = service_description(endpoint, updates=settings.allow_updates)
        return Response(ox.serialize(triples, format=getattr(ox.RdfFormat, chosen)), media_type=media_type(chosen))

    async def index(request: Request) -> Response:
        return HTMLResponse(pages.index_page(view=settings.view is not None and settings.view.is_file()))

    async def view(request: Request) -> Response:
        if settings.view is None or not settings.view.is_file():
            return _error(404, "no view has been built (run 'kgraph build' or 'kgraph view' first)")
        return FileResponse(settings.view, media_type="text/html; charset=utf-8")

    async def queries(request: Request) -> Response:
        return HTMLResponse(pages.queries_page())

    async def health(request: Request) -> Response:
        ok = pool.alive > 0
        status = {"status": "ok" if ok else "starting", "workers": pool.alive, "restarts": pool.restarts}
        # Queries answer from this generation of the store: it counts up at every write and every rebuild.
        status["store_generation"] = store_lock.generation()
        return JSONResponse(status, status_code=200 if ok else 503)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await pool.start()
        try:
            yield
        finally:
            await pool.close()

    routes = [
        Route("/", index),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/view", view),
        Route("/queries", queries),
        Route("/health", health),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.pool = pool
    return app
