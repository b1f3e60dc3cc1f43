"""Ranking the newest matches of a common word without bm25(): the same score from bounded reads,
the word's forms counted as the index reads them, and /find taking that way only past the
threshold."""

import pytest

from bench.corpus import generate
from ingest.article import Article
from storage import ranking
from storage.articles import search_articles, store_articles
from storage.db import open_db
from tests.conftest import SEEDS


@pytest.fixture
def db(tmp_path):
    """The four seed articles (real text: "invest", "investment", "Semiconductor",
    "semiconductors") and 60 articles of the bench corpus."""
    db = open_db(tmp_path / "r.db")
    seeds = [Article(title=p.stem, body=p.read_text(encoding="utf-8")) for p in sorted(SEEDS.iterdir())]
    synthetic = [Article(title=a.title, body=a.body, url=a.url, published=a.published)
                 for a in generate(60, seed=3, words=120)]
    store_articles(db, seeds + synthetic)
    yield db
    db.close()


def _bm25(db, match):
    return dict(db.execute("SELECT rowid, -bm25(articles_fts, 5.0, 1.0) FROM articles_fts WHERE articles_fts MATCH ?",
                           [match]).fetchall())


def _counts(db, words):
    return [db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [f'"{w}"']).fetchone()[0]
            for w in words]


@pytest.mark.parametrize("words", [["investment"], ["semiconductor"], ["packaging"], ["Semiconductor", "investment"],
                                   ["korea", "won", "billion"], ["invest"]])
def test_the_score_is_bm25s_when_the_counts_are_exact(db, words):
    match = " ".join(f'"{w}"' for w in words)
    expected = _bm25(db, match)
    assert len(expected) >= 3
    terms = [t for [t] in ranking.terms_of(words)]
    scores = ranking.scores(db, list(expected), terms, _counts(db, words))
    assert scores == pytest.approx(expected, rel=1e-9)
    assert ranking.rank(db, list(expected), terms, _counts(db, words)) == sorted(
        expected, key=lambda i: (-expected[i], -i))


def test_a_words_forms_are_the_ones_the_index_reads_as_it(tmp_path):
    db = open_db(tmp_path / "f.db")
    body = ("Investments rose. The investment fund invested more; investing pays. "
            "An investigation found investors reinvest. INVESTMENT!")
    [stored] = store_articles(db, [Article(title="Investment outlook", body=body)])
    store_articles(db, [Article(title="Other", body="No investment here, only one mention.")])
    [[term]] = ranking.terms_of(["investment"])
    assert term == "invest"
    # title once; body: Investments, investment, invested, investing, INVESTMENT (not
    # investigation, investors or reinvest, which the index holds as other words)
    said = ranking.times_said(db, [stored.article_id], [term])
    assert said == {stored.article_id: [(1, 5)]}
    db.close()


def test_a_word_of_several_terms_is_seen_as_such():
    assert ranking.terms_of(["SK_hynix", "chip", "3nm"]) == [["sk", "hynix"], ["chip"], ["3nm"]]


def test_the_tokenizer_is_the_index_s(db):
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()[0]
    assert f"tokenize='{ranking.TOKENIZE}'" in sql


def test_counts_are_exact_under_the_probe_and_estimated_past_it(db):
    exact = _counts(db, ["semiconductor", "investment", "neuromorphic"])
    assert ranking.word_counts(db, ['"semiconductor"', '"investment"', '"neuromorphic"']) == exact
    # past the probe, from the stretch of ids the newest matches span
    [estimated] = ranking.word_counts(db, ['"semiconductor"'], probe=10)
    assert exact[0] / 2 <= estimated <= exact[0] * 2


def _story(i: int, extra: str = "") -> Article:
    return Article(title=f"Market report {i}", body=f"Story {i} about exports and the semiconductor market. {extra}")


def test_find_ranks_the_newest_matches_of_a_common_word_itself(tmp_path):
    """The case of test_common_words_rank_the_newest_matches_and_title_hits_stay_on_top, past a
    threshold made small: the article about the word still ranks above the ones that say it
    once, and bm25() is not asked."""
    db = open_db(tmp_path / "c.db")
    [old] = store_articles(db, [Article(title="Semiconductor forum opens in Brussels", body="Researchers met.")])
    store_articles(db, [_story(i) for i in range(30)])
    [heavy] = store_articles(db, [Article(title="Market report heavy",
                                          body="Semiconductor semiconductors semiconductor exports. " * 3)])
    store_articles(db, [_story(i) for i in range(30, 35)])
    [title_hit] = store_articles(db, [Article(title="Semiconductor outlook", body="Chips sell.")])
    store_articles(db, [_story(i) for i in range(40, 44)])
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    rows = search_articles(db, "semiconductor", limit=5, window=12, common=10, own_window=12, title_reach=20)
    db.conn.set_trace_callback(None)
    ids = [r["id"] for r in rows]
    newest = {r[0] for r in db.execute("SELECT id FROM articles ORDER BY id DESC LIMIT 12")}
    # the title match among the newest first, then the article about the word
    assert ids[:2] == [title_hit.article_id, heavy.article_id]
    assert heavy.article_id in newest and set(ids) <= newest
    assert not any("bm25(articles_fts" in s for s in statements)
    for row in rows:
        assert "\x02" in row["snippet"] or "semiconductor" in row["title"].lower()
    # the old title match, past the reach of the newest 20 matches, is left out there; within
    # it, it follows the newer one
    assert old.article_id not in ids
    ids = [r["id"] for r in search_articles(db, "semiconductor", limit=5, window=12, common=10, own_window=12)]
    assert ids[:3] == [title_hit.article_id, old.article_id, heavy.article_id]
    # under the threshold, bm25() as before: every title match, newest first, then the same article
    ids = [r["id"] for r in search_articles(db, "semiconductor", limit=5, window=12, own_window=12)]
    assert ids[:3] == [title_hit.article_id, old.article_id, heavy.article_id]
    db.close()


def test_the_own_ranking_orders_the_newest_matches_as_bm25_does(db):
    """With every match in the window and the counts exact, the articles after the title
    matches come in bm25()'s order."""
    for words in ("investment", "korea billion", "semiconductor market"):
        ours = [r["id"] for r in search_articles(db, words, limit=10, window=10, common=0, own_window=1000)]
        theirs = [r["id"] for r in search_articles(db, words, limit=10)]
        titles = {r[0] for r in db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
                                           ["{title} : (" + " ".join(f'"{w}"' for w in words.split()) + ")"])}
        expected = _bm25(db, " ".join(f'"{w}"' for w in words.split()))
        # compared by score: bm25() leaves the order of equal scores open
        ours, theirs = [expected[i] for i in ours if i not in titles], [expected[i] for i in theirs if i not in titles]
        shared = min(len(ours), len(theirs))
        assert shared >= 3 and ours[:shared] == pytest.approx(theirs[:shared], rel=1e-9)


def test_a_word_of_several_terms_is_ranked_by_bm25(db):
    store_articles(db, [Article(title="SK_hynix note", body="SK_hynix and SK_hynix again.")])
    store_articles(db, [Article(title="Note", body="SK_hynix once.")])
    ranked_here = search_articles(db, "SK_hynix", window=1, common=0)
    assert [r["id"] for r in ranked_here] == [r["id"] for r in search_articles(db, "SK_hynix", window=1)]
    assert len(ranked_here) >= 2


@pytest.fixture
def mixed(tmp_path):
    """The four seeds and 300 bench articles ("signed", "MOU", "research" in every one; the
    synthetic words in a few), and articles that bm25() can only tell apart by the common word:
    the same rare word, the same length, "signed" once or twice."""
    db = open_db(tmp_path / "m.db")
    seeds = [Article(title=p.stem, body=p.read_text(encoding="utf-8")) for p in sorted(SEEDS.iterdir())]
    synthetic = [Article(title=a.title, body=a.body, url=a.url, published=a.published)
                 for a in generate(300, seed=3, words=120)]
    store_articles(db, seeds + synthetic)
    store_articles(db, [Article(title=f"Note {i}", body=text) for i, text in enumerate(
        ["Zorblat signed here today.", "Zorblat signed signed today.", "Zorblat signed here today.",
         "Zorblat was signed today.", "Signed: zorblat, signed today."])])
    yield db
    db.close()


def _pairs(db, count: int) -> list[str]:
    """Queries of one word in more than half of the articles and one in a few of them."""
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, articles_fts, row)")
    articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    common = [t for t, n in db.execute("SELECT term, doc FROM temp.vocab WHERE doc > ? ORDER BY term", [articles * 0.6])
              if t.isalpha() and t not in ("a", "and", "in", "of", "on", "the", "with", "an", "to")]
    rare = [t for t, n in db.execute("SELECT term, doc FROM temp.vocab WHERE doc BETWEEN 2 AND 40 ORDER BY term")
            if t.isalpha()]
    assert len(common) >= 5 and len(rare) >= 50
    return [f"{common[i % len(common)]} {rare[(i * 7) % len(rare)]}" for i in range(count)]


def test_a_common_word_with_a_rarer_one_comes_in_bm25s_order_without_counting_the_common_one(mixed):
    """Fewer matches than are all ranked: the order is FTS5's own bm25() order over every match,
    near ties (the same rare word, told apart by "signed" alone) and exact ties included; the
    only bm25() asked is over the rarer word."""
    queries = ["signed zorblat", "zorblat MOU signed", "signed partnership", *_pairs(mixed, 60)]
    statements: list[str] = []
    for query in queries:
        match = " ".join(f'"{w}"' for w in query.split())
        expected = [r[0] for r in mixed.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT 10",
            [match])]
        mixed.conn.set_trace_callback(statements.append)
        got = [r["id"] for r in search_articles(mixed, query)]
        mixed.conn.set_trace_callback(None)
        assert got == expected, query
    ranked = [s for s in statements if "bm25(articles_fts" in s]
    assert ranked and all("+rowid IN" in s for s in ranked)
    zorblat = [r["title"] for r in search_articles(mixed, "signed zorblat")]
    assert zorblat[0] == "Note 1"  # "signed" twice, the same length as Note 0 and Note 2


def test_past_the_matches_all_ranked_title_matches_come_first_then_the_newest_in_bm25s_order(mixed):
    query, match = "signed zorblat", '"signed" "zorblat"'
    [title_hit] = store_articles(mixed, [Article(title="Zorblat deal signed", body="Nothing else.")])
    store_articles(mixed, [Article(title="Later", body=f"Zorblat signed {'x ' * i}today.") for i in range(6)])
    got = [r["id"] for r in search_articles(mixed, query, title_first=8)]
    newest = [r[0] for r in mixed.execute(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT 8", [match])]
    expected = [r[0] for r in mixed.execute(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND rowid >= ? ORDER BY bm25(articles_fts, 5.0, 1.0)",
        [match, min(newest)]) if r[0] != title_hit.article_id]
    assert got == [title_hit.article_id, *expected[:9]]


def test_a_word_in_half_of_the_articles_is_told_only_when_sure(mixed, tmp_path):
    found = ranking.floor_words(mixed, ['"signed"', '"MOU"', '"partnership"', '"zorblat"'])
    assert [f for f, _ in found] == [True, True, False, False]
    assert found[2:] == [(False, 2), (False, 5)]
    # fewer matches than the probe: the count is exact, and a word in half of the articles is
    # at bm25()'s floor (FTS5 floors a weight of zero or less)
    small = open_db(tmp_path / "s.db")
    store_articles(small, [Article(title=f"T{i}", body=body) for i, body in enumerate(
        ["alpha beta", "alpha gamma", "delta beta", "delta epsilon"])])
    assert ranking.floor_words(small, ['"alpha"', '"epsilon"']) == [(True, 2), (False, 1)]
    small.close()
