"""A real briefbot Discord client against the fake Discord: start it, talk to it, stop it.

A test reads like a user's story::

    def test_find(discord_seeded):
        exchange = discord_seeded.slash("find", "neuromorphic")
        assert exchange.seconds_to_callback() < 3
        followup = exchange.followup().json
        assert "European Union" in embed_text(followup)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest

from bot.adapters.discord.app import DiscordBot
from bot.app import Services
from bot.config import Settings
from tests.conftest import SEEDS
from tests.fakes.discord_api import GUILD_ID, Exchange, FakeDiscord, Request

ADMIN_USER_ID = 1100000000000000042  # listed in BRIEFBOT_ADMINS in these tests


@dataclass
class DiscordHarness:
    """The fake Discord, the services behind the bot, and the bot running in its own thread."""

    fake: FakeDiscord
    services: Services
    bot: DiscordBot
    thread: threading.Thread
    exit_codes: list[int] = field(default_factory=list)

    def slash(self, name: str, text: str | None = None, **member) -> Exchange:
        """Type ``/name text`` in the fake server (options: user_id, permissions, guild_id)."""
        return self.fake.slash(name, text, **member)

    def ask(self, name: str, text: str | None = None, **member) -> Request:
        """Type ``/name text``; check the deferral came within 3 s; return the followup."""
        exchange = self.slash(name, text, **member)
        exchange.deferral()
        assert exchange.seconds_to_callback() < 3.0
        return exchange.followup()

    def stop(self) -> int:
        """Stop the bot; its exit code."""
        self.bot.stop()
        self.thread.join(15)
        assert not self.thread.is_alive(), "the Discord client did not stop"
        return self.exit_codes[0]


def discord_settings(tmp_path, fake: FakeDiscord, **overrides) -> Settings:
    """Settings pointing the bot at the fake: its token, its API URL, one server."""
    values = {
        "db_path": str(tmp_path / "briefbot.db"),
        "seeds_dir": str(SEEDS),
        "discord_token": fake.token,
        "discord_api_url": fake.api_url,
        "discord_guild_id": str(GUILD_ID),
        "admins": (str(ADMIN_USER_ID),),
    }
    values.update(overrides)
    return Settings.from_env({}, **values)


def start_bot(services: Services, fake: FakeDiscord) -> DiscordHarness:
    """Run the bot in a thread and wait until the fake has sent it READY."""
    bot = DiscordBot(services)
    codes: list[int] = []
    thread = threading.Thread(target=lambda: codes.append(bot.run()), name="discord-bot", daemon=True)
    harness = DiscordHarness(fake, services, bot, thread, codes)
    ready_before = sum(1 for d, p, _ in fake.gateway_events if d == "send" and p.get("t") == "READY")
    thread.start()
    try:
        fake.wait_ready(ready_before + 1)
    except AssertionError:
        bot.stop()
        thread.join(5)
        raise
    return harness


@pytest.fixture
def fake_discord():
    """Discord's REST API and gateway on loopback."""
    fake = FakeDiscord().start()
    yield fake
    fake.close()


@pytest.fixture
def discord_services(tmp_path, fake_discord):
    """Services configured for the fake Discord, over an empty database."""
    services = Services(discord_settings(tmp_path, fake_discord))
    yield services
    services.close()


@pytest.fixture
def discord_bot(discord_services, fake_discord):
    """The bot connected to the fake Discord, over an empty database."""
    harness = start_bot(discord_services, fake_discord)
    yield harness
    assert harness.stop() == 0


@pytest.fixture
def discord_seeded(discord_services, fake_discord):
    """The bot connected to the fake Discord, over the four seed articles."""
    assert not discord_services.ingest([SEEDS]).failed
    harness = start_bot(discord_services, fake_discord)
    yield harness
    assert harness.stop() == 0
