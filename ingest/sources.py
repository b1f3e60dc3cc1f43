"""Sources: tell what a URL is (feed, WordPress site, article page) and harvest it once.

``detect_source`` is what ``/sources add`` and ``/sources test`` run; ``harvest`` is one poll of a
known source (conditional GET, WordPress paging with ``modified_after``). Both only fetch and
parse: storing is the poller's job.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from base.redact import url_credentials
from ingest.article import Article
from ingest.fetch import Fetcher, FetchError, FetchResult
from ingest.kinds import FEED_KINDS, KIND_NAMES
from ingest.parse import ParseError, parse_bytes
from ingest.parse.encoding import charset_from_content_type, decode_bytes
from ingest.parse.sniff import sniff

KINDS = (*FEED_KINDS, "wordpress", "html")
WP_PER_PAGE = 20
WP_MAX_PAGES = 10  # per poll; the cursor carries on from there next time
FEED_TYPES = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "jsonfeed",
    "application/json": "jsonfeed",
}
_WP_PARAMS = {"page", "per_page", "modified_after", "orderby", "order", "after", "_fields"}
_TTL = re.compile(rb"<ttl>\s*(\d{1,7})\s*</ttl>", re.I)
_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.I)
_ITEM = re.compile(rb"<(item|entry)[\s>/]", re.I)


class SourceError(ValueError):
    """A URL that answered but is not something briefbot can follow; the message says why."""


@dataclass
class Detection:
    """What a URL turned out to be, and the items a poll would store now."""

    kind: str
    url: str
    title: str | None
    articles: list[Article]
    warnings: list[str] = field(default_factory=list)
    found_on: str | None = None  # the page that advertised the feed or API, if not ``url``
    cursor: str | None = None

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)


@dataclass
class Harvest:
    """One poll's yield: the articles (none on a 304) and what to remember for the next poll."""

    articles: list[Article] = field(default_factory=list)
    not_modified: bool = False
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    cursor: str | None = None
    floor: float | None = None  # seconds the server asks us to wait at least (max-age, ttl)
    body_bytes: int = 0
    requests: int = 0
    warnings: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- page discovery


class _HeadLinks(HTMLParser):
    """Feed links, the WordPress API link, og:type and title of an HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.feeds: list[tuple[str, str]] = []  # (href, kind)
        self.wp_api: str | None = None
        self.og_type: str | None = None
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "link":
            rel = a.get("rel", "").lower().split()
            href = a.get("href", "").strip()
            if not href:
                return
            if "alternate" in rel:
                kind = FEED_TYPES.get(a.get("type", "").lower().split(";")[0].strip())
                if kind:
                    self.feeds.append((href, kind))
            if "https://api.w.org/" in rel and self.wp_api is None:
                self.wp_api = href
        elif tag == "meta" and a.get("property", "").lower() == "og:type":
            self.og_type = a.get("content", "").strip().lower()
        elif tag == "title" and not self.title:
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def page_links(result: FetchResult) -> _HeadLinks:
    """The links an HTML page advertises (read from its first 512 KB)."""
    text, _ = decode_bytes(result.content[:524_288], charset_from_content_type(result.content_type))
    parser = _HeadLinks()
    try:
        parser.feed(text)
        parser.close()
    except (ValueError, AssertionError):  # a broken page just advertises nothing more
        pass
    return parser


# ----------------------------------------------------------------------------- WordPress URLs


def is_wp_posts_url(url: str) -> bool:
    """True for a WordPress REST posts URL (``/wp-json/wp/v2/posts`` or ``?rest_route=/wp/v2/posts``)."""
    parts = urlsplit(url)
    route = dict(parse_qsl(parts.query)).get("rest_route", "")
    return parts.path.rstrip("/").endswith("/wp-json/wp/v2/posts") or route.rstrip("/") == "/wp/v2/posts"


def wp_posts_url(api_root: str) -> str:
    """The posts endpoint under a WordPress API root (``…/wp-json/`` or ``?rest_route=/``)."""
    parts = urlsplit(api_root)
    query = dict(parse_qsl(parts.query))
    if "rest_route" in query:
        query["rest_route"] = "/wp/v2/posts"
        return urlunsplit(parts._replace(query=urlencode(query)))
    return urljoin(api_root.rstrip("/") + "/", "wp/v2/posts")


def _wp_base(url: str) -> str:
    """A posts URL without the paging parameters we add ourselves."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in _WP_PARAMS]
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))


def _with_params(url: str, params: dict) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def _wp_max_modified(content: bytes) -> str | None:
    try:
        posts = json.loads(decode_bytes(content)[0], strict=False)
    except (json.JSONDecodeError, ValueError):
        return None
    if not isinstance(posts, list):
        return None
    stamps = [p.get("modified") or p.get("modified_gmt") for p in posts if isinstance(p, dict)]
    stamps = [s for s in stamps if isinstance(s, str)]
    return max(stamps) if stamps else None


def _total_pages(result: FetchResult) -> int:
    value = result.headers.get("x-wp-totalpages", "").strip()
    return int(value) if value.isdigit() else 1


def _wp_articles(result: FetchResult) -> list[Article]:
    body = result.content.strip()
    if body in (b"[]", b""):
        return []
    parsed = parse_bytes(result.content, url=result.url, content_type=result.content_type)
    if parsed.kind != "wordpress":
        raise SourceError(f"expected WordPress posts (JSON) but got {_kind_phrase(parsed.kind)}.")
    return parsed.articles


# ----------------------------------------------------------------------------- parsing


def _kind_phrase(kind: str) -> str:
    return {
        "feed": "a feed", "jsonfeed": "a JSON Feed", "wordpress": "JSON", "json": "JSON",
        "html": "an HTML page", "text": "plain text", "binary": "binary data",
    }.get(kind, kind)


def feed_kind(content: bytes) -> str:
    """rss or atom, from the root element."""
    m = _ROOT.search(content[:4096])
    return "atom" if m and m.group(1).lower() == b"feed" else "rss"


def _absolute(articles: list[Article], base: str) -> list[Article]:
    for a in articles:
        if a.url and not urlsplit(a.url).scheme:
            a.url = urljoin(base, a.url)
    return articles


def parse_feed_result(result: FetchResult, kind: str) -> list[Article]:
    """The articles of a feed response; an empty but well-formed feed gives none."""
    content = result.content
    found = sniff(content, content_type=result.content_type)
    if kind in ("rss", "atom"):
        if found != "feed":
            raise SourceError(f"expected a feed but got {_kind_phrase(found)}.")
        if not _ITEM.search(content) and _well_formed(content):
            return []
    elif kind == "jsonfeed" and found != "jsonfeed":
        raise SourceError(f"expected a JSON Feed but got {_kind_phrase(found)}.")
    parsed = parse_bytes(content, url=result.url, content_type=result.content_type)
    return _absolute(parsed.articles, result.url)


def parse_page_result(result: FetchResult) -> list[Article]:
    """The one article of an HTML page response."""
    found = sniff(result.content, content_type=result.content_type)
    if found != "html":
        raise SourceError(f"expected an HTML article page but got {_kind_phrase(found)}.")
    return parse_bytes(result.content, url=result.url, content_type=result.content_type).articles


def _well_formed(content: bytes) -> bool:
    """True when ``content`` parses as XML (defusedxml: no entity tricks)."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        ElementTree.fromstring(content)
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        return False
    return True


def rss_ttl_seconds(content: bytes) -> float | None:
    """An RSS ``<ttl>`` (minutes) in seconds."""
    m = _TTL.search(content[:65536])
    return int(m.group(1)) * 60.0 if m else None


# ----------------------------------------------------------------------------- detection


def detect_source(fetcher: Fetcher, url: str) -> Detection:
    """Fetch ``url`` and tell what it is: a feed, a WordPress site, a page linking a feed, or
    one article page. Raises FetchError, ParseError or SourceError with the reason."""
    url = url.strip()
    if url_credentials(url) is not None:
        raise SourceError("the URL holds a user name and password; briefbot does not keep "
                          "passwords in source URLs (they are shown to every user)")
    fetcher.check(url)
    if is_wp_posts_url(url) or urlsplit(url).path.rstrip("/").endswith("/wp-json"):
        posts_url = _wp_base(url) if is_wp_posts_url(url) else wp_posts_url(url)
        return _detect_wordpress(fetcher, posts_url, found_on=None if posts_url == url else url)
    result = fetcher.fetch(url)
    found = sniff(result.content, content_type=result.content_type)
    if found == "feed":
        return _feed_detection(result, feed_kind(result.content), url)
    if found == "jsonfeed":
        return _feed_detection(result, "jsonfeed", url)
    if found == "wordpress":
        articles = _wp_articles(result)
        return Detection("wordpress", _wp_base(url), None, articles, cursor=_wp_max_modified(result.content))
    if found == "html":
        return _detect_page(fetcher, result, url)
    raise SourceError(
        f"{url} answered with {_kind_phrase(found)}, not a feed, a WordPress site or an HTML page."
    )


def _feed_detection(result: FetchResult, kind: str, url: str, found_on: str | None = None) -> Detection:
    articles = parse_feed_result(result, kind)
    return Detection(kind, url, _feed_title(result.content, kind), articles,
                     warnings=[w for a in articles for w in a.warnings], found_on=found_on)


def _feed_title(content: bytes, kind: str) -> str | None:
    if kind == "jsonfeed":
        try:
            doc = json.loads(decode_bytes(content)[0], strict=False)
        except (json.JSONDecodeError, ValueError):
            return None
        title = doc.get("title") if isinstance(doc, dict) else None
        return title.strip() if isinstance(title, str) and title.strip() else None
    import feedparser

    title = (feedparser.parse(content).get("feed") or {}).get("title", "")
    return title.strip() or None


def _detect_wordpress(fetcher: Fetcher, posts_url: str, *, found_on: str | None, title: str | None = None) -> Detection:
    result = fetcher.fetch(_with_params(posts_url, {"per_page": WP_PER_PAGE, "orderby": "modified", "order": "desc"}))
    articles = _wp_articles(result)
    return Detection("wordpress", posts_url, title, articles, found_on=found_on,
                     warnings=[w for a in articles for w in a.warnings],
                     cursor=_wp_max_modified(result.content))


def _detect_page(fetcher: Fetcher, result: FetchResult, url: str) -> Detection:
    links = page_links(result)
    title = " ".join(links.title.split()) or None
    problems: list[str] = []
    if links.og_type != "article":
        # a site's front page: follow what it advertises, the REST API first (full text)
        if links.wp_api:
            api = urljoin(result.url, links.wp_api)
            try:
                fetcher.check(api)
                return _detect_wordpress(fetcher, wp_posts_url(api), found_on=url, title=title)
            except (FetchError, ParseError, SourceError) as exc:
                problems.append(f"its WordPress API did not work ({exc})")
        for href, kind in links.feeds:
            feed_url = urljoin(result.url, href)
            try:
                fetcher.check(feed_url)
                feed = fetcher.fetch(feed_url)
                found = sniff(feed.content, content_type=feed.content_type)
                real = "jsonfeed" if found == "jsonfeed" else feed_kind(feed.content) if found == "feed" else kind
                return _feed_detection(feed, real, feed_url, found_on=url)
            except (FetchError, ParseError, SourceError) as exc:  # try the next advertised feed
                problems.append(f"its feed {feed_url} did not work ({exc})")
    try:
        articles = parse_page_result(result)
    except (ParseError, SourceError) as exc:
        detail = "; ".join(problems + [str(exc)])
        raise SourceError(f"{url} is an HTML page, but no feed or article could be read from it: {detail}") from None
    return Detection("html", url, title or (articles[0].title if articles else None), articles,
                     warnings=problems + [w for a in articles for w in a.warnings])


# ----------------------------------------------------------------------------- one poll


def harvest(
    fetcher: Fetcher,
    kind: str,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    cursor: str | None = None,
) -> Harvest:
    """Poll one source once. Raises FetchError, ParseError or SourceError on failure."""
    if kind == "wordpress":
        return _harvest_wordpress(fetcher, url, cursor)
    result = fetcher.fetch(url, etag=etag, last_modified=last_modified)
    out = Harvest(status=result.status, requests=1, body_bytes=len(result.content),
                  etag=result.etag or etag, last_modified=result.last_modified or last_modified)
    floors = [result.max_age]
    if result.not_modified:
        out.not_modified = True
    elif kind == "html":
        out.articles = parse_page_result(result)
    else:
        out.articles = parse_feed_result(result, kind)
        if kind == "rss":
            floors.append(rss_ttl_seconds(result.content))
    out.floor = max((f for f in floors if f), default=None)
    out.warnings = [w for a in out.articles for w in a.warnings]
    return out


def _harvest_wordpress(fetcher: Fetcher, url: str, cursor: str | None) -> Harvest:
    out = Harvest()
    if cursor:
        params = {"per_page": WP_PER_PAGE, "orderby": "modified", "order": "asc", "modified_after": cursor}
    else:
        params = {"per_page": WP_PER_PAGE, "orderby": "modified", "order": "desc"}
    page, pages = 1, 1
    new_cursor = cursor
    while page <= min(pages, WP_MAX_PAGES):
        result = fetcher.fetch(_with_params(url, {**params, "page": page}))
        out.requests += 1
        out.body_bytes += len(result.content)
        out.status = result.status
        out.articles += _wp_articles(result)
        stamp = _wp_max_modified(result.content)
        if stamp and (new_cursor is None or stamp > new_cursor):
            new_cursor = stamp
        out.floor = result.max_age
        pages = _total_pages(result)
        if not cursor:
            break  # the first poll takes the newest page only, as its baseline
        page += 1
    out.cursor = new_cursor
    out.warnings = [w for a in out.articles for w in a.warnings]
    return out
