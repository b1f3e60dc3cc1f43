"""Articles: store (one row per distinct item: GUID, then URL and title, then text and title),
search, list."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from base.hangul import detect_lang, has_hangul, query_pattern, query_terms, search_terms
from base.titles import title_from_lead
from storage.clock import Clock, iso, utcnow
from storage.db import Database
from storage.db import rows as _rows
from storage.urls import normalize_url

HL_START, HL_END = "\x02", "\x03"  # snippet highlight markers; renderers turn them into bold
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class StoreResult:
    """What happened to one article: new, duplicate or updated, and its id."""

    outcome: str
    article_id: int | None
    title: str
    warnings: list[str] = field(default_factory=list)


def store_articles(
    db: Database,
    articles: Iterable,
    *,
    source_id: int | None = None,
    baseline: bool = False,
    input_label: str | None = None,
    clock: Clock = utcnow,
) -> list[StoreResult]:
    """Store parsed articles in one transaction.

    Identity, in this order: the feed's GUID (within one source); then the canonical URL with
    the title; then the text with the title. Distinct items are never merged: three press
    releases under one link, or three feed items sharing a teaser, are three articles. A copy
    of a stored article is a duplicate; a changed one updates the row unless it is an older
    or a partial copy of it, which never replaces the newer or whole text.
    """
    now = iso(clock())
    results: list[StoreResult] = []
    with db.atomic():
        for art in articles:
            src = source_id if source_id is not None else getattr(art, "source_id", None)
            results.append(_store_one(db, art, src, baseline, now))
            label = input_label or getattr(art, "path", None) or getattr(art, "url", None) or "?"
            r = results[-1]
            db.execute(
                "INSERT INTO ingest_log(at, input, outcome, article_id, message) VALUES (?,?,?,?,?)",
                [now, label, r.outcome, r.article_id, "; ".join(r.warnings) or None],
            )
    return results


def find_same_article(db: Database, art, source_id: int | None) -> dict | None:
    """The stored row that is the same item as ``art``, or None."""
    canonical = normalize_url(art.url)
    guid = getattr(art, "guid", None)
    path = getattr(art, "path", None)
    if guid:
        # A GUID is only unique within its feed; from files, the link must agree too.
        for row in _candidates(db, "guid = ? AND source_id IS ?", [guid, source_id]):
            if source_id is not None or not canonical or not row["canonical_url"] or row["canonical_url"] == canonical:
                return row
    if canonical:
        for row in _candidates(db, "canonical_url = ?", [canonical]):
            if _distinct_items(row, guid, source_id, path) and row["content_hash"] != art.content_hash:
                continue  # two GUIDs of one feed, two texts: a daily report under one link
            if titles_agree(row, art) or (
                similar_titles(row["title"], art.title) and similar_texts(row["body"], art.body)
            ):
                return row
    # The same text under the same title is the same article, whatever link or GUID it came with.
    for row in _candidates(db, "content_hash = ?", [art.content_hash]):
        if titles_agree(row, art):
            return row
    return None


_IDENTITY_COLUMNS = "id, title, body, content_hash, canonical_url, guid, published, partial, source_id, path"


def _candidates(db: Database, where: str, params: list) -> list[dict]:
    return _rows(db, f"SELECT {_IDENTITY_COLUMNS} FROM articles WHERE {where} ORDER BY id", params)


def _distinct_items(row: dict, guid: str | None, source_id: int | None, path: str | None) -> bool:
    """Two GUIDs from one feed (one source, or one file) name two items, whatever else they share."""
    if not (guid and row["guid"]) or row["guid"] == guid:
        return False
    if source_id is not None:
        return row["source_id"] == source_id
    return row["source_id"] is None and row["path"] == path


_WORDS = re.compile(r"\w+", re.UNICODE)


def _fold(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))


def titles_agree(row: dict, art) -> bool:
    """Same title (case, punctuation and spacing aside), or one side has no title of its own
    (one made from the start of its text names nothing the text does not)."""
    if _fold(row["title"]) == _fold(art.title) or getattr(art, "title_derived", False):
        return True
    return row["title"] == title_from_lead(row["body"])


def similar_titles(a: str, b: str) -> bool:
    """One title is the other with words added or changed at the edges ("… (corrected)",
    "UPDATE: …")."""
    fa, fb = _fold(a), _fold(b)
    return bool(fa and fb) and (fa in fb or fb in fa)


def similar_texts(a: str, b: str) -> bool:
    """Most of the words of the shorter text are in the longer one: an edit, not another story."""
    wa, wb = set(_WORDS.findall(a.casefold())), set(_WORDS.findall(b.casefold()))
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.8


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _store_one(db: Database, art, source_id, baseline, now) -> StoreResult:
    canonical = normalize_url(art.url)
    content_hash = art.content_hash
    warnings = list(getattr(art, "warnings", []) or [])
    row = find_same_article(db, art, source_id)
    if row is not None:
        article_id = row["id"]
        # A copy learns what the stored row lacks: its URL (unless another article holds it), its GUID.
        if canonical and not row["canonical_url"] and not db.execute(
            "SELECT 1 FROM articles WHERE canonical_url = ?", [canonical]
        ).fetchone():
            db.execute("UPDATE articles SET url = ?, canonical_url = ? WHERE id = ?", [art.url, canonical, article_id])
        if getattr(art, "guid", None) and not row["guid"]:
            db.execute("UPDATE articles SET guid = ? WHERE id = ?", [art.guid, article_id])
        derived = getattr(art, "title_derived", False)
        if row["content_hash"] == content_hash and (derived or _fold(row["title"]) == _fold(art.title)):
            return StoreResult("duplicate", article_id, art.title, warnings)
        stored_when, new_when = _when(row["published"]), _when(art.published)
        if stored_when and new_when and new_when < stored_when:
            warnings.append(f"an older copy (published {art.published}) of the stored article "
                            f"(published {row['published']}): the newer one is kept")
            return StoreResult("duplicate", article_id, art.title, warnings)
        if getattr(art, "partial", False) and not row["partial"]:
            warnings.append("a partial copy of a stored article: the whole text is kept")
            return StoreResult("duplicate", article_id, art.title, warnings)
        # A title made from the lead never replaces one the source gave.
        title = row["title"] if derived else art.title
        lang = detect_lang(title, art.body, getattr(art, "lang", None))
        db.execute(
            "UPDATE articles SET title = ?, body = ?, published = COALESCE(?, published), "
            "content_hash = ?, partial = ?, warnings = ?, lang = ? WHERE id = ?",
            [title, art.body, art.published, content_hash, int(art.partial),
             json.dumps(warnings) if warnings else None, lang, article_id],
        )
        db.execute("DELETE FROM articles_ko WHERE rowid = ?", [article_id])
        index_korean(db, article_id, title, art.body, lang)
        return StoreResult("updated", article_id, title, warnings)
    lang = detect_lang(art.title, art.body, getattr(art, "lang", None))
    cursor = db.execute(
        "INSERT INTO articles(url, canonical_url, path, guid, title, published, fetched, body, lang, "
        "content_hash, source_id, baseline, partial, warnings) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            art.url, canonical, getattr(art, "path", None), getattr(art, "guid", None), art.title,
            art.published, now, art.body, lang, content_hash,
            source_id, int(baseline), int(getattr(art, "partial", False)),
            json.dumps(warnings) if warnings else None,
        ],
    )
    index_korean(db, cursor.lastrowid, art.title, art.body, lang)
    return StoreResult("new", cursor.lastrowid, art.title, warnings)


def index_korean(db: Database, article_id: int, title: str, body: str, lang: str | None) -> None:
    """Add a Korean article to the Korean full-text index (its two-syllable pieces)."""
    if lang == "ko":
        db.execute("INSERT INTO articles_ko(rowid, title, body) VALUES (?,?,?)",
                   [article_id, search_terms(title), search_terms(body)])


def fts_query(text: str) -> str | None:
    """User text as a safe FTS5 MATCH expression: every word quoted, all required.

    Quoting means ``"``, ``-``, ``NOT``, ``*`` or ``(`` in a query can never raise a syntax
    error; they are just words (or nothing).
    """
    words = _WORD.findall(text)
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"' for w in words[:32])


# Words nearly every English article has: requiring them changes almost no answer, but their
# huge index entries make up most of a search's cost. ("it" stays: IT is a topic.)
STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "been", "by", "for", "from", "has", "have", "in",
    "is", "of", "on", "or", "that", "the", "their", "this", "to", "was", "were", "which", "with",
})


def search_match(text: str) -> str | None:
    """The MATCH expression for a search: ``fts_query`` of the words without stopwords (all the
    words when they are nothing but stopwords)."""
    words = _WORD.findall(text)
    kept = [w for w in words if w.lower() not in STOPWORDS]
    return fts_query(" ".join(kept or words))


ARTICLE_COLUMNS = "a.id, a.title, a.url, a.path, a.published, a.fetched, a.source_id, a.partial"


# Ranking every match of a very common word (tens of thousands of articles) dominates search
# latency; beyond this many matches only the most recently stored ones are ranked.
RANK_WINDOW = 1000
# Past this many matches the articles with every word in the title come first, newest first (and
# bm25() is not asked when they fill the answer): bm25() costs about 1.5 µs a match, so ranking
# every one of up to RANK_WINDOW matches made a search's cost grow with the archive until it held
# that many; past TITLE_FIRST it stops growing.
TITLE_FIRST = 200
# Past this many articles holding the words together, bm25()'s count of the articles holding
# each (~70 ns an article at 100,000) and the reading of a column filter over all of them (see
# _search) cost more than ranking the newest OWN_WINDOW matches here (storage/ranking.py: their
# text read and searched, ~1.5 ms for 60 at 100,000 articles). For such words every match is on
# the topic as far as the words tell: the newest are ranked.
COMMON = 40_000
OWN_WINDOW = 60
TITLE_REACH = 10_000  # matches looked through for title matches then (the newest first)
TITLE_BATCH = 50  # titles read at a time to look for a search's common words in them


def korean_match(text: str) -> str | None:
    """The MATCH expression of ``text`` against the Korean index (every word required)."""
    terms = query_terms(text)
    return " ".join(terms) if terms else None


def article_parts(text: str, mode: str = "AND") -> list | None:
    """The full-text searches (``storage.newest.Part``) finding the articles whose text holds
    ``text``'s words (all of them, or with ``mode`` "OR" any): words in Hangul through the Korean
    index, the others through the main one; None when ``text`` has no word."""
    from storage.newest import Part

    if not has_hangul(text):
        match = search_match(text) if mode == "AND" else _any_word(text)
        return None if match is None else [Part("articles_fts", match)]
    if mode == "AND":
        match = korean_match(text)
        return None if match is None else [Part("articles_ko", match)]
    words = text.split()
    korean = " OR ".join(t for w in words if has_hangul(w) for t in query_terms(w))
    other = _any_word(" ".join(w for w in words if not has_hangul(w)))
    parts = [Part(index, m) for index, m in (("articles_ko", korean), ("articles_fts", other)) if m]
    return parts or None


def article_ids(text: str, mode: str = "AND") -> tuple[str, list] | None:
    """SQL yielding the ids (column ``id``) of the articles ``article_parts`` finds, and its
    parameters; None when ``text`` has no word."""
    from storage.newest import parts_sql

    parts = article_parts(text, mode)
    return None if parts is None else parts_sql(parts)


def article_match(text: str, mode: str = "AND") -> tuple[str, list] | None:
    """``article_ids`` as an SQL condition on ``a.id``."""
    found = article_ids(text, mode)
    return None if found is None else (f"a.id IN ({found[0]})", found[1])


def _any_word(text: str) -> str | None:
    words = list(dict.fromkeys(_WORD.findall(text)))
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in words[:32]) if words else None


def search_articles(db: Database, text: str, *, limit: int = 10, window: int = RANK_WINDOW,
                    title_first: int = TITLE_FIRST, common: int = COMMON, own_window: int = OWN_WINDOW,
                    title_reach: int = TITLE_REACH) -> list[dict]:
    """Best matches for ``text`` (title weighted above body), each with a highlighted snippet.

    When more than ``title_first`` articles match, articles with every word in the title come
    first (newest first), then the best of the ``window`` most recently stored matches. When the
    words are in more than ``common`` articles together, bm25() is not asked (it would count
    them all): the title matches among about the newest ``title_reach`` come first, then the
    best of the newest ``own_window`` by the same score worked out from them
    (``storage/ranking.py``).
    Text in Hangul is looked up in the Korean index (Korean articles, particles and spacing
    ignored).
    """
    korean = has_hangul(text)
    if not korean:
        rows = _search(db, "articles_fts", search_match(text), text, limit, (title_first, window),
                       (common, own_window, title_reach))
        # Latin words glued to Hangul ("SK하이닉스") are words of the Korean index only: its
        # matches follow those of the main index, alternately
        words = [w for w in _WORD.findall(text) if w.lower() not in STOPWORDS]
        extra = (_search(db, "articles_ko", korean_match(" ".join(words)), text, limit, (title_first, window))
                 if words else [])
        return _alternate(rows or [], extra, limit)
    return _search(db, "articles_ko", korean_match(text), text, limit, (title_first, window)) or []


def _alternate(first: list[dict], second: list[dict], limit: int) -> list[dict]:
    """The rows of both lists, alternately, each article once, at most ``limit``."""
    seen: set[int] = set()
    out: list[dict] = []
    for i in range(max(len(first), len(second))):
        for rows in (first, second):
            if i < len(rows) and rows[i]["id"] not in seen:
                seen.add(rows[i]["id"])
                out.append(rows[i])
    return out[:limit]


def _nth_newest(db: Database, table: str, match: str, n: int) -> int | None:
    """The id of the ``n``-th newest match of ``match`` (None when fewer match)."""
    row = db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                     [match, n - 1]).fetchone()
    return row[0] if row else None


def _search(db: Database, table: str, match: str | None, text: str, limit: int, windows: tuple[int, int],
            own: tuple[int, int, int] | None = None) -> list[dict] | None:
    """The best ``limit`` matches of ``match`` in one index (None when there is nothing to
    match); ``windows``: (title_first, window); ``own``: (common, own_window, title_reach) when
    the ranking may be worked out here instead of by bm25() (see ``search_articles``)."""
    korean = table == "articles_ko"
    if match is None:
        return None
    title_first, window = windows
    rank = f"SELECT rowid FROM {table} WHERE {table} MATCH ? {{}} ORDER BY bm25({table}, 5.0, 1.0) LIMIT ?"
    # fewer matches than this are all read here (and all ranked)
    newest = [r[0] for r in db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?",
                                       [match, min(title_first, window)])]
    few = len(newest) < min(title_first, window)
    split = _floor_split(db, match, own[0]) if own and len(newest) > 1 else None
    cutoff = None if few or split else _nth_newest(db, table, match, window)
    # the ids from the cutoff up hold the newest ``window`` matches: how many match in all is
    # estimated from the share of them that do
    top = db.execute("SELECT max(id) FROM articles").fetchone()[0] if cutoff and own else 0
    span = top - (cutoff or 0) + 1
    if few and len(newest) <= 1:
        # one match needs no ranking; bm25() would first count every article holding each word
        # (with a common word, a pass over its whole index entry: 3 ms at 100,000 articles)
        ids = newest
    elif split is not None:
        ids = _floor_ranking(db, match, newest, few, split, limit)
        cutoff = min(newest)
    elif few:
        ids = [r[0] for r in db.execute(rank.format(""), [match, limit])]
    elif cutoff is None or not own or window * top // span <= own[0]:
        ids = [r[0] for r in db.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?",
            [f"{{title}} : ({match})", limit])]
        # bm25() weighs each word by counting every article that holds it (a pass over the
        # word's whole index entry, however few rows are ranked): skipped when the title
        # matches alone fill the answer, as they do for most common words
        if len(ids) < limit:
            ids += [r[0] for r in db.execute(rank.format("AND rowid >= ?"), [match, cutoff or 0, limit])]
    else:
        # The words are together in more than ``common`` articles (estimated from the ids the
        # newest span): the title matches among about ``title_reach`` of the newest, then the
        # newest matches ranked here. FTS5 reads a column filter in descending order over
        # every match of the words whatever the bounds; in ascending order only the stretch
        # asked, so the title matches are read in stretches from the newest down.
        reach = max(0, cutoff - span * (own[2] - window) // window)
        # stretches of about 16 × limit matches, then 8 times more each, from the newest down
        stretches, high, size = [], top, max(1, span * 16 * limit // window)
        while high >= reach:
            stretches.append((max(reach, high - size + 1), high))
            high, size = high - size, size * 8
        ids = _title_matches(db, table, match, stretches, limit)
        if len(ids) < limit:
            ranked = _own_ranking(db, match, (window, cutoff, top), own[1])
            if ranked is None:  # a word the index holds as several: bm25() over the newest
                ranked = [r[0] for r in db.execute(rank.format("AND rowid >= ?"), [match, cutoff, limit])]
            ids += ranked
    ids = list(dict.fromkeys(ids))
    ids = ids[:limit]
    if not ids:
        return []
    if korean:
        return _with_korean_snippets(db, ids, text)
    # A list of ids is handed to the index as one look-up per id, and each look-up opens every
    # word's entry in every segment of the index; the ids among the newest matches are read in
    # one pass over their stretch instead ("+" keeps the list from becoming look-ups).
    floor = cutoff if cutoff is not None else min(ids)
    near, far = [i for i in ids if i >= floor], [i for i in ids if i < floor]
    select = (f"SELECT {ARTICLE_COLUMNS}, "
              f"snippet(articles_fts, 1, '{HL_START}', '{HL_END}', '…', 24) AS snippet "
              "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid WHERE articles_fts MATCH ? ")
    rows: dict[int, dict] = {}
    if near:
        rows |= {r["id"]: r for r in _rows(db, select + "AND articles_fts.rowid BETWEEN ? AND ? AND +articles_fts.rowid "
                                               f"IN ({','.join('?' * len(near))})", [match, min(near), max(near), *near])}
    if far:
        rows |= {r["id"]: r for r in _rows(db, select + f"AND articles_fts.rowid IN ({','.join('?' * len(far))})",
                                           [match, *far])}
    return [rows[i] for i in ids if i in rows]


def _floor_split(db: Database, match: str, common: int) -> tuple[str, list[str]] | None:
    """For a search of several words some of which are in at least half of the articles and
    the others in at most ``common`` (past it, see ``_own_ranking``): the MATCH expression of
    the others and the terms of the common ones; else None."""
    from storage import ranking

    words = match.split(" ")
    if len(words) < 2:
        return None
    probed = ranking.floor_words(db, words)
    floor = [f for f, _ in probed]
    if all(floor) or not any(floor) or any(n > common for f, n in probed if not f):
        return None
    terms = ranking.terms_of([w[1:-1].replace('""', '"') for w in words])
    if any(len(t) != 1 for t in terms):
        return None
    return (" ".join(w for w, f in zip(words, floor, strict=True) if not f),
            [t[0] for t, f in zip(terms, floor, strict=True) if f])


def _floor_ranking(db: Database, match: str, newest: list[int], few: bool, split: tuple[str, list[str]],
                   limit: int) -> list[int]:
    """``newest`` (the newest matches of ``match``; every match when ``few``) best first by
    bm25()'s score, without bm25() counting the articles of the words in at least half of them
    (``split``: the MATCH expression of the other words, the common words' terms).

    Such a word's weight is bm25()'s floor (1e-6) whatever its count, so a score is bm25()'s
    over the other words (a pass over their entries only) plus at most 2.2e-6 for each common
    word: that part is worked out (``storage/ranking.py``) only for the scores closer than that
    to another among the best ``limit``. Past ``few``, the articles with every word in the
    title come first, newest first, and only ``newest`` are ranked."""
    from storage import ranking

    rare, common = split
    lo, hi = min(newest), max(newest)
    marks = ",".join("?" * len(newest))
    first: list[int] = []
    if not few:
        # the rarer words in the title, newest first (a read of their entries only), then the
        # common ones looked for in those titles as the index reads them
        # in ascending stretches from the newest down (a column filter read in descending order
        # is a pass over every match: see _search), the first the one ``newest`` span, then
        # 8 times longer each
        high = db.execute("SELECT max(id) FROM articles").fetchone()[0]
        size = high - lo + 1
        while high >= 0 and len(first) < limit:
            found = [r[0] for r in db.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND rowid BETWEEN ? AND ? ORDER BY rowid",
                [f"{{title}} : ({rare})", high - size + 1, high])][::-1]
            for at in range(0, len(found), TITLE_BATCH):
                batch = found[at:at + TITLE_BATCH]
                titles = dict(db.execute(f"SELECT id, title FROM articles WHERE id IN ({','.join('?' * len(batch))})",
                                         batch))
                held = ranking.holding([titles.get(i) or "" for i in batch], common)
                first += [i for i, h in zip(batch, held, strict=True) if h]
                if len(first) >= limit:
                    break
            high, size = high - size, size * 8
        first = first[:limit]
        if len(first) >= limit:
            return first
    score = dict(db.execute(
        "SELECT rowid, -bm25(articles_fts, 5.0, 1.0) FROM articles_fts WHERE articles_fts MATCH ? "
        f"AND rowid BETWEEN ? AND ? AND +rowid IN ({marks})", [rare, lo, hi, *newest]))
    order = sorted(newest, key=lambda i: (-score.get(i, 0.0), i))
    # chains of scores closer than the common words' part can be; those reaching the best
    # ``limit`` are told apart by it
    reach = 2.2 * 1e-6 * len(common) * (1 + 1e-9)
    close: set[int] = set()
    for at in range(1, len(order)):
        if at > limit and order[at - 1] not in close:
            break
        if score.get(order[at - 1], 0.0) - score.get(order[at], 0.0) <= reach:
            close |= {order[at - 1], order[at]}
    if close:
        part = ranking.floor_part(db, sorted(close), common)
        order.sort(key=lambda i: (-(score.get(i, 0.0) + part.get(i, 0.0)), i))
    taken = set(first)
    return first + [i for i in order if i not in taken][:limit]


def _title_matches(db: Database, table: str, match: str, stretches: Sequence[tuple[int, int]], limit: int) -> list[int]:
    """The newest ``limit`` articles with every word of ``match`` in the title, newest first,
    looked for in ``stretches`` of ids ((low, high), the newest first) until there are enough,
    each read in ascending order (see ``_search``)."""
    found: list[int] = []
    for low, high in stretches:
        if len(found) >= limit:
            break
        if low <= high:
            found += [r[0] for r in db.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH ? AND rowid BETWEEN ? AND ? ORDER BY rowid",
                [f"{{title}} : ({match})", low, high])][::-1]
    return found[:limit]


def _own_ranking(db: Database, match: str, newest: tuple[int, int, int], own_window: int) -> list[int] | None:
    """The newest ``own_window`` matches of ``match`` (``fts_query``'s quoted words), best first
    by bm25()'s score worked out here (``storage/ranking.py``); None when a word is not one
    term of the index. ``newest``: how many of the newest matches were read, the lowest and
    the highest id (for one word, what its count is estimated from)."""
    from storage import ranking

    words = match.split(" ")
    terms = ranking.terms_of([w[1:-1].replace('""', '"') for w in words])
    if any(len(t) != 1 for t in terms):
        return None
    counts = ranking.word_counts(db, words, known=newest if len(words) == 1 else None)
    ids = [r[0] for r in db.execute(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?", [match, own_window])]
    return ranking.rank(db, ids, [t[0] for t in terms], counts)


SNIPPET_CHARS = 90  # either side of the first word found: about what snippet() shows


def _with_korean_snippets(db: Database, ids: list[int], text: str) -> list[dict]:
    """Rows for ``ids`` (in order) with a snippet cut around the first query word found in the
    body (the Korean index holds pieces, not the text, so its snippet() cannot show it)."""
    marks = ",".join("?" * len(ids))
    rows = {r["id"]: r for r in _rows(db, f"SELECT {ARTICLE_COLUMNS}, a.body FROM articles a WHERE a.id IN ({marks})", ids)}
    patterns = [p for p in (query_pattern(w) for w in text.split()) if p is not None]
    out = []
    for i in ids:
        row = rows.get(i)
        if row is None:
            continue
        body = row.pop("body") or ""
        row["snippet"] = korean_snippet(body, patterns)
        out.append(row)
    return out


def korean_snippet(body: str, patterns: list[re.Pattern]) -> str:
    """About ``SNIPPET_CHARS`` characters either side of the first pattern found, the match
    marked; the start of the body when none is."""
    found = [m for m in (p.search(body) for p in patterns) if m is not None]
    if not found:
        return body[: 2 * SNIPPET_CHARS].strip()
    m = min(found, key=lambda x: x.start())
    start, end = max(0, m.start() - SNIPPET_CHARS), min(len(body), m.end() + SNIPPET_CHARS)
    marked = body[start:m.start()] + HL_START + m.group(0) + HL_END + body[m.end():end]
    marked = " ".join(marked.split())
    return ("…" if start else "") + marked + ("…" if end < len(body) else "")


def latest_articles(db: Database, n: int = 5, topic: str | None = None) -> list[dict]:
    """The ``n`` most recent articles (by published date, else fetch time), optionally on a topic."""
    from storage.newest import articles_in_order, newest_ids

    parts = article_parts(topic) if topic else None
    if topic and parts is None:
        return []
    return articles_in_order(db, f"{ARTICLE_COLUMNS}, substr(a.body, 1, 300) AS snippet",
                             newest_ids(db, parts, n))


def get_articles(db: Database, ids: Sequence[int]) -> list[dict]:
    """Full rows (body included) for ``ids``, in the order given."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = {r["id"]: dict(r) for r in _rows(db, f"SELECT * FROM articles WHERE id IN ({marks})", list(ids))}
    return [rows[i] for i in ids if i in rows]


def count_articles(db: Database) -> int:
    """How many articles are stored."""
    return db.execute("SELECT count(*) FROM articles").fetchone()[0]
