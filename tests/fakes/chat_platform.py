"""A fake chat platform that accepts posts over real HTTP on 127.0.0.1, and the client a bot
uses to post to it: ``KeyedPlatformPoster`` (a ``KeyedPoster``) or ``PlatformPoster`` (a plain
``Poster``).

``POST /post`` ``{"channel", "text", "key"}`` stores a message and answers ``{"id"}``;
``GET /find?channel=…&key=…`` answers the id of the message that carried ``key`` (404 if none).
``mode`` makes it misbehave the way real platforms and networks do:
- ``ok``: accept and confirm;
- ``refuse``: HTTP 500, nothing stored (the platform did not accept);
- ``accept_then_fail``: store the message, then answer HTTP 500 (accepted, confirmation lost);
- ``accept_then_hang``: store the message and never answer (until ``release()``), so a test can
  kill the posting process between the platform's acceptance and the bot's record of it.
"""

from __future__ import annotations

import itertools
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bot.adapters.console.render import render
from bot.core.poster import PostError
from tests.fakes.replies import send_json


class FakePlatform:
    """Start with ``with FakePlatform() as platform:``; messages are in ``messages``."""

    def __init__(self, mode: str = "ok"):
        self.mode = mode
        self.messages: list[dict] = []
        self.accepted = threading.Event()
        self._release = threading.Event()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        platform = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                mode = platform.mode
                if mode == "refuse":
                    self._send(500, {"ok": False, "error": "internal_error"})
                    return
                with platform._lock:
                    message = {"id": f"m{next(platform._ids)}", **body}
                    platform.messages.append(message)
                platform.accepted.set()
                if mode == "accept_then_hang":
                    platform._release.wait(30)
                    return
                if mode == "accept_then_fail":
                    self._send(500, {"ok": False, "error": "internal_error"})
                    return
                self._send(200, {"ok": True, "id": message["id"]})

            def do_GET(self):
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                channel, key = query.get("channel", [""])[0], query.get("key", [""])[0]
                for m in platform.messages:
                    if m["channel"] == channel and m.get("key") == key:
                        self._send(200, {"ok": True, "id": m["id"]})
                        return
                self._send(404, {"ok": False, "error": "not_found"})

            def _send(self, status, payload):
                send_json(self, status, payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def in_channel(self, channel: str) -> list[dict]:
        return [m for m in self.messages if m["channel"] == channel]

    def release(self) -> None:
        self._release.set()

    def __enter__(self) -> FakePlatform:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()


class PlatformPoster:
    """A plain ``Poster`` for a ``FakePlatform``: it posts, and cannot look a post up."""

    platform = "fakechat"

    def __init__(self, url: str, *, timeout: float = 10):
        self.url = url
        self.timeout = timeout

    def post(self, channel_id, reply):
        return self._post(channel_id, reply, None)

    def _post(self, channel_id, reply, key):
        data = json.dumps({"channel": channel_id, "text": render(reply), "key": key}).encode()
        req = urllib.request.Request(self.url + "/post", data=data, method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return json.loads(resp.read())["id"]
        except urllib.error.HTTPError as exc:
            raise PostError(f"HTTP {exc.code}") from None
        except OSError as exc:
            raise PostError(str(exc)) from None


class KeyedPlatformPoster(PlatformPoster):
    """A ``KeyedPoster``: sends the idempotency key with each post and can find a post by it."""

    def post_keyed(self, channel_id, reply, key):
        return self._post(channel_id, reply, key)

    def find_post(self, channel_id, key):
        query = urllib.parse.urlencode({"channel": channel_id, "key": key})
        try:
            with urllib.request.urlopen(f"{self.url}/find?{query}", timeout=self.timeout) as resp:
                return json.loads(resp.read())["id"]
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise PostError(f"HTTP {exc.code}") from None
