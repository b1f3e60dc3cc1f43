"""Planning and posting alerts, on the console poster: a new watch starts from now, a source's
baseline is not news, several watches of a channel give one post, quiet hours hold posts, a
crash between the recorded intent and the post still gives one post."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from bot.adapters.console.poster import ConsolePoster
from storage import watches as store
from tests.conftest import SEEDS
from tests.digests.helpers import add_article
from tests.watches.conftest import make_services
from tests.watches.newsroom import MONEY_SEED, MOU_SEED
from watches.post import preview, record_all, run

CHANNEL = "newsroom"


@pytest.fixture
def services(tmp_path, clock):
    svc = make_services(tmp_path, clock)
    svc.stream = io.StringIO()
    svc.posters["console"] = ConsolePoster(svc.stream)
    yield svc
    svc.close()


def watch(services, text: str, channel: str = CHANNEL):
    reply = services.ask(f"/watch add {text}", channel_id=channel, is_admin=True)
    assert reply.kind == "info", reply.plain_text()
    return int(reply.title.split("#")[1].split()[0])


def test_a_new_watch_starts_from_now_and_several_watches_give_one_post(services):
    services.ingest([SEEDS / MONEY_SEED])  # stored before the watches: never posted
    first = watch(services, "org:MOTIE mention @policy")
    second = watch(services, 'party:"SK hynix"')
    watch(services, "hydrogen")
    services.ingest([SEEDS / MOU_SEED])
    posts = preview(services, "console", CHANNEL)
    assert len(posts) == 1
    [post] = posts
    assert post["watches"] == [first, second] and post["mentions"] == ["@policy"]
    assert post["matched"].startswith(f"watch #{first}: org:MOTIE; watch #{second}: party:SK hynix")
    assert post["thread_of"] is None
    sent = run(services)
    assert [s.delivery.status for s in sent] == ["sent"]
    out = services.stream.getvalue()
    assert out.startswith(f"[#{CHANNEL}] @policy\n")
    assert "The Korean government has formed a partnership" in out and "Signatories to the agreement" in out
    assert run(services) == []  # a second run posts nothing new
    assert preview(services, "console", CHANNEL) == []


def test_a_source_baseline_is_not_news(services):
    watch(services, "packaging")
    add_article(services, "Packaging backlog", "Old packaging news from a new source.", baseline=True)
    assert record_all(services) == 0
    add_article(services, "Packaging today", "New packaging news.")
    assert record_all(services) == 1


def test_another_channel_gets_its_own_post(services):
    watch(services, "packaging", channel="a")
    watch(services, "packaging", channel="b")
    add_article(services, "Packaging today", "New packaging news.")
    sent = run(services)
    assert sorted(s.post.channel_id for s in sent) == ["a", "b"]


def test_quiet_hours_hold_a_post_until_they_end(services, clock):
    # START is 09:00 UTC = 18:00 in Seoul: inside 17:00-08:00 Seoul time.
    watch(services, "packaging mention @night quiet 17:00-08:00 tz Asia/Seoul")
    add_article(services, "Packaging tonight", "New packaging news.")
    [held] = preview(services, "console", CHANNEL)
    assert held["held_until"] == "2025-09-01T23:00:00+00:00"
    assert run(services) == []
    clock.now += timedelta(hours=14)  # 08:00 in Seoul
    [sent] = run(services)
    assert sent.delivery.status == "sent" and "@night" in services.stream.getvalue()


def test_a_quiet_watch_does_not_hold_what_another_watch_posts_now(services):
    watch(services, "packaging mention @night quiet 17:00-08:00 tz Asia/Seoul")
    watch(services, "packaging mention @day")
    add_article(services, "Packaging tonight", "New packaging news.")
    [post] = preview(services, "console", CHANNEL)
    assert post["held_until"] is None and post["mentions"] == ["@day"]


def test_a_paused_watch_posts_nothing_and_resumes_from_now(services):
    number = watch(services, "packaging")
    assert services.ask(f"/watch pause {number}", channel_id=CHANNEL, is_admin=True).kind == "info"
    add_article(services, "Packaging while paused", "New packaging news.")
    assert run(services) == []
    services.ask(f"/watch resume {number}", channel_id=CHANNEL, is_admin=True)
    assert run(services) == []
    add_article(services, "Packaging after", "Newer packaging news.")
    assert [s.post.title for s in run(services)] == ["Packaging after"]


def test_a_crash_between_the_intent_and_the_post_gives_one_post(services, tmp_path, clock):
    watch(services, "packaging")
    add_article(services, "Packaging today", "New packaging news.")
    assert record_all(services) == 1  # the intent is recorded; then the process dies
    services.close()
    restarted = make_services(tmp_path, clock)
    stream = io.StringIO()
    restarted.posters["console"] = ConsolePoster(stream)
    try:
        [sent] = run(restarted)
        assert sent.delivery.status == "sent"
        assert stream.getvalue().count(f"[#{CHANNEL}]") == 1
        assert run(restarted) == []
        [post] = store.channel_posts(restarted.db, "console", CHANNEL, statuses=("sent",))
        assert post.attempts == 1
    finally:
        restarted.close()


def test_a_reply_whose_story_post_failed_goes_to_the_channel(services):
    watch(services, 'org:"SK hynix"')
    services.ingest([SEEDS / MOU_SEED])
    services.ingest([SEEDS / MONEY_SEED])
    top, reply = store.channel_posts(services.db, "console", CHANNEL)
    assert reply.thread_of == top.key
    # The story's first post was given up (e.g. the platform kept refusing it).
    services.db.execute("UPDATE alert_posts SET status = 'failed' WHERE key = ?", [top.key])
    [sent] = run(services)
    assert sent.delivery.status == "sent" and "thread of" not in services.stream.getvalue()
