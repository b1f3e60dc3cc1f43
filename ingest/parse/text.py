"""Plain text and page text copied with its site chrome."""

from __future__ import annotations

import re

from ingest.article import Article
from ingest.dates import parse_date_text
from ingest.parse.encoding import charset_from_content_type, decode_bytes
from ingest.parse.errors import ParseError

# Lines that are site furniture, not article text.
CHROME = re.compile(
    r"^(go to (main )?contents?|skip to (main )?content|skip navigation|menu|search|share|"
    r"print|close|subscribe|sign in|log ?in|home|top|back to top|advertisement|"
    r"facebook|twitter|x|kakaotalk|email|copy link|font size|listen|a\+|a-|"
    r"한국어|english|中文|日本語|español|français|deutsch|русский|عربي|tiếng việt|"
    r"kor|eng|jpn|chn)$",
    re.I,
)
POSTED = re.compile(r"^(posted|published|updated|modified|input|last updated)\b[\s:]*(.*)$", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'(\[])")
TITLE_WORDS = 14


def parse_text(data: bytes, *, content_type: str | None = None) -> list[Article]:
    """One article from text: chrome dropped, title from a short first line or the lead,
    date from "Posted …" lines."""
    text, _ = decode_bytes(data, charset_from_content_type(content_type))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = [ln.strip() for ln in text.split("\n")]
    kept: list[str] = []
    published = None
    for line in lines:
        if CHROME.match(line):
            continue
        posted = POSTED.match(line)
        if posted and len(line) < 80:
            _, iso = parse_date_text(posted.group(2))
            if iso and (published is None or posted.group(1).lower() in ("posted", "published", "input")):
                published = published or iso
            continue
        kept.append(line)
    paragraphs = _paragraphs(kept)
    if not paragraphs:
        raise ParseError("no article text left after removing page furniture")
    title = None
    first = paragraphs[0]
    if len(paragraphs) > 1 and _is_title_line(first):
        title = first
        paragraphs = paragraphs[1:]
    body = "\n\n".join(paragraphs)
    if len(body) < 20:
        raise ParseError("too little text to be an article (under 20 characters)")
    return [Article(title=title or title_from_lead(body), body=body, published=published)]


def _paragraphs(lines: list[str]) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    for line in lines + [""]:
        if line:
            current.append(line)
        elif current:
            out.append(" ".join(current))
            current = []
    return out


def _is_title_line(line: str) -> bool:
    return len(line) <= 150 and len(line.split()) <= 25 and not line.endswith((".", ",", ";", ":"))


def title_from_lead(body: str, words: int = TITLE_WORDS) -> str:
    """A short title from the first sentence: at most ``words`` words, ending in "…" if cut."""
    first = _SENTENCE_END.split(body.strip(), maxsplit=1)[0].strip()
    tokens = first.split()
    if len(tokens) <= words:
        return first.rstrip(".")
    cut = " ".join(tokens[:words]).rstrip(",;:")
    return cut + "…"
