"""Watches on Slack, against the fake Slack Web API: a new MOU naming SK hynix is posted once with
the watch's mention, the same story from a second outlet goes in its thread, the publisher's
edit and an unrelated article are not posted, a burst gives ten posts and one roll-up, and a
kill -9 between the intent and the post still gives exactly one post."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.adapters.slack.app import web_client
from bot.adapters.slack.members import SlackMembers
from bot.adapters.slack.poster import SlackPoster
from storage.watches import channel_posts, list_watches
from tests.clirun import clean_env
from tests.conftest import ROOT
from tests.fakes.feed_server import items
from tests.fakes.slack_api import BOT_TOKEN, TEAM_ID, FakeSlack
from tests.watches.conftest import make_services
from tests.watches.newsroom import EU_SEED, MONEY_SEED, MOU_SEED, seed_item
from watches.post import run

CHANNEL = "C0NEWS001"
ADMIN = "U0ADMIN01"
POLICY = "U0POLICY1"


@pytest.fixture
def slack():
    with FakeSlack() as fake:
        fake.add_user(ADMIN, "admin")
        fake.add_user(POLICY, "policy")
        yield fake


@pytest.fixture
def services(tmp_path, clock, slack):
    svc = make_services(tmp_path, clock, slack_bot_token=BOT_TOKEN, slack_api_url=slack.api_url)
    client = web_client(svc.settings)
    svc.posters["slack"] = SlackPoster(client)
    svc.members["slack"] = SlackMembers(client)
    yield svc
    svc.close()


def watch(services, text: str):
    return services.ask(f"/watch {text}", platform="slack", channel_id=CHANNEL, user_id=ADMIN, team_id=TEAM_ID,
                        is_admin=True)


def texts(messages) -> list[str]:
    """Everything a reader sees in each message: the notification text and every block's text."""
    out = []
    for m in messages:
        parts = [m["text"]]
        for b in m["blocks"]:
            if isinstance(b.get("text"), dict):
                parts.append(b["text"]["text"])
            parts += [e["text"] for e in b.get("elements") or [] if isinstance(e.get("text"), str)]
        out.append("\n".join(parts))
    return out


def test_the_mou_story_is_posted_once_with_the_mention_and_its_follow_up_in_the_thread(services, slack, newsroom_for):
    news = newsroom_for(services)
    news.outlet("herald")
    news.outlet("koreapro")
    news.poll()  # the outlets' baselines: searchable, not news
    reply = watch(services, f'add org:"SK hynix" mention <@{POLICY}|policy>')
    assert reply.kind == "info", reply.plain_text()
    assert run(services, platform="slack", channel_id=CHANNEL) == []  # the baselines are not news

    mou = seed_item(MOU_SEED, "https://herald.example/mou")
    news.publish("herald", mou, seed_item(EU_SEED, "https://herald.example/eu"))
    news.poll()
    # The poll's hook matched the new articles once their facts were in: one intent, not yet posted.
    assert [p.title for p in channel_posts(services.db, "slack", CHANNEL)] == [mou["plain_title"]]
    assert slack.messages_in(CHANNEL) == []
    sent = run(services, platform="slack", channel_id=CHANNEL)
    assert [s.delivery.status for s in sent] == ["sent"]
    [top] = slack.messages_in(CHANNEL)
    assert top["text"].startswith(f"<@{POLICY}> ")  # the watch's own mention, in Slack's syntax
    assert top["blocks"][1]["text"]["text"] == f"<@{POLICY}>"
    body = texts([top])[0]
    assert mou["plain_title"][:60] in body and "SK hynix" in body and "herald" in body
    assert "https://herald.example/mou" in body  # the link
    assert "European Union" not in body  # the unrelated article is not posted

    news.publish("koreapro", seed_item(MONEY_SEED, "https://koreapro.example/205m"))
    news.poll()
    sent = run(services, platform="slack", channel_id=CHANNEL)
    assert [s.delivery.status for s in sent] == ["sent"]
    assert len(slack.messages_in(CHANNEL)) == 2
    [follow_up] = slack.replies_to(CHANNEL, top["ts"])
    follow = texts([follow_up])[0]
    assert "South Korea bets $205M" in follow and "New in this report: $205 million" in follow
    history = slack.calls("conversations.history")
    assert history == []  # nothing to recover: no lookups

    # The publisher edits the MOU item (same link, new text): stored as an update, not posted again.
    news.publish("herald", seed_item(MOU_SEED, "https://herald.example/mou", addendum="Updated with the list of signatories."))
    report = news.poll()
    assert report.total("updated") == 1
    assert run(services, platform="slack", channel_id=CHANNEL) == []
    # Re-published under a new address: the same item to this channel, not posted again.
    news.publish("herald", seed_item(MOU_SEED, "https://herald.example/2025/mou-again", addendum="Republished."))
    assert news.poll().total("new") == 1
    assert run(services, platform="slack", channel_id=CHANNEL) == []
    assert len(slack.messages_in(CHANNEL)) == 2


def test_thirty_matches_in_a_minute_give_ten_posts_and_one_roll_up(services, slack, newsroom_for):
    news = newsroom_for(services)
    news.outlet("wire")
    news.poll()
    watch(services, "add memory OR packaging")
    burst = [{**i, "title": f"Wire flash {n}: {i['title']}", "body": f"Flash {n} from the wire. " + i["body"]}
             for n, i in enumerate(items(30, start=100, site="https://wire.example", topic="packaging"))]
    news.publish("wire", *burst)
    assert news.poll().total("new") == 30
    sent = run(services, platform="slack", channel_id=CHANNEL)
    assert [s.post.kind for s in sent] == ["article"] * 10 + ["rollup"]
    assert all(s.delivery.status == "sent" for s in sent)
    messages = slack.messages_in(CHANNEL)
    assert len(messages) == 11
    rollup = texts([messages[-1]])[0]
    assert "20 more watch matches this minute" in rollup and "at most 10 alerts a minute" in rollup
    posts = channel_posts(services.db, "slack", CHANNEL, statuses=("rolled",))
    assert len(posts) == 20
    assert run(services, platform="slack", channel_id=CHANNEL) == []  # a second run posts nothing new


def test_a_mention_of_someone_not_in_the_workspace_is_refused_and_changes_nothing(services, slack):
    reply = watch(services, 'add org:"SK hynix" mention <@U0STRANGER|ghost>')
    assert reply.kind == "error"
    assert "<@U0STRANGER> is not a member of this workspace." in reply.lines
    assert list_watches(services.db) == []


@pytest.mark.parametrize(("stage", "restart_says"), [
    ("arrival", "sent again: an earlier attempt was not confirmed"),
    ("reply", "found already posted after a restart"),
])
def test_kill_9_between_the_intent_and_the_post_gives_exactly_one_post(tmp_path, clock, slack, stage, restart_says):
    services = make_services(tmp_path, clock)
    watch(services, f'add party:"SK hynix" mention <@{POLICY}>')
    from tests.conftest import SEEDS

    services.ingest([SEEDS / MOU_SEED])  # the hook records the intent; nothing is posted yet
    [intent] = channel_posts(services.db, "slack", CHANNEL)
    services.close()
    env = clean_env(BRIEFBOT_DB=str(tmp_path / "briefbot.db"), SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=slack.api_url)
    command = [sys.executable, "-m", "bot", "alerts", "run", "--platform", "slack", "--channel", CHANNEL]
    hold = slack.hold("chat.postMessage", stage)
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        hold.wait(30)
    finally:
        proc.kill()
        proc.communicate(timeout=10)
    hold.release()
    assert proc.returncode == -9
    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    assert restart_says in again.stderr
    messages = slack.messages_in(CHANNEL)
    assert len(messages) == 1 and messages[0]["metadata"]["event_payload"]["key"] == intent.key
    third = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert "nothing new to post" in third.stderr and len(slack.messages_in(CHANNEL)) == 1
