"""HTML article pages, through trafilatura (comments excluded, metadata kept)."""

from __future__ import annotations

from ingest.article import Article
from ingest.dates import to_iso
from ingest.parse.encoding import charset_from_content_type, decode_bytes
from ingest.parse.errors import ParseError


def parse_html(data: bytes, *, url: str | None = None, content_type: str | None = None) -> list[Article]:
    """The main text, title, canonical URL and published date of one article page."""
    import trafilatura

    text, _ = decode_bytes(data, charset_from_content_type(content_type))
    doc = trafilatura.bare_extraction(
        text,
        url=url,
        include_comments=False,  # trafilatura keeps comments by default
        include_tables=True,
        with_metadata=True,
        favor_precision=True,
    )
    if doc is None or not (doc.text or "").strip():
        raise ParseError("HTML page, but no article text found in it")
    body = "\n\n".join(p.strip() for p in doc.text.split("\n") if p.strip())
    title = (doc.title or "").strip()
    if not title:
        from ingest.parse.text import title_from_lead

        title = title_from_lead(body)
    return [
        Article(
            title=title,
            body=body,
            url=doc.url or url,
            published=to_iso(doc.date),
            lang=doc.language,
        )
    ]
