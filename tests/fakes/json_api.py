"""A loopback HTTP server answering JSON the way the Slack Web API, the Discord REST API and an
OpenAI-compatible server do for the calls `briefbot doctor` makes (auth.test,
apps.connections.open, GET /users/@me, GET /models)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.fakes.replies import send_json

# Shaped like real credentials, but not real ones.
SLACK_BOT_TOKEN = "xoxb-2718281828-3141592653589-QwErTyUiOpAsDfGhJkLzXcVb"
SLACK_APP_TOKEN = "xapp-1-A0FAKE00001-3141592653589-0123456789abcdef0123456789abcdef"
SLACK_SIGNING_SECRET = "0123456789abcdef0123456789abcdef"
DISCORD_TOKEN = "MTA5ODc2NTQzMjEwOTg3NjU0Mw.GaBcDe.QwErTyUiOpAsDfGhJkLzXcVbNm0123456789ab"
OPENAI_API_KEY = "sk-fake-0123456789abcdefghijklmnopqrstuv"


class FakeApis:
    """Slack under /slack/api/, Discord under /discord/api/v10, OpenAI under /openai/v1.

    Only the tokens above are accepted; every request is recorded in ``requests``.
    """

    def __init__(self, *, models: tuple[str, ...] = ("gpt-4o-mini", "llama3")):
        self.models = models
        self.requests: list[tuple[str, str, dict]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, payload):
                send_json(self, status, payload)

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fake.requests.append(("POST", self.path, dict(self.headers)))
                auth = self.headers.get("Authorization", "")
                if self.path == "/slack/api/auth.test":
                    if auth == f"Bearer {SLACK_BOT_TOKEN}":
                        return self._answer(200, {"ok": True, "url": "https://fake.slack.com/", "team": "Chip Desk",
                                                  "user": "briefbot", "team_id": "T0FAKE", "user_id": "U0FAKE",
                                                  "bot_id": "B0FAKE"})
                    return self._answer(200, {"ok": False, "error": "invalid_auth"})
                if self.path == "/slack/api/apps.connections.open":
                    if auth == f"Bearer {SLACK_APP_TOKEN}":
                        return self._answer(200, {"ok": True, "url": "wss://127.0.0.1:9/link"})
                    return self._answer(200, {"ok": False, "error": "invalid_auth"})
                return self._answer(404, {"ok": False, "error": "unknown_method"})

            def do_GET(self):
                fake.requests.append(("GET", self.path, dict(self.headers)))
                auth = self.headers.get("Authorization", "")
                if self.path == "/discord/api/v10/users/@me":
                    if auth == f"Bot {DISCORD_TOKEN}":
                        return self._answer(200, {"id": "1098765432109876543", "username": "briefbot", "bot": True})
                    return self._answer(401, {"message": "401: Unauthorized", "code": 0})
                if self.path == "/openai/v1/models":
                    if auth == f"Bearer {OPENAI_API_KEY}":
                        return self._answer(200, {"object": "list", "data": [
                            {"id": m, "object": "model", "owned_by": "fake"} for m in fake.models]})
                    return self._answer(401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}})
                return self._answer(404, {"message": "404: Not Found", "code": 0})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def env(self) -> dict[str, str]:
        """Settings that point every API at this server, with accepted credentials."""
        return {
            "SLACK_BOT_TOKEN": SLACK_BOT_TOKEN,
            "SLACK_APP_TOKEN": SLACK_APP_TOKEN,
            "SLACK_API_URL": f"{self.base}/slack/api/",
            "DISCORD_TOKEN": DISCORD_TOKEN,
            "DISCORD_API_URL": f"{self.base}/discord/api/v10",
            "OPENAI_API_KEY": OPENAI_API_KEY,
            "OPENAI_BASE_URL": f"{self.base}/openai/v1",
        }

    def __enter__(self) -> FakeApis:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
