"""A fake Slack on loopback: the Web API, `response_url`s, and the signed requests Slack sends.

It is a real HTTP server (127.0.0.1, a free port) that answers the Web API methods briefbot uses
(`auth.test`, `chat.postMessage`, `conversations.history`, `users.info`, …) the way Slack does,
accepts messages posted to the `response_url`s it hands out, checks Slack's Block Kit limits like
Slack would, and records every request. Messages accepted through `chat.postMessage` stay in
their channel with their metadata (a `thread_ts` makes one a reply in that message's thread);
`conversations.history` lists the channel's messages (not thread replies) newest first, pages with
a cursor, shows metadata payloads only with `include_all_metadata`, and needs the history scopes;
`conversations.replies` lists a thread, its parent first.
`hold()` stops one call at a chosen stage (before Slack read it, before it accepted it, or after
it accepted it but before it answered) until the test releases it: the moments a crash can
fall on. It also plays Slack's other role: `command()` sends a slash command to the app
exactly as Slack does (form-encoded, every payload field, `X-Slack-Signature` and
`X-Slack-Request-Timestamp`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import itertools
import json
import re
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

BOT_TOKEN = "xoxb-1111-2222-fake"
APP_TOKEN = "xapp-1-A0BRIEF01-3333-fake"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM_ID = "T0BRIEF01"
TEAM_DOMAIN = "briefbot-test"
BOT_USER_ID = "U0BOT0001"
APP_ID = "A0BRIEF01"
ENTERPRISE_ID = ""

# Slack's limits, as Slack enforces them on messages (`invalid_blocks` otherwise).
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_FIELDS = 10
MAX_CONTEXT_ELEMENTS = 10
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000

LINK = re.compile(r"<(https?://[^|>]+)\|([^>]*)>")
SCOPES = ("commands", "chat:write", "users:read", "channels:history", "groups:history")
MAX_HISTORY_LIMIT = 999


@dataclass
class Received:
    """One request the fake received."""

    method: str
    path: str
    headers: dict
    raw: bytes
    data: dict
    at: float

    @property
    def text(self) -> str:
        return self.raw.decode("utf-8", "replace")


@dataclass
class Message:
    """A message as Slack received it (at a response_url or through chat.postMessage)."""

    data: dict
    received: Received

    @property
    def blocks(self) -> list[dict]:
        return self.data.get("blocks") or []

    @property
    def response_type(self) -> str:
        return self.data.get("response_type", "ephemeral")

    @property
    def text(self) -> str:
        """Every piece of text a reader could see, one per line (fallback text first)."""
        return "\n".join([self.data.get("text", "")] + list(_texts(self.blocks)))

    @property
    def links(self) -> list[tuple[str, str]]:
        """(url, label) of every mrkdwn link in the message."""
        return LINK.findall(self.text)

    @property
    def buttons(self) -> list[dict]:
        return [el for b in self.blocks if b["type"] == "actions" for el in b["elements"]]


def _texts(blocks):
    for block in blocks:
        if isinstance(block.get("text"), dict):
            yield block["text"]["text"]
        for f in block.get("fields") or []:
            yield f["text"]
        for el in block.get("elements") or []:
            if isinstance(el.get("text"), dict):
                yield el["text"]["text"]
            elif "text" in el:
                yield el["text"]


def block_errors(blocks) -> list[str]:
    """Slack's own checks on a message's blocks; empty when Slack would accept them."""
    errors = []
    if not isinstance(blocks, list):
        return ["blocks must be a list"]
    if len(blocks) > MAX_BLOCKS:
        errors.append(f"{len(blocks)} blocks (max {MAX_BLOCKS})")
    for i, b in enumerate(blocks):
        kind = b.get("type")
        text = b.get("text")
        if kind == "header":
            if text.get("type") != "plain_text":
                errors.append(f"block {i}: header text must be plain_text")
            if not 1 <= len(text.get("text", "")) <= MAX_HEADER_TEXT:
                errors.append(f"block {i}: header text of {len(text.get('text', ''))} chars")
        elif kind == "section":
            if text is not None and not 1 <= len(text.get("text", "")) <= MAX_SECTION_TEXT:
                errors.append(f"block {i}: section text of {len(text.get('text', ''))} chars")
            if len(b.get("fields") or []) > MAX_FIELDS:
                errors.append(f"block {i}: {len(b['fields'])} fields (max {MAX_FIELDS})")
            if text is None and not b.get("fields"):
                errors.append(f"block {i}: section without text or fields")
        elif kind == "context":
            els = b.get("elements") or []
            if not 1 <= len(els) <= MAX_CONTEXT_ELEMENTS:
                errors.append(f"block {i}: {len(els)} context elements")
            for el in els:
                if not 1 <= len(el.get("text", "")) <= MAX_SECTION_TEXT:
                    errors.append(f"block {i}: context text of {len(el.get('text', ''))} chars")
        elif kind == "actions":
            for el in b.get("elements") or []:
                if len(el["text"]["text"]) > MAX_BUTTON_TEXT or len(el.get("value", "")) > MAX_BUTTON_VALUE:
                    errors.append(f"block {i}: button too long")
        elif kind != "divider":
            errors.append(f"block {i}: unexpected block type {kind!r}")
    return errors


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512  # set before listen(): bursts of answers must not wait for a SYN retry


@dataclass
class Scripted:
    """A canned answer for the next call of a method: status, JSON body, headers."""

    status: int
    body: dict
    headers: dict = field(default_factory=dict)


class Hold:
    """One held Web API call: ``reached`` is set when the call got to its stage, and it goes on
    when the test calls ``release()``; ``done`` is set once the fake finished with it.

    Stages: ``arrival`` (the request reached Slack's door; on release it is dropped unread, as
    if the connection had died first), ``accept`` (read, not yet acted on; on release Slack acts
    on it, whether or not the caller is still there), ``reply`` (acted on, e.g. the message is
    posted, but the answer is held back)."""

    def __init__(self, method: str, stage: str):
        if stage not in ("arrival", "accept", "reply"):
            raise ValueError(stage)
        self.method = method
        self.stage = stage
        self.reached = threading.Event()
        self.released = threading.Event()
        self.done = threading.Event()

    def wait(self, timeout: float = 15.0) -> Hold:
        """Wait until the call reached its stage; fail the test if it does not."""
        if not self.reached.wait(timeout):
            raise AssertionError(f"no {self.method} call reached the {self.stage} stage in {timeout}s")
        return self

    def release(self, timeout: float = 15.0) -> None:
        """Let the call go on; wait until the fake finished with it."""
        self.released.set()
        if not self.done.wait(timeout):
            raise AssertionError(f"the held {self.method} call did not finish")


class FakeSlack:
    """The fake Slack server. Use as a context manager (it stops itself)."""

    def __init__(self, *, bot_token: str = BOT_TOKEN, signing_secret: str = SIGNING_SECRET):
        self.bot_token = bot_token
        self.signing_secret = signing_secret
        self.received: list[Received] = []
        self.users: dict[str, dict] = {}
        self.app_url: str | None = None  # where command() sends slash commands
        self._scripted: dict[str, deque[Scripted]] = defaultdict(deque)
        self._holds: dict[str, Hold] = {}
        self.scopes: set[str] = set(SCOPES)
        self.channels: dict[str, list[dict]] = defaultdict(list)  # channel -> messages, oldest first
        self._ts = itertools.count(1)
        self._hooks = itertools.count(1)
        self._cond = threading.Condition()
        self._server = _Server(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._socket_server = None
        self.sockets: list = []  # open Socket Mode connections, newest last
        self.acks: dict[str, dict] = {}  # envelope_id -> the app's acknowledgement

    # -- lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> FakeSlack:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._socket_server is not None:
            self._socket_server.shutdown()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        """The Web API base URL (what SLACK_API_URL is set to)."""
        return self.base_url + "/api/"

    # -- test controls ---------------------------------------------------------------------------

    def add_user(self, user_id: str, name: str = "", *, is_admin: bool = False, is_owner: bool = False) -> None:
        """A workspace member that users.info knows."""
        self.users[user_id] = {
            "id": user_id, "team_id": TEAM_ID, "name": name or user_id.lower(),
            "is_admin": is_admin, "is_owner": is_owner, "is_primary_owner": False, "is_bot": False,
        }

    def script(self, method: str, status: int, body: dict, headers: dict | None = None) -> None:
        """Answer the next call of ``method`` (e.g. ``chat.postMessage``) with this instead."""
        self._scripted[method].append(Scripted(status, body, headers or {}))

    def hold(self, method: str, stage: str = "accept") -> Hold:
        """Hold the next call of ``method`` at ``stage`` (see ``Hold``) until released."""
        hold = Hold(method, stage)
        with self._cond:
            self._holds[method] = hold
        return hold

    def chatter(self, channel: str, n: int, user: str = "U0READER1") -> None:
        """``n`` messages people wrote in ``channel`` (what fills a real channel's history)."""
        with self._cond:
            for i in range(n):
                ts = f"1700000000.{next(self._ts):06d}"
                self.channels[channel].append({"type": "message", "user": user, "text": f"message {i}",
                                               "ts": ts, "team": TEAM_ID})

    def replies_to(self, channel: str, ts: str) -> list[dict]:
        """The replies in the thread of the message ``ts``, oldest first."""
        with self._cond:
            return [m for m in self.channels.get(channel, []) if m.get("thread_ts") == ts and m["ts"] != ts]

    def messages_in(self, channel: str) -> list[dict]:
        """The messages Slack accepted into ``channel`` (thread replies too), oldest first."""
        with self._cond:
            return list(self.channels.get(channel, []))

    def calls(self, method: str) -> list[Received]:
        """Every Web API call of ``method`` so far."""
        return [r for r in self.received if r.path == f"/api/{method}"]

    def new_response_url(self) -> str:
        """A fresh response_url, as Slack puts in each command payload."""
        return f"{self.base_url}/commands/{TEAM_ID}/{next(self._hooks)}/{hashlib.sha1(str(time.time()).encode()).hexdigest()[:24]}"

    def messages_at(self, response_url: str) -> list[Message]:
        """Messages posted to one response_url so far."""
        path = urlsplit(response_url).path
        return [Message(r.data, r) for r in self.received if r.path == path]

    def wait_for_messages(self, response_url: str, n: int = 1, timeout: float = 10.0) -> list[Message]:
        """Wait until ``n`` messages reached ``response_url``; fail the test if they do not."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(msgs := self.messages_at(response_url)) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(msgs)} of {n} messages reached {response_url} in {timeout}s")
                self._cond.wait(left)
        return msgs

    def posted(self) -> list[Message]:
        """Messages accepted through chat.postMessage."""
        return [Message(r.data, r) for r in self.calls("chat.postMessage")]

    # -- playing Slack: sending requests to the app ----------------------------------------------

    def sign(self, body: str, timestamp: int | None = None) -> dict[str, str]:
        """The headers Slack adds to a request body: v0 signature and timestamp."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        base = f"v0:{ts}:{body}".encode()
        sig = "v0=" + hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()
        return {"X-Slack-Signature": sig, "X-Slack-Request-Timestamp": ts}

    def command_payload(self, line: str, *, user_id: str = "U0READER1", user_name: str = "reader",
                        channel_id: str = "C0NEWS001", channel_name: str = "news") -> dict[str, str]:
        """Every field Slack sends with a slash command typed as ``line``."""
        name, _, text = line.strip().partition(" ")
        return {
            "token": "verification-token-unused",
            "team_id": TEAM_ID,
            "team_domain": TEAM_DOMAIN,
            "channel_id": channel_id,
            "channel_name": channel_name,
            "user_id": user_id,
            "user_name": user_name,
            "command": name,
            "text": text.strip(),
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": self.new_response_url(),
            "trigger_id": f"{int(time.time())}.{next(self._hooks)}.abcdef0123456789",
        }

    def post_to_app(self, body: str, headers: dict[str, str], *, path: str = "/slack/events",
                    content_type: str = "application/x-www-form-urlencoded") -> tuple[int, str, float]:
        """POST ``body`` to the app; (status, response body, seconds until the response)."""
        parts = urlsplit(self.app_url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        started = time.perf_counter()
        try:
            conn.request("POST", path, body=body.encode(), headers={"Content-Type": content_type, **headers})
            resp = conn.getresponse()
            data = resp.read().decode()
            return resp.status, data, time.perf_counter() - started
        finally:
            conn.close()

    def command(self, line: str, *, timestamp: int | None = None, signature: str | None = None, **who) -> Sent:
        """Send the slash command ``line`` (e.g. ``"/find chips"``) to the app, signed."""
        payload = self.command_payload(line, **who)
        body = urlencode(payload)
        headers = self.sign(body, timestamp)
        if signature is not None:
            headers["X-Slack-Signature"] = signature
        status, data, seconds = self.post_to_app(body, headers)
        return Sent(self, payload, status, data, seconds)

    def click(self, message: Message, sent: Sent, *, user_id: str | None = None) -> Sent:
        """Click the first button of ``message`` (which answered ``sent``), as Slack sends it."""
        button = message.buttons[0]
        user = user_id or sent.payload["user_id"]
        payload = {
            "type": "block_actions",
            "user": {"id": user, "username": "reader", "name": "reader", "team_id": TEAM_ID},
            "api_app_id": APP_ID,
            "token": "verification-token-unused",
            "container": {"type": "message", "message_ts": "1700000000.000100",
                          "channel_id": sent.payload["channel_id"], "is_ephemeral": True},
            "trigger_id": f"{int(time.time())}.99.fedcba",
            "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": {"id": sent.payload["channel_id"], "name": sent.payload["channel_name"]},
            "response_url": self.new_response_url(),
            "actions": [{
                "action_id": button["action_id"], "block_id": "share", "text": button["text"],
                "value": button.get("value", ""), "type": "button",
                "action_ts": f"{time.time():.6f}",
            }],
        }
        body = urlencode({"payload": json.dumps(payload)})
        status, data, seconds = self.post_to_app(body, self.sign(body))
        return Sent(self, payload, status, data, seconds)

    # -- Socket Mode: the WebSocket Slack pushes envelopes through -------------------------------

    def _socket_url(self) -> str:
        if self._socket_server is None:
            from websockets.sync.server import serve

            def session(conn) -> None:
                with self._cond:
                    self.sockets.append(conn)
                    self._cond.notify_all()
                conn.send(json.dumps({"type": "hello", "num_connections": 1,
                                      "connection_info": {"app_id": APP_ID}}))
                for frame in conn:
                    data = json.loads(frame)
                    with self._cond:
                        self.acks[data.get("envelope_id", "")] = data
                        self._cond.notify_all()

            self._socket_server = serve(session, "127.0.0.1", 0)
            threading.Thread(target=self._socket_server.serve_forever, daemon=True).start()
        host, port = self._socket_server.socket.getsockname()[:2]
        return f"ws://{host}:{port}/link/?ticket=fake"

    def socket_command(self, line: str, timeout: float = 10.0, **who) -> Sent:
        """Push the slash command ``line`` through Socket Mode; wait for the app's ack envelope."""
        payload = self.command_payload(line, **who)
        envelope_id = hashlib.sha1(payload["trigger_id"].encode()).hexdigest()
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self.sockets:
                if not self._cond.wait(max(0.0, deadline - time.monotonic())):
                    raise AssertionError("the app never opened a Socket Mode connection")
        started = time.perf_counter()
        self.sockets[-1].send(json.dumps({"envelope_id": envelope_id, "type": "slash_commands",
                                          "payload": payload, "accepts_response_payload": True}))
        with self._cond:
            while envelope_id not in self.acks:
                if not self._cond.wait(max(0.0, deadline - time.monotonic())):
                    raise AssertionError(f"no ack for {line!r} over Socket Mode")
        return Sent(self, payload, 200, json.dumps(self.acks[envelope_id]), time.perf_counter() - started)

    # -- the HTTP side -----------------------------------------------------------------------------

    def _record(self, received: Received) -> None:
        with self._cond:
            self.received.append(received)
            self._cond.notify_all()

    def _web_api(self, method: str, data: dict, headers: dict) -> tuple[int, dict, dict]:
        if self._scripted.get(method):
            s = self._scripted[method].popleft()
            return s.status, s.body, s.headers
        auth = headers.get("authorization", "")
        if method == "apps.connections.open" and auth != f"Bearer {APP_TOKEN}":
            return 200, {"ok": False, "error": "not_allowed_token_type"}, {}
        if method != "apps.connections.open" and auth != f"Bearer {self.bot_token}":
            return 200, {"ok": False, "error": "invalid_auth" if auth else "not_authed"}, {}
        if method == "auth.test":
            return 200, {"ok": True, "url": f"https://{TEAM_DOMAIN}.slack.com/", "team": "Briefbot Test",
                         "user": "briefbot", "team_id": TEAM_ID, "user_id": BOT_USER_ID,
                         "bot_id": "B0BRIEF01", "is_enterprise_install": False}, {"x-oauth-scopes": ",".join(sorted(self.scopes))}
        if method == "chat.postMessage":
            if not data.get("channel"):
                return 200, {"ok": False, "error": "channel_not_found"}, {}
            if "link_names" in data or data.get("parse") == "full":
                return 200, {"ok": False, "error": "briefbot_must_not_set_link_names_or_parse"}, {}
            errors = block_errors(data.get("blocks", []))
            if errors:
                return 200, {"ok": False, "error": "invalid_blocks", "errors": errors}, {}
            metadata = data.get("metadata")
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    return 200, {"ok": False, "error": "invalid_metadata_format"}, {}
            if metadata is not None and not (
                isinstance(metadata, dict) and isinstance(metadata.get("event_type"), str)
                and isinstance(metadata.get("event_payload"), dict)
            ):
                return 200, {"ok": False, "error": "invalid_metadata_schema"}, {}
            thread_ts = data.get("thread_ts")
            with self._cond:
                if thread_ts and not any(m["ts"] == thread_ts for m in self.channels.get(data["channel"], [])):
                    return 200, {"ok": False, "error": "thread_not_found"}, {}
                ts = f"1700000000.{next(self._ts):06d}"
                message = {"type": "message", "subtype": "bot_message", "text": data.get("text", ""),
                           "ts": ts, "bot_id": "B0BRIEF01", "app_id": APP_ID, "user": BOT_USER_ID,
                           "team": TEAM_ID, "blocks": data.get("blocks", [])}
                if thread_ts:
                    message["thread_ts"] = thread_ts
                if metadata is not None:
                    message["metadata"] = metadata
                self.channels[data["channel"]].append(message)
            return 200, {"ok": True, "channel": data["channel"], "ts": ts, "message": message}, {}
        if method == "conversations.history":
            return self._history(data)
        if method == "conversations.replies":
            return self._history(data, thread=data.get("ts") or "")
        if method == "users.info":
            user = self.users.get(data.get("user", ""))
            if user is None:
                return 200, {"ok": False, "error": "user_not_found"}, {}
            return 200, {"ok": True, "user": user}, {}
        if method == "apps.connections.open":
            return 200, {"ok": True, "url": self._socket_url()}, {}
        if method == "api.test":
            return 200, {"ok": True}, {}
        return 200, {"ok": False, "error": "unknown_method"}, {}

    def _history(self, data: dict, thread: str | None = None) -> tuple[int, dict, dict]:
        channel = data.get("channel", "")
        if not re.fullmatch(r"[CGD][A-Z0-9]{2,}", channel):
            return 200, {"ok": False, "error": "channel_not_found"}, {}
        needed = "groups:history" if channel.startswith("G") else "channels:history"
        if channel.startswith("D"):
            needed = "im:history"
        if needed not in self.scopes:
            return 200, {"ok": False, "error": "missing_scope", "needed": needed,
                         "provided": ",".join(sorted(self.scopes))}, {}
        try:
            limit = min(int(data.get("limit") or 100), MAX_HISTORY_LIMIT)
            start = int(base64.b64decode(data["cursor"]).decode().removeprefix("next:")) if data.get("cursor") else 0
        except (ValueError, UnicodeDecodeError):
            return 200, {"ok": False, "error": "invalid_cursor"}, {}
        with_metadata = str(data.get("include_all_metadata", "")).lower() in ("1", "true")
        with self._cond:
            stored = list(self.channels.get(channel, []))
        if thread is None:
            # A channel's history holds the messages of the channel, not the replies in threads.
            newest_first = [m for m in reversed(stored) if m.get("thread_ts", m["ts"]) == m["ts"]]
        else:
            if not any(m["ts"] == thread for m in stored):
                return 200, {"ok": False, "error": "thread_not_found"}, {}
            # conversations.replies: the parent first, then its replies, oldest first.
            newest_first = [m for m in stored if m["ts"] == thread or m.get("thread_ts") == thread]
        page = []
        for message in newest_first[start:start + limit]:
            message = dict(message)
            if "metadata" in message and not with_metadata:
                # Without include_all_metadata Slack names the event type, not its payload.
                message["metadata"] = {"event_type": message["metadata"]["event_type"]}
            page.append(message)
        more = start + limit < len(newest_first)
        cursor = base64.b64encode(f"next:{start + limit}".encode()).decode() if more else ""
        return 200, {"ok": True, "messages": page, "has_more": more, "pin_count": 0,
                     "response_metadata": {"next_cursor": cursor}}, {}

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _reply(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                with fake._cond:
                    hold = fake._holds.pop(parts.path[5:], None) if parts.path.startswith("/api/") else None
                if hold is not None and hold.stage == "arrival":
                    hold.reached.set()
                    hold.released.wait()
                    self.close_connection = True  # dropped unread: Slack never got it
                    hold.done.set()
                    return
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                ctype = self.headers.get("Content-Type", "")
                if raw.startswith(b"{") or "json" in ctype:
                    data = json.loads(raw or b"{}")
                else:
                    data = {k: v[0] for k, v in parse_qs(raw.decode() or parts.query).items()}
                if isinstance(data, dict) and isinstance(data.get("blocks"), str):
                    data["blocks"] = json.loads(data["blocks"])
                headers = {k.lower(): v for k, v in self.headers.items()}
                fake._record(Received(self.command, parts.path, headers, raw, data, time.monotonic()))
                if parts.path.startswith("/api/"):
                    if hold is not None and hold.stage == "accept":
                        hold.reached.set()
                        hold.released.wait()
                    status, body, extra = fake._web_api(parts.path[5:], data, headers)
                    if hold is not None and hold.stage == "reply":
                        hold.reached.set()
                        hold.released.wait()
                    try:
                        self._reply(status, json.dumps(body).encode(), "application/json; charset=utf-8", extra)
                    except OSError:
                        if hold is None:
                            raise
                        self.close_connection = True  # the caller is gone; Slack acted anyway
                    finally:
                        if hold is not None:
                            hold.done.set()
                elif parts.path.startswith("/commands/"):
                    # Slack answers a response_url post with plain "ok", or an error word.
                    errors = block_errors(data.get("blocks", [])) if "blocks" in data else []
                    if errors:
                        self._reply(400, b"invalid_blocks", "text/plain")
                    elif not (data.get("text") or data.get("blocks") or data.get("delete_original")):
                        self._reply(400, b"no_text", "text/plain")
                    else:
                        self._reply(200, b"ok", "text/html")
                else:
                    self._reply(404, b"not found", "text/plain")

            do_POST = _handle
            do_GET = _handle

        return Handler


@dataclass
class Sent:
    """A request the fake sent to the app: its payload, the app's HTTP answer and how long it took."""

    fake: FakeSlack
    payload: dict
    status: int
    body: str
    seconds: float

    def answer(self, timeout: float = 10.0) -> Message:
        """The (first) message the app posted to this request's response_url."""
        return self.fake.wait_for_messages(self.payload["response_url"], 1, timeout)[0]

    def answers(self, n: int, timeout: float = 10.0) -> list[Message]:
        """The first ``n`` messages the app posted to this request's response_url."""
        return self.fake.wait_for_messages(self.payload["response_url"], n, timeout)
