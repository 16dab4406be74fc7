"""A scripted OpenAI-compatible chat server on 127.0.0.1 for the tests: it plays back the replies it is given."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One scripted reply: a proposal (or raw content), an HTTP status, a delay, or a dropped connection."""

    answer: dict[str, Any] | None = None
    content: str | None = None
    status: int = 200
    body: bytes | None = None
    delay: float = 0.0
    drop: bool = False
    refusal: str | None = None
    usage: dict[str, int] = field(default_factory=lambda: {"prompt_tokens": 100, "completion_tokens": 20})

    def payload(self) -> bytes:
        if self.body is not None:
            return self.body
        if self.status >= 400:
            return json.dumps({"error": {"message": f"scripted failure {self.status}"}}).encode()
        content = self.content if self.content is not None else json.dumps(self.answer or {"facts": []})
        message: dict[str, Any] = {"role": "assistant", "content": None if self.refusal else content}
        if self.refusal:
            message["refusal"] = self.refusal
        return json.dumps({"choices": [{"message": message, "finish_reason": "stop"}], "usage": self.usage}).encode()


@dataclass
class ChatServer:
    """The server's address, what it received, and what it will answer (the last reply repeats)."""

    url: str
    received: list[dict[str, Any]]
    script: list[Reply | Callable[[dict[str, Any]], Reply]]

    def play(self, *replies: Reply | Callable[[dict[str, Any]], Reply]) -> None:
        self.script[:] = list(replies)
        self.received.clear()


@contextmanager
def chat_server() -> Iterator[ChatServer]:
    """Start the scripted server on a free port of 127.0.0.1; stop it afterwards."""
    state = ChatServer("", [], [Reply()])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.received.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
            step = state.script.pop(0) if len(state.script) > 1 else state.script[0]
            reply = step(body) if callable(step) else step
            time.sleep(reply.delay)
            if reply.drop:
                self.close_connection = True
                self.connection.close()
                return
            data = reply.payload()
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the client gave up waiting

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
