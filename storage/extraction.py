"""Extraction state per article: which articles' stored facts were read from their current text.

An article is stored in one transaction and its facts in a later one (a large ingest reads them
in a second process). A crash in between leaves articles without facts: they have no row in
``article_extraction`` (a changed text deletes its row, see m012) and are listed in
``article_unread`` (kept by triggers, m019), so the next ingest or `serve` start finds and reads
them, and `doctor` counts them, in the same time at any size of the archive.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from storage.db import Database, chunks


def mark_read(db: Database, article_ids: Iterable[int], now: str) -> None:
    """Record that these articles' facts are stored (call in the transaction that stores them)."""
    rows = [(i, now) for i in article_ids]
    if rows:
        db.conn.executemany(
            "INSERT OR REPLACE INTO article_extraction(article_id, at) VALUES (?, ?)", rows)


def already_read(db: Database, article_ids: Sequence[int]) -> set[int]:
    """Those of ``article_ids`` whose facts are stored already (by another process, say)."""
    out: set[int] = set()
    ids = list(article_ids)
    for chunk in chunks(ids):
        marks = ",".join("?" * len(chunk))
        out.update(r[0] for r in db.execute(
            f"SELECT article_id FROM article_extraction WHERE article_id IN ({marks})", chunk))
    return out


def count_unread(db: Database) -> int:
    """How many stored articles have no facts read from their current text."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'article_unread'").fetchone() is None:
        # a database not migrated yet (`doctor` before a start): the articles without a mark
        return db.execute("SELECT count(*) FROM articles a WHERE NOT EXISTS "
                          "(SELECT 1 FROM article_extraction x WHERE x.article_id = a.id)").fetchone()[0]
    return db.execute("SELECT count(*) FROM article_unread").fetchone()[0]


def unread_rows(db: Database, *, after: int = 0, limit: int = 500) -> list[dict]:
    """The next ``limit`` unread articles with an id above ``after``, oldest first, as
    extraction reads them (id, title, body, published)."""
    cursor = db.execute(
        "SELECT a.id, a.title, a.body, a.published FROM article_unread u JOIN articles a ON a.id = u.article_id "
        "WHERE u.article_id > ? ORDER BY u.article_id LIMIT ?", [after, limit])
    return [dict(zip(("id", "title", "body", "published"), r, strict=True)) for r in cursor.fetchall()]
