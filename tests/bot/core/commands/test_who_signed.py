"""/who-signed on the seeds and on articles of our own."""

import json
import subprocess
import sys

from ingest.extract.names import name_key
from storage.facts import find_entity
from tests.conftest import ROOT

SIGNATORIES = [
    "MOTIE", "Samsung Electronics", "SK hynix", "LG Chem", "Hana Micron", "Protec", "Sapeon Korea",
    "Symtec", "the Next-Generation Intelligent Semiconductor Business Group",
    "the Korea Semiconductor Industry Association", "the Korea Evaluation Institute of Industrial Technology",
]


def test_packaging_mou_lists_exactly_the_eleven_signatories(seeded):
    reply = seeded.ask("/who-signed packaging MOU")
    assert reply.ok and len(reply.answers) == 1
    data = reply.answers[0].to_json()
    expected = {find_entity(seeded.db, n)["name"] for n in SIGNATORIES}
    assert len(expected) == 11
    assert len(data["parties"]) == 11 and set(data["parties"]) == expected
    assert "Ministry of Trade, Industry and Energy" in data["parties"]
    assert [name_key(w) for w in data["parties_as_written"]] == [name_key(n) for n in SIGNATORIES]
    assert data["date"] == "Aug. 29" and data["date_iso"] is None
    assert data["place"] == "Eltower, Seoul"
    assert data["kind"] == "agreement" and data["status"] == "signed"
    assert data["evidence"].startswith("Signatories to the agreement included the MOTIE")
    assert data["sources"][0]["path"].endswith("001_694fc1f307a2a585.txt")
    assert [r["url"] for r in data["related"]] == [
        "https://koreapro.org/2024/09/south-korea-bets-205m-on-semiconductor-packaging-to-maintain-competitiveness/"]
    text = reply.plain_text()
    assert "Date: Aug. 29 (year not stated)" in text and "Place: Eltower, Seoul" in text
    assert "Related coverage (an MOU on the same topic; parties not named): South Korea bets $205M" in text


def test_a_query_naming_motie_matches_the_article_that_says_trade_ministry(seeded):
    reply = seeded.ask("/who-signed MOTIE packaging")
    assert reply.answers[0].data["place"] == "Eltower, Seoul"
    money = seeded.ask("/how-much MOTIE")
    assert money.answers[0].data["amount"] == "$205 million (274.4 billion won)"


def test_nothing_matching_says_so_and_suggests_the_closest(seeded):
    reply = seeded.ask("/who-signed battery joint venture")
    assert reply.kind == "empty" and reply.answers == []
    text = reply.plain_text()
    assert "No stored agreement matches “battery joint venture”." in text
    assert "Closest agreements:" in text and "Samsung Electronics" in text


def test_planned_agreements_are_marked_planned(services, tmp_path):
    path = tmp_path / "planned.txt"
    path.write_text("Battery pact ahead\n\nOrion Motors and Vega Battery are expected to sign a battery "
                    "supply deal next month.\n", encoding="utf-8")
    services.ingest([path])
    reply = services.ask("/who-signed battery supply deal")
    answer = reply.answers[0]
    assert answer.data["status"] == "planned"
    assert "(expected, not signed yet)" in answer.title
    text = reply.plain_text()
    assert "Expected to sign (2): Orion Motors; Vega Battery; not a signed agreement" in text
    assert "Nothing matching has been signed: the best match is expected, not signed yet." in text
    # never a list of signatories: the names are the expected parties
    assert answer.data["parties"] == [] and answer.data["expected_parties"] == ["Orion Motors", "Vega Battery"]


def test_other_articles_on_the_same_agreement_are_also_reported_by(services, tmp_path):
    (tmp_path / "a.txt").write_text("Cell deal\n\nOrion Motors signed an MOU with Vega Battery and Lyra "
                                    "Materials on solid-state cells.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Carmaker signs cell MOU\n\nVega Battery, Lyra Materials and Orion Motors "
                                    "signed a memorandum of understanding on solid-state cells on Monday.\n",
                                    encoding="utf-8")
    services.ingest([tmp_path])
    reply = services.ask("/who-signed solid-state cells")
    assert len(reply.answers) == 1
    data = reply.answers[0].to_json()
    assert len(data["sources"]) == 2 and len(data["also_reported_by"]) == 1
    assert "Also reported by:" in reply.plain_text()


def test_empty_topic_is_a_usage_error(seeded):
    reply = seeded.ask("/who-signed")
    assert reply.kind == "usage" and "Usage: /who-signed <topic>" in reply.plain_text()


def test_json_from_the_command_line(seeded):
    out = subprocess.run(
        [sys.executable, "-m", "bot", "--db", seeded.settings.db_path, "ask", "/who-signed packaging MOU", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )
    data = json.loads(out.stdout)
    (answer,) = data["answers"]
    assert data["ok"] and answer["kind"] == "agreement"
    assert len(answer["parties"]) == 11 and answer["date"] == "Aug. 29" and answer["place"] == "Eltower, Seoul"
    assert {"parties", "parties_as_written", "kind", "date", "place", "evidence", "sources"} <= answer.keys()


def test_one_sentence_with_several_agreements_answers_the_one_asked_about(services, tmp_path):
    (tmp_path / "kerala.txt").write_text(
        "Kerala signs three MoUs\n\nKerala signed three MoUs with companies from Japan on Monday. The "
        "Department of Water & Power signed with Orion Pumps on irrigation; the Department of Labor and "
        "Skills with Vega Training on apprenticeships; and Lyra Foods with Nova Nutrition on food processing.\n")
    services.ingest([tmp_path])
    for topic, expected in [("irrigation MoU", ["Department of Water & Power", "Orion Pumps"]),
                            ("apprenticeships MoU", ["Department of Labor and Skills", "Vega Training"]),
                            ("food processing MoU", ["Lyra Foods", "Nova Nutrition"])]:
        reply = services.ask(f"/who-signed {topic}")
        assert reply.answers[0].data["parties"] == expected, topic


def test_a_topic_naming_the_month_and_year_matches_the_article_date(services, tmp_path):
    (tmp_path / "deal.txt").write_text(
        "Orion and Vega sign a cell deal\n\nMay 12, 2022\n\nOrion Motors signed an agreement with Vega "
        "Battery on cell supply.\n")
    services.ingest([tmp_path])
    reply = services.ask("/who-signed Orion May 2022")
    assert reply.answers[0].data["parties"] == ["Orion Motors", "Vega Battery"]
    assert reply.answers[0].sources[0].published.startswith("2022-05-12")


def test_the_best_matching_report_decides_even_when_it_names_no_parties(services, tmp_path):
    """A report of the asked-about deal that names no parties is the answer; another article's
    agreement with parties is not."""
    (tmp_path / "magdeburg.txt").write_text(
        "Magdeburg chip plant deal signed\n\nThe subsidy agreement for the Magdeburg chip plant was signed "
        "in Berlin on Monday, officials said.\n", encoding="utf-8")
    (tmp_path / "hanoi.txt").write_text(
        "Chip pact in Hanoi\n\nOrion Motors signed a chip plant agreement with Vega Battery in Hanoi.\n",
        encoding="utf-8")
    services.ingest([tmp_path])
    reply = services.ask("/who-signed Magdeburg chip plant deal")
    (answer, *_) = reply.answers
    assert answer.data["parties"] == [] and answer.sources[0].path.endswith("magdeburg.txt")
    assert "The report that best matches does not name who signed" in reply.plain_text()
    assert "Vega Battery" not in reply.plain_text()


def test_reports_of_one_agreement_merge_with_how_many_name_each_party(services, tmp_path):
    (tmp_path / "a.txt").write_text("Cell MOU\n\nOrion Motors signed an MOU with Vega Battery and Lyra Materials "
                                    "on solid-state cells on March 3, 2024.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Cell MOU signed\n\nOrion Motors and Vega Battery signed a memorandum of "
                                    "understanding on solid-state cells on March 3, 2024.\n", encoding="utf-8")
    services.ingest([tmp_path])
    reply = services.ask("/who-signed solid-state cells MOU")
    (answer,) = reply.answers
    data = answer.to_json()
    assert data["parties"] == ["Orion Motors", "Vega Battery", "Lyra Materials"]
    assert data["party_reports"] == [2, 2, 1] and len(data["sources"]) == 2
    assert "Lyra Materials [named by 1 of 2 reports]" in reply.plain_text()


def test_a_later_report_repeating_an_earlier_list_is_flagged(services, tmp_path):
    (tmp_path / "2023.txt").write_text("Cell MOU\n\nAug. 29, 2023\n\nOrion Motors signed an MOU with Vega Battery "
                                       "on solid-state cells on Aug. 29, 2023.\n", encoding="utf-8")
    (tmp_path / "2024.txt").write_text("Cells a year on\n\nSept. 11, 2024\n\nOrion Motors and Vega Battery "
                                       "signed an MOU on solid-state cells, the companies recalled.\n",
                                       encoding="utf-8")
    services.ingest([tmp_path])
    reply = services.ask("/who-signed solid-state cells MOU")
    data = reply.answers[0].to_json()
    assert data["date_iso"] == "2023-08-29"
    assert len(data["sources"]) == 2
    assert data["conflicts"] and "report" in data["conflicts"][0]
    assert data["confidence"] == "low" and "the reports disagree" in data["unsure_because"]


def test_confidence_is_high_for_a_whole_clause_naming_the_parties(seeded):
    data = seeded.ask("/who-signed packaging MOU").answers[0].to_json()
    assert data["confidence"] == "high" and data["unsure_because"] == [] and data["rule"] == "signatories"


def test_one_named_party_is_shown_as_unclear_not_as_the_signatories(services, tmp_path):
    (tmp_path / "one.txt").write_text("Cell MOU\n\nOrion Motors signed an MOU on solid-state cells with "
                                      "several partners on Monday.\n", encoding="utf-8")
    services.ingest([tmp_path])
    reply = services.ask("/who-signed solid-state cells MOU")
    data = reply.answers[0].to_json()
    assert data["confidence"] == "low" and "fewer than two parties named" in data["unsure_because"]
    text = reply.plain_text()
    assert "Named in the report (1): Orion Motors" in text and "Parties unclear" in text


def test_the_same_partners_signing_again_a_year_later_are_two_agreements(services, tmp_path):
    (tmp_path / "2023.txt").write_text("Cell MOU\n\nAug. 29, 2023\n\nOrion Motors signed an MOU with Vega Battery "
                                       "on solid-state cells on Aug. 29, 2023.\n", encoding="utf-8")
    (tmp_path / "2024.txt").write_text("Cell MOU renewed\n\nSept. 11, 2024\n\nOrion Motors signed an MOU with Vega "
                                       "Battery on solid-state cells on Sept. 11, 2024.\n", encoding="utf-8")
    (tmp_path / "2024b.txt").write_text("Cell partners grow\n\nSept. 12, 2024\n\nOrion Motors, Vega Battery and Lyra "
                                        "Materials signed an MOU on solid-state cells.\n", encoding="utf-8")
    services.ingest([tmp_path])
    answers = [a.to_json() for a in services.ask("/who-signed solid-state cells MOU").answers]
    dates = sorted(a["date_iso"] for a in answers)
    assert dates == ["2023-08-29", "2024-09-11"]
    by_date = {a["date_iso"]: a for a in answers}
    # the report a day later without a date of its own joins the 2024 signing, not the 2023 one
    assert len(by_date["2023-08-29"]["sources"]) == 1 and len(by_date["2024-09-11"]["sources"]) == 2
    assert not by_date["2023-08-29"]["conflicts"]


def test_a_topic_word_the_article_writes_in_the_plural_is_found_in_its_body(services, tmp_path):
    # "Identities" stems to "identity", which is not part of the word as written
    path = tmp_path / "arrangements.txt"
    path.write_text("Orion and Vega sign a trade deal\n\nOrion Motors and Vega Battery signed a digital trade "
                    "deal today. Alongside it, three arrangements were concluded:\n\n- Digital Customs\n\n"
                    "- Digital Identities\n\n- Cybersecurity\n", encoding="utf-8")
    services.ingest([path])
    answer = services.ask("/who-signed Digital Identities Orion Vega").answers[0]
    assert answer.data["confidence"] == "high", answer.data["unsure_because"]
    assert answer.data["parties"] == ["Orion Motors", "Vega Battery"]


def test_an_older_agreement_an_article_mentions_is_not_the_answer_to_a_topic_about_something_else(services, tmp_path):
    (tmp_path / "delivery.txt").write_text(
        "First homegrown engine for Falcon howitzers delivered\n\n"
        "The trade ministry and the procurement agency held the delivery ceremony of the first homegrown engine "
        "for the Falcon howitzers today at Orion Engine's Gimhae plant.\n\n"
        "In September 2020, Orion Motors and Vega Battery entered into a memorandum of understanding (MOU) on "
        "the localization of defense parts.\n", encoding="utf-8")
    services.ingest([tmp_path])
    data = services.ask("/who-signed Falcon howitzer engine delivery ceremony Gimhae").answers[0].to_json()
    assert data["confidence"] == "low"
    assert "the agreement found is not what the topic is about" in data["unsure_because"]
    # a topic about the agreement itself is answered with confidence
    data = services.ask("/who-signed Orion Vega localization of defense parts MOU").answers[0].to_json()
    assert data["confidence"] == "high", data["unsure_because"]


def test_agreements_one_sentence_lists_one_with_each_are_one_answer_unless_the_topic_names_one(services, tmp_path):
    (tmp_path / "compacts.txt").write_text(
        "Aid agency reports progress\n\nThe Orion Aid Corporation (OAC) was set up in 2004. OAC has signed "
        "Compacts with Madagascar, Honduras, Cape Verde, and Nicaragua and will sign a Compact with Georgia "
        "this month.\n")
    services.ingest([tmp_path])
    one = services.ask("/who-signed OAC Compact Honduras").answers[0]
    assert one.data["parties"] == ["Orion Aid Corporation", "Honduras"]
    every = services.ask("/who-signed OAC Compacts").answers[0]
    assert every.data["parties"] == ["Orion Aid Corporation", "Madagascar", "Honduras", "Cape Verde", "Nicaragua"]
    assert any("One of 4 agreements one sentence lists" in line for line in every.lines)
    georgia = services.ask("/who-signed OAC Compact Georgia")
    assert georgia.answers[0].data["status"] == "planned" and georgia.answers[0].data["parties"] == []
    assert georgia.answers[0].data["expected_parties"] == ["Orion Aid Corporation", "Georgia"]
