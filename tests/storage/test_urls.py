"""URL normalisation: two links to one article give one string."""

import pytest

from storage.urls import normalize_url

CANONICAL = "https://news.example.org/2024/08/packaging-mou"


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example.org/2024/08/packaging-mou",
        "http://news.example.org/2024/08/packaging-mou",
        "https://news.example.org/2024/08/packaging-mou/",
        "https://www.news.example.org/2024/08/packaging-mou",
        "HTTPS://News.Example.ORG/2024/08/packaging-mou",
        "https://news.example.org:443/2024/08/packaging-mou",
        "https://news.example.org/2024/08/packaging-mou#comments",
        "https://news.example.org/2024/08/packaging-mou?utm_source=rss&utm_medium=feed&utm_campaign=x",
        "https://news.example.org/2024/08/packaging-mou/?fbclid=IwAR0abc&gclid=xyz",
        "  http://news.example.org/2024/08/packaging-mou/?utm_content=a&mc_cid=1&ref=twitter  ",
    ],
)
def test_tracking_scheme_host_and_slash_variants_are_one_url(url):
    assert normalize_url(url) == CANONICAL


def test_meaningful_query_parameters_are_kept_and_sorted():
    assert normalize_url("https://example.com/view?id=42&page=2&utm_source=x") == "https://example.com/view?id=42&page=2"
    assert normalize_url("https://example.com/view?page=2&id=42") == "https://example.com/view?id=42&page=2"
    assert normalize_url("https://example.com/view?id=43") != normalize_url("https://example.com/view?id=42")


@pytest.mark.parametrize("url", [None, "", "mailto:desk@example.com", "javascript:alert(1)", "https://", "http://[::1"])
def test_not_an_article_url_gives_none(url):
    assert normalize_url(url) is None


def test_file_urls_are_kept_as_they_are():
    assert normalize_url("file:///srv/news/a.txt") == "file:///srv/news/a.txt"
