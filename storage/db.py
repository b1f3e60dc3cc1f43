"""The one place that opens the database: WAL, foreign keys, busy timeout, migrations."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from sqlite_utils import Database

from storage.migrations import migrations

BUSY_TIMEOUT_MS = 5000


def open_db(path: str | Path, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the database at ``path``, configured and migrated.

    A ``Database`` is bound to the thread that opened it; use ``Connections`` to share a path
    between threads.
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    # Each connection is still used by one thread only (see Connections); check_same_thread is
    # off so that shutdown can close every thread's connection from the main thread.
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    db = Database(conn, execute_plugins=False)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode.lower() != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
    if migrate:
        migrate_db(db)
    return db


def migrate_db(db: Database) -> list[str]:
    """Apply pending migrations; return the names applied."""
    pending = [m.name for m in migrations.pending(db)]
    if pending:
        migrations.apply(db)
    return pending


class Connections:
    """One ``Database`` per thread for one path (sqlite connections are bound to their thread)."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[tuple[threading.Thread, Database]] = []
        self._migrated = False

    def get(self) -> Database:
        """The calling thread's database, opened on first use."""
        db = getattr(self._local, "db", None)
        if db is None:
            with self._lock:
                self._close_finished()
                db = open_db(self.path, migrate=not self._migrated)
                self._migrated = True
                self._all.append((threading.current_thread(), db))
            self._local.db = db
        return db

    def _close_finished(self) -> None:
        # Short-lived threads (one per HTTP request) would otherwise leave a connection each.
        alive = []
        for thread, db in self._all:
            if thread.is_alive():
                alive.append((thread, db))
            else:
                try:
                    db.close()
                except sqlite3.Error:
                    pass
        self._all = alive

    def close_all(self) -> None:
        """Close every connection this object opened whose thread is this one or has ended (at
        shutdown). A connection of a thread still running is left to it: closing it under a
        running query is unsafe."""
        me = threading.current_thread()
        with self._lock:
            keep = []
            for thread, db in self._all:
                if thread is not me and thread.is_alive():
                    keep.append((thread, db))
                    continue
                try:
                    db.close()
                except sqlite3.Error:
                    pass
            self._all = keep
        self._local = threading.local()
