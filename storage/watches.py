"""Watches and their alert posts: the watches of each channel, the channel's cursor over new
articles, and the post ledger (intent recorded before the platform is called; see watches/post.py).
All watch and alert SQL lives here."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.clock import Clock, iso, utcnow
from storage.db import Database, rows
from storage.digests import CursorMoved, immediate

MAX_PER_CHANNEL = 100


class WatchLimit(RuntimeError):
    """The channel already has ``MAX_PER_CHANNEL`` watches."""



def _watch(row: dict) -> dict:
    row["filter"] = json.loads(row["filter"])
    row["mentions"] = json.loads(row["mentions"] or "[]")
    row["quiet"] = json.loads(row["quiet"]) if row["quiet"] else None
    return row


def max_article_id(db: Database) -> int:
    """The newest stored article's id (0 when there is none)."""
    return db.execute("SELECT COALESCE(max(id), 0) FROM articles").fetchone()[0]


# --- watches ---------------------------------------------------------------------------------

def add_watch(db: Database, *, platform: str, channel_id: str, filter_text: str, tree: dict,
              mentions: list[dict], quiet: dict | None, created_by: str, clock: Clock = utcnow,
              limit: int = MAX_PER_CHANNEL) -> int:
    """Store a watch that starts from now (articles stored later); WatchLimit when the channel
    has ``limit`` watches already. The channel's cursor starts here too if it has none."""
    now = iso(clock())
    with immediate(db):
        count = db.execute(
            "SELECT count(*) FROM watches WHERE platform = ? AND channel_id = ? AND status != 'removed'",
            [platform, channel_id],
        ).fetchone()[0]
        if count >= limit:
            raise WatchLimit(f"this channel has {count} watches, the limit is {limit}")
        top = max_article_id(db)
        watch_id = db.execute(
            "INSERT INTO watches(platform, channel_id, filter_text, filter, mentions, quiet, status, "
            "after_article_id, created_at, created_by, updated_at) VALUES (?,?,?,?,?,?,'active',?,?,?,?)",
            [platform, channel_id, filter_text, json.dumps(tree, ensure_ascii=False),
             json.dumps(mentions, ensure_ascii=False), json.dumps(quiet) if quiet else None, top, now,
             created_by, now],
        ).lastrowid
        db.execute(
            "INSERT OR IGNORE INTO alert_cursors(platform, channel_id, article_id, updated_at) VALUES (?,?,?,?)",
            [platform, channel_id, top, now],
        )
    return watch_id


def get_watch(db: Database, watch_id: int) -> dict | None:
    """One watch (any status)."""
    records = rows(db, "SELECT * FROM watches WHERE id = ?", [watch_id])
    return _watch(records[0]) if records else None


def list_watches(db: Database, *, platform: str | None = None, channel_id: str | None = None,
                 statuses: Sequence[str] = ("active", "paused")) -> list[dict]:
    """Watches, oldest first, of one channel or all, with the given statuses."""
    where = [f"status IN ({','.join('?' * len(statuses))})"]
    params: list = list(statuses)
    if platform is not None:
        where.append("platform = ?")
        params.append(platform)
    if channel_id is not None:
        where.append("channel_id = ?")
        params.append(channel_id)
    return [_watch(r) for r in rows(db, "SELECT * FROM watches WHERE " + " AND ".join(where) + " ORDER BY id", params)]


def set_watch_status(db: Database, watch_id: int, status: str, *, clock: Clock = utcnow) -> None:
    """Pause, resume or remove a watch. Resuming starts it from now: what was stored while it
    was paused is not posted."""
    now = iso(clock())
    with immediate(db):
        if status == "active":
            db.execute("UPDATE watches SET status = 'active', after_article_id = ?, updated_at = ? WHERE id = ?",
                       [max_article_id(db), now, watch_id])
        else:
            db.execute("UPDATE watches SET status = ?, updated_at = ? WHERE id = ?", [status, now, watch_id])


def watched_channels(db: Database) -> list[tuple[str, str]]:
    """Every (platform, channel) with an active watch or a post still to send."""
    return [tuple(r) for r in db.execute(
        "SELECT platform, channel_id FROM watches WHERE status = 'active' "
        "UNION SELECT platform, channel_id FROM alert_posts WHERE status = 'pending' ORDER BY 1, 2"
    ).fetchall()]


def last_posts_of_watches(db: Database, watch_ids: Sequence[int]) -> dict[int, str]:
    """Watch id → when a post naming it was last sent."""
    out: dict[int, str] = {}
    for watches, sent_at in db.execute(
        "SELECT watches, sent_at FROM alert_posts WHERE status = 'sent' AND kind = 'article' ORDER BY id DESC LIMIT 2000"
    ).fetchall():
        for w in json.loads(watches or "[]"):
            if w in watch_ids and w not in out:
                out[w] = sent_at
    return out


# --- the channel's cursor and what is new -----------------------------------------------------

def get_cursor(db: Database, platform: str, channel_id: str) -> int | None:
    """The last article id the channel's watches were matched against, or None."""
    row = db.execute("SELECT article_id FROM alert_cursors WHERE platform = ? AND channel_id = ?",
                     [platform, channel_id]).fetchone()
    return row[0] if row else None


ARTICLE_COLUMNS = ("a.id, a.title, a.url, a.path, a.published, a.fetched, a.body, a.lang, a.source_id, "
                   "a.canonical_url, s.name AS source_name, s.url AS source_url")


def new_articles(db: Database, after_id: int, until_id: int) -> list[dict]:
    """Articles stored in ``(after_id, until_id]`` that are news (not a source's baseline)."""
    return rows(
        db,
        f"SELECT {ARTICLE_COLUMNS} FROM articles a LEFT JOIN sources s ON s.id = a.source_id "
        "WHERE a.id > ? AND a.id <= ? AND a.baseline = 0 ORDER BY a.id",
        [after_id, until_id],
    )


def latest_articles(db: Database, limit: int = 50) -> list[dict]:
    """The ``limit`` most recently stored articles (baselines too), newest first."""
    return rows(db, f"SELECT {ARTICLE_COLUMNS} FROM articles a LEFT JOIN sources s ON s.id = a.source_id "
                     "ORDER BY a.id DESC LIMIT ?", [limit])


def articles_by_id(db: Database, ids: Sequence[int]) -> list[dict]:
    """Article records (as ``new_articles`` gives them) for ``ids``, oldest first."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return rows(db, f"SELECT {ARTICLE_COLUMNS} FROM articles a LEFT JOIN sources s ON s.id = a.source_id "
                     f"WHERE a.id IN ({marks}) ORDER BY a.id", list(ids))


def sources_brief(db: Database) -> list[dict]:
    """Every source's id, name and URL (what ``source:`` matches)."""
    return rows(db, "SELECT id, name, url FROM sources")


# --- the ledger ------------------------------------------------------------------------------

@dataclass
class AlertPost:
    """One row of the alert ledger."""

    id: int
    key: str
    platform: str
    channel_id: str
    kind: str
    article_id: int | None
    thread_of: str | None
    watches: list
    mentions: list
    matched: str | None
    title: str | None
    url: str | None
    identity: str | None
    reply: dict | None
    status: str
    not_before: str | None
    rollup_key: str | None
    message_id: str | None
    attempts: int
    last_error: str | None
    created_at: str
    sent_at: str | None

    @classmethod
    def from_row(cls, row: dict) -> AlertPost:
        row = dict(row)
        row["watches"] = json.loads(row["watches"] or "[]")
        row["mentions"] = json.loads(row["mentions"] or "[]")
        row["reply"] = json.loads(row["reply"]) if row["reply"] else None
        return cls(**row)


def get_post(db: Database, key: str) -> AlertPost | None:
    """The ledger row for a key."""
    records = rows(db, "SELECT * FROM alert_posts WHERE key = ?", [key])
    return AlertPost.from_row(records[0]) if records else None


def channel_posts(db: Database, platform: str, channel_id: str, *, statuses: Sequence[str] = ("pending",),
                  limit: int | None = None) -> list[AlertPost]:
    """The channel's posts with ``statuses``, oldest first."""
    sql = (f"SELECT * FROM alert_posts WHERE platform = ? AND channel_id = ? AND status IN ({','.join('?' * len(statuses))}) "
           "ORDER BY id")
    params: list = [platform, channel_id, *statuses]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [AlertPost.from_row(r) for r in rows(db, sql, params)]


def story_posts(db: Database, platform: str, channel_id: str, since: str, limit: int = 200) -> list[AlertPost]:
    """The channel's recent article posts (sent or about to be), newest last: the stories a new
    article may continue."""
    records = rows(
        db,
        "SELECT * FROM (SELECT * FROM alert_posts WHERE platform = ? AND channel_id = ? AND kind = 'article' "
        "AND status IN ('pending', 'sent') AND created_at >= ? ORDER BY id DESC LIMIT ?) ORDER BY id",
        [platform, channel_id, since, limit],
    )
    return [AlertPost.from_row(r) for r in records]


def posted_identities(db: Database, platform: str, channel_id: str, identities: Sequence[str]) -> set[str]:
    """Which of ``identities`` the channel already has a post for (a re-published item)."""
    if not identities:
        return set()
    marks = ",".join("?" * len(identities))
    return {r[0] for r in db.execute(
        f"SELECT identity FROM alert_posts WHERE platform = ? AND channel_id = ? AND identity IN ({marks})",
        [platform, channel_id, *identities],
    ).fetchall()}


_POST_COLUMNS = ("key", "platform", "channel_id", "kind", "article_id", "thread_of", "watches", "mentions",
                 "matched", "title", "url", "identity", "reply", "status", "not_before", "rollup_key", "created_at")


def _insert(db: Database, post: dict, now: str) -> None:
    values = {**post, "created_at": now}
    for name in ("watches", "mentions"):
        values[name] = json.dumps(values.get(name) or [], ensure_ascii=False)
    values["reply"] = json.dumps(values["reply"], ensure_ascii=False) if values.get("reply") is not None else None
    db.execute(
        f"INSERT INTO alert_posts({', '.join(_POST_COLUMNS)}) VALUES ({','.join('?' * len(_POST_COLUMNS))})",
        [values.get(c) for c in _POST_COLUMNS],
    )


def record_plan(db: Database, *, platform: str, channel_id: str, from_article_id: int, to_article_id: int,
                posts: list[dict], clock: Clock = utcnow) -> int:
    """Record the intents to post ``posts`` and move the channel's cursor to ``to_article_id``,
    in one transaction. CursorMoved when the cursor is no longer ``from_article_id`` (another
    run matched these articles first): the caller plans again. A post whose key is recorded
    already is left as it is. Returns how many were recorded."""
    now = iso(clock())
    recorded = 0
    with immediate(db):
        row = db.execute("SELECT article_id FROM alert_cursors WHERE platform = ? AND channel_id = ?",
                         [platform, channel_id]).fetchone()
        if row is not None and row[0] != from_article_id:
            raise CursorMoved(f"{platform}:{channel_id}")
        for post in posts:
            if db.execute("SELECT 1 FROM alert_posts WHERE key = ?", [post["key"]]).fetchone():
                continue
            _insert(db, {**post, "platform": platform, "channel_id": channel_id}, now)
            recorded += 1
        db.execute(
            "INSERT INTO alert_cursors(platform, channel_id, article_id, updated_at) VALUES (?,?,?,?) "
            "ON CONFLICT(platform, channel_id) DO UPDATE SET article_id = max(article_id, excluded.article_id), "
            "updated_at = excluded.updated_at",
            [platform, channel_id, to_article_id, now],
        )
    return recorded


def record_rollup(db: Database, *, post: dict, rolled: Sequence[str], clock: Clock = utcnow) -> AlertPost:
    """Record a roll-up post and mark the posts it carries as rolled, in one transaction (the
    roll-up's intent, before the platform is called). Returns the roll-up's row."""
    now = iso(clock())
    with immediate(db):
        if not db.execute("SELECT 1 FROM alert_posts WHERE key = ?", [post["key"]]).fetchone():
            _insert(db, post, now)
            marks = ",".join("?" * len(rolled))
            db.execute(f"UPDATE alert_posts SET status = 'rolled', rollup_key = ? WHERE key IN ({marks}) "
                       "AND status = 'pending'", [post["key"], *rolled])
    found = get_post(db, post["key"])
    assert found is not None
    return found


def sent_since(db: Database, platform: str, channel_id: str, since: str, kind: str = "article") -> int:
    """How many posts of ``kind`` the channel got since ``since`` (ISO UTC)."""
    return db.execute(
        "SELECT count(*) FROM alert_posts WHERE platform = ? AND channel_id = ? AND kind = ? "
        "AND status = 'sent' AND sent_at >= ?", [platform, channel_id, kind, since],
    ).fetchone()[0]


def start_attempt(db: Database, key: str) -> int:
    """Count one more attempt to post ``key`` (committed before the platform is called)."""
    with immediate(db):
        db.execute("UPDATE alert_posts SET attempts = attempts + 1 WHERE key = ?", [key])
        return db.execute("SELECT attempts FROM alert_posts WHERE key = ?", [key]).fetchone()[0]


def mark_sent(db: Database, key: str, message_id: str, *, clock: Clock = utcnow) -> bool:
    """The platform confirmed ``key`` as ``message_id``. False when it was marked sent already."""
    with immediate(db):
        cursor = db.execute(
            "UPDATE alert_posts SET status = 'sent', message_id = ?, sent_at = ?, last_error = NULL "
            "WHERE key = ? AND status != 'sent'", [message_id, iso(clock()), key],
        )
    return cursor.rowcount > 0


def mark_failed_attempt(db: Database, key: str, error: str, *, give_up: bool) -> None:
    """The platform did not confirm: keep the intent pending, or give up (``failed``)."""
    db.execute(
        "UPDATE alert_posts SET last_error = ?, status = CASE WHEN ? THEN 'failed' ELSE status END "
        "WHERE key = ? AND status = 'pending'",
        [error[:500], int(give_up), key],
    )


def when(value: datetime) -> str:
    """A time as the ledger stores it."""
    return iso(value)
