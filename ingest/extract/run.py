"""Extraction over stored articles: after each stored batch, and again over the whole database
(``briefbot reextract``) when the rules improve."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ingest.extract import extract
from ingest.extract.names import BUILTIN_ENTITIES
from ingest.extract.orgs import NameIndex, builtin_index
from storage import facts as store
from storage.clock import Clock, iso, utcnow

CHUNK = 500


@dataclass
class ExtractReport:
    """How many articles were read and facts stored, and how long it took."""

    articles: int = 0
    facts: int = 0
    seconds: float = 0.0


def name_index(db, cache: store.EntityCache | None = None) -> NameIndex:
    """Names known before reading: built-ins and every alias in the database (and, given a
    cache, every alias's entity id, so a batch asks the database only about new names)."""
    index = builtin_index()
    for alias, canonical, key, entity_id in store.alias_rows(db):
        index.add(alias, canonical)
        if cache is not None:
            cache.ids[key] = entity_id
    return index


def extract_rows(db, rows, *, clock: Clock = utcnow) -> ExtractReport:
    """Extract and store the facts of ``rows`` (dicts with id, title, body, published) in one
    transaction."""
    started = time.perf_counter()
    report = ExtractReport()
    with db.atomic():
        store.ensure_builtin_entities(db, BUILTIN_ENTITIES, clock=clock)
        cache = store.EntityCache()
        index = name_index(db, cache)
        now = iso(clock())  # one time for the batch: it is one transaction
        for row in rows:
            found = extract(row["title"], row["body"], row.get("published"), index)
            report.facts += store.replace_article_facts(
                db, row["id"], found, title=row["title"], clock=clock, cache=cache,
                fresh=row.get("fresh", False), now=now,
            )
            report.articles += 1
    report.seconds = time.perf_counter() - started
    return report


def after_store(db, results, articles, *, clock: Clock = utcnow) -> ExtractReport:
    """Extract the new and updated articles of a stored batch."""
    rows = []
    for result, art in zip(results, articles, strict=True):
        if result.outcome in ("new", "updated") and result.article_id is not None:
            rows.append({"id": result.article_id, "title": art.title, "body": art.body,
                         "published": art.published, "fresh": result.outcome == "new"})
    if not rows:
        return ExtractReport()
    missing = [r for r in rows if not r["published"]]
    if missing:
        marks = ",".join("?" * len(missing))
        dates = dict(db.execute(f"SELECT id, published FROM articles WHERE id IN ({marks})",
                                [r["id"] for r in missing]).fetchall())
        for r in missing:
            r["published"] = dates.get(r["id"])
    return extract_rows(db, rows, clock=clock)


def reextract_all(db, *, progress: Callable[[int, int], None] | None = None, clock: Clock = utcnow) -> ExtractReport:
    """Run extraction again over every stored article, in chunks of ``CHUNK``."""
    total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    report = ExtractReport()
    started = time.perf_counter()
    last = 0
    while True:
        cursor = db.execute("SELECT id, title, body, published FROM articles WHERE id > ? ORDER BY id LIMIT ?",
                            [last, CHUNK])
        rows = [dict(zip(("id", "title", "body", "published"), r, strict=True)) for r in cursor.fetchall()]
        if not rows:
            break
        part = extract_rows(db, rows, clock=clock)
        report.articles += part.articles
        report.facts += part.facts
        last = rows[-1]["id"]
        if progress is not None:
            progress(report.articles, total)
    report.seconds = time.perf_counter() - started
    return report
