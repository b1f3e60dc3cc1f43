"""The platform-neutral answer every command returns (adapters only render it), and its record:
the JSON a post ledger keeps so that a retry re-sends exactly the recorded message."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from base.redact import redact_url, redact_urls
from base.text import strip_highlights, to_text


@dataclass
class SourceRef:
    """A citation: an article's title, URL or file, and date. Always built from stored rows."""

    title: str
    url: str | None = None
    path: str | None = None
    published: str | None = None

    def __post_init__(self) -> None:
        # A password or token in a link (a private feed's) is never shown to users.
        self.url = redact_url(self.url)

    @classmethod
    def from_row(cls, row: dict) -> SourceRef:
        """A citation from an articles row (keys title, url, path, published)."""
        return cls(
            title=row.get("title") or "(untitled)",
            url=row.get("url"),
            path=row.get("path"),
            published=row.get("published"),
        )

    def to_json(self) -> dict:
        return {"title": self.title, "url": self.url, "path": self.path, "published": self.published}


@dataclass
class Answer:
    """One item of a reply: an article, an agreement, an investment, an entity, an event…

    ``lines`` may hold untrusted text (article text); renderers escape it. ``data`` holds the
    kind's structured fields, which also go into the JSON form.
    """

    kind: str
    title: str
    lines: list[str] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    evidence: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict:
        out: dict[str, Any] = {"kind": self.kind, "title": self.title}
        out.update({k: (strip_highlights(v) if isinstance(v, str) else v) for k, v in self.data.items()})
        if self.evidence is not None:
            out["evidence"] = self.evidence
        out["sources"] = [s.to_json() for s in self.sources]
        return out


@dataclass
class Reply:
    """What a command answers. ``kind``: answer, empty, usage, error, refusal or info."""

    title: str
    answers: list[Answer] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    footer: str | None = None
    kind: str = "answer"
    private: bool = True
    command: str = ""
    query: str = ""

    @property
    def ok(self) -> bool:
        return self.kind in ("answer", "empty", "info")

    def plain_text(self) -> str:
        """The reply as plain text (what the console prints without colour)."""
        return to_text(self)

    def to_json(self) -> dict:
        """The ``--json`` form: command, query, ok, text, answers."""
        return {
            "command": self.command,
            "query": self.query,
            "ok": self.ok,
            "kind": self.kind,
            "title": self.title,
            "text": self.plain_text(),
            "answers": [a.to_json() for a in self.answers],
        }

    def to_record(self) -> dict:
        """The reply as JSON, so a retry re-sends exactly the recorded message."""
        return {
            "title": self.title, "lines": self.lines, "footer": self.footer, "kind": self.kind,
            "command": self.command, "query": self.query,
            "answers": [
                {"kind": a.kind, "title": a.title, "lines": a.lines, "evidence": a.evidence, "data": a.data,
                 "sources": [s.to_json() for s in a.sources]}
                for a in self.answers
            ],
        }

    @classmethod
    def from_record(cls, data: dict) -> Reply:
        """The Reply recorded by ``to_record`` (posted to a channel: not private)."""
        answers = [
            Answer(kind=a["kind"], title=a["title"], lines=a["lines"], evidence=a.get("evidence"),
                   data=a.get("data") or {}, sources=[SourceRef(**s) for s in a.get("sources", [])])
            for a in data.get("answers", [])
        ]
        return cls(title=data["title"], lines=data.get("lines", []), footer=data.get("footer"),
                   kind=data.get("kind", "answer"), answers=answers, private=False,
                   command=data.get("command", "digest"), query=data.get("query", ""))


def redact_reply(reply: Reply) -> Reply:
    """The reply with a password or token in any URL it shows hidden (``token=…``), in its
    text and in its JSON fields alike."""
    reply.title = redact_urls(reply.title)
    reply.lines = [redact_urls(line) for line in reply.lines]
    reply.footer = redact_urls(reply.footer)
    for answer in reply.answers:
        answer.title = redact_urls(answer.title)
        answer.lines = [redact_urls(line) for line in answer.lines]
        answer.data = _redact_value(answer.data)
    return reply


def _redact_value(value):
    if isinstance(value, str):
        return redact_urls(value)
    if isinstance(value, dict):
        return {k: _redact_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_value(v) for v in value]
    return value
