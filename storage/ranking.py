"""Ranking the newest matches of a search whose words are in a large share of the archive,
without SQLite's bm25().

bm25() weighs each word by how many articles hold it, and counts them on every query by reading
the word's whole entry in the index, however few rows it ranks: 30–70 ns an article, so a word
in every article costs 3–7 ms at 100,000 articles and 30–70 ms at a million. Python's sqlite3
cannot register a ranking function of its own that would read the index's counts. For such a
word the same formula (FTS5's bm25: k1 = 1.2, b = 0.75, title weighed 5, body 1) is worked out
here over the newest matches only, from reads that do not grow with the archive:

- how many articles hold each word: counted among its newest ``PROBE`` matches, exact when it
  has fewer, else extrapolated from the stretch of ids they span (a word in more than half of
  the articles gets bm25()'s floor weight, 1e-6, from either count);
- how often each article says it: its title and body are searched for words that begin like it,
  and SQLite's own tokenizer (an in-memory full-text table made like the index) says which of
  those are the word: "investments" and "invested" count for "investment", "investigation" does
  not;
- each article's length from the index's per-article token counts (``articles_fts_docsize``),
  the number of articles and their average length from the index's totals record.

With exact counts the score is bm25()'s (``tests/storage/test_ranking.py`` compares them).
"""

from __future__ import annotations

import math
import re
import sqlite3
import threading
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from itertools import accumulate

# The tokenizer of articles_fts (storage/migrations.py, the first migration): words are
# matched as it reads them.
TOKENIZE = "porter unicode61"
WEIGHTS = (5.0, 1.0)  # title, body: as search_articles asks bm25() for them
K1, B = 1.2, 0.75  # bm25()'s constants (FTS5)
PROBE = 1000  # a word's newest matches read to count how many articles hold it
AVERAGES_ROWID = 1  # the row of articles_fts_data holding the number of rows and the token totals

_local = threading.local()


def _forms_table() -> sqlite3.Connection:
    """This thread's in-memory full-text table that reads words as the index does."""
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.execute(f"CREATE VIRTUAL TABLE forms USING fts5(form, tokenize='{TOKENIZE}')")
        conn.execute("CREATE VIRTUAL TABLE forms_tokens USING fts5vocab(forms, instance)")
        _local.conn = conn
    return conn


def terms_of(words: Sequence[str]) -> list[list[str]]:
    """The index's terms (stems) for each of ``words``, as its tokenizer reads them."""
    conn = _forms_table()
    try:
        conn.executemany("INSERT INTO forms(rowid, form) VALUES (?, ?)", enumerate(words))
        out: list[list[str]] = [[] for _ in words]
        for doc, term in conn.execute("SELECT doc, term FROM forms_tokens ORDER BY doc, offset"):
            out[doc].append(term)
        return out
    finally:
        conn.execute("DELETE FROM forms")


def _varints(blob: bytes) -> list[int]:
    """SQLite's variable-length integers, one after the other (the index's record format)."""
    out, value, length = [], 0, 0
    for byte in blob:
        length += 1
        if length == 9:  # the ninth byte holds eight bits
            out.append((value << 8) | byte)
            value = length = 0
        elif byte & 0x80:
            value = (value << 7) | (byte & 0x7F)
        else:
            out.append((value << 7) | byte)
            value = length = 0
    return out


def totals(db) -> tuple[int, list[int]]:
    """The number of articles in the index and the number of tokens in each column (its totals
    record; (0, []) when there is none)."""
    row = db.execute("SELECT block FROM articles_fts_data WHERE id = ?", [AVERAGES_ROWID]).fetchone()
    articles, *column_tokens = _varints(row[0]) if row else [0]
    return articles, column_tokens


def word_counts(db, words: Sequence[str], probe: int = PROBE, known: tuple[int, int, int] | None = None) -> list[int]:
    """How many articles hold each word (a one-word MATCH expression each): exact when it has
    fewer than ``probe`` matches, else extrapolated from the ids its newest ``probe`` span.
    ``known``: for one word with more matches than were read, its newest matches (how many,
    the lowest and the highest id)."""
    if known is not None:
        found, oldest, newest = known
        return [round(found * newest / (newest - oldest + 1))]
    top = db.execute("SELECT max(id) FROM articles").fetchone()[0] or 0
    out = []
    for word in words:
        found, oldest = db.execute(
            "SELECT count(*), min(rowid) FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
            "ORDER BY rowid DESC LIMIT ?)", [word, probe]).fetchone()
        out.append(found if found < probe else min(top, round(found * top / (top - oldest + 1))))
    return out


def rank(db, ids: Sequence[int], terms: Sequence[str], counts: Sequence[int]) -> list[int]:
    """``ids`` (articles that each hold every one of ``terms``) best first by bm25()'s score,
    with ``counts`` the number of articles holding each term; ties newest first."""
    score = scores(db, ids, terms, counts)
    return sorted(ids, key=lambda i: (-score[i], -i))


def scores(db, ids: Sequence[int], terms: Sequence[str], counts: Sequence[int]) -> dict[int, float]:
    """bm25()'s score of each of ``ids`` (articles that each hold every one of ``terms``; higher
    is better), with ``counts`` the number of articles holding each term."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    articles, column_tokens = totals(db)
    sizes = {i: _varints(sz) for i, sz in db.execute(
        f"SELECT id, sz FROM articles_fts_docsize WHERE id IN ({marks})", list(ids))}
    if not articles or not column_tokens:  # no totals record: the newest matches stand in
        articles = max(articles, len(ids))
        column_tokens = [sum(s[c] for s in sizes.values() if len(s) > c) * articles / max(len(sizes), 1)
                         for c in range(len(WEIGHTS))]
    average = sum(column_tokens) / articles
    weights = [max(math.log((articles - n + 0.5) / (n + 0.5)), 1e-6) for n in counts]
    said = times_said(db, ids, terms)
    out = {}
    for i in ids:
        length = sum(sizes.get(i, ()))
        norm = K1 * (1 - B + B * length / average)
        score = 0.0
        for weight, by_column in zip(weights, said[i], strict=True):
            # every id holds every term: a form the scan did not see still counts once
            f = sum(w * n for w, n in zip(WEIGHTS, by_column, strict=True)) or WEIGHTS[-1]
            score += weight * f * (K1 + 1) / (f + norm)
        out[i] = score
    return out


def times_said(db, ids: Sequence[int], terms: Sequence[str]) -> dict[int, list[tuple[int, int]]]:
    """For each id, how many times its title and its body hold each term."""
    ids = list(ids)
    rows = db.execute(f"SELECT id, title, body FROM articles WHERE id IN ({','.join('?' * len(ids))})", ids).fetchall()
    # every title and body in one text (a line break between them: no word runs across),
    # searched for each term with str.find (faster here than a regular expression's search)
    pieces = [text or "" for _, title, body in rows for text in (title, body)]
    starts = list(accumulate((len(p) + 1 for p in pieces[:-1]), initial=0))
    text = "\n".join(pieces)
    seen = [_forms_at(text, starts, len(pieces), term) for term in terms]
    forms = sorted({f for counts in seen for counter in counts for f in counter})
    same = {f: t[0] for f, t in zip(forms, terms_of(forms), strict=True) if len(t) == 1}
    out = {i: [(0, 0)] * len(terms) for i in ids}
    for row, (i, _, _) in enumerate(rows):
        out[i] = [tuple(sum(n for f, n in counts[2 * row + column].items() if same.get(f) == term) for column in (0, 1))
                  for term, counts in zip(terms, seen, strict=True)]
    return out


_REST = re.compile(r"[^\W_]*")


def _forms_at(text: str, starts: list[int], pieces: int, term: str) -> list[Counter]:
    """For each piece of ``text`` (beginning at ``starts``), the words in it (lower-cased) that
    may be forms of ``term``: those that begin with its first letters. The stemmer changes
    only the end of a word, by a few letters, and leaves words of one or two letters as they
    are; the tokenizer then decides (``times_said``). Written in lower case, capitalised or in
    capitals (another mix of cases is missed, and the article still counts once)."""
    start_of = term if len(term) < 3 else term[:max(3, len(term) - 2)]
    counts = [Counter() for _ in range(pieces)]
    for variant in {start_of, start_of.capitalize(), start_of.upper()}:
        at = text.find(variant)
        while at != -1:
            end = _REST.match(text, at + len(variant)).end()
            if (at == 0 or not text[at - 1].isalnum()) and (len(term) >= 3 or end == at + len(variant)):
                counts[bisect_right(starts, at) - 1][text[at:end].lower()] += 1
            at = text.find(variant, end if end > at else at + 1)
    return counts


SCREEN = 16  # a word's newest matches read first: enough to tell most words in fewer than half
SURE = 0.6  # share of the articles an extrapolated count must reach to be taken as over half


def floor_words(db, words: Sequence[str]) -> list[tuple[bool, int]]:
    """For each word (a one-word MATCH expression): whether it is surely in at least half of the
    articles, where bm25() gives it its floor weight (1e-6) whatever its exact count, and how
    many articles hold it. Counted among its newest ``SCREEN`` matches, then ``PROBE`` when
    those span few ids: exact when it has fewer, else extrapolated from the ids they span; an
    extrapolated count must reach ``SURE`` of the articles. A word said not to be is weighed by
    bm25() itself, so a doubt costs time, never the order."""
    articles = totals(db)[0] or db.execute("SELECT count(*) FROM articles").fetchone()[0]
    top = db.execute("SELECT max(id) FROM articles").fetchone()[0] or 0
    out = []
    for word in words:
        for probe in (SCREEN, PROBE):
            found, oldest = db.execute(
                "SELECT count(*), min(rowid) FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
                "ORDER BY rowid DESC LIMIT ?)", [word, probe]).fetchone()
            if found < probe:  # every match read: the count is exact
                floor, count = 2 * found >= articles, found
                break
            count = round(found * top / (top - oldest + 1))
            floor = count >= SURE * articles
            if 2 * count < articles:
                break
        out.append((floor, count))
    return out


def floor_part(db, ids: Sequence[int], terms: Sequence[str]) -> dict[int, float]:
    """The part of bm25()'s score of each of ``ids`` that comes from ``terms``, each in at least
    half of the articles (floor weight)."""
    articles = totals(db)[0] or len(ids)
    return scores(db, ids, terms, [articles] * len(terms))


_ALNUM = re.compile(r"[^\W_]+")


def holding(texts: Sequence[str], terms: Sequence[str]) -> list[bool]:
    """For each text, whether it holds every one of ``terms`` as the index reads it: its words
    that begin like a term (see ``_forms_at``) are read by the tokenizer, each distinct word once."""
    starts = [t if len(t) < 3 else t[:max(3, len(t) - 2)] for t in terms]
    words = [{w for w in _ALNUM.findall(text.lower()) if w.startswith(tuple(starts))} for text in texts]
    forms = sorted(set().union(*words)) if words else []
    read = {f: set(t) for f, t in zip(forms, terms_of(forms), strict=True)}
    wanted = set(terms)
    return [wanted <= set().union(*(read[w] for w in held)) if held else False for held in words]
