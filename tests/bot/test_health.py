"""The health report behind the heartbeat file and GET /healthz."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

from bot.adapters.console.poster import ConsolePoster
from bot.app import Services
from bot.config import Settings
from bot.health import beat, healthz, heartbeat_path, read_health
from digests.post import run_channel
from ingest.poller import Poller
from storage.sources import add_source
from tests.conftest import SEEDS
from tests.digests.helpers import FakeClock
from tests.fakes.feed_server import FeedServer, Response, items, rss


def test_healthz_is_503_until_the_scheduler_runs_then_200(seeded):
    status, report = healthz(seeded)
    assert status == 503
    assert report["database"] == {"ok": True, "articles": 4}
    assert report["scheduler"] == {"running": False, "jobs": []}
    seeded.start_background()
    status, report = healthz(seeded)
    assert status == 200
    assert "heartbeat" in report["scheduler"]["jobs"]
    assert report["last_ingest"] and report["last_poll"] is None and report["last_digest"] is None


def test_a_broken_database_makes_the_report_unhealthy_not_an_exception(tmp_path, services):
    services.start_background()
    services.db.execute("DROP TABLE articles_fts")
    services.db.execute("DROP TABLE articles")
    status, report = healthz(services)
    assert status == 503
    assert report["database"]["ok"] is False and "no such table: articles" in report["database"]["error"]
    beat(services)
    healthy, message = read_health(heartbeat_path(services.settings))
    assert not healthy and message.startswith("unhealthy: database error: OperationalError: no such table")
    assert json.loads(heartbeat_path(services.settings).read_text())["status"] == "running"


def test_the_heartbeat_reports_the_last_real_poll_and_the_last_posted_digest(tmp_path):
    clock = FakeClock(datetime(2025, 9, 1, 9, 0, tzinfo=UTC))
    settings = Settings.from_env({}, db_path=str(tmp_path / "b.db"), fetch_allow=("127.0.0.1",))
    services = Services(settings, clock=clock)
    try:
        assert not services.ingest([SEEDS]).failed
        with FeedServer() as server:
            server.route("/feed.xml", lambda req: Response(200, rss(items(2)), {"Content-Type": "application/rss+xml"}))
            add_source(services.db, kind="rss", url=server.url("/feed.xml"), name="feed", interval_s=3600,
                       created_by="test", clock=clock)
            clock.now += timedelta(minutes=5)
            [polled] = Poller(services).poll().polls
        assert polled.new == 2
        assert beat(services)["last_digest"] is None  # polled, but no digest posted yet
        clock.now += timedelta(minutes=5)
        services.posters["console"] = ConsolePoster(io.StringIO())
        [(_, posted)] = run_channel(services, "console", "console")
        assert posted.status == "sent"
        report = beat(services)
    finally:
        services.close()
    assert report["last_poll"] == "2025-09-01T09:05:00+00:00"
    assert report["last_digest"] == "2025-09-01T09:10:00+00:00"
    written = json.loads(heartbeat_path(settings).read_text())
    assert (written["last_poll"], written["last_digest"]) == (report["last_poll"], report["last_digest"])
