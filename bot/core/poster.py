"""How scheduled output (digests, admin notices) reaches a channel, whatever the platform."""

from __future__ import annotations

from typing import Protocol

from base.reply import Reply


class PostError(RuntimeError):
    """The platform did not confirm the post; nothing may be marked as sent."""


class Poster(Protocol):
    """Posts a Reply to a channel and returns the platform's message id once it confirmed it."""

    platform: str

    def post(self, channel_id: str, reply: Reply) -> str:
        """Post ``reply`` to ``channel_id``; raise ``PostError`` unless the platform confirmed."""
        ...


class KeyedPoster(Poster, Protocol):
    """A Poster that can send an idempotency key with a post and later ask the platform for the
    post that carried it (e.g. Slack message metadata, a Discord nonce). Scheduled digests use it
    to post exactly once even when a crash falls between the platform's acceptance and our
    record of it; with a plain Poster that one window can repeat a post (see digests/post.py)."""

    def post_keyed(self, channel_id: str, reply: Reply, key: str) -> str:
        """Post like ``post``, attaching ``key`` where the platform can find it again."""
        ...

    def find_post(self, channel_id: str, key: str) -> str | None:
        """The message id of an earlier post carrying ``key``, or None."""
        ...
