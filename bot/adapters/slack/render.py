"""Reply → Block Kit. Pure functions; the only place that knows Slack's message format.

Untrusted text (article titles and text, feed fields, LLM output, the user's own query) is
escaped for mrkdwn — only ``&``, ``<`` and ``>``, as Slack asks — so no ``<!channel>``,
``<!here>``, ``<@U…>``, ``<#C…>`` or ``<http…|…>`` from it ever becomes live markup. Links are
built only from stored ``SourceRef.url`` values. Titles go in ``plain_text`` headers, which Slack
never parses. Slack's limits (50 blocks, 3000 characters a text, 150 a header, 10 context
elements) are met by cutting with "…and N more". One column throughout (no section fields, which
become two narrow columns on a phone).
"""

from __future__ import annotations

import json
import posixpath
import re
from urllib.parse import quote, urlsplit

from base.reply import Answer, Reply, SourceRef
from base.text import HL_END, HL_START

MAX_BLOCKS = 50
MAX_TEXT = 3000  # a section's or a context element's text
MAX_HEADER = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_BUTTON_VALUE = 2000
MAX_LABEL = 120  # a link label: long titles wrap badly on a phone
MAX_FALLBACK = 300
MIN_PARTIAL = 200  # a cut line shorter than this is not worth showing  # the notification text; the blocks carry the message

SHARE_ACTION = "briefbot_share"
OK_KINDS = ("answer", "empty", "info")

_CONTROL = re.compile(r"[\x00-\x01\x04-\x08\x0b\x0c\x0e-\x1f\x7f]")
# In plain_text Slack shows "<!channel>" literally; we still break such sequences so that no
# mention- or link-shaped string leaves the process, whatever Slack does with it later.
_SEQUENCE_START = re.compile(r"<(?=[!@#A-Za-z])")


def escape(text: str) -> str:
    """Untrusted text for mrkdwn: ``&``, ``<``, ``>`` escaped, control characters dropped."""
    text = _CONTROL.sub("", text).replace(HL_START, "").replace(HL_END, "")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def highlighted(text: str) -> str:
    """Like ``escape`` but search highlights become bold."""
    out, rest = [], text
    while HL_START in rest:
        before, _, after = rest.partition(HL_START)
        word, _, rest = after.partition(HL_END)
        out.append(escape(before))
        word = escape(word).strip()
        if word:
            out.append(f"*{word}*")
    out.append(escape(rest))
    return "".join(out)


def plain(text: str, limit: int = MAX_HEADER) -> str:
    """Untrusted text for a ``plain_text`` object, cut to ``limit`` characters."""
    text = _CONTROL.sub("", text).replace(HL_START, "").replace(HL_END, "")
    text = _SEQUENCE_START.sub("<\u200b", " ".join(text.split()))
    return cut(text, limit) or " "


def cut(text: str, limit: int) -> str:
    """``text`` shortened to at most ``limit`` characters, ending in "…" when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def safe_url(url: str | None) -> str | None:
    """A stored URL fit for a mrkdwn link (http/https only; ``<``, ``>``, ``|``, spaces encoded)."""
    if not url:
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")


def link(url: str | None, label: str) -> str:
    """``<url|label>`` for a safe stored URL, else just the escaped label."""
    label = escape(cut(" ".join(label.split()), MAX_LABEL)) or "link"
    target = safe_url(url)
    return f"<{target}|{label}>" if target else label


def citation(source: SourceRef) -> str:
    """One source as mrkdwn: linked title (or title and file name), and date."""
    parts = [link(source.url, source.title)]
    if not source.url and source.path:
        parts.append(f"`{escape(posixpath.basename(source.path.replace(chr(92), '/')))}`")
    if source.published:
        parts.append(escape(source.published[:10]))
    return " · ".join(parts)


def fit_lines(lines: list[str], limit: int = MAX_TEXT, noun: str = "lines") -> str:
    """Join mrkdwn ``lines`` within ``limit`` characters, ending "…and N more" when cut."""
    text = "\n".join(lines)
    if len(text) <= limit:
        return text
    kept: list[str] = []
    for line in lines:
        after = len(lines) - len(kept) - 1
        suffix = f"\n…and {after} more {noun}" if after else ""
        room = limit - len("\n".join(kept)) - (1 if kept else 0) - len(suffix)
        if len(line) <= room:
            kept.append(line)
            continue
        if room >= MIN_PARTIAL or not kept:
            # Too long for what is left: show its start rather than drop it whole.
            kept.append(_cut_mrkdwn(line, room))
            return "\n".join(kept) + suffix
        break
    return "\n".join([*kept, f"…and {len(lines) - len(kept)} more {noun}"])


def _cut_mrkdwn(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    text = text[: limit - 1]
    # Never leave half an entity ("&am") or half a link ("<https://…") at the cut.
    amp, lt = text.rfind("&"), text.rfind("<")
    if amp > text.rfind(";"):
        text = text[:amp]
    if lt > text.rfind(">"):
        text = text[:lt]
    if text.count("*") % 2:
        text = text[: text.rfind("*")]
    return text.rstrip() + "…"


def answer_blocks(answer: Answer, number: int | None) -> list[dict]:
    """A section (title, lines, evidence) and a context of its sources."""
    title = escape(cut(" ".join(answer.title.split()), 300))
    lines = [f"*{number}. {title}*" if number else f"*{title}*"]
    lines += [highlighted(line) for line in answer.lines if line.strip()]
    if answer.evidence:
        lines.append("> “" + escape(" ".join(answer.evidence.split())) + "”")
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": fit_lines(lines)}}]
    sources = [citation(s) for s in answer.sources]
    if sources:
        if len(sources) > MAX_CONTEXT_ELEMENTS:
            rest = len(sources) - (MAX_CONTEXT_ELEMENTS - 1)
            sources = sources[: MAX_CONTEXT_ELEMENTS - 1] + [f"…and {rest} more sources"]
        elements = [{"type": "mrkdwn", "text": _cut_mrkdwn(s, MAX_TEXT)} for s in sources]
        blocks.append({"type": "context", "elements": elements})
    return blocks


def share_value(command: str, text: str) -> str | None:
    """What the Share button carries: the command to run again in public (None if too long)."""
    value = json.dumps({"command": command, "text": text}, ensure_ascii=False)
    # The value is never shown, but nothing mention-shaped leaves the process.
    value = value.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return value if len(value) <= MAX_BUTTON_VALUE else None


def render(reply: Reply, *, share: str | None = None, note: str | None = None) -> dict:
    """The message for ``reply``: ``{"text", "blocks"}``.

    ``share``: a ``share_value`` for a "Share in channel" button (only added to private
    answers). ``note``: trusted mrkdwn for a last context line (e.g. who asked).
    """
    head = [{"type": "header", "text": {"type": "plain_text", "text": plain(reply.title), "emoji": True}}]
    if reply.lines:
        text = fit_lines([highlighted(line) for line in reply.lines if line.strip()])
        if text:
            head.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})

    tail: list[dict] = []
    if reply.footer:
        tail.append({"type": "context", "elements": [{"type": "mrkdwn", "text": _cut_mrkdwn(escape(reply.footer), MAX_TEXT)}]})
    if note:
        tail.append({"type": "context", "elements": [{"type": "mrkdwn", "text": _cut_mrkdwn(note, MAX_TEXT)}]})
    if share and reply.private and reply.kind in OK_KINDS and reply.answers:
        tail.append({
            "type": "actions",
            "block_id": "share",
            "elements": [{
                "type": "button",
                "action_id": SHARE_ACTION,
                "text": {"type": "plain_text", "text": "Share in channel"},
                "value": share,
            }],
        })

    body: list[dict] = []
    many = len(reply.answers) > 1
    room = MAX_BLOCKS - len(head) - len(tail)
    for i, answer in enumerate(reply.answers):
        blocks = answer_blocks(answer, i + 1 if many else None)
        left = len(reply.answers) - i
        # Keep one block free for "…and N more" unless this is the last answer.
        if len(body) + len(blocks) > room - (1 if left > 1 else 0):
            body.append({"type": "section", "text": {"type": "mrkdwn", "text": f"…and {left} more"}})
            break
        body.extend(blocks)

    fallback = escape(cut(" ".join(reply.title.split()), MAX_FALLBACK))
    return {"text": fallback or "briefbot", "blocks": head + body + tail}
