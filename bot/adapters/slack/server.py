"""HTTP mode: POST /slack/events into the Bolt app, GET /healthz. A threaded stdlib server.

Each request gets its own thread, so one slow client never delays another's acknowledgement;
Bolt verifies the signature (bad or stale → 401) before anything else runs. Request threads
never touch the database: they only acknowledge; the answers run in Bolt's listener pool.
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from slack_bolt.request import BoltRequest

log = logging.getLogger("briefbot.slack.http")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 1 << 20  # Slack's payloads are a few KB; refuse anything absurd before reading it
READ_TIMEOUT = 15  # seconds a client may take to send its request


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512  # bursts of hundreds of commands must not overflow the accept queue


class SlackHttpServer:
    """Serves the Bolt ``app`` on ``host:port`` (port 0: any free port) until ``stop()``."""

    def __init__(self, app, host: str = "0.0.0.0", port: int = 3000, *, path: str = EVENTS_PATH,
                 health=None):
        self.app = app
        self.path = path
        # health() -> (HTTP status, JSON body); without it /healthz only says the server answers
        self._httpd = _Server((host, port), _handler(app, path, health or (lambda: (200, {"ok": True}))))
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        host = self._httpd.server_address[0]
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        return f"http://{shown}:{self.port}{self.path}"

    @property
    def health_url(self) -> str:
        return self.url.removesuffix(self.path) + HEALTH_PATH

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.2,),
                                        name="slack-http", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop accepting requests and close the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def _handler(app, events_path: str, health):
    class Handler(BaseHTTPRequestHandler):
        server_version = "briefbot"
        timeout = READ_TIMEOUT

        def log_message(self, fmt, *args) -> None:
            log.debug("%s " + fmt, self.client_address[0], *args)

        def _send(self, status: int, body: str | dict = "", headers: dict | None = None) -> None:
            data = (body if isinstance(body, str) else json.dumps(body)).encode()
            self.send_response(status)
            content_type = "application/json" if isinstance(body, dict) else "text/plain; charset=utf-8"
            sent = {k.lower() for k in (headers or {})}
            for name, values in (headers or {}).items():
                if name.lower() == "content-length":
                    continue
                for value in values if isinstance(values, list | tuple) else [values]:
                    self.send_header(name, value)
            if "content-type" not in sent:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if urlsplit(self.path).path == HEALTH_PATH:
                try:
                    status, body = health()
                except Exception:
                    log.exception("health check failed")
                    status, body = 503, {"status": "error"}
                self._send(status, body)
            else:
                self._send(404, {"error": "not found"})

        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            if parts.path != events_path:
                self._send(404, {"error": "not found"})
                return
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                self._send(411, {"error": "length required"})
                return
            if not 0 <= length <= MAX_BODY:
                self._send(413, {"error": "request too large"})
                return
            try:
                body = self.rfile.read(length).decode("utf-8")
            except UnicodeDecodeError:
                self._send(400, {"error": "body is not UTF-8"})
                return
            # Slack's verifier turns the timestamp into an int; a garbage one is just unsigned.
            if not self.headers.get("X-Slack-Request-Timestamp", "").strip().isdigit():
                self._send(401, {"error": "invalid request"})
                return
            headers = {k.lower(): [v] for k, v in self.headers.items()}
            try:
                response = app.dispatch(BoltRequest(body=body, query=parts.query, headers=headers))
            except Exception:
                log.exception("Slack request failed")
                self._send(500, {"error": "internal error"})
                return
            self._send(response.status, response.body, response.headers)

    return Handler
