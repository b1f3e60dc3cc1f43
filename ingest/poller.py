"""The poller: fetch due sources politely, store what is new, back off from what fails.

Fetching and parsing run in a small thread pool (at most ``per_host`` requests at a time to any
one host); storing runs in the calling thread, one short transaction per source, so there is
one writer. A source that fails is retried later (5 min × 2^(n−1), capped at a day) and paused
after ``PAUSE_AFTER`` consecutive failures; the others keep going.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from ingest.fetch import Fetcher, FetchError
from ingest.parse import ParseError
from ingest.sources import Harvest, SourceError, harvest
from storage.articles import store_articles
from storage.clock import iso
from storage.sources import due_sources, record_poll

log = logging.getLogger("briefbot.poller")

WORKERS = 8
PER_HOST = 2
BACKOFF_BASE = 300  # seconds: 5 min, 10, 20, … after consecutive failures
BACKOFF_CAP = 86_400
FLOOR_CAP = 86_400  # Retry-After, max-age and ttl are honoured up to a day
PAUSE_AFTER = 10
TICK_SECONDS = 60  # how often `serve` looks for due sources
JOB_ID = "briefbot.poll_sources"


@dataclass
class SourcePoll:
    """What one source's poll did, as the CLI prints it and /sources list summarises it."""

    source_id: int
    label: str
    outcome: str  # new | unchanged | not_modified | error
    new: int = 0
    updated: int = 0
    duplicate: int = 0
    message: str = ""
    next_poll_at: str | None = None
    paused: bool = False

    def describe(self) -> str:
        """One line: what happened and when the next poll is."""
        if self.outcome == "error":
            what = f"failed: {self.message.rstrip('.')}"
        elif self.outcome == "not_modified":
            what = "not modified (304)"
        else:
            what = f"{self.new} new, {self.updated} updated, {self.duplicate} already stored"
        then = f"paused: {self.message}" if self.paused else f"next poll {(self.next_poll_at or '')[:16].replace('T', ' ')}"
        return f"#{self.source_id} {self.label}: {what}; {then}"


@dataclass
class PollReport:
    """Every polled source's outcome and the time the round took."""

    polls: list[SourcePoll] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[SourcePoll]:
        return [p for p in self.polls if p.outcome == "error"]

    def total(self, what: str) -> int:
        return sum(getattr(p, what) for p in self.polls)


class HostLimiter:
    """At most ``per_host`` concurrent requests to one host name."""

    def __init__(self, per_host: int = PER_HOST):
        self.per_host = per_host
        self._sems: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()

    def slot(self, url: str) -> threading.Semaphore:
        """The semaphore guarding ``url``'s host."""
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            return self._sems.setdefault(host, threading.BoundedSemaphore(self.per_host))


def backoff_seconds(failures: int) -> float:
    """Delay after ``failures`` consecutive failures: 5 min × 2^(n−1), at most a day."""
    return float(min(BACKOFF_BASE * 2 ** max(failures - 1, 0), BACKOFF_CAP))


class Poller:
    """Polls sources through one Fetcher and stores through the services' database."""

    def __init__(
        self,
        services,
        *,
        fetcher: Fetcher | None = None,
        workers: int = WORKERS,
        per_host: int = PER_HOST,
    ):
        self.services = services
        self._fetcher = fetcher
        self.workers = workers
        self.limiter = HostLimiter(per_host)

    def poll(self, *, include_all: bool = False, progress: Callable[[SourcePoll], None] | None = None) -> PollReport:
        """Poll every due source (every active one with ``include_all``) once."""
        started = time.perf_counter()
        db = self.services.db
        rows = due_sources(db, iso(self.services.clock()), include_all=include_all)
        report = PollReport()
        if not rows:
            return report
        fetcher = self._fetcher or Fetcher.from_settings(self.services.settings)
        try:
            with ThreadPoolExecutor(max_workers=max(1, min(self.workers, len(rows))), thread_name_prefix="poll") as pool:
                futures = {pool.submit(self._harvest, fetcher, row): row for row in rows}
                for future in as_completed(futures):
                    row = futures[future]
                    outcome, elapsed = future.result()
                    try:
                        polled = self._record(row, outcome, elapsed)
                    except Exception:  # e.g. the source was removed meanwhile; the others go on
                        log.exception("could not record the poll of source #%s (%s)", row["id"], row["url"])
                        continue
                    report.polls.append(polled)
                    if progress is not None:
                        progress(polled)
        finally:
            if self._fetcher is None:
                fetcher.close()
        report.polls.sort(key=lambda p: p.source_id)
        if report.total("new"):
            self.services.articles_stored()
        report.seconds = time.perf_counter() - started
        return report

    # ------------------------------------------------------------------ worker threads
    def _harvest(self, fetcher: Fetcher, row: dict) -> tuple[Harvest | Exception, float]:
        started = time.perf_counter()
        try:
            with self.limiter.slot(row["url"]):
                result: Harvest | Exception = harvest(
                    fetcher, row["kind"], row["url"],
                    etag=row.get("etag"), last_modified=row.get("last_modified"), cursor=row.get("cursor"),
                )
        except (FetchError, ParseError, SourceError) as exc:
            result = exc
        except Exception as exc:  # one broken source must never stop the others
            log.exception("polling source #%s (%s) failed unexpectedly", row["id"], row["url"])
            result = exc
        return result, time.perf_counter() - started

    # ------------------------------------------------------------------ the writer (calling thread)
    def _record(self, row: dict, outcome: Harvest | Exception, elapsed: float) -> SourcePoll:
        db = self.services.db
        now = self.services.clock()
        at = iso(now)
        label = row.get("name") or row["url"]
        ms = int(elapsed * 1000)
        if isinstance(outcome, Exception):
            return self._record_failure(row, outcome, now, ms, label)
        h = outcome
        counts = {"new": 0, "updated": 0, "duplicate": 0}
        if h.articles:
            results = store_articles(
                db, h.articles, source_id=row["id"], baseline=not row["baseline_done"],
                input_label=row["url"], clock=self.services.clock,
            )
            for r in results:
                counts[r.outcome] = counts.get(r.outcome, 0) + 1
            try:
                self.services.after_store(db, results, h.articles)
            except Exception:  # the articles are stored; extraction can be re-run
                log.exception("after-store hook failed for source #%s", row["id"])
        kind = "not_modified" if h.not_modified else "new" if counts["new"] or counts["updated"] else "unchanged"
        floor = min(h.floor or 0.0, FLOOR_CAP)
        next_at = iso(now + timedelta(seconds=max(float(row["interval_s"]), floor)))
        values = {
            "etag": h.etag, "last_modified": h.last_modified, "last_poll_at": at, "last_success_at": at,
            "failures": 0, "next_poll_at": next_at,
        }
        if not h.not_modified:
            values["baseline_done"] = 1
        if row["kind"] == "wordpress":
            values["cursor"] = h.cursor
        message = "; ".join(dict.fromkeys(h.warnings)) or None
        record_poll(
            db, row["id"], at=at, outcome=kind, http_status=h.status, body_bytes=h.body_bytes,
            elapsed_ms=ms, message=message, **counts, **values,
        )
        return SourcePoll(row["id"], label, kind, counts["new"], counts["updated"], counts["duplicate"],
                          message or "", next_at)

    def _record_failure(self, row: dict, exc: Exception, now, ms: int, label: str) -> SourcePoll:
        db = self.services.db
        at = iso(now)
        if isinstance(exc, ParseError):
            message = f"could not read it: {exc}"
        elif isinstance(exc, (FetchError, SourceError)):
            message = str(exc)
        else:
            message = f"internal error while polling ({type(exc).__name__}); see the log"
        failures = int(row["failures"] or 0) + 1
        retry_after = getattr(exc, "retry_after", None) or 0.0
        delay = max(backoff_seconds(failures), min(retry_after, FLOOR_CAP))
        next_at = iso(now + timedelta(seconds=delay))
        values = {"last_poll_at": at, "last_error": message, "last_error_at": at, "failures": failures,
                  "next_poll_at": next_at}
        paused = failures >= PAUSE_AFTER
        reason = ""
        if paused:
            reason = f"paused after {failures} failed polls in a row; last error: {message}"
            values.update(status="paused", paused_reason=reason)
        record_poll(db, row["id"], at=at, outcome="error", http_status=getattr(exc, "status", None),
                    elapsed_ms=ms, message=message, **values)
        log.warning("source #%s (%s) failed (%d in a row): %s", row["id"], row["url"], failures, message)
        if paused:
            self._notify_paused(row, reason)
        return SourcePoll(row["id"], label, "error", message=reason or message, next_poll_at=next_at, paused=paused)

    def _notify_paused(self, row: dict, reason: str) -> None:
        """Tell the admins' channel, once, that a source was paused."""
        from base.reply import Reply

        target = self.services.settings.admin_channel
        log.warning("source #%s paused: %s", row["id"], reason)
        if not target:
            return
        platform, _, channel = target.partition(":")
        reply = Reply(
            title=f"Source #{row['id']} paused: {row.get('name') or row['url']}",
            lines=[reason, f"URL: {row['url']}",
                   f"Resume it with /sources resume {row['id']} once the problem is fixed."],
            kind="info",
            private=False,
        )
        try:
            self.services.poster(platform).post(channel, reply)
        except Exception as exc:  # a notice that cannot be posted must not fail the poll
            log.warning("could not post the pause notice to %s: %s", target, exc)


def poll_due(services) -> PollReport:
    """One scheduled round: poll the due sources."""
    return Poller(services).poll()


def register_jobs(services, scheduler) -> None:
    """Add the polling job to the scheduler (called by ``Services.start_background``)."""
    from datetime import UTC, datetime

    scheduler.add_job(
        poll_due,
        "interval",
        seconds=TICK_SECONDS,
        args=[services],
        id=JOB_ID,
        name="poll due sources",
        replace_existing=True,
        next_run_time=datetime.now(UTC) + timedelta(seconds=5),
    )
