"""Digest jobs on the one APScheduler 3.x scheduler: one job per subscription, registered at
every start with an explicit id and ``replace_existing`` (see ``digests/schedule.py`` for why a
restart neither drops nor doubles a schedule), plus the recovery of posts a crash left."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from digests.post import due_catch_ups, resume_pending, run_subscription
from digests.schedule import GRACE, schedule_of
from storage.digests import list_subscriptions, pending_posts

log = logging.getLogger("briefbot.digests")


RECOVER_JOB_ID = "digest-recover"
# The recovery runs once, but as an interval job that removes itself when it starts: APScheduler
# removes a one-off job itself right after handing it to the pool, and a stop arriving in between
# makes that removal fail (JobLookupError, with a traceback, in the scheduler's thread).
RECOVER_EVERY = timedelta(days=1)


def job_id(sub_id: int) -> str:
    """The scheduler job id of a subscription."""
    return f"digest-{sub_id}"


def add_job(services, scheduler, sub: dict) -> None:
    """Register (or replace) one subscription's job."""
    scheduler.add_job(
        run_scheduled,
        trigger=schedule_of(sub).trigger(),
        args=[services, sub["id"]],
        id=job_id(sub["id"]),
        name=f"digest #{sub['id']} {sub['platform']}:{sub['channel_id']} {sub['schedule']} {sub['tz']}",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(GRACE.total_seconds()),
    )


def remove_job(services, sub_id: int) -> None:
    """Drop a subscription's job from a running scheduler, if there is one."""
    _remove(services, job_id(sub_id))


def _remove_recovery(services) -> None:
    """The recovery job, once started, is not run again (see ``RECOVER_JOB_ID``)."""
    _remove(services, RECOVER_JOB_ID)


def _remove(services, job: str) -> None:
    scheduler = services.running_scheduler()
    if scheduler is None:  # not serving (or stopping): the next start registers what is stored
        return
    from apscheduler.jobstores.base import JobLookupError

    try:
        scheduler.remove_job(job)
    except JobLookupError:  # already gone, or the scheduler stopped in between
        pass


def register_jobs(services, scheduler) -> list[str]:
    """Called by ``Services.start_background()``: one job per active subscription, plus, once,
    the recovery of posts left unconfirmed by a crash and the periods missed while down (within
    the grace time). Returns the job ids registered."""
    db = services.db
    ids = []
    for sub in list_subscriptions(db):
        add_job(services, scheduler, sub)
        ids.append(job_id(sub["id"]))
    now = services.clock()
    catch_up = due_catch_ups(services, now)
    if catch_up or pending_posts(db):
        scheduler.add_job(
            recover, "interval", seconds=int(RECOVER_EVERY.total_seconds()),
            args=[services, [s["id"] for s in catch_up]], id=RECOVER_JOB_ID, replace_existing=True,
            next_run_time=datetime.now(UTC), coalesce=True, max_instances=1,
            misfire_grace_time=int(GRACE.total_seconds()),
        )
        ids.append(RECOVER_JOB_ID)
    log.info("registered %d digest job(s)", len(ids))
    return ids


def run_scheduled(services, sub_id: int):
    """The job of one subscription: post its current period's digest (at most once)."""
    try:
        return run_subscription(services, sub_id, now=services.clock())
    except Exception:
        log.exception("digest #%s failed", sub_id)
        return None


def recover(services, sub_ids: list[int]) -> None:
    """At start: re-check or re-send unconfirmed posts, then post missed periods."""
    _remove_recovery(services)
    try:
        resume_pending(services)
    except Exception:
        log.exception("resuming unconfirmed digests failed")
    for sub_id in sub_ids:
        run_scheduled(services, sub_id)
