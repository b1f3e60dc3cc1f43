"""/whois: an organisation or person — aliases, role, agreements, investments, latest mentions.
``/whois alias X = Y`` (admins) teaches the bot that X names Y."""

from __future__ import annotations

from bot.core.errors import UsageError, require_admin
from bot.core.factview import agreement_answer, investment_answer, source_of
from bot.core.registry import command
from bot.core.reply import Answer, Reply, SourceRef
from storage import facts as store
from storage.articles import _rows, fts_query
from storage.audit import record_action

MAX_ALIASES = 12
MAX_FACTS = 3
MAX_MENTIONS = 5


@command(
    "whois",
    usage="<name> | alias <alias> = <name>",
    help="an organisation or person: aliases, role, agreements, investments, mentions",
    example="/whois MOTIE",
    aliases=("who-is", "who"),
    admin_note="`/whois alias X = Y` is admin-only and recorded in the audit log.",
)
def whois(inv, ctx) -> Reply:
    text = inv.text.strip()
    if not text:
        raise UsageError("Tell me a name, e.g. a company, a ministry or a person.")
    head, _, rest = text.partition(" ")
    if head.lower() == "alias" and rest.strip():
        return _add_alias(inv, ctx, rest.strip())
    entity = store.find_entity(ctx.db, text)
    if entity is None:
        return Reply(
            title=f"Who is {text}?",
            lines=[f"No organisation or person called “{text}” is stored.",
                   f"Try /find {text} to search the articles."],
            kind="empty",
        )
    return Reply(title=f"Who is {text}?", answers=_entity_answers(ctx.db, entity))


def _add_alias(inv, ctx, spec: str) -> Reply:
    alias, eq, target = spec.partition("=")
    alias, target = alias.strip().strip("\"“”'"), target.strip().strip("\"“”'")
    if not eq or not alias or not target:
        raise UsageError("Write it as: /whois alias <alias> = <name>, e.g. "
                         "/whois alias MOTIE = Ministry of Trade, Industry and Energy")
    require_admin(inv, "add aliases")
    entity, merged = store.add_alias(ctx.db, alias, target, origin="admin", clock=ctx.clock)
    record_action(ctx.db, platform=inv.platform, actor=inv.actor, action="whois.alias",
                  detail=f"{alias} = {entity['name']}", clock=ctx.clock)
    lines = [f"“{alias}” now names {entity['name']}."]
    if merged and merged != entity["name"]:
        lines.append(f"What was stored under “{merged}” now belongs to {entity['name']}.")
    return Reply(title="Alias added", lines=lines, kind="info")


def _entity_answers(db, entity: dict) -> list[Answer]:
    aliases = [a["alias"] for a in store.entity_aliases(db, entity["id"])]
    others = [a for a in dict.fromkeys(aliases) if a != entity["name"]]
    lines = []
    data = {"name": entity["name"], "entity_kind": entity["kind"], "aliases": others}
    if others:
        shown = ", ".join(others[:MAX_ALIASES]) + (f" and {len(others) - MAX_ALIASES} more"
                                                  if len(others) > MAX_ALIASES else "")
        lines.append(f"Also known as: {shown}")
    sources: list[SourceRef] = []
    evidence = None
    if entity["kind"] == "person":
        role = entity.get("role") or "role unknown"
        where = entity.get("org_name")
        lines.append(f"Role: {role}" + (f", {where}" if where else ""))
        data.update(role=entity.get("role"), org=where)
        role_ids = store.role_evidence(db, entity["id"])
        if role_ids:
            fact = store.load_facts(db, role_ids[:1])[0]
            sources.append(source_of(fact))
            evidence = fact["evidence"]
    else:
        people = store.people_of(db, entity["id"])
        if people:
            lines.append("People: " + "; ".join(f"{p['name']} ({p['role']})" if p["role"] else p["name"]
                                                 for p in people))
    agreement_ids = store.facts_of_entity(db, entity["id"], "agreement", limit=MAX_FACTS)
    investment_ids = store.facts_of_entity(db, entity["id"], "investment", limit=MAX_FACTS)
    lines.append(f"Agreements: {len(agreement_ids)} shown below" if agreement_ids else "Agreements: none stored")
    if investment_ids:
        lines.append(f"Investments: {len(investment_ids)} shown below")
    mentions = _mentions(db, [entity["name"], *others])
    if mentions:
        lines.append("Latest mentions:")
        lines += [f"• {m['title']}" + (f" ({m['published'][:10]})" if m.get("published") else "") for m in mentions]
        sources += [SourceRef.from_row(m) for m in mentions if not sources or m["title"] != sources[0].title]
    kind = {"person": "Person", "country": "Country"}.get(entity["kind"], "Organisation")
    out = [Answer(kind="entity", title=f"{entity['name']} ({kind})", lines=lines, sources=sources,
                  evidence=evidence, data=data)]
    out += [agreement_answer(f) for f in store.load_facts(db, agreement_ids)]
    out += [investment_answer(f) for f in store.load_facts(db, investment_ids)]
    return out


def _mentions(db, names: list[str]) -> list[dict]:
    """The latest articles naming the entity by any of its spellings."""
    phrases = [fts_query(n) for n in names[:20]]
    phrases = ["(" + p.replace('" "', " ").replace('"', "") + ")" for p in phrases if p]
    match = " OR ".join('"' + p.strip("()") + '"' for p in phrases)
    if not match:
        return []
    return _rows(
        db,
        "SELECT a.id, a.title, a.url, a.path, a.published FROM articles a WHERE a.id IN "
        "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) "
        "ORDER BY COALESCE(a.published, a.fetched) DESC, a.id DESC LIMIT ?",
        [match, MAX_MENTIONS],
    )
