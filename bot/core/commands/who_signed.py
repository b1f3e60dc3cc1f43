"""/who-signed: the parties of the agreement a topic names, with date, place and citation."""

from __future__ import annotations

import dataclasses

from base.reply import Reply
from bot.core.errors import UsageError
from bot.core.factsearch import (
    Report,
    Scored,
    find_facts,
    merge_reports,
    same_agreement,
    score_facts,
)
from bot.core.factview import agreement_answer, summary
from bot.core.registry import command
from bot.core.topic import Query, parse_query, stems
from storage import facts as store

MAX_ANSWERS = 3
MAX_OTHERS = 5


@command(
    "who-signed",
    usage="<topic>",
    help="who signed the agreement on a topic: parties, date, place, source",
    example="/who-signed packaging MOU",
    aliases=("whosigned", "who_signed"),
)
def who_signed(inv, ctx) -> Reply:
    topic = inv.text.strip()
    if not topic:
        raise UsageError("Tell me which agreement, e.g. a topic or a company.")
    query = parse_query(ctx.db, topic)
    found = find_facts(ctx.db, query, "agreement")
    if not found:
        return _nothing(ctx.db, topic, query)
    # The report that best matches the topic decides, even when it names no parties: another
    # article's agreement is not an answer to this one.
    best = found[0]
    picks = [best]
    for s in found[1:]:
        if len(picks) >= MAX_ANSWERS:
            break
        if (s.has_parties and best.has_parties and s.match.coverage == best.match.coverage
                and s.match.score >= 0.8 * best.match.score
                and not any(same_agreement(p, s) or p.fact["article_id"] == s.fact["article_id"] and not s.has_parties
                            for p in picks)):
            picks.append(s)
    listed = _listed_with(best, found, query)
    if listed:  # the first the sentence lists leads, the others in their order
        group = sorted([best, *listed], key=lambda s: s.fact["id"])
        best, listed = group[0], group[1:]
        picks = [best] + [p for p in picks if all(p is not g for g in group)]
    used = {p.fact["id"] for p in picks} | {s.fact["id"] for s in listed}
    answers = []
    for pick in picks:
        also, related = [], []
        for s in found:
            if s.fact["id"] in used or s.fact["article_id"] == pick.fact["article_id"]:
                continue
            if same_agreement(pick, s) and len(also) < MAX_OTHERS:
                also.append(s)
                used.add(s.fact["id"])
            elif not s.has_parties and s.match.strong and len(related) < MAX_OTHERS and pick is best:
                related.append(s.fact)
                used.add(s.fact["id"])
        report = merge_reports(pick, also)
        if pick is best and listed:
            report = _with_listed(report, listed)
        answers.append(agreement_answer(pick.fact, query, report=report, related=related, match=pick.match))
        if pick is best and listed:
            answers[-1].lines.insert(1, f"One of {1 + len(listed)} agreements one sentence lists, one with each "
                                        "party after the first; the topic names none of them alone.")
    lines = []
    if not best.has_parties:
        lines.append("The report that best matches does not name who signed; it is cited below.")
    elif best.fact.get("status") not in ("signed", "terminated"):
        lines.append("Nothing matching has been signed: the best match is "
                     + {"planned": "expected, not signed yet", "talks": "still in talks",
                        "issued": "a statement issued, not signed"}.get(best.fact.get("status"), "not signed") + ".")
    return Reply(title=f"Who signed: {topic}", lines=lines, answers=answers)


def _listed_with(best: Scored, found: list[Scored], query: Query) -> list[Scored]:
    """The agreements stated with ``best`` in one sentence, one with each partner ("MCC has signed
    Compacts with Madagascar, Honduras and Nicaragua"), that the topic matches exactly as well:
    it asks about them all ("EIB loans Portuguese banks"), not one ("MCC Compact Honduras")."""
    if not best.has_parties or not best.fact["data"].get("clause") or best.match.coverage < 1.0:
        return []  # (a topic matched only in part is no reason to show more)
    def lead(s: Scored):
        return next((p["entity_id"] for p in s.fact["parties"] if p["role"] == "party"), None)

    def partners(s: Scored) -> set[str]:
        return {w for p in s.fact["parties"][1:] if p["role"] == "party" for w in stems(p["name"])}

    listed = [s for s in found if s is not best and s.has_parties
              and s.fact["article_id"] == best.fact["article_id"] and s.fact["evidence"] == best.fact["evidence"]
              and s.fact["status"] == best.fact["status"] and s.match.coverage == best.match.coverage
              and lead(s) == lead(best)]
    first = next(p for p in best.fact["parties"] if p["role"] == "party")
    asked = stems(query.text) - stems(first["name"])  # "LG Energy Solution" names the signer, not "Vulcan Energy"
    # the words only one of them is named by ("Honduras"): the topic singles that one out
    own = [partners(s) - set.intersection(*(partners(x) for x in [best, *listed])) for s in [best, *listed]]
    return [] if any(words & asked for words in own) else listed


def _with_listed(report: Report, listed: list[Scored]) -> Report:
    """``report`` with the parties of the agreements listed with its lead added."""
    parties = list(report.parties)
    seen = {p["entity_id"] for p in parties}
    for s in listed:
        for p in s.fact["parties"]:
            if p["role"] == "party" and p["entity_id"] not in seen:
                seen.add(p["entity_id"])
                parties.append({"name": p["name"], "as_written": p["as_written"], "entity_id": p["entity_id"],
                                "reports": 1})
    return dataclasses.replace(report, parties=parties)


def _nothing(db, topic: str, query) -> Reply:
    """No agreement matches: say so and suggest the closest ones."""
    ids = []
    match_any = query.fts("OR")
    if match_any:
        ids = store.search_facts(db, "agreement", match_any, limit=20)
    ids += store.recent_facts(db, "agreement", limit=10)
    ids = list(dict.fromkeys(ids))
    near = [s for s in score_facts(db, query, store.load_facts(db, ids)) if s.has_parties][:3]
    lines = [f"No stored agreement matches “{topic}”."]
    if near:
        lines.append("Closest agreements:")
        lines += [f"• {summary(s.fact)} — {s.fact['article_title']}" for s in near]
        lines.append("Try /who-signed with one of their topics or parties, or /find for articles.")
    else:
        lines.append("No agreements are stored yet; ingest articles or add sources first.")
    return Reply(title=f"Who signed: {topic}", lines=lines, kind="empty")
