"""Korean articles: language stored, found whatever particle follows a word and however a
compound is spaced, kept in step on update and delete, and indexed when an older database is
migrated."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from ingest.article import Article
from storage.articles import latest_articles, search_articles, store_articles
from storage.db import open_db
from storage.digests import new_articles
from storage.migrations import migrations

MOU = Article(
    title="산업부, 반도체 기업들과 첨단 패키징 업무협약",
    body=("산업통상자원부는 29일 서울 엘타워에서 삼성전자, SK하이닉스와 '반도체 첨단 패키징 기술개발'을 위한 "
          "업무협약을 체결했다. 삼성전자는 패키징 연구에 참여한다."),
    published="2023-08-29",
)
PROGRAMME = Article(
    title="첨단패키징 기술개발에 2744억 원",
    body="정부는 2025년부터 총 2744억 원을 투입해 첨단패키징 핵심기술을 개발한다.",
    published="2024-09-11",
)
ENGLISH = Article(
    title="Packaging MOU signed",
    body="Samsung Electronics and SK hynix signed an MOU with MOTIE at Eltower in Seoul.",
    published="2023-08-29",
)


@pytest.fixture
def db(tmp_path):
    db = open_db(tmp_path / "b.db")
    store_articles(db, [MOU, PROGRAMME, ENGLISH])
    yield db
    db.close()


def titles(rows) -> list[str]:
    return sorted(r["title"] for r in rows)


def test_articles_carry_their_language(db):
    assert dict(db.execute("SELECT title, lang FROM articles").fetchall()) == {
        MOU.title: "ko", PROGRAMME.title: "ko", ENGLISH.title: "en"}


@pytest.mark.parametrize(("query", "expected"), [
    ("하이닉스", [MOU.title]),  # written "SK하이닉스와"
    ("SK하이닉스", [MOU.title]),
    ("엘타워", [MOU.title]),  # written "엘타워에서"
    ("삼성", [MOU.title]),  # two syllables, inside "삼성전자는"
    ("첨단패키징", [PROGRAMME.title, MOU.title]),  # one written "첨단 패키징"
    ("첨단 패키징", [PROGRAMME.title, MOU.title]),  # the other "첨단패키징"
    ("2744억", [PROGRAMME.title]),
    ("엘타워 2744억", []),  # every word required
    ("협", [MOU.title]),  # one syllable: any piece starting with it
    ("하이브", []),
])
def test_korean_words_are_found_whatever_follows_them(db, query, expected):
    assert titles(search_articles(db, query)) == sorted(expected)


def test_snippets_mark_the_word_found(db):
    [row] = search_articles(db, "첨단패키징 엘타워")
    assert "\x02엘타워\x03" in row["snippet"] or "\x02첨단 패키징\x03" in row["snippet"]


def test_english_search_is_unchanged(db):
    assert titles(search_articles(db, "Eltower")) == [ENGLISH.title]
    assert titles(search_articles(db, "MOU signed")) == [ENGLISH.title]


def test_latest_and_digests_take_korean_topics(db):
    assert titles(latest_articles(db, 5, "엘타워")) == [MOU.title]
    assert titles(new_articles(db, topics="엘타워 Eltower")) == sorted([MOU.title, ENGLISH.title])
    assert titles(new_articles(db, topics="하이브")) == []


def test_an_updated_article_is_found_by_its_new_words_only(db):
    changed = Article(title=MOU.title, body=MOU.body.replace("엘타워", "코엑스"), url=None, published=MOU.published)
    db.execute("UPDATE articles SET url = 'https://ko.example/1', canonical_url = 'https://ko.example/1' "
               "WHERE title = ?", [MOU.title])
    changed.url = "https://ko.example/1"
    [result] = store_articles(db, [changed])
    assert result.outcome == "updated"
    assert search_articles(db, "엘타워") == [] and titles(search_articles(db, "코엑스")) == [MOU.title]


def test_a_deleted_article_leaves_the_korean_index(db):
    db.execute("DELETE FROM articles WHERE title = ?", [PROGRAMME.title])
    assert db.execute("SELECT count(*) FROM articles_ko").fetchone()[0] == 1
    assert titles(search_articles(db, "2744억")) == []


def test_an_older_database_is_indexed_when_migrated(tmp_path):
    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(str(path)))
    migrations.apply(old, stop_before="m014_korean_search")  # the database as it was before
    old.execute("INSERT INTO entities(id, kind, name, key, created_at) VALUES (1, 'org', 'SK 하이닉스', 'sk 하이닉스', '2025')")
    old.execute("INSERT INTO articles(title, body, fetched, content_hash) VALUES (?,?,?,?)",
                [MOU.title, MOU.body, "2025-01-01", "h1"])
    old.execute("INSERT INTO aliases(entity_id, alias, key) VALUES (1, 'SK 하이닉스', 'sk 하이닉스')")
    old.conn.commit()
    old.close()
    db = open_db(path)
    assert db.execute("SELECT lang FROM articles").fetchone()[0] == "ko"
    assert titles(search_articles(db, "하이닉스")) == [MOU.title]
    assert db.execute("SELECT key FROM aliases").fetchone()[0] == "sk하이닉스"
    db.close()


def test_latin_words_glued_to_hangul_are_found_too(db):
    # "SK하이닉스와" is one word to the main index: the Korean index's matches come after its own
    assert titles(search_articles(db, "SK")) == sorted([MOU.title, ENGLISH.title])
    assert titles(search_articles(db, "the")) == []  # stopwords alone still find what they did
