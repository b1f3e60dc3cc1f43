"""Numbered, append-only schema migrations. Never edit an applied one: append a new one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("briefbot")


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
