"""/latest: the newest stored articles, optionally on a topic."""

from __future__ import annotations

from base.reply import Reply
from bot.core.commands.find import article_answer
from bot.core.errors import UsageError
from bot.core.registry import command
from storage.articles import latest_articles

MAX_N = 50


@command("latest", usage="[n] [topic]", help="the newest articles", example="/latest 5 packaging")
def latest(inv, ctx) -> Reply:
    words = inv.text.split()
    n = 5
    if words and words[0].lstrip("-").isdigit():
        n = int(words.pop(0))
        if not 1 <= n <= MAX_N:
            raise UsageError(f"n must be between 1 and {MAX_N}.")
    topic = " ".join(words) or None
    rows = latest_articles(ctx.db, n, topic)
    about = f" on “{topic}”" if topic else ""
    if not rows:
        return Reply(title=f"No articles{about} yet", lines=["Add sources with /sources add, or ingest files."], kind="empty")
    answers = []
    for row in rows:
        answer = article_answer(row)
        published = row.get("published")
        # an undated article sorts by when it was stored; say so rather than invent a date
        when = published[:16].replace("T", " ") if published else f"undated (added {row['fetched'][:10]})"
        answer.lines = [when]
        answers.append(answer)
    return Reply(title=f"Latest {len(rows)} article{'s' if len(rows) != 1 else ''}{about}", answers=answers)
