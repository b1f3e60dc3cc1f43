"""/how-much on the seeds and on amounts of our own."""


def test_packaging_investment_by_motie(seeded):
    reply = seeded.ask("/how-much packaging")
    assert reply.ok
    data = reply.answers[0].to_json()
    assert data["amount"] == "$205 million (274.4 billion won)"
    assert data["value"] == 205_000_000 and data["currency"] == "USD"
    assert data["by"] == "Ministry of Trade, Industry and Energy"
    assert data["by_as_written"] == "South Korea's trade ministry"
    assert "semiconductor packaging industry" in data["purpose"]
    assert data["sources"][0]["url"].startswith("https://koreapro.org/2024/09/south-korea-bets-205m")
    assert data["evidence"].startswith("South Korea’s trade ministry announced a $205 million")
    text = reply.plain_text()
    assert "By: Ministry of Trade, Industry and Energy (as “South Korea's trade ministry”)" in text
    assert "For: the country's semiconductor packaging industry" in text


def test_several_currencies_ranked_by_topic(services, tmp_path):
    (tmp_path / "a.txt").write_text(
        "Fab plans\n\nOrion Chips will invest 4.1 billion euros to build a wafer fab in Dresden. "
        "Vega Battery plans to pour 57 billion yen into a cathode factory.\n", encoding="utf-8")
    services.ingest([tmp_path])
    reply = services.ask("/how-much cathode factory")
    data = reply.answers[0].to_json()
    assert (data["amount"], data["currency"], data["by"]) == ("57 billion yen", "JPY", "Vega Battery")


def test_nothing_matching(seeded):
    reply = seeded.ask("/how-much shipbuilding subsidy")
    assert reply.kind == "empty" and "No stored amount matches" in reply.plain_text()
