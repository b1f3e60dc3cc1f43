"""The newest articles of a set: exact whether the matches are few (all read and sorted here) or
many (the date index walked, with the newest stored matches known and an earlier-stored article
tested by a range read of the full-text index; past a few pages, the answer bounded by the
matches read and only the blocks of ids whose newest date reaches that bound searched)."""

from __future__ import annotations

import sqlite3

import pytest

from ingest.article import Article
from storage.articles import article_parts, store_articles
from storage.db import Database, open_db
from storage.migrations import migrations
from storage.newest import newest_ids

# Stored in this order; the newest by date (2025-02-03) is the second stored.
ARTICLES = [
    Article(title=f"Packaging report {i}", body=f"Advanced packaging news number {i}.", url=None,
            published=published)
    for i, published in enumerate(["2019-07-30", "2025-02-03T09:00:00+09:00", "2023-01-15", "2024-05-01",
                                   "2025-02-03"])
] + [Article(title="Weather", body="Rain tomorrow.", url=None, published="2026-01-01")]


@pytest.fixture
def stored(tmp_path):
    db = open_db(tmp_path / "b.db")
    ids = [r.article_id for r in store_articles(db, ARTICLES)]
    yield db, ids
    db.close()


@pytest.mark.parametrize("walk", [0, 1, 3, 100])
@pytest.mark.parametrize(("window", "page"), [(1000, 200), (1, 200), (2, 1), (1, 2), (3, 1)])
def test_the_newest_by_date_whatever_the_way_taken(stored, window, page, walk):
    db, ids = stored
    parts = article_parts("packaging")
    # "2025-02-03T09:00…" after "2025-02-03"; the weather report is no match
    assert newest_ids(db, parts, 3, window=window, page=page, walk=walk) == [ids[1], ids[4], ids[3]]
    assert newest_ids(db, parts, 1, window=window, page=page, walk=walk) == [ids[1]]


def test_a_topic_last_reported_long_before_the_rest_of_the_archive(tmp_path):
    """Many matches, all dated before a long run of newer articles on other things: the walk gives
    up after its pages and the answer is bounded by the matches read (exact all the same)."""
    db = open_db(tmp_path / "b.db")
    older = [Article(title=f"HBM packaging {i}", body=f"Packaging line {i}.", url=None,
                     published=f"2024-01-{1 + i:02d}") for i in range(20)]
    # one match stored late but dated among the newest of the matches (an archive read late)
    late = [Article(title="HBM packaging late", body="Packaging line late.", url=None, published="2024-01-18T12:00:00")]
    newer = [Article(title=f"Weather {i}", body=f"Rain {i}.", url=None, published=f"2025-{1 + i // 28:02d}-{1 + i % 28:02d}")
             for i in range(60)]
    ids = [r.article_id for r in store_articles(db, older + newer + late)]
    parts = article_parts("packaging")
    want = [ids[19], ids[18], ids[-1], ids[17]]
    for window, page, walk in [(1000, 200, 3), (5, 4, 3), (5, 4, 0), (2, 1, 2)]:
        assert newest_ids(db, parts, 4, window=window, page=page, walk=walk) == want
    db.close()


def test_everything_and_nothing(stored):
    db, ids = stored
    assert newest_ids(db, None, 2) == [ids[5], ids[1]]
    assert newest_ids(db, article_parts("zebra"), 3) == []


def test_many_matches_read_through_indexes_and_sort_nothing(stored):
    db, _ = stored
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    newest_ids(db, article_parts("packaging"), 2, window=1, page=1)
    db.conn.set_trace_callback(None)
    plans = [[row[3] for row in db.execute("EXPLAIN QUERY PLAN " + s)] for s in statements
             if s.startswith("SELECT") and "articles" in s]
    assert any(any("INDEX articles_recent" in step for step in plan) for plan in plans)
    assert not any("TEMP B-TREE" in step for plan in plans for step in plan)


def _newest_and_stretches_read(db, parts, n: int, **ways) -> tuple[list[int], list[tuple[int, int]]]:
    """``newest_ids`` and the stretches of ids it read from the full-text index."""
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        result = newest_ids(db, parts, n, **ways)
    finally:
        db.conn.set_trace_callback(None)
    stretches = [tuple(int(x) for x in s.rsplit("BETWEEN", 1)[1].split("AND")) for s in statements
                 if "MATCH" in s and "BETWEEN" in s]
    return result, stretches


def test_past_the_walk_only_the_blocks_of_ids_dated_late_enough_are_searched(tmp_path):
    """Three blocks of 1,024 ids: a topic reported in 2024, among weather reports, then a year of
    other news; one report of the topic stored early but dated last (a late correction of its
    date). The answer is exact, and the full-text index is read only in the blocks whose newest
    date reaches the matches known (not in the block between, whose articles are all older)."""
    db = open_db(tmp_path / "b.db")
    early = [Article(title=f"Weather {i}", body=f"Rain {i}.", url=None, published="2023-06-01") for i in range(1100)]
    early[5] = Article(title="HBM packaging first", body="Packaging line first.", url="https://news.example.org/first",
                       published="2023-06-01")
    middle = [Article(title=f"Forecast {i}", body=f"Cloud {i}.", url=None, published="2023-07-01") for i in range(1000)]
    reports = [Article(title=f"HBM packaging {i}", body=f"Packaging line {i}.", url=None,
                       published=f"2024-01-{1 + i % 28:02d}T{i // 28:02d}:00:00") for i in range(300)]
    newer = [Article(title=f"Budget {i}", body=f"Exports {i}.", url=None, published=f"2025-{1 + i // 28 % 12:02d}-{1 + i % 28:02d}")
             for i in range(900)]
    ids = [r.article_id for r in store_articles(db, early + middle + reports + newer)]
    assert ids == list(range(1, 3301))  # blocks 0, 1, 2, 3; the reports in block 2
    first = ids[5]
    # the first report, stored long ago, is re-dated as the newest of the topic
    [again] = store_articles(db, [Article(title="HBM packaging first", body="Packaging line first, corrected.",
                                          url="https://news.example.org/first", published="2024-12-31")])
    assert (again.outcome, again.article_id) == ("updated", first)
    assert db.execute("SELECT published FROM articles WHERE id = ?", [first]).fetchone()[0] == "2024-12-31"
    parts = article_parts("packaging")
    want = [first] + sorted(ids[2100:2400], key=lambda i: (db.execute(
        "SELECT published FROM articles WHERE id = ?", [i]).fetchone()[0], i), reverse=True)[:3]
    for window, page, walk in [(200, 200, 3), (5, 50, 1), (4, 1, 0)]:
        got, stretches = _newest_and_stretches_read(db, parts, 4, window=window, page=page, walk=walk)
        assert got == want
        assert stretches and all(high < 1024 or low >= 2048 for low, high in stretches)
    db.close()


def test_an_older_database_gets_the_newest_date_of_each_block(tmp_path):
    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(str(path)))
    migrations.apply(old, stop_before="m021_article_blocks")  # the database as it was before
    ids = [r.article_id for r in store_articles(old, ARTICLES)]
    old.close()

    db = open_db(path)
    assert db.execute("SELECT block, newest FROM article_blocks").fetchall() == [(0, "2026-01-01")]
    for window, page, walk in [(1, 1, 0), (2, 1, 0)]:
        assert newest_ids(db, article_parts("packaging"), 3, window=window, page=page, walk=walk) == [ids[1], ids[4], ids[3]]
    db.close()
