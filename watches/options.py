"""What follows a watch's filter: ``mention @user|@role …`` and ``quiet HH:MM-HH:MM [tz Zone]``.

Mentions are read only from the platform's own mention syntax as the platform sends it in a
command (Slack ``<@U…>`` and ``<!subteam^S…>``, Discord ``<@…>`` and ``<@&…>``); on the console,
where nobody can be pinged, ``@name`` is kept as a label. Nothing else ever becomes a mention.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from digests.schedule import ScheduleError, parse_time, parse_zone

KEYWORDS = ("mention", "mentions", "quiet")
MAX_MENTIONS = 10
_SLACK_USER = re.compile(r"^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$")
_SLACK_GROUP = re.compile(r"^<!subteam\^(S[A-Z0-9]{2,})(?:\|[^>]*)?>$")
_DISCORD_USER = re.compile(r"^<@!?(\d{5,25})>$")
_DISCORD_ROLE = re.compile(r"^<@&(\d{5,25})>$")
_NAME = re.compile(r"^@([\w.\-]{1,80})$")
_QUIET = re.compile(r"^(\d{1,2}(?::\d{2})?)\s*-\s*(\d{1,2}(?::\d{2})?)$")


class OptionError(ValueError):
    """A mention or quiet-hours clause that cannot be read; the message says why."""


def split_options(text: str) -> tuple[str, str]:
    """(filter, options): the options start at the first ``mention`` or ``quiet`` that stands
    outside quotes, parentheses and patterns. (To look for the word itself, quote it.)"""
    depth, i, n = 0, 0, len(text)
    quote = None
    while i < n:
        c = text[i]
        if quote:
            if c == quote or (quote == "”" and c == '"'):
                quote = None
            i += 1
            continue
        if c in '"“':
            quote = '"' if c == '"' else "”"
        elif c == "(":
            depth += 1
        elif c == ")":
            depth = max(depth - 1, 0)
        elif text[i:i + 4].lower() == "re:/":
            j = i + 4
            while j < n and text[j] != "/":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        elif depth == 0 and (i == 0 or text[i - 1].isspace()):
            m = re.match(r"(mentions?|quiet)(?=\s|$)", text[i:], re.I)
            if m:
                return text[:i].strip(), text[i:].strip()
        i += 1
    return text.strip(), ""


def mention_of(word: str, platform: str) -> dict:
    """One mention as written → ``{"kind", "id", "text"}``; OptionError when it is not a mention
    this platform can make."""
    for rx, kind, where in ((_SLACK_USER, "user", "slack"), (_SLACK_GROUP, "group", "slack"),
                            (_DISCORD_ROLE, "role", "discord"), (_DISCORD_USER, "user", "discord")):
        m = rx.match(word)
        if m:
            if platform not in (where, "console", "cli"):
                raise OptionError(f"{word} is a {where.capitalize()} mention; this channel is on {platform}.")
            text = {("slack", "user"): f"<@{m.group(1)}>", ("slack", "group"): f"<!subteam^{m.group(1)}>",
                    ("discord", "user"): f"<@{m.group(1)}>", ("discord", "role"): f"<@&{m.group(1)}>"}[(where, kind)]
            return {"kind": kind, "id": m.group(1), "text": text, "platform": where}
    m = _NAME.match(word)
    if m:
        if platform in ("slack", "discord"):
            raise OptionError(
                f"“{word}” is not a mention {platform.capitalize()} sent: pick the person or role from the "
                "list that appears as you type @, so the command carries their ID."
            )
        return {"kind": "name", "id": m.group(1), "text": "@" + m.group(1), "platform": platform}
    raise OptionError(f"“{word}” is not a mention: write @ and pick a person or role, e.g. mention @policy-team.")


def parse_options(text: str, platform: str, default_tz: str = "UTC") -> tuple[list[dict], dict | None]:
    """``mention … quiet …`` → (mentions, quiet hours or None); OptionError when unreadable."""
    mentions: list[dict] = []
    quiet = None
    words = text.split()
    i = 0
    while i < len(words):
        head = words[i].lower()
        if head in ("mention", "mentions"):
            i += 1
            taken = 0
            while i < len(words) and words[i].lower() not in KEYWORDS:
                m = mention_of(words[i], platform)
                if all((x["kind"], x["id"]) != (m["kind"], m["id"]) for x in mentions):
                    mentions.append(m)
                i += 1
                taken += 1
            if not taken:
                raise OptionError("`mention` needs who to mention after it, e.g. mention @policy-team.")
        elif head == "quiet":
            if quiet is not None:
                raise OptionError("Give quiet hours once.")
            if i + 1 >= len(words):
                raise OptionError("`quiet` needs hours, e.g. quiet 22:00-07:00 tz Asia/Seoul.")
            span = words[i + 1]
            i += 2
            tz = default_tz
            if i < len(words) and words[i].lower() == "tz":
                if i + 1 >= len(words):
                    raise OptionError("`tz` needs a time zone after it, e.g. tz Asia/Seoul.")
                tz = words[i + 1]
                i += 2
            quiet = parse_quiet(span, tz)
        else:
            raise OptionError(f"“{words[i]}” is not an option; after the filter come `mention …` and `quiet …`.")
    if len(mentions) > MAX_MENTIONS:
        raise OptionError(f"A watch mentions at most {MAX_MENTIONS} people or roles.")
    return mentions, quiet


def parse_quiet(span: str, tz: str) -> dict:
    """``22:00-07:00`` in zone ``tz`` → ``{"start", "end", "tz"}``."""
    m = _QUIET.match(span)
    if not m:
        raise OptionError(f"“{span}” is not a span of hours; write it like 22:00-07:00.")
    try:
        (h1, m1), (h2, m2) = parse_time(m.group(1)), parse_time(m.group(2))
        parse_zone(tz)
    except ScheduleError as exc:
        raise OptionError(str(exc)) from None
    if (h1, m1) == (h2, m2):
        raise OptionError("Quiet hours must start and end at different times.")
    return {"start": f"{h1:02d}:{m1:02d}", "end": f"{h2:02d}:{m2:02d}", "tz": tz}


def describe_quiet(quiet: dict | None) -> str:
    """Quiet hours in words."""
    return f"quiet {quiet['start']}-{quiet['end']} ({quiet['tz']})" if quiet else ""


def quiet_until(quiet: dict | None, now: datetime) -> datetime | None:
    """When the quiet hours ``now`` falls in end (aware), or None when ``now`` is not in them."""
    if not quiet:
        return None
    zone = parse_zone(quiet["tz"])
    local = now.astimezone(zone)
    start = tuple(int(x) for x in quiet["start"].split(":"))
    end = tuple(int(x) for x in quiet["end"].split(":"))
    minute = (local.hour, local.minute)
    inside = start <= minute < end if start < end else (minute >= start or minute < end)
    if not inside:
        return None
    day = local.date() if (start < end or minute < end) else local.date() + timedelta(days=1)
    naive = datetime(day.year, day.month, day.day, end[0], end[1])
    return naive.replace(tzinfo=zone)
