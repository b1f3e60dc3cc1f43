"""HTML article pages, through trafilatura (comments excluded) and htmldate.

The page is parsed once. Of trafilatura's metadata we read only what an article keeps (title,
canonical URL, published date), in trafilatura's own order, and skip the rest (authors,
site name, categories, tags, licence), which cost more than the text extraction itself.
"""

from __future__ import annotations

import html
import re

from ingest.article import Article
from ingest.dates import to_iso
from ingest.parse.encoding import charset_from_content_type, decode_bytes, decode_warning
from ingest.parse.errors import ParseError
from ingest.parse.htmltext import one_line

MIN_BODY_CHARS = 20  # as for plain text: anything shorter is not an article

# htmldate gives only the day by default; ask for the time too (midnight means "no time").
_DATE_PARAMS = {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True, "extensive_search": True}
# "<script …/>" is not self-closing in HTML: a browser runs (and hides) what follows up to
# "</script>"; lxml would close it at once and hand the code to the extractor as text.
_SELF_CLOSED_RAW = re.compile(r"<(script|style)\b([^<>]*?)\s*/>", re.I)
_EXTRACTION = {"include_comments": False, "include_tables": True}


def parse_html(data: bytes, *, url: str | None = None, content_type: str | None = None) -> list[Article]:
    """The main text, title, canonical URL and published date of one article page."""
    from trafilatura import load_html

    text, encoding = decode_bytes(data, charset_from_content_type(content_type))
    tree = load_html(_SELF_CLOSED_RAW.sub(r"<\1\2>", text))
    if tree is None:
        raise ParseError("HTML page, but no article text found in it (the markup holds no document)")
    title, page_url, date = page_metadata(tree, url)
    paragraphs = _paragraphs(_main_text(tree, url))
    # The page's <h1> usually repeats the title as the first line of the text.
    if title and paragraphs and paragraphs[0].casefold() == title.casefold() and len(paragraphs) > 1:
        paragraphs = paragraphs[1:]
    body = "\n\n".join(paragraphs)
    if len(body) < MIN_BODY_CHARS:
        # trafilatura falls back to whatever text a page has, e.g. a lone "Home" link
        detail = f" (only {body!r})" if body else ""
        raise ParseError(f"HTML page, but no article text found in it{detail}")
    derived = not title
    if derived:
        from ingest.parse.text import title_from_lead

        title = title_from_lead(body)
    warning = decode_warning(encoding)
    return [
        Article(
            title=title,
            title_derived=derived,
            body=body,
            url=page_url or url,
            published=_published(date),
            warnings=[warning] if warning else [],
        )
    ]


def _main_text(tree, url: str | None) -> str:
    """The article text: trafilatura's precise mode, then its balanced and its recall modes
    when precision keeps (almost) nothing."""
    import trafilatura

    for mode in ({"favor_precision": True}, {}, {"favor_recall": True}):
        doc = trafilatura.bare_extraction(tree, url=url, with_metadata=False, **_EXTRACTION, **mode)
        text = (doc.text or "") if doc is not None else ""
        if len(text.strip()) >= MIN_BODY_CHARS:
            return text
    return text


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def page_metadata(tree, url: str | None) -> tuple[str, str | None, str | None]:
    """(title, canonical URL, date) as trafilatura's metadata step finds them: meta tags,
    then JSON-LD, then the page's own title and link; the date by htmldate's extensive search."""
    from htmldate import find_date
    from trafilatura.metadata import examine_meta, extract_meta_json, extract_title, extract_url
    from trafilatura.utils import line_processing

    meta = examine_meta(tree)
    try:
        meta = extract_meta_json(tree, meta)
    except Exception:  # trafilatura guards this call the same way: JSON-LD in the wild is messy
        pass
    title = meta.title or extract_title(tree) or ""
    page_url = meta.url or extract_url(tree, url)
    date = find_date(tree, url=page_url, **_DATE_PARAMS)
    # as trafilatura's clean_and_trim: entities decoded, white space and control characters out
    title = one_line(line_processing(html.unescape(title)) or "")
    if page_url:
        page_url = line_processing(html.unescape(page_url)) or None
    return title, page_url, date


def _published(value: str | None) -> str | None:
    iso = to_iso(value)
    if iso and iso[10:19] == "T00:00:00":
        return iso[:10]
    return iso
