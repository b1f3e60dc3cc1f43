"""/brief: a digest-style summary of a topic, on demand."""

from __future__ import annotations

from base.reply import Reply
from bot.core.errors import UsageError
from bot.core.registry import command

BRIEF_ARTICLES = 40
BRIEF_STORIES = 5


@command(
    "brief",
    usage="<topic>",
    help="the latest stories on a topic, summarised, with their facts and sources",
    example="/brief advanced packaging",
)
def brief(inv, ctx) -> Reply:
    from digests.digest import build_digest
    from digests.select import select_topic
    from digests.summarize import make_summarizer

    topic = inv.text.strip()
    if not topic:
        raise UsageError("Tell me the topic, e.g. /brief packaging.")
    selection = select_topic(ctx.db, topic, limit=BRIEF_ARTICLES)
    if selection.empty:
        return Reply(title=f"Nothing stored on “{topic}”",
                     lines=["Try other words, or /latest to see what is stored."], kind="empty")
    digest = build_digest(ctx.db, selection, summarizer=make_summarizer(ctx.settings, ctx.db),
                          topics=topic, max_items=BRIEF_STORIES)
    return digest.to_reply(private=True, heading=f"Brief: {topic}", new=False)
