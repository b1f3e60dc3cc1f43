"""The fetcher against a real HTTP server on loopback: limits, redirects, the SSRF guard."""

from __future__ import annotations

import socket
import zlib

import pytest

from bot import PROJECT_URL
from ingest.fetch import (
    AddressPolicy,
    Fetcher,
    FetchError,
    FetchRefused,
    cache_max_age,
    retry_after_seconds,
)
from tests.fakes.feed_server import FeedServer, Response, article_page, items, rss

LOOPBACK = ["127.0.0.1"]


@pytest.fixture
def server():
    with FeedServer() as srv:
        yield srv


@pytest.fixture
def fetcher():
    with Fetcher(allow=LOOPBACK, read_timeout=0.3, connect_timeout=1) as f:
        yield f


def test_fetch_identifies_itself_and_decompresses_gzip(server, fetcher):
    feed = rss(items(3))
    server.add("/feed.xml", feed, compress=True)
    result = fetcher.fetch(server.url("/feed.xml"))
    assert result.status == 200 and result.content == feed
    assert result.raw_bytes < len(feed)  # it really travelled compressed
    sent = server.requests_for("/feed.xml")[0].headers
    assert PROJECT_URL in sent["user-agent"] and sent["user-agent"].startswith("briefbot/")
    assert "gzip" in sent["accept-encoding"]


@pytest.mark.parametrize("wrapped", [True, False], ids=["zlib-deflate", "raw-deflate"])
def test_fetch_decodes_both_kinds_of_deflate(server, fetcher, wrapped):
    feed = rss(items(2))
    comp = zlib.compressobj(wbits=zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
    body = comp.compress(feed) + comp.flush()
    server.route("/d.xml", lambda req: Response(200, body, {"Content-Encoding": "deflate"}))
    assert fetcher.fetch(server.url("/d.xml")).content == feed


def test_conditional_get_is_answered_304_without_a_body(server, fetcher):
    server.add("/feed.xml", rss(items(3)), etag='"v1"', last_modified="Mon, 01 Sep 2025 10:00:00 GMT")
    first = fetcher.fetch(server.url("/feed.xml"))
    assert first.etag == '"v1"' and first.last_modified == "Mon, 01 Sep 2025 10:00:00 GMT"
    second = fetcher.fetch(server.url("/feed.xml"), etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.content == b""
    req = server.requests_for("/feed.xml")[1]
    assert req.headers["if-none-match"] == '"v1"' and req.status == 304 and req.body_bytes == 0


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:{port}/feed.xml", "127.0.0.1 is a loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://[::1]/", "::1 is a loopback address"),
        ("http://[::ffff:127.0.0.1]/", "is 127.0.0.1 in IPv6 form, a loopback address"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[fd00::1]/", "private network"),
        ("http://10.1.2.3/", "10.1.2.3 is a private network address"),
        ("http://192.168.1.1/", "private network"),
        ("http://100.64.0.1/", "carrier-grade NAT"),
        ("http://224.0.0.1/", "multicast"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://localhost:{port}/feed.xml", "localhost resolves to"),
        ("http://2130706433:{port}/feed.xml", "2130706433 resolves to 127.0.0.1, a loopback address"),
        ("http://127.1:{port}/feed.xml", "127.1 resolves to 127.0.0.1"),
        ("file:///etc/passwd", "only http:// and https:// URLs can be fetched, not file://"),
        ("gopher://example.com/", "not gopher://"),
        ("http:///nohost", "no host name"),
    ],
)
def test_private_and_odd_urls_are_refused_before_any_request(server, url, reason):
    url = url.format(port=server.port)
    server.add("/feed.xml", rss(items(1)))
    with Fetcher() as fetcher, pytest.raises(FetchRefused) as info:
        fetcher.fetch(url)
    assert reason in str(info.value)
    assert str(info.value).startswith(url)
    assert server.requests == []


def test_the_allow_list_takes_networks_and_host_names(server):
    server.add("/feed.xml", rss(items(1)))
    assert AddressPolicy(["127.0.0.0/8"]).check_url("http://127.0.0.2/") == ["127.0.0.2"]
    assert AddressPolicy(["localhost"]).check_url("http://localhost/")
    with pytest.raises(FetchRefused):
        AddressPolicy(["127.0.0.1"]).check_url("http://127.0.0.2/")
    with pytest.raises(FetchRefused):
        AddressPolicy(["127.0.0.1"]).check_url("http://169.254.169.254/")


def test_a_host_name_connects_to_the_checked_address_and_keeps_its_host_header(server):
    server.add("/feed.xml", rss(items(1)))
    # "localhost" may also resolve to ::1; only 127.0.0.1 is allowed, and that is where it connects
    with Fetcher(allow=LOOPBACK) as fetcher:
        result = fetcher.fetch(f"http://localhost:{server.port}/feed.xml")
    assert result.status == 200
    assert server.requests_for("/feed.xml")[0].headers["host"] == f"localhost:{server.port}"


def test_a_redirect_to_the_metadata_address_is_refused(server, fetcher):
    server.redirect("/feed.xml", "http://169.254.169.254/latest/meta-data/")
    with pytest.raises(FetchRefused) as info:
        fetcher.fetch(server.url("/feed.xml"))
    assert str(info.value) == (
        f"{server.url('/feed.xml')} redirects to http://169.254.169.254/latest/meta-data/, which is "
        "refused: 169.254.169.254 is a link-local address (where cloud metadata services such as "
        "169.254.169.254 live). To allow a private host on purpose, add it to BRIEFBOT_FETCH_ALLOW."
    )
    assert len(server.requests) == 1


def test_a_redirect_to_a_file_url_is_refused(server, fetcher):
    server.redirect("/feed.xml", "file:///etc/passwd")
    with pytest.raises(FetchRefused, match="redirects to file:///etc/passwd, which is refused"):
        fetcher.fetch(server.url("/feed.xml"))


def test_redirects_are_followed_up_to_five_and_a_loop_is_named(server, fetcher):
    for n in range(1, 8):
        server.redirect(f"/r{n}", f"/r{n + 1}")
    server.add("/r8", rss(items(1)))
    ok = fetcher.fetch(server.url("/r3"))  # r3 → r8: five redirects
    assert ok.status == 200 and ok.url.endswith("/r8") and len(ok.redirects) == 5
    with pytest.raises(FetchError, match="more than 5 redirects") as info:
        fetcher.fetch(server.url("/r2"))
    assert info.value.kind == "redirects"
    server.redirect("/a", "/b")
    server.redirect("/b", "/a")
    with pytest.raises(FetchError, match="redirect loop"):
        fetcher.fetch(server.url("/a"))


def test_an_endless_body_is_cut_at_the_cap(server, fetcher):
    server.endless("/endless.xml")
    with pytest.raises(FetchError, match="larger than the 10 MiB limit; stopped reading") as info:
        fetcher.fetch(server.url("/endless.xml"))
    assert info.value.kind == "too_large"


def test_a_gzip_bomb_is_cut_on_its_decompressed_size(server, fetcher):
    packed = server.gzip_bomb("/bomb.xml", size=64 * 1024 * 1024)
    assert packed < 1024 * 1024
    with pytest.raises(FetchError, match="after decompression \\(a possible compression bomb\\)"):
        fetcher.fetch(server.url("/bomb.xml"))


def test_a_slow_server_times_out(server, fetcher):
    server.slow("/slow.xml", 3)
    with pytest.raises(FetchError, match="did not answer within 0.3 s") as info:
        fetcher.fetch(server.url("/slow.xml"))
    assert info.value.kind == "timeout"


def test_http_errors_carry_status_and_retry_after(server, fetcher):
    server.route("/busy.xml", lambda req: Response(429, b"slow down", {"Retry-After": "120"}))
    server.route("/broken.xml", lambda req: Response(500, b"oops"))
    with pytest.raises(FetchError) as info:
        fetcher.fetch(server.url("/busy.xml"))
    assert (info.value.status, info.value.retry_after) == (429, 120.0)
    assert str(info.value) == "HTTP 429 Too Many Requests (the server asks to retry after 120 s)."
    with pytest.raises(FetchError, match=r"^HTTP 500 Internal Server Error\.$"):
        fetcher.fetch(server.url("/broken.xml"))


def test_a_closed_port_is_a_clear_network_error(fetcher):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match=f"could not connect to 127.0.0.1:{port}") as info:
        fetcher.fetch(f"http://127.0.0.1:{port}/feed.xml")
    assert info.value.kind == "network"


def test_euc_kr_pages_decode_from_their_meta_tag(server, fetcher):
    page = article_page("반도체 패키징 협약", ["산업통상자원부는 첨단 패키징 협약을 체결했다."] * 3, charset="euc-kr")
    server.add("/kr.html", page, content_type="text/html")
    result = fetcher.fetch(server.url("/kr.html"))
    assert result.content == page
    assert "산업통상자원부는 첨단 패키징 협약을 체결했다." in result.text()


def test_cache_headers_are_read():
    assert cache_max_age("public, max-age=600") == 600
    assert cache_max_age("no-cache") is None
    assert retry_after_seconds("30") == 30
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert retry_after_seconds("soon") is None
