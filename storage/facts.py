"""Facts in the database: entities and aliases, an article's facts (replaced whenever the article
is extracted again), and the queries the fact commands ask. All facts SQL lives here."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TypedDict

from base.names import COUNTRIES, display_name, name_key
from storage.clock import Clock, iso, utcnow
from storage.db import Database, rows

FACT_COLUMNS = (
    "f.id, f.article_id, f.kind, f.subtype, f.status, f.topic, f.date_text, f.date, f.place, "
    "f.amount_text, f.value, f.currency, f.by_entity_id, f.purpose, f.evidence, f.ev_start, "
    "f.ev_end, f.data, a.title AS article_title, a.url AS article_url, a.path AS article_path, "
    "a.published AS article_published"
)



class Party(TypedDict):
    """One party of a fact: the entity, its canonical name and kind, as the article wrote it, its
    role (party, investor, person, subject)."""

    fact_id: int
    entity_id: int
    as_written: str
    role: str
    name: str
    kind: str


class FactData(TypedDict, total=False):
    """What a fact keeps besides its columns (the JSON ``data`` column)."""

    mentions: list[dict]  # other sentences stating it: text, start, end, status
    clause: str  # the clause of a sentence stating several agreements that states this one
    umbrella: bool  # "three MoUs" reported together
    origin: str  # who read it: "rules" (absent), "reader" or "llm"
    rule: str  # the rule that found it
    by_as_written: str | None  # an investor as written, named or not ("five foreign companies")
    context: str  # the sentence before an amount (what it is for)
    person: str  # roles: the person and the organisation as written
    org: str | None


class Fact(TypedDict):
    """A fact as ``load_facts`` returns it: its columns, its ``data`` (always a dict), its
    article's citation fields, its investor's name and its parties in order."""

    id: int
    article_id: int
    kind: str
    subtype: str | None
    status: str | None
    topic: str | None
    date_text: str | None
    date: str | None
    place: str | None
    amount_text: str | None
    value: float | None
    currency: str | None
    by_entity_id: int | None
    purpose: str | None
    evidence: str
    ev_start: int | None
    ev_end: int | None
    data: FactData
    article_title: str
    article_url: str | None
    article_path: str | None
    article_published: str | None
    by_name: str | None
    parties: list[Party]


# ---------------------------------------------------------------- entities and aliases


class EntityCache:
    """Alias key → entity id for one batch, so each name costs one query at most (and each
    spelling one ``name_key``)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.keys: dict[str, str] = {}  # name as written → its name_key


def ensure_builtin_entities(db: Database, entities: dict, *, clock: Clock = utcnow) -> None:
    """Store the built-in entities and aliases that are not stored yet (cheap when all are)."""
    wanted = sum(1 + len(aliases) for _, aliases in entities.values())
    have = db.execute("SELECT count(*) FROM aliases WHERE origin = 'builtin'").fetchone()[0]
    if have >= wanted:
        return
    now = iso(clock())
    for canonical, (kind, aliases) in entities.items():
        entity_id = _alias_entity(db, name_key(canonical))
        if entity_id is None:
            entity_id = _create_entity(db, canonical, kind, now, origin="builtin")
        for alias in aliases:
            db.execute(
                "INSERT OR IGNORE INTO aliases(entity_id, alias, key, origin) VALUES (?,?,?, 'builtin')",
                [entity_id, alias, name_key(alias)],
            )


def alias_table(db: Database) -> list[tuple[str, str]]:
    """Every (alias, canonical name) pair: what extraction knows before reading an article."""
    return [(alias, name) for alias, name, _, _ in alias_rows(db)]


def alias_rows(db: Database) -> list[tuple[str, str, str, int]]:
    """Every (alias, canonical name, alias key, entity id)."""
    return [tuple(r) for r in db.execute(
        "SELECT al.alias, e.name, al.key, al.entity_id FROM aliases al JOIN entities e ON e.id = al.entity_id"
    ).fetchall()]


def _alias_entity(db: Database, key: str) -> int | None:
    row = db.execute("SELECT entity_id FROM aliases WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def _create_entity(db: Database, name: str, kind: str, now: str, *, origin: str = "extracted") -> int:
    key = name_key(name)
    row = db.execute("SELECT id FROM entities WHERE kind = ? AND key = ?", [kind, key]).fetchone()
    if row:
        entity_id = row[0]
    else:
        entity_id = db.execute(
            "INSERT INTO entities(kind, name, key, created_at) VALUES (?,?,?,?)",
            [kind, display_name(name), key, now],
        ).lastrowid
    db.execute(
        "INSERT OR IGNORE INTO aliases(entity_id, alias, key, origin) VALUES (?,?,?,?)",
        [entity_id, display_name(name), key, origin],
    )
    return entity_id


def resolve_entity(
    db: Database, name: str, kind: str = "org", *, clock: Clock = utcnow,
    cache: EntityCache | None = None, create: bool = True,
) -> int | None:
    """The entity ``name`` refers to (through the alias table), created when unknown."""
    if cache is None:
        key = name_key(name)
    else:
        key = cache.keys.get(name)
        if key is None:
            key = cache.keys[name] = name_key(name)
    if not key:
        return None
    if cache is not None and key in cache.ids:
        return cache.ids[key]
    entity_id = _alias_entity(db, key)
    if entity_id is None and create:
        if kind == "org" and key in COUNTRIES:
            kind = "country"
        entity_id = _create_entity(db, name, kind, iso(clock()))
    if cache is not None and entity_id is not None:
        cache.ids[key] = entity_id
    return entity_id


def get_entity(db: Database, entity_id: int) -> dict | None:
    """One entity row, with its organisation's name for people."""
    records = rows(db, "SELECT e.*, o.name AS org_name, o.kind AS org_kind FROM entities e "
                     "LEFT JOIN entities o ON o.id = e.org_id WHERE e.id = ?", [entity_id])
    return records[0] if records else None


# Entities a partial name is compared over, and their facts counted up to, to pick the best.
FIND_CANDIDATES = 20
FIND_COUNT_CAP = 1000


def find_entity(db: Database, name: str) -> dict | None:
    """The entity a name or alias refers to; failing that, the best entity one of whose names
    starts with it, else has a word starting with it (the one in most facts, then the shortest)."""
    key = name_key(name)
    if not key:
        return None
    entity_id = _alias_entity(db, key)
    if entity_id is None:
        # a prefix is a range of the alias index; a word inside a name needs a (bounded) look
        # through the aliases, which grow with the names the beat has, not with its articles
        found = db.execute("SELECT entity_id, key FROM aliases WHERE key >= ? AND key < ? ORDER BY key LIMIT ?",
                           [key, key + "\U0010ffff", FIND_CANDIDATES]).fetchall()
        if not found:
            found = db.execute("SELECT entity_id, key FROM aliases WHERE key LIKE ? ESCAPE '\\' LIMIT ?",
                               ["% " + _like(key) + "%", FIND_CANDIDATES]).fetchall()
        best = min(found, default=None, key=lambda r: (not r[1].startswith(key), -_fact_count(db, r[0]), len(r[1])))
        entity_id = best[0] if best else None
    return get_entity(db, entity_id) if entity_id is not None else None


def _fact_count(db: Database, entity_id: int) -> int:
    """How many facts an entity takes part in (counted up to ``FIND_COUNT_CAP``)."""
    return db.execute("SELECT count(*) FROM (SELECT 1 FROM fact_parties WHERE entity_id = ? LIMIT ?)",
                      [entity_id, FIND_COUNT_CAP]).fetchone()[0]


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def entity_aliases(db: Database, entity_id: int) -> list[dict]:
    """Every alias of an entity (alias and origin), the canonical spelling first."""
    return rows(db, "SELECT alias, origin FROM aliases WHERE entity_id = ? ORDER BY id", [entity_id])


def expand_aliases(db: Database, key: str) -> list[str]:
    """All spellings of the entity whose alias key is ``key`` (empty when none)."""
    entity_id = _alias_entity(db, key)
    if entity_id is None:
        return []
    names = [r[0] for r in db.execute("SELECT alias FROM aliases WHERE entity_id = ?", [entity_id])]
    names.append(db.execute("SELECT name FROM entities WHERE id = ?", [entity_id]).fetchone()[0])
    return list(dict.fromkeys(names))


def add_alias(
    db: Database, alias: str, target: str, *, origin: str = "admin", clock: Clock = utcnow
) -> tuple[dict, str | None]:
    """Make ``alias`` name the entity ``target`` names (created when unknown). An entity known
    only by the alias is merged into the target. Returns (target entity, what was merged)."""
    with db.atomic():
        now = iso(clock())
        target_id = resolve_entity(db, target, clock=clock)
        key = name_key(alias)
        merged = None
        current = _alias_entity(db, key)
        if current is not None and current != target_id:
            other = get_entity(db, current)
            merged = other["name"] if other else None
            merge_entities(db, current, target_id)
        db.execute(
            "INSERT INTO aliases(entity_id, alias, key, origin) VALUES (?,?,?,?) "
            "ON CONFLICT(key) DO UPDATE SET entity_id = excluded.entity_id, alias = excluded.alias, "
            "origin = excluded.origin",
            [target_id, alias.strip(), key, origin],
        )
        del now
    return get_entity(db, target_id), merged


def merge_entities(db: Database, source_id: int, target_id: int) -> None:
    """Fold one entity into another: its aliases, party roles, investments and people move."""
    if source_id == target_id:
        return
    db.execute("UPDATE aliases SET entity_id = ? WHERE entity_id = ?", [target_id, source_id])
    db.execute(
        "UPDATE OR IGNORE fact_parties SET entity_id = ? WHERE entity_id = ?", [target_id, source_id]
    )
    db.execute("DELETE FROM fact_parties WHERE entity_id = ?", [source_id])
    db.execute("UPDATE facts SET by_entity_id = ? WHERE by_entity_id = ?", [target_id, source_id])
    db.execute("UPDATE entities SET org_id = ? WHERE org_id = ?", [target_id, source_id])
    db.execute("DELETE FROM entities WHERE id = ?", [source_id])


# ---------------------------------------------------------------- storing an article's facts


def replace_article_facts(
    db: Database, article_id: int, extraction, *, title: str = "", clock: Clock = utcnow,
    cache: EntityCache | None = None, fresh: bool = False, now: str | None = None,
) -> int:
    """Store what extraction found in one article, replacing what an earlier run stored
    (``fresh``: a new article, nothing to replace; ``now``: the batch's time, read once).
    Returns how many facts were stored."""
    cache = cache if cache is not None else EntityCache()
    now = now or iso(clock())
    if not fresh:
        db.execute("DELETE FROM facts WHERE article_id = ?", [article_id])
    for full, abbr in extraction.aliases:
        _learn_alias(db, full, abbr, now, cache)
    count = 0
    # Parties and search records are stored in one statement each, after the facts they refer to.
    parties: list[tuple] = []  # (fact, entity, as written, role, position)
    search: list[tuple] = []  # (fact, kind, words, names, title)
    for g in extraction.agreements:
        data = {"mentions": [
            {"text": m.sentence.text, "start": m.sentence.start, "end": m.sentence.end, "status": m.status}
            for m in g.mentions if m.sentence is not g.evidence
        ]}
        if g.clause:
            data["clause"] = g.clause
        if g.umbrella:
            data["umbrella"] = True
        if g.origin != "rules":
            data["origin"] = g.origin
        if g.rule:
            data["rule"] = g.rule
        fact_id = _insert_fact(db, article_id, now, kind="agreement", subtype=g.kind, status=g.status,
                               topic=g.topic, date_text=g.date_text, date=g.date, place=g.place,
                               evidence=g.evidence, data=data)
        names = []
        for pos, party in enumerate(g.parties):
            entity_id = resolve_entity(db, party.name, clock=clock, cache=cache)
            if entity_id is None:
                continue
            parties.append((fact_id, entity_id, party.as_written, "party", pos))
            names += [party.as_written, party.name]
        words = " ".join(filter(None, [g.kind, g.topic, g.evidence.text, g.place or "", g.date_text or ""]
                                + [m.sentence.text for m in g.mentions if m.sentence is not g.evidence]))
        _index(search, fact_id, "agreement", words, names, title)
        count += 1
    for inv in extraction.investments:
        by_id = resolve_entity(db, inv.by, clock=clock, cache=cache) if inv.by else None
        fact_id = _insert_fact(
            db, article_id, now, kind="investment", subtype=inv.subtype, status="announced",
            topic=inv.purpose, date_text=inv.date_text, date=inv.date, amount_text=inv.money.text,
            value=inv.money.value, currency=inv.money.currency, by_entity_id=by_id,
            purpose=inv.purpose, evidence=inv.evidence,
            data={"by_as_written": inv.by_written, **({"context": inv.context} if inv.context else {}),
                  **({"clause": inv.clause} if inv.clause else {}),
                  **({"origin": inv.origin} if inv.origin != "rules" else {})},
        )
        if by_id is not None:
            parties.append((fact_id, by_id, inv.by_written or inv.by, "investor", 0))
            for pos, other in enumerate(inv.co_investors, 1):
                other_id = resolve_entity(db, other, clock=clock, cache=cache)
                if other_id is not None:
                    parties.append((fact_id, other_id, other, "investor", pos))
        _index(search, fact_id, "investment", f"{inv.money.text} {inv.purpose or ''} {inv.evidence.text} {inv.context}",
               [inv.by_written or "", inv.by or "", *inv.co_investors], title)
        count += 1
    for role in extraction.people:
        person_id = resolve_entity(db, role.person, "person", clock=clock, cache=cache)
        org_id = resolve_entity(db, role.org, role.org_kind, clock=clock, cache=cache) if role.org else None
        if person_id is None:
            continue
        db.execute(
            "UPDATE entities SET role = ?, org_id = COALESCE(?, org_id) WHERE id = ? AND kind = 'person'",
            [role.role, org_id, person_id],
        )
        fact_id = _insert_fact(db, article_id, now, kind="role", subtype=role.role, status=None,
                               topic=role.role, evidence=role.evidence,
                               data={"person": role.person, "org": role.org})
        parties.append((fact_id, person_id, role.person, "person", 0))
        if org_id is not None:
            parties.append((fact_id, org_id, role.org, "subject", 1))
        _index(search, fact_id, "role", f"{role.role} {role.evidence.text}", [role.person, role.org or ""], title)
        count += 1
    for ev in extraction.events:
        fact_id = _insert_fact(db, article_id, now, kind="event", subtype=ev.subtype, status=None,
                               topic=ev.name, date_text=ev.date_text, date=ev.date, place=ev.place,
                               evidence=ev.evidence, data=None)
        _index(search, fact_id, "event", f"{ev.subtype} {ev.name} {ev.evidence.text}", [], title)
        count += 1
    if search:
        _execute_many(db, "INSERT INTO fact_search(rowid, kind, words, names, title) VALUES (?,?,?,?,?)", search)
    if parties:
        _execute_many(db, "INSERT OR IGNORE INTO fact_parties(fact_id, entity_id, as_written, role, position) "
                          "VALUES (?,?,?,?,?)", parties)
    return count


def _execute_many(db: Database, sql: str, records: list[tuple]) -> None:
    """One statement over many records, in the caller's transaction or else in its own."""
    if db.conn.in_transaction:
        db.conn.executemany(sql, records)
    else:
        with db.atomic():
            db.conn.executemany(sql, records)


def _learn_alias(db: Database, full: str, abbr: str, now: str, cache: EntityCache) -> None:
    """An article's "Full Name (ABBR)": ABBR names the full name's entity from now on."""
    full_id = resolve_entity(db, full, cache=cache)
    key = name_key(abbr)
    current = _alias_entity(db, key)
    if current is None:
        db.execute("INSERT OR IGNORE INTO aliases(entity_id, alias, key, origin) VALUES (?,?,?, 'extracted')",
                   [full_id, abbr, key])
    elif current != full_id:
        # An entity known only by the abbreviation (no other spelling) is this one.
        other = get_entity(db, current)
        spellings = db.execute("SELECT count(*) FROM aliases WHERE entity_id = ?", [current]).fetchone()[0]
        if other and other["key"] == key and spellings == 1:
            merge_entities(db, current, full_id)
            cache.ids = {k: (full_id if v == current else v) for k, v in cache.ids.items()}
    cache.ids[key] = _alias_entity(db, key) or full_id
    del now


def _insert_fact(db: Database, article_id: int, now: str, *, kind: str, subtype, status, topic,
                 evidence, date_text=None, date=None, place=None, amount_text=None, value=None,
                 currency=None, by_entity_id=None, purpose=None, data=None) -> int:
    # evidence read off the headline has no place in the body: no offsets
    span = (evidence.start, evidence.end) if evidence.end > evidence.start else (None, None)
    return db.execute(
        "INSERT INTO facts(article_id, kind, subtype, status, topic, date_text, date, place, "
        "amount_text, value, currency, by_entity_id, purpose, evidence, ev_start, ev_end, data, "
        "created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [article_id, kind, subtype, status, topic or None, date_text, date, place, amount_text, value,
         currency, by_entity_id, purpose, evidence.text, *span,
         json.dumps(data) if data else None, now],
    ).lastrowid


def _index(search: list[tuple], fact_id: int, kind: str, words: str, names: Iterable[str], title: str) -> None:
    search.append((fact_id, kind, words, " ; ".join(n for n in names if n), title or ""))


# ---------------------------------------------------------------- queries for the commands


# bm25 is computed for every row a MATCH yields: a topic word shared by tens of thousands of
# facts costs tens of milliseconds. Only the newest RANK_WINDOW matches (a cheap walk down the
# rowid order) are ranked.
RANK_WINDOW = 300


def _window(db: Database, match: str, kind_sql: str, params: list, table: str = "fact_search") -> int:
    """The lowest rowid among the newest RANK_WINDOW records matching (0 when fewer match)."""
    row = db.execute(
        f"SELECT rowid FROM {table} WHERE {table} MATCH ? {kind_sql} ORDER BY rowid DESC "
        "LIMIT 1 OFFSET ?", [match, *params, RANK_WINDOW - 1],
    ).fetchone()
    return row[0] if row else 0


def _ranked_window(db: Database, match: str, kind_sql: str, params: list, limit: int, window: int) -> list[int]:
    """The best ``limit`` of the newest ``window`` facts matching (``kind_sql`` on their kind),
    by bm25(): each scored as it is read from the newest down, in one pass.

    Finding where the window starts, then ranking from there, read every match of the window
    twice (and each one's kind twice, a look-up in the index's content table). The order is
    what ``ORDER BY bm25(…) LIMIT`` gives: best first, ties by the order SQLite reads them
    (ascending rowid)."""
    scored: list[tuple[float, int]] = []
    for rowid, score in db.execute(
            f"SELECT rowid, bm25(fact_search, 0.0, 3.0, 3.0, 2.0) FROM fact_search WHERE fact_search MATCH ? "
            f"{kind_sql} ORDER BY rowid DESC", [match, *params]):
        scored.append((score, rowid))
        if len(scored) == window:
            break
    scored.sort()
    return [rowid for _, rowid in scored[:limit]]


def search_facts(db: Database, kind: str, match: str, *, limit: int = 50, window: int = RANK_WINDOW) -> list[int]:
    """Ids of ``kind`` facts whose own words, parties or article title match the FTS5
    expression ``match``, best first (among the newest ``window`` that match)."""
    return _ranked_window(db, match, "AND kind = ?", [kind], limit, window)


def facts_in_matching_articles(db: Database, kind: str, match: str, *, limit: int = 30) -> list[int]:
    """Ids of ``kind`` facts in the articles whose title or body match ``match``."""
    low = _window(db, match, "", [], table="articles_fts")
    return [r[0] for r in db.execute(
        "SELECT f.id FROM (SELECT rowid AS id FROM articles_fts WHERE articles_fts MATCH ? AND rowid >= ? "
        "ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT ?) m JOIN facts f ON f.article_id = m.id "
        "WHERE f.kind = ?",
        [match, low, limit, kind],
    )]


def facts_in_korean_articles(db: Database, kind: str, text: str, *, limit: int = 30) -> list[int]:
    """Ids of ``kind`` facts in the Korean articles holding every word of ``text`` (failing
    that, any of them), through the Korean index of articles (``storage.articles``)."""
    from storage.articles import article_match

    ids: list[int] = []
    for mode in ("AND", "OR"):
        where = article_match(text, mode)
        if where is None:
            return ids
        sql, params = where
        ids += [r[0] for r in db.execute(
            f"SELECT f.id FROM facts f JOIN (SELECT a.id FROM articles a WHERE {sql} ORDER BY a.id DESC LIMIT ?) m "
            "ON f.article_id = m.id WHERE f.kind = ?", [*params, limit, kind])]
        if ids or len(text.split()) < 2:
            break
    return ids


RECENT_WINDOW = 500


def recent_facts(db: Database, kind: str, *, limit: int = 20) -> list[int]:
    """Ids of the latest ``kind`` facts (by date, among the ``RECENT_WINDOW`` last stored)."""
    # Sorting every fact of a kind by date is a full scan; the last stored few hundred (an index
    # walk) hold the latest ones in practice, and only those are sorted by date.
    window = [r[0] for r in db.execute(
        "SELECT id FROM facts WHERE kind = ? ORDER BY id DESC LIMIT ?", [kind, max(RECENT_WINDOW, limit)])]
    return _newest_facts(db, window, kind, limit)


def load_facts(db: Database, ids: Sequence[int]) -> list[Fact]:
    """Facts by id (in the order given), each with its article's citation fields, its parties
    (canonical name, as written, role) and, for investments, the investor's canonical name."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    records = {r["id"]: r for r in rows(
        db,
        f"SELECT {FACT_COLUMNS}, be.name AS by_name FROM facts f JOIN articles a ON a.id = f.article_id "
        f"LEFT JOIN entities be ON be.id = f.by_entity_id WHERE f.id IN ({marks})",
        ids,
    )}
    for r in records.values():
        r["parties"] = []
        r["data"] = json.loads(r["data"]) if r["data"] else {}
    # in their order, sorted here: a few per fact (no temporary B-tree over fact_parties)
    for p in sorted(rows(
        db,
        f"SELECT fp.fact_id, fp.entity_id, fp.as_written, fp.role, e.name, e.kind, fp.position FROM fact_parties fp "
        f"JOIN entities e ON e.id = fp.entity_id WHERE fp.fact_id IN ({marks})",
        ids,
    ), key=lambda p: p.pop("position")):
        records[p["fact_id"]]["parties"].append(p)
    return [records[i] for i in ids if i in records]


def article_texts(db: Database, article_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """(title, body) of each article id."""
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {r[0]: (r[1], r[2]) for r in db.execute(
        f"SELECT id, title, body FROM articles WHERE id IN ({marks})", ids)}


# The role an entity plays in each kind of fact (fact_parties.role).
ROLE_OF_KIND = {"agreement": "party", "investment": "investor", "role": "person"}
ENTITY_WINDOW = 300


def facts_of_entity(db: Database, entity_id: int, kind: str, *, limit: int = 10) -> list[int]:
    """Ids of the ``kind`` facts an entity is party to or puts money into, newest first (by the
    fact's date, else its article's, among the entity's ``ENTITY_WINDOW`` latest stored facts of
    each way: an entity may be in tens of thousands)."""
    role = ROLE_OF_KIND.get(kind, "party")
    # Two index look-ups, not one OR (which no index answers: every fact of the kind was read).
    candidates = [r[0] for r in db.execute(
        "SELECT fact_id FROM fact_parties WHERE entity_id = ? AND role = ? ORDER BY fact_id DESC LIMIT ?",
        [entity_id, role, ENTITY_WINDOW])]
    candidates += [r[0] for r in db.execute(
        "SELECT id FROM facts WHERE by_entity_id = ? AND kind = ? ORDER BY id DESC LIMIT ?",
        [entity_id, kind, ENTITY_WINDOW])]
    return _newest_facts(db, candidates, kind, limit)


def _newest_facts(db: Database, ids: Sequence[int], kind: str, limit: int) -> list[int]:
    """Of the facts ``ids``, the ``limit`` newest of ``kind`` (by fact date, else article date)."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    found = db.execute(
        "SELECT f.id, COALESCE(f.date, a.published, a.fetched) FROM facts f JOIN articles a ON a.id = f.article_id "
        f"WHERE f.id IN ({','.join('?' * len(ids))}) AND f.kind = ?", [*ids, kind]).fetchall()
    # sorted here, not by SQL: a bounded handful, and no temporary B-tree over the facts
    found.sort(key=lambda r: (r[1] or "", r[0]), reverse=True)
    return [i for i, _ in found[:limit]]


def people_of(db: Database, entity_id: int, *, limit: int = 10) -> list[dict]:
    """People whose role is at this organisation or country."""
    return rows(db, "SELECT id, name, role FROM entities WHERE org_id = ? AND kind = 'person' "
                     "ORDER BY name LIMIT ?", [entity_id, limit])


def role_evidence(db: Database, person_id: int) -> list[int]:
    """Ids of the role facts about a person, newest first."""
    return [r[0] for r in db.execute(
        "SELECT f.id FROM facts f JOIN fact_parties fp ON fp.fact_id = f.id "
        "WHERE f.kind = 'role' AND fp.entity_id = ? AND fp.role = 'person' ORDER BY f.id DESC",
        [person_id],
    )]


def timeline_facts(db: Database, match: str, *, limit: int = 200, window: int = RANK_WINDOW) -> list[int]:
    """Ids of facts (any kind but roles) matching ``match`` by their own words, parties or
    article title, best first (among the newest ``window`` that match)."""
    return _ranked_window(db, match, "AND kind != 'role'", [], limit, window)


def fact_counts(db: Database) -> dict[str, int]:
    """How many facts of each kind are stored."""
    return {k: n for k, n in db.execute("SELECT kind, count(*) FROM facts GROUP BY kind")}
