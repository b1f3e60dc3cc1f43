"""The sources table: due order, the poll history it keeps, and the columns it lets be set."""

from __future__ import annotations

import pytest

from storage.db import open_db
from storage.sources import (
    POLL_HISTORY,
    add_source,
    due_sources,
    find_source_by_url,
    recent_polls,
    record_poll,
    update_source,
)


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "s.db")
    yield database
    database.close()


def test_a_new_source_is_due_at_once_and_found_by_any_form_of_its_url(db):
    sid = add_source(db, kind="rss", url="https://www.example.com/feed/", name="Example")
    assert [r["id"] for r in due_sources(db, "9999")] == [sid]
    assert find_source_by_url(db, "http://example.com/feed?utm_source=x")["id"] == sid
    update_source(db, sid, next_poll_at="2025-09-01T10:00:00+00:00")
    assert due_sources(db, "2025-09-01T09:59:59+00:00") == []
    assert len(due_sources(db, "2025-09-01T09:59:59+00:00", include_all=True)) == 1
    update_source(db, sid, status="paused")
    assert due_sources(db, "9999", include_all=True) == []


def test_the_poll_history_is_kept_short(db):
    sid = add_source(db, kind="rss", url="https://example.com/feed", name="Example")
    for n in range(POLL_HISTORY + 7):
        record_poll(db, sid, at=f"2025-09-01T10:{n:02d}:00", outcome="not_modified", http_status=304)
    polls = recent_polls(db, sid, limit=1000)
    assert len(polls) == POLL_HISTORY and polls[0]["at"] == f"2025-09-01T10:{POLL_HISTORY + 6:02d}:00"


def test_only_polling_columns_can_be_set(db):
    sid = add_source(db, kind="rss", url="https://example.com/feed")
    with pytest.raises(ValueError, match="not a source column: url"):
        update_source(db, sid, url="https://evil.example/")


def test_each_source_counts_its_articles_as_they_come_and_go(db):
    from ingest.article import Article
    from storage.articles import store_articles
    from storage.sources import list_sources

    feed = add_source(db, kind="rss", url="https://example.com/feed", name="Example")
    other = add_source(db, kind="rss", url="https://example.org/feed", name="Other")
    stored = store_articles(db, [Article(title=f"Item {i}", body=f"Text {i}.", url=f"https://example.com/{i}")
                                 for i in range(3)], source_id=feed)
    counts = lambda: {s["id"]: s["article_count"] for s in list_sources(db)}  # noqa: E731
    assert counts() == {feed: 3, other: 0}
    db.execute("DELETE FROM articles WHERE id = ?", [stored[0].article_id])
    db.execute("UPDATE articles SET source_id = ? WHERE id = ?", [other, stored[1].article_id])
    assert counts() == {feed: 1, other: 1}
    db.execute("DELETE FROM sources WHERE id = ?", [other])  # its article stays, with no source
    assert counts() == {feed: 1}
