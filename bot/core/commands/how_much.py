"""/how-much: investments and amounts on a topic — how much, by whom, for what, when."""

from __future__ import annotations

from base.reply import Reply
from bot.core.errors import UsageError
from bot.core.factsearch import find_facts
from bot.core.factview import investment_answer
from bot.core.registry import command
from bot.core.topic import parse_query

MAX_ANSWERS = 5


@command(
    "how-much",
    usage="<topic>",
    help="investments and amounts on a topic: how much, by whom, for what",
    example="/how-much packaging",
    aliases=("howmuch", "how_much"),
)
def how_much(inv, ctx) -> Reply:
    topic = inv.text.strip()
    if not topic:
        raise UsageError("Tell me what the money is for, e.g. a topic or a company.")
    query = parse_query(ctx.db, topic, keep_kinds=True)
    found = find_facts(ctx.db, query, "investment")
    found.sort(key=lambda s: (-s.match.coverage, s.fact["subtype"] != "investment", -s.match.score))
    if not found:
        return Reply(
            title=f"How much: {topic}",
            lines=[f"No stored amount matches “{topic}”.",
                   "Try other words, /find to search the articles, or /who-signed for agreements."],
            kind="empty",
        )
    seen, answers = set(), []
    for s in found:
        key = (s.fact["amount_text"], s.fact["article_id"])
        if key in seen:
            continue
        seen.add(key)
        answers.append(investment_answer(s.fact))
        if len(answers) >= MAX_ANSWERS:
            break
    return Reply(title=f"How much: {topic}", answers=answers)
