"""WordPress REST API posts (``/wp-json/wp/v2/posts``): one post or a list, valid or not.

Sources send invalid JSON (raw control characters in strings) and truncated payloads; we keep
what is there and say the body is partial.
"""

from __future__ import annotations

import json
import re

from ingest.article import Article
from ingest.dates import to_iso
from ingest.parse.encoding import decode_bytes
from ingest.parse.errors import ParseError
from ingest.parse.htmltext import html_to_text, one_line

PARTIAL = "body is partial: the WordPress JSON was cut off mid-content"


def parse_wordpress(data: bytes) -> list[Article]:
    """Articles from a WordPress post object or list of posts."""
    text, _ = decode_bytes(data)
    try:
        doc = json.loads(text, strict=False)  # strict=False: raw newlines inside strings
    except json.JSONDecodeError:
        if text.lstrip().startswith("["):
            return _recover_list(text.lstrip())
        return [_recover_truncated(text)]
    except RecursionError:
        raise ParseError("JSON nested too deeply to be a WordPress post") from None
    posts = doc if isinstance(doc, list) else [doc]
    articles = [a for a in (_from_post(p) for p in posts if isinstance(p, dict)) if a]
    if not articles:
        raise ParseError("JSON, but no WordPress post in it (no title and content fields)")
    return articles


def _recover_list(text: str) -> list[Article]:
    """A list of posts cut off part-way: every whole post, then the cut one when it still has
    a title and some text (marked partial)."""
    decoder = json.JSONDecoder(strict=False)
    posts: list = []
    i = 1
    while True:
        while i < len(text) and text[i] in " \t\r\n,":
            i += 1
        if i >= len(text) or text[i] == "]":
            break
        try:
            post, i = decoder.raw_decode(text, i)
        except json.JSONDecodeError:
            break
        except RecursionError:
            raise ParseError("JSON nested too deeply to be a WordPress post") from None
        posts.append(post)
    articles = [a for a in (_from_post(p) for p in posts if isinstance(p, dict)) if a]
    rest = text[i:].strip()
    cut = None
    if rest.startswith("{"):
        try:
            cut = _recover_truncated(rest)
        except ParseError:
            cut = None
        if cut is not None and cut.title_derived:
            cut = None  # no title of its own: too little of the post is left to call it one
    if not articles and cut is None:
        if not posts and '"title"' not in text and '"content"' not in text:
            raise ParseError("invalid JSON and no WordPress post fields in it")
        raise ParseError("WordPress JSON cut off before any whole post")
    whole = len(articles)
    if cut is not None:
        articles.append(cut)
    elif articles:
        lost = "; the cut one had no title and text left" if rest.startswith("{") else ""
        articles[0].warnings.append(
            f"the WordPress post list was cut off: {whole} whole post{'s' if whole != 1 else ''} kept{lost}"
        )
    return articles


def _rendered(value) -> str:
    if isinstance(value, dict):
        value = value.get("rendered", "")
    return value if isinstance(value, str) else ""


def _from_post(post: dict) -> Article | None:
    title = one_line(html_to_text(_rendered(post.get("title"))))
    body = html_to_text(_rendered(post.get("content")) or _rendered(post.get("excerpt")))
    if not body:
        return None
    guid = _rendered(post.get("guid")) or (str(post["id"]) if "id" in post else None)
    return Article(
        title=title or _fallback_title(body),
        title_derived=not title,
        body=body,
        url=post.get("link") if isinstance(post.get("link"), str) else None,
        published=to_iso(post.get("date") or post.get("date_gmt")),
        guid=guid,
    )


def _fallback_title(body: str) -> str:
    from ingest.parse.text import title_from_lead

    return title_from_lead(body)


def _string_field(text: str, pattern: str) -> tuple[str | None, bool]:
    """Value of the first JSON string matching ``"key":"`` (or ``"key":{"rendered":"``).

    Returns (value, complete): a string cut off by the end of the payload is returned as far
    as it goes, with complete False.
    """
    m = re.search(pattern, text)
    if not m:
        return None, True
    i = m.end()
    out: list[str] = []
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            if i + 1 >= len(text):
                break
            nxt = text[i + 1]
            if nxt == "u":
                hexpart = text[i + 2 : i + 6]
                if len(hexpart) < 4:
                    break
                out.append(text[i : i + 6])
                i += 6
                continue
            out.append(text[i : i + 2])
            i += 2
            continue
        if ch == '"':
            return _unescape("".join(out)), True
        out.append(ch)
        i += 1
    return _unescape("".join(out)), False


def _unescape(raw: str) -> str:
    try:
        return json.loads(f'"{raw}"', strict=False)
    except json.JSONDecodeError:
        return raw.replace("\\/", "/").replace('\\"', '"')


def _recover_truncated(text: str) -> Article:
    if '"title"' not in text and '"content"' not in text:
        raise ParseError("invalid JSON and no WordPress post fields in it")
    title, _ = _string_field(text, r'"title"\s*:\s*\{\s*"rendered"\s*:\s*"')
    if title is None:
        title, _ = _string_field(text, r'"title"\s*:\s*"')
    content, complete = _string_field(text, r'"content"\s*:\s*\{\s*"rendered"\s*:\s*"')
    link, _ = _string_field(text, r'"link"\s*:\s*"')
    date_text, _ = _string_field(text, r'"date"\s*:\s*"')
    guid, _ = _string_field(text, r'"guid"\s*:\s*\{\s*"rendered"\s*:\s*"')
    body = html_to_text(content or "")
    if not body:
        raise ParseError("WordPress JSON cut off before any content")
    title_text = one_line(html_to_text(title or ""))
    from ingest.parse.text import title_from_lead

    warnings = [] if complete else [PARTIAL]
    if complete:
        warnings.append("invalid JSON: fields recovered one by one")
    return Article(
        title=title_text or title_from_lead(body),
        title_derived=not title_text,
        body=body,
        url=link,
        published=to_iso(date_text),
        guid=guid,
        partial=not complete,
        warnings=warnings,
    )
