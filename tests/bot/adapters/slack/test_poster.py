"""Posting to a channel with chat.postMessage: confirmed, retried after a 429, or PostError."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from base.reply import Answer, Reply, SourceRef
from bot.adapters.slack.app import web_client
from bot.adapters.slack.poster import SlackPoster
from bot.core.poster import PostError
from tests.bot.adapters.slack.conftest import slack_settings

DIGEST = Reply(
    title="Morning briefing",
    answers=[Answer(kind="article", title="Packaging MOU signed",
                    sources=[SourceRef(title="Packaging MOU signed", url="https://news.example/mou")])],
)


@pytest.fixture
def poster(settings, fake_slack):
    return SlackPoster(web_client(slack_settings(settings, fake_slack)))


def test_a_post_returns_the_message_ts_slack_confirmed(poster, fake_slack):
    ts = poster.post("C0NEWS001", DIGEST)
    (call,) = fake_slack.calls("chat.postMessage")
    assert ts == "1700000000.000001"
    assert call.data["channel"] == "C0NEWS001" and call.data["text"] == "Morning briefing"
    assert call.data["blocks"][0]["text"]["text"] == "Morning briefing"
    assert not any(b["type"] == "actions" for b in call.data["blocks"])  # no share button on posts
    assert call.data["unfurl_links"] is False and "link_names" not in call.data and "parse" not in call.data
    assert call.headers["authorization"] == "Bearer " + fake_slack.bot_token


def test_a_429_is_retried_after_retry_after(poster, fake_slack):
    fake_slack.script("chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
    ts = poster.post("C0NEWS001", DIGEST)
    first, second = fake_slack.calls("chat.postMessage")
    assert second.at - first.at >= 1.0
    assert ts == "1700000000.000001" and len(fake_slack.posted()) == 2


def test_slack_refusing_a_post_raises_post_error(poster, fake_slack):
    with pytest.raises(PostError, match="channel_not_found"):
        poster.post("", DIGEST)
    fake_slack.script("chat.postMessage", 200, {"ok": False, "error": "not_in_channel"})
    with pytest.raises(PostError, match="not_in_channel"):
        poster.post("C0PRIV001", DIGEST)


def test_rate_limited_past_the_retries_raises_post_error(poster, fake_slack):
    for _ in range(4):
        fake_slack.script("chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "0"})
    with pytest.raises(PostError, match="ratelimited"):
        poster.post("C0NEWS001", DIGEST)
    assert len(fake_slack.calls("chat.postMessage")) == 4


def test_an_unreachable_slack_raises_post_error(settings):
    gone = SimpleNamespace(api_url="http://127.0.0.1:9/api/")  # nothing listens on port 9
    client = web_client(slack_settings(settings, gone))
    with pytest.raises(PostError, match="could not be reached"):
        SlackPoster(client).post("C0NEWS001", DIGEST)


def test_the_running_adapter_registers_its_poster(slack):
    ts = slack.services.posters["slack"].post("C0NEWS001", slack.services.ask("/find neuromorphic"))
    (message,) = slack.fake.posted()
    assert ts and message.blocks[0]["text"]["text"] == "1 article for “neuromorphic”"


def test_a_keyed_post_carries_its_key_in_metadata_and_is_found_again(poster, fake_slack):
    ts = poster.post_keyed("C0NEWS001", DIGEST, "slack:C0NEWS001:0:2025-03-10")
    (call,) = fake_slack.calls("chat.postMessage")
    assert call.data["metadata"] == {"event_type": "briefbot_digest",
                                     "event_payload": {"key": "slack:C0NEWS001:0:2025-03-10"}}
    assert call.data["blocks"][0]["text"]["text"] == "Morning briefing"  # the key is not shown
    fake_slack.chatter("C0NEWS001", 3)
    assert poster.find_post("C0NEWS001", "slack:C0NEWS001:0:2025-03-10") == ts
    assert poster.find_post("C0NEWS001", "slack:C0NEWS001:0:2025-03-11") is None
    assert poster.find_post("C0OTHER01", "slack:C0NEWS001:0:2025-03-10") is None
    (history, *_) = fake_slack.calls("conversations.history")
    assert history.data["include_all_metadata"] == "1"


def test_a_keyed_post_is_found_behind_a_page_of_newer_messages(poster, fake_slack):
    ts = poster.post_keyed("C0NEWS001", DIGEST, "key-1")
    fake_slack.chatter("C0NEWS001", 450)
    assert poster.find_post("C0NEWS001", "key-1") == ts
    assert len(fake_slack.calls("conversations.history")) == 3  # 200 + 200 + the page with it


def test_without_the_history_scope_find_post_says_which_scope_is_missing(poster, fake_slack):
    fake_slack.scopes.discard("groups:history")
    with pytest.raises(PostError, match="missing_scope.*groups:history"):
        poster.find_post("G0PRIV001", "key-1")
