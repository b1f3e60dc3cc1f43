"""A stop waits for the background jobs, bounded, and never deadlocks with one of them."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time

from bot.lifecycle import Shutdown, stop_gracefully
from storage.clock import utcnow
from tests.clirun import wait_for
from tests.conftest import ROOT


def test_a_job_that_asks_the_scheduler_during_the_stop_does_not_hold_it(seeded):
    # The heartbeat lists the jobs, and a poll that stores articles wakes the alerts job: both
    # ask the scheduler from inside a job. A stop that held the scheduler's locks while waiting
    # for the jobs waited for ever for such a job (and the job for it).
    services, shutdown = seeded, Shutdown()
    asked, started = [], threading.Event()

    def asks_the_scheduler():
        started.set()
        wait_for(lambda: shutdown.stopping, timeout=5)
        time.sleep(0.2)  # the stop is shutting the scheduler down now
        asked.append([job.id for job in services.scheduler.get_jobs()])

    services.scheduler.add_job(asks_the_scheduler, "interval", hours=1, id="asks", next_run_time=utcnow())
    services.scheduler.start()
    assert started.wait(5)
    begun = time.monotonic()
    assert stop_gracefully(services, timeout=5, shutdown=shutdown) is True
    assert time.monotonic() - begun < 2
    assert asked == [[]]  # the job ran to its end: the stopped scheduler answered it
    assert not services.scheduler.running


def test_a_stop_leaves_a_job_still_running_at_its_deadline_and_says_which(seeded, caplog):
    services, shutdown = seeded, Shutdown()
    started, release = threading.Event(), threading.Event()

    def slow_poll():
        started.set()
        release.wait(30)

    services.scheduler.add_job(slow_poll, "interval", hours=1, id="slow-poll", next_run_time=utcnow())
    services.scheduler.start()
    assert started.wait(5)
    try:
        with caplog.at_level(logging.WARNING, logger="briefbot.serve"):
            begun = time.monotonic()
            assert stop_gracefully(services, timeout=1, shutdown=shutdown) is False
            assert time.monotonic() - begun < 2
        assert "background job(s) still running after 1 s: slow-poll" in caplog.text
    finally:
        release.set()
    # the job was left to finish on its own; nothing else was waiting for it
    wait_for(lambda: services._jobs.busy() == [], timeout=5)


def test_exit_now_ends_the_process_though_a_thread_still_runs():
    # A normal exit joins every non-daemon thread, as it does a job's thread in the scheduler's
    # pool: this one would never end.
    code = ("import sys, threading; from bot.lifecycle import exit_now; "
            "threading.Thread(target=threading.Event().wait).start(); "
            "print('said before the end', flush=False); exit_now(3)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=20)
    assert result.returncode == 3
    assert result.stdout == "said before the end\n"  # what was buffered is flushed
