"""A digest: the new articles of a period grouped into stories, each with its summary, its new
facts and all its sources; as JSON (``digest preview --json``) or as a Reply to post."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date as _date
from functools import cached_property

from base.reply import Answer, Reply, SourceRef
from digests.cluster import FactSummary, Story, cluster
from digests.select import Selection
from digests.summarize import Extractive, Summarizer, Usage, lead_article
from storage.digests import acronyms, fact_keys, facts_for_articles, full_bodies

MAX_ITEMS = 10  # stories summarised and shown in full; the rest are listed by title
MORE_TITLES = 8


def _date_key(article: dict) -> str:
    return article.get("published") or article.get("fetched") or ""


# A fact dated this long before its article's own date is background the article recalls (e.g.
# "the digital partnership both parties signed in 2022"), not a development to report.
BACKGROUND_DAYS = 180


def _last_day(date: str) -> _date | None:
    """The last day an ISO date as precise as written ("2022", "2022-05", "2022-05-03") covers."""
    try:
        if len(date) == 4:
            return _date(int(date), 12, 31)
        if len(date) == 7:
            year, month = int(date[:4]), int(date[5:7])
            return _date(year, month, calendar.monthrange(year, month)[1])
        return _date.fromisoformat(date[:10])
    except ValueError:
        return None


def article_date(article: dict) -> _date | None:
    """An article's own date: when it was published, else when it was stored (for news, close)."""
    for value in (article.get("published"), article.get("fetched")):
        if value:
            try:
                return _date.fromisoformat(value[:10])
            except ValueError:
                continue
    return None


def newsworthy(fact: dict, article: dict | None) -> bool:
    """Whether a fact earns a line in a digest: an agreement that names its parties (a bare
    "a newly signed MOU" is a mention of coverage, not a fact to show), an investment with an
    amount, and neither dated more than ``BACKGROUND_DAYS`` before its article (background). A
    date without a year ("Aug. 29") is taken as the article's own time."""
    if fact["kind"] == "agreement" and not fact.get("party_ids"):
        return False
    if fact["kind"] == "investment" and not (fact.get("amount_text") or fact.get("value")):
        return False
    when = _last_day(fact.get("date") or "")
    own = article_date(article or {})
    return not (when and own and (own - when).days > BACKGROUND_DAYS)


def short_names(story: Story, known: dict[int, list[str]]) -> dict[int, str]:
    """Entity id → the short form the story's own articles use for it ("MOTIE"), so a digest
    line reads as the reports do; an acronym the articles never use would puzzle the reader."""
    ids = {i for f in story.facts for i in [*(f.get("party_ids") or []), f.get("by_entity_id")] if i in known}
    if not ids:
        return {}
    text = "\n".join((a.get("title") or "") + "\n" + (a.get("body") or "") for a in story.articles)
    out = {}
    for entity_id in ids:
        for form in known[entity_id]:
            if re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text):
                out[entity_id] = form
                break
    return out


def fact_entry(fact: dict, names: dict[int, str] | None = None) -> dict:
    """A fact as a digest shows it: a one-line ``text`` plus its fields (the ``--json`` form).
    ``names`` gives the short form to write for an entity id in the ``text``."""
    names = names or {}
    if fact["kind"] == "agreement":
        kind = fact.get("subtype") or "agreement"
        name = kind[0].upper() + kind[1:]
        topic = next((t.strip() for t in (fact.get("topic") or "").split(";") if t.strip()), "")
        if topic:
            name += f" on {topic}"
        text = name
        shown = [names.get(i, p) for i, p in zip(fact.get("party_ids") or [], fact.get("parties") or [], strict=False)]
        if shown:
            text += ": " + ", ".join(shown)
        when = fact.get("date_text") or fact.get("date")
        where = fact.get("place")
        if when or where:
            text += " (" + ", ".join(x for x in (when, where) if x) + ")"
        entry = {"kind": "agreement", "text": text, "type": fact.get("subtype"), "parties": fact.get("parties") or [],
                 "date": fact.get("date") or fact.get("date_text"), "place": where, "status": fact.get("status")}
    else:
        amount = fact.get("amount_text") or (f"{fact['value']:,.0f} {fact.get('currency') or ''}".strip() if fact.get("value") else "An investment")
        text = amount
        by = names.get(fact.get("by_entity_id"), fact.get("by"))
        if by:
            text += f" by {by}"
        if fact.get("purpose"):
            text += f" for {fact['purpose']}"
        entry = {"kind": "investment", "text": text, "amount": fact.get("amount_text"), "value": fact.get("value"),
                 "currency": fact.get("currency"), "by": fact.get("by"), "purpose": fact.get("purpose")}
    entry["evidence"] = fact.get("evidence")
    return entry


def _fact_identity(fact: dict) -> tuple:
    if fact["kind"] == "agreement" and fact.get("party_ids"):
        return ("agreement", frozenset(fact["party_ids"]))
    if fact["kind"] == "investment" and fact.get("value"):
        return ("investment", fact.get("value"), (fact.get("currency") or "").lower())
    return (fact["kind"], " ".join((fact.get("evidence") or "").split()).lower())


def story_facts(story: Story, names: dict[int, str] | None = None) -> list[dict]:
    """The story's facts, one per real-world fact (two reports of one MOU are one fact, citing
    both articles)."""
    by_id = {a["id"]: a for a in story.articles}
    merged: dict[tuple, dict] = {}
    for fact in story.facts:
        ident = _fact_identity(fact)
        entry = merged.get(ident)
        if entry is None:
            entry = merged[ident] = fact_entry(fact, names)
            entry["sources"] = []
        elif fact["kind"] == "agreement" and len(fact.get("parties") or []) > len(entry.get("parties") or []):
            sources = entry["sources"]
            entry = merged[ident] = fact_entry(fact, names) | {"sources": sources}
        art = by_id.get(fact["article_id"])
        if art is not None and all(s["title"] != art.get("title") for s in entry["sources"]):
            entry["sources"].append(SourceRef.from_row(art).to_json())
    return list(merged.values())


@dataclass
class DigestItem:
    """One story: title, summary (and who made it), facts, sources."""

    title: str
    summary: str
    summarized_by: str
    facts: list[dict]
    sources: list[SourceRef]
    article_ids: list[int]
    note: str = ""

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "summary": self.summary,
            "facts": self.facts,
            "sources": [s.to_json() for s in self.sources],
            "summarizer": self.summarized_by,
            "articles": self.article_ids,
        }

    def to_answer(self) -> Answer:
        lines = [self.summary] + [f"• {f['text']}" for f in self.facts]
        return Answer(kind="digest_item", title=self.title, lines=lines, sources=self.sources,
                      data={"summary": self.summary, "facts": self.facts, "summarizer": self.summarized_by})


@dataclass
class Digest:
    """The digest of one period for one channel (and subscription)."""

    items: list[DigestItem] = field(default_factory=list)
    # the stories listed by title only, made into items when asked (a message names eight)
    rest: list[Story] = field(default_factory=list, repr=False)
    summarizer: str = "extractive"
    usage: Usage = field(default_factory=Usage)
    selection: Selection = field(default_factory=Selection)
    topics: str = ""

    @property
    def empty(self) -> bool:
        return not self.items

    @cached_property
    def more(self) -> list[DigestItem]:
        """The stories past those shown in full, each as an unsummarised item."""
        return [make_item(s, Extractive(), summarize=False) for s in self.rest]

    def more_titles(self, n: int) -> list[str]:
        """The titles of the first ``n`` stories listed by title only."""
        return [lead_article(s).get("title") or "(untitled)" for s in self.rest[:n]]

    @property
    def article_count(self) -> int:
        return len(self.selection.articles)

    def to_json(self) -> dict:
        """The ``--json`` form: items, summarizer, tokens (and what they cover)."""
        return {
            "items": [i.to_json() for i in self.items],
            "summarizer": self.summarizer,
            "tokens": self.usage.total_tokens,
            "token_use": self.usage.to_json(),
            "more": [{"title": i.title, "sources": [s.to_json() for s in i.sources]} for i in self.more],
            "articles": self.article_count,
            "topics": self.topics,
            "since": self.selection.since,
            "after_article_id": self.selection.from_id,
            "to_article_id": self.selection.to_id,
        }

    def heading(self) -> str:
        about = f" on {self.topics}" if self.topics else ""
        return f"briefbot digest{about}"

    def to_reply(self, *, private: bool = False, heading: str | None = None, new: bool = True) -> Reply:
        """The digest as a Reply: one answer per story; the rest listed in the footer."""
        heading = heading or self.heading()
        if self.empty:
            return Reply(title=heading, lines=["Nothing new since the last digest."], kind="empty", private=private)
        stories = len(self.items) + len(self.rest)
        title = f"{heading}: {stories} stor{'y' if stories == 1 else 'ies'} from {self.article_count} {'new ' if new else ''}article{'s' if self.article_count != 1 else ''}"
        footer = []
        if self.rest:
            names = "; ".join(self.more_titles(MORE_TITLES))
            extra = len(self.rest) - MORE_TITLES
            footer.append(f"…and {len(self.rest)} more: {names}" + (f"; and {extra} more" if extra > 0 else ""))
        made = sorted({i.summarized_by for i in self.items})
        footer.append("Summaries: " + ", ".join(made) if made else "")
        return Reply(title=title, answers=[i.to_answer() for i in self.items],
                     footer="\n".join(f for f in footer if f) or None, private=private)


def rank(stories: list[Story]) -> list[Story]:
    """Most-reported stories first, then those with facts, then the newest (stable sorts)."""
    out = sorted(stories, key=lambda s: s.article_ids[0])
    out.sort(key=lambda s: max(_date_key(a) for a in s.articles), reverse=True)
    out.sort(key=lambda s: (-len(s.articles), -s.facts_told))
    return out


def make_item(story: Story, summarizer: Summarizer, *, summarize: bool = True,
              names: dict[int, str] | None = None) -> DigestItem:
    """A story as a digest item (summarised unless ``summarize`` is false); ``names`` as for
    ``fact_entry``."""
    lead = lead_article(story)
    others = sorted((a for a in story.articles if a is not lead), key=lambda a: (_date_key(a), a["id"]))
    summary = summarizer.summarize(story) if summarize else None
    return DigestItem(
        title=lead.get("title") or "(untitled)",
        summary=summary.text if summary else "",
        summarized_by=summary.by if summary else "",
        facts=story_facts(story, names) if summarize else [],
        sources=[SourceRef.from_row(a) for a in [lead, *others]],
        article_ids=[a["id"] for a in [lead, *others]],
        note=summary.note if summary else "",
    )


def fact_summaries(db, articles: dict[int, dict]) -> dict[int, FactSummary]:
    """What clustering reads of the newsworthy facts of ``articles`` (by id), read one article's
    facts at a time: the facts themselves (tens of thousands) are never all held at once."""
    out: dict[int, FactSummary] = {}
    current, found = None, []
    for f in fact_keys(db, list(articles)):  # in article order: one article's facts at a time
        if f["article_id"] != current:
            if found:
                out[current] = FactSummary.of(found)
            current, found = f["article_id"], []
        if newsworthy(f, articles.get(current)):
            found.append(f)
    if found:
        out[current] = FactSummary.of(found)
    return out


def build_digest(db, selection: Selection, *, summarizer: Summarizer | None = None, topics: str = "",
                 max_items: int = MAX_ITEMS) -> Digest:
    """Cluster the selection into stories, summarise the top ``max_items``, list the rest.

    Only newsworthy facts (see ``newsworthy``) take part: they are what a digest shows, what
    the extractive summary quotes and what ties two reports of one deal together."""
    summarizer = summarizer or Extractive()
    by_id = {a["id"]: a for a in selection.articles}
    stories = rank(cluster(selection.articles, summaries=fact_summaries(db, by_id), trim=True))
    shown = stories[:max_items]
    # the whole text and facts only of the stories summarised (clustering read each article's lead)
    full_bodies(db, [a for s in shown for a in s.articles])
    facts: dict[int, list[dict]] = {}
    for f in facts_for_articles(db, [a["id"] for s in shown for a in s.articles]):
        if newsworthy(f, by_id.get(f["article_id"])):
            facts.setdefault(f["article_id"], []).append(f)
    for story in shown:
        story.facts = [f for a in story.articles for f in facts.get(a["id"], [])]
    known = acronyms(db, [i for s in shown for f in s.facts for i in [*(f.get("party_ids") or []), f.get("by_entity_id")]])
    items = [make_item(s, summarizer, names=short_names(s, known)) for s in stories[:max_items]]
    return Digest(items=items, rest=stories[max_items:], summarizer=summarizer.name, usage=summarizer.usage,
                  selection=selection, topics=topics)
