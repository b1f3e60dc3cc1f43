"""The newest articles of a set, by date (published, else when stored): exact, and read through
an index whatever the size of the archive.

Sorting every match of a common topic by date reads each matching article (tens of thousands at
100,000 articles). So: when at most ``WINDOW`` articles match, those few are looked up by id and
sorted here; when more match, the date index (``articles_recent``, m018) is walked newest first
until ``n`` of them are found, which, with that many matches, stops early.
"""

from __future__ import annotations

from collections.abc import Sequence

from storage.db import rows

# What the index articles_recent holds, written as the queries must write it to use it.
SORT_KEY = "COALESCE(a.published, a.fetched)"
WINDOW = 1000
CHUNK = 500  # ids bound per statement: under SQLite's oldest limit on parameters (999)


def newest_ids(db, ids_sql: tuple[str, list] | None, n: int, *, window: int = WINDOW) -> list[int]:
    """Ids of the ``n`` newest articles among those the subquery ``ids_sql`` (SQL yielding
    article ids, its parameters) gives; among all articles when None. Newest first. ``window``:
    how many matches are few enough to sort here."""
    if ids_sql is None:
        return [r[0] for r in db.execute(
            f"SELECT a.id FROM articles a ORDER BY {SORT_KEY} DESC, a.id DESC LIMIT ?", [n])]
    sql, params = ids_sql
    few = [r[0] for r in db.execute(f"SELECT id FROM ({sql}) LIMIT ?", [*params, window + 1])]
    if len(few) <= window:
        keys = []
        for start in range(0, len(few), CHUNK):
            chunk = few[start:start + CHUNK]
            keys += db.execute(f"SELECT a.id, {SORT_KEY} FROM articles a WHERE a.id IN ({','.join('?' * len(chunk))})",
                               chunk).fetchall()
        keys.sort(key=lambda r: (r[1], r[0]), reverse=True)
        return [i for i, _ in keys[:n]]
    # "+a.id" keeps the planner from looking up each match by id: the date index is walked instead
    return [r[0] for r in db.execute(
        f"SELECT a.id FROM articles a INDEXED BY articles_recent WHERE +a.id IN ({sql}) "
        f"ORDER BY {SORT_KEY} DESC, a.id DESC LIMIT ?", [*params, n])]


def articles_in_order(db, columns: str, ids: Sequence[int]) -> list[dict]:
    """Rows of ``columns`` (over ``articles a``) for ``ids``, in the order given."""
    if not ids:
        return []
    found = {r["id"]: r for r in rows(db, f"SELECT {columns} FROM articles a WHERE a.id IN "
                                          f"({','.join('?' * len(ids))})", list(ids))}
    return [found[i] for i in ids if i in found]
