"""Database checks for `doctor`, `serve` and the heartbeat: usable, writable, migrated, activity."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from storage.db import BUSY_TIMEOUT_MS, Database
from storage.migrations import migrations

# Where activity is recorded: a source's last poll (m004_sources_polling) and a digest's
# confirmed post (m005_digests). A database not yet migrated lacks them, so each is looked for
# before it is read.
LAST_POLL = ("sources", "last_poll_at")
LAST_DIGEST = ("digest_posts", "sent_at")


@dataclass
class DatabaseStatus:
    """What `probe_database` found: usable or not (and why), migrations, article count."""

    path: str
    exists: bool = False
    error: str | None = None
    applied: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # applied here, unknown to this version
    articles: int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def migration_names() -> list[str]:
    """Every migration this version knows, in order."""
    return migrations.names()


SQLITE_HEADER = b"SQLite format 3\x00"


def header_problem(path: Path) -> str | None:
    """What is wrong with the first page's header of an SQLite file (None: it looks sound). A
    constant-time check, for every start; the whole file is checked by ``integrity_problem``."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror or exc}"
    if len(head) == 0:
        return None  # an empty file is a new database to SQLite
    if len(head) < 100 or not head.startswith(SQLITE_HEADER):
        return f"{path} is not an SQLite database (its header is not SQLite's)"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return f"{path} is damaged: its header gives a page size of {page_size}"
    # the size in the header counts only when its "valid for" number matches the change counter;
    # with a write-ahead log, pages may live there until the next checkpoint
    pages = int.from_bytes(head[28:32], "big") if head[92:96] == head[24:28] else 0
    size = path.stat().st_size
    if pages and pages * page_size > size and not Path(f"{path}-wal").exists():
        return f"{path} is damaged: it is cut short ({size:,} bytes, its header says {pages * page_size:,})"
    return None


def integrity_problem(path: str | os.PathLike) -> str | None:
    """SQLite's check of the whole file (``PRAGMA quick_check``), read-only: what is wrong, or
    None. It reads every page: `doctor` and a daily job run it, not every start."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        return f"cannot open {path}: {exc}"
    try:
        found = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.Error as exc:
        return f"{path} is damaged: {exc}"
    finally:
        conn.close()
    return None if found == ["ok"] else f"{path} is damaged: " + "; ".join(found[:3])


def probe_database(path: str | os.PathLike, *, deep: bool = True) -> DatabaseStatus:
    """Check, without creating or migrating anything, that the database at ``path`` can be
    opened and written (or, if missing, created) and which migrations it still needs.

    ``deep`` (`doctor`) reads the whole file (``PRAGMA quick_check``) and counts the articles;
    otherwise (`serve` starting) the check takes the same time at any size: the header, the
    schema, a write lock."""
    p = Path(path)
    status = DatabaseStatus(path=str(p))
    if p.is_dir():
        status.error = f"{p} is a folder; BRIEFBOT_DB must name a file inside it (e.g. {p / 'briefbot.db'})"
        return status
    if not p.exists():
        parent = p.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not parent.is_dir():
            status.error = f"cannot create {p}: {parent} is a file, not a folder"
        elif not os.access(parent, os.W_OK | os.X_OK):
            status.error = f"cannot create {p}: the folder {parent} is not writable"
        else:
            status.pending = migration_names()
        return status
    status.exists = True
    try:
        conn = sqlite3.connect(f"file:{p}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        status.error = f"cannot open {p}: {exc}"
        return status
    if not deep:
        problem = header_problem(p)
        if problem:
            status.error = problem
            conn.close()
            return status
    try:
        if deep:
            found = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
            if found != "ok":
                status.error = f"{p} is damaged: {found}; restore a backup with `briefbot restore PATH`"
                return status
        conn.execute("PRAGMA schema_version").fetchone()  # reads the schema: a garbled file fails here
        # A write lock proves the file (and, in WAL mode, its folder) is writable without
        # changing anything.
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        db = Database(conn)
        status.applied = [m.name for m in migrations.applied(db)]
        known = set(migration_names())
        status.pending = [m.name for m in migrations.pending(db)]
        status.unknown = [name for name in status.applied if name not in known]
        if "articles" in db.table_names():
            if deep:
                status.articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        elif status.applied:
            status.error = f"{p} has briefbot migrations but no articles table"
        elif db.table_names():
            status.error = f"{p} is an SQLite database, but not a briefbot one"
    except sqlite3.Error as exc:
        status.error = f"{p} is not usable: {exc}"
    finally:
        conn.close()
    return status


def _columns(db: Database, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info([{table}])").fetchall()}


def last_activity(db: Database) -> dict[str, str | None]:
    """When the bot last ingested, polled a source and posted a digest (ISO UTC; None: never or
    unknown). A digest counts once the platform confirmed it; an empty period posts nothing."""
    out: dict[str, str | None] = {"last_ingest": None, "last_poll": None, "last_digest": None}
    tables = set(db.table_names())
    if "ingest_log" in tables:  # append-only: the last row is the latest (no scan of the log)
        row = db.execute("SELECT at FROM ingest_log ORDER BY id DESC LIMIT 1").fetchone()
        out["last_ingest"] = row[0] if row else None
    table, column = LAST_POLL
    if table in tables and column in _columns(db, table):
        out["last_poll"] = db.execute(f"SELECT max([{column}]) FROM [{table}]").fetchone()[0]
    table, column = LAST_DIGEST
    if table in tables and column in _columns(db, table):
        # the newest sent post (newest rows first: no scan of the whole ledger)
        row = db.execute(f"SELECT [{column}] FROM [{table}] WHERE status = 'sent' ORDER BY id DESC LIMIT 1").fetchone()
        out["last_digest"] = row[0] if row else None
    return out


def database_summary(db: Database) -> dict:
    """A cheap liveness check of an open database: it answers, and how many articles it holds."""
    return {"ok": True, "articles": db.execute("SELECT count(*) FROM articles").fetchone()[0]}
