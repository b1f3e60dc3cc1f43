"""Backup, restore, verification and export of the database.

Backups use SQLite's online backup API: in WAL mode the copy is one read transaction, so it is a
consistent snapshot while the bot keeps writing, and it does not block the writer.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from storage.db import BUSY_TIMEOUT_MS, open_db
from storage.health import migration_names

MIGRATIONS_TABLE = "_sqlite_migrations"
MIGRATION_SET = "briefbot"


class BackupError(Exception):
    """A backup, restore or export that cannot be done; the message says why and what to do."""


@dataclass
class BackupResult:
    """Where a backup (or restore) went and what it holds."""

    path: str
    articles: int
    bytes: int
    kept: str | None = None  # restore: where the replaced database was moved


def _connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    mode = "ro" if readonly else "rw"
    return sqlite3.connect(f"file:{path}?mode={mode}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)


def _sidecars(path: Path) -> list[Path]:
    return [Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")]


def verify_database(path: str | Path) -> list[str]:
    """Problems that make ``path`` unusable as a briefbot database (empty list: fine).

    Checks the SQLite integrity, that it is a briefbot database this version understands, and
    that the full-text index matches the articles exactly (no article half-stored).
    """
    p = Path(path)
    if not p.is_file():
        return [f"{p} does not exist or is not a file"]
    try:
        with closing(_connect(p)) as conn:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            if rows != ["ok"]:
                return [f"integrity check failed: {'; '.join(rows[:5])}"]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if MIGRATIONS_TABLE not in tables or "articles" not in tables:
                return [f"{p} is not a briefbot database (no briefbot migrations or articles table)"]
            applied = [r[0] for r in conn.execute(
                f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ?", [MIGRATION_SET])]
            if not applied:
                return [f"{p} is not a briefbot database (no briefbot migrations applied)"]
            unknown = sorted(set(applied) - set(migration_names()))
            if unknown:
                return [f"{p} was written by a newer briefbot (unknown migrations: "
                        f"{', '.join(unknown)}); upgrade briefbot first"]
            return fts_problems(conn)
    except sqlite3.DatabaseError as exc:
        return [f"{p} is not a usable SQLite database: {exc}"]


def fts_problems(conn: sqlite3.Connection) -> list[str]:
    """Differences between the articles table and its full-text index."""
    problems = []
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    indexed = conn.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()[0]
    if articles != indexed:
        problems.append(f"{articles} articles but {indexed} in the full-text index")
    try:
        # rank=1 compares the index with the content table, not only with itself.
        conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)")
    except sqlite3.DatabaseError as exc:
        problems.append(f"full-text index does not match the articles: {exc}")
    finally:
        if conn.in_transaction:
            conn.rollback()
    return problems


def _count_articles(path: Path) -> int:
    with closing(_connect(path, readonly=True)) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def _copy(src: sqlite3.Connection, dest_path: Path) -> None:
    """Copy ``src`` into a new single-file database at ``dest_path`` (rollback journal, so the
    file needs no -wal beside it)."""
    with closing(sqlite3.connect(str(dest_path))) as dest:
        # pages=-1: one step, one read transaction; stepping would restart on every write.
        src.backup(dest, pages=-1)
        dest.execute("PRAGMA journal_mode = DELETE")


def default_backup_name(clock=None) -> str:
    """``briefbot-YYYYmmdd-HHMMSS.db`` for a backup into a folder."""
    now = clock() if clock else datetime.now(UTC)
    return f"briefbot-{now.strftime('%Y%m%d-%H%M%S')}.db"


def _place_unused(src: Path, wanted: Path) -> Path:
    """Move ``src`` to ``wanted``, or to ``wanted-2``, ``-3``… when that name is taken: a kept
    copy is never overwritten (two restores or backups in the same second). Returns the path."""
    for n in range(1, 1000):
        if n == 1:
            dest = wanted
        elif wanted.suffix == ".db":
            dest = wanted.with_name(f"{wanted.stem}-{n}.db")
        else:
            dest = wanted.with_name(f"{wanted.name}-{n}")
        try:
            os.link(src, dest)  # fails if dest exists: taking the name cannot race
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links
            if dest.exists():
                continue
            os.replace(src, dest)
            return dest
        src.unlink()
        return dest
    raise BackupError(f"too many files named {wanted.name}-N; move some away")


def backup_db(db_path: str | Path, dest: str | Path, *, clock=None) -> BackupResult:
    """Write a consistent copy of the database at ``db_path`` to ``dest`` (a file, or a folder
    to put a dated file in, never over an earlier one). Safe while the bot is running; the copy
    is verified."""
    src_path, dest_path = Path(db_path), Path(dest)
    if not src_path.is_file():
        raise BackupError(f"no database at {src_path} (set BRIEFBOT_DB or --db)")
    chosen = dest_path.is_dir()
    if chosen:
        dest_path = dest_path / default_backup_name(clock)
    if dest_path.exists() and dest_path.resolve() == src_path.resolve():
        raise BackupError("the backup path is the live database itself; choose another file")
    if not dest_path.parent.is_dir():
        raise BackupError(f"the folder {dest_path.parent} does not exist")
    tmp = dest_path.with_name(dest_path.name + ".partial")
    tmp.unlink(missing_ok=True)
    try:
        with closing(_connect(src_path)) as src:
            _copy(src, tmp)
        problems = verify_database(tmp)
        if problems:
            raise BackupError("the copy failed verification: " + "; ".join(problems))
        if chosen:  # a dated name we picked: never replace an earlier backup of the same second
            dest_path = _place_unused(tmp, dest_path)
        else:
            os.replace(tmp, dest_path)
    except sqlite3.Error as exc:
        raise BackupError(f"backup failed: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return BackupResult(str(dest_path), _count_articles(dest_path), dest_path.stat().st_size)


def restore_db(backup: str | Path, db_path: str | Path, *, clock=None) -> BackupResult:
    """Replace the database at ``db_path`` with the verified backup ``backup``; the replaced
    database is kept beside it as ``<name>.before-restore-<time>``. The bot must be stopped."""
    backup_path, live = Path(backup), Path(db_path)
    problems = verify_database(backup_path)
    if problems:
        raise BackupError(f"not restoring {backup_path}: " + "; ".join(problems))
    if live.is_dir():
        raise BackupError(f"{live} is a folder; BRIEFBOT_DB must name a file")
    live.parent.mkdir(parents=True, exist_ok=True)
    tmp = live.with_name(live.name + ".restoring")
    tmp.unlink(missing_ok=True)
    kept = None
    try:
        with closing(_connect(backup_path, readonly=True)) as src:
            _copy(src, tmp)
        if live.exists():
            # Fold the old database's WAL into its file so the copy kept aside is complete.
            # A damaged or foreign file cannot be: it is kept aside as it is, WAL beside it.
            try:
                with closing(_connect(live)) as old:
                    old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                folded = True
            except sqlite3.DatabaseError:
                folded = False
            stamp = (clock() if clock else datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
            aside = _place_unused(live, live.with_name(f"{live.name}.before-restore-{stamp}"))
            if not folded:
                for suffix in ("-wal", "-shm"):
                    side = Path(f"{live}{suffix}")
                    if side.exists():
                        os.replace(side, Path(f"{aside}{suffix}"))
            kept = str(aside)
        for side in _sidecars(live):
            side.unlink(missing_ok=True)
        os.replace(tmp, live)
    except sqlite3.Error as exc:
        raise BackupError(f"restore failed: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    # Back to WAL and migrated up to this version, as `serve` would at start.
    open_db(live).close()
    return BackupResult(str(live), _count_articles(live), live.stat().st_size, kept=kept)


def _table_rows(conn: sqlite3.Connection, sql: str, params=()) -> Iterator[dict]:
    cursor = conn.execute(sql, params)
    cols = [c[0] for c in cursor.description]
    for row in cursor:
        yield dict(zip(cols, row, strict=True))


def _has_rows(conn: sqlite3.Connection, table: str) -> bool:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", [table]).fetchone()
    return bool(exists) and conn.execute(f"SELECT 1 FROM [{table}] LIMIT 1").fetchone() is not None


def iter_export(db_path: str | Path) -> Iterator[dict]:
    """Every article, then (when there are any) entities with their aliases and facts with their
    parties, as one dict per record with a ``type`` key. Reads one consistent snapshot."""
    path = Path(db_path)
    if not path.is_file():
        raise BackupError(f"no database at {path} (set BRIEFBOT_DB or --db)")
    with closing(_connect(path, readonly=True)) as conn:
        conn.execute("BEGIN")  # one snapshot for the whole export
        for row in _table_rows(conn, "SELECT * FROM articles ORDER BY id"):
            if row.get("warnings"):
                row["warnings"] = json.loads(row["warnings"])
            yield {"type": "article", **row}
        if _has_rows(conn, "entities"):
            aliases: dict[int, list[str]] = {}
            for a in _table_rows(conn, "SELECT entity_id, alias FROM aliases ORDER BY id"):
                aliases.setdefault(a["entity_id"], []).append(a["alias"])
            for row in _table_rows(conn, "SELECT * FROM entities ORDER BY id"):
                yield {"type": "entity", **row, "aliases": aliases.get(row["id"], [])}
        if _has_rows(conn, "facts"):
            parties: dict[int, list[dict]] = {}
            for p in _table_rows(
                conn,
                "SELECT fp.fact_id, fp.as_written, fp.role, fp.position, e.id AS entity_id, "
                "e.name AS entity FROM fact_parties fp JOIN entities e ON e.id = fp.entity_id "
                "ORDER BY fp.fact_id, fp.position",
            ):
                parties.setdefault(p.pop("fact_id"), []).append(p)
            for row in _table_rows(conn, "SELECT * FROM facts ORDER BY id"):
                if row.get("data"):
                    row["data"] = json.loads(row["data"])
                yield {"type": "fact", **row, "parties": parties.get(row["id"], [])}
        conn.rollback()


def export_jsonl(db_path: str | Path, out: TextIO) -> dict[str, int]:
    """Write ``iter_export`` as JSON Lines to ``out``; return how many records of each type."""
    counts: dict[str, int] = {}
    for record in iter_export(db_path):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        counts[record["type"]] = counts.get(record["type"], 0) + 1
    return counts
