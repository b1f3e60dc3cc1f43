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


def test_the_investor_named_first_in_the_topic_picks_its_own_amount(services, tmp_path):
    (tmp_path / "stakes.txt").write_text(
        "Orion and Vega take stakes in each other\n\nOrion Motors and Vega Motors will take stakes in each "
        "other. Orion Motors will buy Vega shares for 90 billion yen.\n\nVega Motors, for its part, will "
        "buy Orion shares worth 45 billion yen.\n")
    services.ingest([tmp_path])
    assert services.ask("/how-much Orion stake in Vega").answers[0].data["amount"] == "90 billion yen"
    assert services.ask("/how-much Vega shares in Orion").answers[0].data["amount"] == "45 billion yen"


def test_a_conversion_in_brackets_is_one_amount_in_the_first_currency(services, tmp_path):
    (tmp_path / "fab.txt").write_text(
        "Orion to build a fab\n\nOrion Semiconductor will invest 20 billion euros ($21.9 billion) in a "
        "chip plant in Dresden.\n")
    services.ingest([tmp_path])
    answers = services.ask("/how-much Orion chip plant").answers
    assert [a.data["amount"] for a in answers] == ["20 billion euros ($21.9 billion)"]
    assert answers[0].data["currency"] == "EUR" and answers[0].data["by"] == "Orion Semiconductor"


def test_joint_and_unnamed_investors_are_shown_as_written(services, tmp_path):
    (tmp_path / "jv.txt").write_text(
        "Cell venture\n\nOrion Motors and Vega Battery will fund the $2 billion joint venture together.\n\n"
        "Separately, five foreign companies have decided to invest $300 million in Busan.\n")
    services.ingest([tmp_path])
    joint = services.ask("/how-much joint venture").answers[0].data
    assert joint["by"] == "Orion Motors and Vega Battery" and joint["amount"] == "$2 billion"
    unnamed = services.ask("/how-much Busan").answers[0].data
    assert unnamed["by"] == "five foreign companies" and unnamed["amount"] == "$300 million"


def test_two_amounts_in_one_sentence_each_answer_their_own_topic(services, tmp_path):
    (tmp_path / "a.txt").write_text(
        "Orion's plans\n\nOrion Motors will invest $500 million in a battery plant in Georgia and 57 billion "
        "yen for a stake in Vega Battery, the company said.\n", encoding="utf-8")
    services.ingest([tmp_path])
    assert services.ask("/how-much Orion stake Vega Battery").answers[0].data["amount"] == "57 billion yen"
    assert services.ask("/how-much Orion battery plant Georgia").answers[0].data["amount"] == "$500 million"


def test_a_share_of_an_amount_answers_for_the_amount_it_is_part_of(services, tmp_path):
    (tmp_path / "a.txt").write_text(
        "Cell plans\n\nOrion Chem and Vega Cells will invest KRW15.1tr in the EV battery business, with "
        "KRW12.4tr of that coming from Vega Cells.\n", encoding="utf-8")
    services.ingest([tmp_path])
    data = services.ask("/how-much Vega Cells share of EV battery investment").answers[0].data
    assert data["amount"] == "KRW12.4tr" and data["by"] == "Vega Cells"
