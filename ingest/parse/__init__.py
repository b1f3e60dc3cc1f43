"""Parsers: bytes in, ``Article`` records out, the format chosen by content, not by extension."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.article import Article
from ingest.parse.errors import ParseError
from ingest.parse.sniff import sniff

__all__ = ["Article", "ParseError", "ParseResult", "parse_bytes", "sniff"]

MAX_INPUT_BYTES = 10 * 1024 * 1024


@dataclass
class ParseResult:
    """What one input yielded: its detected kind, its articles, and warnings about it."""

    kind: str
    articles: list[Article]
    warnings: list[str] = field(default_factory=list)


def parse_bytes(
    data: bytes,
    *,
    path: str | None = None,
    url: str | None = None,
    content_type: str | None = None,
) -> ParseResult:
    """Parse one input (a file's or a response's bytes) into articles.

    Raises ``ParseError`` with a reason a user can act on when nothing usable is in it.
    """
    if len(data) > MAX_INPUT_BYTES:
        raise ParseError(
            f"input is {len(data) / 1_048_576:.1f} MiB, over the "
            f"{MAX_INPUT_BYTES // 1_048_576} MiB limit for one article or feed"
        )
    if not data.strip():
        raise ParseError("empty input: no text in it")
    kind = sniff(data, content_type=content_type)
    if kind == "binary":
        raise ParseError("binary data, not text: is this an article, a feed or a page?")
    if kind == "comment":
        raise ParseError("only markup comments or declarations, no content: not an article, a feed or a page")
    if kind == "wordpress":
        from ingest.parse.wordpress import parse_wordpress

        articles = parse_wordpress(data)
    elif kind == "jsonfeed":
        from ingest.parse.jsonfeed import parse_jsonfeed

        articles = parse_jsonfeed(data)
    elif kind == "feed":
        from ingest.parse.feed import parse_feed

        articles = parse_feed(data, url=url, content_type=content_type)
    elif kind == "html":
        from ingest.parse.html import parse_html

        articles = parse_html(data, url=url, content_type=content_type)
    else:
        from ingest.parse.text import parse_text

        articles = parse_text(data, content_type=content_type)
    for article in articles:
        article.path = article.path or path
        if url and not article.url and kind in ("html", "text"):
            article.url = url
    warnings = [w for a in articles for w in a.warnings]
    return ParseResult(kind=kind, articles=articles, warnings=warnings)
