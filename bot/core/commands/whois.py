"""/whois: an organisation or person — aliases, role, agreements, investments, latest mentions.
``/whois alias X = Y`` (admins) teaches the bot that X names Y; merging two established entities
needs ``--force``, and ``/whois alias undo`` reverts a merge."""

from __future__ import annotations

from base.hangul import has_hangul
from base.reply import Answer, Reply, SourceRef
from bot.core.context import within_budget
from bot.core.errors import UsageError, require_admin
from bot.core.factview import agreement_answer, investment_answer, source_of
from bot.core.registry import command
from ingest.entities import korean_name_of
from storage import facts as store
from storage.articles import fts_query, korean_match
from storage.audit import record_action
from storage.merges import MergeError, admin_alias, holdings, undo_merge
from storage.newest import Part, articles_in_order, newest_ids

MAX_ALIASES = 12
MAX_FACTS = 3
MAX_MENTIONS = 5


@command(
    "whois",
    usage="<name> | alias <alias> = <name> [--force] | alias undo [merge]",
    help="an organisation or person: aliases, role, agreements, investments, mentions",
    example="/whois MOTIE",
    aliases=("who-is", "who"),
    admin_note="`/whois alias X = Y` and `/whois alias undo` are admin-only and recorded in the audit log.",
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


FORCE_WORDS = ("--force", "—force", "–force")  # phones and Slack may turn -- into a dash


def _add_alias(inv, ctx, spec: str) -> Reply:
    words = spec.split()
    if words and words[0].lower() == "undo" and "=" not in spec:
        return _undo(inv, ctx, words[1:])
    force = any(w.lower() in FORCE_WORDS for w in words)
    if force:
        spec = " ".join(w for w in words if w.lower() not in FORCE_WORDS)
    alias, eq, target = spec.partition("=")
    alias, target = alias.strip().strip("\"“”'"), target.strip().strip("\"“”'")
    if not eq or not alias or not target:
        raise UsageError("Write it as: /whois alias <alias> = <name>, e.g. "
                         "/whois alias MOTIE = Ministry of Trade, Industry and Energy")
    require_admin(inv, "add aliases")
    done = admin_alias(ctx.db, alias, target, force=force, platform=inv.platform, actor=inv.actor,
                       clock=ctx.clock)
    if done.unconfirmed is not None:
        return _confirm(alias, target, done)
    entity, merged = done.entity, done.merged
    detail = f"{alias} = {entity['name']}"
    if done.merge_id is not None:
        detail += f" (merge #{done.merge_id}: {merged.name}, {merged.describe()})"
    record_action(ctx.db, platform=inv.platform, actor=inv.actor, action="whois.alias",
                  detail=detail, clock=ctx.clock)
    lines = [f"“{alias}” now names {entity['name']}."]
    if merged is not None and merged.name != entity["name"]:
        lines.append(f"What was stored under “{merged.name}” ({merged.describe()}) now belongs to "
                     f"{entity['name']}.")
    if done.merge_id is not None:
        lines.append(f"This is merge #{done.merge_id}; /whois alias undo {done.merge_id} reverts it.")
    return Reply(title="Alias added", lines=lines, kind="info")


def _confirm(alias: str, target: str, done) -> Reply:
    """What a merge of two established entities would move, and how to confirm it."""
    source, into = done.unconfirmed, done.target
    lines = [f"{source.name} has {source.describe()}."]
    lines.append(f"{into.name} has {into.describe()}." if into is not None
                 else f"No entity is called “{target}” yet: it would be created.")
    lines += [f"Merging would make all of {source.name}'s names, agreements, investments and people "
              f"{into.name if into is not None else target}'s.",
              f"If that is what you mean, send: /whois alias {alias} = {target} --force "
              "(/whois alias undo reverts it).",
              "Nothing was changed."]
    return Reply(title=f"Not merged: “{alias}” already names {source.name}", lines=lines,
                 kind="refusal")


def _undo(inv, ctx, words: list[str]) -> Reply:
    if len(words) > 1 or (words and not words[0].lstrip("#").isdigit()):
        raise UsageError("Write it as: /whois alias undo [merge number], e.g. /whois alias undo 3")
    require_admin(inv, "undo alias merges")
    try:
        merge, back = undo_merge(ctx.db, int(words[0].lstrip("#")) if words else None,
                                 actor=inv.actor, clock=ctx.clock)
    except MergeError as exc:
        return Reply(title="Nothing undone", lines=[str(exc)], kind="empty")
    from ingest.extract.run import extract_unread

    extract_unread(ctx.db, clock=ctx.clock)  # the articles naming either, read with the names split
    back = holdings(ctx.db, back.entity_id)
    record_action(ctx.db, platform=inv.platform, actor=inv.actor, action="whois.alias.undo",
                  detail=f"merge #{merge['id']}: {merge['source_name']} split from {merge['target_name']}",
                  clock=ctx.clock)
    return Reply(
        title=f"Undid merge #{merge['id']}",
        lines=[f"{back.name} is its own entity again: {back.describe()}.",
               f"“{merge['alias']}” names {back.name} again, not {merge['target_name']}."],
        kind="info",
    )


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
    # each look-up runs while the command has time; past it, what was found is shown
    agreement_ids = within_budget(lambda: store.facts_of_entity(db, entity["id"], "agreement", limit=MAX_FACTS), [])
    investment_ids = within_budget(lambda: store.facts_of_entity(db, entity["id"], "investment", limit=MAX_FACTS), [])
    lines.append(f"Agreements: {len(agreement_ids)} shown below" if agreement_ids else "Agreements: none stored")
    if investment_ids:
        lines.append(f"Investments: {len(investment_ids)} shown below")
    mentions = within_budget(lambda: _mentions(db, [entity["name"], *others]), [])
    if mentions:
        lines.append("Latest mentions:")
        lines += [f"• {m['title']}" + (f" ({m['published'][:10]})" if m.get("published") else "") for m in mentions]
        sources += [SourceRef.from_row(m) for m in mentions if not sources or m["title"] != sources[0].title]
    kind = {"person": "Person", "country": "Country"}.get(entity["kind"], "Organisation")
    shown = entity["name"]
    korean = None if has_hangul(shown) else korean_name_of(others)
    if korean:  # the English name with the Korean one beside it
        shown = f"{shown} ({korean})"
        data["name_ko"] = korean
    out = [Answer(kind="entity", title=f"{shown} ({kind})", lines=lines, sources=sources,
                  evidence=evidence, data=data)]
    out += [agreement_answer(f) for f in store.load_facts(db, agreement_ids)]
    out += [investment_answer(f) for f in store.load_facts(db, investment_ids)]
    return out


def _mentions(db, names: list[str]) -> list[dict]:
    """The latest articles naming the entity by any of its spellings (Korean names through the
    Korean index)."""
    korean = " OR ".join(f"({m})" for m in (korean_match(n) for n in names if has_hangul(n)) if m)
    phrases = [fts_query(n) for n in names if not has_hangul(n)][:20]
    english = " OR ".join('"' + p.replace('" "', " ").replace('"', "") + '"' for p in phrases if p)
    parts = [Part(index, match) for index, match in (("articles_ko", korean), ("articles_fts", english)) if match]
    return articles_in_order(db, "a.id, a.title, a.url, a.path, a.published",
                             newest_ids(db, parts, MAX_MENTIONS)) if parts else []
