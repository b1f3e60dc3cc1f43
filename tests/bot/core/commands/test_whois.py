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
    assert "Ministry of Trade, Industry and Energy (Organisation)" in reply.plain_text()


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
