"""WordPress REST API posts: one post, a list, invalid JSON, truncated payloads."""

import pytest

from ingest.parse import ParseError, parse_bytes
from tests.conftest import SEEDS


def test_seed_000_is_a_truncated_wordpress_post_recovered_with_a_partial_warning():
    result = parse_bytes((SEEDS / "000_e6b5f402e9bfc58c.txt").read_bytes())
    assert result.kind == "wordpress"
    [article] = result.articles
    assert article.title == "South Korea bets $205M on semiconductor packaging to maintain competitiveness"
    assert article.published.startswith("2024-09-11")
    assert article.url == (
        "https://koreapro.org/2024/09/south-korea-bets-205m-on-semiconductor-packaging-"
        "to-maintain-competitiveness/"
    )
    assert article.partial
    assert any("partial" in w for w in result.warnings)
    # the text that is there is kept, markup and JSON escapes gone
    assert article.body.startswith("South Korea’s trade ministry announced a $205 million (274.4 billion won)")
    assert "RELIANCE ON FOREIGN SUPPLIERS" in article.body
    assert "<" not in article.body and "\\u" not in article.body


def test_valid_post_gives_title_date_link_and_clean_body(fixture_bytes):
    result = parse_bytes(fixture_bytes("wp_post.json"))
    assert result.kind == "wordpress" and result.warnings == []
    [article] = result.articles
    assert article.title == "SK hynix ships HBM4 samples – a first for the industry"
    assert article.published == "2024-11-04T10:30:00"
    assert article.url == "https://chipnews.example.com/2024/11/sk-hynix-hbm4-samples/"
    assert article.body == (
        "SK hynix said on Monday it had shipped the first HBM4 samples to customers.\n\n"
        "The company plans mass production next year at its Cheongju plant."
    )
    assert "track(" not in article.body  # scripts dropped
    assert not article.partial


def test_list_of_posts_gives_one_article_per_post_with_content(fixture_bytes):
    result = parse_bytes(fixture_bytes("wp_posts_list.json"))
    assert [a.title for a in result.articles] == ["MOTIE sets up packaging fund", "Protec wins laser reflow order"]
    assert [a.published for a in result.articles] == ["2025-01-15T08:00:00", "2025-01-16T09:30:00"]
    assert result.articles[1].url == "https://chipnews.example.com/2025/01/protec-order/"


def test_raw_control_characters_in_strings_are_read_not_refused(fixture_bytes):
    [article] = parse_bytes(fixture_bytes("wp_invalid_control_chars.json")).articles
    assert article.title == "Raw newline in a title"
    assert "Second line after a raw newline" in article.body
    assert article.published == "2024-05-02T11:00:00"


def test_truncated_json_with_no_content_is_a_clear_error(fixture_bytes):
    with pytest.raises(ParseError, match="cut off before any content"):
        parse_bytes(fixture_bytes("wp_truncated_no_content.json"))


def test_json_that_is_not_a_post_is_a_clear_error():
    with pytest.raises(ParseError, match="no WordPress post"):
        parse_bytes(b'{"name": "a config file", "values": [1, 2, 3]}')
    with pytest.raises(ParseError, match="no WordPress post fields"):
        parse_bytes(b'{"name": "cut off config", "values": [1, 2')


def test_truncated_inside_an_escape_keeps_the_text_before_it():
    data = (
        b'{"date":"2024-01-02T03:04:05","title":{"rendered":"Cut mid escape"},'
        b'"content":{"rendered":"<p>Samsung Electronics signed the MOU in Seoul.<\\/p>\\n<p>Then \\u00'
    )
    [article] = parse_bytes(data).articles
    assert article.title == "Cut mid escape"
    assert article.body.startswith("Samsung Electronics signed the MOU in Seoul.")
    assert article.partial and article.published == "2024-01-02T03:04:05"


def test_deeply_nested_json_is_a_clear_error_not_a_crash():
    with pytest.raises(ParseError, match="nested too deeply"):
        parse_bytes(b"[" * 100_000)
