"""A reply as plain text (what the console prints without colour and the JSON ``text`` field
holds), and the highlight markers snippets carry. Works on any object shaped like
``base.reply.Reply``, so the model and its text form do not import each other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HL_START, HL_END = "\x02", "\x03"  # highlight markers inside snippets (from storage)


def strip_highlights(text: str) -> str:
    """Text without highlight markers."""
    return text.replace(HL_START, "").replace(HL_END, "")


def cite(source: Any) -> str:
    """One-line citation of a ``SourceRef``: title — date — URL or file."""
    parts = [source.title]
    if source.published:
        parts.append(source.published[:10])
    if source.url:
        parts.append(source.url)
    elif source.path:
        parts.append(source.path)
    return " — ".join(parts)


def to_text(reply: Any, bold: Callable[[str], str] = lambda s: s) -> str:
    """Render a ``Reply`` as text; ``bold`` decorates titles and highlighted words."""

    def hl(text: str) -> str:
        if HL_START not in text:
            return text
        out, rest = [], text
        while HL_START in rest:
            before, _, after = rest.partition(HL_START)
            word, _, rest = after.partition(HL_END)
            out.append(before + bold(word))
        out.append(rest)
        return "".join(out)

    out = [bold(reply.title)]
    out += [hl(line) for line in reply.lines]
    for n, answer in enumerate(reply.answers, 1):
        out.append("")
        prefix = f"{n}. " if len(reply.answers) > 1 else ""
        out.append(prefix + bold(answer.title))
        indent = " " * len(prefix)
        out += [indent + hl(line) for line in answer.lines]
        if answer.evidence:
            out.append(f"{indent}“{answer.evidence}”")
        for source in answer.sources:
            out.append(f"{indent}Source: {cite(source)}")
    if reply.footer:
        out += ["", reply.footer]
    return "\n".join(out)
