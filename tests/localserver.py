"""A real HTTP server on 127.0.0.1 for integration tests: fixed routes, every request path recorded.

with LocalServer() as server:
    server.routes["/story"] = Route(body=b"<p>Report</p>")
    fetch(server.url("/story"))
    assert server.requests == ["/story"]
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

DRIP_CHUNK = 16
"""Bytes sent at a time by a route that drips its body."""


@dataclass(slots=True)
class Route:
    """One canned answer; `content_type=None` sends no Content-Type header, `delay` waits before answering.

    `drip` sends the body `DRIP_CHUNK` bytes at a time with that many seconds between chunks (a slow server).
    """

    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drip: float = 0.0


class LocalServer:
    """A threading HTTP server on a free port of 127.0.0.1, in a daemon thread; unknown paths answer 404."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self._requests: list[str] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True  # a handler still in its `delay` must not hold up the test run
        # A short poll interval, so leaving the `with` block does not wait half a second for the loop to notice.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, name="localserver", daemon=True
        )

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self._server.server_address[1])

    @property
    def requests(self) -> list[str]:
        """Paths requested so far (with their query), in the order they arrived."""
        with self._lock:
            return list(self._requests)

    def url(self, path: str = "/") -> str:
        """The full URL of `path` on this server."""
        return f"http://127.0.0.1:{self.port}{path if path.startswith('/') else '/' + path}"

    def _record(self, path: str) -> Route | None:
        with self._lock:
            self._requests.append(path)
        return self.routes.get(path) or self.routes.get(path.split("?", 1)[0])

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _handler_for(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            route = server._record(self.path) or Route(status=404, body=b"not found", content_type="text/plain")
            if route.delay:
                time.sleep(route.delay)
            try:
                self.send_response(route.status)
                if route.content_type is not None:
                    self.send_header("Content-Type", route.content_type)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if "content-length" not in {name.lower() for name in route.headers}:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self._send_body(route)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test); nothing to answer

        def _send_body(self, route: Route) -> None:
            if not route.drip:
                self.wfile.write(route.body)
                return
            for start in range(0, len(route.body), DRIP_CHUNK):
                if start:
                    time.sleep(route.drip)
                self.wfile.write(route.body[start : start + DRIP_CHUNK])  # unbuffered: each chunk goes out now

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    return Handler
