"""HTML fragments (feed entries, WordPress content) to plain paragraphs."""

from __future__ import annotations

import html
import re

_BLOCK = re.compile(r"</?(p|div|br|li|ul|ol|h[1-6]|blockquote|tr|table|section|article|figure|figcaption)\b[^>]*>", re.I)
_DROP = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>?")
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment with paragraph breaks kept; tolerant of cut-off markup."""
    if "<" not in fragment and "&" not in fragment:
        return _tidy(fragment)
    s = _DROP.sub(" ", fragment)
    s = _BLOCK.sub("\n\n", s)
    s = _TAG.sub("", s)
    return _tidy(html.unescape(s))


def _tidy(text: str) -> str:
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.replace("\r", "\n").split("\n")]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines + [""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return "\n\n".join(paragraphs)
