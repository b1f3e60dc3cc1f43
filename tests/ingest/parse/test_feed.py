"""RSS, Atom and JSON Feed files; malformed and hostile XML."""

import pytest

from ingest.parse import ParseError, parse_bytes


def test_rss_items_become_articles_with_full_content_dates_and_links(fixture_bytes):
    result = parse_bytes(fixture_bytes("feed_rss.xml"))
    assert result.kind == "feed" and result.warnings == []
    first, second = result.articles
    assert first.title == "Samsung Electronics and MOTIE sign packaging MOU"
    # content:encoded wins over the short description
    assert first.body == (
        "Samsung Electronics and the Ministry of Trade, Industry and Energy signed a memorandum "
        "of understanding on advanced packaging.\n\nThe agreement was signed at Eltower in Seoul."
    )
    assert first.published == "2024-08-29T05:00:00+00:00"
    assert first.url.startswith("https://chipnews.example.com/2024/08/samsung-motie-mou")
    assert first.guid == "chipnews-4411"
    assert second.body == "The joint forum selected four research projects on neuromorphic chips."
    assert second.published == "2024-07-01T09:00:00+00:00"


def test_atom_entry_becomes_an_article(fixture_bytes):
    result = parse_bytes(fixture_bytes("feed_atom.xml"))
    assert result.kind == "feed"
    [article] = result.articles
    assert article.title == "LG Chem & Hana Micron agree on substrate research"
    assert article.body == "LG Chem and Hana Micron agreed to research glass substrates for chip packages."
    assert article.url == "https://wire.example.org/2025/02/lg-chem-hana-micron"
    assert article.published == "2025-02-03T05:30:00+00:00"


def test_json_feed_items_become_articles(fixture_bytes):
    result = parse_bytes(fixture_bytes("feed.json"))
    assert result.kind == "jsonfeed"
    first, second = result.articles  # the empty third item is skipped
    assert first.title == "Sapeon Korea raises funding"
    assert first.body == "Sapeon Korea raised new funding for its AI inference chips."
    assert first.published == "2024-12-01T07:00:00+09:00"
    assert second.url == "https://jsonwire.example.net/symtec"
    assert second.body.startswith("Symtec expands its probe card plant")


def test_billion_laughs_feed_is_refused_quickly(fixture_bytes):
    with pytest.raises(ParseError, match="entit"):
        parse_bytes(fixture_bytes("billion_laughs.xml"))


def test_entity_declarations_hidden_after_padding_are_refused_too(fixture_bytes):
    data = fixture_bytes("billion_laughs.xml")
    head, _, rest = data.partition(b"?>")
    padded = head + b"?>\n<!--" + b" padding" * 20_000 + b" -->" + rest
    assert padded.index(b"<!ENTITY") > 65536
    with pytest.raises(ParseError, match="entit"):
        parse_bytes(padded)


def test_malformed_feed_is_read_leniently_with_a_warning(fixture_bytes):
    result = parse_bytes(fixture_bytes("malformed_feed.xml"))
    [article] = result.articles
    assert article.title == "Hyundai Motor & LG Energy Solution expand battery venture"
    assert article.body == "The partners will add a second cell plant in Indonesia."
    assert any(w.startswith("malformed feed") for w in result.warnings)


def test_malformed_feed_with_nothing_in_it_is_a_clear_error(fixture_bytes):
    with pytest.raises(ParseError, match="feed"):
        parse_bytes(fixture_bytes("malformed_empty.xml"))


def test_invalid_json_feed_is_a_clear_error():
    with pytest.raises(ParseError, match="invalid JSON Feed"):
        parse_bytes(b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": ')


def test_deeply_nested_json_feed_is_a_clear_error():
    with pytest.raises(ParseError, match="nested too deeply"):
        parse_bytes(b'{"version": "https://jsonfeed.org/version/1.1", "items": ' + b"[" * 100_000)
