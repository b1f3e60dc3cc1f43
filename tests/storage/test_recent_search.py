"""The index of the newest articles (m021): a search ranks its newest matches there and gets
the answer the main index gives; the index holds exactly the newest articles through every
store, edit, deletion and push-out; the backup check sees when it does not; an older database
gets it when migrated and answers as a new one does."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from bench.corpus import generate as english_corpus
from bench.corpus_ko import generate as korean_corpus
from ingest.article import Article
from storage.articles import (
    korean_match,
    rank_matches,
    search_articles,
    search_match,
    store_articles,
)
from storage.backup import fts_problems, recent_index_problems
from storage.db import open_db
from storage.migrations import migrations


def corpus(english: int, korean: int) -> list[Article]:
    """Synthetic articles of the beat (the benchmarks' corpus), English and Korean interleaved."""
    en = [Article(title=a.title, body=a.body, url=a.url, published=a.published)
          for a in english_corpus(english, words=120)]
    ko = [Article(title=a.title, body=a.body, url=f"https://news.example.kr/{i}", published=a.published)
          for i, a in enumerate(korean_corpus(korean, seed=11))]
    out = []
    for i, art in enumerate(en):
        out.append(art)
        if i % 4 == 3 and ko:
            out.append(ko.pop())
    return out + ko


def ranked(db, table: str, match: str, low: int, *, recent: bool, trace: list[str] | None = None) -> list[int]:
    if trace is not None:
        db.conn.set_trace_callback(trace.append)
    try:
        return rank_matches(db, table, match, low, 20, recent=recent)
    finally:
        db.conn.set_trace_callback(None)


def newest(db, table: str, match: str, n: int) -> int:
    """The id of the ``n``-th newest match: where a search's ranked window starts."""
    return db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                      [match, n - 1]).fetchone()[0]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """400 English and 100 Korean articles: each fits in its index of the newest articles."""
    db = open_db(tmp_path_factory.mktemp("recent") / "a.db")
    store_articles(db, corpus(400, 100))
    yield db
    db.close()


@pytest.mark.parametrize("query", ["semiconductor", "Samsung", "neuromorphic", "MOU", "investment", "chip"])
def test_one_word_ranks_the_same_in_the_index_of_the_newest_articles(archive, query):
    match = search_match(query)
    low = newest(archive, "articles_fts", match, 30)
    trace: list[str] = []
    with_recent = ranked(archive, "articles_fts", match, low, recent=True, trace=trace)
    assert any("articles_fts_recent MATCH" in sql for sql in trace)  # the index of the newest ranked
    assert with_recent == ranked(archive, "articles_fts", match, low, recent=False)
    assert len(with_recent) == 20


@pytest.mark.parametrize("query", ["반도체", "하이닉스", "삼성전자", "패키징"])
def test_one_korean_word_ranks_the_same_in_the_index_of_the_newest_korean_articles(archive, query):
    match = korean_match(query)
    low = newest(archive, "articles_ko", match, 25)
    trace: list[str] = []
    with_recent = ranked(archive, "articles_ko", match, low, recent=True, trace=trace)
    assert any("articles_ko_recent MATCH" in sql for sql in trace)
    assert with_recent == ranked(archive, "articles_ko", match, low, recent=False)
    assert with_recent


def held(db, ids_table: str) -> list[int]:
    return [r[0] for r in db.execute(f"SELECT id FROM {ids_table} ORDER BY id")]


def test_the_index_holds_exactly_the_newest_articles_through_store_edit_delete_and_push_out(tmp_path):
    db = open_db(tmp_path / "b.db")
    db.execute("UPDATE search_recent_size SET size = 12 WHERE name = 'articles_fts'")
    db.execute("UPDATE search_recent_size SET size = 4 WHERE name = 'articles_ko'")
    articles = corpus(30, 10)
    store_articles(db, articles[:20])
    store_articles(db, articles[20:])
    ids = [r[0] for r in db.execute("SELECT id FROM articles ORDER BY id")]
    korean = [r[0] for r in db.execute("SELECT id FROM articles WHERE lang = 'ko' ORDER BY id")]
    assert held(db, "search_recent_ids") == ids[-12:]
    assert held(db, "search_recent_ko_ids") == korean[-4:]
    assert recent_index_problems(db.conn) == []

    # an edit of a listed article is indexed again: its new words are found there
    edited = ids[-1]
    db.execute("UPDATE articles SET body = body || ' zirconium' WHERE id = ?", [edited])
    assert db.execute("SELECT rowid FROM articles_fts_recent WHERE articles_fts_recent MATCH 'zirconium'").fetchall() == [(edited,)]
    # an edit of an article pushed out touches nothing
    db.execute("UPDATE articles SET title = 'Old story, corrected' WHERE id = ?", [ids[0]])
    # a stored article edited through the store (Korean: its pieces are made in Python)
    twin = articles[-1]
    stored = store_articles(db, [Article(title=twin.title, body=twin.body + " 추가 취재.", url=twin.url,
                                         published=twin.published)])
    assert stored[0].outcome == "updated" and stored[0].article_id in held(db, "search_recent_ko_ids")
    assert db.execute("SELECT rowid FROM articles_ko_recent WHERE articles_ko_recent MATCH ?",
                      [korean_match("취재")]).fetchall() == [(stored[0].article_id,)]
    assert recent_index_problems(db.conn) == []

    # deleting a listed article, the oldest listed one and one pushed out
    db.execute("DELETE FROM articles WHERE id IN (?, ?, ?)", [ids[-2], ids[-12], ids[0]])
    assert held(db, "search_recent_ids") == ids[-11:-2] + ids[-1:]
    assert recent_index_problems(db.conn) == []
    assert fts_problems(db.conn) == []

    # more articles push the oldest out, English and Korean
    store_articles(db, corpus(60, 20)[40:])
    ids = [r[0] for r in db.execute("SELECT id FROM articles ORDER BY id")]
    korean = [r[0] for r in db.execute("SELECT id FROM articles WHERE lang = 'ko' ORDER BY id")]
    listed = held(db, "search_recent_ids")
    assert listed == [i for i in ids if i >= listed[0]] and len(listed) <= 12
    assert held(db, "search_recent_ko_ids") == korean[-4:]
    assert recent_index_problems(db.conn) == []
    db.close()


def test_the_backup_check_finds_an_index_of_the_newest_that_does_not_match(tmp_path):
    db = open_db(tmp_path / "c.db")
    store_articles(db, corpus(8, 4))
    db.execute("DELETE FROM search_recent_ids WHERE id = (SELECT max(id) FROM search_recent_ids)")
    db.execute("DELETE FROM search_recent_ko_ids WHERE id = (SELECT max(id) FROM search_recent_ko_ids)")
    found = recent_index_problems(db.conn)
    assert any("in the index of the newest articles" in p for p in found)
    assert any("in the index of the newest Korean articles" in p for p in found)
    assert any("does not match" in p for p in found)
    db.close()


def test_an_older_database_gets_the_index_when_migrated_and_answers_as_a_new_one(tmp_path):
    articles = corpus(120, 40)
    new = open_db(tmp_path / "new.db")
    store_articles(new, articles)

    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(str(path)))
    migrations.apply(old, stop_before="m014_korean_search")  # before Korean search, and since
    for art in articles:
        old.execute("INSERT INTO articles(title, body, published, fetched, content_hash) VALUES (?,?,?,?,?)",
                    [art.title, art.body, art.published, "2025-01-01", art.content_hash])
    old.conn.commit()
    old.close()

    migrated = open_db(path)
    assert held(migrated, "search_recent_ids") == held(new, "search_recent_ids")
    assert held(migrated, "search_recent_ko_ids") == held(new, "search_recent_ko_ids")
    assert recent_index_problems(migrated.conn) == []
    for query in ("semiconductor", "Samsung Electronics MOU", "neuromorphic", "반도체", "하이닉스"):
        answer = [r["id"] for r in search_articles(migrated, query, window=20)]
        assert answer and answer == [r["id"] for r in search_articles(new, query, window=20)]
    migrated.close()
    new.close()


def test_a_search_beyond_the_newest_articles_is_ranked_by_the_main_index(tmp_path):
    db = open_db(tmp_path / "d.db")
    db.execute("UPDATE search_recent_size SET size = 10 WHERE name = 'articles_fts'")
    store_articles(db, corpus(80, 0))
    match = search_match("semiconductor")
    low = newest(db, "articles_fts", match, 40)  # the window reaches below the newest ten
    trace: list[str] = []
    assert ranked(db, "articles_fts", match, low, recent=True, trace=trace) == ranked(
        db, "articles_fts", match, low, recent=False)
    assert not any("articles_fts_recent" in sql for sql in trace)
    db.close()
