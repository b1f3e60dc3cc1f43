"""Reply → terminal text (bold with ANSI when writing to a terminal)."""

from __future__ import annotations

from bot.core.reply import Reply
from bot.core.text import to_text

_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


def _clean(text: str) -> str:
    # Article text must not drive the terminal: drop escape and other control characters.
    return "".join(ch for ch in text if ch in "\n\t\x02\x03" or ch >= " " and ch != "\x7f")


def render(reply: Reply, *, color: bool = False) -> str:
    """The reply as the console prints it."""
    bold = (lambda s: f"{_BOLD}{s}{_RESET}") if color else (lambda s: s)
    return to_text(_sanitised(reply), bold=bold)


def _sanitised(reply: Reply) -> Reply:
    from dataclasses import replace

    answers = [
        replace(a, title=_clean(a.title), lines=[_clean(line) for line in a.lines],
                evidence=_clean(a.evidence) if a.evidence else a.evidence)
        for a in reply.answers
    ]
    return replace(reply, title=_clean(reply.title), lines=[_clean(x) for x in reply.lines], answers=answers)
