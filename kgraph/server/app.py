"""The ASGI application of ``kgraph serve``: the SPARQL 1.1 Protocol at /sparql, the view, the query page, health."""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kgraph.namespaces import PREFIXES
from kgraph.server import pages
from kgraph.server.policy import Refused, ServeSettings, check_update, prepared_query
from kgraph.server.protocol import (
    GRAPH_TYPES,
    RESULT_TYPES,
    media_type,
    negotiate,
    prefers_json,
    service_description,
)
from kgraph.server.workers import Answer, Job, PoolFull, QueryStopped, WorkerLimits, WorkerPool, run_update
from kgraph.sparql.errors import explain
from kgraph.store.lock import StoreBusy, StoreLock

FORM = "application/x-www-form-urlencoded"
T = TypeVar("T")


class ClientGone(Exception):
    """The client closed the connection before its answer was ready."""


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


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


def _whole_number(name: str, text: str) -> int:
    if not text.isdigit():
        raise Refused(400, f"{name} must be a whole number, 0 or more (not {text!r})")
    return int(text)


def _graph_iris(pairs: list[tuple[str, str]], name: str) -> tuple[str, ...]:
    """The values of the ``name`` parameters, each checked to be an IRI."""
    iris = tuple(value for key, value in pairs if key == name)
    for iri in iris:
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise Refused(400, f"{name}: {iri!r} is not an absolute IRI") from None
    return iris


async def _until_disconnected(request: Request) -> None:
    """Return when the client closes the connection (the request body has been read by then)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def _unless_client_leaves(request: Request, work: Awaitable[T]) -> T:
    """The result of ``work``, which is cancelled (stopping its query) if the client disconnects first."""
    task = asyncio.ensure_future(work)
    watcher = asyncio.ensure_future(_until_disconnected(request))
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, QueryStopped):
                await task
    if task.cancelled():
        raise ClientGone
    return task.result()


class Endpoint:
    """The endpoint's state (settings, worker pool, store lock) and its request handlers."""

    def __init__(self, settings: ServeSettings) -> None:
        self.settings = settings
        limits = WorkerLimits(lock_wait=settings.lock_wait, memory=settings.max_memory)
        self.pool = WorkerPool(
            settings.store,
            size=settings.workers,
            limits=limits,
            max_waiting=settings.max_waiting,
            long_after=settings.long_after,
            max_long=settings.max_long,
            writer_waiting=self._being_written,
        )
        self.store_lock = StoreLock(settings.store)
        self.update_lock = asyncio.Lock()
        self.retry_after = {"Retry-After": str(max(1, math.ceil(settings.lock_wait)))}

    # --- /sparql ----------------------------------------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        try:
            pairs = await _parameters(request, self.settings)
            names = [key for key, _ in pairs]
            if names.count("query") + names.count("update") > 1:
                raise Refused(400, "give exactly one query or update")
            values = dict(pairs)
            if "update" in values:
                if request.method != "POST":
                    raise Refused(405, "updates must be sent with POST")
                return await self._update(request, values["update"])
            if "query" in values:
                return await self._query(request, values["query"], pairs)
        except Refused as refused:
            return _error(refused.status, str(refused))
        except ClientGone:
            return Response(status_code=499)  # nobody reads it: the query was stopped
        endpoint = str(request.url.replace(query=""))
        chosen = negotiate(request.headers.get("accept"), GRAPH_TYPES, "TURTLE") or "TURTLE"
        triples = service_description(endpoint, updates=self.settings.allow_updates, prefixes=PREFIXES)
        return Response(ox.serialize(triples, format=getattr(ox.RdfFormat, chosen)), media_type=media_type(chosen))

    def _job(self, request: Request, text: str, pairs: list[tuple[str, str]]) -> tuple[Job, str]:
        """The job for a query, and the format name of its answer."""
        settings = self.settings
        if len(text.encode("utf-8")) > settings.max_body:
            raise Refused(413, f"the query is larger than {settings.max_body} bytes")
        form = prepared_query(text, settings)
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        accept = request.headers.get("accept")
        chosen = negotiate(accept, GRAPH_TYPES, "TURTLE") if graph_form else negotiate(accept, RESULT_TYPES, "JSON")
        if chosen is None:
            raise Refused(406, f"no acceptable format for a {form} result in: {accept}")
        job = Job(
            sparql=text,
            results_format="JSON" if graph_form else chosen,
            graph_format=chosen if graph_form else "TURTLE",
            default_graphs=_graph_iris(pairs, "default-graph-uri"),
            named_graphs=_graph_iris(pairs, "named-graph-uri"),
            max_rows=settings.max_rows,
        )
        return job, chosen

    async def _query(self, request: Request, text: str, pairs: list[tuple[str, str]]) -> Response:
        job, chosen = self._job(request, text, pairs)
        return await self._answer(request, job, chosen, text)

    async def _answer(self, request: Request, job: Job, chosen: str, text: str) -> Response:
        """Run ``job`` and answer in the format ``chosen``; ``text`` is what errors are located in."""
        try:
            answer = await _unless_client_leaves(request, self.pool.run(job, timeout=self.settings.timeout))
        except PoolFull:
            return _error(503, "too many queries are waiting: try again shortly", self.retry_after)
        except QueryStopped as stopped:
            return self._stopped(stopped, "query")
        failed = self._failed(answer, "query", text)
        if failed is not None:
            return failed
        headers = {"X-Kgraph-Row-Limit": str(self.settings.max_rows)}
        if answer.capped:
            headers["X-Kgraph-Rows-Cut"] = "true"
        return Response(answer.body, media_type=media_type(chosen), headers=headers)

    async def _update(self, request: Request, text: str) -> Response:
        settings = self.settings
        check_update(text, settings, request.headers.get("authorization"))
        async with self.update_lock:
            try:
                answer = await run_update(settings.store, text, timeout=settings.timeout, lock_wait=settings.lock_wait)
            except QueryStopped as stopped:
                return self._stopped(stopped, "update")
        return self._failed(answer, "update", text) or Response(status_code=204)

    def _stopped(self, stopped: QueryStopped, what: str) -> Response:
        if stopped.yielded:
            message = f"the {what} was stopped to let a write to the store go first: try again shortly"
            return _error(503, message, self.retry_after)
        if stopped.crowded:
            message = (
                f"the {what} was stopped after {self.settings.long_after:g} s: the workers that long queries may use "
                "are busy with others (short queries keep the rest); try again shortly"
            )
            return _error(503, message, self.retry_after)
        if stopped.died:
            limit = self.settings.max_memory
            memory = f" (the limit is {limit >> 20} MB)" if limit else ""
            return _error(503, f"the {what} was stopped: its worker ran out of memory{memory} or crashed")
        return _error(503, f"the {what} was stopped after {self.settings.timeout:g} s (the time limit)")

    def _failed(self, answer: Answer, what: str, text: str) -> Response | None:
        """The error response for an answer that is not a result, else None; SPARQL errors are put in words."""
        message = answer.body.decode("utf-8", errors="replace")
        if answer.kind == "error":
            return _error(400, str(explain(message, text)))
        if answer.kind == "busy":
            return _error(503, f"the store is being written: try again shortly ({message})", self.retry_after)
        if answer.kind == "failure":
            return _error(500, f"the {what} failed: {message}")
        return None

    # --- pages and health ---------------------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        view = self.settings.view
        return HTMLResponse(pages.index_page(view=view is not None and view.is_file()))

    async def view(self, request: Request) -> Response:
        view = self.settings.view
        if view is None or not view.is_file():
            return _error(404, "no view has been built (run 'kgraph build' or 'kgraph view' first)")
        return FileResponse(view, media_type="text/html; charset=utf-8")

    async def editor(self, request: Request) -> Response:
        return HTMLResponse(pages.editor_page(), headers={"Content-Security-Policy": pages.EDITOR_POLICY})

    async def queries(self, request: Request) -> Response:
        """The named questions: an HTML page, or JSON for ``Accept: application/json``."""
        if prefers_json(request.headers.get("accept")):
            return JSONResponse(pages.catalog_entries())
        return HTMLResponse(pages.queries_page())

    async def question(self, request: Request) -> Response:
        """``GET /queries/NAME?param=value&limit=&offset=``: a named question's answer, values read as the CLI reads
        them (dates at any precision, classes by name, entities by name or IRI)."""
        from kgraph.queries import ParameterError, QueryNotFoundError, get

        try:
            question = get(request.path_params["name"])
            pairs = list(request.query_params.multi_items())
            names = [name for name, _ in pairs]
            if len(set(names)) < len(names):
                raise Refused(400, "give each parameter once")
            values = dict(pairs)
            page = {name: _whole_number(name, values.pop(name)) for name in ("limit", "offset") if name in values}
            for name in values:
                question.parameter(name)
            chosen = negotiate(request.headers.get("accept"), RESULT_TYPES, "JSON")
            if chosen is None:
                raise Refused(406, f"no acceptable format for a SELECT result in: {request.headers.get('accept')}")
            job = Job(
                question=question.name,
                values=tuple(values.items()),
                limit=page.get("limit"),
                offset=page.get("offset", 0),
                results_format=chosen,
                max_rows=self.settings.max_rows,
            )
            return await self._answer(request, job, chosen, question.text)
        except QueryNotFoundError as error:
            return _error(404, str(error))
        except ParameterError as error:
            return _error(400, str(error))
        except Refused as refused:
            return _error(refused.status, str(refused))
        except ClientGone:
            return Response(status_code=499)

    def _being_written(self) -> bool:
        try:
            with self.store_lock.shared(wait=0):
                return False
        except StoreBusy:
            return True

    async def health(self, request: Request) -> Response:
        """Ready (200) when workers are up and the store can be read now; else 503 and what is wrong."""
        alive = self.pool.alive
        status = {"status": "ok", "workers": alive, "restarts": self.pool.restarts, "waiting": self.pool.waiting}
        status["long_queries"] = self.pool.long
        # Queries answer from this generation of the store: it counts up at every write and every rebuild.
        status["store_generation"] = self.store_lock.generation()
        if alive == 0:
            status["status"] = "no workers"
        elif self._being_written():
            status["status"] = "store being written"
        if status["status"] == "ok":
            return JSONResponse(status)
        return JSONResponse(status, status_code=503, headers=self.retry_after)

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        await self.pool.start()
        try:
            yield
        finally:
            await self.pool.close()
            self.store_lock.close()


def create_app(settings: ServeSettings) -> Starlette:
    """The endpoint for ``settings``; its worker pool starts and stops with the application."""
    endpoint = Endpoint(settings)
    routes = [
        Route("/", endpoint.index),
        Route("/sparql", endpoint.sparql, methods=["GET", "POST"]),
        Route("/view", endpoint.view),
        Route("/query", endpoint.editor),
        Mount("/static", app=StaticFiles(directory=Path(__file__).with_name("static")), name="static"),
        Route("/queries", endpoint.queries),
        Route("/queries/{name}", endpoint.question),
        Route("/health", endpoint.health),
    ]
    middleware = []
    if settings.cors_origins:  # browser clients on other origins (a YASGUI page elsewhere, a notebook)
        from starlette.middleware import Middleware
        from starlette.middleware.cors import CORSMiddleware

        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Content-Type", "Authorization"],
                expose_headers=["Retry-After", "X-Kgraph-Row-Limit", "X-Kgraph-Rows-Cut"],
                max_age=600,
            )
        )
    app = Starlette(routes=routes, middleware=middleware, lifespan=endpoint.lifespan)
    app.state.pool = endpoint.pool
    return app
