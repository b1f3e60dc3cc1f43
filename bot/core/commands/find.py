"""/find: full-text search over stored articles."""

from __future__ import annotations

from base.reply import Answer, Reply, SourceRef
from bot.core.errors import UsageError
from bot.core.registry import command
from storage.articles import search_articles


def article_answer(row: dict) -> Answer:
    """An article as an answer: title, snippet, citation."""
    snippet = (row.get("snippet") or "").strip()
    return Answer(
        kind="article",
        title=row.get("title") or "(untitled)",
        lines=[snippet] if snippet else [],
        sources=[SourceRef.from_row(row)],
        data={"published": row.get("published"), "snippet": snippet},
    )


@command(
    "find",
    usage="<words>",
    help="search every stored article",
    example="/find neuromorphic chips",
    aliases=("search",),
)
def find(inv, ctx) -> Reply:
    words = inv.text.strip()
    if not words:
        raise UsageError("Tell me what to look for.")
    rows = search_articles(ctx.db, words, limit=10)
    if not rows:
        return Reply(
            title=f"No articles match “{words}”",
            lines=["Try fewer or different words, or /latest to see what is stored."],
            kind="empty",
        )
    return Reply(
        title=f"{len(rows)} article{'s' if len(rows) != 1 else ''} for “{words}”",
        answers=[article_answer(r) for r in rows],
    )
