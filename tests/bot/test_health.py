"""The health report behind the heartbeat file and GET /healthz."""

from __future__ import annotations

import json

from bot.health import beat, healthz, heartbeat_path, read_health


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
