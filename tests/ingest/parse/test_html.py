"""HTML article pages through trafilatura: main text only, metadata from the page."""

import pytest

from ingest.parse import ParseError, parse_bytes


def test_article_page_gives_text_without_comments_navigation_or_footer(fixture_bytes):
    result = parse_bytes(fixture_bytes("article_with_comments.html"))
    assert result.kind == "html"
    [article] = result.articles
    assert "Hana Micron, a South Korean outsourced semiconductor assembly and test company" in article.body
    assert "120 billion won" in article.body
    # the comment section is not article text
    for comment in ("Zebracorn", "Quuxflange", "chipfan99", "wafer_watcher"):
        assert comment not in article.body
    assert "All rights reserved" not in article.body
    # the <h1> is the title, not the first paragraph again
    assert not article.body.startswith(article.title)


def test_title_canonical_url_and_date_come_from_the_page_metadata(fixture_bytes):
    [article] = parse_bytes(
        fixture_bytes("article_with_comments.html"),
        url="https://chipnews.example.com/2024/10/hana-micron-test-line?utm_source=newsletter",
    ).articles
    assert article.title == "Hana Micron opens advanced packaging test line in Cheonan"
    assert article.url == "https://chipnews.example.com/2024/10/hana-micron-test-line"
    assert article.published == "2024-10-02T09:15:00+09:00"


def test_page_with_no_article_text_is_a_clear_error():
    page = b"<!DOCTYPE html><html><head><title>Login</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    with pytest.raises(ParseError, match="no article text"):
        parse_bytes(page)


def test_page_in_a_declared_legacy_encoding_is_decoded():
    page = (
        '<html><head><meta charset="euc-kr"><title>패키징 협약</title></head><body><article>'
        "<p>산업통상자원부는 서울에서 반도체 첨단 패키징 기술 개발을 위한 업무협약을 체결했다고 밝혔다. "
        "정부는 패키징 생태계를 키우기 위해 투자할 계획이다.</p></article></body></html>"
    ).encode("cp949")
    [article] = parse_bytes(page).articles
    assert "업무협약을 체결했다" in article.body
