"""/whois on the seeds, and adding an alias (admins only, audited)."""

from storage.audit import recent_actions


def test_motie_full_name_aliases_and_the_agreement(seeded):
    reply = seeded.ask("/whois MOTIE")
    entity = reply.answers[0].to_json()
    assert entity["name"] == "Ministry of Trade, Industry and Energy"
    assert "MOTIE" in entity["aliases"] and "trade ministry" in entity["aliases"]
    agreements = [a.to_json() for a in reply.answers if a.kind == "agreement"]
    assert len(agreements) == 1 and len(agreements[0]["parties"]) == 11
    investments = [a.to_json() for a in reply.answers if a.kind == "investment"]
    assert investments[0]["amount"] == "$205 million (274.4 billion won)"
    # the English name, with the Korean one beside it
    assert "Ministry of Trade, Industry and Energy (산업통상자원부) (Organisation)" in reply.plain_text()


def test_lee_jong_ho_is_science_minister_of_south_korea(seeded):
    reply = seeded.ask("/whois Lee Jong-ho")
    data = reply.answers[0].to_json()
    assert (data["role"], data["org"]) == ("Science Minister", "South Korea")
    assert "Role: Science Minister, South Korea" in reply.plain_text()
    assert data["sources"][0]["path"].endswith("002_77ac495237e3e222.txt")


def test_unknown_name(seeded):
    reply = seeded.ask("/whois Umbrella Corporation")
    assert reply.kind == "empty" and "No organisation or person called “Umbrella Corporation”" in reply.plain_text()


def test_adding_an_alias_is_admin_only_and_audited(seeded):
    refused = seeded.ask("/whois alias KSIA chip lobby = Korea Semiconductor Industry Association", user_id="U1")
    assert refused.kind == "refusal" and recent_actions(seeded.db) == []
    assert seeded.ask("/whois KSIA chip lobby").kind == "empty"
    done = seeded.ask("/whois alias KSIA chip lobby = Korea Semiconductor Industry Association",
                      user_id="U2", platform="slack", is_admin=True)
    assert done.kind == "info" and "“KSIA chip lobby” now names Korea Semiconductor Industry Association." in done.plain_text()
    (action,) = recent_actions(seeded.db)
    assert (action["platform"], action["actor"], action["action"]) == ("slack", "slack:U2", "whois.alias")
    assert seeded.ask("/whois KSIA chip lobby").answers[0].data["name"] == "Korea Semiconductor Industry Association"


def test_alias_without_equals_is_a_usage_error(seeded):
    reply = seeded.ask("/whois alias MOTIE", is_admin=True)
    assert reply.kind == "usage" and "/whois alias <alias> = <name>" in reply.plain_text()


def _parties(services) -> list[str]:
    return services.ask("/who-signed packaging MOU").answers[0].data["parties"]


def test_merging_two_established_entities_asks_for_confirmation_and_changes_nothing(seeded):
    from bench.facts_snapshot import dump_db

    before = dump_db(seeded.db)
    reply = seeded.ask("/whois alias MOTIE = Samsung Electronics", is_admin=True)
    text = reply.plain_text()
    assert reply.kind == "refusal" and not reply.ok
    assert reply.title == "Not merged: “MOTIE” already names Ministry of Trade, Industry and Energy"
    # (the names include the Korean ones of the bundled table: 산업통상자원부, 산업부, 산자부; 삼성전자)
    assert "Ministry of Trade, Industry and Energy has 16 names (MOTIE, trade ministry" in text
    assert "1 agreement and 1 investment." in text
    assert "Samsung Electronics has 2 names (삼성전자) and 1 agreement." in text
    assert ("If that is what you mean, send: /whois alias MOTIE = Samsung Electronics --force "
            "(/whois alias undo reverts it).") in text
    assert "Nothing was changed." in text
    assert dump_db(seeded.db) == before and recent_actions(seeded.db) == []
    assert seeded.ask("/whois MOTIE").answers[0].data["name"] == "Ministry of Trade, Industry and Energy"


def test_a_forced_merge_is_audited_and_undone_and_reextract_keeps_each_decision(seeded):
    from bench.facts_snapshot import dump_db
    from ingest.extract.run import reextract_all

    before = dump_db(seeded.db)
    done = seeded.ask("/whois alias MOTIE = Samsung Electronics --force", user_id="U2", platform="slack",
                      is_admin=True)
    assert done.kind == "info" and "“MOTIE” now names Samsung Electronics." in done.plain_text()
    assert "This is merge #1; /whois alias undo 1 reverts it." in done.plain_text()
    (action,) = recent_actions(seeded.db)
    assert action["action"] == "whois.alias" and action["actor"] == "slack:U2"
    assert action["detail"].startswith("MOTIE = Samsung Electronics (merge #1: Ministry of Trade, Industry and Energy")
    assert seeded.ask("/whois MOTIE").answers[0].data["name"] == "Samsung Electronics"
    assert "Ministry of Trade, Industry and Energy" not in _parties(seeded)
    reextract_all(seeded.db)  # the admin's merge stays
    assert seeded.ask("/whois trade ministry").answers[0].data["name"] == "Samsung Electronics"

    refused = seeded.ask("/whois alias undo", user_id="U1")
    assert refused.kind == "refusal"
    undone = seeded.ask("/whois alias undo 1", user_id="U2", platform="slack", is_admin=True)
    assert undone.title == "Undid merge #1"
    assert "“MOTIE” names Ministry of Trade, Industry and Energy again, not Samsung Electronics." in undone.plain_text()
    assert recent_actions(seeded.db)[0]["action"] == "whois.alias.undo"
    assert dump_db(seeded.db) == before  # every name, party and investment is the ministry's again
    reextract_all(seeded.db)  # and the undone merge stays undone
    assert dump_db(seeded.db) == before
    assert _parties(seeded)[0] == "Ministry of Trade, Industry and Energy" and len(_parties(seeded)) == 11
    again = seeded.ask("/whois alias undo 1", is_admin=True)
    assert again.title == "Nothing undone" and "Merge #1 was undone already" in again.plain_text()


def test_an_entity_known_only_by_the_alias_merges_without_confirmation_and_can_be_undone(services, tmp_path):
    from bench.facts_snapshot import dump_db

    (tmp_path / "a.txt").write_text("Deal\n\nKOMIPO signed an MOU with Orion Power on hydrogen.\n", encoding="utf-8")
    services.ingest([tmp_path / "a.txt"])
    before = dump_db(services.db)
    done = services.ask("/whois alias KOMIPO = Korea Midland Power", is_admin=True)
    assert done.kind == "info" and "What was stored under “KOMIPO” (1 name and 1 agreement)" in done.plain_text()
    assert services.ask("/who-signed hydrogen").answers[0].data["parties"] == ["Korea Midland Power", "Orion Power"]
    assert services.ask("/whois alias undo", is_admin=True).title == "Undid merge #1"
    assert services.ask("/who-signed hydrogen").answers[0].data["parties"] == ["KOMIPO", "Orion Power"]
    after = dump_db(services.db)
    # The target the alias created stays, with its own name only.
    assert ["org", "Korea Midland Power", "korea midland power", None, None] in after["entities"]
    after["entities"].remove(["org", "Korea Midland Power", "korea midland power", None, None])
    after["aliases"] = [a for a in after["aliases"] if a[3] != "org:korea midland power"]
    assert after == before
