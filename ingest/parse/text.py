"""Plain text and page text copied with its site chrome."""

from __future__ import annotations

import re

from base.titles import TITLE_WORDS, title_from_lead  # noqa: F401 (parsers import it from here)
from ingest.article import Article
from ingest.dates import DAY_MONTH, ISO, MONTH_DAY, parse_date_text
from ingest.korean import korean_date_line
from ingest.parse.encoding import charset_from_content_type, decode_bytes, decode_warning
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
POSTED = re.compile(r"^(posted|published|updated|modified|input|last updated|입력|등록|수정|게재|발행)\b[\s:]*(.*)$", re.I)
# A line that is only a date or a dateline: "May 12, 2022", "Tuesday, May 12, 2022",
# "SEOUL, March 3 (Yonhap) --", "WASHINGTON, D.C., June 1, 2023 —".
_DATE_ANY = "(?:" + "|".join(rx.pattern for rx in (ISO, MONTH_DAY, DAY_MONTH)) + ")"
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Za-z.'’-]*(?:\s+[A-Z][A-Za-z.'’-]*){0,3},\s+(?:[A-Z][A-Za-z.]*,\s+)?)?"
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    + re.sub(r"\(\?P<\w+>", "(?:", _DATE_ANY)
    + r"(?:\s*\([^()]{1,40}\))?\s*(?:--|—|–|-)?$",
    re.I,
)
LEAD_PARAGRAPHS = 3  # a dateline sits above the story, never further down


def parse_text(data: bytes, *, content_type: str | None = None) -> list[Article]:
    """One article from text: chrome dropped, title from a short first line or the lead,
    date from "Posted …" lines."""
    text, encoding = decode_bytes(data, charset_from_content_type(content_type))
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
    paragraphs, dated = _drop_datelines(paragraphs)
    published = published or dated
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
    warning = decode_warning(encoding)
    return [
        Article(
            title=title or title_from_lead(body),
            title_derived=title is None,
            body=body,
            published=published,
            warnings=[warning] if warning else [],
        )
    ]


def is_dateline(line: str) -> bool:
    """True when ``line`` is only a date or a dateline ("SEOUL, March 3 (Yonhap) --")."""
    # a Korean date alone ("2023년 8월 29일", "2023.08.29"): the pattern is in ingest/korean.py
    return len(line) <= 80 and (_DATELINE.match(line) is not None or korean_date_line(line))


def _drop_datelines(paragraphs: list[str]) -> tuple[list[str], str | None]:
    """Paragraphs above the story that are only a date or a dateline are metadata, not a
    title or text: drop them and keep the first date that parses as the published date."""
    published = None
    kept = []
    for i, para in enumerate(paragraphs):
        if i < LEAD_PARAGRAPHS and is_dateline(para):
            _, iso = parse_date_text(para)
            published = published or iso
            continue
        kept.append(para)
    return kept, published


# Text wrapped by hand never has a line this long: a block holding one is page text copied one
# paragraph a line (a headline, a byline, then the story), and each of its lines stands alone.
UNWRAPPED = 200


def _paragraphs(lines: list[str]) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    for line in lines + [""]:
        if line:
            current.append(line)
        elif current:
            if _is_list(current):
                out.append("\n".join(current))
            elif len(current) > 1 and max(len(x) for x in current) > UNWRAPPED:
                out += current
            else:
                out += [" ".join(part) for part in _wrapped(current)]
            current = []
    return out


# A line of text wrapped at a fixed width (as a PDF's is) that falls this far short of the
# block's widest line ended where its writer ended it.
SHORT_LINE = 0.6
BULLET_LINE = 0.9
BULLETS = "•·▪◦‣-–*"


def _wrapped(lines: list[str]) -> list[list[str]]:
    """The paragraphs of a block of wrapped lines: a short line followed by one that does not go on
    in lower case ends one ("JOINT PRESS RELEASE" / "11 December 2025" above the headline)."""
    width = max(len(x) for x in lines)
    if width < 60:  # a block of short lines: an address, a short paragraph wrapped narrow
        return [lines]
    parts: list[list[str]] = [[]]
    for i, line in enumerate(lines):
        parts[-1].append(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        # a bullet's item ends sooner: the next line opening in capitals is most likely text
        short = (BULLET_LINE if parts[-1][0][:1] in BULLETS else SHORT_LINE) * width
        if nxt and len(line) < short and not nxt[0].islower():
            parts.append([])
    return parts


def _is_list(lines: list[str]) -> bool:
    """"… included:" over short lines, one item a line: the line breaks are what separates the
    items, so they stay."""
    items = lines[1:]
    return (len(items) >= 2 and lines[0].endswith(":")
            and all(len(x) <= 150 and not x.endswith(":") for x in items))


def _is_title_line(line: str) -> bool:
    return len(line) <= 150 and len(line.split()) <= 25 and not line.endswith((".", ",", ";", ":"))


