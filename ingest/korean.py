"""Korean text: its numbers and its dates (its language, search terms and names are in
``base/hangul.py``, shared with storage and the commands, and re-exported here)."""

from __future__ import annotations

import re
from datetime import date

from base.hangul import (  # noqa: F401  (re-exported: the rules and parsers import them from here)
    HANGUL,
    detect_lang,
    hangul_pieces,
    has_hangul,
    korean_name,
    query_pattern,
    query_terms,
    search_terms,
    squash_spaces,
)

# ---------------------------------------------------------------- numbers and amounts

_DIGITS = {"영": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9}
_SMALL = {"십": 10, "백": 100, "천": 1000}
_BIG = {"만": 1e4, "억": 1e8, "조": 1e12}
CURRENCIES = {"원": "KRW", "달러": "USD", "유로": "EUR", "엔": "JPY", "위안": "CNY", "파운드": "GBP",
              "루피": "INR"}
_NUM = r"\d[\d,]*(?:\.\d+)?"
# One section before a big unit: "2천744", "3", "1.5", "5천", "삼천"; Korean numerals only right
# before 천/백/십 ("구조" is a structure, not 9 trillion).
_SECTION = (r"(?:(?:" + _NUM + r"|[일이삼사오육칠팔구])?\s?[천백십]\s?)*(?:" + _NUM + r")?")
# It opens with a digit (every amount read has one first): the engine then skips to the digits
# of a sentence instead of trying the pattern at every character.
_FIRST = r"\d(?<![\d.,]\d)[\d,]*(?:\.\d+)?(?:\s?[천백십]\s?(?:" + _NUM + r")?)*"
AMOUNT = re.compile(
    r"(?P<num>" + _FIRST + r"(?:\s?[조억만]\s?" + _SECTION + r")*)\s?"
    r"(?P<cur>원|달러|유로|엔|위안|파운드|루피)"
)
_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?|[일이삼사오육칠팔구천백십조억만]")


_CURRENCY_WORDS = {"KRW": ("", " won"), "USD": ("$", ""), "EUR": ("", " euros"), "JPY": ("", " yen"),
                   "CNY": ("", " yuan"), "GBP": ("£", ""), "INR": ("Rs ", "")}


def english_amount(value: float, currency: str) -> str:
    """274_400_000_000, "KRW" → "274.4 billion won"; 1e8, "USD" → "$100 million"."""
    before, after = _CURRENCY_WORDS.get(currency, ("", f" {currency}"))
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if value >= scale:
            number = f"{value / scale:,.2f}".rstrip("0").rstrip(".")
            return f"{before}{number} {word}{after}"
    return f"{before}{value:,.0f}{after}"


def korean_number(text: str) -> float | None:
    """"2천744억" → 274_400_000_000; "3조5천억" → 3_500_000_000_000; "1.5조" → 1.5e12."""
    total = 0.0
    section = 0.0
    digit: float | None = None
    seen = False
    for tok in _TOKEN.findall(text.replace(" ", "")):
        if tok[0].isdigit():
            try:
                digit = float(tok.replace(",", ""))
            except ValueError:
                return None
            seen = True
        elif tok in _DIGITS:
            digit = float(_DIGITS[tok])
        elif tok in _SMALL:
            section += (1.0 if digit is None else digit) * _SMALL[tok]
            digit = None
        else:  # a big unit closes its section
            section += digit or 0.0
            total += (section or 1.0) * _BIG[tok]
            section, digit = 0.0, None
    total += section + (digit or 0.0)
    return total if seen and total > 0 else None


def find_amounts(text: str) -> list[tuple[int, int, float, str]]:
    """(start, end, value, currency) of every amount written the Korean way: "2744억 원",
    "2천744억 원", "3조5천억 원", "1억 달러", "500만 달러", "30,000원"."""
    out = []
    if not has_hangul(text):
        return out
    for m in AMOUNT.finditer(text):
        num = m.group("num").strip()
        if not any(c.isdigit() for c in num):
            continue  # "백만 원" and the like: words, not a figure
        value = korean_number(num)
        if value is None:
            continue
        start = m.start("num") + (len(m.group("num")) - len(m.group("num").lstrip()))
        out.append((start, m.end(), value, CURRENCIES[m.group("cur")]))
    return out


# ---------------------------------------------------------------- dates

DATE = re.compile(
    r"(?:(?P<year>(?:19|20)\d{2})\s?년\s?)?(?:(?P<month>1[0-2]|0?[1-9])\s?월\s?)?"
    r"(?P<day>3[01]|[12]\d|0?[1-9])\s?일(?![가-힣])"
    r"|(?P<year2>(?:19|20)\d{2})\s?년\s?(?P<month2>1[0-2]|0?[1-9])\s?월(?!\s?\d)"
)
# "2023.08.29", "2023. 8. 29." as Korean pages date their reports ("입력 2023.08.29 10:21")
DOTTED = re.compile(
    r"(?<![\d.])(?P<year>(?:19|20)\d{2})\.\s?(?P<month>1[0-2]|0?[1-9])\.\s?(?P<day>3[01]|[12]\d|0?[1-9])\.?"
    r"(?:\s+(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d))?(?![\d])"
)
_UPCOMING = re.compile(r"(?:오는|다가오는|내달|다음\s?달)\s*$")


_DATE_LINE = re.compile(
    r"^\s*(?:(?:19|20)\d{2}\s?년\s?(?:1[0-2]|0?[1-9])\s?월\s?(?:3[01]|[12]\d|0?[1-9])\s?일"
    r"|(?:19|20)\d{2}\.\s?(?:1[0-2]|0?[1-9])\.\s?(?:3[01]|[12]\d|0?[1-9])\.?)"
    r"(?:\s*\([월화수목금토일]\))?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$"
)


def korean_date_line(line: str) -> bool:
    """True when ``line`` is only a date written the Korean way ("2023년 8월 29일(화)",
    "2023.08.29 10:21"): a page's date above its story."""
    return _DATE_LINE.match(line) is not None


def parse_dotted_date(text: str) -> tuple[str | None, str | None]:
    """"2023.08.29 10:21" → ("2023.08.29 10:21", "2023-08-29T10:21"); (None, None) if none."""
    m = DOTTED.search(text)
    if not m:
        return None, None
    try:
        d = date(int(m.group("year")), int(m.group("month")), int(m.group("day")))
    except ValueError:
        return None, None
    if m.group("hour"):
        return m.group(0).strip(), f"{d.isoformat()}T{int(m.group('hour')):02d}:{m.group('minute')}"
    return m.group(0).strip(), d.isoformat()


def parse_korean_date(text: str, ref: date | None = None) -> tuple[str | None, str | None]:
    """The first Korean date in ``text`` as (as written, ISO or None); see ``find_korean_date``."""
    _, written, iso = find_korean_date(text, ref)
    return written, iso


def find_korean_date(text: str, ref: date | None = None) -> tuple[int, str | None, str | None]:
    """The first Korean date in ``text``. "2025년 3월 3일" is itself;
    "3월 3일" takes its year from ``ref`` (a month after the reference month is last year's);
    "29일" is the 29th of ``ref``'s month, or of the month before when the 29th is still to come
    ("오는 15일", "on the coming 15th", is the next one); "2025년 3월" is a month (2025-03).
    Returns (where it starts, as written, ISO or None); (-1, None, None) when there is none."""
    if not has_hangul(text) or "일" not in text and "월" not in text:
        return -1, None, None
    for m in DATE.finditer(text):
        written = m.group(0).strip()
        if m.group("year2"):
            return m.start(), written, f"{int(m.group('year2')):04d}-{int(m.group('month2')):02d}"
        day = int(m.group("day"))
        year = int(m.group("year")) if m.group("year") else None
        month = int(m.group("month")) if m.group("month") else None
        if month is None and year is not None:
            continue  # "2025년 29일" is no date
        upcoming = _UPCOMING.search(text[max(0, m.start() - 8):m.start()]) is not None
        try:
            if year is not None:
                return m.start(), written, date(year, month, day).isoformat()
            if ref is None:
                return m.start(), written, None
            if month is not None:
                y = ref.year - 1 if month > ref.month + 1 else ref.year
                return m.start(), written, date(y, month, day).isoformat()
            y, mo = ref.year, ref.month
            if upcoming and day < ref.day:
                y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
            elif not upcoming and day > ref.day:
                y, mo = (y - 1, 12) if mo == 1 else (y, mo - 1)
            return m.start(), written, date(y, mo, day).isoformat()
        except ValueError:
            continue
    return -1, None, None
