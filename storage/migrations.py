"""Numbered, append-only schema migrations. Never edit an applied one: append a new one.

sqlite-utils applies them and records each in its table ``_sqlite_migrations``. Finding out
whether any is pending is one query on that table, done here without sqlite-utils: importing it
would cost every start (`briefbot ask`) about 50 ms for what is, nearly always, nothing to do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

# What a migration is given: storage/db.py's Database or sqlite-utils' over the same connection
# (both execute, executescript, atomic, table_names).
Database = Any


class Migration(NamedTuple):
    """One migration: its name (the function's) and the function."""

    name: str
    fn: Callable[[Any], None]


class MigrationSet:
    """The ordered migrations of one set, as sqlite-utils' ``Migrations`` keeps and records them."""

    table = "_sqlite_migrations"

    def __init__(self, name: str):
        self.name = name
        self._migrations: list[Migration] = []

    def __call__(self) -> Callable[[Callable], Callable]:
        """Decorator registering a migration function (append only)."""

        def add(fn: Callable) -> Callable:
            self._migrations.append(Migration(fn.__name__, fn))
            return fn

        return add

    def names(self) -> list[str]:
        """Every migration of the set, in order."""
        return [m.name for m in self._migrations]

    def applied(self, db) -> list[Migration]:
        """The migrations recorded as applied in ``db`` (a database or a plain connection), in
        the order they were; unknown ones (a newer version's) with no function."""
        if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [self.table]).fetchone() is None:
            return []
        known = {m.name: m for m in self._migrations}
        return [known.get(name, Migration(name, _unknown)) for (name,) in db.execute(
            f"SELECT name FROM {self.table} WHERE migration_set = ? ORDER BY rowid", [self.name])]

    def pending(self, db) -> list[Migration]:
        """The migrations ``db`` still needs, in order."""
        done = {m.name for m in self.applied(db)}
        return [m for m in self._migrations if m.name not in done]

    def apply(self, db: Database, *, stop_before: str | Iterable[str] | None = None) -> None:
        """Apply the pending migrations through sqlite-utils (each in its transaction, with its
        record); ``db`` is our database or sqlite-utils' over the same connection."""
        from sqlite_utils import Database as UtilsDatabase
        from sqlite_utils.migrations import Migrations

        engine = Migrations(self.name)
        for m in self._migrations:
            engine()(m.fn)
        engine.apply(db if isinstance(db, UtilsDatabase) else UtilsDatabase(db.conn, execute_plugins=False, recursive_triggers=False),
                     stop_before=stop_before)


def _unknown(db) -> None:
    raise RuntimeError("a migration of a newer briefbot cannot be applied by this one")


migrations = MigrationSet("briefbot")


@migrations()
def m001_core(db: Database) -> None:
    """Sources, articles with their FTS5 index, the ingest log and the audit log."""
    db.executescript(
        """
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,              -- file | rss | atom | jsonfeed | wordpress | html
            url TEXT NOT NULL UNIQUE,        -- URL, or file:// path for local files
            name TEXT,
            topics TEXT,
            created_at TEXT NOT NULL,
            created_by TEXT
        );
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            url TEXT,
            canonical_url TEXT UNIQUE,       -- normalised URL (tracking parameters stripped)
            path TEXT,                       -- local file it came from, if any
            guid TEXT,
            title TEXT NOT NULL,
            published TEXT,                  -- ISO 8601, as precise as the source gives
            fetched TEXT NOT NULL,           -- when we stored it (ISO 8601 UTC)
            body TEXT NOT NULL,
            lang TEXT,
            content_hash TEXT NOT NULL UNIQUE,
            source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
            baseline INTEGER NOT NULL DEFAULT 0,  -- 1: stored by a source's first poll, not news
            partial INTEGER NOT NULL DEFAULT 0,   -- 1: body known to be truncated
            warnings TEXT
        );
        CREATE INDEX articles_published ON articles(published);
        CREATE INDEX articles_fetched ON articles(fetched);
        CREATE INDEX articles_source ON articles(source_id);
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, body, content='articles', content_rowid='id', tokenize='porter unicode61'
        );
        CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, body)
                VALUES ('delete', old.id, old.title, old.body);
        END;
        CREATE TRIGGER articles_au AFTER UPDATE OF title, body ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, body)
                VALUES ('delete', old.id, old.title, old.body);
            INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        CREATE TABLE ingest_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            input TEXT NOT NULL,             -- path or URL
            outcome TEXT NOT NULL,           -- new | duplicate | updated | warning | error
            article_id INTEGER,
            message TEXT
        );
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            platform TEXT,
            actor TEXT,
            action TEXT NOT NULL,
            detail TEXT
        );
        """
    )


@migrations()
def m002_facts(db: Database) -> None:
    """Entities with aliases, and facts (agreements, investments, roles, events) with parties."""
    db.executescript(
        """
        CREATE TABLE entities (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,              -- org | person | country | place
            name TEXT NOT NULL,              -- canonical display name
            key TEXT NOT NULL,               -- normalised name for matching
            role TEXT,                       -- people: e.g. "Science Minister"
            org_id INTEGER REFERENCES entities(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            UNIQUE(kind, key)
        );
        CREATE TABLE aliases (
            id INTEGER PRIMARY KEY,
            entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            alias TEXT NOT NULL,
            key TEXT NOT NULL UNIQUE,        -- normalised alias; one entity per alias
            origin TEXT NOT NULL DEFAULT 'extracted'  -- extracted | admin | builtin
        );
        CREATE TABLE facts (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,              -- agreement | investment | role | event
            subtype TEXT,                    -- agreements: MOU, partnership, …; events: forum, …
            status TEXT,                     -- signed | planned | announced
            topic TEXT,                      -- topic words
            date_text TEXT,                  -- as written ("Aug. 29")
            date TEXT,                       -- normalised ISO date when the year is known
            place TEXT,
            amount_text TEXT,                -- as written ("$205 million (274.4 billion won)")
            value REAL,
            currency TEXT,
            by_entity_id INTEGER REFERENCES entities(id) ON DELETE SET NULL,
            purpose TEXT,
            evidence TEXT NOT NULL,          -- the sentence it came from
            ev_start INTEGER,                -- character offsets of evidence in the article body
            ev_end INTEGER,
            extractor TEXT NOT NULL DEFAULT 'rules',
            data TEXT,                       -- JSON for anything else
            created_at TEXT NOT NULL
        );
        CREATE INDEX facts_article ON facts(article_id);
        CREATE INDEX facts_kind ON facts(kind);
        CREATE TABLE fact_parties (
            fact_id INTEGER NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
            entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            as_written TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT 'party',  -- party | investor | person | subject
            position INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (fact_id, entity_id, role)
        );
        CREATE INDEX fact_parties_entity ON fact_parties(entity_id);
        """
    )


@migrations()
def m003_facts_search(db: Database) -> None:
    """A full-text index over each fact's own words, its parties' names and its article's title,
    and indexes for entity lookups."""
    db.executescript(
        """
        CREATE VIRTUAL TABLE fact_search USING fts5(
            kind UNINDEXED, words, names, title, tokenize='porter unicode61'
        );
        CREATE TRIGGER facts_ad_search AFTER DELETE ON facts BEGIN
            DELETE FROM fact_search WHERE rowid = old.id;
        END;
        CREATE INDEX facts_by_entity ON facts(by_entity_id);
        CREATE INDEX aliases_entity ON aliases(entity_id);
        CREATE INDEX entities_org ON entities(org_id);
        """
    )


@migrations()
def m004_sources_polling(db: Database) -> None:
    """Polling state on sources (status, schedule, conditional GET, backoff, cursor) and a
    short history of polls per source."""
    db.executescript(
        """
        ALTER TABLE sources ADD COLUMN status TEXT NOT NULL DEFAULT 'active';  -- active | paused
        ALTER TABLE sources ADD COLUMN paused_reason TEXT;
        ALTER TABLE sources ADD COLUMN interval_s INTEGER NOT NULL DEFAULT 3600;
        ALTER TABLE sources ADD COLUMN etag TEXT;
        ALTER TABLE sources ADD COLUMN last_modified TEXT;        -- the server's header, verbatim
        ALTER TABLE sources ADD COLUMN last_poll_at TEXT;
        ALTER TABLE sources ADD COLUMN last_success_at TEXT;
        ALTER TABLE sources ADD COLUMN last_error TEXT;
        ALTER TABLE sources ADD COLUMN last_error_at TEXT;
        ALTER TABLE sources ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;  -- consecutive
        ALTER TABLE sources ADD COLUMN next_poll_at TEXT;
        ALTER TABLE sources ADD COLUMN cursor TEXT;               -- WordPress: modified_after
        ALTER TABLE sources ADD COLUMN baseline_done INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX sources_due ON sources(status, next_poll_at);
        CREATE TABLE source_polls (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            outcome TEXT NOT NULL,           -- new | unchanged | not_modified | error
            http_status INTEGER,
            new INTEGER NOT NULL DEFAULT 0,
            updated INTEGER NOT NULL DEFAULT 0,
            duplicate INTEGER NOT NULL DEFAULT 0,
            body_bytes INTEGER NOT NULL DEFAULT 0,
            elapsed_ms INTEGER,
            message TEXT
        );
        CREATE INDEX source_polls_source ON source_polls(source_id, id);
        """
    )


@migrations()
def m005_digests(db: Database) -> None:
    """Digest subscriptions, per-channel cursors, the post ledger and the summary cache."""
    db.executescript(
        """
        CREATE TABLE digest_subscriptions (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            schedule TEXT NOT NULL,          -- canonical: "daily 09:00", "weekly mon 09:00", "every 6h"
            tz TEXT NOT NULL,                -- IANA time zone name
            topics TEXT NOT NULL DEFAULT '', -- topic words as typed; empty = every article
            anchor TEXT NOT NULL,            -- ISO start of interval schedules (stable across restarts)
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            created_by TEXT
        );
        CREATE INDEX digest_subscriptions_channel ON digest_subscriptions(platform, channel_id);
        CREATE TABLE digest_cursors (
            platform TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            subscription_id INTEGER NOT NULL DEFAULT 0,  -- 0: the channel's digest without a subscription
            article_id INTEGER NOT NULL DEFAULT 0,       -- every article with a larger id is new
            updated_at TEXT NOT NULL,
            PRIMARY KEY (platform, channel_id, subscription_id)
        );
        CREATE TABLE digest_posts (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,        -- idempotency key: platform:channel:subscription:period
            platform TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            subscription_id INTEGER NOT NULL DEFAULT 0,
            period TEXT NOT NULL,
            status TEXT NOT NULL,            -- pending | sent | empty | failed
            from_article_id INTEGER NOT NULL,
            to_article_id INTEGER NOT NULL,
            items TEXT NOT NULL,             -- JSON: the items' titles and article ids
            reply TEXT,                      -- JSON: the exact message, so a retry re-sends the same
            message_id TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            summarizer TEXT,
            prompt_tokens INTEGER NOT NULL DEFAULT 0,
            completion_tokens INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            sent_at TEXT
        );
        CREATE INDEX digest_posts_target ON digest_posts(platform, channel_id, subscription_id, status);
        CREATE TABLE digest_summaries (
            key TEXT PRIMARY KEY,            -- hash of model, prompt and the story's content
            model TEXT NOT NULL,
            summary TEXT NOT NULL,
            prompt_tokens INTEGER NOT NULL DEFAULT 0,
            completion_tokens INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        """
    )


@migrations()
def m006_llm_reads(db: Database) -> None:
    """The optional LLM reader's answers, by the text they answer for (so an article is asked once
    per model, and extraction run again reuses the answer without asking), and how far through
    the articles the background reader has come."""
    db.executescript(
        """
        CREATE TABLE llm_reads (
            text_hash TEXT NOT NULL,         -- sha256 of the title and body the LLM was shown
            model TEXT NOT NULL,
            outcome TEXT NOT NULL,           -- accepted | rejected (it named what the article does not say)
            answer TEXT,                     -- the answer, JSON
            note TEXT,                       -- why it was rejected
            asked_at TEXT NOT NULL,
            PRIMARY KEY (text_hash, model)
        );
        CREATE TABLE llm_cursor (
            model TEXT PRIMARY KEY,
            article_id INTEGER NOT NULL      -- every article with a larger id is still to read
        );
        """
    )


@migrations()
def m012_extraction_state(db: Database) -> None:
    """Which text of each article its stored facts were read from. An article without a row
    (stored, then the process was killed before its facts were) or whose text changed since is
    read again by the next ingest; `doctor` counts them. Existing articles with facts count as
    read; those without any are read once more, which finds what an earlier crash left."""
    db.executescript(
        """
        CREATE TABLE article_extraction (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            at TEXT NOT NULL                 -- when its facts were stored (ISO 8601 UTC)
        );
        CREATE TRIGGER article_extraction_stale AFTER UPDATE OF title, body ON articles
        WHEN old.title IS NOT new.title OR old.body IS NOT new.body BEGIN
            DELETE FROM article_extraction WHERE article_id = new.id;
        END;
        INSERT INTO article_extraction(article_id, at)
            SELECT DISTINCT f.article_id, a.fetched FROM facts f JOIN articles a ON a.id = f.article_id;
        """
    )


@migrations()
def m013_entity_merges(db: Database) -> None:
    """Admin alias merges of two entities, with what was merged, so a merge can be undone."""
    db.executescript(
        """
        CREATE TABLE entity_merges (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            platform TEXT,
            actor TEXT,
            alias TEXT NOT NULL,             -- the alias as the admin typed it
            source_name TEXT NOT NULL,       -- the entity merged away
            target_id INTEGER NOT NULL,      -- the entity it was merged into
            target_name TEXT NOT NULL,
            snapshot TEXT NOT NULL,          -- JSON: the merged entity, its aliases and references
            undone_at TEXT,
            undone_by TEXT
        );
        """
    )


@migrations()
def m016_watches(db: Database) -> None:
    """Watches: a channel's filters on new articles and facts, stored as typed and as a tree."""
    db.executescript(
        """
        CREATE TABLE watches (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            filter_text TEXT NOT NULL,       -- as typed
            filter TEXT NOT NULL,            -- JSON: the parsed tree (watches/filter.py)
            mentions TEXT NOT NULL DEFAULT '[]',  -- JSON: [{"kind": user|role|group, "id", "label"}]
            quiet TEXT,                      -- JSON: {"start": "22:00", "end": "07:00", "tz": "Asia/Seoul"}
            status TEXT NOT NULL DEFAULT 'active',  -- active | paused | removed
            after_article_id INTEGER NOT NULL DEFAULT 0,  -- only articles with a larger id are news to it
            created_at TEXT NOT NULL,
            created_by TEXT,
            updated_at TEXT
        );
        CREATE INDEX watches_channel ON watches(platform, channel_id, status);
        """
    )


@migrations()
def m017_alerts(db: Database) -> None:
    """Alert posts: each channel's cursor over new articles and the ledger of its posts (the
    intent recorded before the platform is called, as for digests)."""
    db.executescript(
        """
        CREATE TABLE alert_cursors (
            platform TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            article_id INTEGER NOT NULL DEFAULT 0,   -- every article with a larger id is still to match
            updated_at TEXT NOT NULL,
            PRIMARY KEY (platform, channel_id)
        );
        CREATE TABLE alert_posts (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,        -- platform:channel:article:<id> | platform:channel:rollup:<id>
            platform TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            kind TEXT NOT NULL,              -- article | rollup
            article_id INTEGER,
            thread_of TEXT,                  -- key of the story's first post (a reply in its thread)
            watches TEXT NOT NULL DEFAULT '[]',   -- JSON: watch ids
            mentions TEXT NOT NULL DEFAULT '[]',  -- JSON: as on watches
            matched TEXT,                    -- why it matched, in words
            title TEXT,
            url TEXT,
            identity TEXT,                   -- what makes a re-published item the same item
            reply TEXT,                      -- JSON: the exact message, so a retry re-sends the same
            status TEXT NOT NULL,            -- pending | sent | rolled | failed
            not_before TEXT,                 -- quiet hours: held until then (ISO UTC)
            rollup_key TEXT,                 -- rolled: the roll-up post that carried it
            message_id TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT
        );
        CREATE INDEX alert_posts_channel ON alert_posts(platform, channel_id, status, id);
        CREATE INDEX alert_posts_identity ON alert_posts(platform, channel_id, identity);
        CREATE INDEX alert_posts_article ON alert_posts(article_id);
        """
    )


@migrations()
def m014_korean_search(db: Database) -> None:
    """Articles carry their language; Korean articles get a second full-text index of their
    two-syllable pieces (``ingest.korean.search_terms``), kept by the store (the pieces are made
    in Python) and emptied by a trigger when an article is deleted."""
    from base.hangul import detect_lang, search_terms

    db.executescript(
        """
        CREATE VIRTUAL TABLE articles_ko USING fts5(title, body, tokenize='unicode61');
        CREATE TRIGGER articles_ko_ad AFTER DELETE ON articles BEGIN
            DELETE FROM articles_ko WHERE rowid = old.id;
        END;
        """
    )
    last = 0
    while True:  # in chunks: a large database is read a few hundred articles at a time
        rows = db.execute(
            "SELECT id, title, body, lang FROM articles WHERE id > ? ORDER BY id LIMIT 500", [last]
        ).fetchall()
        if not rows:
            break
        for article_id, title, body, lang in rows:
            found = detect_lang(title or "", body or "", lang)
            if found != lang:
                db.execute("UPDATE articles SET lang = ? WHERE id = ?", [found, article_id])
            if found == "ko":
                db.execute("INSERT INTO articles_ko(rowid, title, body) VALUES (?,?,?)",
                           [article_id, search_terms(title or ""), search_terms(body or "")])
        last = rows[-1][0]


@migrations()
def m015_hangul_name_keys(db: Database) -> None:
    """Name keys of Korean names ignore the spaces next to Hangul ("SK 하이닉스" is
    "SK하이닉스"): keys stored before are made again. Where two aliases now share a key, the
    older one stays."""
    from base.hangul import has_hangul
    from base.names import name_key

    for table in ("aliases", "entities"):
        rows = db.execute(f"SELECT id, {'alias' if table == 'aliases' else 'name'}, key FROM {table}").fetchall()
        for row_id, name, key in rows:
            if not name or not has_hangul(name):
                continue
            new = name_key(name)
            if new != key:
                db.execute(f"UPDATE OR IGNORE {table} SET key = ? WHERE id = ?", [new, row_id])


@migrations()
def m010_article_identity(db: Database) -> None:
    """Articles are no longer unique by URL alone or by text alone: three press releases under
    one link, or three feed items sharing a teaser, are three articles. The table is rebuilt
    without the two UNIQUE constraints (SQLite cannot drop a constraint in place), keeping
    every row, column, index and trigger, and every row that points at an article."""
    sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'articles'").fetchone()[0]
    loose = re.sub(r"(\bcanonical_url\s+TEXT)\s+UNIQUE", r"\1", sql, flags=re.I)
    loose = re.sub(r"(\bcontent_hash\s+TEXT\s+NOT\s+NULL)\s+UNIQUE", r"\1", loose, flags=re.I)
    if loose != sql:
        _rebuild_table(db, "articles", loose)
    db.execute("CREATE INDEX IF NOT EXISTS articles_canonical_url ON articles(canonical_url)")
    db.execute("CREATE INDEX IF NOT EXISTS articles_content_hash ON articles(content_hash)")
    db.execute("CREATE INDEX IF NOT EXISTS articles_guid ON articles(guid)")


def _rebuild_table(db: Database, table: str, create_sql: str) -> None:
    """SQLite's documented way to change a table's constraints: create the new table, copy,
    drop, rename, then restore the table's own indexes and triggers. Foreign keys must be off
    (``storage.db.migrate_db`` turns them off around the migrations): dropping the old table
    would otherwise delete every row that points at it, facts included."""
    if db.execute("PRAGMA foreign_keys").fetchone()[0]:
        raise RuntimeError(f"rebuilding {table} needs foreign keys off: dropping it would delete the rows "
                           "that point at it (apply migrations through storage.db.migrate_db)")
    keep = [
        r[0] for r in db.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
            "AND sql IS NOT NULL ORDER BY type, name", [table],
        )
    ]
    columns = ", ".join(f'"{c[1]}"' for c in db.execute(f'PRAGMA table_info("{table}")'))
    new = f"{table}_rebuilt"
    head = re.match(r"\s*CREATE\s+TABLE\s+(?:\"[^\"]+\"|\S+)", create_sql, re.I)
    db.execute(f'CREATE TABLE "{new}"' + create_sql[head.end():])
    db.execute(f'INSERT INTO "{new}" ({columns}) SELECT {columns} FROM "{table}"')
    db.execute(f'DROP TABLE "{table}"')
    db.execute(f'ALTER TABLE "{new}" RENAME TO "{table}"')
    for statement in keep:
        db.execute(statement)


@migrations()
def m018_indexes_for_every_command(db: Database) -> None:
    """Indexes that answer every command without reading the whole archive: articles by date
    (the date /latest, /whois and /brief sort by: published, else when stored), an entity's
    parties by role, newest fact first, and an investor's facts by kind, newest first."""
    db.executescript(
        """
        CREATE INDEX articles_recent ON articles(COALESCE(published, fetched), id);
        CREATE INDEX fact_parties_entity_role ON fact_parties(entity_id, role, fact_id);
        DROP INDEX fact_parties_entity;
        CREATE INDEX facts_by_entity_kind ON facts(by_entity_id, kind);
        DROP INDEX facts_by_entity;
        """
    )


@migrations()
def m019_unread_articles(db: Database) -> None:
    """The articles without facts read from their current text, kept as a list by triggers, so
    that counting them at every start costs the same at any size (it was an anti-join over every
    article): an article stored is unread until its facts are marked read (m012's table); a
    mark removed (its text changed, an alias merge undone) makes it unread again."""
    db.executescript(
        """
        CREATE TABLE article_unread (
            article_id INTEGER PRIMARY KEY
        );
        CREATE TRIGGER article_unread_stored AFTER INSERT ON articles BEGIN
            INSERT OR IGNORE INTO article_unread(article_id) VALUES (new.id);
        END;
        CREATE TRIGGER article_unread_gone AFTER DELETE ON articles BEGIN
            DELETE FROM article_unread WHERE article_id = old.id;
        END;
        CREATE TRIGGER article_unread_read AFTER INSERT ON article_extraction BEGIN
            DELETE FROM article_unread WHERE article_id = new.article_id;
        END;
        CREATE TRIGGER article_unread_again AFTER DELETE ON article_extraction BEGIN
            INSERT OR IGNORE INTO article_unread(article_id)
                SELECT old.article_id WHERE EXISTS (SELECT 1 FROM articles WHERE id = old.article_id);
        END;
        INSERT INTO article_unread(article_id)
            SELECT a.id FROM articles a WHERE NOT EXISTS
                (SELECT 1 FROM article_extraction x WHERE x.article_id = a.id);
        """
    )


@migrations()
def m020_source_article_counts(db: Database) -> None:
    """Each source's count of stored articles, kept by triggers: /sources list showed it by
    counting the source's articles on every call, which grew with the archive."""
    db.executescript(
        """
        ALTER TABLE sources ADD COLUMN article_count INTEGER NOT NULL DEFAULT 0;
        UPDATE sources SET article_count = (SELECT count(*) FROM articles a WHERE a.source_id = sources.id);
        CREATE TRIGGER sources_count_stored AFTER INSERT ON articles WHEN new.source_id IS NOT NULL BEGIN
            UPDATE sources SET article_count = article_count + 1 WHERE id = new.source_id;
        END;
        CREATE TRIGGER sources_count_gone AFTER DELETE ON articles WHEN old.source_id IS NOT NULL BEGIN
            UPDATE sources SET article_count = article_count - 1 WHERE id = old.source_id;
        END;
        CREATE TRIGGER sources_count_moved AFTER UPDATE OF source_id ON articles
        WHEN old.source_id IS NOT new.source_id BEGIN
            UPDATE sources SET article_count = article_count - 1 WHERE id = old.source_id;
            UPDATE sources SET article_count = article_count + 1 WHERE id = new.source_id;
        END;
        """
    )


@migrations()
def m021_article_blocks(db: Database) -> None:
    """The newest date (published, else when stored) of each block of 1,024 article ids, kept
    by triggers: /latest of a topic last reported long before the rest of the archive looks for
    a newer match stored earlier only in the blocks whose newest date could hold one, instead of
    reading the date index over every article dated after the matches it knows. A date only
    grows here (an article deleted leaves it: still an upper bound, which is all it is used as)."""
    db.executescript(
        """
        CREATE TABLE article_blocks (
            block INTEGER PRIMARY KEY,       -- article id >> 10
            newest TEXT NOT NULL
        );
        CREATE INDEX article_blocks_newest ON article_blocks(newest);
        CREATE TRIGGER article_blocks_stored AFTER INSERT ON articles BEGIN
            INSERT INTO article_blocks(block, newest) VALUES (new.id >> 10, COALESCE(new.published, new.fetched))
                ON CONFLICT(block) DO UPDATE SET newest = excluded.newest WHERE excluded.newest > newest;
        END;
        CREATE TRIGGER article_blocks_dated AFTER UPDATE OF published, fetched ON articles BEGIN
            INSERT INTO article_blocks(block, newest) VALUES (new.id >> 10, COALESCE(new.published, new.fetched))
                ON CONFLICT(block) DO UPDATE SET newest = excluded.newest WHERE excluded.newest > newest;
        END;
        INSERT INTO article_blocks(block, newest)
            SELECT id >> 10, max(COALESCE(published, fetched)) FROM articles GROUP BY id >> 10;
        """
    )
