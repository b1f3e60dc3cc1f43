"""Wiring: Settings → services (database connections, clock) shared by every adapter."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.config import Settings
from bot.core.context import Context
from bot.core.dispatch import run_line
from bot.core.reply import Reply
from storage.clock import Clock, utcnow
from storage.db import Connections

log = logging.getLogger("briefbot")


class Services:
    """The running bot's shared state. Thread-safe: each thread gets its own connection."""

    def __init__(self, settings: Settings, *, clock: Clock = utcnow):
        self.settings = settings
        self.clock = clock
        self.connections = Connections(settings.db_path)

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
        return run_line(line, self.context(), **fields)

    def ingest(self, paths, *, progress=None):
        """Ingest local files and folders; see ``ingest.pipeline.ingest_paths``."""
        from ingest.pipeline import ingest_paths

        return ingest_paths(self.db, paths, progress=progress, after_store=self.after_store)

    def after_store(self, db, results, articles) -> None:
        """Hook run after each stored batch (extraction runs here)."""

    def load_seeds_if_empty(self) -> int:
        """On first start (no articles yet), ingest the seeds folder; return how many were stored."""
        from storage.articles import count_articles

        seeds = Path(self.settings.seeds_dir)
        if count_articles(self.db) or not seeds.is_dir():
            return 0
        report = self.ingest([seeds])
        log.info("loaded %d seed articles from %s", len(report.article_ids), seeds)
        return len(report.article_ids)

    def close(self) -> None:
        """Close every database connection."""
        self.connections.close_all()
