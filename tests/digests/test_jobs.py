"""The digest jobs on the real scheduler: the recovery at start runs once, and a stop arriving
just as it is handed to the job pool leaves no traceback behind."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from apscheduler.schedulers.base import STATE_STOPPED

from bot.app import Services
from bot.config import Settings
from digests.jobs import RECOVER_JOB_ID, register_jobs
from storage.digests import list_posts
from tests.clirun import wait_for
from tests.conftest import SEEDS


@pytest.fixture
def missed(tmp_path):
    """Services whose daily 09:00 digest was subscribed at 08:00 and which start at 09:30 (the
    bot was down at 09:00): the recovery job is due at start."""
    now = [datetime(2025, 3, 10, 8, 0, tzinfo=UTC)]
    services = Services(Settings.from_env({}, db_path=str(tmp_path / "bot.db")), clock=lambda: now[0])
    assert not services.ingest([SEEDS]).failed
    assert services.ask("/digest subscribe daily 09:00", is_admin=True, channel_id="C1").kind == "info"
    now[0] = datetime(2025, 3, 10, 9, 30, tzinfo=UTC)
    yield services
    services.close()


def test_the_recovery_runs_once_and_leaves_no_job(missed):
    scheduler = missed.scheduler
    assert RECOVER_JOB_ID in register_jobs(missed, scheduler)
    scheduler.start()
    wait_for(lambda: list_posts(missed.db), timeout=10)  # the missed 09:00 digest is posted
    wait_for(lambda: missed._jobs.busy() == [], timeout=10)
    assert [job.id for job in scheduler.get_jobs()] == ["digest-1"]
    assert [p.period for p in list_posts(missed.db)] == ["2025-03-10T09:00"]
    assert missed.stop_background(5) == []


def test_a_stop_as_the_recovery_is_handed_to_the_pool_leaves_no_traceback(missed, monkeypatch, caplog):
    # The scheduler's thread hands a due job to the pool while holding its job stores' lock,
    # then (for a job that runs once) removes it; a stop marks the scheduler stopped before it
    # waits for that lock. Holding the pool's submission lock lets the stop come in between.
    uncaught: list[threading.ExceptHookArgs] = []
    monkeypatch.setattr(threading, "excepthook", uncaught.append)
    scheduler = missed.scheduler
    register_jobs(missed, scheduler)
    scheduler.start(paused=True)
    submitting = scheduler._executors["default"]._lock
    with submitting:
        scheduler.resume()  # the scheduler's thread finds the recovery due and waits for the pool
        wait_for(lambda: _held_elsewhere(scheduler._jobstores_lock), timeout=5)
        left: list[list[str]] = []
        stopper = threading.Thread(target=lambda: left.append(missed.stop_background(10)))
        stopper.start()
        wait_for(lambda: scheduler.state == STATE_STOPPED, timeout=5)
    stopper.join(15)
    assert not stopper.is_alive() and left == [[]]
    assert uncaught == [], [str(u.exc_value) for u in uncaught]
    assert "Traceback" not in caplog.text and "JobLookupError" not in caplog.text
    # the recovery still ran to its end (the stop waits for the jobs handed over)
    assert [p.period for p in list_posts(missed.db)] == ["2025-03-10T09:00"]


def _held_elsewhere(lock) -> bool:
    if lock.acquire(blocking=False):
        lock.release()
        return False
    return True
