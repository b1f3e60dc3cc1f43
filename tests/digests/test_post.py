"""Posting exactly once: the cursor moves only after the platform confirmed; crashes, refusals,
restarts and repeated runs neither repeat nor lose a digest."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.adapters.console.poster import ConsolePoster
from bot.app import Services
from bot.config import Settings
from digests.post import run_channel, targets_for_channel
from storage.digests import get_cursor, list_posts
from tests.conftest import ROOT, SEEDS
from tests.digests.helpers import FakeClock, add_article
from tests.fakes.chat_platform import FakePlatform, KeyedPlatformPoster, PlatformPoster

SEOUL = ZoneInfo("Asia/Seoul")
MORNING = datetime(2025, 3, 10, 9, 30, tzinfo=SEOUL)


def make_services(tmp_path, clock: FakeClock, **settings) -> Services:
    return Services(Settings.from_env({}, db_path=str(tmp_path / "bot.db"), **settings), clock=clock)


@pytest.fixture
def clock():
    return FakeClock(MORNING)


@pytest.fixture
def bot(tmp_path, clock):
    services = make_services(tmp_path, clock)
    assert not services.ingest([SEEDS]).failed
    yield services
    services.close()


def console(services) -> io.StringIO:
    out = io.StringIO()
    services.posters["console"] = ConsolePoster(out)
    return out


def top_id(services) -> int:
    return services.db.execute("SELECT max(id) FROM articles").fetchone()[0]


def test_two_runs_in_the_same_period_post_once(bot, clock):
    out = console(bot)
    [(_, first)] = run_channel(bot, "console", "console")
    clock.now += timedelta(hours=3)
    [(_, second)] = run_channel(bot, "console", "console")
    assert (first.status, first.items, second.status) == ("sent", 3, "already")
    assert out.getvalue().count("briefbot digest") == 1
    assert "South Korea bets $205M" in out.getvalue()
    assert get_cursor(bot.db, "console", "console", 0) == top_id(bot)


def test_the_cursor_moves_only_after_the_platform_confirmed(bot):
    with FakePlatform("refuse") as platform:
        bot.posters["fakechat"] = KeyedPlatformPoster(platform.url)
        [(_, refused)] = run_channel(bot, "fakechat", "C1")
        assert refused.status == "retry" and "HTTP 500" in refused.error
        assert get_cursor(bot.db, "fakechat", "C1", 0) is None and platform.messages == []
        platform.mode = "ok"
        [(_, sent)] = run_channel(bot, "fakechat", "C1")
    assert sent.status == "sent" and len(platform.messages) == 1
    assert get_cursor(bot.db, "fakechat", "C1", 0) == top_id(bot)
    [post] = list_posts(bot.db, channel_id="C1")
    assert (post.status, post.message_id, post.attempts) == ("sent", "m1", 2)
    assert [i["title"] for i in post.items][0].startswith("South Korea bets $205M")


def test_a_post_the_platform_accepted_but_never_confirmed_is_found_not_repeated(bot):
    with FakePlatform("accept_then_fail") as platform:
        bot.posters["fakechat"] = KeyedPlatformPoster(platform.url)
        [(_, lost)] = run_channel(bot, "fakechat", "C1")
        assert lost.status == "retry" and len(platform.messages) == 1
        platform.mode = "ok"
        [(_, found)] = run_channel(bot, "fakechat", "C1")
        [(_, again)] = run_channel(bot, "fakechat", "C1")
    assert (found.status, found.recovered, found.message_id, again.status) == ("sent", True, "m1", "already")
    assert len(platform.messages) == 1
    assert get_cursor(bot.db, "fakechat", "C1", 0) == top_id(bot)


def test_a_post_refused_twice_is_given_up_and_its_articles_go_into_the_next_digest(bot, clock):
    with FakePlatform("refuse") as platform:
        bot.posters["fakechat"] = PlatformPoster(platform.url)
        statuses = [run_channel(bot, "fakechat", "C1")[0][1].status for _ in range(3)]
        assert statuses == ["retry", "failed", "failed"]  # two attempts, then no more
        assert get_cursor(bot.db, "fakechat", "C1", 0) is None
        platform.mode = "ok"
        clock.now += timedelta(days=1)  # the next period
        [(_, next_day)] = run_channel(bot, "fakechat", "C1")
    assert next_day.status == "sent" and next_day.items == 3
    assert "South Korea bets $205M" in platform.messages[0]["text"]


def test_two_subscriptions_on_one_channel_each_post_their_own_topics_once(bot, clock):
    for line in ("/digest subscribe daily 09:00 tz Asia/Seoul packaging",
                 "/digest subscribe daily 09:00 tz Asia/Seoul neuromorphic"):
        assert bot.ask(line, platform="fakechat", channel_id="C1", is_admin=True).kind == "info"
    with FakePlatform() as platform:
        bot.posters["fakechat"] = KeyedPlatformPoster(platform.url)
        results = [r.status for _, r in run_channel(bot, "fakechat", "C1")]
        assert results == ["sent", "sent"]
        packaging, neuromorphic = platform.messages
        assert "South Korea bets $205M" in packaging["text"] and "European Union" in packaging["text"]
        assert "South Korea bets $205M" not in neuromorphic["text"] and "European Union" in neuromorphic["text"]
        assert [r.status for _, r in run_channel(bot, "fakechat", "C1")] == ["already", "already"]
        # the next morning only the subscription whose topic has news posts
        add_article(bot, "Neuromorphic chip consortium formed in Daejeon",
                    "Five universities formed a neuromorphic chip consortium in Daejeon on Monday.")
        clock.now += timedelta(days=1)
        assert [r.status for _, r in run_channel(bot, "fakechat", "C1")] == ["empty", "sent"]
    assert len(platform.messages) == 3 and "consortium" in platform.messages[2]["text"]
    for target in targets_for_channel(bot, "fakechat", "C1"):
        assert get_cursor(bot.db, "fakechat", "C1", target.subscription_id) == top_id(bot)


def test_an_empty_period_posts_nothing_or_one_line(tmp_path, clock):
    for mode, expected in (("skip", 0), ("line", 1)):
        services = make_services(tmp_path / mode, clock, digest_empty=mode)
        out = console(services)
        [(_, result)] = run_channel(services, "console", "console")
        [(_, again)] = run_channel(services, "console", "console")
        assert out.getvalue().count("Nothing new since the last digest.") == expected
        assert (result.status, again.status) == (("empty", "already") if mode == "skip" else ("sent", "already"))
        services.close()


def test_concurrent_runs_of_one_period_post_once(bot):
    with FakePlatform() as platform:
        bot.posters["fakechat"] = KeyedPlatformPoster(platform.url)
        results = []
        threads = [threading.Thread(target=lambda: results.append(run_channel(bot, "fakechat", "C1")[0][1].status))
                   for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(results) == ["already"] * 3 + ["sent"] and len(platform.messages) == 1


def worker(db, url, channel, *extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.digests.worker", str(db), url, channel, MORNING.isoformat(), *extra],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def killed_after_acceptance(tmp_path, *extra):
    """Run the bot in a process, kill it (SIGKILL) after the platform accepted its post and
    before it heard back, then run it again twice. Returns the platform and the outputs."""
    services = make_services(tmp_path, FakeClock(MORNING))
    services.ingest([SEEDS])
    services.close()
    db = tmp_path / "bot.db"
    with FakePlatform("accept_then_hang") as platform:
        proc = worker(db, platform.url, "C1", *extra)
        assert platform.accepted.wait(30), proc.stderr.read() if proc.poll() is not None else "no post"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        platform.mode = "ok"
        outputs = []
        for _ in range(2):
            proc = worker(db, platform.url, "C1", *extra)
            out, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
            outputs.append(out.split()[0])
    return platform, outputs, db


def test_killed_between_the_platforms_acceptance_and_our_record_posts_exactly_once(tmp_path):
    platform, outputs, db = killed_after_acceptance(tmp_path)
    assert len(platform.messages) == 1 and outputs == ["sent", "already"]
    services = make_services(tmp_path, FakeClock(MORNING))
    [post] = list_posts(services.db, channel_id="C1")
    assert (post.status, post.message_id) == ("sent", "m1")
    assert get_cursor(services.db, "fakechat", "C1", 0) == top_id(services)
    services.close()


def test_with_a_plain_poster_that_one_window_reposts_at_most_once(tmp_path):
    # A platform we cannot ask "did you get this?" makes the window at-least-once: the restart
    # re-posts the recorded message once, and never again.
    platform, outputs, _ = killed_after_acceptance(tmp_path, "--plain")
    assert outputs == ["sent", "already"]
    assert len(platform.messages) == 2 and platform.messages[0]["text"] == platform.messages[1]["text"]


def wait_for(predicate, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_killed_before_the_scheduled_time_and_restarted_after_posts_exactly_one_digest(tmp_path, clock):
    with FakePlatform() as platform:
        # 08:50: subscribe for 09:00; the process dies before 09:00 (no job ran)
        clock.now = datetime(2025, 3, 10, 8, 50, tzinfo=SEOUL)
        first = make_services(tmp_path, clock)
        first.ingest([SEEDS])
        first.ask("/digest subscribe daily 09:00 tz Asia/Seoul", platform="fakechat", channel_id="C1", is_admin=True)
        first.posters["fakechat"] = KeyedPlatformPoster(platform.url)
        first.start_background()
        assert [j.id for j in first.scheduler.get_jobs() if j.id.startswith("digest")] == ["digest-1"]
        first.close()
        assert platform.messages == []
        # 09:30: restarted; the missed 09:00 digest is posted once
        for minute in (30, 45):
            clock.now = datetime(2025, 3, 10, 9, minute, tzinfo=SEOUL)
            again = make_services(tmp_path, clock)
            again.posters["fakechat"] = KeyedPlatformPoster(platform.url)
            again.start_background()
            assert wait_for(lambda: len(platform.messages) >= 1)
            time.sleep(0.3)  # room for a second post, which must not come
            again.close()
        assert len(platform.messages) == 1
        assert "3 stories from 4 new articles" in platform.messages[0]["text"]
    check = make_services(tmp_path, clock)
    [post] = list_posts(check.db, channel_id="C1")
    check.close()
    assert (post.period, post.status, post.message_id) == ("2025-03-10T09:00", "sent", "m1")


def test_a_restart_after_the_grace_time_skips_the_old_period_but_loses_nothing(tmp_path, clock):
    with FakePlatform() as platform:
        clock.now = datetime(2025, 3, 10, 8, 50, tzinfo=SEOUL)
        services = make_services(tmp_path, clock)
        services.ingest([SEEDS])
        services.ask("/digest subscribe daily 09:00 tz Asia/Seoul", platform="fakechat", channel_id="C1", is_admin=True)
        services.close()
        clock.now = datetime(2025, 3, 10, 11, 0, tzinfo=SEOUL)  # two hours late: not posted on start
        services = make_services(tmp_path, clock)
        services.posters["fakechat"] = KeyedPlatformPoster(platform.url)
        services.start_background()
        time.sleep(0.3)
        assert platform.messages == [] and [j.id for j in services.scheduler.get_jobs() if j.id.startswith("digest")] == ["digest-1"]
        # the next morning's scheduled run carries those articles
        clock.now = datetime(2025, 3, 11, 9, 0, 5, tzinfo=SEOUL)
        services.scheduler.get_job("digest-1").func(*services.scheduler.get_job("digest-1").args)
        services.close()
    assert len(platform.messages) == 1 and "3 stories from 4 new articles" in platform.messages[0]["text"]


def test_a_new_subscription_starts_with_the_last_day_not_the_whole_archive(tmp_path, clock):
    services = make_services(tmp_path, clock)
    clock.now = MORNING - timedelta(days=30)
    add_article(services, "Archive: packaging plant opened", "A packaging plant opened in Cheonan a month ago.")
    clock.now = MORNING - timedelta(hours=2)
    fresh = add_article(services, "Packaging line expanded", "A packaging line was expanded in Asan this morning.")
    clock.now = MORNING
    services.ask("/digest subscribe daily 09:00 tz Asia/Seoul packaging", platform="fakechat", channel_id="C1", is_admin=True)
    with FakePlatform() as platform:
        services.posters["fakechat"] = KeyedPlatformPoster(platform.url)
        [(_, result)] = run_channel(services, "fakechat", "C1")
    services.close()
    assert result.status == "sent" and result.record.items == [{"title": "Packaging line expanded", "articles": [fresh]}]
    assert "Archive" not in platform.messages[0]["text"]
