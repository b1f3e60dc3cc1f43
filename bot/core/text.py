"""Reply → plain text, shared by the console renderer and the JSON ``text`` field."""

from __future__ import annotations

from collections.abc import Callable

from bot.core.reply import HL_END, HL_START, Reply, SourceRef


def cite(source: SourceRef) -> str:
    """One-line citation: title — date — URL or file."""
    parts = [source.title]
    if source.published:
        parts.append(source.published[:10])
    if source.url:
        parts.append(source.url)
    elif source.path:
        parts.append(source.path)
    return " — ".join(parts)


def to_text(reply: Reply, bold: Callable[[str], str] = lambda s: s) -> str:
    """Render a reply as text; ``bold`` decorates titles and highlighted words."""

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
