"""Telling what a URL is (feed, WordPress site, page linking a feed, article) and harvesting it."""

from __future__ import annotations

import json

import pytest

from ingest.fetch import Fetcher
from ingest.parse import ParseError
from ingest.sources import SourceError, detect_source, harvest
from tests.fakes.feed_server import (
    FeedServer,
    Response,
    article_page,
    atom,
    items,
    rss,
    wordpress_api,
    wp_post,
)

PARAGRAPHS = [
    "The Ministry of Trade, Industry and Energy signed a memorandum of understanding on advanced "
    "packaging with eleven companies and institutions in Seoul on Thursday.",
    "The agreement covers joint research on chiplets, high-bandwidth memory stacking and test "
    "equipment, and a shared pilot line that the partners expect to open next year.",
    "Officials said the programme would be funded with 274.4 billion won over five years.",
]


@pytest.fixture
def server():
    with FeedServer() as srv:
        yield srv


@pytest.fixture
def fetcher():
    with Fetcher(allow=["127.0.0.1"], read_timeout=0.5) as f:
        yield f


def test_rss_is_detected_with_its_title_and_items(server, fetcher):
    server.add("/feed.xml", rss(items(4), title="Chip News"))
    d = detect_source(fetcher, server.url("/feed.xml"))
    assert (d.kind, d.title, d.url) == ("rss", "Chip News", server.url("/feed.xml"))
    assert [a.title for a in d.articles] == [f"Story {i} on packaging" for i in range(1, 5)]


def test_atom_is_detected(server, fetcher):
    server.add("/atom.xml", atom(items(2), title="Atom News"), content_type="application/atom+xml")
    d = detect_source(fetcher, server.url("/atom.xml"))
    assert (d.kind, d.title, len(d.articles)) == ("atom", "Atom News", 2)


def test_json_feed_is_detected(server, fetcher):
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": "JSON News",
           "items": [{"id": "1", "url": "https://j.example/1", "title": "One", "content_text": "First item text."}]}
    server.add("/feed.json", json.dumps(doc), content_type="application/feed+json")
    d = detect_source(fetcher, server.url("/feed.json"))
    assert (d.kind, d.title, [a.url for a in d.articles]) == ("jsonfeed", "JSON News", ["https://j.example/1"])


def test_a_page_that_links_its_feed_is_followed_to_the_feed(server, fetcher):
    head = '<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss">'
    server.add("/", article_page("Chip News home", PARAGRAPHS, head=head, og_type="website"), content_type="text/html")
    server.add("/rss", rss(items(3), title="Chip News"))
    d = detect_source(fetcher, server.url("/"))
    assert (d.kind, d.url, d.found_on) == ("rss", server.url("/rss"), server.url("/"))
    assert len(d.articles) == 3


def test_a_site_page_advertising_wp_json_becomes_a_wordpress_source(server, fetcher):
    head = (f'<link rel="https://api.w.org/" href="{server.url("/wp-json/")}">'
            '<link rel="alternate" type="application/rss+xml" href="/feed/">')
    server.add("/", article_page("A WordPress blog", PARAGRAPHS, head=head, og_type="website"), content_type="text/html")
    wordpress_api(server, "/wp-json/wp/v2/posts", [wp_post(i, modified=f"2025-09-0{i}T10:00:00") for i in range(1, 4)])
    d = detect_source(fetcher, server.url("/"))
    assert (d.kind, d.url, d.title) == ("wordpress", server.url("/wp-json/wp/v2/posts"), "A WordPress blog")
    assert sorted(a.title for a in d.articles) == ["WordPress post 1", "WordPress post 2", "WordPress post 3"]
    assert server.requests_for("/feed/") == []  # the REST API wins: it has the full text


def test_a_wp_json_posts_url_is_taken_as_is(server, fetcher):
    wordpress_api(server, "/wp-json/wp/v2/posts", [wp_post(1, modified="2025-09-01T10:00:00")])
    d = detect_source(fetcher, server.url("/wp-json/wp/v2/posts?per_page=5"))
    assert (d.kind, d.url) == ("wordpress", server.url("/wp-json/wp/v2/posts"))


def test_an_article_page_is_a_single_article_source_even_if_it_links_a_feed(server, fetcher):
    head = '<link rel="alternate" type="application/rss+xml" href="/rss">'
    server.add("/news/1.html", article_page("Packaging MOU signed", PARAGRAPHS, head=head), content_type="text/html")
    d = detect_source(fetcher, server.url("/news/1.html"))
    assert d.kind == "html" and len(d.articles) == 1
    assert d.articles[0].title == "Packaging MOU signed" and "eleven companies" in d.articles[0].body


def test_an_euc_kr_article_page_reads_as_korean(server, fetcher):
    paras = ["산업통상자원부는 29일 서울 엘타워에서 첨단 패키징 협약을 체결했다고 밝혔다. 삼성전자와 SK하이닉스가 참여했다.",
             "정부는 앞으로 5년간 2744억원을 투자해 반도체 패키징 산업을 육성할 계획이다.",
             "협약에는 한국반도체산업협회와 한국산업기술평가관리원도 함께했다."]
    server.add("/kr.html", article_page("첨단 패키징 협약 체결", paras, charset="euc-kr"), content_type="text/html")
    d = detect_source(fetcher, server.url("/kr.html"))
    assert d.kind == "html"
    assert d.articles[0].title == "첨단 패키징 협약 체결"
    assert "엘타워" in d.articles[0].body


def test_an_euc_kr_feed_reads_as_korean(server, fetcher):
    feed = rss([{"title": "반도체 협약", "link": "https://kr.example/1", "body": "산업부가 협약을 맺었다."}], encoding="euc-kr")
    server.add("/kr.xml", feed, content_type="application/rss+xml; charset=euc-kr")
    d = detect_source(fetcher, server.url("/kr.xml"))
    assert (d.articles[0].title, d.articles[0].body) == ("반도체 협약", "산업부가 협약을 맺었다.")


def test_slightly_malformed_xml_is_read_leniently_with_a_warning(server, fetcher):
    broken = rss(items(2)).replace(b"</channel></rss>", b"<item><title>Unclosed & bad</title></channel>")
    server.add("/broken.xml", broken)
    d = detect_source(fetcher, server.url("/broken.xml"))
    assert len(d.articles) >= 2
    assert any("malformed feed" in w for w in d.warnings)


def test_xml_with_no_items_at_all_is_an_error(server, fetcher):
    server.add("/garbage.xml", b'<?xml version="1.0"?><rss><channel><title>x</tit')
    with pytest.raises((ParseError, SourceError)):
        detect_source(fetcher, server.url("/garbage.xml"))


def test_plain_text_is_not_a_source(server, fetcher):
    server.add("/notes.txt", "just some words\nand more words", content_type="text/plain")
    with pytest.raises(SourceError, match="plain text, not a feed, a WordPress site or an HTML page"):
        detect_source(fetcher, server.url("/notes.txt"))


def test_a_feed_url_that_starts_serving_html_is_an_error_not_an_article(server, fetcher):
    server.add("/feed.xml", article_page("Parked domain", PARAGRAPHS), content_type="text/html")
    with pytest.raises(SourceError, match="expected a feed but got an HTML page"):
        harvest(fetcher, "rss", server.url("/feed.xml"))


def test_harvest_sends_a_conditional_request_and_reads_the_ttl(server, fetcher):
    server.add("/feed.xml", rss(items(2), ttl=90), etag='"abc"', headers={"Cache-Control": "max-age=600"})
    first = harvest(fetcher, "rss", server.url("/feed.xml"))
    assert len(first.articles) == 2 and first.etag == '"abc"' and first.floor == 90 * 60
    second = harvest(fetcher, "rss", server.url("/feed.xml"), etag=first.etag)
    assert second.not_modified and second.articles == [] and second.floor == 600


def test_an_empty_feed_is_no_error(server, fetcher):
    server.add("/empty.xml", rss([]))
    assert harvest(fetcher, "rss", server.url("/empty.xml")).articles == []


def test_wordpress_pages_through_x_wp_totalpages_with_modified_after(server, fetcher):
    posts = [wp_post(i, modified=f"2025-09-01T10:{i:02d}:00") for i in range(1, 6)]
    wordpress_api(server, "/wp-json/wp/v2/posts", posts)
    url = server.url("/wp-json/wp/v2/posts")
    first = harvest(fetcher, "wordpress", url)
    assert len(first.articles) == 5 and first.cursor == "2025-09-01T10:05:00"
    posts += [wp_post(i, modified=f"2025-09-02T{i // 60:02d}:{i % 60:02d}:00") for i in range(10, 55)]
    server.clear()
    second = harvest(fetcher, "wordpress", url, cursor=first.cursor)
    assert sorted(int(a.title.split()[-1]) for a in second.articles) == list(range(10, 55))
    assert second.cursor == "2025-09-02T00:54:00"
    sent = server.requests_for("/wp-json/wp/v2/posts")
    assert [r.query["page"] for r in sent] == ["1", "2", "3"]  # 45 posts, 20 a page
    assert {r.query["modified_after"] for r in sent} == {"2025-09-01T10:05:00"}
    third = harvest(fetcher, "wordpress", url, cursor=second.cursor)
    assert third.articles == [] and third.cursor == second.cursor


def test_wordpress_error_pages_are_errors(server, fetcher):
    server.route("/wp-json/wp/v2/posts", lambda req: Response(403, b'{"code":"rest_forbidden"}'))
    from ingest.fetch import FetchError

    with pytest.raises(FetchError, match="HTTP 403 Forbidden"):
        harvest(fetcher, "wordpress", server.url("/wp-json/wp/v2/posts"))
