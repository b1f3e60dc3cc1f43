"""A fake feed and article server: a real threaded HTTP/1.1 server on 127.0.0.1.

Routes serve fixed bodies (with ETag / Last-Modified and real 304s), redirects, slow answers,
endless bodies and gzip bombs; every request is recorded so tests can check what was sent.
"""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    """One request as the server saw it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    status: int = 0
    body_bytes: int = 0
    at: float = field(default_factory=time.monotonic)


@dataclass
class Response:
    """What a route answers. ``chunks`` streams a body without a length (then closes)."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    chunks: Iterable[bytes] | None = None


Handler = Callable[[Request], Response]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address) -> None:
        # a client hanging up (the fetcher stopping at its size cap) is expected here
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FeedServer:
    """Start with ``with FeedServer() as server:``; ``server.url("/feed.xml")`` is its address."""

    def __init__(self, host: str = "127.0.0.1"):
        self.routes: dict[str, Handler] = {}
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = _Server((host, 0), self._handler_class())
        self.host, self.port = self._httpd.server_address[:2]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop serving and wake every slow or endless handler."""
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str) -> str:
        """The full URL of ``path`` on this server."""
        return f"http://{self.host}:{self.port}{path}"

    # ------------------------------------------------------------------ routes
    def route(self, path: str, handler: Handler) -> None:
        """Answer requests for ``path`` (query ignored) with ``handler(request)``."""
        self.routes[path] = handler

    def add(
        self,
        path: str,
        body: bytes | str,
        *,
        content_type: str = "application/rss+xml; charset=utf-8",
        etag: str | None = None,
        last_modified: str | None = None,
        headers: dict[str, str] | None = None,
        status: int = 200,
        compress: bool = False,
    ) -> None:
        """A fixed document, answering 304 to a matching conditional request."""
        data = body.encode("utf-8") if isinstance(body, str) else body

        def handler(req: Request) -> Response:
            extra = dict(headers or {})
            if etag:
                extra["ETag"] = etag
            if last_modified:
                extra["Last-Modified"] = last_modified
            if (etag and req.headers.get("if-none-match") == etag) or (
                last_modified and not etag and req.headers.get("if-modified-since") == last_modified
            ):
                return Response(304, headers=extra)
            payload = data
            if compress and "gzip" in req.headers.get("accept-encoding", ""):
                payload = gzip.compress(data)
                extra["Content-Encoding"] = "gzip"
            return Response(status, payload, {"Content-Type": content_type, **extra})

        self.route(path, handler)

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        """``path`` redirects to ``location``."""
        self.route(path, lambda req: Response(status, headers={"Location": location}))

    def slow(self, path: str, seconds: float, body: bytes = b"<rss></rss>") -> None:
        """``path`` waits ``seconds`` before answering."""
        self.route(path, lambda req: Response(200, body, {"Content-Type": "application/rss+xml"}, delay=seconds))

    def endless(self, path: str, limit: int = 200 * 1024 * 1024) -> None:
        """``path`` streams an RSS-looking body that never ends (up to ``limit`` bytes)."""

        def chunks():
            yield b'<?xml version="1.0"?><rss version="2.0"><channel><title>endless</title>'
            block = b"<item><title>again</title><description>" + b"x" * 8000 + b"</description></item>"
            sent = 0
            while sent < limit and not self.stopping.is_set():
                yield block
                sent += len(block)

        self.route(path, lambda req: Response(200, headers={"Content-Type": "application/rss+xml"}, chunks=chunks()))

    def gzip_bomb(self, path: str, size: int = 64 * 1024 * 1024) -> int:
        """``path`` answers a small gzip body that inflates to ``size`` bytes; returns its length."""
        comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        block = b"<rss>" + b"\0" * (1024 * 1024 - 5)
        parts = [comp.compress(block) for _ in range(size // len(block))]
        parts.append(comp.flush())
        bomb = b"".join(parts)
        self.route(path, lambda req: Response(200, bomb, {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"}))
        return len(bomb)

    # ------------------------------------------------------------------ inspection
    def requests_for(self, path: str) -> list[Request]:
        """Every recorded request for ``path``."""
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def body_bytes(self) -> int:
        """Body bytes sent so far, over all requests."""
        with self._lock:
            return sum(r.body_bytes for r in self.requests)

    def clear(self) -> None:
        """Forget recorded requests."""
        with self._lock:
            self.requests.clear()

    def _record(self, req: Request) -> None:
        with self._lock:
            self.requests.append(req)

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                req = Request("GET", parts.path, query, {k.lower(): v for k, v in self.headers.items()})
                server._record(req)
                handler = server.routes.get(parts.path)
                resp = handler(req) if handler else Response(404, b"not found", {"Content-Type": "text/plain"})
                req.status = resp.status
                if resp.delay and server.stopping.wait(resp.delay):
                    return
                try:
                    self.send_response(resp.status)
                    for k, v in resp.headers.items():
                        self.send_header(k, v)
                    if resp.chunks is not None:
                        self.send_header("Connection", "close")
                        self.end_headers()
                        self.close_connection = True
                        for chunk in resp.chunks:
                            self.wfile.write(chunk)
                            req.body_bytes += len(chunk)
                        return
                    self.send_header("Content-Length", str(len(resp.body)))
                    self.end_headers()
                    if resp.body:
                        self.wfile.write(resp.body)
                        req.body_bytes += len(resp.body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

        return Handler
