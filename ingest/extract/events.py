"""Events for the timeline: forums, ceremonies, conferences, summits, announcements."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.extract import lexicon as lx
from ingest.extract.common import Context, find_date, find_place
from ingest.extract.names import fold
from ingest.extract.sentences import Sentence

EVENT_NOUNS = lx.EVENT_NOUN
WORDS = lx.EVENT_WORDS
TRIGGER = re.compile(r"\b(?:" + EVENT_NOUNS + r"|announc(?:ed|es|ement))\b", re.I)
_NOUN = re.compile(r"\b(?:" + EVENT_NOUNS + r")\b", re.I)
_NAMED = re.compile(
    r"(?:[A-Z][\w'’&-]*\s+(?:(?:of|on|for|and|the)\s+)?){1,8}(?:Forum|Conference|Summit|Expo|"
    r"Exhibition|Symposium|Seminar|Workshop|Fair|Roundtable|Meeting|Ceremony|Show|Week)"
    r"(?:\s+(?:on|of|for)\s+[A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*){0,3})?"
)
_ANNOUNCED = re.compile(
    r"\bannounc(?:ed|es)\s+(?:on\s+\w+\s+)?(?:that\s+)?(?P<what>(?:an?|the|its|their|plans?)\b.{5,240})"
)
_SKIP_ANNOUNCEMENT = re.compile(r"[$€£¥₩₹]|\b(?:won|MOU|agreement|deal|partnership|contract|pact)\b")
_PHRASE_END = re.compile(r",|\s+(?:to keep|in order|which|that|as|while|amid)\b|$")


@dataclass
class Event:
    """Something that happened on a date: its kind, name, date and place."""

    subtype: str
    name: str
    date_text: str | None
    date: str | None
    place: str | None
    evidence: Sentence


def find_events(sentences: list[Sentence], ctx: Context) -> list[Event]:
    """Named or described events, one per name, and the article's announcements."""
    out: list[Event] = []
    seen: set[str] = set()
    seen_kinds: set[str] = set()
    for i, sent in enumerate(sentences):
        if sent.lacks(WORDS) or not TRIGGER.search(sent.text):
            continue
        text = fold(sent.text)
        named = _NAMED.search(text)
        noun = _NOUN.search(text)
        if named:
            name = re.sub(r"^(?:The|This|Their|Its)\s+", "", named.group(0).strip())
            subtype = _NOUN.search(name).group(0).lower() if _NOUN.search(name) else "event"
        elif noun:
            subtype = noun.group(0).lower()
            if subtype.rstrip("s") in seen_kinds:
                continue
            rest = text[noun.end():]
            tail = _PHRASE_END.search(rest)
            phrase = " ".join(rest[: tail.start()].split()[:12]) if tail else ""
            name = f"{subtype} {phrase}".strip()
        else:
            ann = _ANNOUNCED.search(text) if i < 6 else None
            if not ann or _SKIP_ANNOUNCEMENT.search(text):
                continue
            subtype = "announcement"
            what = ann.group("what")
            tail = _PHRASE_END.search(what)
            name = "announced " + " ".join(what[: tail.start()].split()[:16])
        subtype = re.sub(r"s$", "", subtype) if subtype not in ("ceremonies",) else "ceremony"
        name = name.rstrip(" .,;")
        key = name.lower()
        if key in seen:
            continue
        seen.add(key)
        seen_kinds.add(subtype)
        date_text, date = find_date(text, ctx, year_only=False)
        out.append(Event(subtype, name, date_text, date, find_place(text), sent))
    return out
