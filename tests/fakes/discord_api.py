"""A fake Discord on loopback: the REST API (under /api/v10) and the gateway (a websocket at
/gateway), speaking the real protocol to a real discord.py client, recording everything.

REST: GET /users/@me, GET /oauth2/applications/@me, GET /gateway/bot, command sync (PUT),
interaction callbacks (?with_response=1, answered with {"interaction": …}), webhook followups,
threads started on a message (POST …/messages/{id}/threads; the thread's id is the message's, one
per message, 160004 for a second), guild members and roles (GET, 10007 for a stranger),
channel messages: POST (with ``nonce`` + ``enforce_nonce``, a repeat within ``nonce_window``
seconds by the same author returns the message already made, as Discord does) and GET (newest
first, ``limit``/``before``/``after``; stored messages carry no nonce, as on Discord). Every JSON answer has ``Content-Type: application/json`` exactly (discord.py
ignores the body otherwise). Message payloads are checked against Discord's embed limits and
refused with 400 / 50035 like Discord does.

Gateway: HELLO, IDENTIFY → READY, heartbeat ACKs, RESUME → RESUMED (or INVALID_SESSION when
resuming is switched off), then INTERACTION_CREATE dispatches sent by the test.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

APPLICATION_ID = 1100000000000000001
BOT_ID = 1100000000000000002
GUILD_ID = 1100000000000000003
CHANNEL_ID = 1100000000000000004
OWNER_ID = 1100000000000000005
USER_ID = 1100000000000000006  # an ordinary member
EPHEMERAL = 64
MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 31)  # view, send, embed, use app commands

_LIMITS = {"title": 256, "description": 4096, "fields": 25, "field.name": 256, "field.value": 1024,
           "footer": 2048, "total": 6000, "embeds": 10, "content": 2000}


@dataclass
class Request:
    """One REST request the fake received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    at: float = field(default_factory=time.monotonic)
    status: int = 200
    response: Any = None


def embed_limit_errors(payload: dict) -> list[str]:
    """Why Discord would refuse this message payload (empty when it would accept it)."""
    errors = []
    content = payload.get("content") or ""
    if len(content) > _LIMITS["content"]:
        errors.append(f"content has {len(content)} characters")
    embeds = payload.get("embeds") or []
    if len(embeds) > _LIMITS["embeds"]:
        errors.append(f"{len(embeds)} embeds")
    total = 0
    for i, e in enumerate(embeds):
        title, desc = e.get("title") or "", e.get("description") or ""
        footer = (e.get("footer") or {}).get("text") or ""
        if len(title) > _LIMITS["title"]:
            errors.append(f"embed {i} title has {len(title)} characters")
        if len(desc) > _LIMITS["description"]:
            errors.append(f"embed {i} description has {len(desc)} characters")
        if len(footer) > _LIMITS["footer"]:
            errors.append(f"embed {i} footer has {len(footer)} characters")
        fields = e.get("fields") or []
        if len(fields) > _LIMITS["fields"]:
            errors.append(f"embed {i} has {len(fields)} fields")
        total += len(title) + len(desc) + len(footer) + len((e.get("author") or {}).get("name") or "")
        for f in fields:
            if not f.get("name") or not f.get("value"):
                errors.append(f"embed {i} has an empty field")
            if len(f.get("name", "")) > _LIMITS["field.name"]:
                errors.append(f"embed {i} field name has {len(f['name'])} characters")
            if len(f.get("value", "")) > _LIMITS["field.value"]:
                errors.append(f"embed {i} field value has {len(f['value'])} characters")
            total += len(f.get("name", "")) + len(f.get("value", ""))
        url = e.get("url")
        if url is not None and not re.match(r"https?://\S+$", url):
            errors.append(f"embed {i} url {url!r} is not a URL")
    if total > _LIMITS["total"]:
        errors.append(f"embeds have {total} characters in all")
    if not content and not embeds and not payload.get("components"):
        errors.append("empty message")
    return errors


def embed_text(payload: dict) -> str:
    """Every visible text of a message payload's embeds, joined by newlines."""
    parts = []
    for e in payload.get("embeds") or []:
        parts += [e.get("title") or "", e.get("description") or ""]
        for f in e.get("fields") or []:
            parts += [f["name"], f["value"]]
        parts.append((e.get("footer") or {}).get("text") or "")
    return "\n".join(p for p in parts if p)


def _user(user_id: int, name: str, *, bot: bool = False) -> dict:
    return {"id": str(user_id), "username": name, "discriminator": "0", "global_name": name,
            "avatar": None, "bot": bot, "flags": 0, "public_flags": 0}


class FakeDiscord:
    """Discord's REST API and gateway on 127.0.0.1, in a thread of its own."""

    def __init__(self, *, token: str = "fake-bot-token"):
        self.token = token
        self.requests: list[Request] = []
        self.gateway_events: list[tuple[str, dict, float]] = []  # (direction, payload, time)
        self.connections = 0
        self.allow_resume = True
        self.session_id: str | None = None
        self.seq = 0
        self._ws: web.WebSocketResponse | None = None
        self._failures: list[tuple[str, str, int, dict, dict]] = []
        self._ids = itertools.count(1300000000000000000)
        self.channels: dict[str, list[dict]] = {}  # channel id -> messages, oldest first
        self.threads: dict[str, dict] = {}  # thread id (= its message's id) -> thread channel
        self.members: set[str] = {str(OWNER_ID), str(USER_ID)}  # user ids in GUILD_ID
        self.roles: dict[str, str] = {str(GUILD_ID): "@everyone"}  # role id -> name in GUILD_ID
        self.nonce_window = 300.0  # Discord: "the past few minutes"
        self._nonces: dict[tuple[str, str], tuple[float, dict]] = {}
        self._cond = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- life cycle -------------------------------------------------------------------------

    def start(self) -> FakeDiscord:
        """Listen on a free loopback port."""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-discord", daemon=True)
        self._thread.start()
        self._call(self._start())
        return self

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    def close(self) -> None:
        """Stop serving and end the thread."""
        if self._loop is None:
            return
        if self._runner is not None:
            self._call(self._stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    async def _stop(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        await self._runner.cleanup()

    def _call(self, coro, timeout: float = 10.0):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # --- waiting for what the bot did -------------------------------------------------------

    def wait_for(self, predicate, timeout: float = 5.0, what: str = "it"):
        """Wait until ``predicate()`` returns something truthy; return it."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                result = predicate()
                if result:
                    return result
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
                self._cond.wait(left)

    def find(self, method: str, pattern: str) -> list[Request]:
        """Recorded requests whose method matches and whose path matches ``pattern``."""
        with self._cond:
            return [r for r in self.requests if r.method == method and re.fullmatch(pattern, r.path)]

    def identifies(self) -> list[dict]:
        return [p for d, p, _ in list(self.gateway_events) if d == "recv" and p.get("op") == 2]

    def resumes(self) -> list[dict]:
        return [p for d, p, _ in list(self.gateway_events) if d == "recv" and p.get("op") == 6]

    def wait_ready(self, count: int = 1, timeout: float = 10.0) -> None:
        """Wait until READY (or RESUMED) has been sent ``count`` times in all."""
        self.wait_for(
            lambda: sum(1 for d, p, _ in self.gateway_events if d == "send" and p.get("t") in ("READY", "RESUMED")) >= count,
            timeout, f"READY/RESUMED #{count}",
        )

    def _notify(self) -> None:
        with self._cond:
            self._cond.notify_all()

    # --- controls ---------------------------------------------------------------------------

    def messages_in(self, channel_id: int | str) -> list[dict]:
        """The messages created in a channel (through POST /channels/…/messages), oldest first."""
        with self._cond:
            return list(self.channels.get(str(channel_id), []))

    def chatter(self, channel_id: int | str, n: int, user_id: int = USER_ID) -> None:
        """``n`` messages members wrote in a channel (what fills a real channel's history)."""
        with self._cond:
            for i in range(n):
                msg = self._message(str(channel_id), {"content": f"message {i}"})
                msg["author"] = _user(user_id, "reader")
                self.channels.setdefault(str(channel_id), []).append(msg)

    def thread_candidates(self) -> list[str]:
        """Ids of messages a thread could be started on but has not been (reading one is a 404)."""
        with self._cond:
            return [m["id"] for msgs in self.channels.values() for m in msgs if m["id"] not in self.threads]

    def forget_nonces(self) -> None:
        """Let the nonce window pass: a repeated nonce now makes a new message, as on Discord."""
        with self._cond:
            self._nonces.clear()

    def fail_next(self, method: str, pattern: str, status: int, body: dict, headers: dict | None = None) -> None:
        """Answer the next matching request with ``status`` and ``body`` (e.g. a 429)."""
        with self._cond:
            self._failures.append((method, pattern, status, body, headers or {}))

    def dispatch(self, event: str, data: dict) -> float:
        """Send a DISPATCH on the current gateway connection; the time it was sent."""
        return self._call(self._dispatch(event, data))

    async def _dispatch(self, event: str, data: dict) -> float:
        if self._ws is None:
            raise AssertionError("no gateway connection to dispatch on")
        self.seq += 1
        await self._send(self._ws, {"op": 0, "t": event, "s": self.seq, "d": data})
        return time.monotonic()

    def drop_gateway(self, code: int = 4000) -> None:
        """Close the bot's websocket from the server side, as Discord does now and then."""
        self._call(self._drop(code))

    async def _drop(self, code: int) -> None:
        if self._ws is not None:
            ws, self._ws = self._ws, None
            await ws.close(code=code, message=b"fake Discord dropped the connection")

    # --- payload builders -------------------------------------------------------------------

    def member(self, user_id: int = USER_ID, permissions: int = MEMBER_PERMISSIONS, name: str = "reader") -> dict:
        """A guild member payload with the given resolved permissions."""
        return {"user": _user(user_id, name), "roles": [], "joined_at": "2024-01-01T00:00:00+00:00",
                "deaf": False, "mute": False, "flags": 0, "pending": False, "nick": None,
                "permissions": str(permissions)}

    def _channel(self, channel_id: int, guild_id: int | None, user_id: int = USER_ID) -> dict:
        if guild_id is None:  # a direct message with the bot
            return {"id": str(channel_id), "type": 1, "last_message_id": None, "flags": 0,
                    "recipients": [_user(user_id, "reader")]}
        return {"id": str(channel_id), "type": 0, "guild_id": str(guild_id) if guild_id else None,
                "name": "briefings", "position": 0, "permission_overwrites": [], "nsfw": False,
                "parent_id": None, "topic": None, "rate_limit_per_user": 0, "last_message_id": None,
                "flags": 0}

    def _interaction(self, kind: int, data: dict, *, user_id: int, permissions: int, guild_id: int | None,
                     channel_id: int, message: dict | None = None) -> dict:
        payload = {
            "id": str(next(self._ids)),
            "application_id": str(APPLICATION_ID),
            "type": kind,
            "token": "itok-" + secrets.token_hex(16),
            "version": 1,
            "data": data,
            "channel_id": str(channel_id),
            "channel": self._channel(channel_id, guild_id, user_id),
            "locale": "en-US",
            "app_permissions": str(MEMBER_PERMISSIONS),
            "entitlements": [],
            "attachment_size_limit": 26214400,
            "context": 0 if guild_id else 1,
        }
        if guild_id:
            payload["guild_id"] = str(guild_id)
            payload["guild_locale"] = "en-US"
            payload["member"] = self.member(user_id, permissions)
            payload["authorizing_integration_owners"] = {"0": str(guild_id)}
        else:
            payload["user"] = _user(user_id, "reader")
            payload["authorizing_integration_owners"] = {"1": str(user_id)}
        if message is not None:
            payload["message"] = message
        return payload

    def command_interaction(self, name: str, text: str | None = None, *, user_id: int = USER_ID,
                            permissions: int = MEMBER_PERMISSIONS, guild_id: int | None = GUILD_ID,
                            channel_id: int = CHANNEL_ID) -> dict:
        """An INTERACTION_CREATE payload for ``/name text`` typed by ``user_id``."""
        data: dict = {"id": str(next(self._ids)), "name": name, "type": 1}
        if guild_id:
            data["guild_id"] = str(guild_id)
        if text is not None:
            data["options"] = [{"type": 3, "name": "text", "value": text}]
        return self._interaction(2, data, user_id=user_id, permissions=permissions, guild_id=guild_id,
                                 channel_id=channel_id)

    def button_interaction(self, message: dict, custom_id: str, *, user_id: int = USER_ID,
                           guild_id: int | None = GUILD_ID) -> dict:
        """An INTERACTION_CREATE payload for a click on a button of ``message``."""
        data = {"custom_id": custom_id, "component_type": 2}
        return self._interaction(3, data, user_id=user_id, permissions=MEMBER_PERMISSIONS, guild_id=guild_id,
                                 channel_id=int(message["channel_id"]), message=message)

    # --- the story a test tells -------------------------------------------------------------

    def slash(self, name: str, text: str | None = None, **member) -> Exchange:
        """Send ``/name text`` as an interaction; follow what the bot answers."""
        payload = self.command_interaction(name, text, **member)
        sent = self.dispatch("INTERACTION_CREATE", payload)
        return Exchange(self, payload, sent)

    def click(self, message: dict, custom_id: str, **member) -> Exchange:
        """Click a button of ``message``; follow what the bot answers."""
        payload = self.button_interaction(message, custom_id, **member)
        sent = self.dispatch("INTERACTION_CREATE", payload)
        return Exchange(self, payload, sent)

    # --- gateway ----------------------------------------------------------------------------

    async def _send(self, ws: web.WebSocketResponse, payload: dict) -> None:
        self.gateway_events.append(("send", payload, time.monotonic()))
        await ws.send_str(json.dumps(payload))
        self._notify()

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        self.connections += 1
        await self._send(ws, {"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            self.gateway_events.append(("recv", payload, time.monotonic()))
            self._notify()
            op = payload.get("op")
            if op == 1:
                await self._send(ws, {"op": 11, "d": None, "s": None, "t": None})
            elif op == 2:
                if payload["d"].get("token") != self.token:
                    await ws.close(code=4004, message=b"Authentication failed.")
                    break
                self.session_id = "session-" + secrets.token_hex(8)
                self.seq += 1
                ready = {"v": 10, "user": _user(BOT_ID, "briefbot", bot=True), "guilds": [],
                         "session_id": self.session_id, "resume_gateway_url": self.gateway_url,
                         "application": {"id": str(APPLICATION_ID), "flags": 0}, "private_channels": [],
                         "relationships": []}
                await self._send(ws, {"op": 0, "t": "READY", "s": self.seq, "d": ready})
            elif op == 6:
                d = payload["d"]
                if self.allow_resume and d.get("session_id") == self.session_id and d.get("token") == self.token:
                    self.seq += 1
                    await self._send(ws, {"op": 0, "t": "RESUMED", "s": self.seq, "d": {}})
                else:
                    await self._send(ws, {"op": 9, "d": False, "s": None, "t": None})
        if self._ws is ws:
            self._ws = None
        return ws

    # --- REST -------------------------------------------------------------------------------

    @staticmethod
    def _json(status: int, body: Any, headers: dict | None = None) -> web.Response:
        # Exactly "application/json": discord.py compares the header as a whole string.
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        return web.Response(status=status, body=json.dumps(body).encode(), headers=hdrs)

    def _message(self, channel_id: str, payload: dict, *, flags: int = 0, webhook_id: str | None = None) -> dict:
        msg = {
            "id": str(next(self._ids)), "channel_id": str(channel_id), "type": 0 if webhook_id is None else 20,
            "content": payload.get("content") or "", "embeds": payload.get("embeds") or [],
            "components": payload.get("components") or [], "attachments": [], "mentions": [],
            "mention_roles": [], "mention_everyone": False, "pinned": False, "tts": False,
            "timestamp": "2025-01-01T00:00:00+00:00", "edited_timestamp": None,
            "flags": flags | int(payload.get("flags") or 0),
            "author": _user(BOT_ID, "briefbot", bot=True),
        }
        if webhook_id is not None:
            msg["webhook_id"] = webhook_id
            msg["application_id"] = str(APPLICATION_ID)
        return msg

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        rec = Request(request.method, path, dict(request.query), dict(request.headers), body)
        with self._cond:
            self.requests.append(rec)
            failure = next((f for f in self._failures if f[0] == request.method and re.fullmatch(f[1], path)), None)
            if failure:
                self._failures.remove(failure)
        try:
            if failure:
                status, out, headers = failure[2], failure[3], failure[4]
            else:
                (status, out), headers = self._answer(request.method, path, body, request.headers, dict(request.query)), {}
            rec.status, rec.response = status, out
            return self._json(status, out, headers)
        finally:
            self._notify()

    def _authorised(self, headers) -> bool:
        return headers.get("Authorization") == f"Bot {self.token}"

    def _answer(self, method: str, path: str, body: Any, headers, query: dict | None = None) -> tuple[int, Any]:
        query = query or {}
        unauthorised = (401, {"message": "401: Unauthorized", "code": 0})
        m = re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path)
        if method == "POST" and m:
            return self._callback(m.group(1), body)
        m = re.fullmatch(r"/webhooks/(\d+)/([^/]+)(/messages/@original)?", path)
        if m and method in ("POST", "PATCH"):
            if m.group(1) != str(APPLICATION_ID):
                return 404, {"message": "Unknown Webhook", "code": 10015}
            errors = embed_limit_errors(body or {})
            if errors:
                return 400, {"message": "Invalid Form Body", "code": 50035, "errors": errors}
            return 200, self._message(str(CHANNEL_ID), body, webhook_id=m.group(1))
        if not self._authorised(headers):
            return unauthorised
        if method == "GET" and path == "/users/@me":
            return 200, {**_user(BOT_ID, "briefbot", bot=True), "verified": True, "mfa_enabled": False}
        if method == "GET" and path == "/oauth2/applications/@me":
            return 200, {"id": str(APPLICATION_ID), "name": "briefbot", "description": "", "icon": None,
                         "bot_public": True, "bot_require_code_grant": False, "verify_key": "0" * 64,
                         "owner": _user(OWNER_ID, "owner"), "flags": 0, "team": None}
        if method == "GET" and path == "/gateway/bot":
            return 200, {"url": self.gateway_url, "shards": 1,
                         "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0,
                                                 "max_concurrency": 1}}
        m = re.fullmatch(rf"/applications/{APPLICATION_ID}(?:/guilds/(\d+))?/commands", path)
        if method == "PUT" and m:
            return 200, [
                {**cmd, "id": str(next(self._ids)), "application_id": str(APPLICATION_ID),
                 "guild_id": m.group(1), "version": "1", "type": cmd.get("type", 1)}
                for cmd in body or []
            ]
        m = re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", path)
        if method == "POST" and m:
            return self._start_thread(m.group(1), m.group(2), body or {})
        m = re.fullmatch(r"/guilds/(\d+)/members/(\d+)", path)
        if method == "GET" and m:
            if m.group(1) != str(GUILD_ID) or m.group(2) not in self.members:
                return 404, {"message": "Unknown Member", "code": 10007}
            return 200, self.member(int(m.group(2)))
        m = re.fullmatch(r"/guilds/(\d+)/roles", path)
        if method == "GET" and m:
            if m.group(1) != str(GUILD_ID):
                return 404, {"message": "Unknown Guild", "code": 10004}
            return 200, [{"id": rid, "name": name, "color": 0, "hoist": False, "position": i, "permissions": "0",
                          "managed": False, "mentionable": True, "flags": 0}
                         for i, (rid, name) in enumerate(self.roles.items())]
        m = re.fullmatch(r"/channels/(\d+)/messages", path)
        if method == "POST" and m:
            errors = embed_limit_errors(body or {})
            nonce = (body or {}).get("nonce")
            if nonce is not None and (not isinstance(nonce, (str, int)) or len(str(nonce)) > 25):
                errors.append("nonce must be an integer or a string of at most 25 characters")
            if errors:
                return 400, {"message": "Invalid Form Body", "code": 50035, "errors": errors}
            with self._cond:
                seen = self._nonces.get((str(BOT_ID), str(nonce))) if nonce is not None else None
                if seen and body.get("enforce_nonce") and time.monotonic() - seen[0] < self.nonce_window:
                    return 200, seen[1]
                msg = self._message(m.group(1), body)
                stored = dict(msg)
                self.channels.setdefault(m.group(1), []).append(stored)
                if nonce is not None:
                    msg["nonce"] = nonce  # in the answer only: Discord does not keep it
                    self._nonces[(str(BOT_ID), str(nonce))] = (time.monotonic(), msg)
            return 200, msg
        if method == "GET" and m:
            if m.group(1) in {str(x) for x in self.thread_candidates()} and m.group(1) not in self.channels:
                return 404, {"message": "Unknown Channel", "code": 10003}
            return 200, self._history(m.group(1), query)
        return 404, {"message": "404: Not Found", "code": 0}

    def _start_thread(self, channel_id: str, message_id: str, body: dict) -> tuple[int, Any]:
        """Start a thread on a message: its id is the message's; one thread per message."""
        with self._cond:
            if not any(m["id"] == message_id for m in self.channels.get(channel_id, [])):
                return 404, {"message": "Unknown Message", "code": 10008}
            if message_id in self.threads:
                return 400, {"message": "A thread has already been created for this message", "code": 160004}
            name = body.get("name") or ""
            if not 1 <= len(name) <= 100:
                return 400, {"message": "Invalid Form Body", "code": 50035, "errors": ["name must be 1-100 characters"]}
            thread = {"id": message_id, "type": 11, "guild_id": str(GUILD_ID), "parent_id": channel_id,
                      "name": name, "owner_id": str(BOT_ID), "flags": 0, "rate_limit_per_user": 0,
                      "message_count": 0, "member_count": 1,
                      "thread_metadata": {"archived": False, "locked": False,
                                          "auto_archive_duration": body.get("auto_archive_duration", 1440),
                                          "archive_timestamp": "2025-01-01T00:00:00+00:00"}}
            self.threads[message_id] = thread
            self.channels.setdefault(message_id, [])
        return 201, thread

    def _history(self, channel_id: str, query: dict) -> list[dict]:
        limit = max(1, min(int(query.get("limit") or 50), 100))
        with self._cond:
            newest_first = list(reversed(self.channels.get(channel_id, [])))
        if query.get("before"):
            newest_first = [x for x in newest_first if int(x["id"]) < int(query["before"])]
        if query.get("after"):
            newest_first = [x for x in newest_first if int(x["id"]) > int(query["after"])]
        return newest_first[:limit]

    def _callback(self, interaction_id: str, body: dict) -> tuple[int, Any]:
        kind = body.get("type")
        data = body.get("data") or {}
        flags = int(data.get("flags") or 0)
        if kind == 4:
            errors = embed_limit_errors(data)
            if errors:
                return 400, {"message": "Invalid Form Body", "code": 50035, "errors": errors}
        resource: dict = {"type": kind}
        if kind == 4:
            resource["message"] = self._message(str(CHANNEL_ID), data, webhook_id=str(APPLICATION_ID))
        return 200, {
            "interaction": {"id": interaction_id, "type": 2, "response_message_loading": kind == 5,
                            "response_message_ephemeral": bool(flags & EPHEMERAL),
                            "response_message_id": resource.get("message", {}).get("id")},
            "resource": resource,
        }


class Exchange:
    """One interaction sent to the bot and what the bot answered to it."""

    def __init__(self, fake: FakeDiscord, payload: dict, sent_at: float):
        self.fake = fake
        self.payload = payload
        self.sent_at = sent_at

    @property
    def token(self) -> str:
        return self.payload["token"]

    def callback(self, timeout: float = 5.0) -> Request:
        """The interaction response (the deferral, or a direct message)."""
        pattern = rf"/interactions/{self.payload['id']}/{re.escape(self.token)}/callback"
        return self.fake.wait_for(lambda: next(iter(self.fake.find("POST", pattern)), None), timeout,
                                  f"the response to interaction {self.payload['id']}")

    def deferral(self, timeout: float = 5.0) -> Request:
        """The deferral; asserts it is one (type 5)."""
        rec = self.callback(timeout)
        assert rec.json["type"] == 5, rec.json
        return rec

    def seconds_to_callback(self, timeout: float = 5.0) -> float:
        """Seconds from sending the interaction to receiving its response."""
        return self.callback(timeout).at - self.sent_at

    def followup(self, timeout: float = 10.0) -> Request:
        """The first followup message the bot sent with this interaction's token."""
        pattern = rf"/webhooks/{APPLICATION_ID}/{re.escape(self.token)}"
        return self.fake.wait_for(lambda: next(iter(self.fake.find("POST", pattern)), None), timeout,
                                  f"a followup to interaction {self.payload['id']}")
