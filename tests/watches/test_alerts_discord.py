"""Watches on Discord, against the fake Discord REST API: the MOU story posted once pinging the
watch's role and nobody else, the second outlet's report in a thread started on the first post,
the edit and the unrelated article not posted, a burst capped with a roll-up, and a crash after
Discord accepted a post but before it was recorded costing no second post."""

from __future__ import annotations

import pytest

from bot.adapters.discord.members import DiscordMembers
from bot.adapters.discord.poster import DiscordRestPoster
from storage import watches as store
from tests.fakes.discord_api import CHANNEL_ID, GUILD_ID, USER_ID, FakeDiscord, embed_text
from tests.fakes.feed_server import items
from tests.watches.conftest import make_services
from tests.watches.newsroom import EU_SEED, MONEY_SEED, MOU_SEED, seed_item
from watches.post import run

ROLE_ID = 1100000000000000077
ADMIN = "1100000000000000042"
CHANNEL = str(CHANNEL_ID)


@pytest.fixture
def discord_fake():
    fake = FakeDiscord().start()
    fake.roles[str(ROLE_ID)] = "policy"
    yield fake
    fake.close()


@pytest.fixture
def services(tmp_path, clock, discord_fake):
    svc = make_services(tmp_path, clock, discord_token=discord_fake.token, discord_api_url=discord_fake.api_url)
    poster = DiscordRestPoster(discord_fake.token, discord_fake.api_url)
    svc.posters["discord"] = poster
    svc.members["discord"] = DiscordMembers(poster.run_http)
    yield svc
    svc.close()


def watch(services, text: str):
    return services.ask(f"/watch {text}", platform="discord", channel_id=CHANNEL, user_id=ADMIN,
                        team_id=str(GUILD_ID), is_admin=True)


def posts_to(fake, channel) -> list:
    return fake.find("POST", f"/channels/{channel}/messages")


def test_the_mou_story_pings_the_role_once_and_its_follow_up_goes_in_a_thread(services, discord_fake, newsroom_for):
    news = newsroom_for(services)
    news.outlet("herald")
    news.outlet("koreapro")
    news.poll()
    assert watch(services, f'add org:"SK hynix" mention <@&{ROLE_ID}>').kind == "info"
    assert watch(services, "add hydrogen").kind == "info"  # a second watch of the channel, matching nothing here

    news.publish("herald", seed_item(MOU_SEED, "https://herald.example/mou"), seed_item(EU_SEED, "https://herald.example/eu"))
    news.poll()
    assert [s.delivery.status for s in run(services, platform="discord", channel_id=CHANNEL)] == ["sent"]
    [first] = posts_to(discord_fake, CHANNEL)
    assert first.json["content"] == f"<@&{ROLE_ID}>"
    assert first.json["allowed_mentions"] == {"parse": [], "roles": [ROLE_ID]}  # no users, no @everyone
    text = embed_text(first.json)
    assert "The Korean government has formed a partnership" in text and "(https://herald.example/mou)" in text
    assert "European Union" not in text

    news.publish("koreapro", seed_item(MONEY_SEED, "https://koreapro.example/205m"))
    news.poll()
    assert [s.delivery.status for s in run(services, platform="discord", channel_id=CHANNEL)] == ["sent"]
    top_id = first.response["id"]
    assert discord_fake.threads[top_id]["parent_id"] == CHANNEL
    assert discord_fake.threads[top_id]["name"].startswith("The Korean government has formed")
    [reply] = posts_to(discord_fake, top_id)
    assert "New in this report: $205 million" in embed_text(reply.json)
    assert len(posts_to(discord_fake, CHANNEL)) == 1

    news.publish("herald", seed_item(MOU_SEED, "https://herald.example/mou", addendum="Updated with the list of signatories."))
    assert news.poll().total("updated") == 1
    assert run(services, platform="discord", channel_id=CHANNEL) == []
    assert len(discord_fake.find("POST", r"/channels/\d+/messages")) == 2


def test_a_burst_is_capped_at_ten_posts_and_a_roll_up(services, discord_fake, newsroom_for):
    news = newsroom_for(services)
    news.outlet("wire")
    news.poll()
    watch(services, "add packaging")
    burst = [{**i, "title": f"Wire flash {n}: {i['title']}"} for n, i in
             enumerate(items(30, start=100, site="https://wire.example", topic="packaging"))]
    news.publish("wire", *burst)
    news.poll()
    sent = run(services, platform="discord", channel_id=CHANNEL)
    assert [s.post.kind for s in sent] == ["article"] * 10 + ["rollup"]
    everything = discord_fake.find("POST", r"/channels/\d+/messages")
    assert len(everything) == 11
    assert "20 more watch matches this minute" in embed_text(everything[-1].json)
    assert run(services, platform="discord", channel_id=CHANNEL) == []


def test_mentions_of_strangers_are_refused_and_members_and_roles_accepted(services, discord_fake):
    reply = watch(services, "add packaging mention <@1100000000000000099> <@&1100000000000000098>")
    assert reply.kind == "error"
    assert "<@1100000000000000099> is not a member of this server." in reply.lines
    assert "<@&1100000000000000098> is not a role of this server." in reply.lines
    assert store.list_watches(services.db) == []
    assert watch(services, f"add packaging mention <@{USER_ID}> <@&{ROLE_ID}>").kind == "info"


def test_a_crash_after_discord_accepted_the_post_is_recorded_not_posted_again(services, discord_fake):
    from tests.conftest import SEEDS

    watch(services, 'add party:"SK hynix"')
    services.ingest([SEEDS / MOU_SEED])
    [intent] = store.channel_posts(services.db, "discord", CHANNEL)
    # What a crash leaves: the attempt counted, Discord has the message, our record does not.
    store.start_attempt(services.db, intent.key)
    from base.reply import Reply

    services.posters["discord"].post_keyed(CHANNEL, Reply.from_record(intent.reply), intent.key)
    discord_fake.forget_nonces()  # long after: the nonce no longer protects, the reference does
    [sent] = run(services, platform="discord", channel_id=CHANNEL)
    assert sent.delivery.status == "sent" and sent.delivery.recovered
    assert len(posts_to(discord_fake, CHANNEL)) == 1
    assert store.get_post(services.db, intent.key).status == "sent"
