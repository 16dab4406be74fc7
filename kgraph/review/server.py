"""The review page's server: loopback only, one page and its script and styles, and one action (apply).

It binds 127.0.0.1 (a free port unless one is given), answers only requests whose ``Host`` is that address (so a web
page elsewhere cannot reach it through DNS rebinding), and accepts ``POST /apply`` only with the random token the
page was given. Every response forbids outside requests with a Content-Security-Policy; the page's script and
styles come from this server, and the sheet's and article's text reaches the page as JSON that the script puts in
with ``textContent``.
"""

from __future__ import annotations

import json
import secrets
import threading
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any

from kgraph.review.session import ReviewError, ReviewSession

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
#: Largest request body accepted, in bytes.
MAX_BODY = 1_000_000
_ASSETS = {"/review.js": ("review.js", "text/javascript"), "/review.css": ("review.css", "text/css")}


@cache
def _asset(name: str) -> bytes:
    return resources.files("kgraph.review").joinpath("templates", name).read_bytes()


def render_page(session: ReviewSession, token: str) -> str:
    """The review page's HTML for ``session``."""
    from jinja2 import Environment
    from markupsafe import Markup

    from kgraph.view.data import script_json

    template = Environment(autoescape=True).from_string(_asset("review.html.j2").decode("utf-8"))
    data = session.page_data() | {"token": token}
    return template.render(title=session.sheet.source.title or session.sheet.source.id, data=Markup(script_json(data)))


class ReviewServer(ThreadingHTTPServer):
    """Serves one review session on 127.0.0.1."""

    daemon_threads = True

    def __init__(self, session: ReviewSession, *, port: int = 0) -> None:
        self.session = session
        self.token = secrets.token_urlsafe(24)
        self.apply_lock = threading.Lock()
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def allowed_hosts(self) -> set[str]:
        port = self.server_address[1]
        return {f"127.0.0.1:{port}", f"localhost:{port}"}


class _Handler(BaseHTTPRequestHandler):
    server: ReviewServer

    def log_message(self, *args: Any) -> None:  # noqa: ANN401
        pass

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, value: dict[str, Any]) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json")

    def _host_ok(self) -> bool:
        if self.headers.get("Host") in self.server.allowed_hosts():
            return True
        self._send(421, b"wrong host", "text/plain; charset=utf-8")
        return False

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if not self._host_ok():
            return
        path = self.path.split("?", 1)[0]
        if path == "/":
            page = render_page(self.server.session, self.server.token)  # afresh: data/ may have changed
            self._send(200, page.encode("utf-8"), "text/html; charset=utf-8")
        elif path in _ASSETS:
            name, kind = _ASSETS[path]
            self._send(200, _asset(name), f"{kind}; charset=utf-8")
        else:
            self._send(404, b"not found", "text/plain; charset=utf-8")

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        if not self._host_ok():
            return
        if self.path != "/apply":
            self._send(404, b"not found", "text/plain; charset=utf-8")
            return
        if not secrets.compare_digest(self.headers.get("X-Review-Token", ""), self.server.token):
            self._json(403, {"errors": ["this page's token is missing or wrong: reload the page"]})
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._json(413, {"errors": ["the decisions are too large"]})
            return
        try:
            decisions = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self._json(400, {"errors": ["the decisions are not JSON"]})
            return
        with self.server.apply_lock:
            try:
                result = self.server.session.apply(decisions)
            except ReviewError as error:
                self._json(400, {"errors": error.problems})
                return
            except Exception as error:  # noqa: BLE001 - reported to the reviewer, the server keeps running
                self._json(500, {"errors": [str(error)]})
                return
        self._json(
            200,
            {
                "source": result.source_id,
                "dataFile": str(result.data_file),
                "triples": result.triples,
                "storeUpdated": result.store_updated,
            },
        )
