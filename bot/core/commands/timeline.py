"""/timeline: dated events and facts on a topic, oldest first, each cited."""

from __future__ import annotations

from bot.core.errors import UsageError
from bot.core.factsearch import score_facts
from bot.core.factview import date_label, sort_date, source_of, summary
from bot.core.registry import command
from bot.core.reply import Answer, Reply
from bot.core.topic import parse_query
from storage import facts as store

MAX_ITEMS = 20


@command(
    "timeline",
    usage="<topic>",
    help="dated events, agreements and investments on a topic, oldest first",
    example="/timeline packaging",
)
def timeline(inv, ctx) -> Reply:
    topic = inv.text.strip()
    if not topic:
        raise UsageError("Tell me a topic, a company or a ministry.")
    query = parse_query(ctx.db, topic, keep_kinds=True)
    match = query.fts("AND")
    ids = store.timeline_facts(ctx.db, match) if match else []
    scored = [s for s in score_facts(ctx.db, query, store.load_facts(ctx.db, ids)) if s.match.coverage == 1.0]
    if not scored:
        return Reply(title=f"Timeline: {topic}", lines=[f"No dated facts match “{topic}”.",
                                                       f"Try /find {topic} for articles."], kind="empty")
    dated = [s.fact for s in scored if sort_date(s.fact)]
    undated = [s.fact for s in scored if not sort_date(s.fact)]
    dated.sort(key=lambda f: (sort_date(f), f["id"]))
    answers = []
    for f in (dated + undated)[:MAX_ITEMS]:
        when = date_label(f) or ((f.get("article_published") or "")[:10] + " (reported)"
                                 if f.get("article_published") else "date unknown")
        answers.append(Answer(
            kind=f"timeline-{f['kind']}",
            title=f"{when} — {summary(f)}",
            sources=[source_of(f)],
            evidence=f.get("evidence"),
            data={"date": sort_date(f), "date_text": f.get("date_text"), "fact_kind": f["kind"],
                  "summary": summary(f)},
        ))
    footer = None
    total = len(dated) + len(undated)
    if total > MAX_ITEMS:
        footer = f"…and {total - MAX_ITEMS} more; narrow the topic to see them."
    return Reply(title=f"Timeline: {topic}", answers=answers, footer=footer)
