"""Facts as answers: agreements, investments, events and roles, each cited."""

from __future__ import annotations

from bot.core.factsearch import differs, names_as_written
from bot.core.reply import Answer, SourceRef
from bot.core.topic import Query, stems
from ingest.korean import english_amount, has_hangul


def source_of(fact: dict) -> SourceRef:
    """The citation of the article a fact comes from."""
    return SourceRef(
        title=fact.get("article_title") or "(untitled)",
        url=fact.get("article_url"),
        path=fact.get("article_path"),
        published=fact.get("article_published"),
    )


def date_label(fact: dict) -> str | None:
    """"Aug. 29 (year not stated)", "2024-08-29 (Aug. 29)", or the article's date."""
    written, iso = fact.get("date_text"), fact.get("date")
    if written and iso and written != iso:
        return f"{iso} ({written})"
    if written and not iso:
        return f"{written} (year not stated)"
    if iso:
        return iso
    return None


def sort_date(fact: dict) -> str | None:
    """The date a fact is placed at on a timeline: its own, else its article's."""
    return fact.get("date") or (fact.get("article_published") or "")[:10] or None


def short_cite(fact: dict) -> str:
    """"Title (2024-09-11)" for a one-line mention of another article."""
    date = (fact.get("article_published") or "")[:10]
    title = fact.get("article_title") or "(untitled)"
    where = fact.get("article_url") or fact.get("article_path") or ""
    return f"{title}" + (f" ({date})" if date else "") + (f" — {where}" if where else "")


def best_topic(fact: dict, query: Query | None) -> str:
    """The topic phrase of a fact that best covers the query's words."""
    topics = [t.strip() for t in (fact.get("topic") or "").split(";") if t.strip()]
    if not topics:
        return ""
    if query is None or not query.groups:
        return topics[0]
    want = [s for g in query.groups for s in g.stem_sets()[0]]
    return max(topics, key=lambda t: (sum(1 for w in want if w in stems(t)), len(t)))


def party_line(fact: dict) -> tuple[list[str], list[str], str]:
    """Canonical names, spellings as written, and the display line with both."""
    names, written = names_as_written(fact)
    shown = [f"{n} (as “{w}”)" if differs(n, w) else n for n, w in zip(names, written, strict=True)]
    return names, written, "; ".join(shown)


LLM_NOTE = "Read by: the LLM (`briefbot reextract --llm`); every name and amount is in the article"


def _read_by(fact: dict, lines: list[str]) -> str:
    """Who read the fact out of its article ("rules" or "llm"); the LLM says so in ``lines``."""
    read_by = (fact.get("data") or {}).get("origin") or "rules"
    if read_by == "llm":
        lines.append(LLM_NOTE)
    return read_by


def agreement_answer(fact: dict, query: Query | None = None, *, also: list[dict] = (),
                     related: list[dict] = ()) -> Answer:
    """An agreement: parties, kind, status, date, place, evidence, sources, other coverage."""
    names, written, line = party_line(fact)
    kind = fact.get("subtype") or "agreement"
    topic = best_topic(fact, query)
    status = fact.get("status") or "signed"
    title = f"{kind[0].upper() + kind[1:]}" + (f" on {topic}" if topic else "")
    if status == "planned":
        title += " (planned, not signed yet)"
    lines = []
    if names:
        verb = "Parties" if status != "planned" else "Expected parties"
        lines.append(f"{verb} ({len(names)}): {line}")
    else:
        lines.append("Parties: not named in the article")
    lines.append(f"Kind: {kind} · status: {status}")
    date = date_label(fact)
    if date:
        lines.append(f"Date: {date}")
    if fact.get("place"):
        lines.append(f"Place: {fact['place']}")
    read_by = _read_by(fact, lines)
    for other in also:
        lines.append(f"Also reported by: {short_cite(other)}")
    for other in related:
        what = other.get("subtype") or "agreement"
        article = "an" if what[0].lower() in "aeiou" or what.startswith("MOU") else "a"
        lines.append(f"Related coverage ({article} {what} on the same topic; parties not named): {short_cite(other)}")
    sources = [source_of(fact)] + [source_of(o) for o in also]
    return Answer(
        kind="agreement",
        title=title,
        lines=lines,
        sources=sources,
        evidence=fact.get("evidence"),
        data={
            "parties": names,
            "parties_as_written": written,
            "kind": kind,
            "status": status,
            "topic": topic,
            "date": fact.get("date_text") or fact.get("date"),
            "date_iso": fact.get("date"),
            "place": fact.get("place"),
            "read_by": read_by,
            "also_reported_by": [source_of(o).to_json() for o in also],
            "related": [dict(source_of(o).to_json(), kind=o.get("subtype"), evidence=o.get("evidence"))
                        for o in related],
        },
    )


def money_value(value: float | None, currency: str | None) -> str:
    """205000000, "USD" → "205,000,000 USD"."""
    if value is None:
        return ""
    shown = f"{value:,.0f}" if value >= 100 else f"{value:,.2f}"
    return f"{shown} {currency or ''}".strip()


def investment_answer(fact: dict) -> Answer:
    """An amount: as written, value, currency, who, what for, when, evidence, source."""
    investors = [p for p in fact["parties"] if p["role"] == "investor"]
    by = " and ".join(p["name"] for p in investors) if investors else fact.get("by_name")
    by_written = investors[0]["as_written"] if investors else None
    if not by:  # "five foreign companies": unnamed investors, as the article puts them
        by = by_written = (fact.get("data") or {}).get("by_as_written")
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


def summary(fact: dict) -> str:
    """One line saying what a fact is, for timelines and lists."""
    kind = fact["kind"]
    if kind == "agreement":
        names, _, _ = party_line(fact)
        sub = fact.get("subtype") or "agreement"
        topic = best_topic(fact, None)
        who = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        verb = "planned" if fact.get("status") == "planned" else "signed"
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
