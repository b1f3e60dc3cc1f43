"""Posting scheduled output (digests, notices) to a Discord channel, from any thread.

``DiscordPoster`` sends through the running bot's client (``serve discord``);
``DiscordRestPoster`` needs no gateway connection: it logs in over REST for each call, which is
what ``briefbot digest run`` uses.

Both are ``KeyedPoster``s. A keyed post is sent with a ``nonce`` derived from its idempotency key
and ``enforce_nonce``: Discord then returns the message it already created for that nonce
instead of creating a second one, but only for a few minutes. For a restart after that, the
message also carries a short reference to the key in its footer (``ref`` and the nonce):
Discord keeps no nonce on stored messages, so ``find_post`` looks for that reference among the
bot's own recent messages in the channel (reading them needs View Channel and Read Message
History).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
from dataclasses import replace

import aiohttp
import discord
from discord.http import HTTPClient, Route, handle_message_parameters

from base.reply import Reply
from bot.adapters.discord.render import plain, render
from bot.core.poster import PostError

POST_TIMEOUT = 60.0  # long enough for discord.py to sit out a rate limit (429) and retry
HISTORY_PAGE = 100  # Discord's largest page of channel messages
HISTORY_PAGES = 5  # a keyed post is looked for among the channel's last 500 messages
FOOTER_KEPT = 400  # of the reply's own footer, so the reference always fits (render keeps 500)


def nonce_for(key: str) -> str:
    """The nonce of a keyed post: 25 characters (Discord's limit) derived from ``key``."""
    return "b" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def reference(key: str) -> str:
    """The footer line that lets ``find_post`` recognise the post for ``key``."""
    return f"ref {nonce_for(key)}"


def keyed_reply(reply: Reply, key: str) -> Reply:
    """``reply`` with the key's reference as the last line of its footer."""
    footer = plain(reply.footer, FOOTER_KEPT) if reply.footer else ""
    return replace(reply, private=False, footer=(footer + "\n" if footer else "") + reference(key))


def _channel(channel_id: str) -> int:
    try:
        return int(channel_id)
    except (TypeError, ValueError):
        raise PostError(f"{channel_id!r} is not a Discord channel ID (digits expected)") from None


THREAD_EXISTS = 160004  # "A thread has already been created for this message"
THREAD_ARCHIVE_MINUTES = 10080  # a week: a story's follow-ups keep coming for days


def mention_parts(mentions) -> tuple[str, discord.AllowedMentions]:
    """The ``content`` pinging a watch's own mentions (``<@id>``, ``<@&id>``) and the allowed
    mentions naming exactly them: embeds never ping, and nothing else in a message can."""
    users, roles, text = [], [], []
    for m in mentions or ():
        ident = str(m.get("id") or "")
        if not ident.isdigit():
            continue
        if m.get("kind") == "user":
            users.append(discord.Object(int(ident)))
            text.append(f"<@{ident}>")
        elif m.get("kind") == "role":
            roles.append(discord.Object(int(ident)))
            text.append(f"<@&{ident}>")
    allowed = discord.AllowedMentions(everyone=False, users=users or False, roles=roles or False, replied_user=False)
    return " ".join(text), allowed


async def thread_for(http: HTTPClient, channel_id: int, message_id: str, name: str | None) -> int:
    """The thread on the message ``message_id`` (started now if it has none): its channel id,
    which on Discord is the message's own id."""
    try:
        data = await http.start_thread_with_message(
            channel_id, message_id, name=(" ".join((name or "Follow-ups").split()) or "Follow-ups")[:100],
            auto_archive_duration=THREAD_ARCHIVE_MINUTES,
        )
        return int(data["id"])
    except discord.HTTPException as exc:
        if exc.code == THREAD_EXISTS:
            return int(message_id)
        raise


async def send(http: HTTPClient, channel_id: int, reply: Reply, key: str | None = None, *,
               thread: str | None = None, thread_name: str | None = None, mentions=()) -> str:
    """Send ``reply``'s embeds to a channel (keyed: with the key's nonce and reference; in the
    thread on the message ``thread``; pinging ``mentions``); the message id Discord confirmed."""
    if key is None:
        embeds, nonce = render(replace(reply, private=False)), None
    else:
        embeds, nonce = render(keyed_reply(reply, key)), nonce_for(key)
    content, allowed = mention_parts(mentions)
    target = await thread_for(http, channel_id, thread, thread_name) if thread else channel_id
    # handle_message_parameters sends enforce_nonce with any nonce: Discord answers a repeat
    # with the message it already made.
    with handle_message_parameters(content=content or None, embeds=embeds, nonce=nonce,
                                   allowed_mentions=allowed if content else discord.AllowedMentions.none()) as params:
        data = await http.send_message(target, params=params)
    return str(data["id"])


async def find(http: HTTPClient, bot_user_id: int, channel_id: int, key: str) -> str | None:
    """The id of the bot's recent message in the channel whose footer carries ``key``'s
    reference, or None."""
    ref = reference(key)
    before = None
    for _ in range(HISTORY_PAGES):
        try:
            messages = await http.logs_from(channel_id, HISTORY_PAGE, before=before)
        except discord.NotFound:
            return None  # a thread not started yet holds nothing
        for message in messages:
            if str((message.get("author") or {}).get("id")) != str(bot_user_id):
                continue
            for embed in message.get("embeds") or []:
                if ref in ((embed.get("footer") or {}).get("text") or "").splitlines():
                    return str(message["id"])
        if len(messages) < HISTORY_PAGE:
            return None
        before = messages[-1]["id"]
    return None


def _post_error(exc: BaseException, channel_id: str, doing: str) -> PostError:
    if isinstance(exc, discord.LoginFailure):
        return PostError("Discord rejected DISCORD_TOKEN; nothing was posted")
    if isinstance(exc, discord.HTTPException):
        return PostError(f"Discord refused {doing} channel {channel_id}: HTTP {exc.status} {exc.text}")
    if isinstance(exc, (aiohttp.ClientError, OSError)):
        return PostError(f"Discord could not be reached for {doing} channel {channel_id}: {exc or type(exc).__name__}")
    return PostError(f"{doing} Discord channel {channel_id} failed: {exc}")


class DiscordPoster:
    """Sends a Reply's embeds to a channel on the running client's loop; returns the message id."""

    platform = "discord"

    def __init__(self, bot, *, timeout: float = POST_TIMEOUT):
        self.bot = bot
        self.timeout = timeout

    def post(self, channel_id: str, reply: Reply, **placement) -> str:
        """Post ``reply`` to ``channel_id``; raise ``PostError`` unless Discord confirmed it.
        ``placement``: ``thread`` (a message id), ``thread_name``, ``mentions``."""
        channel = _channel(channel_id)
        if placement:
            return self._run(lambda client: send(client.http, channel, reply, **placement), channel_id, "the post to")
        return self._run(lambda client: client.post_reply(channel, reply), channel_id, "the post to")

    def post_keyed(self, channel_id: str, reply: Reply, key: str, **placement) -> str:
        """Post like ``post``, with ``key``'s nonce and reference (see the module docstring)."""
        channel = _channel(channel_id)
        return self._run(lambda client: send(client.http, channel, reply, key, **placement), channel_id, "the post to")

    def find_post(self, channel_id: str, key: str, *, thread: str | None = None) -> str | None:
        """The id of an earlier post for ``key`` among the channel's (or the thread's) recent
        messages, or None."""
        channel = _channel(thread or channel_id)
        return self._run(lambda client: find(client.http, client.user.id, channel, key), channel_id, "reading")

    def run_http(self, make):
        """Run ``make(http)`` on the client's loop (e.g. a members lookup); its result."""
        return self._run(lambda client: make(client.http), "", "asking")

    def _run(self, make, channel_id: str, doing: str):
        loop, client = self.bot.loop, self.bot.client
        if loop is None or client is None or client.is_closed() or not self.bot.logged_in.is_set():
            raise PostError("not connected to Discord; nothing was posted")
        if _running_loop() is loop:
            # Blocking on the loop we are running on would never finish.
            raise PostError("post() was called on the Discord event loop; call it from another thread")
        future = asyncio.run_coroutine_threadsafe(make(client), loop)
        try:
            return future.result(self.timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise PostError(f"Discord did not confirm {doing} channel {channel_id} within {self.timeout:.0f}s") from None
        except Exception as exc:
            raise _post_error(exc, channel_id, doing) from exc


class DiscordRestPoster:
    """Posts over Discord's REST API alone (no gateway): each call logs in with the bot token at
    ``api_url``, does its requests (discord.py waits out rate limits) and closes the session."""

    platform = "discord"

    def __init__(self, token: str, api_url: str, *, timeout: float = POST_TIMEOUT):
        self.token = token
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout

    def post(self, channel_id: str, reply: Reply, **placement) -> str:
        """Post ``reply`` to ``channel_id``; raise ``PostError`` unless Discord confirmed it.
        ``placement``: ``thread`` (a message id), ``thread_name``, ``mentions``."""
        channel = _channel(channel_id)
        return self._run(lambda http, _: send(http, channel, reply, **placement), channel_id, "the post to")

    def post_keyed(self, channel_id: str, reply: Reply, key: str, **placement) -> str:
        """Post like ``post``, with ``key``'s nonce and reference (see the module docstring)."""
        channel = _channel(channel_id)
        return self._run(lambda http, _: send(http, channel, reply, key, **placement), channel_id, "the post to")

    def find_post(self, channel_id: str, key: str, *, thread: str | None = None) -> str | None:
        """The id of an earlier post for ``key`` among the channel's (or the thread's) recent
        messages, or None."""
        channel = _channel(thread or channel_id)
        return self._run(lambda http, me: find(http, me, channel, key), channel_id, "reading")

    def run_http(self, make):
        """Run ``make(http)`` over a REST login of its own (e.g. a members lookup); its result."""
        return self._run(lambda http, _: make(http), "", "asking")

    def _run(self, make, channel_id: str, doing: str):
        if _running_loop() is not None:
            raise PostError("DiscordRestPoster runs its own event loop; call it from a plain thread")
        try:
            return asyncio.run(asyncio.wait_for(self._session(make), self.timeout))
        except TimeoutError:
            raise PostError(f"Discord did not confirm {doing} channel {channel_id} within {self.timeout:.0f}s") from None
        except Exception as exc:
            raise _post_error(exc, channel_id, doing) from exc

    async def _session(self, make):
        # Route.BASE is where discord.py sends every request; this process talks to one API.
        saved = Route.BASE
        Route.BASE = self.api_url
        http = HTTPClient(asyncio.get_running_loop())
        try:
            me = await http.static_login(self.token)
            return await make(http, int(me["id"]))
        finally:
            await http.close()
            Route.BASE = saved


def _running_loop():
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
