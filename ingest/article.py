"""The record every parser returns."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

_WS = re.compile(r"\s+")


@dataclass
class Article:
    """One article as parsed, before storage. ``published`` is ISO 8601 or None."""

    title: str
    body: str
    url: str | None = None
    path: str | None = None
    published: str | None = None
    lang: str | None = None
    guid: str | None = None
    source_id: int | None = None
    partial: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        """Hash of the body with white space folded and case ignored: the same text from two
        paths or two feeds is one article."""
        folded = _WS.sub(" ", self.body).strip().lower()
        return hashlib.sha256(folded.encode("utf-8")).hexdigest()
