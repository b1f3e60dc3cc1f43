"""The newest articles of a set: the same answer whether the matches are few (sorted by hand)
or many (the date index walked), newest by date, not by when they were stored."""

from __future__ import annotations

from ingest.article import Article
from storage.articles import article_ids, store_articles
from storage.db import open_db
from storage.newest import newest_ids

ARTICLES = [
    Article(title=f"Packaging report {i}", body=f"Advanced packaging news number {i}.", url=None,
            published=published)
    for i, published in enumerate(["2024-05-01", "2023-01-15", None, "2025-02-03T09:00:00+09:00",
                                   "2019-07-30", "2025-02-03"])
] + [Article(title="Weather", body="Rain tomorrow.", url=None, published="2026-01-01")]


def test_few_matches_and_many_give_the_same_newest_first(tmp_path):
    db = open_db(tmp_path / "b.db")
    ids = [r.article_id for r in store_articles(db, ARTICLES)]
    topic = article_ids("packaging")
    # few: the matches looked up and sorted here; many: the date index walked until n are found
    few, many = newest_ids(db, topic, 4), newest_ids(db, topic, 4, window=1)
    # the undated one sorts by when it was stored (today: newest); "2025-02-03T09:00" after "2025-02-03"
    assert few == many == [ids[2], ids[3], ids[5], ids[0]]
    assert newest_ids(db, None, 2) == [ids[2], ids[6]]  # everything: the weather report too


def test_many_matches_walk_the_date_index_and_sort_nothing(tmp_path):
    db = open_db(tmp_path / "b.db")
    store_articles(db, ARTICLES)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    newest_ids(db, article_ids("packaging"), 3, window=1)
    db.conn.set_trace_callback(None)
    walk = next(s for s in statements if "INDEXED BY" in s)
    plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + walk)]
    assert "SCAN a USING INDEX articles_recent" in plan and not any("TEMP B-TREE" in p for p in plan)
