"""Who is an admin on Discord: Manage Server, Administrator, or a user in BRIEFBOT_ADMINS.

Checked on real discord.py ``Interaction`` objects built from gateway payloads."""

from __future__ import annotations

import discord
import pytest

from bot.adapters.discord.app import invocation_for, is_admin
from tests.fakes.discord_api import (
    ADMINISTRATOR,
    BOT_ID,
    CHANNEL_ID,
    GUILD_ID,
    MANAGE_GUILD,
    MEMBER_PERMISSIONS,
    USER_ID,
    FakeDiscord,
)

LISTED = (str(USER_ID + 1),)


def bot_user() -> dict:
    return {"id": str(BOT_ID), "username": "briefbot", "discriminator": "0", "avatar": None, "bot": True}


@pytest.fixture(scope="module")
def client():
    """A client as it is once logged in (its own user known), without a connection."""
    client = discord.Client(intents=discord.Intents(guilds=True))
    client._connection.user = discord.ClientUser(state=client._connection, data=bot_user())
    return client


def interaction(client, **kwargs) -> discord.Interaction:
    payload = FakeDiscord().command_interaction("sources", "add https://example.org/feed.xml", **kwargs)
    return discord.Interaction(data=payload, state=client._connection)


@pytest.mark.parametrize(
    ("permissions", "user_id", "expected"),
    [
        (MEMBER_PERMISSIONS, USER_ID, False),
        (MEMBER_PERMISSIONS | MANAGE_GUILD, USER_ID, True),
        (MEMBER_PERMISSIONS | ADMINISTRATOR, USER_ID, True),
        (MEMBER_PERMISSIONS, USER_ID + 1, True),  # listed in BRIEFBOT_ADMINS
    ],
    ids=["member", "manage-server", "administrator", "listed"],
)
def test_admin_in_a_server(client, permissions, user_id, expected):
    assert is_admin(interaction(client, permissions=permissions, user_id=user_id), LISTED) is expected


def test_in_direct_messages_only_listed_users_are_admins(client):
    assert is_admin(interaction(client, guild_id=None, user_id=USER_ID + 1), LISTED)
    assert not is_admin(interaction(client, guild_id=None, user_id=USER_ID), LISTED)


def test_invocation_carries_who_where_and_rights(client):
    inv = invocation_for(interaction(client, permissions=MEMBER_PERMISSIONS | MANAGE_GUILD), "sources",
                         "add https://example.org/feed.xml", LISTED)
    assert (inv.platform, inv.user_id, inv.channel_id, inv.team_id) == (
        "discord", str(USER_ID), str(CHANNEL_ID), str(GUILD_ID))
    assert inv.is_admin and inv.command == "sources" and inv.text == "add https://example.org/feed.xml"
    assert inv.actor == f"discord:{USER_ID}"
