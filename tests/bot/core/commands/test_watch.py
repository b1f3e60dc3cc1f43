"""/watch as a user types it: admin-only changes, clear refusals that change nothing, list and
test for everyone."""

from __future__ import annotations

import pytest

from storage import watches as store
from storage.audit import recent_actions
from tests.conftest import SEEDS


def ask(services, text: str, *, admin: bool = True, channel: str = "news", platform: str = "console"):
    return services.ask(text, platform=platform, channel_id=channel, user_id="U1", is_admin=admin)


def test_only_admins_add_remove_pause_and_resume(services):
    reply = ask(services, "/watch add packaging", admin=False)
    assert reply.kind == "refusal" and "only briefbot admins can add watches" in reply.lines[0]
    assert store.list_watches(services.db) == []
    assert ask(services, "/watch add packaging").kind == "info"
    for action in ("pause", "resume", "remove"):
        assert ask(services, f"/watch {action} 1", admin=False).kind == "refusal"
    assert [w["status"] for w in store.list_watches(services.db)] == ["active"]
    assert [a["action"] for a in recent_actions(services.db)] == ["watch.add"]


@pytest.mark.parametrize(("text", "says"), [
    ("/watch add (samsung OR hynix", "a “(” is not closed (at character 1)"),
    ("/watch add topic:chips", "“topic:” is not a field I know (at character 1)"),
    ("/watch add amount>=KRW", "“KRW” is an amount without a number (at character 1)"),
    ("/watch add " + "chips " * 200, "the filter is 1,199 characters long; the limit is 1,000"),
    ("/watch add packaging mention bob", "“bob” is not a mention"),
    ("/watch add packaging quiet 25:00-07:00", "“25:00” is not a time of day"),
])
def test_bad_input_gets_a_clear_message_and_changes_nothing(services, text, says):
    reply = ask(services, text)
    assert reply.kind == "usage"
    assert any(says in line for line in reply.lines), reply.lines
    assert reply.lines[-1] == "Nothing was changed."
    assert store.list_watches(services.db) == []


def test_a_slack_channel_takes_only_slack_mentions(services):
    reply = ask(services, "/watch add packaging mention @policy", platform="slack")
    assert reply.kind == "usage" and "pick the person or role from the list" in reply.lines[0]
    reply = ask(services, "/watch add packaging mention <@&123456789>", platform="slack")
    assert "is a Discord mention; this channel is on slack" in reply.lines[0]
    assert store.list_watches(services.db) == []


def test_a_channel_has_at_most_a_hundred_watches(services):
    for n in range(store.MAX_PER_CHANNEL):
        assert ask(services, f"/watch add word{n}").kind == "info"
    reply = ask(services, "/watch add one-too-many")
    assert reply.kind == "refusal" and "at most 100 watches" in reply.lines[0]
    assert len(store.list_watches(services.db, channel_id="news")) == 100
    assert ask(services, "/watch add elsewhere", channel="other").kind == "info"  # per channel


def test_list_shows_the_channels_watches_and_remove_needs_one_of_them(services):
    ask(services, '/watch add party:"SK hynix" kind:agreement mention @policy quiet 22:00-07:00 tz Asia/Seoul')
    ask(services, "/watch add hydrogen", channel="other")
    reply = ask(services, "/watch list", admin=False)
    [answer] = reply.answers
    assert answer.lines[:3] == ['Filter: party:"SK hynix" kind:agreement', "Mentions: @policy",
                                "Quiet hours: 22:00-07:00 (Asia/Seoul)"]
    assert answer.data["tree"]["t"] == "and"
    assert ask(services, "/watch remove 2").kind == "usage"  # another channel's watch
    assert ask(services, "/watch remove 1").kind == "info"
    assert ask(services, "/watch list").kind == "empty"


def test_test_shows_what_the_last_articles_would_have_matched_and_why(services):
    assert not services.ingest([SEEDS]).failed
    reply = ask(services, "/watch test amount>=100bn KRW", admin=False)
    [answer] = reply.answers
    assert answer.title == "South Korea bets $205M on semiconductor packaging to maintain competitiveness"
    assert answer.lines[0] == "Why: amount>=100bn KRW (274.4 billion won, the article's own conversion)"
    assert "1 of the last 4 stored articles would have matched:" in reply.lines
    assert store.list_watches(services.db) == []  # a test stores nothing


def test_sources_errors_shows_failing_and_paused_sources(services):
    from storage.sources import add_source, pause_source, update_source

    ok = add_source(services.db, kind="rss", url="https://ok.example/feed.xml", name="Fine")
    bad = add_source(services.db, kind="rss", url="https://bad.example/feed.xml", name="Broken")
    paused = add_source(services.db, kind="rss", url="https://gone.example/feed.xml", name="Gone")
    update_source(services.db, bad, last_error="HTTP 500 from bad.example", last_error_at="2025-09-01T09:00:00+00:00",
                  failures=3, next_poll_at="2025-09-01T09:20:00+00:00")
    pause_source(services.db, paused, "paused after 10 failed polls in a row; last error: HTTP 404")
    reply = ask(services, "/sources errors", admin=False)
    assert reply.title == "1 failing, 1 paused"
    gone, broken = reply.answers
    assert gone.title == f"#{paused} Gone — paused" and "Paused: paused after 10 failed polls in a row; last error: HTTP 404" in gone.lines
    assert f"Next try: none while paused; /sources resume {paused} polls it again now" in gone.lines
    assert broken.title == f"#{bad} Broken — failing"
    assert "Last error: 2025-09-01 09:00 UTC: HTTP 500 from bad.example" in broken.lines
    assert "Next try: 2025-09-01 09:20 UTC" in broken.lines
    assert all(str(ok) not in a.title.split()[0] for a in reply.answers)
