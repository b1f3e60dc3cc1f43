"""How scheduled output (digests, admin notices) reaches a channel, whatever the platform."""

from __future__ import annotations

from typing import Protocol

from bot.core.reply import Reply


class PostError(RuntimeError):
    """The platform did not confirm the post; nothing may be marked as sent."""


class Poster(Protocol):
    """Posts a Reply to a channel and returns the platform's message id once it confirmed it."""

    platform: str

    def post(self, channel_id: str, reply: Reply) -> str:
        """Post ``reply`` to ``channel_id``; raise ``PostError`` unless the platform confirmed."""
        ...
