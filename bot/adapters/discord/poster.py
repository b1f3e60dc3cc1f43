"""Posting scheduled output (digests, notices) to a Discord channel from any thread."""

from __future__ import annotations

import asyncio
import concurrent.futures

import discord

from bot.core.poster import PostError
from bot.core.reply import Reply

POST_TIMEOUT = 60.0  # long enough for discord.py to sit out a rate limit (429) and retry


class DiscordPoster:
    """Sends a Reply's embeds to a channel on the running client's loop; returns the message id."""

    platform = "discord"

    def __init__(self, bot, *, timeout: float = POST_TIMEOUT):
        self.bot = bot
        self.timeout = timeout

    def post(self, channel_id: str, reply: Reply) -> str:
        """Post ``reply`` to ``channel_id``; raise ``PostError`` unless Discord confirmed it."""
        try:
            channel = int(channel_id)
        except (TypeError, ValueError):
            raise PostError(f"{channel_id!r} is not a Discord channel ID (digits expected)") from None
        loop, client = self.bot.loop, self.bot.client
        if loop is None or client is None or client.is_closed() or not self.bot.logged_in.is_set():
            raise PostError("not connected to Discord; nothing was posted")
        if _running_loop() is loop:
            # Blocking on the loop we are running on would never finish.
            raise PostError("post() was called on the Discord event loop; call it from another thread")
        future = asyncio.run_coroutine_threadsafe(client.post_reply(channel, reply), loop)
        try:
            return future.result(self.timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise PostError(f"Discord did not confirm the post to channel {channel_id} within {self.timeout:.0f}s") from None
        except discord.HTTPException as exc:
            raise PostError(f"Discord refused the post to channel {channel_id}: HTTP {exc.status} {exc.text}") from exc
        except Exception as exc:
            raise PostError(f"posting to Discord channel {channel_id} failed: {exc}") from exc


def _running_loop():
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None

