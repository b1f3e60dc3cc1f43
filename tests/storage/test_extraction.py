"""The list of articles without facts read from their current text (m019): kept by triggers, so
counting them at a start costs the same however many articles are stored."""

from __future__ import annotations

import sqlite3

from ingest.article import Article
from storage.articles import store_articles
from storage.db import Database, open_db
from storage.extraction import count_unread, mark_read, unread_rows
from storage.migrations import migrations

ARTICLES = [Article(title=f"Report {i}", body=f"Body of report {i}.", url=None, published=f"2025-01-0{i + 1}")
            for i in range(3)]


def test_stored_read_changed_and_deleted_articles_are_counted_as_they_should(tmp_path):
    db = open_db(tmp_path / "b.db")
    ids = [r.article_id for r in store_articles(db, ARTICLES)]
    assert count_unread(db) == 3 and [r["id"] for r in unread_rows(db)] == ids
    with db.atomic():
        mark_read(db, ids, "2025-01-05T00:00:00+00:00")
    assert count_unread(db) == 0
    with db.atomic():  # read again (a re-extraction): still read
        mark_read(db, ids[:1], "2025-01-06T00:00:00+00:00")
    assert count_unread(db) == 0
    db.execute("UPDATE articles SET body = 'A changed body.' WHERE id = ?", [ids[1]])
    assert [r["id"] for r in unread_rows(db)] == [ids[1]]
    db.execute("DELETE FROM articles WHERE id = ?", [ids[1]])
    assert count_unread(db) == 0


def test_an_older_database_gets_the_list_of_what_it_left_unread(tmp_path):
    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(str(path)))
    migrations.apply(old, stop_before="m019_unread_articles")  # the database as it was before
    ids = [r.article_id for r in store_articles(old, ARTICLES)]
    with old.atomic():
        mark_read(old, ids[:2], "2025-01-05T00:00:00+00:00")
    assert count_unread(old) == 1  # counted the old way while the list is not there yet
    old.close()

    db = open_db(path)
    assert [r["id"] for r in unread_rows(db)] == [ids[2]] and count_unread(db) == 1
