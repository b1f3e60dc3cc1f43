"""The Slack harness: the seeded bot serving `serve slack --http` on loopback, driven by a fake Slack.

A story is a few lines:

    def test_who_signed_packaging_mou(slack):
        sent = slack.command("/who-signed packaging MOU")      # signed, form-encoded, like Slack
        assert sent.status == 200 and sent.seconds < 1         # acknowledged
        answer = sent.answer()                                 # what reached response_url
        assert all(name in answer.text for name in SIGNATORIES)
        assert ("https://…", "…") in answer.links

and a refused admin command is one line: ``assert_refused(slack, "/sources add https://…")``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pytest

from bot.adapters.slack.app import SlackRuntime, start
from bot.app import Services
from bot.serve import adapter_options
from tests.conftest import SEEDS
from tests.fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, FakeSlack, Message, Sent

ADMIN = "U0ADMIN01"
READER = "U0READER1"  # the fake's default sender: not an admin


@dataclass
class SlackHarness:
    """The fake Slack, the bot's services and the running Slack adapter."""

    fake: FakeSlack
    services: Services
    runtime: SlackRuntime

    def command(self, line: str, **who) -> Sent:
        """Send ``line`` as a signed slash command; the ack and timing are on the result."""
        return self.fake.command(line, **who)

    def ask(self, line: str, **who) -> Message:
        """Send ``line`` and return the answer Slack received at response_url."""
        sent = self.fake.command(line, **who)
        assert sent.status == 200, (sent.status, sent.body)
        return sent.answer()


def slack_settings(settings, fake: FakeSlack, **overrides):
    """Settings for a bot whose Slack is ``fake``."""
    values = {
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": fake.api_url,
        "slack_http_host": "127.0.0.1",
        "admins": (ADMIN,),
    }
    return dataclasses.replace(settings, **{**values, **overrides})


@pytest.fixture
def fake_slack():
    """A fake Slack on loopback (Web API, response_urls), recording what it receives."""
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def make_slack(settings, fake_slack):
    """Start the seeded bot's Slack adapter in HTTP mode (port 0) with settings ``overrides``."""
    started: list[tuple[Services, SlackRuntime]] = []

    def make(*, seeds: bool = True, **overrides) -> SlackHarness:
        services = Services(slack_settings(settings, fake_slack, **overrides))
        if seeds:
            assert not services.ingest([SEEDS]).failed
        runtime = start(services, adapter_options(services, http=True, port=0))
        started.append((services, runtime))
        fake_slack.app_url = runtime.http.url.removesuffix(runtime.http.path)
        return SlackHarness(fake_slack, services, runtime)

    yield make
    for services, runtime in started:
        runtime.close()
        services.close()


@pytest.fixture
def slack(make_slack) -> SlackHarness:
    """The seeded bot on Slack, default settings, ADMIN in BRIEFBOT_ADMINS."""
    return make_slack()


def assert_refused(slack: SlackHarness, line: str, *, user_id: str = READER) -> Message:
    """``line`` from a non-admin is acknowledged, then refused politely and privately."""
    sent = slack.command(line, user_id=user_id)
    assert sent.status == 200 and sent.seconds < 1
    answer = sent.answer()
    assert answer.response_type == "ephemeral"
    assert answer.blocks[0]["text"]["text"] == "Not allowed"
    assert "BRIEFBOT_ADMINS" in answer.text and "ask one of them" in answer.text
    assert not answer.buttons
    return answer
