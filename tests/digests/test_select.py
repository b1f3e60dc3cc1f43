"""Selection: new since the cursor, not baseline, on the subscription's topics."""

import pytest

from digests.select import parse_since, select_new
from storage.digests import topic_match
from tests.digests.helpers import add_article, seed_ids


def test_without_a_cursor_everything_stored_is_new(seeded):
    sel = select_new(seeded.db, after_id=None)
    assert len(sel.articles) == 4 and sel.from_id == 0 and sel.to_id == max(seed_ids(seeded).values())


def test_after_the_cursor_only_later_articles_are_new(seeded):
    cursor = max(seed_ids(seeded).values())
    new = add_article(seeded, "Hana Micron expands packaging line", "Hana Micron will expand its packaging line in Asan.")
    sel = select_new(seeded.db, after_id=cursor)
    assert [a["id"] for a in sel.articles] == [new] and sel.to_id == new


def test_a_new_sources_first_poll_is_a_baseline_not_news(seeded):
    cursor = max(seed_ids(seeded).values())
    add_article(seeded, "Old archive story on packaging", "An old archive story about packaging.", baseline=True)
    news = add_article(seeded, "Fresh packaging story", "A fresh story about packaging lines in Asan.")
    sel = select_new(seeded.db, after_id=cursor)
    assert [a["id"] for a in sel.articles] == [news]
    assert sel.to_id == news  # the cursor still moves past the baseline article


def test_topic_words_match_any_word_or_quoted_phrase(seeded):
    ids = seed_ids(seeded)
    got = lambda topics: {a["id"] for a in select_new(seeded.db, after_id=None, topics=topics).articles}  # noqa: E731
    assert got("neuromorphic") == {ids["002"]}
    assert got("neuromorphic DeepSeek") == {ids["002"], ids["003"]}
    assert got('"advanced packaging"') == {ids["000"], ids["001"]}
    assert got("zeppelins") == set()


@pytest.mark.parametrize("topics", ['"', "NOT (", "a* OR", "-x", "packaging)"])
def test_topic_text_is_never_fts_syntax(seeded, topics):
    select_new(seeded.db, after_id=None, topics=topics)  # no sqlite3.OperationalError
    assert topic_match(topics) is None or '"' in topic_match(topics)


def test_since_selects_by_the_time_stored(seeded):
    assert len(select_new(seeded.db, after_id=None, since=parse_since("2000-01-01")).articles) == 4
    assert select_new(seeded.db, after_id=None, since=parse_since("2999-01-01T00:00+09:00")).articles == []


def test_a_bad_since_says_what_it_wants():
    with pytest.raises(ValueError, match="ISO date"):
        parse_since("yesterday")
