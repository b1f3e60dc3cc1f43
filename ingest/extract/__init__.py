"""Rule-based fact extraction: deterministic, fast, run on every stored article.

``extract(title, body, published, index)`` reads one article and returns what it states:
aliases it defines, agreements and their parties, investments, people and roles, events —
each with its evidence sentence and offsets into the body.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field

from ingest.extract import lexicon
from ingest.extract.agreements import Agreement, find_agreements
from ingest.extract.amounts import Investment, find_investments
from ingest.extract.common import Context, today_or
from ingest.extract.events import Event, find_events
from ingest.extract.korean import is_korean, read_korean
from ingest.extract.names import fold
from ingest.extract.orgs import NameIndex, alias_definitions, builtin_index, initial_aliases
from ingest.extract.people import Role, find_people
from ingest.extract.sentences import Sentence, hot_sentences, split_sentences

__all__ = ["Extraction", "NameIndex", "builtin_index", "extract", "extract_batch", "split_sentences", "Sentence"]


# Every word one of the rules starts from (each rule's TRIGGER pattern then decides); paragraphs
# without one are neither split nor read. Money words count only in a paragraph with a number.
HOT_WORDS = lexicon.HOT_WORDS
MONEY_WORDS = lexicon.CURRENCY_WORDS
HOT_SYMBOLS = lexicon.CURRENCY_SYMBOLS


@dataclass
class Extraction:
    """Everything one article states, ready to be stored."""

    aliases: list[tuple[str, str]] = field(default_factory=list)  # (full name, alias)
    agreements: list[Agreement] = field(default_factory=list)
    investments: list[Investment] = field(default_factory=list)
    people: list[Role] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reader left out, and why


# The sentences of one article read at most (those that may hold a fact; most articles have tens).
MAX_SENTENCES = 1000
log = logging.getLogger("briefbot.extract")

# ``extract(reader=SHARED)``: the process's statistical reader, loaded on first use.
SHARED = "shared"


def extract(
    title: str, body: str, published: str | None = None, index: NameIndex | None = None,
    *, reader=SHARED,
) -> Extraction:
    """Read one article. ``index`` holds names already known (built-ins, the database);
    ``reader`` is the statistical reader (default: the process's own; None: the rules alone)."""
    index = index if index is not None else builtin_index()
    if reader == SHARED:
        from ingest.extract.reader import shared

        reader = shared()
    out = Extraction()
    if is_korean(body):  # Korean articles: the rules of ingest/extract/korean.py (one marked hook)
        ko = read_korean(body, Context(index=index, published=today_or(published), title=title or ""))
        out.aliases, out.agreements, out.investments, out.people = ko.aliases, ko.agreements, ko.investments, ko.people
        return out
    folded = fold(body)
    defined = alias_definitions(folded) if "(" in body else []
    for full, abbr in defined + initial_aliases(folded, index, defined):
        out.aliases.append((full, abbr))
        index.add(full, full)
        index.add(abbr, full)
    sentences = hot_sentences(body, HOT_WORDS, MONEY_WORDS, HOT_SYMBOLS)
    if len(sentences) > MAX_SENTENCES:
        # a page of tens of thousands of "A signed an MOU with B" lines: facts from its start,
        # in seconds, and a note saying so
        out.notes.append(f"facts read from the first {MAX_SENTENCES:,} of {len(sentences):,} sentences that may hold one")
        log.warning("article %r: %s", (title or "")[:80], out.notes[-1])
        sentences = sentences[:MAX_SENTENCES]
    ctx = Context(index=index, published=today_or(published), title=title or "", reader=reader)
    out.agreements = find_agreements(sentences, body, ctx)
    out.investments = find_investments(sentences, body, ctx)
    out.people = find_people(sentences)
    out.events = find_events(sentences, ctx)
    return out


def extract_batch(index: NameIndex, articles: list[tuple[str, str, str | None]], *, reader=SHARED
                  ) -> list[Extraction]:
    """Read a batch of (title, body, published) in order, aliases defined by one article known
    to the next: what a second process runs while the next batch is parsed and stored.

    The statistical reader parses many sentences at once far faster than one at a time, so the
    sentences it will be asked about are found first (by the rules, which cost little) and
    parsed together; reading each article then finds them parsed."""
    if reader == SHARED:
        from ingest.extract.reader import shared

        reader = shared()
    if reader is not None and len(articles) > 1:
        reader.parse(to_check([extract(t, b, p, index, reader=None) for t, b, p in articles], index))
    return [extract(title, body, published, index, reader=reader) for title, body, published in articles]


def to_check(extractions: list[Extraction], index: NameIndex) -> list[str]:
    """The sentences the statistical reader is asked about in these extractions: those whose
    agreement names a party not known before."""
    from ingest.extract.agreements import needs_check

    return [text for ex in extractions for g in ex.agreements for text in needs_check(g.mentions, index)]


def exit_with_parent() -> None:
    """In a process started to read batches: end it when the process that started it ends,
    even by ``kill -9`` (which leaves no chance to stop it)."""
    import multiprocessing
    import os
    import threading
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
    # Storing articles is what makes them searchable; their facts may follow. When the CPUs are
    # shared, the process that stores goes first.
    with contextlib.suppress(OSError, AttributeError):
        os.nice(5)
