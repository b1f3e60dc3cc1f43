"""Facts in the database: aliases persist across articles, spellings join one entity, an
article's facts are replaced when it changes, and re-extraction keeps what admins taught."""

from storage.facts import add_alias, find_entity


def write(tmp_path, name, title, body):
    path = tmp_path / name
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return path


def parties_of_latest_agreement(db):
    fact_id = db.execute("SELECT max(id) FROM facts WHERE kind = 'agreement'").fetchone()[0]
    return [r[0] for r in db.execute(
        "SELECT e.name FROM fact_parties fp JOIN entities e ON e.id = fp.entity_id "
        "WHERE fp.fact_id = ? ORDER BY fp.position", [fact_id])]


def test_an_alias_defined_in_one_article_joins_a_later_articles_name(services, tmp_path):
    first = write(tmp_path, "a.txt", "Ocean ministry plans ports",
                  "The Ministry of Oceans and Fisheries (MOF) unveiled a plan for smart ports.")
    second = write(tmp_path, "b.txt", "MOF signs port deal",
                   "MOF signed an MOU with Orion Logistics on smart port automation.")
    services.ingest([first])
    services.ingest([second])
    assert parties_of_latest_agreement(services.db) == ["Ministry of Oceans and Fisheries", "Orion Logistics"]
    assert find_entity(services.db, "MOF")["name"] == "Ministry of Oceans and Fisheries"


def test_case_variants_and_legal_suffixes_are_one_entity(services, tmp_path):
    services.ingest([write(tmp_path, "a.txt", "Chip pact one", "SK Hynix signed a deal with LG Chem Ltd. on materials.")])
    services.ingest([write(tmp_path, "b.txt", "Chip pact two", "SK hynix signed a contract with LG Chem on packaging.")])
    db = services.db
    assert db.execute("SELECT count(*) FROM entities WHERE key IN ('sk hynix', 'lg chem')").fetchone()[0] == 2
    assert parties_of_latest_agreement(db) == ["SK hynix", "LG Chem"]


def test_an_updated_article_replaces_its_facts(services, tmp_path):
    path = write(tmp_path, "a.txt", "Deal", "Orion Motors signed an MOU with Vega Battery on cells.")
    services.ingest([path])
    path.write_text("Deal\n\nOrion Motors signed an MOU with Lyra Materials on cells.\n", encoding="utf-8")
    services.ingest([path])
    db = services.db
    assert db.execute("SELECT count(*) FROM facts WHERE kind = 'agreement'").fetchone()[0] == 2  # two articles
    assert parties_of_latest_agreement(db) == ["Orion Motors", "Lyra Materials"]


def test_reextract_keeps_admin_aliases_and_gives_the_same_facts(seeded):
    from ingest.extract.run import reextract_all

    db = seeded.db
    add_alias(db, "KSIA chip group", "Korea Semiconductor Industry Association")
    before = db.execute("SELECT kind, subtype, evidence FROM facts ORDER BY id").fetchall()
    report = reextract_all(db)
    after = db.execute("SELECT kind, subtype, evidence FROM facts ORDER BY id").fetchall()
    assert report.articles == 4 and sorted(before) == sorted(after)
    assert find_entity(db, "KSIA chip group")["name"] == "Korea Semiconductor Industry Association"


def test_an_admin_alias_merges_an_entity_known_only_by_that_name(services, tmp_path):
    services.ingest([write(tmp_path, "a.txt", "Deal", "KOMIPO signed an MOU with Orion Power on hydrogen.")])
    db = services.db
    entity, merged = add_alias(db, "KOMIPO", "Korea Midland Power")
    assert merged == "KOMIPO" and entity["name"] == "Korea Midland Power"
    assert parties_of_latest_agreement(db) == ["Korea Midland Power", "Orion Power"]


def test_facts_stored_outside_a_transaction_are_committed_with_their_parties(services, tmp_path):
    from ingest.extract import extract
    from storage.db import open_db
    from storage.facts import replace_article_facts

    services.ingest([write(tmp_path, "a.txt", "Deal", "Orion Motors signed an MOU with Vega Battery on cells.")])
    db = services.db
    article_id = db.execute("SELECT id FROM articles").fetchone()[0]
    found = extract("Deal", "Orion Motors signed an MOU with Lyra Materials and Vega Battery on cells.")
    assert not db.conn.in_transaction
    assert replace_article_facts(db, article_id, found, title="Deal") == 1
    assert not db.conn.in_transaction
    other = open_db(services.settings.db_path)  # sees only what was committed
    try:
        assert parties_of_latest_agreement(other) == ["Orion Motors", "Lyra Materials", "Vega Battery"]
        assert other.execute("SELECT count(*) FROM facts").fetchone()[0] == 1
        assert other.execute("SELECT count(*) FROM fact_search WHERE fact_search MATCH 'lyra'").fetchone()[0] == 1
    finally:
        other.close()


def test_one_batch_is_stored_at_one_time(services, tmp_path):
    from datetime import UTC, datetime, timedelta

    from ingest.extract.run import extract_rows

    ticks = iter(datetime(2025, 1, 1, tzinfo=UTC) + timedelta(seconds=s) for s in range(100))
    services.ingest([write(tmp_path, "a.txt", "One", "Orion Motors signed an MOU with Vega Battery on cells."),
                     write(tmp_path, "b.txt", "Two", "Lyra Materials signed a deal with Nova Steel on alloys.")])
    db = services.db
    rows = [{"id": i, "title": t, "body": b, "published": None}
            for i, t, b in db.execute("SELECT id, title, body FROM articles ORDER BY id")]
    report = extract_rows(db, rows, clock=lambda: next(ticks))
    assert (report.articles, report.facts) == (2, 2)
    (stamp,) = db.execute("SELECT DISTINCT created_at FROM facts").fetchall()  # one clock read, not one per article
    assert stamp[0].startswith("2025-01-01T00:00:0")


def _plain(db, match: str, kind_sql: str, params: list, limit: int, window: int) -> list[int]:
    """The search as two statements: where the window of the newest matches starts, then
    ``ORDER BY bm25(…) LIMIT`` from there."""
    low = db.execute(f"SELECT rowid FROM fact_search WHERE fact_search MATCH ? {kind_sql} ORDER BY rowid DESC "
                     "LIMIT 1 OFFSET ?", [match, *params, window - 1]).fetchone()
    return [r[0] for r in db.execute(
        f"SELECT rowid FROM fact_search WHERE fact_search MATCH ? {kind_sql} AND rowid >= ? "
        "ORDER BY bm25(fact_search, 0.0, 3.0, 3.0, 2.0) LIMIT ?", [match, *params, low[0] if low else 0, limit])]


def test_fact_searches_rank_as_bm25_over_the_newest_window_ties_included(tmp_path):
    import random

    from storage.db import open_db
    from storage.facts import search_facts, timeline_facts

    db = open_db(tmp_path / "facts.db")
    rng = random.Random(5)
    # few distinct texts: many facts score exactly alike; stored in batches (several segments)
    words = ["advanced packaging MOU", "packaging plant investment", "HBM packaging line packaging",
             "chip packaging", "memory investment"]
    names = ["Samsung Electronics", "SK hynix ; Hana Micron", ""]
    rowid = 0
    for _ in range(12):
        with db.atomic():
            for _ in range(60):
                rowid += rng.randint(1, 4)
                db.execute("INSERT INTO fact_search(rowid, kind, words, names, title) VALUES (?,?,?,?,?)",
                           [rowid, rng.choice(["agreement", "investment", "role", "event"]), rng.choice(words),
                            rng.choice(names), rng.choice(["Packaging news", "Chips", ""])])
    for match in ('"packaging"', '"packaging" "investment"', '"hynix"', '"packaging" OR "memory"', '"absent"'):
        for window in (1, 7, 50, 300, 1000):
            for kind in ("agreement", "investment"):
                expected = _plain(db, match, "AND kind = ?", [kind], 20, window)
                assert search_facts(db, kind, match, limit=20, window=window) == expected
            assert timeline_facts(db, match, limit=40, window=window) == _plain(db, match, "AND kind != 'role'", [],
                                                                                 40, window)
    assert search_facts(db, "investment", '"packaging"', limit=5)  # the data does hold matches
