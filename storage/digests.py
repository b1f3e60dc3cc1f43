"""Digest storage: new-article selection, facts of articles, subscriptions, cursors, the post
ledger (exactly-once posting) and the summary cache. Every digest query lives here."""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from base.hangul import has_hangul
from storage.articles import article_parts
from storage.clock import Clock, iso, utcnow
from storage.db import Database, chunks, rows

_TOKEN = re.compile(r'"([^"]*)"|(\w+)', re.UNICODE)
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,9}")


@contextmanager
def immediate(db: Database) -> Iterator[Database]:
    """A write transaction that takes the write lock at once (BEGIN IMMEDIATE), so two processes
    checking-then-inserting the same idempotency key are serialised instead of racing."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


# --- selection -------------------------------------------------------------------------------

def topic_match(topics: str) -> str | None:
    """Topic words as an FTS5 expression: any word or "quoted phrase" matches (OR), every token
    quoted so user text can never be FTS syntax."""
    terms = []
    for phrase, word in _TOKEN.findall(topics or ""):
        words = re.findall(r"\w+", phrase) if phrase else [word]
        if words:
            terms.append('"' + " ".join(w.replace('"', "") for w in words) + '"')
    return " OR ".join(dict.fromkeys(terms)) if terms else None


def topic_parts(topics: str) -> list | None:
    """The full-text searches (``storage.newest.Part``) finding the articles matching any of
    ``topics``: Korean topic words through the Korean index (``storage.articles.article_parts``),
    the others as ``topic_match``."""
    from storage.newest import Part

    if has_hangul(topics or ""):
        return article_parts(topics, "OR")
    match = topic_match(topics)
    return None if match is None else [Part("articles_fts", match)]


def topic_ids(topics: str) -> tuple[str, list] | None:
    """SQL yielding the ids of the articles matching any of ``topics``, and its parameters."""
    from storage.newest import parts_sql

    parts = topic_parts(topics)
    return None if parts is None else parts_sql(parts)


def topic_clause(topics: str) -> tuple[str, list] | None:
    """``topic_ids`` as an SQL condition on ``a.id``."""
    found = topic_ids(topics)
    return None if found is None else (f"a.id IN ({found[0]})", found[1])


def max_article_id(db: Database) -> int:
    """The largest article id stored (0 when none): the high-water mark of a digest."""
    return db.execute("SELECT COALESCE(max(id), 0) FROM articles").fetchone()[0]


# What a digest reads of each new article to cluster it (digests/cluster.py reads no further);
# the full text is read only for the stories it shows.
LEAD_CHARS = 1000
ARTICLE_COLUMNS = "a.id, a.title, a.url, a.path, a.published, a.fetched, a.content_hash, a.source_id, a.partial"


def new_articles(
    db: Database,
    *,
    after_id: int = 0,
    until_id: int | None = None,
    since: str | None = None,
    topics: str = "",
    include_baseline: bool = False,
    limit: int | None = None,
    lead_only: bool = False,
) -> list[dict]:
    """Articles with ``after_id < id <= until_id`` (and stored at or after ``since``), matching
    ``topics``; baseline articles (a new source's first poll) only when asked. Oldest first;
    with ``limit``, the newest ``limit`` of them. ``lead_only``: ``body`` holds only the first
    ``LEAD_CHARS`` characters (and ``full_body`` is False)."""
    where = ["a.id > ?"]
    params: list = [after_id]
    if until_id is not None:
        where.append("a.id <= ?")
        params.append(until_id)
    if since:
        where.append("a.fetched >= ?")
        params.append(since)
    if not include_baseline:
        where.append("a.baseline = 0")
    clause = topic_clause(topics)
    if topics.strip() and clause is None:
        return []
    if clause:
        where.append(clause[0])
        params += clause[1]
    body = f"substr(a.body, 1, {LEAD_CHARS}) AS body, 0 AS full_body" if lead_only else "a.body, 1 AS full_body"
    sql = f"SELECT {ARTICLE_COLUMNS}, {body} FROM articles a WHERE " + " AND ".join(where)
    if limit is None:
        return rows(db, sql + " ORDER BY a.id", params)
    # the cut is made here, walking the ids down from the newest: never the whole archive in memory
    found = rows(db, sql + " ORDER BY a.id DESC LIMIT ?", [*params, limit])
    found.reverse()
    return found


def full_bodies(db: Database, articles: Sequence[dict]) -> None:
    """Give each of ``articles`` (rows read with ``lead_only``) its whole body, in place."""
    short = [a for a in articles if not a.get("full_body", True)]
    for chunk in chunks(short):
        bodies = dict(db.execute(f"SELECT id, body FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
                                 [a["id"] for a in chunk]).fetchall())
        for a in chunk:
            a["body"], a["full_body"] = bodies.get(a["id"], a["body"]), 1


def recent_matching(db: Database, topics: str, *, limit: int = 40) -> list[dict]:
    """The newest stored articles (baseline included: they are searchable) matching ``topics``."""
    from storage.newest import articles_in_order, newest_ids

    parts = topic_parts(topics)
    if parts is None:
        return []
    return articles_in_order(db, f"{ARTICLE_COLUMNS}, a.body, 1 AS full_body", newest_ids(db, parts, limit))


# What clustering and the choice of newsworthy facts read of every fact of a digest; the rest
# (evidence, topic, purpose…) is read only for the stories a digest shows.
BRIEF_FACT_COLUMNS = ("id", "article_id", "kind", "date", "amount_text", "value", "currency", "by_entity_id")


class BriefFact:
    """A fact as ``facts_for_articles(brief=True)`` gives it: ``BRIEF_FACT_COLUMNS`` and its
    parties' ids and kinds, read like the dict of a full fact (``fact["kind"]``,
    ``fact.get("value")``) in a quarter of the memory: a digest holds tens of thousands."""

    __slots__ = (*BRIEF_FACT_COLUMNS, "party_ids", "party_kinds", "_positions")

    def __init__(self, row: Sequence) -> None:
        for name, value in zip(BRIEF_FACT_COLUMNS, row, strict=True):
            # a few distinct words each (kinds, currencies): one copy of each
            setattr(self, name, sys.intern(value) if name in ("kind", "currency") and value else value)
        self.party_ids: tuple[int, ...] = ()
        self.party_kinds: tuple[str, ...] = ()
        self._positions: list | None = []

    def __getitem__(self, name: str):
        return getattr(self, name)

    def get(self, name: str, default=None):
        """The field ``name``, or ``default`` when a brief fact has no such field."""
        return getattr(self, name, default)
FACT_COLUMNS = ("id", "article_id", "kind", "subtype", "status", "topic", "date_text", "date", "place",
                "amount_text", "value", "currency", "by_entity_id", "purpose", "evidence")


def facts_for_articles(db: Database, article_ids: Sequence[int], kinds: Sequence[str] = ("agreement", "investment"),
                       *, brief: bool = False) -> list:
    """The facts of ``article_ids`` of ``kinds`` as dicts, each with ``party_ids`` and
    ``party_kinds`` (in order), ``parties`` (display names) and ``by`` (investor name); with
    ``brief``, as ``BriefFact``s (``BRIEF_FACT_COLUMNS``, party ids and kinds). Rows are read one at a time: a 5,000-article digest has tens of
    thousands of facts and parties, and a list of every row as a dict would double its memory."""
    if not article_ids:
        return []
    ids = list(dict.fromkeys(article_ids))
    columns = BRIEF_FACT_COLUMNS if brief else FACT_COLUMNS
    facts: list[dict] = []
    by_id: dict[int, dict] = {}
    for chunk in chunks(ids):
        cursor = db.execute(
            f"SELECT {', '.join('f.' + c for c in columns)}{'' if brief else ', e.name'} FROM facts f "
            f"{'' if brief else 'LEFT JOIN entities e ON e.id = f.by_entity_id '}"
            # "+f.kind": by the article's index, never by the kind's (every fact of a kind)
            f"WHERE f.article_id IN ({','.join('?' * len(chunk))}) AND +f.kind IN ({','.join('?' * len(kinds))}) "
            "ORDER BY f.article_id, f.id", [*chunk, *kinds])
        for row in cursor:
            if brief:
                fact = BriefFact(row)
            else:
                fact = dict(zip(columns, row, strict=False))
                fact.update(party_ids=[], party_kinds=[], _positions=[], by=row[-1], parties=[])
            facts.append(fact)
            by_id[fact["id"]] = fact
    fact_ids = list(by_id)
    for chunk in chunks(fact_ids):
        for fact_id, entity_id, name, as_written, kind, position in db.execute(
            "SELECT p.fact_id, p.entity_id, e.name, p.as_written, e.kind, p.position FROM fact_parties p "
            f"JOIN entities e ON e.id = p.entity_id WHERE p.fact_id IN ({','.join('?' * len(chunk))}) "
            "AND p.role IN ('party', 'investor')", chunk):
            by_id[fact_id]["_positions"].append((position, entity_id, None if brief else name or as_written, kind))
    for fact in facts:
        # in their order, sorted here: a few per fact (no temporary B-tree over fact_parties)
        if brief:
            named, fact._positions = sorted(fact._positions), None
            fact.party_ids = tuple(entity_id for _, entity_id, _, _ in named)
            fact.party_kinds = tuple(sys.intern(kind) for _, _, _, kind in named)
        else:
            named = sorted(fact.pop("_positions"))
            fact["party_ids"] = [entity_id for _, entity_id, _, _ in named]
            fact["party_kinds"] = [kind for _, _, _, kind in named]
            fact["parties"] = [name for _, _, name, _ in named]
    return facts


def fact_keys(db: Database, article_ids: Sequence[int], kinds: Sequence[str] = ("agreement", "investment")):
    """For each fact of ``article_ids`` of ``kinds``, in article order: a small dict of what
    clustering and the choice of newsworthy facts read (``BRIEF_FACT_COLUMNS``, ``party_ids``,
    ``party_kinds``), one join per 500 articles, nothing else held (a generator)."""
    ids = list(dict.fromkeys(article_ids))
    for chunk in chunks(ids):
        fact = None
        parties: list = []
        for (fact_id, article_id, kind, date, amount_text, value, currency, by_entity_id,
             entity_id, entity_kind, position) in db.execute(
            "SELECT f.id, f.article_id, f.kind, f.date, f.amount_text, f.value, f.currency, f.by_entity_id, "
            "p.entity_id, e.kind, p.position FROM facts f "
            "LEFT JOIN fact_parties p ON p.fact_id = f.id AND p.role IN ('party', 'investor') "
            "LEFT JOIN entities e ON e.id = p.entity_id "
            f"WHERE f.article_id IN ({','.join('?' * len(chunk))}) AND +f.kind IN ({','.join('?' * len(kinds))}) "
            "ORDER BY f.article_id, f.id", [*chunk, *kinds]):
            if fact is None or fact["id"] != fact_id:
                if fact is not None:
                    yield _with_parties(fact, parties)
                fact = {"id": fact_id, "article_id": article_id, "kind": kind, "date": date,
                        "amount_text": amount_text, "value": value, "currency": currency,
                        "by_entity_id": by_entity_id}
                parties = []
            if entity_id is not None:
                parties.append((position, entity_id, entity_kind))
        if fact is not None:
            yield _with_parties(fact, parties)


def _with_parties(fact: dict, parties: list) -> dict:
    # in their order, sorted here: a few per fact (no temporary B-tree over fact_parties)
    parties.sort()
    fact["party_ids"] = [entity_id for _, entity_id, _ in parties]
    fact["party_kinds"] = [kind for _, _, kind in parties]
    return fact


def acronyms(db: Database, entity_ids: Sequence[int]) -> dict[int, list[str]]:
    """Each entity's short forms (aliases written as an acronym, e.g. "MOTIE"), shortest first."""
    ids = [i for i in dict.fromkeys(entity_ids) if i is not None]
    if not ids:
        return {}
    out: dict[int, list[str]] = {}
    for entity_id, alias in db.execute(
        f"SELECT entity_id, alias FROM aliases WHERE entity_id IN ({','.join('?' * len(ids))}) "
        "ORDER BY length(alias), alias",
        ids,
    ).fetchall():
        if _ACRONYM.fullmatch(alias):
            out.setdefault(entity_id, []).append(alias)
    return out


# --- subscriptions ---------------------------------------------------------------------------

def add_subscription(
    db: Database, *, platform: str, channel_id: str, schedule: str, tz: str, topics: str,
    anchor: str, created_by: str, news_since: str | None = None, clock: Clock = utcnow,
) -> int:
    """Store a subscription; return its id. Its first digest covers the articles stored since
    ``news_since`` (ISO UTC; None: everything stored), not a whole archive."""
    now = iso(clock())
    with db.atomic():
        sub_id = db.execute(
            "INSERT INTO digest_subscriptions(platform, channel_id, schedule, tz, topics, anchor, "
            "active, created_at, created_by) VALUES (?,?,?,?,?,?,1,?,?)",
            [platform, channel_id, schedule, tz, topics, anchor, now, created_by],
        ).lastrowid
        if news_since is not None:
            start = db.execute("SELECT COALESCE(max(id), 0) FROM articles WHERE fetched < ?", [news_since]).fetchone()[0]
            _advance_cursor(db, platform, channel_id, sub_id, start, now)
    return sub_id


def find_subscription(db: Database, *, platform: str, channel_id: str, schedule: str, tz: str,
                      topics: str) -> dict | None:
    """The channel's active subscription with this schedule, time zone and topic words (in any
    order or case), if there is one."""
    def words(text: str) -> list[str]:
        return sorted({w.lower() for w in (text or "").split()})

    for sub in list_subscriptions(db, platform=platform, channel_id=channel_id):
        if (sub["schedule"] == schedule and sub["tz"].lower() == tz.lower()
                and words(sub["topics"]) == words(topics)):
            return sub
    return None


def get_subscription(db: Database, sub_id: int) -> dict | None:
    """One subscription (active or not)."""
    records = rows(db, "SELECT * FROM digest_subscriptions WHERE id = ?", [sub_id])
    return records[0] if records else None


def list_subscriptions(db: Database, *, platform: str | None = None, channel_id: str | None = None) -> list[dict]:
    """Active subscriptions, optionally of one channel, oldest first."""
    where, params = ["active = 1"], []
    if platform is not None:
        where.append("platform = ?")
        params.append(platform)
    if channel_id is not None:
        where.append("channel_id = ?")
        params.append(channel_id)
    return rows(db, "SELECT * FROM digest_subscriptions WHERE " + " AND ".join(where) + " ORDER BY id", params)


def deactivate_subscription(db: Database, sub_id: int) -> None:
    """Stop a subscription (kept for the post history)."""
    db.execute("UPDATE digest_subscriptions SET active = 0 WHERE id = ?", [sub_id])


# --- cursors ---------------------------------------------------------------------------------

def get_cursor(db: Database, platform: str, channel_id: str, subscription_id: int) -> int | None:
    """The last article id a target's digests covered, or None before its first digest."""
    row = db.execute(
        "SELECT article_id FROM digest_cursors WHERE platform = ? AND channel_id = ? AND subscription_id = ?",
        [platform, channel_id, subscription_id],
    ).fetchone()
    return row[0] if row else None


def _advance_cursor(db: Database, platform: str, channel_id: str, subscription_id: int, article_id: int, now: str) -> None:
    db.execute(
        "INSERT INTO digest_cursors(platform, channel_id, subscription_id, article_id, updated_at) "
        "VALUES (?,?,?,?,?) ON CONFLICT(platform, channel_id, subscription_id) DO UPDATE SET "
        "article_id = max(article_id, excluded.article_id), updated_at = excluded.updated_at",
        [platform, channel_id, subscription_id, article_id, now],
    )


# --- the post ledger -------------------------------------------------------------------------

@dataclass
class PostRecord:
    """One row of the post ledger."""

    id: int
    key: str
    platform: str
    channel_id: str
    subscription_id: int
    period: str
    status: str
    from_article_id: int
    to_article_id: int
    items: list
    reply: dict | None
    message_id: str | None
    attempts: int
    last_error: str | None
    summarizer: str | None
    prompt_tokens: int
    completion_tokens: int
    created_at: str
    sent_at: str | None

    @classmethod
    def from_row(cls, row: dict) -> PostRecord:
        row = dict(row)
        row["items"] = json.loads(row["items"] or "[]")
        row["reply"] = json.loads(row["reply"]) if row["reply"] else None
        return cls(**row)


def get_post(db: Database, key: str) -> PostRecord | None:
    """The ledger row for an idempotency key."""
    records = rows(db, "SELECT * FROM digest_posts WHERE key = ?", [key])
    return PostRecord.from_row(records[0]) if records else None


def pending_posts(db: Database, *, platform: str | None = None, channel_id: str | None = None,
                  subscription_id: int | None = None) -> list[PostRecord]:
    """Intents recorded but not confirmed (a crash or a failed post), oldest first."""
    where, params = ["status = 'pending'"], []
    for col, value in (("platform", platform), ("channel_id", channel_id), ("subscription_id", subscription_id)):
        if value is not None:
            where.append(f"{col} = ?")
            params.append(value)
    records = rows(db, "SELECT * FROM digest_posts WHERE " + " AND ".join(where) + " ORDER BY id", params)
    return [PostRecord.from_row(r) for r in records]


def list_posts(db: Database, *, platform: str | None = None, channel_id: str | None = None, limit: int = 50) -> list[PostRecord]:
    """The ledger, newest first."""
    where, params = ["1"], []
    if platform is not None:
        where.append("platform = ?")
        params.append(platform)
    if channel_id is not None:
        where.append("channel_id = ?")
        params.append(channel_id)
    records = rows(db, "SELECT * FROM digest_posts WHERE " + " AND ".join(where) + " ORDER BY id DESC LIMIT ?", [*params, limit])
    return [PostRecord.from_row(r) for r in records]


class CursorMoved(RuntimeError):
    """Another run covered some of these articles first; build the digest again."""


def record_intent(
    db: Database, *, key: str, platform: str, channel_id: str, subscription_id: int, period: str,
    from_article_id: int, to_article_id: int, items: list, reply: dict | None, status: str = "pending",
    summarizer: str = "", prompt_tokens: int = 0, completion_tokens: int = 0, clock: Clock = utcnow,
) -> PostRecord:
    """Record the intent to post (before posting), atomically with its checks.

    Returns the existing row when the key is already recorded (another run got there first).
    Raises ``CursorMoved`` when the target's cursor is no longer ``from_article_id`` or another
    intent of the same target is still pending: the caller must finish that one and rebuild, so
    no article is ever in two posts. ``status='empty'`` records a silent empty period and advances
    the cursor in the same transaction.
    """
    now = iso(clock())
    with immediate(db):
        existing = db.execute("SELECT id FROM digest_posts WHERE key = ?", [key]).fetchone()
        if existing is None:
            cursor = db.execute(
                "SELECT article_id FROM digest_cursors WHERE platform = ? AND channel_id = ? AND subscription_id = ?",
                [platform, channel_id, subscription_id],
            ).fetchone()
            if (cursor[0] if cursor else 0) != from_article_id:
                raise CursorMoved(key)
            other = db.execute(
                "SELECT key FROM digest_posts WHERE platform = ? AND channel_id = ? AND subscription_id = ? "
                "AND status = 'pending'", [platform, channel_id, subscription_id],
            ).fetchone()
            if other is not None:
                raise CursorMoved(other[0])
            db.execute(
                "INSERT INTO digest_posts(key, platform, channel_id, subscription_id, period, status, "
                "from_article_id, to_article_id, items, reply, summarizer, prompt_tokens, "
                "completion_tokens, created_at, sent_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [key, platform, channel_id, subscription_id, period, status, from_article_id,
                 to_article_id, json.dumps(items, ensure_ascii=False),
                 json.dumps(reply, ensure_ascii=False) if reply is not None else None,
                 summarizer, prompt_tokens, completion_tokens, now, now if status == "empty" else None],
            )
            if status == "empty":
                _advance_cursor(db, platform, channel_id, subscription_id, to_article_id, now)
    post = get_post(db, key)
    assert post is not None
    return post


def start_attempt(db: Database, key: str) -> int:
    """Count one more attempt to post ``key`` (committed before the platform is called)."""
    with immediate(db):
        db.execute("UPDATE digest_posts SET attempts = attempts + 1 WHERE key = ?", [key])
        return db.execute("SELECT attempts FROM digest_posts WHERE key = ?", [key]).fetchone()[0]


def mark_sent(db: Database, key: str, message_id: str, *, clock: Clock = utcnow) -> bool:
    """The platform confirmed ``key`` as ``message_id``: mark it sent and advance the target's
    cursor, in one transaction. False when it was already marked sent."""
    now = iso(clock())
    with immediate(db):
        row = db.execute(
            "SELECT platform, channel_id, subscription_id, to_article_id, status FROM digest_posts WHERE key = ?",
            [key],
        ).fetchone()
        if row is None or row[4] == "sent":
            return False
        db.execute(
            "UPDATE digest_posts SET status = 'sent', message_id = ?, sent_at = ?, last_error = NULL WHERE key = ?",
            [message_id, now, key],
        )
        _advance_cursor(db, row[0], row[1], row[2], row[3], now)
    return True


def mark_failed_attempt(db: Database, key: str, error: str, *, give_up: bool) -> None:
    """The platform did not confirm: keep the intent pending (or give up: ``failed``, cursor
    untouched, so its articles go into the target's next digest)."""
    db.execute(
        "UPDATE digest_posts SET last_error = ?, status = CASE WHEN ? THEN 'failed' ELSE status END "
        "WHERE key = ? AND status = 'pending'",
        [error[:500], int(give_up), key],
    )


def last_sent(db: Database, platform: str, channel_id: str, subscription_id: int) -> PostRecord | None:
    """The target's latest confirmed (or empty) period."""
    # one look-up per status, each the newest in the index's order (an IN would sort them all)
    records = [r for status in ("sent", "empty") for r in rows(
        db,
        "SELECT * FROM digest_posts WHERE platform = ? AND channel_id = ? AND subscription_id = ? "
        "AND status = ? ORDER BY id DESC LIMIT 1",
        [platform, channel_id, subscription_id, status],
    )]
    return PostRecord.from_row(max(records, key=lambda r: r["id"])) if records else None


# --- summary cache ---------------------------------------------------------------------------

def cached_summary(db: Database, key: str) -> dict | None:
    """A cached summary by content key."""
    records = rows(db, "SELECT * FROM digest_summaries WHERE key = ?", [key])
    return records[0] if records else None


def store_summary(db: Database, key: str, *, model: str, summary: str, prompt_tokens: int,
                  completion_tokens: int, clock: Clock = utcnow) -> None:
    """Cache a paid-for summary."""
    try:
        db.execute(
            "INSERT OR REPLACE INTO digest_summaries(key, model, summary, prompt_tokens, completion_tokens, created_at) "
            "VALUES (?,?,?,?,?,?)",
            [key, model, summary, prompt_tokens, completion_tokens, iso(clock())],
        )
    except sqlite3.OperationalError:
        # A busy database must not cost the digest: the summary is still used, only not cached.
        pass
