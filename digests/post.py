"""Posting digests exactly once, and moving the cursor only after the platform confirmed.

The protocol, per target (a channel's subscription, or the channel's digest without one) and
period, with the idempotency key ``platform:channel:subscription:period``:

1. Build the digest from the target's cursor (no lock held: summaries may take a while).
2. Under a lock on the database's digest lock file (an OS lock, released even on SIGKILL):
   if the key is already in the ledger, stop (sent/empty/failed) or finish it (pending); else
   first finish any older pending post of the target, then record the intent — the key, the
   article range and the exact message — committed *before* the platform is called. If the
   cursor moved meanwhile the digest is rebuilt, so no article is in two posts.
3. Count the attempt (committed), call ``poster.post``; when the platform confirms, mark the
   row sent with its message id *and* advance the cursor, in one transaction.

What a crash costs:
- before step 2 commits: nothing was posted and the cursor did not move; the next run posts.
- between the intent and the platform accepting: the restart finds the pending intent and posts
  the recorded message once.
- between the platform accepting and step 3 committing: a ``KeyedPoster`` (which can ask the
  platform for the post carrying the key) finds the post and only records it: exactly once.
  A plain ``Poster`` cannot tell, so the restart re-posts it: that one window is
  at-least-once, and it is re-posted at most once (``MAX_ATTEMPTS``).
- after step 3: nothing is left to do; a second run of the same period posts nothing.
A post the platform refused ``MAX_ATTEMPTS`` times is marked ``failed`` and the cursor stays,
so its articles go into the target's next digest: nothing is lost.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from base.reply import Reply
from digests.digest import Digest, build_digest
from digests.schedule import GRACE, Schedule, schedule_of
from digests.select import select_new
from digests.summarize import make_summarizer
from storage import digests as store

log = logging.getLogger("briefbot.digests")

MAX_ATTEMPTS = 2  # the first post and, after a failure or a crash, one more
_THREAD_LOCK = threading.Lock()


@dataclass(frozen=True)
class Target:
    """Where a digest goes and what it covers: a subscription, or (``subscription`` None) the
    channel's digest of everything, whose period is the default schedule."""

    platform: str
    channel_id: str
    subscription: dict | None = None
    default_tz: str = "UTC"

    @property
    def subscription_id(self) -> int:
        return self.subscription["id"] if self.subscription else 0

    @property
    def topics(self) -> str:
        return self.subscription["topics"] if self.subscription else ""

    @property
    def schedule(self) -> Schedule:
        if self.subscription:
            return schedule_of(self.subscription)
        return Schedule("daily 09:00", self.default_tz)

    def key(self, period: str) -> str:
        """The idempotency key of this target's post for ``period``."""
        return f"{self.platform}:{self.channel_id}:{self.subscription_id}:{period}"

    def label(self) -> str:
        if not self.subscription:
            return f"{self.platform}:{self.channel_id} (all topics)"
        return f"#{self.subscription_id} {self.platform}:{self.channel_id} {self.subscription['schedule']} {self.subscription['tz']}"


@dataclass
class RunResult:
    """What a run did: ``sent``, ``already`` (this period was posted), ``empty`` (nothing new),
    ``retry`` (the platform did not confirm; retried on the next run), ``failed`` (given up;
    the articles go into the next digest) or ``blocked`` (an earlier post is unconfirmed)."""

    status: str
    key: str
    message_id: str | None = None
    items: int = 0
    error: str = ""
    record: store.PostRecord | None = None
    recovered: bool = False  # found already posted on the platform (after a crash): only recorded
    resent: bool = False  # posted after an earlier attempt that was not confirmed


def targets_for_channel(services, platform: str, channel_id: str) -> list[Target]:
    """The channel's subscriptions, or its digest of everything when it has none."""
    tz = services.settings.digest_timezone
    subs = store.list_subscriptions(services.db, platform=platform, channel_id=channel_id)
    return [Target(platform, channel_id, s, tz) for s in subs] or [Target(platform, channel_id, None, tz)]


def build_for(services, target: Target, *, since: str | None = None) -> Digest:
    """The digest a target would get now (read-only but for the summary cache)."""
    db = services.db
    cursor = store.get_cursor(db, target.platform, target.channel_id, target.subscription_id)
    selection = select_new(db, after_id=cursor, topics=target.topics, since=since)
    summarizer = make_summarizer(services.settings, db)
    return build_digest(db, selection, summarizer=summarizer, topics=target.topics)


def preview(services, target: Target, *, since: str | None = None) -> Digest:
    """What the target's next digest would show; advances nothing."""
    return build_for(services, target, since=since)


# --- the lock ---------------------------------------------------------------------------------

@contextmanager
def posting_lock(services):
    """Serialise ledger decisions and posts across threads and processes sharing the database.
    An OS file lock: a process killed while holding it releases it."""
    path = services.settings.db_path
    with _THREAD_LOCK:
        if path == ":memory:":
            yield
            return
        try:
            import fcntl
        except ImportError:  # not POSIX: threads are still serialised
            yield
            return
        lock_path = Path(path).with_name(Path(path).name + ".digest-lock")
        with open(lock_path, "a+") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


# --- running ----------------------------------------------------------------------------------

def empty_reply(target: Target, digest: Digest) -> Reply:
    """The one line an empty period posts when BRIEFBOT_DIGEST_EMPTY=line."""
    return Reply(title=digest.heading(), lines=["Nothing new since the last digest."], kind="empty",
                 private=False, command="digest")


def run_target(services, target: Target, *, period: str) -> RunResult:
    """Post ``target``'s digest for ``period`` at most once (see the module docstring)."""
    db = services.db
    key = target.key(period)
    for _ in range(3):
        existing = store.get_post(db, key)
        if existing is not None and existing.status != "pending":
            return _settled(existing)
        digest = None
        if existing is None:
            digest = build_for(services, target)
        with posting_lock(services):
            existing = store.get_post(db, key)
            if existing is not None:
                return _send(services, existing) if existing.status == "pending" else _settled(existing)
            for earlier in store.pending_posts(db, platform=target.platform, channel_id=target.channel_id,
                                               subscription_id=target.subscription_id):
                result = _send(services, earlier)
                if result.status != "sent":
                    return RunResult("blocked", key, error=f"an earlier digest ({earlier.period}) is not confirmed yet: {result.error}")
                digest = None  # the cursor moved: rebuild
            if digest is None:
                continue
            skip = digest.empty and services.settings.digest_empty != "line"
            reply = None
            if not skip:
                reply = empty_reply(target, digest) if digest.empty else digest.to_reply(private=False)
                reply.command = "digest"
            try:
                record = store.record_intent(
                    db, key=key, platform=target.platform, channel_id=target.channel_id,
                    subscription_id=target.subscription_id, period=period,
                    from_article_id=digest.selection.from_id, to_article_id=digest.selection.to_id,
                    items=[{"title": i.title, "articles": i.article_ids} for i in digest.items],
                    reply=reply.to_record() if reply else None, status="empty" if skip else "pending",
                    summarizer=digest.summarizer, prompt_tokens=digest.usage.prompt_tokens,
                    completion_tokens=digest.usage.completion_tokens, clock=services.clock,
                )
            except store.CursorMoved:
                continue
            if record.status == "empty":
                return RunResult("empty", key, record=record)
            return _send(services, record)
    return RunResult("blocked", key, error="other runs kept moving the cursor; try again")


def _settled(record: store.PostRecord) -> RunResult:
    status = {"sent": "already", "empty": "already", "failed": "failed"}[record.status]
    return RunResult(status, record.key, message_id=record.message_id, items=len(record.items),
                     error=record.last_error or "", record=record)


def _send(services, record: store.PostRecord) -> RunResult:
    """Post a recorded intent (called under the posting lock)."""
    done = deliver(services, store, key=record.key, platform=record.platform, channel_id=record.channel_id,
                   reply=record.reply, attempts=record.attempts, last_error=record.last_error, what="digest")
    return RunResult(done.status, record.key, message_id=done.message_id, items=len(record.items),
                     error=done.error, record=store.get_post(services.db, record.key) or record,
                     recovered=done.recovered, resent=done.resent)


@dataclass
class Delivery:
    """What one delivery of a recorded intent did: ``sent``, ``retry`` or ``failed``."""

    status: str
    message_id: str | None = None
    error: str = ""
    recovered: bool = False  # found already posted on the platform (after a crash): only recorded
    resent: bool = False  # posted after an earlier attempt that was not confirmed


def deliver(services, ledger, *, key: str, platform: str, channel_id: str, reply: dict | None,
            attempts: int, last_error: str | None, what: str = "post", **placement) -> Delivery:
    """Post one recorded intent exactly once where the platform can tell (see the module
    docstring), under the posting lock. ``ledger`` records attempts and outcomes: a module or
    object with ``start_attempt(db, key)``, ``mark_sent(db, key, message_id, clock=)`` and
    ``mark_failed_attempt(db, key, error, give_up=)``. ``placement`` (e.g. a thread, mentions)
    is passed to the poster as keywords when given."""
    db = services.db
    try:
        poster = services.poster(platform)
    except KeyError:
        error = f"no poster for {platform} is running (start it with `briefbot serve {platform}`)"
        ledger.mark_failed_attempt(db, key, error, give_up=False)
        return Delivery("retry", error=error)
    extra = {k: v for k, v in placement.items() if v}
    keyed = callable(getattr(poster, "find_post", None)) and callable(getattr(poster, "post_keyed", None))
    if attempts > 0 and keyed:
        find = {"thread": extra["thread"]} if extra.get("thread") else {}
        try:
            found = poster.find_post(channel_id, key, **find)
        except Exception as exc:
            found = None
            log.warning("cannot check whether %s %s was posted: %s", what, key, exc)
        if found:
            ledger.mark_sent(db, key, found, clock=services.clock)
            log.info("%s %s was already posted as %s; recorded it", what, key, found)
            return Delivery("sent", message_id=found, recovered=True)
    if attempts >= MAX_ATTEMPTS:
        error = last_error or "not confirmed"
        ledger.mark_failed_attempt(db, key, error, give_up=True)
        log.error("%s %s given up after %d attempts: %s", what, key, attempts, error)
        return Delivery("failed", error=error)
    attempt = ledger.start_attempt(db, key)
    message = Reply.from_record(reply or {"title": ""})
    try:
        message_id = (poster.post_keyed(channel_id, message, key, **extra) if keyed
                      else poster.post(channel_id, message, **extra))
    except Exception as exc:  # PostError or anything else: not confirmed
        error = f"{type(exc).__name__}: {exc}"
        give_up = attempt >= MAX_ATTEMPTS and not keyed
        ledger.mark_failed_attempt(db, key, error, give_up=give_up)
        log.warning("%s %s not confirmed (attempt %d): %s", what, key, attempt, error)
        return Delivery("failed" if give_up else "retry", error=error)
    ledger.mark_sent(db, key, str(message_id), clock=services.clock)
    log.info("%s %s posted as %s", what, key, message_id)
    return Delivery("sent", message_id=str(message_id), resent=attempts > 0)


def resume_pending(services) -> list[RunResult]:
    """Finish every unconfirmed post (after a crash): re-check with the platform or re-send."""
    results = []
    with posting_lock(services):
        for record in store.pending_posts(services.db):
            results.append(_send(services, record))
    return results


def period_of(target: Target, now: datetime) -> str:
    """The period a run at ``now`` belongs to (before the first scheduled time: that day)."""
    schedule = target.schedule
    fire = schedule.period_at(now)
    if fire is None:
        return "before-" + schedule.period_key(now)
    return schedule.period_key(fire)


def run_channel(services, platform: str, channel_id: str, *, now: datetime | None = None) -> list[tuple[Target, RunResult]]:
    """``digest run``: each of the channel's targets posts its current period, at most once."""
    now = now or services.clock()
    return [(t, run_target(services, t, period=period_of(t, now)))
            for t in targets_for_channel(services, platform, channel_id)]


def run_now(services, target: Target, *, now: datetime | None = None) -> RunResult:
    """``/digest now``: post what is new for ``target`` right away (its own period, named by the
    minute, so a double click posts once)."""
    now = now or services.clock()
    return run_target(services, target, period="now-" + now.strftime("%Y-%m-%dT%H:%MZ"))


def run_subscription(services, sub_id: int, *, now: datetime) -> RunResult | None:
    """The scheduled job of a subscription: post the period ``now`` falls in."""
    sub = store.get_subscription(services.db, sub_id)
    if sub is None or not sub["active"]:
        return None
    target = Target(sub["platform"], sub["channel_id"], sub, services.settings.digest_timezone)
    fire = target.schedule.period_at(now)
    if fire is None:
        return None
    return run_target(services, target, period=target.schedule.period_key(fire))


def due_catch_ups(services, now: datetime) -> list[dict]:
    """Subscriptions whose latest period passed while we were down, less than GRACE ago, made
    before that period, and not posted yet."""
    due = []
    for sub in store.list_subscriptions(services.db):
        schedule = schedule_of(sub)
        fire = schedule.period_at(now)
        if fire is None or now - fire > GRACE:
            continue
        if datetime.fromisoformat(sub["created_at"]) > fire:
            continue
        target = Target(sub["platform"], sub["channel_id"], sub)
        if store.get_post(services.db, target.key(schedule.period_key(fire))) is None:
            due.append(sub)
    return due
