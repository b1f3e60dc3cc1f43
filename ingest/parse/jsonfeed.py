"""JSON Feed (https://jsonfeed.org) version 1 and 1.1."""

from __future__ import annotations

import json

from ingest.article import Article
from ingest.dates import to_iso
from ingest.parse.encoding import decode_bytes
from ingest.parse.errors import ParseError
from ingest.parse.htmltext import html_to_text, one_line, plain_text
from ingest.parse.text import title_from_lead


def parse_jsonfeed(data: bytes) -> list[Article]:
    """One article per item that has text."""
    text, _ = decode_bytes(data)
    try:
        doc = json.loads(text, strict=False)
    except json.JSONDecodeError as exc:
        raise ParseError(f"invalid JSON Feed: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise ParseError("invalid JSON Feed: nested too deeply") from None
    items = doc.get("items") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise ParseError("JSON Feed without an items list")
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        body = (plain_text(str(item.get("content_text") or ""))
                or html_to_text(str(item.get("content_html") or ""))
                or plain_text(str(item.get("summary") or "")))
        title = one_line(str(item.get("title") or ""))
        if not (body or title):
            continue
        out.append(
            Article(
                title=title or title_from_lead(body),
                title_derived=not title,
                body=body or title,
                url=item.get("url") or item.get("external_url"),
                published=to_iso(item.get("date_published") or item.get("date_modified")),
                guid=str(item.get("id")) if item.get("id") is not None else None,
            )
        )
    if not out:
        raise ParseError("JSON Feed has no items with text")
    return out
