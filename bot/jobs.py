"""The scheduler that runs `serve`'s background jobs (APScheduler 3.x), and the pool its jobs
run in, which a stop can wait for with a timeout.

APScheduler's ``shutdown(wait=True)`` joins the running jobs while it holds the scheduler's
locks: a job that asks the scheduler anything at that moment (the heartbeat lists the jobs, a
poll that stores articles wakes the alerts job) waits for those locks, and the shutdown waits
for the job, for ever. So a stop shuts the scheduler down without waiting (no job starts after
that) and then waits for ``JobPool.wait_idle`` — outside the scheduler's locks, and bounded.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor

from apscheduler.executors.pool import BasePoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

WORKERS = 10  # as APScheduler's default executor


class JobPool(ThreadPoolExecutor):
    """A thread pool that knows which jobs are queued or running, and can wait (bounded) until
    none is."""

    def __init__(self, max_workers: int = WORKERS):
        super().__init__(max_workers, thread_name_prefix="job")
        self._busy: Counter[str] = Counter()
        self._idle = threading.Condition()

    def submit(self, fn, /, *args, **kwargs) -> Future:
        """Queue ``fn(*args, **kwargs)``; it counts as busy until it has run (or failed)."""
        # APScheduler submits run_job(job, ...): its id names the job in a warning at stop
        name = getattr(args[0], "id", None) if args else None
        name = name or getattr(fn, "__name__", "job")
        with self._idle:
            self._busy[name] += 1
        try:
            future = super().submit(fn, *args, **kwargs)
        except BaseException:
            self._done(name)
            raise
        future.add_done_callback(lambda _: self._done(name))
        return future

    def _done(self, name: str) -> None:
        with self._idle:
            self._busy[name] -= 1
            if self._busy[name] <= 0:
                del self._busy[name]
            self._idle.notify_all()

    def busy(self) -> list[str]:
        """The ids of the jobs queued or running now."""
        with self._idle:
            return sorted(self._busy)

    def wait_idle(self, timeout: float) -> list[str]:
        """Wait until no job is queued or running, at most ``timeout`` seconds; return the ids
        of those still busy then (empty: all done)."""
        with self._idle:
            self._idle.wait_for(lambda: not self._busy, timeout=max(timeout, 0))
            return sorted(self._busy)


class JobExecutor(BasePoolExecutor):
    """APScheduler's thread-pool executor over a ``JobPool``."""

    def __init__(self, pool: JobPool):
        super().__init__(pool)


def make_scheduler(pool: JobPool) -> BackgroundScheduler:
    """The one scheduler of a running bot: UTC, each job coalesced, one instance at a time, an
    hour's grace for a missed run, its jobs run in ``pool``."""
    return BackgroundScheduler(
        timezone="UTC",
        executors={"default": JobExecutor(pool)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
