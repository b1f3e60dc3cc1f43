"""The record every parser returns."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


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
    title_derived: bool = False  # the title was made from the text's lead: the item had none
    warnings: list[str] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        """Hash of the body with white space folded and case ignored: the same text from two
        paths or two feeds is one article."""
        folded = " ".join(self.body.split()).lower()
        return hashlib.sha256(folded.encode("utf-8")).hexdigest()
