"""Users type slash commands in a (fake) Discord server; the real client answers over the gateway."""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from bot.adapters.discord.render import COLOURS, render_embeds
from bot.app import Services
from bot.core.dispatch import split_command
from bot.core.registry import all_commands
from tests.bot.adapters.discord.conftest import ADMIN_USER_ID, discord_settings, start_bot
from tests.conftest import MOU_FILE, SIGNATORIES
from tests.fakes.discord_api import (
    ADMINISTRATOR,
    APPLICATION_ID,
    EPHEMERAL,
    GUILD_ID,
    MANAGE_GUILD,
    MEMBER_PERMISSIONS,
    embed_limit_errors,
    embed_text,
)

MASKED_LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\(([^)\s]+)\)")


def write_feed(path: Path, items: list[dict]) -> Path:
    """An RSS 2.0 file with ``items`` (title, link, description, date)."""
    body = "".join(
        f"<item><title>{escape(i['title'])}</title><link>{escape(i['link'])}</link>"
        f"<description>{escape(i['description'])}</description><pubDate>{i['date']}</pubDate></item>"
        for i in items
    )
    path.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{body}</channel></rss>')
    return path


def assert_refused(harness, name: str, text: str, **member):
    """``/name text`` from an ordinary member is refused politely, in private; the followup."""
    followup = harness.ask(name, text, **member)
    embed = followup.json["embeds"][0]
    assert embed["title"] == "Not allowed"
    assert "only briefbot admins" in embed_text(followup.json)
    assert embed["color"] == COLOURS["refusal"]
    assert followup.json["flags"] & EPHEMERAL
    return followup


# --- commands are registered from the core registry -------------------------------------------


def test_every_core_command_is_synced_to_the_server_with_one_optional_text_option(discord_bot):
    fake = discord_bot.fake
    (sync,) = fake.find("PUT", rf"/applications/{APPLICATION_ID}/guilds/{GUILD_ID}/commands")
    synced = {c["name"]: c for c in sync.json}
    assert set(synced) == {cmd.name for cmd in all_commands()}
    assert "briefbot" in synced
    for cmd in all_commands():
        payload = synced[cmd.name]
        assert payload["description"] == cmd.help[:100]
        assert [(o["name"], o["type"], o.get("required", False)) for o in payload["options"]] == [("text", 3, False)]
        assert cmd.usage.split()[0] in payload["options"][0]["description"]
        # Admin rights are checked in code: nothing is hidden from anyone by Discord.
        assert payload.get("default_member_permissions") is None
    assert not fake.find("PUT", rf"/applications/{APPLICATION_ID}/commands")


def test_without_a_server_id_commands_are_synced_globally_and_answer(tmp_path, fake_discord):
    services = Services(discord_settings(tmp_path, fake_discord, discord_guild_id=""))
    services.ingest([Path(__file__).resolve().parents[4] / "seeds"])
    harness = start_bot(services, fake_discord)
    try:
        (sync,) = fake_discord.find("PUT", rf"/applications/{APPLICATION_ID}/commands")
        assert {c["name"] for c in sync.json} == {cmd.name for cmd in all_commands()}
        followup = harness.ask("find", "neuromorphic")
        assert "European Union" in embed_text(followup.json)
    finally:
        assert harness.stop() == 0
        services.close()


@pytest.mark.parametrize("name", [cmd.name for cmd in all_commands()])
def test_each_registered_command_is_deferred_within_3s_then_answered(discord_seeded, name):
    cmd = next(c for c in all_commands() if c.name == name)
    _, args = split_command(cmd.example)
    exchange = discord_seeded.slash(name, args or None)
    deferral = exchange.deferral()
    assert exchange.seconds_to_callback() < 3.0
    assert deferral.query == {"with_response": "1"}
    assert deferral.json["data"]["flags"] == EPHEMERAL
    followup = exchange.followup()
    assert followup.status == 200, followup.response
    message = followup.json
    assert message["embeds"] and message["embeds"][0]["title"]
    # an admin-only example may be refused (same colour as an error), but never fail
    assert not message["embeds"][0]["title"].endswith(f"/{name} failed")
    assert message["allowed_mentions"] == {"parse": []}
    assert "Traceback" not in embed_text(message)
    assert embed_limit_errors(message) == []


def test_find_answers_with_the_core_answer_privately_with_a_share_button(discord_seeded):
    followup = discord_seeded.ask("find", "neuromorphic")
    expected = render_embeds(discord_seeded.services.ask("/find neuromorphic"))
    message = followup.json
    assert [{k: v for k, v in e.items() if k != "flags"} for e in message["embeds"]] == expected
    assert message["flags"] & EPHEMERAL
    text = embed_text(message)
    assert "South Korea and the European Union" in text
    assert "002\\_77ac495237e3e222.txt" in text  # the citation: the stored file, by name
    button = message["components"][0]["components"][0]
    assert button["label"] == "Share in channel"


def test_share_button_posts_the_same_answer_to_the_channel(discord_seeded):
    followup = discord_seeded.ask("find", "neuromorphic")
    message = followup.response
    button = message["components"][0]["components"][0]
    click = discord_seeded.fake.click(message, button["custom_id"])
    response = click.callback().json
    assert response["type"] == 4  # a channel message, for everyone
    assert not int(response["data"].get("flags") or 0) & EPHEMERAL
    assert response["data"]["embeds"] == followup.json["embeds"]
    assert response["data"]["allowed_mentions"] == {"parse": []}


def test_trailing_public_posts_the_answer_to_the_channel(discord_seeded):
    exchange = discord_seeded.slash("find", "neuromorphic public")
    assert not exchange.deferral().json.get("data", {}).get("flags")
    message = exchange.followup().json
    assert not int(message.get("flags") or 0) & EPHEMERAL
    assert "components" not in message or not message["components"]
    assert message["embeds"][0]["title"] == "1 article for “neuromorphic”"


def test_commands_work_in_a_direct_message_with_the_bot(discord_seeded):
    message = discord_seeded.ask("find", "neuromorphic", guild_id=None).json
    assert message["embeds"][0]["title"] == "1 article for “neuromorphic”"


def test_umbrella_command_reaches_every_other_one(discord_seeded):
    message = discord_seeded.ask("briefbot", "find neuromorphic").json
    assert message["embeds"][0]["title"] == "1 article for “neuromorphic”"
    help_text = embed_text(discord_seeded.ask("briefbot", "help").json)
    for cmd in all_commands():
        if cmd.name != "briefbot":
            assert f"/{cmd.name}" in help_text


def test_a_bad_call_gets_the_usage_not_an_error(discord_bot):
    message = discord_bot.ask("find").json
    embed = message["embeds"][0]
    assert embed["title"].startswith("/find")
    assert embed["color"] == COLOURS["usage"]
    assert "Usage: /find <words>" in embed["description"]
    assert "components" not in message or not message["components"]  # nothing worth sharing


def test_an_answer_discord_refuses_is_replaced_by_a_short_apology(discord_seeded):
    fake = discord_seeded.fake
    fake.fail_next("POST", rf"/webhooks/{APPLICATION_ID}/.+", 400,
                   {"message": "Invalid Form Body", "code": 50035})
    exchange = discord_seeded.slash("find", "neuromorphic")
    exchange.deferral()
    pattern = rf"/webhooks/{APPLICATION_ID}/{re.escape(exchange.token)}"
    refused, apology = fake.wait_for(lambda: len(fake.find("POST", pattern)) == 2 and fake.find("POST", pattern))
    assert refused.status == 400
    assert apology.json["content"].startswith("Sorry, Discord would not take that answer")
    assert apology.json["flags"] & EPHEMERAL


def test_a_command_discord_still_shows_but_the_bot_lacks_gets_a_polite_answer(discord_bot):
    exchange = discord_bot.slash("retired-command", "x")
    response = exchange.callback().json
    assert response["type"] == 4
    assert response["data"]["flags"] == EPHEMERAL
    assert "not available" in response["data"]["content"]


def test_who_signed_packaging_mou_over_the_gateway_names_the_eleven_signatories(discord_seeded):
    exchange = discord_seeded.slash("who-signed", "packaging MOU")
    deferral = exchange.deferral()
    assert exchange.seconds_to_callback() < 3.0
    assert deferral.json["data"]["flags"] == EPHEMERAL
    message = exchange.followup().json
    text = embed_text(message)
    assert all(name in text for name in SIGNATORIES)
    assert "Aug. 29" in text and "Eltower, Seoul" in text
    # the citation: the seed file the agreement comes from (markdown-escaped in the embed)
    assert MOU_FILE.replace("_", "\\_") in text and "Source: The Korean government" in text
    assert message["allowed_mentions"] == {"parse": []}
    assert embed_limit_errors(message) == []


# --- admins -----------------------------------------------------------------------------------
# The admin rule itself (Manage Server, Administrator, BRIEFBOT_ADMINS) is tested on real
# discord.py Interaction objects in test_discord_admin.py.


def test_a_members_sources_add_is_refused_and_adds_nothing(discord_seeded):
    assert_refused(discord_seeded, "sources", "add https://example.org/feed.xml")
    db = discord_seeded.services.db
    assert db.execute("SELECT count(*) FROM sources WHERE url LIKE 'https://example.org%'").fetchone()[0] == 0


def test_members_typing_in_these_tests_are_ordinary_members_not_admins(discord_bot):
    # assert_refused relies on this: the default member has neither Manage Server nor
    # Administrator, and is not listed in BRIEFBOT_ADMINS.
    assert not MEMBER_PERMISSIONS & (MANAGE_GUILD | ADMINISTRATOR)
    assert str(discord_bot.fake.command_interaction("find")["member"]["user"]["id"]) not in \
        discord_bot.services.settings.admins
    assert discord_bot.services.settings.admins == (str(ADMIN_USER_ID),)


# --- untrusted text and Discord's limits ------------------------------------------------------


def test_mentions_and_links_in_an_article_title_do_not_ping_or_link(discord_services, fake_discord, tmp_path):
    feed = write_feed(tmp_path / "feed.xml", [{
        "title": "@everyone Samsung wins [free chips](https://evil.example/phish) deal",
        "link": "https://news.example.org/2025/samsung-deal",
        "description": "Samsung deal details at https://evil.example/more, says @here the ministry "
                       "to &lt;@123456789012345678&gt;.",
        "date": "Mon, 03 Mar 2025 09:00:00 GMT",
    }])
    assert not discord_services.ingest([feed]).failed
    harness = start_bot(discord_services, fake_discord)
    try:
        message = harness.ask("find", "Samsung deal").json
    finally:
        assert harness.stop() == 0
    assert message["allowed_mentions"] == {"parse": []}
    assert "content" not in message or not message["content"]  # embeds never ping
    text = embed_text(message)
    assert "@\u200beveryone Samsung" in text and "@\u200bhere" in text
    assert "@everyone" not in text and "@here" not in text
    assert "\\<@123456789012345678>" in text
    assert "\\[free chips\\]" in text
    links = [url for _, url in MASKED_LINK.findall(text)]
    assert links and set(links) == {"https://news.example.org/2025/samsung-deal"}
    assert "`https://evil.example/more`" in text  # shown, not clickable


def test_an_oversized_answer_is_cut_within_discords_limits(discord_services, fake_discord, tmp_path):
    items = [{
        "title": f"Packaging consortium update {n}: " + "hybrid bonding and glass substrates " * 7,
        "link": f"https://news.example.org/2025/packaging-{n}",
        "description": f"Plan {n}: the ministry said the packaging plan covers " + "chiplets and test lines " * 80,
        "date": f"Mon, {n % 28 + 1:02d} Jan 2024 09:00:00 GMT",
    } for n in range(60)]
    assert not discord_services.ingest([write_feed(tmp_path / "big.xml", items)]).failed
    harness = start_bot(discord_services, fake_discord)
    try:
        exchange = harness.slash("latest", "50")
        assert exchange.seconds_to_callback() < 3.0
        followup = exchange.followup()
    finally:
        assert harness.stop() == 0
    assert followup.status == 200, followup.response  # the fake refuses what Discord would
    message = followup.json
    assert embed_limit_errors(message) == []
    shown = sum(len(e.get("fields", [])) for e in message["embeds"])
    assert 5 <= shown < 50
    assert message["embeds"][-1]["footer"]["text"].endswith(f"…and {50 - shown} more")
    assert message["embeds"][0]["title"] == "Latest 50 articles"


# --- the gateway drops --------------------------------------------------------------------------


def test_bot_resumes_after_the_gateway_drops_and_answers_again(discord_seeded):
    fake = discord_seeded.fake
    assert "European Union" in embed_text(discord_seeded.ask("find", "neuromorphic").json)
    session = fake.session_id
    fake.drop_gateway()
    fake.wait_for(fake.resumes, what="RESUME")
    assert fake.resumes()[0]["d"]["session_id"] == session
    fake.wait_ready(2)
    assert fake.connections == 2
    assert "European Union" in embed_text(discord_seeded.ask("find", "neuromorphic").json)


@pytest.mark.slow  # discord.py waits 5 s before identifying again, as Discord asks
def test_bot_identifies_again_on_the_configured_gateway_when_resuming_is_refused(discord_seeded):
    fake = discord_seeded.fake
    fake.allow_resume = False
    fake.drop_gateway()
    fake.wait_for(lambda: len(fake.identifies()) == 2, timeout=10, what="a second IDENTIFY")
    fake.wait_ready(2)
    assert fake.connections == 3  # dropped, refused resume, fresh session: all on the fake
    assert "European Union" in embed_text(discord_seeded.ask("find", "neuromorphic").json)


def test_gateway_url_comes_from_the_configured_api(discord_bot):
    fake = discord_bot.fake
    assert fake.find("GET", "/gateway/bot")
    assert fake.find("GET", "/users/@me") and fake.find("GET", "/oauth2/applications/@me")
    identify = fake.identifies()[0]["d"]
    assert identify["token"] == fake.token
    assert identify["intents"] == 1  # GUILDS only: no privileged intents
