"""Opening the database: migrations once and recorded, WAL, foreign keys, one connection per thread."""

import threading

from storage.db import BUSY_TIMEOUT_MS, Connections, migrate_db, open_db
from storage.migrations import migrations


def test_migrations_apply_once_and_are_recorded(tmp_path):
    path = tmp_path / "b.db"
    db = open_db(path)
    applied = [m.name for m in migrations.applied(db)]
    assert applied[:2] == ["m001_core", "m002_facts"]
    assert applied == [m.name for m in migrations._migrations]  # every registered one, in order
    assert migrations.pending(db) == []
    db.close()

    again = open_db(path)
    assert migrate_db(again) == []
    rows = again.execute(
        "SELECT name, count(*) FROM _sqlite_migrations WHERE migration_set = 'briefbot' GROUP BY name"
    ).fetchall()
    assert {count for _, count in rows} == {1}
    assert {name for name, _ in rows} == set(applied)
    assert {"sources", "articles", "articles_fts", "ingest_log", "audit"} <= set(again.table_names())


def test_wal_foreign_keys_and_busy_timeout_are_on(tmp_path):
    db = open_db(tmp_path / "b.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS


def test_foreign_keys_are_enforced(tmp_path):
    db = open_db(tmp_path / "b.db")
    db.execute(
        "INSERT INTO sources(id, kind, url, created_at) VALUES (1, 'rss', 'https://x.example/feed', '2025-01-01')"
    )
    db.execute(
        "INSERT INTO articles(title, fetched, body, content_hash, source_id) VALUES ('t', '2025-01-01', 'b', 'h', 1)"
    )
    db.execute("DELETE FROM sources WHERE id = 1")
    # ON DELETE SET NULL only happens when foreign keys are on
    assert db.execute("SELECT source_id FROM articles").fetchone()[0] is None


def test_each_thread_gets_its_own_connection_to_one_file(tmp_path):
    connections = Connections(tmp_path / "b.db")
    main = connections.get()
    assert connections.get() is main
    seen = {}

    def work():
        db = connections.get()
        db.execute("INSERT INTO audit(at, action) VALUES ('2025-01-01', 'from a thread')")
        seen["db"] = db

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert seen["db"] is not main
    assert main.execute("SELECT action FROM audit").fetchall() == [("from a thread",)]
    connections.close_all()


def test_the_identity_migration_keeps_every_article_fact_and_index(tmp_path):
    from sqlite_utils import Database

    path = tmp_path / "old.db"
    old = Database(path)
    old.execute("PRAGMA foreign_keys = ON")
    migrations.apply(old, stop_before="m010_article_identity")
    old.execute("INSERT INTO articles(id, title, fetched, body, content_hash, canonical_url) "
                "VALUES (7, 'Packaging MOU', '2025-01-01', 'MOTIE signed an MOU at Eltower.', 'h7', 'https://x/7')")
    old.execute("INSERT INTO facts(article_id, kind, evidence, created_at) VALUES (7, 'agreement', 'MOTIE signed', 'x')")
    old.execute("INSERT INTO article_extraction(article_id, at) VALUES (7, 'x')")
    old.execute("INSERT INTO entities(id, kind, name, key, created_at) VALUES (3, 'org', 'MOTIE', 'motie', 'x')")
    old.execute("INSERT INTO fact_parties(fact_id, entity_id, as_written) SELECT id, 3, 'MOTIE' FROM facts")
    old.execute("INSERT INTO fact_search(rowid, kind, words, names, title) SELECT id, 'agreement', 'signed MOU', "
                "'MOTIE', 'Packaging MOU' FROM facts")
    old.close()

    db = open_db(path)  # applies the rest, m010 included
    assert db.execute("SELECT id, title FROM articles").fetchall() == [(7, "Packaging MOU")]
    assert db.execute("SELECT article_id, evidence FROM facts").fetchall() == [(7, "MOTIE signed")]
    assert db.execute("SELECT article_id FROM article_extraction").fetchall() == [(7,)]
    assert db.execute("SELECT entity_id, as_written FROM fact_parties").fetchall() == [(3, "MOTIE")]
    assert db.execute("SELECT count(*) FROM fact_search WHERE fact_search MATCH 'MOTIE'").fetchone()[0] == 1
    # the other tables still point at "articles", and its triggers are back
    assert "articles_replaced" not in " ".join(r[0] or "" for r in db.execute("SELECT sql FROM sqlite_master"))
    triggers = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles'")}
    assert {"articles_ai", "articles_ad", "articles_au", "article_extraction_stale", "articles_ko_ad"} <= triggers
    assert db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'Eltower'").fetchall() == [(7,)]
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'articles'")}
    assert {"articles_published", "articles_canonical_url", "articles_content_hash", "articles_guid"} <= indexes
    # one link and one text may now be shared by distinct articles
    db.execute("INSERT INTO articles(title, fetched, body, content_hash, canonical_url) "
               "VALUES ('Another release', '2025-01-02', 'Other text.', 'h7', 'https://x/7')")
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    # the triggers came back: a delete cascades to facts and leaves the index clean
    db.execute("DELETE FROM articles WHERE id = 7")
    assert db.execute("SELECT count(*) FROM facts").fetchone()[0] == 0
    db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
