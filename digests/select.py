"""Selection: the articles a digest covers — stored after the target's cursor, not a source's
baseline, matching the subscription's topic words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from storage import digests as store

# A digest over more articles than this covers the newest ones; the cursor still moves past all.
MAX_ARTICLES = 5000


@dataclass
class Selection:
    """The new articles of one period: ids in ``(from_id, to_id]``, oldest first."""

    articles: list[dict] = field(default_factory=list)
    from_id: int = 0
    to_id: int = 0
    since: str | None = None

    @property
    def empty(self) -> bool:
        return not self.articles


def parse_since(text: str) -> str:
    """An ISO date or date-time (naive means UTC) as the stored ISO UTC form; ValueError if bad."""
    text = text.strip()
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"--since must be an ISO date or date-time such as 2025-03-10 or 2025-03-10T09:00+09:00, not {text!r}") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def select_new(
    db, *, after_id: int | None, topics: str = "", since: str | None = None, until_id: int | None = None
) -> Selection:
    """The new articles after the cursor ``after_id`` (None: no cursor yet, so everything stored),
    or stored since ``since`` when given. ``to_id`` is the high-water mark the cursor moves to
    once the digest is posted: every article stored so far, matching or not."""
    to_id = store.max_article_id(db) if until_id is None else until_id
    start = 0 if (since or after_id is None) else after_id
    # only the lead of each article is read: what clustering needs (bodies come for the stories shown)
    rows = store.new_articles(db, after_id=start, until_id=to_id, since=since, topics=topics,
                              limit=MAX_ARTICLES, lead_only=True)
    return Selection(articles=rows, from_id=after_id or 0, to_id=max(to_id, after_id or 0), since=since)


def select_topic(db, topics: str, *, limit: int = 40) -> Selection:
    """For /brief: the newest stored articles on ``topics``, whenever stored."""
    rows = store.recent_matching(db, topics, limit=limit)
    rows.sort(key=lambda r: r["id"])
    return Selection(articles=rows)
