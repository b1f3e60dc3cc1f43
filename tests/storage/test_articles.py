"""Storing articles: deduplicated by normalised URL and content hash, updates, FTS in step."""

import pytest

from ingest.article import Article
from storage.articles import (
    count_articles,
    fts_query,
    latest_articles,
    search_articles,
    store_articles,
)
from storage.db import open_db

BODY = (
    "Samsung Electronics and SK hynix signed a memorandum of understanding with MOTIE on "
    "advanced packaging at Eltower in Seoul on Aug. 29."
)


@pytest.fixture
def db(tmp_path):
    db = open_db(tmp_path / "b.db")
    yield db
    db.close()


def _one(db, **fields):
    fields.setdefault("title", "Packaging MOU signed")
    fields.setdefault("body", BODY)
    [result] = store_articles(db, [Article(**fields)])
    return result


def test_new_article_is_stored_and_logged(db):
    r = _one(db, url="https://news.example.org/a?utm_source=x", published="2024-08-29")
    assert r.outcome == "new" and r.article_id
    row = db.execute("SELECT url, canonical_url, title, published FROM articles").fetchone()
    assert row == ("https://news.example.org/a?utm_source=x", "https://news.example.org/a", "Packaging MOU signed", "2024-08-29")
    assert db.execute("SELECT input, outcome, article_id FROM ingest_log").fetchall() == [
        ("https://news.example.org/a?utm_source=x", "new", r.article_id)
    ]


@pytest.mark.parametrize(
    "again",
    [
        "http://news.example.org/a",
        "https://news.example.org/a/",
        "https://www.news.example.org/a?fbclid=abc&utm_medium=social",
    ],
)
def test_same_url_in_another_form_with_same_text_is_a_duplicate(db, again):
    first = _one(db, url="https://news.example.org/a")
    second = _one(db, url=again)
    assert (second.outcome, second.article_id) == ("duplicate", first.article_id)
    assert count_articles(db) == 1


def test_same_text_from_another_path_is_a_duplicate(db):
    first = _one(db, path="/data/inbox/a.txt")
    # same words, other white space and case: one article
    second = _one(db, path="/data/archive/copy-of-a.txt", body="  " + BODY.upper().replace(" ", "\n", 3))
    assert (second.outcome, second.article_id) == ("duplicate", first.article_id)
    assert count_articles(db) == 1


def test_same_text_at_another_url_is_a_duplicate(db):
    first = _one(db, url="https://news.example.org/a")
    second = _one(db, url="https://mirror.example.net/copied-story")
    assert (second.outcome, second.article_id) == ("duplicate", first.article_id)


def test_known_url_with_changed_text_updates_the_article(db):
    first = _one(db, url="https://news.example.org/a", published="2024-08-29")
    corrected = BODY + " Eleven organisations took part."
    second = _one(db, url="http://news.example.org/a/?utm_source=rss", title="Packaging MOU signed (corrected)", body=corrected)
    assert (second.outcome, second.article_id) == ("updated", first.article_id)
    assert count_articles(db) == 1
    row = db.execute("SELECT title, body, published FROM articles").fetchone()
    assert row == ("Packaging MOU signed (corrected)", corrected, "2024-08-29")


def test_a_file_copy_gains_the_url_when_the_same_text_arrives_by_url(db):
    first = _one(db, path="/data/a.txt")
    second = _one(db, url="https://news.example.org/a")
    assert second.outcome == "duplicate" and second.article_id == first.article_id
    assert db.execute("SELECT canonical_url FROM articles").fetchone()[0] == "https://news.example.org/a"


def test_url_already_taken_by_another_article_does_not_break_the_batch(db):
    _one(db, url="https://news.example.org/a", title="Packaging subsidies",
         body="First story about chip packaging subsidies in Korea.")
    file_copy = _one(db, path="/data/b.txt", title="HBM exports", body="Second story about HBM exports to the United States.")
    # the second story arrives under the first story's URL, in a batch with a new article
    results = store_articles(db, [
        Article(title="HBM exports", body="Second story about HBM exports to the United States.", url="https://news.example.org/a/"),
        Article(title="c", body="Third story about battery plants in Hungary and Poland."),
    ])
    assert [r.outcome for r in results] == ["duplicate", "new"]
    assert results[0].article_id == file_copy.article_id
    assert count_articles(db) == 3


def test_batch_is_one_transaction_with_duplicates_inside_it(db):
    arts = [Article(title=f"t{i}", body=f"{BODY} Story number {i}.") for i in range(5)]
    results = store_articles(db, arts + [Article(title="T0", body=arts[0].body)])
    assert [r.outcome for r in results] == ["new"] * 5 + ["duplicate"]
    assert count_articles(db) == 5


def _fts(db, words):
    return [r["id"] for r in search_articles(db, words)]


def test_fts_follows_inserts_updates_and_deletes(db):
    a = _one(db, url="https://news.example.org/a").article_id
    assert _fts(db, "Eltower") == [a]
    db.execute("UPDATE articles SET body = ? WHERE id = ?", ["Hana Micron opened a test line in Cheonan.", a])
    assert _fts(db, "Eltower") == []
    assert _fts(db, "Cheonan") == [a]
    db.execute("UPDATE articles SET title = ? WHERE id = ?", ["Neuromorphic forum", a])
    assert _fts(db, "neuromorphic") == [a]
    assert _fts(db, "packaging MOU") == []
    db.execute("DELETE FROM articles WHERE id = ?", [a])
    assert _fts(db, "Cheonan") == [] and _fts(db, "neuromorphic") == []
    db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


def test_update_through_store_is_searchable_by_the_new_words_only(db):
    a = _one(db, url="https://news.example.org/a").article_id
    _one(db, url="https://news.example.org/a", body="Protec shipped laser reflow tools to Vietnam.")
    assert _fts(db, "Eltower") == []
    assert _fts(db, "laser reflow") == [a]


def test_search_porter_stems_and_weights_titles(db):
    in_body = _one(db, title="Other news", body="The ministry said packages would follow. " * 3).article_id
    in_title = _one(db, title="Packaging policy", body="The ministry announced a plan for exports.").article_id
    assert _fts(db, "package") == [in_title, in_body]


@pytest.mark.parametrize(
    "text",
    ['"', "-", "NOT", "*", "(", ")", "chip*", '"unterminated', "NOT chips", "- packaging", "a AND OR",
     "NEAR(a b)", "title:chips", "^start", "{col}", "Eltower'", "\\", "；", "🙂", "x" * 5000],
)
def test_search_with_query_syntax_characters_never_raises(db, text):
    _one(db, url="https://news.example.org/a")
    rows = search_articles(db, text)
    assert isinstance(rows, list)
    assert latest_articles(db, 5, text) is not None


def test_fts_query_quotes_every_word():
    assert fts_query('chip* NOT "MOU" (x)') == '"chip" "NOT" "MOU" "x"'
    assert fts_query("-*()") is None


def _story(i: int, extra: str = "") -> Article:
    return Article(title=f"Market report {i}", body=f"Story {i} about exports and the semiconductor market. {extra}")


def test_common_words_rank_the_newest_matches_and_title_hits_stay_on_top(db):
    old_title_hit = _one(db, title="Semiconductor forum opens in Brussels", body="Researchers met in Brussels.").article_id
    store_articles(db, [_story(i) for i in range(30)])
    heavy = _one(db, title="Market report heavy", body="Semiconductor semiconductor semiconductor exports. " * 3).article_id
    store_articles(db, [_story(i) for i in range(30, 40)])
    window = {r[0] for r in db.execute("SELECT id FROM articles ORDER BY id DESC LIMIT 12")}

    rows = search_articles(db, "semiconductor", limit=5, window=12)
    ids = [r["id"] for r in rows]
    # the old article with the word in its title is still found, first
    assert ids[0] == old_title_hit
    # then bm25 over the newest matches: the article that is about it most comes next
    assert ids[1] == heavy
    assert heavy in window and set(ids[2:]) <= window
    for row in rows:
        assert "semiconductor" in (row["title"] + row["snippet"]).lower()
        assert "\x02" in row["snippet"] or row["id"] == old_title_hit


def test_few_matches_are_ranked_in_full(db):
    store_articles(db, [_story(i, "Hana Micron opened a line." * (i % 4)) for i in range(20)])
    full = [r["id"] for r in search_articles(db, "Hana Micron", window=1000)]
    assert len(full) == 10
    assert [r["id"] for r in search_articles(db, "Hana Micron")] == full
    counts = [db.execute("SELECT body FROM articles WHERE id = ?", [i]).fetchone()[0].count("Hana") for i in full]
    assert counts == sorted(counts, reverse=True)


def test_past_title_first_matches_the_newest_title_matches_lead_and_bm25_is_not_asked(db):
    # bm25() over every match costs about 1.5 µs a match: past title_first matches, the
    # articles with the words in the title come first, newest first, as past the window
    old_titles = [_one(db, title=f"Hana Micron plant {i}", body="Hana Micron Hana Micron opened a line.").article_id
                  for i in range(3)]
    store_articles(db, [_story(i, "Hana Micron opened a line.") for i in range(8)])
    new_titles = [_one(db, title=f"Hana Micron line {i}", body="The line opened.").article_id for i in range(2)]
    ranked = [r["id"] for r in search_articles(db, "Hana Micron", limit=4, title_first=100)]
    assert set(ranked[:3]) == set(old_titles)  # bm25 over all: the words said most often lead
    newest = [r["id"] for r in search_articles(db, "Hana Micron", limit=4, title_first=5)]
    assert newest == [*reversed(new_titles), *reversed(old_titles[1:])]
    assert newest == [r["id"] for r in search_articles(db, "Hana Micron", limit=4, window=5)]


def _plain_search(db, words: str, limit: int = 10) -> list[tuple[int, str]]:
    """(id, snippet) of FTS5's own answer: every match ranked by bm25(), best first."""
    from storage.articles import HL_END, HL_START, search_match

    return [(r[0], r[1]) for r in db.execute(
        f"SELECT rowid, snippet(articles_fts, 1, '{HL_START}', '{HL_END}', '…', 24) FROM articles_fts "
        "WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT ?", [search_match(words), limit])]


def test_a_common_word_with_a_rare_one_answers_as_fts5_does(db):
    # one match is not ranked (bm25() would count every article holding the common word first)
    store_articles(db, [_story(i, "The deal was signed." * (1 + i % 3)) for i in range(40)])
    _one(db, title="Deal signed at Eltower", body="The MOU was signed at Eltower in Seoul.")
    store_articles(db, [_story(i, "Signed in Cheonan. Cheonan signed." if i % 9 == 0 else "signed")
                        for i in range(40, 80)])
    for words in ("signed Eltower", "Eltower signed", "signed Cheonan", "signed Brussels", "signed"):
        expected = _plain_search(db, words)
        found = [(r["id"], r["snippet"]) for r in search_articles(db, words, limit=10, title_first=200)]
        assert found == expected, words
    assert len(_plain_search(db, "signed Eltower")) == 1 and len(_plain_search(db, "signed Cheonan")) > 1


def test_stopwords_are_not_required_but_a_query_of_only_stopwords_still_searches(db):
    ministry = _one(db, title="Science ministry plan", body="The Ministry of Science and ICT announced a plan.").article_id
    terse = _one(db, title="Budget", body="Ministry: Science budget up; ICT flat.").article_id
    assert set(_fts(db, "Ministry of Science and ICT")) == {ministry, terse}
    assert _fts(db, "the") == [ministry]
    assert _fts(db, "of the and") == [ministry]
    assert _fts(db, "IT") == []  # "it" is a topic word here, not dropped


# ----------------------------------------------------------------------------- identity


def test_same_text_under_another_title_is_another_article(db):
    first = _one(db, title="Samsung opens HBM line", body="Read the full story on our website.")
    second = _one(db, title="SK hynix signs MOU", body="Read the full story on our website.")
    assert second.outcome == "new" and second.article_id != first.article_id


def test_a_title_made_from_the_text_names_nothing_new(db):
    # a copy saved as plain text has no title line: its title is the lead, not another story
    first = _one(db, title="Packaging MOU signed", path="/data/a.html")
    copy = store_articles(db, [Article(title="Samsung Electronics and SK hynix signed a memorandum of understanding",
                                       body=BODY, path="/data/a.txt", title_derived=True)])[0]
    assert (copy.outcome, copy.article_id) == ("duplicate", first.article_id)


def test_one_link_two_guids_two_texts_are_two_items(db):
    link = "https://market.example.com/daily"
    a = store_articles(db, [Article(title="Daily chip market report", body="DRAM prices rose 2%.", url=link,
                                    guid="d-1")], source_id=None)[0]
    b = store_articles(db, [Article(title="Daily chip market report", body="NAND prices fell 1%.", url=link,
                                    guid="d-2")])[0]
    assert (a.outcome, b.outcome) == ("new", "new")
    assert count_articles(db) == 2


def test_the_same_guid_from_the_same_feed_updates_its_item(db):
    db.execute("INSERT INTO sources(id, kind, url, created_at) VALUES (1, 'rss', 'https://w.example/rss', 'x')")
    first = store_articles(db, [Article(title="Fab fire in Hwaseong", body="A fire broke out.", guid="g-7",
                                        url="https://w.example/7")], source_id=1)[0]
    fixed = store_articles(db, [Article(title="Fab fire in Hwaseong contained", body="A fire broke out; it is out.",
                                        guid="g-7", url="https://w.example/7-updated")], source_id=1)[0]
    assert (fixed.outcome, fixed.article_id) == ("updated", first.article_id)
    assert db.execute("SELECT title, body FROM articles").fetchall() == [
        ("Fab fire in Hwaseong contained", "A fire broke out; it is out.")]


def test_a_partial_copy_never_replaces_the_whole_text(db):
    whole = _one(db, url="https://news.example.org/a")
    cut = store_articles(db, [Article(title="Packaging MOU signed", body=BODY[:60], url="https://news.example.org/a",
                                      partial=True)])[0]
    assert (cut.outcome, cut.article_id) == ("duplicate", whole.article_id)
    assert "partial copy" in cut.warnings[-1]
    assert db.execute("SELECT body, partial FROM articles").fetchall() == [(BODY, 0)]


def test_an_older_copy_is_kept_out_and_said_so(db):
    newer = _one(db, url="https://news.example.org/a", published="2024-08-30T09:00:00+09:00")
    older = _one(db, url="https://news.example.org/a", body="Draft: " + BODY, published="2024-08-29T23:00:00+00:00")
    # 23:00 UTC on the 29th is 08:00 on the 30th in Seoul: older, though its date reads later
    assert (older.outcome, older.article_id) == ("duplicate", newer.article_id)
    assert "older copy" in older.warnings[-1]
    assert db.execute("SELECT body FROM articles").fetchall() == [(BODY,)]
