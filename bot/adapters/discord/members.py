"""Who can be mentioned on Discord: a member of the server (GET /guilds/…/members/…) or one of
its roles (GET /guilds/…/roles), asked over the REST API."""

from __future__ import annotations

import discord
from discord.http import HTTPClient

from bot.core.members import MembersUnavailable

UNKNOWN_MEMBER = 10007
UNKNOWN_USER = 10013


async def missing(http: HTTPClient, guild_id: str, mentions: list[dict]) -> list[str]:
    """A line for each mention that is not a member or a role of server ``guild_id``."""
    if not guild_id or not guild_id.isdigit():
        raise MembersUnavailable("this is not a server channel, so nobody can be mentioned here")
    out = []
    roles = None
    for m in mentions:
        if m.get("kind") == "role":
            if roles is None:
                roles = {str(r["id"]) for r in await http.get_roles(guild_id)}
            if m["id"] not in roles:
                out.append(f"{m['text']} is not a role of this server.")
        elif m.get("kind") == "user":
            try:
                await http.get_member(guild_id, m["id"])
            except discord.NotFound:
                out.append(f"{m['text']} is not a member of this server.")
    return out


class DiscordMembers:
    """``Members`` for Discord through the running client (from any thread but its loop's) or,
    given a token, a REST login of its own."""

    platform = "discord"

    def __init__(self, run):
        self._run = run  # (coroutine factory taking an HTTPClient) -> result

    def missing(self, team_id: str, mentions: list[dict]) -> list[str]:
        """See ``missing``; MembersUnavailable when Discord cannot be asked."""
        try:
            return self._run(lambda http: missing(http, team_id, mentions))
        except MembersUnavailable:
            raise
        except discord.HTTPException as exc:
            raise MembersUnavailable(f"Discord would not look the mentions up: HTTP {exc.status} {exc.text}") from None
        except Exception as exc:
            raise MembersUnavailable(f"Discord could not be asked about the mentions: {exc}") from None
