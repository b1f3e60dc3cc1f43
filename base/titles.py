"""A title made from an article's first sentence, for items that come without one. Below
storage and ingest: the parsers make such titles and storage recognises them."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'(\[])")
TITLE_WORDS = 14  # words kept when a lead has no clean place to cut
TITLE_MIN_WORDS = 6
TITLE_MAX_WORDS = 18
_ASIDE = re.compile(r"\s*\([^()]{1,40}\)")
_CLAUSE_OPENERS = {
    "with", "after", "amid", "as", "while", "which", "who", "following", "including", "such",
    "despite", "because", "before", "when", "where", "according", "in", "at", "on", "for",
    "from", "by", "under", "through", "during", "since", "than", "via",
}
# Words that cannot end a title ("…embarked on a", "…the"); a cut after them is not clean.
_NO_CUT_AFTER = {"a", "an", "the", "of", "to", "and", "or", "its", "their", "his", "her", "our"}


def title_from_lead(body: str, words: int = TITLE_WORDS) -> str:
    """A short title from the lead sentence, in its own words: the main clause when it can be
    cut cleanly (at a comma or before "with", "after", "which"…), else its first words and "…"."""
    first = _SENTENCE_END.split(body.strip(), maxsplit=1)[0].strip()
    # Short asides such as "(EU)" or "(274.4 billion won)" only lengthen a title.
    first = _ASIDE.sub("", first).strip()
    tokens = first.split()
    if len(tokens) <= TITLE_MAX_WORDS:
        return first.rstrip(".")
    # A cut after a comma, semicolon or colon, or before a dash, ends the main clause.
    strong = [
        i for i in range(TITLE_MIN_WORDS + 2, TITLE_MAX_WORDS + 1)
        if tokens[i - 1].endswith((",", ";", ":")) or tokens[i] in ("—", "–", "-")
    ]
    if strong:
        return " ".join(tokens[: strong[0]]).rstrip(",;:")
    # Otherwise cut before the last clause or phrase opener that leaves a full thought.
    weak = [
        i for i in range(TITLE_MIN_WORDS, TITLE_MAX_WORDS + 1)
        if tokens[i].lower() in _CLAUSE_OPENERS and tokens[i - 1].lower() not in _NO_CUT_AFTER
    ]
    if weak:
        return " ".join(tokens[: weak[-1]]).rstrip(",;:")
    return " ".join(tokens[:words]).rstrip(",;:") + "…"
