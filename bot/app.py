"""Wiring: Settings → services (database connections, clock) shared by every adapter."""

from __future__ import annotations

import importlib
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from base.reply import Reply
from bot.config import Settings
from bot.core.context import Context
from bot.core.dispatch import run_line
from bot.core.members import Members
from bot.core.poster import Poster
from bot.lifecycle import critical
from storage.clock import Clock, utcnow
from storage.db import Connections

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger("briefbot")
# The demo corpus of a source checkout (`make run`); a plain install has none.
SHIPPED_SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Background jobs started by `serve`: "module:function", each called as fn(services, scheduler)
# to add its jobs to the one APScheduler instance.
BACKGROUND_JOBS = (
    "bot.health:register_jobs",
    "ingest.poller:register_jobs",
    "digests.jobs:register_jobs",
    "watches.post:register_jobs",
    "bot.llm_reading:register_jobs",
)


@dataclass(eq=False)
class Services:
    """The running bot's shared state. Thread-safe: each thread gets its own connection.

    A context manager: ``with Services(settings) as services:`` closes the scheduler and every
    connection on the way out, whatever happened (``close`` does the same by hand)."""

    settings: Settings
    clock: Clock = field(default=utcnow, kw_only=True)
    connections: Connections = field(init=False)
    # platform -> Poster; adapters register theirs when they start (see bot.core.poster)
    posters: dict[str, Poster] = field(default_factory=dict, init=False)
    # platform -> who can be mentioned there (see bot.core.members); adapters register theirs
    members: dict[str, Members] = field(default_factory=dict, init=False)
    _scheduler: BackgroundScheduler | None = field(default=None, init=False, repr=False)
    _jobs: Any = field(default=None, init=False, repr=False)  # the JobPool the scheduler's jobs run in
    _lock: Any = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self.connections = Connections(self.settings.db_path, busy_timeout_ms=self.settings.busy_timeout_ms)

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def db(self):
        """The calling thread's database."""
        return self.connections.get()

    def context(self) -> Context:
        """A command context for the calling thread."""
        return Context(db=self.db, settings=self.settings, clock=self.clock, services=self)

    def is_admin(self, user_id: str) -> bool:
        """True when ``user_id`` is listed in BRIEFBOT_ADMINS."""
        return user_id in self.settings.admins

    def ask(self, line: str, **fields) -> Reply:
        """Run one command line as a user would type it."""
        with critical():  # a stop signal lets the command finish its writes
            return run_line(line, self.context(), **fields)

    def ingest(self, paths, *, progress=None):
        """Ingest local files and folders; see ``ingest.pipeline.ingest_paths``."""
        from ingest.extract.run import BatchExtraction
        from ingest.pipeline import ingest_paths

        with critical():
            resumed = self.finish_extraction()
            # a large ingest reads each batch's facts beside parsing the next
            batches = BatchExtraction(clock=self.clock)
            try:
                report = ingest_paths(self.db, paths, progress=progress, after_store=batches.after_store,
                                      planned=batches.expect)
            finally:
                batches.close(self.db)
                self.articles_stored()
            report.resumed = resumed
            return report

    def finish_extraction(self, *, progress=None) -> int:
        """Read the facts of every article stored without them (an ingest killed between
        storing articles and their facts); return how many were read."""
        from storage.extraction import count_unread

        if not count_unread(self.db):
            return 0
        # the rules are imported only when there is something to read (a start stays light)
        from ingest.extract.run import extract_unread

        report = extract_unread(self.db, progress=progress, clock=self.clock)
        log.debug("read the facts of %d articles an interrupted run had left without", report.articles)
        return report.articles

    def after_store(self, db, results, articles) -> None:
        """Hook run after each stored batch: extract the facts of new and updated articles."""
        from ingest.extract.run import after_store as extract_stored

        extract_stored(db, results, articles, clock=self.clock)

    def seeds_folder(self) -> Path | None:
        """The seeds folder to load: BRIEFBOT_SEEDS; when that is the default and is missing
        (`briefbot serve` started in another folder), the seeds beside the code; else None."""
        seeds = Path(self.settings.seeds_dir)
        if seeds.is_dir():
            return seeds
        if self.settings.sources.get("seeds_dir", "default") == "default" and SHIPPED_SEEDS.is_dir():
            return SHIPPED_SEEDS
        return None

    def articles_stored(self) -> None:
        """Hook run once stored articles have their facts: watches match what is new."""
        from watches.post import articles_stored

        articles_stored(self)

    def load_seeds_if_empty(self) -> int:
        """On first start (no articles yet), ingest the seeds folder; return how many were stored."""
        from storage.articles import count_articles

        seeds = self.seeds_folder()
        if seeds is None or count_articles(self.db):
            return 0
        report = self.ingest([seeds])
        log.info("loaded %d seed articles from %s", len(report.article_ids), seeds)
        return len(report.article_ids)

    def poster(self, platform: str) -> Poster:
        """The Poster for ``platform``; the console prints."""
        if platform not in self.posters and platform == "console":
            from bot.adapters.console.poster import ConsolePoster

            self.posters["console"] = ConsolePoster()
        return self.posters[platform]

    @property
    def scheduler(self) -> BackgroundScheduler:
        """The one APScheduler 3.x instance (created on first use, started by start_background)."""
        with self._lock:
            if self._scheduler is None:
                from bot.jobs import JobPool, make_scheduler

                self._jobs = JobPool()
                self._scheduler = make_scheduler(self._jobs)
            return self._scheduler

    def stop_background(self, timeout: float) -> list[str]:
        """Stop the scheduler (no job starts after this) and wait up to ``timeout`` seconds for
        the jobs already running; return the ids of those still running then."""
        scheduler = self._scheduler
        if scheduler is None:
            return []
        if scheduler.running:
            # Never shutdown(wait=True): it waits for the jobs while holding the scheduler's
            # locks, and a job that asks the scheduler anything then waits for it for ever.
            scheduler.shutdown(wait=False)
        return self._jobs.wait_idle(timeout)

    def running_scheduler(self) -> BackgroundScheduler | None:
        """The scheduler when it runs (the bot is serving), else None; never creates one. Jobs
        added to it run at once; without it, the next start registers what is stored."""
        scheduler = self._scheduler
        return scheduler if scheduler is not None and scheduler.running else None

    def start_background(self) -> None:
        """Register every background job (heartbeat, polling, digests) and start the scheduler."""
        for spec in BACKGROUND_JOBS:
            module, _, name = spec.partition(":")
            # imported here, not at the top: `briefbot ask` never pays for the scheduler's jobs
            register = getattr(importlib.import_module(module), name)
            register(self, self.scheduler)
        if not self.scheduler.running:
            self.scheduler.start()

    def close(self) -> None:
        """Stop the scheduler and close every database connection."""
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self.connections.close_all()
