"""Admin alias merges: ``/whois alias X = Y`` when X already names another entity.

An entity known only by X is merged at once (as the docs say); one that is established (other
names, or facts) only when the admin confirms. Every merge is recorded with what it moved, so it
can be undone: the entity comes back with its names, and every party, investor and person that
was its (or was stored under one of its names since) is its again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from base.names import name_key
from storage.clock import Clock, iso, utcnow
from storage.db import Database, rows
from storage.facts import _alias_entity, add_alias, get_entity


class MergeError(ValueError):
    """A merge that cannot be undone now; the message says why and what to do."""


@dataclass
class Holdings:
    """What an entity holds: its names and the facts it is party to."""

    entity_id: int
    name: str
    names: list[str]
    agreements: int
    investments: int
    people: int

    @property
    def established(self) -> bool:
        """Known by more than the one name: merging it needs the admin's confirmation."""
        return len(self.names) > 1

    def describe(self) -> str:
        """``5 names (MOTIE, trade ministry, …), 1 agreement and 2 investments``."""
        others = [n for n in self.names if n != self.name]
        parts = [f"{len(self.names)} name{'s' if len(self.names) != 1 else ''}"
                 + (f" ({', '.join(others[:4])}{', …' if len(others) > 4 else ''})" if others else "")]
        for n, word in ((self.agreements, "agreement"), (self.investments, "investment"), (self.people, "person")):
            if n:
                parts.append(f"{n} {word if n == 1 else ('people' if word == 'person' else word + 's')}")
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


@dataclass
class AliasOutcome:
    """What ``/whois alias`` did: the target entity, and the merge (if any) with its id; or,
    unconfirmed, what a merge would move."""

    entity: dict | None
    merged: Holdings | None = None
    merge_id: int | None = None
    unconfirmed: Holdings | None = None
    target: Holdings | None = None


def holdings(db: Database, entity_id: int) -> Holdings:
    """An entity's names and how many agreements, investments and people are its."""
    entity = get_entity(db, entity_id)
    names = [r[0] for r in db.execute("SELECT alias FROM aliases WHERE entity_id = ? ORDER BY id", [entity_id])]
    agreements, investments = db.execute(
        "SELECT count(DISTINCT CASE WHEN f.kind = 'agreement' THEN f.id END), "
        "count(DISTINCT CASE WHEN f.kind = 'investment' THEN f.id END) FROM facts f "
        "LEFT JOIN fact_parties fp ON fp.fact_id = f.id "
        "WHERE fp.entity_id = ? OR f.by_entity_id = ?", [entity_id, entity_id]).fetchone()
    people = db.execute("SELECT count(*) FROM entities WHERE org_id = ?", [entity_id]).fetchone()[0]
    return Holdings(entity_id, entity["name"], list(dict.fromkeys(names)) or [entity["name"]],
                    agreements, investments, people)


def admin_alias(db: Database, alias: str, target: str, *, force: bool = False, platform: str = "",
                actor: str = "", clock: Clock = utcnow) -> AliasOutcome:
    """Make ``alias`` name ``target``. When ``alias`` already names an established entity, merge
    it only with ``force``; otherwise return what the merge would move, changing nothing."""
    with db.atomic():
        current = _alias_entity(db, name_key(alias))
        target_id = _alias_entity(db, name_key(target))
        source = holdings(db, current) if current is not None and current != target_id else None
        if source is not None and source.established and not force:
            return AliasOutcome(entity=None, unconfirmed=source,
                                target=holdings(db, target_id) if target_id is not None else None)
        snapshot = _snapshot(db, current) if source is not None else None
        entity, _ = add_alias(db, alias, target, origin="admin", clock=clock)
        merge_id = None
        if snapshot is not None:
            merge_id = db.execute(
                "INSERT INTO entity_merges(at, platform, actor, alias, source_name, target_id, "
                "target_name, snapshot) VALUES (?,?,?,?,?,?,?,?)",
                [iso(clock()), platform, actor, alias, source.name, entity["id"], entity["name"],
                 json.dumps(snapshot)],
            ).lastrowid
    return AliasOutcome(entity=entity, merged=source, merge_id=merge_id)


def _snapshot(db: Database, entity_id: int) -> dict:
    """Everything a merge of ``entity_id`` moves or deletes, to put it back."""
    def rows(sql: str) -> list[list]:
        return [list(r) for r in db.execute(sql, [entity_id]).fetchall()]

    entity = db.execute("SELECT id, kind, name, key, role, org_id, created_at FROM entities WHERE id = ?",
                        [entity_id]).fetchone()
    return {
        "entity": list(entity),
        "aliases": rows("SELECT alias, key, origin FROM aliases WHERE entity_id = ? ORDER BY id"),
        "parties": rows("SELECT fact_id, as_written, role, position FROM fact_parties WHERE entity_id = ?"),
        "invested": [r[0] for r in rows("SELECT id FROM facts WHERE by_entity_id = ?")],
        "people": [r[0] for r in rows("SELECT id FROM entities WHERE org_id = ?")],
    }


def latest_merge(db: Database) -> dict | None:
    """The newest merge not undone yet."""
    return _merge(db, "undone_at IS NULL ORDER BY id DESC LIMIT 1", [])


def _merge(db: Database, where: str, params: list) -> dict | None:
    found = rows(db, f"SELECT * FROM entity_merges WHERE {where}", params)
    return found[0] if found else None


def undo_merge(db: Database, merge_id: int | None = None, *, actor: str = "",
               clock: Clock = utcnow) -> tuple[dict, Holdings]:
    """Undo a merge (the newest when ``merge_id`` is None): the merged entity is back with its
    names, and what was its (or was stored under its names since) is its again; the articles
    naming either entity are marked to be read again (``extract_unread``). Returns the merge and
    what the entity holds now. Raises MergeError when it cannot."""
    with db.atomic():
        merge = (latest_merge(db) if merge_id is None
                 else _merge(db, "id = ?", [merge_id]))
        if merge is None:
            raise MergeError("There is no alias merge to undo." if merge_id is None
                             else f"There is no alias merge #{merge_id}.")
        if merge["undone_at"]:
            raise MergeError(f"Merge #{merge['id']} was undone already ({merge['undone_at'][:16].replace('T', ' ')} UTC).")
        target = merge["target_id"]
        if get_entity(db, target) is None:
            later = _merge(db, "undone_at IS NULL AND id > ? AND source_name = ? ORDER BY id LIMIT 1",
                           [merge["id"], merge["target_name"]])
            hint = f" Undo merge #{later['id']} first." if later else ""
            raise MergeError(f"{merge['target_name']} was itself merged away since.{hint}")
        snap = json.loads(merge["snapshot"])
        entity_id = _restore_entity(db, snap["entity"], target)
        keys = {key for _, key, _ in snap["aliases"]}
        for alias, key, origin in snap["aliases"]:
            moved = db.execute("UPDATE aliases SET entity_id = ?, alias = ?, origin = ? WHERE key = ? "
                               "AND entity_id = ?", [entity_id, alias, origin, key, target]).rowcount
            if not moved:
                db.execute("INSERT OR IGNORE INTO aliases(entity_id, alias, key, origin) VALUES (?,?,?,?)",
                           [entity_id, alias, key, origin])
        # Its own party rows (the merge deleted those where the target was a party too) …
        for fact_id, as_written, role, position in snap["parties"]:
            moved = db.execute("UPDATE OR IGNORE fact_parties SET entity_id = ? WHERE fact_id = ? AND "
                               "entity_id = ? AND role = ? AND as_written = ?",
                               [entity_id, fact_id, target, role, as_written]).rowcount
            if not moved:
                db.execute("INSERT OR IGNORE INTO fact_parties(fact_id, entity_id, as_written, role, position) "
                           "SELECT id, ?, ?, ?, ? FROM facts WHERE id = ?",
                           [entity_id, as_written, role, position, fact_id])
        # … and every party or investor stored under one of its names since (new articles,
        # `reextract`): those names were its before the merge.
        for fact_id, role, as_written in db.execute(
                "SELECT fact_id, role, as_written FROM fact_parties WHERE entity_id = ?", [target]).fetchall():
            if name_key(as_written) in keys:
                db.execute("UPDATE OR IGNORE fact_parties SET entity_id = ? WHERE fact_id = ? AND "
                           "entity_id = ? AND role = ?", [entity_id, fact_id, target, role])
        invested = set(snap["invested"])
        for fact_id, data in db.execute("SELECT id, data FROM facts WHERE by_entity_id = ?", [target]).fetchall():
            written = (json.loads(data) if data else {}).get("by_as_written") or ""
            if fact_id in invested or name_key(written) in keys:
                db.execute("UPDATE facts SET by_entity_id = ? WHERE id = ?", [entity_id, fact_id])
        people = snap["people"]
        for person in people:
            db.execute("UPDATE entities SET org_id = ? WHERE id = ? AND org_id = ?", [entity_id, person, target])
        # While merged, an article naming both stored one party where it names two (and
        # `reextract` may have run): the articles that name either are read again.
        db.execute(
            "DELETE FROM article_extraction WHERE article_id IN (SELECT f.article_id FROM facts f "
            "LEFT JOIN fact_parties fp ON fp.fact_id = f.id "
            "WHERE fp.entity_id IN (?, ?) OR f.by_entity_id IN (?, ?))",
            [entity_id, target, entity_id, target])
        db.execute("UPDATE entity_merges SET undone_at = ?, undone_by = ? WHERE id = ?",
                   [iso(clock()), actor, merge["id"]])
        return merge, holdings(db, entity_id)


def _restore_entity(db: Database, entity: list, target: int) -> int:
    """The merged entity back, under its old id when that is still free."""
    old_id, kind, name, key, role, org_id, created_at = entity
    row = db.execute("SELECT id FROM entities WHERE kind = ? AND key = ?", [kind, key]).fetchone()
    if row and row[0] == target:
        raise MergeError(f"{name} is now the name of the entity it was merged into; it cannot be split off.")
    if row:
        return row[0]
    if org_id is not None and get_entity(db, org_id) is None:
        org_id = None
    free = db.execute("SELECT 1 FROM entities WHERE id = ?", [old_id]).fetchone() is None
    return db.execute(
        f"INSERT INTO entities({'id, ' if free else ''}kind, name, key, role, org_id, created_at) "
        f"VALUES ({'?, ' if free else ''}?,?,?,?,?,?)",
        ([old_id] if free else []) + [kind, name, key, role, org_id, created_at],
    ).lastrowid
