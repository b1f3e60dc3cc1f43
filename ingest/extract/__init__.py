"""Rule-based fact extraction: deterministic, fast, run on every stored article.

``extract(title, body, published, index)`` reads one article and returns what it states:
aliases it defines, agreements and their parties, investments, people and roles, events —
each with its evidence sentence and offsets into the body.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.extract.agreements import Agreement, find_agreements
from ingest.extract.amounts import Investment, find_investments
from ingest.extract.common import Context, today_or
from ingest.extract.events import Event, find_events
from ingest.extract.korean import is_korean, read_korean
from ingest.extract.names import fold
from ingest.extract.orgs import NameIndex, alias_definitions, builtin_index
from ingest.extract.people import Role, find_people
from ingest.extract.sentences import Sentence, hot_sentences, split_sentences

__all__ = ["Extraction", "NameIndex", "builtin_index", "extract", "extract_batch", "split_sentences", "Sentence"]


# Every word one of the rules starts from (each rule's TRIGGER pattern then decides);
# paragraphs without one are neither split nor read.
HOT_WORDS = frozenset("""
mou mous memorandum memoranda agreement agreements deal deals pact pacts partnership
partnerships partner partners partnered partnering contract contracts venture ventures jv jvs
consortium consortia alliance alliances allied allies accord accords treaty treaties tie ties
tied signatory signatories sign signs signed signing ink inks inked inking team teams teamed
hands forces collaborate collaborates collaborated loi lois intent minister president ceo cto
cfo coo chairman chairwoman chairperson chair director secretary governor mayor ambassador
commissioner chancellor premier administrator spokesperson spokesman founder head chief
executive forum forums ceremony ceremonies conference conferences summit summits expo expos
exhibition exhibitions symposium symposia seminar seminars workshop workshops fair fairs
roundtable roundtables groundbreaking inauguration opening hearing meeting announced announces
announcement launch
""".split())  # noqa: SIM905
# Money words count only in a paragraph with a number in it.
MONEY_WORDS = frozenset("""
won dollar dollars euro euros yen yuan renminbi crore crores rupee rupees krw usd eur jpy inr
rmb cny gbp twd chf rs pound pounds ringgit baht dong riyals dirhams francs
""".split())  # noqa: SIM905
HOT_SYMBOLS = "$€£¥₩₹"


@dataclass
class Extraction:
    """Everything one article states, ready to be stored."""

    aliases: list[tuple[str, str]] = field(default_factory=list)  # (full name, alias)
    agreements: list[Agreement] = field(default_factory=list)
    investments: list[Investment] = field(default_factory=list)
    people: list[Role] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def extract(
    title: str, body: str, published: str | None = None, index: NameIndex | None = None
) -> Extraction:
    """Read one article. ``index`` holds names already known (built-ins, the database)."""
    index = index if index is not None else builtin_index()
    out = Extraction()
    if is_korean(body):  # Korean articles: the rules of ingest/extract/korean.py (one marked hook)
        ko = read_korean(body, Context(index=index, published=today_or(published), title=title or ""))
        out.aliases, out.agreements, out.investments, out.people = ko.aliases, ko.agreements, ko.investments, ko.people
        return out
    if "(" in body:
        for full, abbr in alias_definitions(fold(body)):
            out.aliases.append((full, abbr))
            index.add(full, full)
            index.add(abbr, full)
    sentences = hot_sentences(body, HOT_WORDS, MONEY_WORDS, HOT_SYMBOLS)
    ctx = Context(index=index, published=today_or(published), title=title or "")
    out.agreements = find_agreements(sentences, body, ctx)
    out.investments = find_investments(sentences, body, ctx)
    out.people = find_people(sentences)
    out.events = find_events(sentences, ctx)
    return out


def extract_batch(index: NameIndex, articles: list[tuple[str, str, str | None]]) -> list[Extraction]:
    """Read a batch of (title, body, published) in order, aliases defined by one article known
    to the next: what a second process runs while the next batch is parsed and stored."""
    return [extract(title, body, published, index) for title, body, published in articles]


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
