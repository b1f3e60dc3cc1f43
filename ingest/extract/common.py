"""What every extraction rule shares: the article's context, dates and places in a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ingest.dates import MONTH, MONTHS, parse_date_text
from ingest.extract.names import PLACES, name_key
from ingest.extract.orgs import NameIndex
from ingest.extract.sentences import has_digit

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY = re.compile(r"\b(?:on|last)\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_MONTH_YEAR = re.compile(r"\b" + MONTH + r",?\s+(?P<year>(?:19|20)\d{2})\b")  # "July 2023"
_YEAR = re.compile(r"\b(?:in|since|during|of)\s+((?:19|20)\d{2})\b")
_AT = re.compile(
    r"\b(?:at|held at|hosted at)\s+(?:the\s+)?(?P<at>[A-Z][\w'’&.-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’&.-]*){0,5})"
    r"(?:\s+(?:in|of)\s+(?:downtown\s+|central\s+|southern\s+|northern\s+|eastern\s+|western\s+)?"
    r"(?P<city>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}))?"
)
_IN = re.compile(r"\bin\s+(?:downtown\s+|central\s+)?(?P<city>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’-]*){0,2})")


@dataclass
class Context:
    """The article being read: its date (for years left unwritten) and the names known."""

    index: NameIndex
    published: date | None = None
    title: str = ""  # "The two companies signed…" in the lead may refer back to the headline
    reader: object = None  # the statistical reader (ingest.extract.reader.Reader), when loaded


def find_date(text: str, ctx: Context, *, year_only: bool = True) -> tuple[str | None, str | None]:
    """The first date written in ``text`` (as written, ISO when the year is known or inferable)."""
    return _find_date(text, ctx.published, year_only)


@lru_cache(maxsize=4096)  # one sentence is asked again for each agreement and amount it holds
def _find_date(text: str, published: date | None, year_only: bool) -> tuple[str | None, str | None]:
    ctx = Context(index=None, published=published)  # type: ignore[arg-type]
    digit = has_digit(text)  # every written date and year has a digit; most sentences none
    if digit and _may_hold_date(text):
        written, iso = parse_date_text(text, ref=ctx.published)
        if written:
            return written, iso[:10] if iso else None
    m = _WEEKDAY.search(text) if "day" in text else None  # every weekday's name ends in "day"
    if m:
        written = m.group(1)
        if ctx.published is None:
            return written, None
        back = (ctx.published.weekday() - WEEKDAYS.index(written.lower())) % 7
        return written, (ctx.published - timedelta(days=back)).isoformat()
    m = _MONTH_YEAR.search(text) if digit else None
    if m:  # "in July 2023": as precise as written
        return m.group(0), f"{m.group('year')}-{MONTHS[m.group('month')[:3].lower()]:02d}"
    m = _YEAR.search(text) if year_only and digit else None
    if m:
        return m.group(1), m.group(1)
    return None, None


_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _may_hold_date(text: str) -> bool:
    """False only when ``parse_date_text`` cannot find a date: an ISO date needs a dash and the
    others a month's name. Three case-blind patterns cost more than these substring tests; in
    non-ASCII text a case-blind match is not a plain lower-case test, so that text is read."""
    if not text.isascii() or "-" in text:
        return True
    low = text.lower()
    return any(m in low for m in _MONTH_STEMS)


_DATE_LIKE = re.compile(r"(?:\d|[A-Z][a-z]{2}\.?\s+\d)")


def find_place(text: str) -> str | None:
    """Where it happened: "at Eltower in downtown Seoul" → "Eltower, Seoul"; "in Brussels"."""
    for m in _AT.finditer(text) if "at" in text else ():  # each of its verbs ends in "at"
        at = m.group("at").rstrip(".,")
        if _DATE_LIKE.match(at) or name_key(at.split()[0]) in (
            "the", "a", "an", "its", "their", "his", "her"):
            continue
        if name_key(at) in ("mou", "agreement", "ceremony"):
            continue
        if at.endswith(("'s", "’s")):
            continue
        city = m.group("city")
        return f"{at}, {city}" if city and name_key(city) != name_key(at) else at
    for m in _IN.finditer(text):
        city = m.group("city")
        words = city.split()
        for n in range(len(words), 0, -1):
            cand = " ".join(words[:n]).rstrip(".,")
            if cand.endswith(("'s", "’s")):
                continue  # "in Korea's car industry": a modifier, not where it happened
            if name_key(cand) in PLACES:
                return cand
    return None


# "SEOUL, May 22 (Yonhap) -- ", "TOKYO, Nov 2, 2020 - ", "WASHINGTON — ": where and when the
# report was filed, never the subject of its first sentence.
# "SEOUL, SOUTH KOREA", and as releases write them: "Vienna, Austria", "Washington, D.C."
# (a name in title case only with its country or state: "Korea Eximbank — the lender —" is none)
_REGION = r",\s+[A-Z]\.?[A-Za-z.]*(?:\s+[A-Z][A-Za-z]*\.?)*"
_CITY = r"(?:[A-Z][A-Z.'’ ]{1,30}(?:" + _REGION + r")?|[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+){0,2}" + _REGION + ")"
# ", May 22", ", Nov 2, 2020", ", 8-Feb-2024"
_WHEN = r",\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?|\d{1,2}-[A-Z][a-z]{2}-\d{4})"
_AGENCY = r"(?:\s*\([^()]{1,30}\)|\s*/[^/\n]{1,30}/)?"  # "(Yonhap)", "/PRNewswire/"
_DATE_AFTER = r"(?:\s*\((?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4})\))?"  # "WASHINGTON, D.C. – (June 7, 2006)"
_LABEL = r"(?:\([A-Z][A-Z ]{2,30}\)\s*)?"  # "(PRESS RELEASE) LUXEMBOURG, …"
DATELINE = re.compile(
    r"^" + _LABEL + _CITY + r"(?:(?:" + _WHEN + r")?" + _AGENCY + r"\s*(?:--|—|–)" + _DATE_AFTER + r"\s*"
    r"(?:/[^/\n]{1,30}/\s*(?:--|—|–)\s*)?"
    r"|(?:" + _WHEN + r")?" + _AGENCY + r"\s+-(?:\s+|(?=[A-Z][a-z]))(?:/[^/\n]{1,30}/\s+-\s+)?" + _DATE_AFTER
    + r"\s*)(?=\S)"
)


# "Dual Agreements Cement UK-Canada Ties January 31, 2024 -- The UK and Canada …": a headline run
# into the dateline of the sentence after it; "Seoul, September 14, 2022 – Today, …" too.
HEADED_DATELINE = re.compile(r"^.{0,160}?\b" + MONTH + r"\.?\s+\d{1,2},\s+\d{4}\s*(?:--|—|–|-(?=\s+[A-Z]))\s+")


def strip_dateline(text: str) -> str:
    """``text`` without a leading dateline (and a headline run into it)."""
    m = DATELINE.match(text)
    if m:
        return text[m.end():]
    if "--" in text or "—" in text or "–" in text or " - " in text:  # folded text writes " - "
        m = HEADED_DATELINE.match(text)
        if m:
            return text[m.end():]
    return text


def today_or(published: str | None) -> date | None:
    """The article's date as a ``date`` (None when unknown or unreadable)."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None
