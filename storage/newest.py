"""The newest articles of a set, by date (published, else when stored): exact, and read through
indexes.

The set is given as full-text searches (``Part``: an index and a MATCH expression). Sorting
every match of a common topic by date reads each matching article (tens of thousands at 100,000
articles). Instead each search is read from its newest stored match down, at most ``WINDOW``
of them (a full-text index gives its matches in id order and stops). When no search has more,
those are all the matches: sorted here. When one has more, the date index (``articles_recent``,
m018) is walked from the newest date down until ``n`` matches are met: every match stored after
the oldest one read is known, so in an archive whose articles arrive in about the order of their
dates the walk stops after about ``n`` ÷ (share of articles matching) steps. The articles of a
page of the walk stored before that oldest match are tested by one range read of each search
between the lowest and the highest of their ids: a short stretch when articles arrive in about
the order of their dates, the whole index at worst (an old archive ingested after new articles)
— still only the full-text index, never the articles. Past a few pages, the matches read bound
the answer, and only the blocks of ids whose newest date reaches that bound (``article_blocks``)
are searched for a newer match stored earlier.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from storage.db import chunks, rows

# What the index articles_recent holds, written as the queries must write it to use it.
SORT_KEY = "COALESCE(a.published, a.fetched)"
WINDOW = 200  # matches read from each search: enough to answer from them nearly always, few to read
PAGE = 200
WALK_PAGES = 3  # pages of the date index walked before the answer is bounded instead
BLOCK_BITS = 10  # article_blocks (m021) keeps the newest date of each 1,024 ids: id >> BLOCK_BITS
INDEXES = ("articles_fts", "articles_ko")


class Part(NamedTuple):
    """One full-text search: the index (articles_fts or articles_ko) and its MATCH expression."""

    index: str
    match: str

    def ids_sql(self) -> str:
        assert self.index in INDEXES
        return f"SELECT rowid AS id FROM {self.index} WHERE {self.index} MATCH ?"


def parts_sql(parts: Sequence[Part]) -> tuple[str, list]:
    """SQL yielding the ids of the articles any of ``parts`` finds, and its parameters."""
    return " UNION ".join(p.ids_sql() for p in parts), [p.match for p in parts]


def newest_ids(db, parts: Sequence[Part] | None, n: int, *, window: int = WINDOW, page: int = PAGE,
               walk: int = WALK_PAGES) -> list[int]:
    """Ids of the ``n`` newest articles (by date, then id) among those any of ``parts`` finds;
    among all articles when None. Newest first. ``window``: matches read from each search;
    ``page``: steps of the date index read at a time; ``walk``: pages walked at most."""
    if parts is None:
        return [r[0] for r in db.execute(
            f"SELECT a.id FROM articles a ORDER BY {SORT_KEY} DESC, a.id DESC LIMIT ?", [n])]
    if not parts:
        return []
    window = max(window, n)
    seen: set[int] = set()
    below = 0  # every match with an id from here up was read
    for part in parts:
        found = [r[0] for r in db.execute(f"{part.ids_sql()} ORDER BY rowid DESC LIMIT ?", [part.match, window])]
        seen.update(found)
        if len(found) == window:
            below = max(below, found[-1])
    if not below:  # every match read
        return [i for _, i in _by_date(db, seen)[:n]]
    out: list[int] = []
    after: tuple | None = None
    for _ in range(walk):
        steps = db.execute(
            f"SELECT {SORT_KEY}, a.id FROM articles a INDEXED BY articles_recent "
            + (f"WHERE ({SORT_KEY}, a.id) < (?, ?) " if after else "")
            + f"ORDER BY {SORT_KEY} DESC, a.id DESC LIMIT ?", [*(after or ()), page]).fetchall()
        earlier = [article_id for _, article_id in steps if article_id < below]
        # articles stored before the oldest match read: their matches, read between the lowest
        # and highest such id of this page (a short stretch when articles arrive in date order)
        older = _matches_between(db, parts, min(earlier), max(earlier)) if earlier else set()
        for _, article_id in steps:
            if article_id in (seen if article_id >= below else older):
                out.append(article_id)
                if len(out) == n:
                    return out
        if len(steps) < page:
            return out
        after = steps[-1]
    return _newest_by_bound(db, parts, n, seen, below)


def _newest_by_bound(db, parts: Sequence[Part], n: int, seen: set[int], below: int) -> list[int]:
    """The ``n`` newest of the matches when they are not among the newest articles (a topic
    last reported months before the rest of the archive). The ``n``-th newest of the matches
    read (``seen``: every match from ``below`` up) bounds the answer: only an article dated
    after it and stored before ``below`` can still belong. The blocks of ids whose newest date
    reaches the bound (``article_blocks``, m021) are the only places one can be; the full-text
    index lists each such block's matches. In an archive whose articles arrive in about the
    order of their dates that is the block or two around ``below``, whatever its size."""
    keys = _by_date(db, seen)
    bound = keys[n - 1]
    blocks = [r[0] for r in db.execute(
        "SELECT block FROM article_blocks WHERE newest >= ? AND block <= ?", [bound[0], (below - 1) >> BLOCK_BITS])]
    for block in blocks:
        low, high = block << BLOCK_BITS, min(((block + 1) << BLOCK_BITS) - 1, below - 1)
        keys += [key for key in _by_date(db, _matches_between(db, parts, low, high)) if key >= bound]
    # a match of one search may also be among those another search read: count it once
    return [i for _, i in sorted(set(keys), reverse=True)[:n]]


def _matches_between(db, parts: Sequence[Part], low: int, high: int) -> set[int]:
    """Ids from ``low`` to ``high`` that any of ``parts`` finds (the full-text index seeks the
    range; it reads no article)."""
    return {r[0] for p in parts
            for r in db.execute(f"{p.ids_sql()} AND rowid BETWEEN ? AND ?", [p.match, low, high])}


def _by_date(db, ids) -> list[tuple[str, int]]:
    """(sort key, id) of ``ids``, newest first (sorted here: a bounded handful)."""
    ids = list(ids)
    keys: list[tuple[str, int]] = []
    for chunk in chunks(ids):
        keys += db.execute(f"SELECT {SORT_KEY}, a.id FROM articles a WHERE a.id IN ({','.join('?' * len(chunk))})",
                           chunk).fetchall()
    keys.sort(reverse=True)
    return keys


def articles_in_order(db, columns: str, ids: Sequence[int]) -> list[dict]:
    """Rows of ``columns`` (over ``articles a``) for ``ids``, in the order given."""
    if not ids:
        return []
    found = {r["id"]: r for r in rows(db, f"SELECT {columns} FROM articles a WHERE a.id IN "
                                          f"({','.join('?' * len(ids))})", list(ids))}
    return [found[i] for i in ids if i in found]
