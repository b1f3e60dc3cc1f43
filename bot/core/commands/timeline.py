"""/timeline: dated events and facts on a topic, oldest first, each cited."""

from __future__ import annotations

from base.reply import Answer, Reply
from bot.core.errors import UsageError
from bot.core.factsearch import Scored, same_agreement, score_facts
from bot.core.factview import date_label, sort_date, source_of, summary
from bot.core.registry import command
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
    items = _one_per_agreement(scored)
    dated = [group for group in items if sort_date(group[0])]
    undated = [group for group in items if not sort_date(group[0])]
    dated.sort(key=lambda g: (sort_date(g[0]), g[0]["id"]))
    answers = []
    for group in (dated + undated)[:MAX_ITEMS]:
        f = group[0]
        when = date_label(f) or ((f.get("article_published") or "")[:10] + " (reported)"
                                 if f.get("article_published") else "date unknown")
        answers.append(Answer(
            kind=f"timeline-{f['kind']}",
            title=f"{when} — {summary(f)}",
            sources=[source_of(g) for g in group],
            evidence=f.get("evidence"),
            data={"date": sort_date(f), "date_text": f.get("date_text"), "fact_kind": f["kind"],
                  "summary": summary(f), "reports": len(group)},
        ))
    footer = None
    total = len(items)
    if total > MAX_ITEMS:
        footer = f"…and {total - MAX_ITEMS} more; narrow the topic to see them."
    return Reply(title=f"Timeline: {topic}", answers=answers, footer=footer)


def _one_per_agreement(scored: list[Scored]) -> list[list[dict]]:
    """The facts, each agreement once: the reports of one agreement become one item, dated by
    the report that dates it earliest (its other reports cited beside it)."""
    groups: list[list[Scored]] = []
    for s in scored:
        home = next((g for g in groups if s.fact["kind"] == "agreement" and g[0].fact["kind"] == "agreement"
                     and any(same_agreement(x, s) for x in g)), None)
        if home is None:
            groups.append([s])
        else:
            home.append(s)
    out = []
    for g in groups:
        facts = sorted((x.fact for x in g), key=lambda f: (sort_date(f) is None, sort_date(f) or "", f["id"]))
        out.append(facts)
    return out
