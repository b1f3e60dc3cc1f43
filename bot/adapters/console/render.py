"""Reply → terminal text (bold with ANSI when writing to a terminal)."""

from __future__ import annotations

import re
import textwrap

from base.reply import Reply
from base.text import to_text

_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


def _clean(text: str) -> str:
    # Article text must not drive the terminal: drop escape and other control characters.
    return "".join(ch for ch in text if ch in "\n\t\x02\x03" or ch >= " " and ch != "\x7f")


def render(reply: Reply, *, color: bool = False, width: int | None = None) -> str:
    """The reply as the console prints it; lines wrapped at ``width`` columns when given."""
    bold = (lambda s: f"{_BOLD}{s}{_RESET}") if color else (lambda s: s)
    text = to_text(_sanitised(reply), bold=bold)
    return text if not width else "\n".join(_wrap(line, width) for line in text.split("\n"))


_INDENT = re.compile(r"^(\s*(?:\d+\. )?)")


def _wrap(line: str, width: int) -> str:
    # Continuation lines keep the item's indent, so numbered answers stay readable.
    indent = " " * len(_INDENT.match(line).group(1))
    return textwrap.fill(line, width, subsequent_indent=indent, break_long_words=False,
                         break_on_hyphens=False) or line


def _sanitised(reply: Reply) -> Reply:
    from dataclasses import replace

    answers = [
        replace(a, title=_clean(a.title), lines=[_clean(line) for line in a.lines],
                evidence=_clean(a.evidence) if a.evidence else a.evidence,
                sources=[replace(s, title=_clean(s.title), url=s.url and _clean(s.url),
                                 path=s.path and _clean(s.path)) for s in a.sources])
        for a in reply.answers
    ]
    return replace(reply, title=_clean(reply.title), lines=[_clean(x) for x in reply.lines], answers=answers,
                   footer=reply.footer and _clean(reply.footer))
