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
