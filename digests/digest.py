"""A digest: the new articles of a period grouped into stories, each with its summary, its new
facts and all its sources; as JSON (``digest preview --json``) or as a Reply to post."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.reply import Answer, Reply, SourceRef
from digests.cluster import Story, cluster
from digests.select import Selection
from digests.summarize import Extractive, Summarizer, Usage, lead_article
from storage.digests import facts_for_articles

MAX_ITEMS = 10  # stories summarised and shown in full; the rest are listed by title
MORE_TITLES = 8


def _date_key(article: dict) -> str:
    return article.get("published") or article.get("fetched") or ""


def fact_entry(fact: dict) -> dict:
    """A fact as a digest shows it: a one-line ``text`` plus its fields (the ``--json`` form)."""
    if fact["kind"] == "agreement":
        name = fact.get("subtype") or "Agreement"
        if fact.get("topic"):
            name += f" on {fact['topic']}"
        text = name
        if fact.get("parties"):
            text += ": " + ", ".join(fact["parties"])
        when = fact.get("date_text") or fact.get("date")
        where = fact.get("place")
        if when or where:
            text += " (" + ", ".join(x for x in (when, where) if x) + ")"
        entry = {"kind": "agreement", "text": text, "type": fact.get("subtype"), "parties": fact.get("parties") or [],
                 "date": fact.get("date") or fact.get("date_text"), "place": where, "status": fact.get("status")}
    else:
        amount = fact.get("amount_text") or (f"{fact['value']:,.0f} {fact.get('currency') or ''}".strip() if fact.get("value") else "An investment")
        text = amount
        if fact.get("by"):
            text += f" by {fact['by']}"
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


def story_facts(story: Story) -> list[dict]:
    """The story's facts, one per real-world fact (two reports of one MOU are one fact, citing
    both articles)."""
    by_id = {a["id"]: a for a in story.articles}
    merged: dict[tuple, dict] = {}
    for fact in story.facts:
        ident = _fact_identity(fact)
        entry = merged.get(ident)
        if entry is None:
            entry = merged[ident] = fact_entry(fact)
            entry["sources"] = []
        elif fact["kind"] == "agreement" and len(fact.get("parties") or []) > len(entry.get("parties") or []):
            sources = entry["sources"]
            entry = merged[ident] = fact_entry(fact) | {"sources": sources}
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
    more: list[DigestItem] = field(default_factory=list)
    summarizer: str = "extractive"
    usage: Usage = field(default_factory=Usage)
    selection: Selection = field(default_factory=Selection)
    topics: str = ""

    @property
    def empty(self) -> bool:
        return not self.items

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
        stories = len(self.items) + len(self.more)
        title = f"{heading}: {stories} stor{'y' if stories == 1 else 'ies'} from {self.article_count} {'new ' if new else ''}article{'s' if self.article_count != 1 else ''}"
        footer = []
        if self.more:
            names = "; ".join(i.title for i in self.more[:MORE_TITLES])
            extra = len(self.more) - MORE_TITLES
            footer.append(f"…and {len(self.more)} more: {names}" + (f"; and {extra} more" if extra > 0 else ""))
        made = sorted({i.summarized_by for i in self.items})
        footer.append("Summaries: " + ", ".join(made) if made else "")
        return Reply(title=title, answers=[i.to_answer() for i in self.items],
                     footer="\n".join(f for f in footer if f) or None, private=private)


def rank(stories: list[Story]) -> list[Story]:
    """Most-reported stories first, then those with facts, then the newest (stable sorts)."""
    out = sorted(stories, key=lambda s: s.article_ids[0])
    out.sort(key=lambda s: max(_date_key(a) for a in s.articles), reverse=True)
    out.sort(key=lambda s: (-len(s.articles), -len(s.facts)))
    return out


def make_item(story: Story, summarizer: Summarizer, *, summarize: bool = True) -> DigestItem:
    """A story as a digest item (summarised unless ``summarize`` is false)."""
    lead = lead_article(story)
    others = sorted((a for a in story.articles if a is not lead), key=lambda a: (_date_key(a), a["id"]))
    summary = summarizer.summarize(story) if summarize else None
    return DigestItem(
        title=lead.get("title") or "(untitled)",
        summary=summary.text if summary else "",
        summarized_by=summary.by if summary else "",
        facts=story_facts(story) if summarize else [],
        sources=[SourceRef.from_row(a) for a in [lead, *others]],
        article_ids=[a["id"] for a in [lead, *others]],
        note=summary.note if summary else "",
    )


def build_digest(db, selection: Selection, *, summarizer: Summarizer | None = None, topics: str = "",
                 max_items: int = MAX_ITEMS) -> Digest:
    """Cluster the selection into stories, summarise the top ``max_items``, list the rest."""
    summarizer = summarizer or Extractive()
    facts = facts_for_articles(db, [a["id"] for a in selection.articles])
    stories = rank(cluster(selection.articles, facts))
    items = [make_item(s, summarizer) for s in stories[:max_items]]
    more = [make_item(s, summarizer, summarize=False) for s in stories[max_items:]]
    return Digest(items=items, more=more, summarizer=summarizer.name, usage=summarizer.usage,
                  selection=selection, topics=topics)
