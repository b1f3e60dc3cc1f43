"""Who can be mentioned in a channel, whatever the platform: adapters register a ``Members`` per
platform (``Services.members``) so /watch can refuse a mention of someone who is not there."""

from __future__ import annotations

from typing import Protocol


class MembersUnavailable(RuntimeError):
    """The platform could not be asked (not connected, refused, unreachable)."""


class Members(Protocol):
    """Answers whether mentioned users, roles or groups exist where the watch will post."""

    platform: str

    def missing(self, team_id: str, mentions: list[dict]) -> list[str]:
        """For each mention (``{"kind", "id", "text"}``) that is not in the workspace or server,
        a line saying so; empty when all are. Raises ``MembersUnavailable`` when it cannot tell."""
        ...
