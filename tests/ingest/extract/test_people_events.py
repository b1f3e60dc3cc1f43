"""People with roles, events with dates, and alias definitions."""

import pytest

from ingest.extract import extract
from ingest.extract.names import display_name, name_key
from ingest.extract.orgs import alias_definitions
from ingest.extract.sentences import split_sentences


def test_title_before_name_with_country_after():
    (role,) = extract("t", "Science Minister Lee Jong-ho of South Korea praised the forum.").people
    assert (role.person, role.role, role.org, role.org_kind) == ("Lee Jong-ho", "Science Minister", "South Korea", "country")


def test_organisation_before_title_and_title_after_name():
    people = extract("t", "Samsung Electronics Chairman Lee Jae-yong met Pat Gelsinger, CEO of Intel, in Seoul.").people
    got = {(r.person, r.role, r.org) for r in people}
    assert ("Lee Jae-yong", "Chairman", "Samsung Electronics") in got
    assert ("Pat Gelsinger", "CEO", "Intel") in got


def test_events_keep_their_dates_and_places():
    body = "The Korea-EU Joint Researcher Forum on Semiconductors opened in Brussels on March 12, 2024."
    (event,) = extract("t", body).events
    assert event.name == "Korea-EU Joint Researcher Forum on Semiconductors"
    assert (event.subtype, event.date, event.place) == ("forum", "2024-03-12", "Brussels")


def test_alias_definitions_need_matching_initials():
    text = ("The Ministry of Trade, Industry and Energy (MOTIE) and Taiwan Semiconductor Manufacturing "
            "Company (TSMC) used artificial intelligence (AI) and a memorandum of understanding (MOU).")
    assert alias_definitions(text) == [("Ministry of Trade, Industry and Energy", "MOTIE"),
                                       ("Taiwan Semiconductor Manufacturing Company", "TSMC")]


def test_case_variants_and_legal_suffixes_share_a_key():
    assert name_key("SK Hynix") == name_key("SK hynix")
    assert name_key("LG Chem Ltd.") == name_key("LG Chem") == name_key("the LG Chem")
    assert name_key("Samsung Electronics Co.") == name_key("Samsung Electronics Co., Ltd.") == name_key("Samsung Electronics")
    assert display_name("LG Chem Ltd.") == "LG Chem"


@pytest.mark.parametrize(("name", "shown"), [
    ("Africa Finance Corporation", "Africa Finance Corporation"),
    ("Korea Land and Housing Corporation", "Korea Land and Housing Corporation"),
    ("ISMC Analog Fab Private Limited", "ISMC Analog Fab"),
    ("Harbour Airports (Sydney) Pty Ltd", "Harbour Airports (Sydney)"),
    ("Samsung C&T Corp.", "Samsung C&T"),
])
def test_a_name_is_shown_without_its_legal_form_but_with_the_words_of_its_name(name, shown):
    assert display_name(name) == shown


def test_sentences_keep_abbreviations_and_offsets():
    body = "LG Chem Ltd. signed on Aug. 29 with Samsung Electronics Co. in the U.S. The deal is big."
    sents = split_sentences(body)
    assert [s.text for s in sents] == [
        "LG Chem Ltd. signed on Aug. 29 with Samsung Electronics Co. in the U.S.", "The deal is big."]
    assert all(body[s.start:s.end] == s.text for s in sents)


def test_a_defined_name_with_and_inside_is_the_whole_name_its_letters_spell():
    text = ("The Australian Hydrogen Council (AHC) and Canadian Hydrogen and Fuel Cell Association (CHFCA) "
            "have signed an MOU. Samsung and Korea Electric Power Corporation (KEPCO) met.")
    assert alias_definitions(text) == [("Australian Hydrogen Council", "AHC"),
                                       ("Canadian Hydrogen and Fuel Cell Association", "CHFCA"),
                                       ("Korea Electric Power Corporation", "KEPCO")]


def test_names_with_accented_letters_and_hyphenated_titles_are_whole():
    got = {(r.person, r.role, r.org) for r in extract(
        "t", "“This agreement is good,” said EIB Vice-President Teresa Czerwińska.\n\n"
        "Minister Lee Jong-ho met Hervé Jouanjean, Director of the EIB.").people}
    assert got >= {("Teresa Czerwińska", "Vice-President", "EIB"), ("Hervé Jouanjean", "Director", "EIB")}


def test_the_sentence_s_full_stop_is_not_part_of_an_organisation_but_an_abbreviation_s_is():
    got = {r.person: r.org for r in extract("t", "He met Jane Doe, Ambassador of the U.S.\n\n"
                                            "She met John Roe, Director of the EIB.").people}
    assert got == {"Jane Doe": "U.S.", "John Roe": "EIB"}
