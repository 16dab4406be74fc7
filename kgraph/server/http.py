"""uvicorn's HTTP protocol (httptools) with limits on a request's head: its URL and its headers.

httptools buffers a header until it is complete, so a client could make the server hold any amount of memory with
one endless header line. Here a request whose URL passes ``max_url`` bytes is answered 414, and one whose request
line and headers pass ``max_head`` bytes is answered 431; the connection is closed either way.
"""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class _HeadTooLarge(Exception):
    """Raised from a parser callback to stop parsing a refused request."""


_REASONS = {414: b"URI Too Long", 431: b"Request Header Fields Too Large"}


def bounded_protocol(*, max_head: int, max_url: int) -> type[HttpToolsProtocol]:
    """The protocol class to give uvicorn as ``http=``."""

    class BoundedHttpToolsProtocol(HttpToolsProtocol):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._head_size = 0
            self._in_head = True
            self._refused = False

        def data_received(self, data: bytes) -> None:
            if self._refused:
                return
            if self._in_head:
                self._head_size += len(data)
                if self._head_size > max_head + max_url:
                    self._refuse(431, f"the request line and headers are larger than {max_head} bytes")
                    return
            super().data_received(data)

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._in_head = True
            self._head_size = 0

        def on_url(self, url: bytes) -> None:
            super().on_url(url)
            if len(self.url) > max_url:
                self._refuse(414, f"the URL is longer than {max_url} bytes: send the query with POST")
                raise _HeadTooLarge  # stops the parser

        def on_header(self, name: bytes, value: bytes) -> None:
            super().on_header(name, value)
            if sum(len(n) + len(v) + 4 for n, v in self.headers) > max_head:
                self._refuse(431, f"the headers are larger than {max_head} bytes")
                raise _HeadTooLarge

        def on_headers_complete(self) -> None:
            self._in_head = False
            if not self._refused:
                super().on_headers_complete()

        def send_400_response(self, msg: str) -> None:
            if not self._refused:  # a refused request has had its answer
                super().send_400_response(msg)

        def _refuse(self, status: int, message: str) -> None:
            if self._refused:
                return
            self._refused = True
            body = message.encode("utf-8") + b"\n"
            head = (
                b"HTTP/1.1 %d %s\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: %d\r\n"
                b"connection: close\r\n\r\n" % (status, _REASONS[status], len(body))
            )
            self.transport.write(head + body)
            self.transport.close()

    return BoundedHttpToolsProtocol
