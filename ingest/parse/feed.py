"""RSS and Atom feeds through feedparser, always given bytes (never a path or URL: given a
string, feedparser would open files and URLs itself)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from ingest.article import Article
from ingest.parse.errors import ParseError
from ingest.parse.htmltext import html_to_text

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)


def parse_feed(data: bytes, *, content_type: str | None = None) -> list[Article]:
    """One article per feed entry that has text."""
    if _ENTITY_DECL.search(data):
        # Entity declarations are how "billion laughs" and external-entity attacks start;
        # no real news feed needs them.
        raise ParseError("feed declares XML entities: refused (possible entity-expansion attack)")
    import feedparser

    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(data, response_headers=headers)
    entries = parsed.get("entries") or []
    if not entries:
        reason = parsed.get("bozo_exception")
        detail = f": {reason}" if reason else ""
        raise ParseError(f"feed has no entries{detail}")
    articles = []
    for entry in entries:
        article = entry_to_article(entry)
        if article is not None:
            articles.append(article)
    if not articles:
        raise ParseError("feed entries have no title or text")
    if parsed.get("bozo") and parsed.get("bozo_exception"):
        articles[0].warnings.append(f"malformed feed, read leniently: {parsed['bozo_exception']}")
    return articles


def entry_to_article(entry) -> Article | None:
    """An Article from one feedparser entry, or None when it has neither title nor text."""
    content = ""
    if entry.get("content"):
        content = max((c.get("value", "") for c in entry["content"]), key=len)
    body = html_to_text(content or entry.get("summary", "") or entry.get("description", ""))
    title = html_to_text(entry.get("title", ""))
    if not body and not title:
        return None
    published = None
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            published = datetime(*t[:6], tzinfo=UTC).isoformat()
            break
    return Article(
        title=title or body[:80],
        body=body or title,
        url=entry.get("link"),
        published=published,
        guid=entry.get("id") or entry.get("guid"),
        lang=entry.get("language"),
    )
