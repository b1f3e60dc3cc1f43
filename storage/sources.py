"""Sources the poller follows: add, list, pause, resume, remove, and the record of each poll."""

from __future__ import annotations

from storage.clock import Clock, iso, utcnow
from storage.db import Database, rows
from storage.urls import normalize_url

POLL_HISTORY = 50  # polls kept per source
_UPDATABLE = {
    "status", "paused_reason", "etag", "last_modified", "last_poll_at", "last_success_at",
    "last_error", "last_error_at", "failures", "next_poll_at", "cursor", "baseline_done",
    "name", "interval_s", "topics",
}



def add_source(
    db: Database,
    *,
    kind: str,
    url: str,
    name: str | None = None,
    topics: str | None = None,
    interval_s: int = 3600,
    created_by: str | None = None,
    cursor: str | None = None,
    clock: Clock = utcnow,
) -> int:
    """Store a new source, due for its first poll now; return its id."""
    now = iso(clock())
    with db.atomic():
        row = db.execute(
            "INSERT INTO sources(kind, url, name, topics, created_at, created_by, interval_s, "
            "next_poll_at, cursor) VALUES (?,?,?,?,?,?,?,?,?)",
            [kind, url, name, topics or None, now, created_by, int(interval_s), now, cursor],
        )
    return row.lastrowid


def get_source(db: Database, source_id: int) -> dict | None:
    """One source row, or None."""
    records = rows(db, "SELECT * FROM sources WHERE id = ?", [source_id])
    return records[0] if records else None


def find_source_by_url(db: Database, *urls: str | None) -> dict | None:
    """The source whose URL is any of ``urls`` once normalised (tracking parameters, www, …)."""
    wanted = {normalize_url(u) or u for u in urls if u}
    for row in rows(db, "SELECT * FROM sources WHERE kind != 'file'"):
        if (normalize_url(row["url"]) or row["url"]) in wanted:
            return row
    return None


def list_sources(db: Database) -> list[dict]:
    """Every polled source with its article count, oldest first."""
    return rows(
        db,
        # article_count is kept by triggers (m020); the poll history is a few rows per source
        "SELECT s.*, (SELECT count(*) FROM source_polls p WHERE p.source_id = s.id) AS poll_count "
        "FROM sources s WHERE s.kind != 'file' ORDER BY s.id",
    )


def recent_polls(db: Database, source_id: int, limit: int = 3) -> list[dict]:
    """The latest polls of a source, newest first."""
    return rows(db, "SELECT * FROM source_polls WHERE source_id = ? ORDER BY id DESC LIMIT ?", [source_id, limit])


def count_source_articles(db: Database, source_id: int) -> int:
    """How many stored articles came from this source."""
    return db.execute("SELECT count(*) FROM articles WHERE source_id = ?", [source_id]).fetchone()[0]


def remove_source(db: Database, source_id: int) -> bool:
    """Delete a source (its articles stay, detached); False if there was none."""
    with db.atomic():
        cursor = db.execute("DELETE FROM sources WHERE id = ?", [source_id])
    return cursor.rowcount > 0


def update_source(db: Database, source_id: int, **values) -> None:
    """Set polling columns of one source."""
    bad = set(values) - _UPDATABLE
    if bad:
        raise ValueError(f"not a source column: {', '.join(sorted(bad))}")
    if not values:
        return
    sets = ", ".join(f"{k} = ?" for k in values)
    with db.atomic():
        db.execute(f"UPDATE sources SET {sets} WHERE id = ?", [*values.values(), source_id])


def pause_source(db: Database, source_id: int, reason: str) -> None:
    """Stop polling a source, saying why."""
    update_source(db, source_id, status="paused", paused_reason=reason)


def resume_source(db: Database, source_id: int, *, clock: Clock = utcnow) -> None:
    """Poll a paused source again, now, with its failure count reset."""
    update_source(db, source_id, status="active", paused_reason=None, failures=0, next_poll_at=iso(clock()))


def due_sources(db: Database, now: str, *, include_all: bool = False) -> list[dict]:
    """Active sources whose next poll is at or before ``now`` (every active one with ``include_all``)."""
    sql = "SELECT * FROM sources WHERE status = 'active' AND kind != 'file'"
    params: list = []
    if not include_all:
        sql += " AND (next_poll_at IS NULL OR next_poll_at <= ?)"
        params.append(now)
    return rows(db, sql + " ORDER BY next_poll_at, id", params)


def next_due_at(db: Database) -> str | None:
    """When the earliest active source is due."""
    row = db.execute("SELECT min(next_poll_at) FROM sources WHERE status = 'active' AND kind != 'file'").fetchone()
    return row[0] if row else None


def record_poll(
    db: Database,
    source_id: int,
    *,
    at: str,
    outcome: str,
    http_status: int | None = None,
    new: int = 0,
    updated: int = 0,
    duplicate: int = 0,
    body_bytes: int = 0,
    elapsed_ms: int | None = None,
    message: str | None = None,
    **source_values,
) -> None:
    """Log one poll and update the source's polling state, in one transaction."""
    bad = set(source_values) - _UPDATABLE
    if bad:
        raise ValueError(f"not a source column: {', '.join(sorted(bad))}")
    with db.atomic():
        if source_values:
            sets = ", ".join(f"{k} = ?" for k in source_values)
            db.execute(f"UPDATE sources SET {sets} WHERE id = ?", [*source_values.values(), source_id])
        db.execute(
            "INSERT INTO source_polls(source_id, at, outcome, http_status, new, updated, duplicate, "
            "body_bytes, elapsed_ms, message) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [source_id, at, outcome, http_status, new, updated, duplicate, body_bytes, elapsed_ms, message],
        )
        db.execute(
            "DELETE FROM source_polls WHERE source_id = ? AND id <= "
            "(SELECT id FROM source_polls WHERE source_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
            [source_id, source_id, POLL_HISTORY],
        )


def failing_sources(db: Database) -> list[dict]:
    """Sources that are paused or whose last poll failed, paused first, then most failures."""
    return rows(
        db,
        "SELECT * FROM sources WHERE kind != 'file' AND (status = 'paused' OR failures > 0 OR "
        "(last_error_at IS NOT NULL AND (last_success_at IS NULL OR last_error_at > last_success_at))) "
        "ORDER BY status = 'paused' DESC, failures DESC, id",
    )
