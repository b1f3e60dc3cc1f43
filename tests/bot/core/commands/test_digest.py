"""/digest and /brief as a chat user sees them."""

import io

from bot.adapters.console.poster import ConsolePoster
from storage.audit import recent_actions
from storage.digests import get_cursor, list_subscriptions

ADMIN = {"platform": "slack", "channel_id": "C42", "user_id": "U1", "is_admin": True}
USER = {"platform": "slack", "channel_id": "C42", "user_id": "U2", "is_admin": False}


def test_subscribing_is_for_admins_and_a_refusal_stores_nothing(seeded):
    reply = seeded.ask("/digest subscribe daily 09:00 packaging", **USER)
    assert reply.kind == "refusal" and "only briefbot admins" in reply.lines[0]
    assert list_subscriptions(seeded.db) == [] and recent_actions(seeded.db) == []


def test_subscribing_twice_to_the_same_digest_answers_that_it_exists(seeded):
    first = seeded.ask("/digest subscribe weekdays 08:30 tz Asia/Seoul packaging HBM", **ADMIN)
    assert first.title == "Subscribed this channel to digest #1"
    again = seeded.ask("/digest subscribe weekdays 08:30 tz Asia/Seoul hbm Packaging", **ADMIN)
    assert again.kind == "info" and again.title == "This channel already has digest #1"
    assert again.lines[0] == "weekdays 08:30 (Asia/Seoul) on “packaging HBM”. Nothing was added."
    assert "/digest unsubscribe 1 stops it." in again.lines[1]
    assert [s["id"] for s in list_subscriptions(seeded.db)] == [1]
    assert [a["action"] for a in recent_actions(seeded.db)] == ["digest.subscribe"]
    # Another schedule, other topics or another channel are other digests.
    assert seeded.ask("/digest subscribe weekdays 09:30 tz Asia/Seoul packaging HBM", **ADMIN).title.endswith("#2")
    assert seeded.ask("/digest subscribe weekdays 08:30 tz Asia/Seoul packaging", **ADMIN).title.endswith("#3")
    assert seeded.ask("/digest subscribe weekdays 08:30 tz Asia/Seoul packaging HBM",
                      **{**ADMIN, "channel_id": "C9"}).title.endswith("#4")
    # After an unsubscribe the same digest can be subscribed again.
    seeded.ask("/digest unsubscribe 1", **ADMIN)
    assert seeded.ask("/digest subscribe weekdays 08:30 tz Asia/Seoul packaging HBM", **ADMIN).title.endswith("#5")


def test_subscribe_list_unsubscribe_with_an_audit_trail(seeded):
    reply = seeded.ask("/digest subscribe weekdays 08:30 tz Asia/Seoul packaging HBM", **ADMIN)
    assert reply.kind == "info" and reply.title == "Subscribed this channel to digest #1"
    assert reply.lines[0] == "weekdays 08:30 (Asia/Seoul) on “packaging HBM”."
    assert reply.lines[1].startswith("Next digest: ") and "KST" in reply.lines[1]
    listed = seeded.ask("/digest list", **USER)
    assert [a.title for a in listed.answers] == ["#1 weekdays 08:30 (Asia/Seoul)"]
    assert listed.answers[0].lines[0] == "Topics: packaging HBM"
    assert seeded.ask("/digest list", platform="slack", channel_id="C9").kind == "empty"
    assert seeded.ask("/digest unsubscribe 1", **USER).kind == "refusal"
    gone = seeded.ask("/digest unsubscribe 1", **ADMIN)
    assert gone.kind == "info" and gone.title == "Unsubscribed digest #1"
    assert list_subscriptions(seeded.db) == []
    actions = [(a["action"], a["actor"]) for a in recent_actions(seeded.db)]
    assert actions == [("digest.unsubscribe", "slack:U1"), ("digest.subscribe", "slack:U1")]


def test_mistakes_get_a_clear_usage_answer_and_change_nothing(seeded):
    for line, message in [
        ("/digest subscribe daily 9:75", "not a time of day"),
        ("/digest subscribe daily 09:00 tz Moon/Base", "not a time zone"),
        ("/digest unsubscribe seven", "Give the number of the subscription"),
        ("/digest unsubscribe 99", "This channel has no digest subscription #99"),
        ("/digest", "Say what to do"),
        ("/digest explode", "I don't know /digest explode"),
    ]:
        reply = seeded.ask(line, **ADMIN)
        assert reply.kind == "usage" and message in reply.lines[0], line
        assert any(x.startswith("Usage: /digest subscribe") for x in reply.lines)
    assert list_subscriptions(seeded.db) == []


def test_preview_is_private_shows_the_three_stories_and_advances_nothing(seeded):
    reply = seeded.ask("/digest preview", **USER)
    assert reply.private and reply.kind == "answer"
    assert reply.title == "Preview: briefbot digest: 3 stories from 4 new articles"
    titles = [a.title for a in reply.answers]
    assert titles[0].startswith("South Korea bets $205M") and len(reply.answers[0].sources) == 2
    assert any(line.startswith("• $205 million (274.4 billion won) by MOTIE") for line in reply.answers[0].lines)
    assert "nothing was posted" in reply.lines[-1]
    assert get_cursor(seeded.db, "slack", "C42", 0) is None
    assert seeded.ask("/digest preview", **USER).title == reply.title  # still everything


def test_now_posts_to_the_channel_once_and_tells_the_admin(seeded):
    out = io.StringIO()
    seeded.posters["console"] = ConsolePoster(out)
    inv = {"platform": "console", "channel_id": "console", "is_admin": True}
    reply = seeded.ask("/digest now", **inv)
    assert reply.kind == "info" and reply.lines == ["The digest: posted 3 stories to this channel."]
    assert out.getvalue().startswith("[#console]\nbriefbot digest: 3 stories from 4 new articles")
    again = seeded.ask("/digest now", **inv)
    assert again.lines == ["The digest: already posted a minute ago."]
    assert seeded.ask("/digest now", **{**inv, "is_admin": False}).kind == "refusal"
    assert out.getvalue().count("briefbot digest:") == 1
    assert recent_actions(seeded.db)[0]["action"] == "digest.now"


def test_now_on_a_platform_that_is_not_running_says_so_without_a_traceback(seeded):
    reply = seeded.ask("/digest now", **ADMIN)
    assert reply.kind == "error" and "no poster for slack is running" in reply.lines[0]
    assert "Nothing was lost" in reply.lines[0] and "Traceback" not in reply.plain_text()
    assert get_cursor(seeded.db, "slack", "C42", 0) is None


def test_brief_summarises_a_topic_on_demand(seeded):
    reply = seeded.ask("/brief packaging", **USER)
    assert reply.private and reply.title == "Brief: packaging: 2 stories from 3 articles"
    assert reply.answers[0].title.startswith("South Korea bets $205M")
    assert "$205 million" in reply.answers[0].lines[0] and len(reply.answers[0].sources) == 2
    assert seeded.ask("/brief zeppelins", **USER).kind == "empty"
    assert seeded.ask("/brief", **USER).kind == "usage"
