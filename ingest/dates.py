"""Dates as news writes them ("Aug. 29", "March. 25, 2025 07:32", "2024-09-11T18:47:44")."""

from __future__ import annotations

import re
from datetime import date, datetime

from ingest.caseblind import CaseBlind
from ingest.korean import find_korean_date, parse_dotted_date

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}
MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
MONTH_DAY = re.compile(
    MONTH + r"\s+(?P<day>\d{1,2})(?!\d)(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d{2}))?"
    r"(?:,?\s+(?P<hour>\d{1,2}):(?P<minute>\d{2}))?",
    re.I,
)
DAY_MONTH = re.compile(r"(?<!\d)(?P<day>\d{1,2})\s+" + MONTH + r"(?:\s+(?P<year>(?:19|20)\d{2}))?", re.I)
ISO = re.compile(
    r"(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
)

# The same two, read case-blind without re.I (``parse_date_text`` runs on every sentence
# with a month's name and a digit).
def _lower(pattern: str) -> str:
    """``pattern`` with its month names in lower case (named groups keep their "?P")."""
    return pattern.replace("(?P<", "\0").lower().replace("\0", "(?P<")


_MONTH_DAY = CaseBlind(_lower(MONTH_DAY.pattern))
_DAY_MONTH = CaseBlind(_lower(DAY_MONTH.pattern))


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")[:3] if name.lower()[:4] != "sept" else "sep"]


def parse_date_text(text: str, *, ref: date | None = None) -> tuple[str | None, str | None]:
    """Find the first date in ``text``; return (as written, ISO or None).

    Without a year in the text the year comes from ``ref`` (the article's date): a month after
    the reference month is taken as the previous year, as news reports past events.
    """
    low = text.lower() if text.isascii() else None
    # Korean dates ("2025년 3월 3일", "3월 3일", "29일"): one marked hook, the rules in ingest/korean.py
    ko_at, ko_written, ko_iso = (-1, None, None) if low is not None else find_korean_date(text, ref)
    for rx in (ISO, _MONTH_DAY, _DAY_MONTH):
        m = rx.search(text) if rx is ISO else rx.search(text, low)
        if not m or 0 <= ko_at < m.start():
            continue
        # the groups hold digits and a month name read case-blind; the date as written is
        # the text's own
        written = text[m.start():m.end()].strip().rstrip(",")
        try:
            month = int(m.group("month")) if rx is ISO else _month(m.group("month"))
            day = int(m.group("day"))
            year = m.group("year")
            if year:
                y = int(year)
            elif ref is not None:
                y = ref.year - 1 if month > ref.month + 1 else ref.year
            else:
                return written, None
            d = date(y, month, day)
        except (ValueError, KeyError):
            continue
        hour = m.groupdict().get("hour")
        if hour and m.group("minute"):
            return written, datetime(d.year, d.month, d.day, int(hour), int(m.group("minute"))).isoformat(
                timespec="minutes"
            )
        return written, d.isoformat()
    if ko_written:
        return ko_written, ko_iso
    return parse_dotted_date(text) if "." in text else (None, None)


def to_iso(value: str | None) -> str | None:
    """Normalise a machine date (ISO, RFC 822 as feeds give it) to ISO 8601, or None."""
    if not value:
        return None
    value = value.strip()
    m = ISO.match(value)
    if m:
        try:
            dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            try:
                dt = datetime.fromisoformat(m.group(0))
            except ValueError:
                return None  # e.g. month 13: not a date at all
        # A date without a time stays a date: midnight would be a time nobody wrote.
        return dt.isoformat() if m.group("hour") else dt.date().isoformat()
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        return parse_date_text(value)[1]
