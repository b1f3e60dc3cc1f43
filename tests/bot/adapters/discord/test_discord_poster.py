"""Scheduled posts reach a Discord channel, or fail loudly; the entry point serve() calls."""

from __future__ import annotations

import threading

import pytest

from base.reply import Answer, Reply, SourceRef
from bot.adapters.discord.app import DiscordBot
from bot.adapters.discord.poster import DiscordPoster, DiscordRestPoster
from bot.core.poster import PostError
from bot.serve import serve
from tests.bot.adapters.discord.conftest import discord_settings
from tests.fakes.discord_api import CHANNEL_ID, embed_text

DIGEST = Reply(
    title="Daily briefing: 1 new story",
    answers=[Answer(kind="story", title="@everyone MOTIE and ten partners sign packaging MOU",
                    lines=["Eleven organisations agreed on advanced packaging at Eltower, Seoul."],
                    sources=[SourceRef("Packaging MOU", url="https://news.example.org/mou", published="2024-08-29")])],
    private=False,
)
MESSAGES = r"/channels/\d+/messages"


def test_post_sends_the_embeds_and_returns_discords_message_id(discord_bot):
    poster = discord_bot.services.posters["discord"]
    message_id = poster.post(str(CHANNEL_ID), DIGEST)
    (request,) = discord_bot.fake.find("POST", f"/channels/{CHANNEL_ID}/messages")
    assert message_id == request.response["id"]
    assert request.json["allowed_mentions"] == {"parse": []}
    text = embed_text(request.json)
    assert "Eleven organisations agreed" in text and "@\u200beveryone MOTIE" in text
    assert "[Packaging MOU](https://news.example.org/mou)" in text


def test_post_waits_out_a_rate_limit_then_succeeds(discord_bot):
    fake = discord_bot.fake
    fake.fail_next("POST", MESSAGES, 429, {"message": "You are being rate limited.", "retry_after": 0.3,
                                           "global": False}, headers={"Via": "1.1 google"})
    message_id = discord_bot.services.posters["discord"].post(str(CHANNEL_ID), DIGEST)
    first, second = fake.find("POST", MESSAGES)
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 0.3
    assert message_id == second.response["id"]


def test_post_refused_by_discord_raises_and_is_not_retried(discord_bot):
    fake = discord_bot.fake
    fake.fail_next("POST", MESSAGES, 403, {"message": "Missing Access", "code": 50001})
    with pytest.raises(PostError, match="403.*Missing Access"):
        discord_bot.services.posters["discord"].post(str(CHANNEL_ID), DIGEST)
    assert len(fake.find("POST", MESSAGES)) == 1


def test_post_to_something_that_is_not_a_channel_id_raises_without_calling_discord(discord_bot):
    with pytest.raises(PostError, match="not a Discord channel ID"):
        discord_bot.services.posters["discord"].post("#general", DIGEST)
    assert not discord_bot.fake.find("POST", MESSAGES)


def test_post_before_the_bot_is_connected_raises(discord_services):
    with pytest.raises(PostError, match="not connected"):
        DiscordPoster(DiscordBot(discord_services)).post(str(CHANNEL_ID), DIGEST)


def test_serve_discord_runs_until_stopped_and_registers_its_poster(discord_services, fake_discord):
    codes = []
    thread = threading.Thread(target=lambda: codes.append(serve(discord_services, ["discord"], {})), daemon=True)
    thread.start()
    fake_discord.wait_ready()
    poster = discord_services.posters["discord"]
    assert poster.post(str(CHANNEL_ID), DIGEST).isdigit()
    poster.bot.stop()
    thread.join(15)
    assert codes == [0]
    assert "discord" not in discord_services.posters


def test_a_rejected_token_stops_with_a_clear_error(tmp_path, fake_discord, caplog):
    from bot.app import Services

    services = Services(discord_settings(tmp_path, fake_discord, discord_token="not-the-token"))
    try:
        assert DiscordBot(services).run() == 1
    finally:
        services.close()
    assert "Discord rejected DISCORD_TOKEN" in caplog.text
    assert "not-the-token" not in caplog.text
    assert "discord" not in services.posters


@pytest.mark.parametrize(
    ("overrides", "message"),
    [({"discord_token": ""}, "DISCORD_TOKEN is not set"),
     ({"discord_guild_id": "my server"}, "DISCORD_GUILD_ID must be a server ID"),
     ({"discord_api_url": "discord.com/api"}, "DISCORD_API_URL must be an http(s) URL")],
)
def test_bad_settings_stop_before_connecting(tmp_path, fake_discord, caplog, overrides, message):
    from bot.app import Services

    services = Services(discord_settings(tmp_path, fake_discord, **overrides))
    try:
        assert DiscordBot(services).run() == 2
    finally:
        services.close()
    assert message in caplog.text
    assert not fake_discord.requests


KEY = "discord:1100000000000000004:0:2025-03-10"


def test_a_keyed_post_sends_a_nonce_discord_enforces_and_a_reference_find_post_reads(discord_bot):
    fake = discord_bot.fake
    poster = discord_bot.services.posters["discord"]
    message_id = poster.post_keyed(str(CHANNEL_ID), DIGEST, KEY)
    (request,) = fake.find("POST", MESSAGES)
    assert request.json["enforce_nonce"] is True and len(request.json["nonce"]) <= 25
    assert request.json["allowed_mentions"] == {"parse": []}
    assert request.json["embeds"][-1]["footer"]["text"].endswith("ref " + request.json["nonce"])
    # a repeat within Discord's nonce window gets the same message back, not a second one
    assert poster.post_keyed(str(CHANNEL_ID), DIGEST, KEY) == message_id
    assert len(fake.messages_in(CHANNEL_ID)) == 1
    # after the window, the post is found among the channel's messages by its reference
    fake.forget_nonces()
    fake.chatter(CHANNEL_ID, 3)
    assert poster.find_post(str(CHANNEL_ID), KEY) == message_id
    assert poster.find_post(str(CHANNEL_ID), KEY.replace("03-10", "03-11")) is None


def test_find_post_reads_back_through_pages_and_only_the_bots_own_messages(discord_bot):
    fake = discord_bot.fake
    poster = discord_bot.services.posters["discord"]
    message_id = poster.post_keyed(str(CHANNEL_ID), DIGEST, KEY)
    fake.chatter(CHANNEL_ID, 150)
    assert poster.find_post(str(CHANNEL_ID), KEY) == message_id
    assert len(fake.find("GET", MESSAGES)) == 2
    # a member quoting the reference is not the bot's post
    fake.chatter(CHANNEL_ID, 1)
    quoted = fake.channels[str(CHANNEL_ID)][-1]
    quoted["embeds"] = [{"footer": {"text": "ref " + fake.find("POST", MESSAGES)[0].json["nonce"]}}]
    fake.channels[str(CHANNEL_ID)].remove(fake.messages_in(CHANNEL_ID)[0])  # the real post is gone
    assert poster.find_post(str(CHANNEL_ID), KEY) is None


def test_the_rest_poster_posts_and_finds_without_a_gateway(discord_services, fake_discord):
    poster = DiscordRestPoster(fake_discord.token, fake_discord.api_url)
    message_id = poster.post_keyed(str(CHANNEL_ID), DIGEST, KEY)
    plain = poster.post(str(CHANNEL_ID), DIGEST)
    assert message_id != plain and [m["id"] for m in fake_discord.messages_in(CHANNEL_ID)] == [message_id, plain]
    assert "Eleven organisations agreed" in embed_text(fake_discord.find("POST", MESSAGES)[0].json)
    assert poster.find_post(str(CHANNEL_ID), KEY) == message_id
    assert fake_discord.connections == 0 and not fake_discord.identifies()  # REST only
    assert fake_discord.find("GET", "/users/@me")  # it logged in with the token


def test_the_rest_poster_with_a_rejected_token_raises_a_clear_post_error(fake_discord):
    poster = DiscordRestPoster("not-the-token", fake_discord.api_url)
    with pytest.raises(PostError, match="rejected DISCORD_TOKEN"):
        poster.post(str(CHANNEL_ID), DIGEST)
    assert not fake_discord.find("POST", MESSAGES)
