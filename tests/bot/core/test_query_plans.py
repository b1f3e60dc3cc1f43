"""Every command is answered through indexes: the plan of each statement it runs (SQLite's
EXPLAIN QUERY PLAN, on the real schema) reads no table that grows with the archive from end to
end, and sorts none of its rows in a temporary B-tree. A command that did would get slower with
every article stored (bench/scale.py measures them at 10,000 and 100,000)."""

from __future__ import annotations

import re

import pytest

from ingest.article import Article
from storage.articles import store_articles

# Tables that grow with the archive (articles and what is stored per article, per poll, per post;
# article_blocks holds a row per 1,024 articles; the full-text index keeps each article's token
# counts in articles_fts_docsize and its blocks in articles_fts_data).
GROWING = {"articles", "facts", "fact_parties", "article_extraction", "ingest_log", "alert_posts",
           "digest_posts", "source_polls", "audit", "llm_reads", "digest_summaries", "article_blocks",
           "articles_fts_docsize", "articles_fts_data"}
KOREAN = Article(
    title="산업부, 반도체 기업들과 첨단 패키징 업무협약",
    body="산업통상자원부는 29일 서울 엘타워에서 삼성전자, SK하이닉스와 '반도체 첨단 패키징 기술개발'을 위한 "
         "업무협약을 체결했다. 정부는 2025년부터 총 2744억 원을 투입해 첨단패키징 핵심기술을 개발한다.",
    url=None, published="2023-08-29")
# Every command, as users call it (and the umbrella), in English and in Korean where it reads text.
COMMANDS = [
    "/find packaging MOU", "/find 하이닉스", "/find SK하이닉스 패키징",
    "/latest 5", "/latest 5 packaging", "/latest 5 반도체", "/latest 5 nothing-like-this",
    "/who-signed packaging MOU", "/who-signed 업무협약", "/who-signed zebra crossing",
    "/how-much packaging", "/how-much 투자", "/whois MOTIE", "/whois Hana", "/whois SK하이닉스",
    "/whois Lee Jae-yong", "/whois nobody at all", "/timeline packaging", "/timeline 패키징",
    "/brief packaging", "/brief 반도체", "/sources list", "/sources errors",
    "/watch add party:\"SK hynix\" kind:agreement", "/watch list", "/watch test org:MOTIE packaging",
    "/watch test lang:ko 패키징", "/watch pause 1", "/watch resume 1",
    "/digest subscribe daily 09:00 tz Asia/Seoul packaging", "/digest list", "/digest preview",
    "/digest now", "/digest unsubscribe 1", "/whois alias MOTIE = Ministry of Trade, Industry and Energy",
    "/briefbot help", "/briefbot latest 3",
]
_TABLE = re.compile(r"\b(?:FROM|JOIN)\s+([A-Za-z_]\w*)(?:\s+(?:AS\s+)?(?!ON\b|WHERE\b|LEFT\b|JOIN\b|INDEXED\b|NOT\b|ORDER\b|GROUP\b|LIMIT\b|USING\b)([A-Za-z_]\w*))?", re.I)
_READS = re.compile(r"^(SCAN|SEARCH) (\S+)")
# Indexes on what many rows share (a kind, an entity, a source, a channel, a date range): a look-up
# through one reads a share of the archive, so it must stop at a LIMIT. (A source's polls are kept
# to a short history, and a channel's pending posts are one or two: their look-ups stay small.)
BROAD = re.compile(r"USING (?:COVERING )?INDEX (facts_kind|facts_by_entity_kind|fact_parties_entity_role|"
                   r"articles_source|articles_published|articles_fetched|articles_recent|alert_posts_channel)\b")
_LONG_LISTS = re.compile(r"\bIN \(\d+(?:, ?\d+)*\)")
_SKIP = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA", "--", "CREATE", "EXPLAIN")


def _long_list(_match: re.Match) -> str:
    return "IN (" + ",".join(str(i) for i in range(1, 501)) + ")"


def names_of_growing_tables(sql: str) -> set[str]:
    """The names (table or alias) under which ``sql`` reads a growing table."""
    out = set()
    for table, alias in _TABLE.findall(sql):
        if table.lower() in GROWING:
            out |= {table, alias} - {""}
    return out


def problems(sql: str, plan: list[tuple]) -> list[str]:
    """What is wrong with one statement's plan (rows: id, parent, _, detail)."""
    growing = names_of_growing_tables(sql)
    ordered_walk = bool(re.search(r"\bORDER BY\b.*\bLIMIT\b", sql, re.I | re.S))
    limited = bool(re.search(r"\bLIMIT\b", sql, re.I))
    found = []
    reads = {}
    for _, parent, _, detail in plan:
        m = _READS.match(detail)
        if m:
            reads.setdefault(parent, []).append((m.group(1), m.group(2), detail))
    sorting = {parent for _, parent, _, detail in plan if "TEMP B-TREE" in detail}
    for parent, items in reads.items():
        for kind, name, detail in items:
            if name not in growing:
                continue
            # a scan is only an ordered walk cut short by LIMIT: no sort after it
            if kind == "SCAN" and not (ordered_walk and parent not in sorting):
                found.append(f"reads {name} from end to end: {detail}")
            point = "rowid=?" in detail  # one row by its id
            if kind == "SEARCH" and BROAD.search(detail) and not point and not (limited and parent not in sorting):
                found.append(f"reads a share of {name} that grows with it: {detail}")
            if parent in sorting:
                found.append(f"sorts rows of {name} in a temporary B-tree: {detail}")
    return found


@pytest.fixture
def archive(seeded):
    """The seeds, a Korean report, and a source: every command has something to read."""
    results = store_articles(seeded.db, [KOREAN])
    seeded.after_store(seeded.db, results, [KOREAN])
    seeded.db.execute("INSERT INTO sources(kind, url, name, created_at) VALUES "
                      "('rss', 'https://example.com/feed.xml', 'Example', '2025-01-01T00:00:00+00:00')")
    return seeded


def test_every_command_reads_through_indexes_and_sorts_no_growing_table(archive):
    conn = archive.db.conn
    statements: list[tuple[str, str]] = []
    current = [""]
    conn.set_trace_callback(lambda sql: statements.append((current[0], sql)))
    try:
        for line in COMMANDS:
            current[0] = line
            reply = archive.ask(line, is_admin=True)
            assert "Sorry" not in reply.title, (line, reply.title)
    finally:
        conn.set_trace_callback(None)
    commands_seen = {line for line, _ in statements}
    assert commands_seen == set(COMMANDS) - {"/briefbot help"}  # each read the database (help needs none)

    report = []
    checked = 0
    for line, sql in statements:
        if sql.lstrip().upper().startswith(_SKIP):
            continue
        # the planner weighs a list of ids by its length: check the plans with lists as long as
        # a digest's (500 ids a statement), not the seeds' handful
        plan = conn.execute("EXPLAIN QUERY PLAN " + _LONG_LISTS.sub(_long_list, sql)).fetchall()
        checked += 1
        report += [f"{line}: {p} ‖ {' '.join(sql.split())[:160]}" for p in problems(sql, plan)]
    assert checked > 100
    assert report == [], "\n".join(report)


def _statements(db, call) -> list[str]:
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        call()
    finally:
        db.conn.set_trace_callback(None)
    return [s for s in statements if not s.lstrip().upper().startswith(_SKIP)]


def test_the_ways_taken_past_many_matches_read_through_indexes_too(archive):
    """With the seeds' handful of articles the commands never take the ways meant for thousands
    of matches: taken here with windows of one or two matches. /latest of a topic last reported
    before the rest of the archive bounds the answer by the matches read and searches only the
    blocks of ids dated late enough; /find ranks the newest matches, or not at all when the
    articles with the words in their title fill the answer, and reads snippets over a stretch;
    for words in many articles it ranks the newest matches itself (a threshold of none here)."""
    from storage.articles import article_parts, search_articles
    from storage.newest import newest_ids

    db = archive.db
    later = [Article(title=f"Weather {i}", body=f"Rain {i}.", url=None, published=f"2026-01-{1 + i:02d}")
             for i in range(6)]
    archive.after_store(db, store_articles(db, later), later)
    statements = _statements(db, lambda: [
        newest_ids(db, article_parts(topic), 2, window=1, page=1, walk=1) for topic in ("packaging", "반도체")])
    statements += _statements(db, lambda: [search_articles(db, text, limit=limit, window=2)
                                           for text in ("packaging", "semiconductor", "하이닉스") for limit in (1, 10)])
    statements += _statements(db, lambda: [search_articles(db, text, limit=limit, window=window, common=0, own_window=2)
                                           for text in ("packaging", "semiconductor MOU") for limit in (1, 10)
                                           for window in (2, 1000)])
    assert any("article_blocks" in s for s in statements)
    assert any("articles_fts_docsize" in s for s in statements) and any("articles_fts_data" in s for s in statements)
    assert any("bm25" in s for s in statements) and any("BETWEEN" in s and "snippet" in s for s in statements)
    conn = db.conn
    report = [f"{p} ‖ {' '.join(sql.split())[:160]}" for sql in statements
              for p in problems(sql, conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall())]
    assert report == [], "\n".join(report)


def test_the_check_catches_a_full_scan_and_a_sort_of_the_articles(archive):
    conn = archive.db.conn

    def check(sql: str) -> list[str]:
        return problems(sql, conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall())

    # what /latest did past its walk: every article dated after the matches known
    assert check("SELECT a.id FROM articles a INDEXED BY articles_recent WHERE COALESCE(a.published, a.fetched) "
                 ">= '2024-01-01' AND a.id < 100") == [
        "reads a share of a that grows with it: SEARCH a USING INDEX articles_recent (<expr>>?)"]
    # what /latest did before the date index: every article read, then sorted
    conn.execute("DROP INDEX articles_recent")
    assert check("SELECT a.id FROM articles a ORDER BY COALESCE(a.published, a.fetched) DESC LIMIT 5") == [
        "reads a from end to end: SCAN a", "sorts rows of a in a temporary B-tree: SCAN a"]
    # what /whois did: one OR over two tables, answered by the index of the kind alone, sorted
    assert check("SELECT DISTINCT f.id FROM facts f JOIN articles a ON a.id = f.article_id LEFT JOIN "
                 "fact_parties fp ON fp.fact_id = f.id WHERE f.kind = 'agreement' AND (fp.entity_id = 1 OR "
                 "f.by_entity_id = 1) ORDER BY COALESCE(f.date, a.published, a.fetched) DESC LIMIT 3") == [
        "reads a share of f that grows with it: SEARCH f USING INDEX facts_kind (kind=?)",
        "sorts rows of f in a temporary B-tree: SEARCH f USING INDEX facts_kind (kind=?)",
        "sorts rows of a in a temporary B-tree: SEARCH a USING INTEGER PRIMARY KEY (rowid=?)",
        "sorts rows of fp in a temporary B-tree: SEARCH fp USING COVERING INDEX sqlite_autoindex_fact_parties_1 (fact_id=?) LEFT-JOIN",
    ]
    # what /sources list did: every article of each source counted, at every call
    assert check("SELECT s.id, (SELECT count(*) FROM articles a WHERE a.source_id = s.id) FROM sources s") == [
        "reads a share of a that grows with it: SEARCH a USING COVERING INDEX articles_source (source_id=?)"]
    # an ordered walk cut short by LIMIT is fine; a look-up by id too
    assert check("SELECT id FROM articles ORDER BY id DESC LIMIT 5") == []
    assert check("SELECT title FROM articles WHERE id IN (1, 2, 3)") == []
