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
        self.in_flight = 0
        self.max_in_flight = 0  # the most requests handled at the same time
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
            # headers and body go out in two writes; without this, Nagle + delayed ACK add 40 ms
            disable_nagle_algorithm = True

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                req = Request("GET", parts.path, query, {k.lower(): v for k, v in self.headers.items()})
                server._record(req)
                with server._lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    self._answer(req, parts)
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def _answer(self, req: Request, parts) -> None:
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


# ----------------------------------------------------------------------------- documents


def rss(items: Iterable[dict], *, title: str = "Test Feed", ttl: int | None = None, encoding: str = "utf-8") -> bytes:
    """An RSS 2.0 document; each item has title, link, guid, body and (optional) date."""
    parts = [f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>',
             f"<title>{title}</title><link>https://news.example/</link>"]
    if ttl is not None:
        parts.append(f"<ttl>{ttl}</ttl>")
    for it in items:
        parts.append(
            f"<item><title>{it['title']}</title><link>{it['link']}</link>"
            f"<guid>{it.get('guid', it['link'])}</guid><description>{it['body']}</description>"
            + (f"<pubDate>{it['date']}</pubDate>" if it.get("date") else "") + "</item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode(encoding)


def atom(items: Iterable[dict], *, title: str = "Test Atom") -> bytes:
    """An Atom 1.0 document."""
    entries = "".join(
        f"<entry><title>{it['title']}</title><link href=\"{it['link']}\"/><id>{it.get('guid', it['link'])}</id>"
        f"<updated>{it.get('date', '2025-09-01T10:00:00Z')}</updated><content type=\"text\">{it['body']}</content></entry>"
        for it in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{title}</title><id>urn:test</id><updated>2025-09-01T10:00:00Z</updated>{entries}</feed>"
    ).encode()


def items(n: int, *, start: int = 1, site: str = "https://news.example", topic: str = "packaging") -> list[dict]:
    """``n`` distinct items with links on ``site``."""
    return [
        {
            "title": f"Story {i} on {topic}",
            "link": f"{site}/story/{i}",
            "guid": f"{site}/story/{i}",
            "body": f"Story number {i}: the ministry announced support for {topic} firms, item {i}.",
            "date": f"Mon, {1 + i % 27:02d} Sep 2025 10:00:00 GMT",
        }
        for i in range(start, start + n)
    ]


def article_page(title: str, paragraphs: list[str], *, charset: str = "utf-8", head: str = "",
                 og_type: str = "article") -> bytes:
    """An HTML article page with its charset declared in a meta tag."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title>'
        f'<meta property="og:type" content="{og_type}">{head}</head>'
        f"<body><nav>Home | News</nav><article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright</footer></body></html>"
    )
    return html.encode(charset)


def wp_post(i: int, *, modified: str, site: str = "https://wp.example") -> dict:
    """One post as the WordPress REST API returns it."""
    return {
        "id": i,
        "date": modified,
        "modified": modified,
        "modified_gmt": modified,
        "link": f"{site}/{i}/",
        "guid": {"rendered": f"{site}/?p={i}"},
        "title": {"rendered": f"WordPress post {i}"},
        "content": {"rendered": f"<p>Post {i} says the semiconductor ministry funded project {i}.</p>"},
        "excerpt": {"rendered": f"<p>Post {i}</p>"},
    }


def wordpress_api(server: FeedServer, path: str, posts: list[dict]) -> None:
    """``path`` answers like ``/wp-json/wp/v2/posts``: per_page, page, order, modified_after,
    with X-WP-Total and X-WP-TotalPages. ``posts`` may grow while the server runs."""
    import json
    import math

    def handler(req: Request) -> Response:
        chosen = list(posts)
        after = req.query.get("modified_after")
        if after:
            chosen = [p for p in chosen if p["modified"] > after]
        chosen.sort(key=lambda p: (p["modified"], p["id"]), reverse=req.query.get("order", "desc") == "desc")
        per_page = int(req.query.get("per_page", 10))
        page = int(req.query.get("page", 1))
        pages = math.ceil(len(chosen) / per_page)
        if page > max(pages, 1):
            return Response(400, b'{"code":"rest_post_invalid_page_number"}', {"Content-Type": "application/json"})
        body = json.dumps(chosen[(page - 1) * per_page: page * per_page]).encode()
        return Response(200, body, {"Content-Type": "application/json; charset=UTF-8",
                                    "X-WP-Total": str(len(chosen)), "X-WP-TotalPages": str(pages)})

    server.route(path, handler)
