"""RSS and Atom feeds through feedparser, always given bytes (never a path or URL: given a
string, feedparser would open files and URLs itself).

We decode the bytes ourselves (declared charset, UTF-8, then detection) and hand feedparser
UTF-8: left to itself, feedparser reads an undeclared EUC-KR or KOI8-R feed as windows-1252.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from ingest.article import Article
from ingest.parse.encoding import charset_from_content_type, decode_bytes, decode_warning
from ingest.parse.errors import ParseError
from ingest.parse.htmltext import field_text, one_line

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)
_XML_DECL_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""", re.I)
_CHARSET_PARAM = re.compile(r";\s*charset\s*=\s*[\"']?[^;\"']*[\"']?", re.I)


def parse_feed(data: bytes, *, url: str | None = None, content_type: str | None = None) -> list[Article]:
    """One article per feed entry that has a title or text; links made absolute against the
    feed's address, its xml:base or its own link."""
    if _ENTITY_DECL.search(data):
        # Entity declarations are how "billion laughs" and external-entity attacks start;
        # no real news feed needs them.
        raise ParseError("feed declares XML entities: refused (possible entity-expansion attack)")
    import feedparser

    text, encoding = decode_bytes(data, charset_from_content_type(content_type))
    utf8 = _XML_DECL_ENCODING.sub(r"\1\2utf-8\2", text, count=1).encode("utf-8")
    headers = {"content-type": _utf8_content_type(content_type)}
    if url:
        headers["content-location"] = url
    # sanitize_html=False: we never show HTML, we read its text, and the sanitizer would
    # turn a script's code into text ("function executeMe() {") and leave "-->" behind.
    parsed = feedparser.parse(utf8, response_headers=headers, sanitize_html=False)
    entries = parsed.get("entries") or []
    if not entries:
        reason = parsed.get("bozo_exception")
        detail = f": {reason}" if reason else ""
        raise ParseError(f"feed has no entries{detail}")
    base = _feed_base(parsed, url)
    articles = []
    unresolved = 0
    for entry in entries:
        article = entry_to_article(entry)
        if article is None:
            continue
        if article.url and not urlsplit(article.url).scheme:
            if base:
                article.url = urljoin(base, article.url)
            else:
                unresolved += 1
        articles.append(article)
    if not articles:
        raise ParseError("feed entries have no title or text")
    warnings = articles[0].warnings
    if parsed.get("bozo") and parsed.get("bozo_exception"):
        warnings.append(f"malformed feed, read leniently: {parsed['bozo_exception']}")
    if unresolved:
        warnings.append(f"{unresolved} relative link{'s' if unresolved != 1 else ''} kept as written: "
                        "the feed gives no address to resolve them against")
    decoded = decode_warning(encoding)
    if decoded:
        warnings.append(decoded)
    return articles


def _utf8_content_type(content_type: str | None) -> str:
    media = _CHARSET_PARAM.sub("", content_type or "").strip() or "application/xml"
    return f"{media}; charset=utf-8"


def _feed_base(parsed, url: str | None) -> str | None:
    """The address relative links are read against: the feed's URL, else the channel link
    when it is absolute."""
    if url and urlsplit(url).scheme in ("http", "https"):
        return url
    feed = parsed.get("feed") or {}
    for candidate in (feed.get("link"), (feed.get("title_detail") or {}).get("base")):
        if candidate and urlsplit(candidate).scheme in ("http", "https"):
            return candidate
    return None


def entry_to_article(entry) -> Article | None:
    """An Article from one feedparser entry, or None when it has neither title nor text."""
    # The content is the article; the summary is its teaser, the text when there is no content.
    texts = [field_text(c.get("value", ""), c.get("type")) for c in entry.get("content") or []]
    body = max(texts, key=len, default="")
    summary = entry.get("summary") or entry.get("description") or ""
    if summary and not body:
        detail = entry.get("summary_detail") or {}
        body = field_text(summary, detail.get("type", "text/html"))
    title_detail = entry.get("title_detail") or {}
    title = one_line(field_text(entry.get("title", ""), title_detail.get("type", "text/plain")))
    if not body and not title:
        return None
    published = None
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            published = datetime(*t[:6], tzinfo=UTC).isoformat()
            break
    derived = not title
    if derived:
        from ingest.parse.text import title_from_lead

        title = title_from_lead(body)
    return Article(
        title=title,
        title_derived=derived,
        body=body or title,
        url=_entry_link(entry),
        published=published,
        guid=entry.get("id") or entry.get("guid"),
        lang=entry.get("language"),
    )


def _entry_link(entry) -> str | None:
    link = entry.get("link")
    if link:
        return link.strip()
    for candidate in entry.get("links") or []:
        if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
            return candidate["href"].strip()
    return None
