"""The one place that opens the database: WAL, foreign keys, busy timeout, migrations.

Every write transaction (``db.atomic()``) takes the write lock when it begins (BEGIN
IMMEDIATE) and waits up to the busy timeout for it: a transaction that read first and wrote
later would fail at once with "database is locked" when another process wrote in between, a
wait cannot help there. So two processes writing one database take turns.
"""

from __future__ import annotations

import itertools
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from storage.migrations import migrations

BUSY_TIMEOUT_MS = 30_000
MIGRATIONS_TABLE = "_sqlite_migrations"

CHUNK = 500  # ids bound per statement: under SQLite's oldest limit on parameters (999)


def chunks(ids: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    """``ids`` a statement's worth at a time."""
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def rows(db, sql: str, params: Sequence = ()) -> list[dict]:
    """The rows of a query as dicts (column name → value); ``db`` is a ``Database`` or a plain
    connection."""
    cursor = db.execute(sql, list(params))
    cols = [c[0] for c in cursor.description]
    return [dict(zip(cols, row, strict=True)) for row in cursor.fetchall()]


class NotBriefbotDatabase(sqlite3.DatabaseError):
    """An SQLite file that holds another program's tables: never migrated, never written."""


_TRANSACTION_WORDS = {"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"}


class Database:
    """One connection, with what the storage modules use of sqlite-utils' ``Database`` and its
    behaviour: ``execute`` commits a write made outside a transaction (and rolls back what a
    failed one began), ``executescript`` stays inside the caller's transaction, ``atomic`` nests
    as savepoints. Kept here because importing sqlite-utils costs every `briefbot ask` about
    50 ms; sqlite-utils applies the migrations (``storage/migrations.py``).

    The outermost ``atomic()`` is BEGIN IMMEDIATE (see the module doc)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.execute("PRAGMA recursive_triggers = on")

    def execute(self, sql: str, parameters: Sequence | dict | None = None) -> sqlite3.Cursor:
        """Run one statement; a write outside a transaction is committed."""
        was_in_transaction = self.conn.in_transaction
        try:
            cursor = self.conn.execute(sql, parameters) if parameters is not None else self.conn.execute(sql)
        except Exception:
            if not was_in_transaction and self.conn.in_transaction:
                self.conn.execute("ROLLBACK")  # the implicit transaction the failed write began
            raise
        if (not was_in_transaction and self.conn.in_transaction and cursor.description is None
                and (sql.split(None, 1) or [""])[0].upper() not in _TRANSACTION_WORDS):
            self.conn.execute("COMMIT")
        return cursor

    def executescript(self, sql: str) -> sqlite3.Cursor:
        """Run several statements; inside a transaction they stay in it (no implicit commit)."""
        if not self.conn.in_transaction:
            return self.conn.executescript(sql)
        cursor = self.conn.cursor()
        statement = ""
        for line in sql.splitlines(keepends=True):
            statement += line
            if sqlite3.complete_statement(statement):
                cursor.execute(statement)
                statement = ""
        if statement.strip():
            cursor.execute(statement)
        return cursor

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """A transaction (BEGIN IMMEDIATE), or a savepoint inside the caller's."""
        if self.conn.in_transaction:
            name = f"briefbot_{next(_SAVEPOINTS)}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:  # a failure may have ended the whole transaction
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    self.conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            else:
                self.conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def table_names(self) -> list[str]:
        """The names of the tables."""
        return [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


_SAVEPOINTS = itertools.count(1)


def open_db(path: str | Path, *, migrate: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Database:
    """Open (creating if needed) the database at ``path``, configured and migrated.

    A ``Database`` is bound to the thread that opened it; use ``Connections`` to share a path
    between threads. Raises ``sqlite3.DatabaseError`` (``describe_error`` words it) when the
    file is not a usable briefbot database.
    """
    if str(path) != ":memory:":
        if Path(path).is_dir():
            raise sqlite3.OperationalError("unable to open database file: it is a folder")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    # Each connection is still used by one thread only (see Connections); check_same_thread is
    # off so that shutdown can close every thread's connection from the main thread.
    conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000, check_same_thread=False)
    try:
        db = Database(conn)
        db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        db.execute("PRAGMA foreign_keys = ON")
        if str(path) != ":memory:":
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode.lower() != "wal":
                _refuse_foreign(db)
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
        if migrate:
            migrate_db(db)
    except BaseException:
        conn.close()
        raise
    return db


def _refuse_foreign(db: Database) -> None:
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if tables and MIGRATIONS_TABLE not in tables:
        raise NotBriefbotDatabase("it is an SQLite database of another program (no briefbot tables)")


def migrate_db(db: Database) -> list[str]:
    """Apply pending migrations; return the names applied. Two processes opening a new
    database at once: the second waits for the first and then finds nothing to do."""
    pending = [m.name for m in migrations.pending(db)]
    if not pending:
        return []
    _refuse_foreign(db)
    # Foreign keys off while migrating, as SQLite's procedure for changing a table asks (a
    # table rebuilt would otherwise take every row pointing at it along), checked before the
    # commit. The pragma is a no-op inside a transaction, so it is set before the BEGIN.
    keys = db.execute("PRAGMA foreign_keys").fetchone()[0]
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        with db.atomic():  # the write lock first, then look again: the other process may be done
            pending = [m.name for m in migrations.pending(db)]
            if pending:
                migrations.apply(db)
                broken = db.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise sqlite3.IntegrityError(f"a migration left {len(broken)} broken reference(s)")
    finally:
        db.execute(f"PRAGMA foreign_keys = {int(keys)}")
    return pending


def describe_error(path: str | Path, exc: BaseException) -> str:
    """One line for the user: what is wrong with the database at ``path`` and what to do."""
    p = Path(path)
    text = str(exc)
    low = text.lower()
    if isinstance(exc, NotBriefbotDatabase):
        return f"{p} is not a briefbot database: {text}; choose another file with --db or BRIEFBOT_DB"
    if p.is_dir():
        return f"{p} is a folder; --db and BRIEFBOT_DB must name a file inside it (e.g. {p / 'briefbot.db'})"
    if "locked" in low or "busy" in low:
        return (f"the database {p} stayed busy (another briefbot process kept writing to it); "
                "nothing was lost: what was stored is kept, run the command again to finish")
    if "not a database" in low:
        return f"{p} is not an SQLite database ({text}); check --db or BRIEFBOT_DB"
    if "malformed" in low or "corrupt" in low:
        return (f"{p} is damaged ({text}); restore a backup with `briefbot restore PATH` "
                "(the damaged file is kept aside)")
    if "unable to open" in low:
        return f"cannot open {p}: {text} (does its folder exist and is it writable?)"
    if "readonly" in low or "read-only" in low:
        return f"cannot write to {p}: {text}; check the file's and its folder's permissions"
    if "disk" in low or "full" in low:
        return f"cannot write to {p}: {text}"
    return f"cannot use {p}: {text}"


def is_busy(exc: BaseException) -> bool:
    """True for SQLite's 'database is locked/busy' (the busy timeout ran out)."""
    return isinstance(exc, sqlite3.OperationalError) and any(
        w in str(exc).lower() for w in ("database is locked", "database is busy", "database table is locked"))


class Connections:
    """One ``Database`` per thread for one path (sqlite connections are bound to their thread)."""

    def __init__(self, path: str | Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS):
        self.path = str(path)
        self.busy_timeout_ms = busy_timeout_ms
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
                db = open_db(self.path, migrate=not self._migrated, busy_timeout_ms=self.busy_timeout_ms)
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


_PROBLEMS = ("database is locked", "database is busy", "database table is locked", "unable to open",
             "not a database", "malformed", "readonly", "read-only", "disk i/o", "database or disk is full")


def is_database_problem(exc: BaseException) -> bool:
    """True when ``exc`` is about the database file (not one, damaged, unreachable, busy),
    not about a statement: the user can act on it, a traceback would not help."""
    if isinstance(exc, NotBriefbotDatabase):
        return True
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    return any(p in str(exc).lower() for p in _PROBLEMS)
