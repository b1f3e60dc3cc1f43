"""HTML article pages, through trafilatura (comments excluded, metadata kept)."""

from __future__ import annotations

from ingest.article import Article
from ingest.dates import to_iso
from ingest.parse.encoding import charset_from_content_type, decode_bytes, decode_warning
from ingest.parse.errors import ParseError

MIN_BODY_CHARS = 20  # as for plain text: anything shorter is not an article

# htmldate gives only the day by default; ask for the time too (midnight means "no time").
_DATE_PARAMS = {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True, "extensive_search": True}


def parse_html(data: bytes, *, url: str | None = None, content_type: str | None = None) -> list[Article]:
    """The main text, title, canonical URL and published date of one article page."""
    import trafilatura

    text, encoding = decode_bytes(data, charset_from_content_type(content_type))
    doc = trafilatura.bare_extraction(
        text,
        url=url,
        include_comments=False,  # trafilatura keeps comments by default
        include_tables=True,
        with_metadata=True,
        favor_precision=True,
        date_extraction_params=_DATE_PARAMS,
    )
    if doc is None or not (doc.text or "").strip():
        raise ParseError("HTML page, but no article text found in it")
    paragraphs = [p.strip() for p in doc.text.split("\n") if p.strip()]
    title = (doc.title or "").strip()
    # The page's <h1> usually repeats the title as the first line of the text.
    if title and paragraphs and paragraphs[0].casefold() == title.casefold() and len(paragraphs) > 1:
        paragraphs = paragraphs[1:]
    body = "\n\n".join(paragraphs)
    if len(body) < MIN_BODY_CHARS:
        # trafilatura falls back to whatever text a page has, e.g. a lone "Home" link
        raise ParseError(f"HTML page, but no article text found in it (only {body!r})")
    if not title:
        from ingest.parse.text import title_from_lead

        title = title_from_lead(body)
    warning = decode_warning(encoding)
    return [
        Article(
            title=title,
            body=body,
            url=doc.url or url,
            published=_published(doc.date),
            lang=doc.language,
            warnings=[warning] if warning else [],
        )
    ]


def _published(value: str | None) -> str | None:
    iso = to_iso(value)
    if iso and iso[10:19] == "T00:00:00":
        return iso[:10]
    return iso
