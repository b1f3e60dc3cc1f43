"""Facts as answers: agreements, investments, events and roles, each cited."""

from __future__ import annotations

from base.hangul import has_hangul
from base.reply import Answer, SourceRef
from bot.core.factsearch import Report, differs, names_as_written
from bot.core.topic import Match, Query, stems
from ingest.korean import english_amount
from storage.facts import Fact


def source_of(fact: Fact) -> SourceRef:
    """The citation of the article a fact comes from."""
    return SourceRef(
        title=fact.get("article_title") or "(untitled)",
        url=fact.get("article_url"),
        path=fact.get("article_path"),
        published=fact.get("article_published"),
    )


def date_label(fact: Fact) -> str | None:
    """"Aug. 29 (year not stated)", "2024-08-29 (Aug. 29)", or the article's date."""
    written, iso = fact.get("date_text"), fact.get("date")
    if written and iso and written != iso:
        return f"{iso} ({written})"
    if written and not iso:
        return f"{written} (year not stated)"
    if iso:
        return iso
    return None


def sort_date(fact: Fact) -> str | None:
    """The date a fact is placed at on a timeline: its own, else its article's."""
    return fact.get("date") or (fact.get("article_published") or "")[:10] or None


def short_cite(fact: Fact) -> str:
    """"Title (2024-09-11)" for a one-line mention of another article."""
    date = (fact.get("article_published") or "")[:10]
    title = fact.get("article_title") or "(untitled)"
    where = fact.get("article_url") or fact.get("article_path") or ""
    return f"{title}" + (f" ({date})" if date else "") + (f" — {where}" if where else "")


def best_topic(fact: Fact, query: Query | None) -> str:
    """The topic phrase of a fact that best covers the query's words."""
    topics = [t.strip() for t in (fact.get("topic") or "").split(";") if t.strip()]
    if not topics:
        return ""
    if query is None or not query.groups:
        return topics[0]
    want = [s for g in query.groups for s in g.stem_sets()[0]]
    return max(topics, key=lambda t: (sum(1 for w in want if w in stems(t)), len(t)))


def party_line(fact: Fact) -> tuple[list[str], list[str], str]:
    """Canonical names, spellings as written, and the display line with both."""
    names, written = names_as_written(fact)
    shown = [f"{n} (as “{w}”)" if differs(n, w) else n for n, w in zip(names, written, strict=True)]
    return names, written, "; ".join(shown)


LLM_NOTE = "Read by: the LLM (`briefbot reextract --llm`); every name and amount is in the article"


def _read_by(fact: Fact, lines: list[str]) -> str:
    """Who read the fact out of its article ("rules" or "llm"); the LLM says so in ``lines``."""
    read_by = fact["data"].get("origin") or "rules"
    if read_by == "llm":
        lines.append(LLM_NOTE)
    return read_by


STATUS_TITLES = {
    "planned": " (expected, not signed yet)",
    "talks": " (in talks, not signed)",
    "issued": " (issued, not signed)",
    "terminated": " (terminated)",
}


def agreement_answer(fact: Fact, query: Query | None = None, *, report: Report | None = None,
                     related: list[dict] = (), match: Match | None = None) -> Answer:
    """An agreement: parties, kind, status, date, place, evidence, sources, confidence, and
    the other reports of it (``report``) or on its topic (``related``)."""
    parties = report.parties if report is not None else [
        {"name": p["name"], "as_written": p["as_written"], "reports": 1} for p in fact["parties"] if p["role"] == "party"]
    also = [o.fact for o in report.others] if report is not None else []
    conflicts = report.conflicts if report is not None else []
    dated = report.date_fact if report is not None else fact
    kind = fact.get("subtype") or "agreement"
    topic = best_topic(fact, query)
    status = fact.get("status") or "signed"
    signed = status in ("signed", "terminated")
    level, unsure = confidence(fact, parties, match, conflicts)
    title = f"{kind[0].upper() + kind[1:]}" + (f" on {topic}" if topic else "") + STATUS_TITLES.get(status, "")
    if signed and level == "low" and parties:
        title += " — parties unclear"
    names = [p["name"] for p in parties]
    written = [p["as_written"] for p in parties]
    shown = "; ".join(_party_shown(p, 1 + len(also)) for p in parties)
    lines = []
    when = date_label(dated)
    if not names:
        lines.append("Parties: not named in the report" + (" — see the evidence below" if fact.get("evidence") else ""))
    elif not signed:
        verb = {"planned": "Expected to sign", "talks": "In talks", "issued": "Issued by"}.get(status, "Named")
        lines.append(f"{verb} ({len(names)}): {shown}" + (f" — {when}" if when and status == "planned" else "")
                     + "; not a signed agreement")
    elif level == "low":
        lines.append(f"Named in the report ({len(names)}): {shown}")
        lines.append("Parties unclear: " + "; ".join(unsure) + ". Check the evidence below.")
    else:
        lines.append(f"Parties ({len(names)}): {shown}")
    lines.append(f"Kind: {kind} · status: {status} · confidence: {level}")
    if when:
        lines.append(f"Date: {when}")
    if fact.get("place"):
        lines.append(f"Place: {fact['place']}")
    read_by = _read_by(fact, lines)
    for other in also:
        lines.append(f"Also reported by: {short_cite(other)}")
    for c in conflicts:
        lines.append(f"Reports differ: {c}")
    for other in related:
        what = other.get("subtype") or "agreement"
        article = "an" if what[0].lower() in "aeiou" or what.startswith("MOU") else "a"
        lines.append(f"Related coverage ({article} {what} on the same topic; parties not named): {short_cite(other)}")
    sources = [source_of(fact)] + [source_of(o) for o in also]
    confident = signed and level == "high"
    return Answer(
        kind="agreement",
        title=title,
        lines=lines,
        sources=sources,
        evidence=fact.get("evidence"),
        data={
            "parties": names if signed else [],
            "parties_as_written": written if signed else [],
            "expected_parties": names if not signed else [],
            "party_reports": [p.get("reports", 1) for p in parties],
            "kind": kind,
            "status": status,
            "confidence": level,
            "unsure_because": unsure,
            "confident": confident,
            "topic": topic,
            "date": dated.get("date_text") or dated.get("date"),
            "date_iso": dated.get("date"),
            "place": fact.get("place"),
            "read_by": read_by,
            "rule": fact["data"].get("rule"),
            "conflicts": conflicts,
            "also_reported_by": [source_of(o).to_json() for o in also],
            "related": [dict(source_of(o).to_json(), kind=o.get("subtype"), evidence=o.get("evidence"))
                        for o in related],
        },
    )


def _party_shown(p: dict, reports: int) -> str:
    """"LG Chem (as “LG Chem Ltd.”)", with "named by 1 of 2 reports" when the reports differ."""
    text = f"{p['name']} (as “{p['as_written']}”)" if differs(p["name"], p["as_written"]) else p["name"]
    if reports > 1 and p.get("reports", 1) < reports:
        text += f" [named by {p['reports']} of {reports} reports]"
    return text


# Under this share of the topic's words in the agreement's own sentence and parties, the
# agreement is one the article mentions, not the one asked about.
OWN_SHARE = 0.25
OWN_GROUPS = 4  # a topic of fewer words ("MoaFab semiconductor") often names the article, not the sentence


def confidence(fact: Fact, parties: list[dict], match: Match | None, conflicts: list[str]) -> tuple[str, list[str]]:
    """("high" | "low", why not high): high when the report names at least two parties, every
    name in the topic (and most of its other words) is in the article, and the reports agree."""
    unsure = []
    if len(parties) < 2:
        unsure.append("fewer than two parties named" if parties else "no party named")
    names = [m for m in (match.missing if match is not None else []) if m[:1].isupper()]
    if names:
        unsure.append(f"the report does not name {', '.join(names)}")
    elif match is not None and match.coverage < 0.5:
        unsure.append("the topic matches this report only in part")
    elif match is not None and match.groups >= OWN_GROUPS and match.own < OWN_SHARE and match.coverage == 1.0 \
            and not match.strong:
        # "K9 Thunder engine delivery ceremony": the article is about it, the agreement it
        # mentions ("In 2020, MOTIE and DAPA entered into an MOU on …") is not
        unsure.append("the agreement found is not what the topic is about")
    if conflicts:
        unsure.append("the reports disagree")
    return ("high" if not unsure else "low"), unsure


def money_value(value: float | None, currency: str | None) -> str:
    """205000000, "USD" → "205,000,000 USD"."""
    if value is None:
        return ""
    shown = f"{value:,.0f}" if value >= 100 else f"{value:,.2f}"
    return f"{shown} {currency or ''}".strip()


def investment_answer(fact: Fact) -> Answer:
    """An amount: as written, value, currency, who, what for, when, evidence, source."""
    investors = [p for p in fact["parties"] if p["role"] == "investor"]
    by = " and ".join(p["name"] for p in investors) if investors else fact.get("by_name")
    by_written = investors[0]["as_written"] if investors else None
    if not by:  # "five foreign companies": unnamed investors, as the article puts them
        by = by_written = fact["data"].get("by_as_written")
    lines = []
    if by:
        lines.append(f"By: {by}" + (f" (as “{by_written}”)" if by_written and differs(by, by_written) else ""))
    if fact.get("purpose"):
        lines.append(f"For: {fact['purpose']}")
    lines.append(f"Value: {money_value(fact.get('value'), fact.get('currency'))}")
    date = date_label(fact) or ((fact.get("article_published") or "")[:10] + " (article date)"
                                if fact.get("article_published") else None)
    if date:
        lines.append(f"Date: {date}")
    read_by = _read_by(fact, lines)
    title = fact.get("amount_text") or ""
    if has_hangul(title) and fact.get("value") is not None:  # "274.4 billion won (2744억 원)"
        title = f"{english_amount(fact['value'], fact.get('currency') or '')} ({title})"
    return Answer(
        kind="investment",
        title=title,
        lines=lines,
        sources=[source_of(fact)],
        evidence=fact.get("evidence"),
        data={
            "amount": fact.get("amount_text"),
            "value": fact.get("value"),
            "currency": fact.get("currency"),
            "by": by,
            "by_as_written": by_written,
            "purpose": fact.get("purpose"),
            "date": fact.get("date_text") or fact.get("date") or (fact.get("article_published") or "")[:10] or None,
            "subtype": fact.get("subtype"),
            "read_by": read_by,
        },
    )


def summary(fact: Fact) -> str:
    """One line saying what a fact is, for timelines and lists."""
    kind = fact["kind"]
    if kind == "agreement":
        names, _, _ = party_line(fact)
        sub = fact.get("subtype") or "agreement"
        topic = best_topic(fact, None)
        who = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        verb = {"planned": "expected", "talks": "in talks", "issued": "issued", "terminated": "terminated"}.get(
            fact.get("status"), "signed")
        text = f"{sub} {verb}" + (f" by {who}" if who else "") + (f" on {topic}" if topic else "")
        return text[0].upper() + text[1:]
    if kind == "investment":
        by = fact.get("by_name")
        return f"{fact.get('amount_text')}" + (f" by {by}" if by else "") + (
            f" for {fact['purpose']}" if fact.get("purpose") else "")
    if kind == "event":
        name = fact.get("topic") or fact.get("subtype") or "event"
        return name[0].upper() + name[1:] + (f" ({fact['place']})" if fact.get("place") else "")
    return fact.get("topic") or kind
