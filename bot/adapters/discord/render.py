"""Reply → Discord embeds: pure, within Discord's limits, untrusted text neutralised.

Discord's limits (message and embed objects): title 256, description 4096, 25 fields, field
name 256, field value 1024, footer 2048, 6000 characters over every embed of one message,
10 embeds a message, content 2000. Whatever does not fit is cut and counted ("…and N more").

Answers travel in embeds only, never in ``content``: text in an embed never pings anyone, and
``AllowedMentions.none()`` on the client covers the rest. Article text is untrusted: markdown is
escaped (no masked links, headings, quotes or spoilers from an article), ``@everyone``/``@here``
are broken with a zero-width space, ``<@…>`` mentions are escaped, and bare URLs are shown as
code, so the only clickable links are the stored source URLs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import quote, urlsplit

from base.reply import Answer, Reply, SourceRef
from base.text import HL_END, HL_START

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
TOTAL_MAX = 6000
EMBEDS_MAX = 10
CONTENT_MAX = 2000
URL_MAX = 1000  # longer stored URLs are shown without a link rather than risk a rejected embed

# Lines of the reply itself (above the answers) get at most this much when answers follow, so
# the answers keep most of the 6000-character budget.
HEADER_WITH_ANSWERS_MAX = 1500
FOOTER_RESERVE = len("\n…and 9999 more")

COLOURS = {
    "answer": 0x3B82F6,
    "info": 0x10B981,
    "empty": 0x9CA3AF,
    "usage": 0xF59E0B,
    "refusal": 0xEF4444,
    "error": 0xEF4444,
}

_CONTROL = re.compile(r"[\x00\x01\x04-\x08\x0b-\x1f\x7f]")
_URL = re.compile(r"https?://[^\s<>`\x02\x03]*[^\s<>`\x02\x03.,:;\"')\]]", re.I)
_SPECIAL = re.compile(r"([\\*_~|`\[\]])")
# "<" only where it would open a mention, channel, emoji, timestamp, command or link tag.
_TAG = re.compile(r"<(?=[@#:/]|a:|t:|https?:)", re.I)
_LINE_START = re.compile(r"^([ \t]*)(#|-|\+|>|\d+\.)(?=[\s#>]|$)", re.M)
_MASS_MENTION = re.compile(r"@(everyone|here)\b", re.I)
_ELLIPSIS = "…"


def _escape_plain(text: str) -> str:
    text = _SPECIAL.sub(r"\\\1", text)
    text = _TAG.sub(r"\\<", text)
    return _MASS_MENTION.sub("@\u200b\\1", text)


def _escape_line_start(m: re.Match) -> str:
    # Discord only honours a backslash before punctuation: "1\." not "\1.".
    mark = m.group(2)
    return m.group(1) + (mark[:-1] + "\\." if mark.endswith(".") else "\\" + mark)


def format_untrusted(raw: str) -> str:
    """Escape article or user text for an embed; snippet highlights become bold.

    Well-formed for any prefix of ``raw``, so callers may cut the raw text first.
    """
    raw = _CONTROL.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))
    out, pos = [], 0
    for m in _URL.finditer(raw):
        out.append(_escape_plain(raw[pos : m.start()]))
        out.append(f"`{m.group(0)}`")  # visible but not clickable: links come from sources only
        pos = m.end()
    out.append(_escape_plain(raw[pos:]))
    text = _LINE_START.sub(_escape_line_start, "".join(out))
    if text.count(HL_START) > text.count(HL_END):
        text += HL_END
    return text.replace(HL_START, "**").replace(HL_END, "**").replace("****", "")


def plain(raw: str, limit: int) -> str:
    """Text for places Discord shows verbatim (footers): control characters dropped, cut."""
    text = _CONTROL.sub("", raw.replace(HL_START, "").replace(HL_END, "")).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + _ELLIPSIS


def fit(raw: str, limit: int) -> str:
    """``raw`` formatted, cut at a word (with "…") so the formatted text is at most ``limit``."""
    full = format_untrusted(raw)
    if len(full) <= limit:
        return full
    lo, hi = 0, len(raw)
    while lo < hi:  # the longest raw prefix whose formatted form fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if len(format_untrusted(raw[:mid]).rstrip()) + 1 <= limit:
            lo = mid
        else:
            hi = mid - 1
    cut = lo
    space = raw.rfind(" ", 0, cut)
    if space > cut - 30 and space > 0:
        cut = space
    return format_untrusted(raw[:cut]).rstrip() + _ELLIPSIS


def safe_url(url: str | None) -> str | None:
    """A stored URL fit for a link: http(s) only, with characters that would end a markdown
    link percent-encoded; None when unusable."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    url = quote(url, safe=":/?#@!$&'*+,;=%~[]")
    return url if len(url) <= URL_MAX else None


def source_line(source: SourceRef, title_max: int = 200) -> str:
    """A citation: the linked title (stored URL only), date, or the file's name."""
    title = fit(source.title or "(untitled)", title_max)
    url = safe_url(source.url)
    parts = [f"[{title}]({url})" if url else title]
    if source.published:
        parts.append(format_untrusted(source.published[:10]))
    if not url and source.path:
        parts.append(fit(PurePath(source.path).name, 120))
    return "Source: " + " · ".join(parts)


@dataclass(frozen=True)
class Line:
    """One line of an embed text: untrusted ``raw`` text (formatted, may be cut) between our own
    ``prefix`` and ``suffix``, or ``fixed`` text we built (a citation), never cut."""

    raw: str | None = None
    fixed: str = ""
    prefix: str = ""
    suffix: str = ""

    def text(self) -> str:
        if self.raw is None:
            return self.fixed
        return self.prefix + format_untrusted(self.raw) + self.suffix

    def cut(self, room: int) -> str | None:
        """The line cut to ``room`` characters, or None when it cannot be cut usefully."""
        room -= len(self.prefix) + len(self.suffix)
        if self.raw is None or room < 20:
            return None
        return self.prefix + fit(self.raw, room) + self.suffix


def _more(n: int, noun: str) -> str:
    return f"{_ELLIPSIS}and {n} more {noun if n > 1 else noun.rstrip('s')}"


def fit_lines(lines: list[Line], limit: int, *, noun: str = "lines") -> str:
    """As many ``lines`` as fit in ``limit`` characters, the first that does not fit cut, and
    the rest counted ("…and N more lines")."""
    out: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        text = line.text()
        sep = 1 if out else 0
        after = len(lines) - i - 1
        reserve = len(_more(after, noun)) + 1 if after else 0
        if used + sep + len(text) + reserve <= limit:
            out.append(text)
            used += sep + len(text)
            continue
        left = after + 1
        note = len(_more(left - 1, noun)) + 1 if left > 1 else 0
        cut = line.cut(limit - used - sep - note)
        if cut is not None:
            out.append(cut)
            used += sep + len(cut)
            left -= 1
        if left and used + (1 if out else 0) + len(_more(left, noun)) <= limit:
            out.append(_more(left, noun))
        break
    return "\n".join(out)


def answer_body(answer: Answer, limit: int) -> str:
    """An answer's lines, evidence and citations within ``limit``; citations are kept first."""
    tail = fit_lines([Line(fixed=source_line(s)) for s in answer.sources], limit, noun="sources")
    room = limit - len(tail) - (1 if tail else 0)
    head = [Line(raw=line) for line in answer.lines]
    if answer.evidence:
        head.append(Line(raw=" ".join(answer.evidence.split()), prefix="> “", suffix="”"))
    body = fit_lines(head, room) if room > 0 else ""
    return "\n".join(part for part in (body, tail) if part)


def embed_size(embed: dict) -> int:
    """Characters Discord counts toward the 6000 limit for one embed."""
    size = len(embed.get("title", "")) + len(embed.get("description", ""))
    size += len(embed.get("footer", {}).get("text", "")) + len(embed.get("author", {}).get("name", ""))
    for f in embed.get("fields", []):
        size += len(f["name"]) + len(f["value"])
    return size


def message_size(embeds: list[dict]) -> int:
    """Characters Discord counts toward the 6000 limit for a message's embeds."""
    return sum(embed_size(e) for e in embeds)


def render_embeds(reply: Reply) -> list[dict]:
    """The reply as embed payloads for one message (at most 10 embeds, 6000 characters)."""
    colour = COLOURS.get(reply.kind, COLOURS["answer"])
    header: dict = {"title": fit(reply.title or "briefbot", TITLE_MAX), "color": colour}
    lines = [Line(raw=line) for line in reply.lines]
    desc_max = HEADER_WITH_ANSWERS_MAX if reply.answers else DESCRIPTION_MAX
    description = fit_lines(lines, desc_max)
    if description:
        header["description"] = description
    embeds = [header]
    footer_raw = plain(reply.footer, 500) if reply.footer else ""
    budget = TOTAL_MAX - embed_size(header) - len(footer_raw) - FOOTER_RESERVE
    answers = reply.answers
    numbered = len(answers) > 1
    expanded = len(answers) < EMBEDS_MAX and any(
        len(answer_body(a, DESCRIPTION_MAX)) > FIELD_VALUE_MAX for a in answers
    )
    shown = 0
    for n, answer in enumerate(answers, 1):
        number = f"{n}. " if numbered else ""
        if expanded:
            title = number + fit(answer.title or "(untitled)", TITLE_MAX - len(number))
            room = min(DESCRIPTION_MAX, budget - len(title))
            if shown and room < 200:
                break
            embed = {"title": title, "color": colour, "description": answer_body(answer, max(room, 1))}
            url = safe_url(answer.sources[0].url) if answer.sources else None
            if url:
                embed["url"] = url
            if not embed["description"]:
                del embed["description"]
            embeds.append(embed)
            budget -= embed_size(embed)
        else:
            field = {
                "name": number + fit(answer.title or "(untitled)", FIELD_NAME_MAX - len(number)),
                "value": answer_body(answer, FIELD_VALUE_MAX) or "\u200b",
                "inline": False,
            }
            cost = len(field["name"]) + len(field["value"])
            if cost > budget:
                break
            target = embeds[-1]
            if len(target.get("fields", [])) >= FIELDS_MAX:
                if len(embeds) >= EMBEDS_MAX:
                    break
                target = {"color": colour}
                embeds.append(target)
            target.setdefault("fields", []).append(field)
            budget -= cost
        shown += 1
    footer = [footer_raw] if footer_raw else []
    if shown < len(answers):
        footer.append(f"{_ELLIPSIS}and {len(answers) - shown} more")
    if footer:
        embeds[-1]["footer"] = {"text": "\n".join(footer)[:FOOTER_MAX]}
    return embeds


def render(reply: Reply) -> list:
    """The reply as ``discord.Embed`` objects, ready for ``send(embeds=…)``."""
    import discord

    return [discord.Embed.from_dict(e) for e in render_embeds(reply)]
