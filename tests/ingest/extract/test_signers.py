"""Signers as published releases write them: people with long titles, an office of a body, the
side a list of signatories signs for, one announcement of several agreements that each fund a
body (short sentences of our own, in the forms of those releases)."""

import pytest

from ingest.extract import extract
from ingest.extract.agreements import unnamed_signers
from ingest.extract.names import name_key
from ingest.extract.orgs import builtin_index, clean_item, mission_country


def agreements(body, published="2024-09-11"):
    return extract("Test", body, published).agreements


def keys(*names):
    return sorted(name_key(n) for n in names)


def parties(agreement):
    return sorted(name_key(p.name) for p in agreement.parties)


def test_an_embassy_official_and_a_minister_after_an_honorific_sign_for_their_countries():
    body = ("On May 4th, in Suva, the capital of the Republic of Fiji, Mr. Taro Sato, Minister and Deputy "
            "Chief of Mission of the Embassy of Japan, and Hon. Mere Vula, Minister for Finance of the "
            "Republic of Fiji, signed and exchanged notes concerning a Yen loan for a harbour project.")
    [agreement] = agreements(body)
    assert agreement.status == "signed"
    assert parties(agreement) == keys("Japan", "Republic of Fiji")


def test_an_ambassador_to_a_country_signs_for_the_country_that_sent_him():
    body = ("On June 2, in Hanoi, Mr. Ken Ito, Ambassador Extraordinary and Plenipotentiary of Japan to the "
            "Socialist Republic of Viet Nam, and Mr. Le Van Minh, Director General of Foreign Economic "
            "Relations, Ministry of Finance of Viet Nam, signed and exchanged notes concerning a Yen loan.")
    [agreement] = agreements(body)
    names = parties(agreement)
    assert name_key("Japan") in names
    assert not any("plenipotentiary" in n or "mission" in n for n in names)


@pytest.mark.parametrize("name, country", [
    ("Embassy of Japan", "Japan"), ("the Embassy of the Philippines", "Philippines"),
    ("Japanese Embassy", "Japan"), ("Consulate General of India", "India"), ("Orion Embassy Suites", None),
])
def test_a_mission_signs_for_its_country(name, country):
    assert mission_country(name) == country


def test_a_ministers_title_run_into_the_name_of_the_other_minister_is_no_party():
    body = ("The European Commission signed a Memorandum of Understanding on clean hydrogen with Morocco's "
            "Minister for Industry Leila Amrani and Minister for Transport and Renewable Energy Karim "
            "Tazi.")
    [agreement] = agreements(body)
    assert parties(agreement) == keys("European Commission", "Morocco")


def test_a_minister_named_by_nationality_signs_for_the_country():
    body = ("They also signed a Joint Statement with the Asian Development Bank and the Moroccan Minister of "
            "International Cooperation, Salma Idrissi, on grid finance.")
    [agreement] = agreements(body)
    assert name_key("Morocco") in parties(agreement)
    assert not any("cooperation" in n or "idrissi" in n for n in parties(agreement))


def test_the_signatories_for_a_side_sign_for_that_side():
    body = ("Canada and the EU signed an MoU on battery supply chains today. The signatories for Canada were "
            "Energy and Natural Resources Minister Anne Roy, and Minister for Trade and Tourism Paul Gray.")
    [agreement] = agreements(body)
    assert parties(agreement) == keys("Canada", "EU")


def test_a_statement_issued_the_week_before_is_not_the_statement_signed_today():
    body = ("They signed a Joint Statement with the Asian Development Bank on grid finance in Rabat. "
            "The signing follows the Joint Statement issued by President Ana Costa and President Karim "
            "Tazi last week at the summit.")
    found = agreements(body)
    issued = [a for a in found if a.status == "issued"]
    assert issued and not issued[0].parties
    assert all(a.status != "issued" for a in found if a.parties)


def test_the_office_of_a_body_in_a_country_signs_as_the_body():
    body = ("This was followed by signing a Loan Agreement between Korea International Cooperation Agency "
            "(KOICA) Laos office and the Ministry of Planning.")
    [agreement] = agreements(body)
    assert parties(agreement) == keys("Korea International Cooperation Agency", "Ministry of Planning")


@pytest.mark.parametrize("item, name", [
    ("Korea International Cooperation Agency Laos office", "Korea International Cooperation Agency"),
    ("Samsung Electronics Texas office", "Samsung Electronics"),
    ("Kazakhstan on June 12", "Kazakhstan"),
    ("Mongolia on Tuesday", "Mongolia"),
    ("International Cooperation", None),
    ("the Department of Energy (DOE) Office of the Under Secretary for Science and Innovation", "Department of Energy"),
    ("the U.S. Department of the Interior’s Bureau of Land Management", "Bureau of Land Management"),
    ("Resources", None),
])
def test_list_items_are_cleaned_to_the_body_they_name(item, name):
    assert clean_item(item, builtin_index()) == name


def test_several_agreements_that_each_fund_a_company_are_one_agreement_each():
    body = ("The Department of Energy signed three separate preliminary memoranda of terms to provide up to "
            "$20 million in proposed funding to Orion Motors, up to $15 million in proposed funding to Vega "
            "Battery Inc., and up to $10 million in proposed funding to Lyra Materials.")
    found = agreements(body)
    assert sorted(parties(a) for a in found) == sorted([
        keys("Department of Energy", "Orion Motors"), keys("Department of Energy", "Vega Battery"),
        keys("Department of Energy", "Lyra Materials")])


def test_the_sides_named_after_a_byline_line_are_the_two_sides():
    from ingest.parse import parse_bytes

    text = ("By Jane Park\n"
            "Korea and Mongolia on June 12 agreed to strengthen bilateral cooperation in critical minerals, "
            "renewable energy and infrastructure, the presidential office said after the two leaders held a "
            "summit in Ulaanbaatar that day.\n"
            "The two sides signed three memorandums of understanding on cooperation in supply chains.\n")
    [article] = parse_bytes(text.encode()).articles
    [agreement] = extract(article.title, article.body, "2024-06-13").agreements
    assert parties(agreement) == keys("Korea", "Mongolia")


def test_announcing_the_intent_to_pursue_an_mou_is_not_signing_it():
    body = ("Trade Minister Anna Bell and Governor of Oregon, Tom Reed yesterday announced their intent to "
            "pursue a Memorandum of Understanding")
    assert all(a.status == "planned" for a in agreements(body))


@pytest.mark.parametrize("items, expected", [
    (["the Minister of Foreign Affairs of Mexico Ana Torres Vidal"], ["Mexico"]),
    (["Minister of State at the Department for Business and Trade"], ["Department for Business and Trade"]),
    (["the Government of Iceland", "Minister of Industry, Trade, Fisheries and Culture", "Eva Jonsdottir"],
     ["the Government of Iceland"]),
])
def test_a_ministers_fields_are_not_a_body(items, expected):
    from ingest.extract.orgs import people_to_orgs

    assert people_to_orgs(items) == expected


def test_a_minister_named_after_the_government_and_her_title_is_no_party():
    body = ("The Commissioner for Trade of the European Commission, Jan Novak, signed the MoU with the "
            "Government of Iceland, Minister of Industry, Trade, Fisheries and Culture, Eva Jonsdottir.")
    names = [n for a in agreements(body) for n in parties(a)]
    assert name_key("Government of Iceland") in names
    assert not any("jonsdottir" in n or "fisheries" in n for n in names)


def test_a_joint_statement_signed_after_an_mou_by_the_same_sides_is_another_agreement():
    body = ("The European Commission signed a Memorandum of Understanding on green hydrogen with Morocco. "
            "The European Commission also signed a Joint Statement with the Asian Development Bank and Morocco on "
            "grid finance.")
    found = agreements(body)
    assert sorted((a.kind, tuple(parties(a))) for a in found) == [
        ("MOU", tuple(keys("European Commission", "Morocco"))),
        ("joint statement", tuple(keys("European Commission", "Asian Development Bank", "Morocco")))]


def test_a_country_signs_under_the_long_name_a_treaty_gives_it():
    body = ("The Agreement between the Government of Japan and the Government of the United States of America "
            "on battery minerals was signed today.")
    [agreement] = agreements(body)
    canon = builtin_index().canon  # the entity each name is an alias of
    assert sorted(canon[name_key(p.name)] for p in agreement.parties) == keys("Japan", "United States")


def test_a_list_of_a_ministry_a_province_and_a_city_is_three_bodies():
    body = ("The Minister of Foreign Affairs, the Governor and the Mayor signed a memorandum of understanding "
            "among the Ministry of Foreign Affairs, Jeollanam-do Province and Yeosu City.")
    [agreement] = agreements(body)
    assert parties(agreement) == keys("Ministry of Foreign Affairs", "Jeollanam-do Province", "Yeosu City")


def test_governments_exchanging_notes_conclude_an_agreement_and_a_title_chain_gives_the_outermost_body():
    body = ("On March 3, Mr. Ken Ito, Ambassador of Japan to Nepal, and Mr. Ram Thapa, Joint Secretary, "
            "Department of External Resources, Ministry of Finance, Government of Nepal, exchanged notes in "
            "Kathmandu concerning a yen loan for a road project.")
    [agreement] = agreements(body)
    assert agreement.kind == "exchange of notes" and agreement.status == "signed"
    assert parties(agreement) == keys("Japan", "Government of Nepal")


def test_exchanging_views_on_a_deal_is_no_agreement():
    assert agreements("Orion Motors and Vega Battery exchanged views on a possible supply deal.") == []


def test_a_bulleted_line_launching_negotiations_is_talks_with_its_sides_named():
    body = ("• Canada and Mexico to launch negotiations on an upgraded, modern free trade agreement to boost "
            "trade between the two countries • Mexico is a key partner")
    [agreement] = agreements(body)
    assert agreement.status == "talks"
    assert parties(agreement) == keys("Canada", "Mexico")
    assert clean_item("• Canada", builtin_index()) == "Canada"


def test_we_of_a_speaker_is_no_party():
    body = ("One of the aims of the visit was to secure battery metals. I am very pleased that we have "
            "concluded cooperation arrangements on both topics, the Commissioner said.")
    assert [n for a in agreements(body) for n in parties(a)] == []


@pytest.mark.parametrize("body, bodies", [
    # the bodies in the sentence before
    ("Today, the EU and Paraguay have decided to deepen their cooperation on clean energy. At the summit in "
     "Brussels, Commissioner for Energy Ana Lindqvist and Paraguay’s Minister for Foreign Affairs Rubén Ortiz "
     "signed a Memorandum of Understanding on renewable hydrogen, in the presence of the Commission's "
     "President.", ("EU", "Paraguay")),
    # "the two departments" are the ones the next sentence names
    ("WASHINGTON, DC – Under Secretary of Energy Mark Dale and Deputy Under Secretary Ann Roe today announced "
     "a Memorandum of Understanding (MOU) between the two departments to promote rural energy. The "
     "newly-signed MOU will enhance coordination between the Department of Energy (DOE) and USDA.",
     ("Department of Energy", "USDA")),
])
def test_officials_who_sign_for_bodies_the_sentence_does_not_name_sign_for_those_named_around_it(body, bodies):
    [agreement] = agreements(body)
    assert agreement.rule == "neighbour"
    assert parties(agreement) == keys(*bodies)


def test_a_place_written_with_its_state_is_not_two_bodies_and_a_list_of_three_is_not_two():
    body = ("SEOUL, Korea – Minister Park Ji-won and Ambassador Lee Soo-ah signed a memorandum of "
            "understanding on trade. Japan, China and Vietnam sent observers.")
    [agreement] = agreements(body)
    assert agreement.rule != "neighbour"
    assert len(agreement.parties) < 2


@pytest.mark.parametrize("text, signers", [
    ("At the summit, Commissioner for Energy Ana Lindqvist and Paraguay’s Minister Rubén Ortiz signed an MOU.", 2),
    ("The MOU between the two departments was announced today.", 2),
    ("Both governments signed the agreement in Seoul.", 2),
    ("Samsung and SK hynix signed an MOU.", 0),  # named: nothing to look for around it
    ("Minister Park signed an MOU with Hyundai.", 0),  # one person: the other side is named
    ("Both sides discussed how to sign an MOU next year.", 0),  # not who signed
    ("Minister Yun and Minister Suh signed an MOU between their two Ministries on July 30.", 2),
    ("The MOU, signed by Deputy Secretary Poneman and Deputy Secretary of Defense William Lynn, covers grids.", 2),
    ("The MOU, signed by Samsung and SK hynix, covers chips.", 0),
    ("The MOU, signed by Deputy Secretary Poneman and U.S. Deputy Secretary of Defense William Lynn. It covers "
     "grids.", 2),  # "U.S." ends no sentence
])
def test_signers_named_only_by_title_or_as_the_two_sides_are_counted(text, signers):
    assert unnamed_signers(text) == signers


def test_an_abbreviation_the_article_uses_without_defining_it_is_the_name_it_spells():
    body = ("Unification Minister Kim Yeon Chul held a video conference with Executive Director of the World "
            "Food Programme David Beasley on June 3. Minister Kim and WFP Executive Director Beasley signed an "
            "MOU on stepping up cooperation between the Ministry of Unification and the WFP.")
    found = extract("Test", body, "2020-06-03")
    assert ("World Food Programme", "WFP") in found.aliases
    # the party as the sentence writes it; the store files it under the name the alias spells
    assert any(parties(a) == keys("Ministry of Unification", "WFP") for a in found.agreements)


def test_an_abbreviation_the_article_defines_is_not_guessed_again():
    body = "The Ministry of Oceans and Fisheries (MOF) and the Maritime Fund signed an MOU. MOF said so."
    aliases = extract("Test", body, "2024-01-03").aliases
    assert aliases.count(("Ministry of Oceans and Fisheries", "MOF")) == 1


def test_officials_who_sign_for_departments_named_in_the_sentence_before_give_those_departments():
    body = ("On July 27, Deputy Secretary of Energy Dan Pine announced a Memorandum of Understanding (MOU) "
            "between the U.S. Department of Energy and the U.S. Department of Defense to advance clean energy. "
            "The MOU, signed by Deputy Secretary Pine and U.S. Deputy Secretary of Defense Will Lane, covers "
            "energy efficiency.")
    found = agreements(body)
    assert all(parties(a) == keys("U.S. Department of Energy", "U.S. Department of Defense") for a in found)


def test_the_signing_announced_as_a_noun_is_signed_by_the_bodies_of_the_officials_after_by():
    # a minister the release introduced with his ministry signs for it; a secretary "for the
    # Department of …" signs for the department; the headline's pair of countries names the
    # agreement, not its signers
    body = ("ROK-UK Digital Partnership signed\n\n"
            "The Ministry of Science and ICT (Minister Han Min-su, hereinafter \"MSIT\") announced the signing of "
            "(1) Republic of Korea-United Kingdom Digital Partnership and (2) a new MoU on space cooperation on "
            "November 22nd (Wed.) by Minister Han Min-su and the United Kingdom Secretary of State Clara Dunmore "
            "for the Department of Science, Innovation and Technology on the occasion of a state visit.")
    [agreement] = agreements(body)
    assert agreement.status == "signed"
    assert agreement.rule == "signing-of"
    assert parties(agreement) == keys("Ministry of Science and ICT",
                                      "Department of Science, Innovation and Technology")
    assert "Digital Partnership" in agreement.topic and "space cooperation" in agreement.topic


def test_a_country_pair_stays_the_parties_when_no_sentence_names_the_signers():
    body = ("The U.S.-Malaysia Memorandum of Cooperation on semiconductor supply chains was signed in "
            "Kuala Lumpur on Monday.")
    [agreement] = agreements(body)
    assert agreement.rule == "pair-named"
    assert [p.as_written for p in agreement.parties] == ["U.S.", "Malaysia"]


def test_a_headline_pair_is_not_folded_into_another_agreement_of_other_sides():
    body = ("Korea-Japan Chip Pact signed\n\n"
            "Separately, Hanwha Ocean signed an MOU with Posco on steel supply on Tuesday.")
    found = agreements(body)
    assert sorted(parties(a) for a in found) == sorted([keys("Korea", "Japan"), keys("Hanwha Ocean", "Posco")])


@pytest.mark.parametrize(("body", "expected"), [
    ("The MoU was reached between the State Government and Harbour Airports (Sydney) Pty Ltd.",
     ["State Government", "Harbour Airports (Sydney) Pty Ltd"]),
    ("An MOU was concluded between the Japan Energy Agency (JEA) and PT Pelita (Persero) (PELITA).",
     ["Japan Energy Agency", "PT Pelita (Persero)"]),
])
def test_a_bracket_that_is_part_of_a_registered_name_stays_in_it(body, expected):
    [agreement] = agreements(body)
    assert parties(agreement) == keys(*expected)


def test_a_headline_mou_named_without_parties_is_the_mou_whose_sides_the_body_names():
    body = ("Vice Minister Oh attends MOU signing ceremony for domestic production of automotive chips\n\n"
            "Vice Minister Oh Dae-ho attended a signing ceremony for the memorandum of understanding (MOU) "
            "between the Korea Robot Industry Association and the Korea Display Industry Association on March 17.")
    [agreement] = agreements(body)
    assert parties(agreement) == keys("Korea Robot Industry Association", "Korea Display Industry Association")
    assert len(agreement.mentions) == 2


@pytest.mark.parametrize("body", [
    "The Korea Energy Agency and the Federation of Middle Market Enterprises in Korea signed an MOU.",
    "The Korea Energy Agency signed an MOU with the Federation of Middle Market Enterprises in Korea on Monday.",
])
def test_a_federation_of_a_field_in_its_country_keeps_the_country_in_its_name(body):
    [agreement] = agreements(body)
    assert parties(agreement) == keys("Korea Energy Agency", "Federation of Middle Market Enterprises in Korea")


def test_a_company_in_a_country_is_still_the_company():
    [agreement] = agreements("Samsung Electronics signed an MOU with Posco in Korea on Monday.")
    assert parties(agreement) == keys("Samsung Electronics", "Posco")


def test_a_long_opening_as_a_follow_up_is_not_the_subject_of_a_seven_party_signing():
    body = ("As a direct follow up to the G20 Summit in New Delhi and its commitment to the Partnership for "
            "Global Infrastructure and Investment (PGII), the EU – represented by Commissioner Anna Berg –, "
            "the United States of America, the Republic of Zambia, the Republic of Angola, the African "
            "Development Bank and the Africa Finance Corporation signed today a Memorandum of Understanding "
            "to support the development of the corridor.")
    [agreement] = agreements(body)
    assert parties(agreement) == keys("EU", "United States of America", "Republic of Zambia", "Republic of Angola",
                                      "African Development Bank", "Africa Finance Corporation")


def test_a_many_party_mou_sharing_two_signatories_with_another_agreement_is_another_agreement():
    body = ("The EU signed a strategic partnership with Ruritania and Elbonia on raw materials. "
            "The EU, Ruritania, the Republic of Angola, the African Development Bank and the Africa Finance "
            "Corporation signed a Memorandum of Understanding on the corridor.")
    found = agreements(body)
    assert sorted(len(a.parties) for a in found) == [3, 5]


def test_an_amount_with_a_decimal_point_before_the_agreement_noun_is_one_phrase():
    [agreement] = agreements("The European Investment Bank (EIB) has signed a EUR 7.5m agreement with Orbis Ltd for its research.")
    assert parties(agreement) == keys("European Investment Bank", "Orbis")


@pytest.mark.parametrize(("body", "expected"), [
    ("The EIB has signed a EUR 8m agreement with the Spanish automotive supplier Velar S. Coop. for research.",
     ["EIB", "Velar S. Coop"]),
    ("The EIB has signed four EUR 70 million loans with the Portuguese banks Banco Alto, Caixa Rio and Banco Norte "
     "in order to foster employment.", ["EIB", "Banco Alto", "Caixa Rio", "Banco Norte"]),
])
def test_a_description_written_before_a_name_leaves_the_name(body, expected):
    found = agreements(body)  # four loans with three banks: one with each
    assert [parties(a) for a in found] == [keys(expected[0], name) for name in expected[1:]]


def test_the_name_after_a_title_of_a_body_is_the_person_and_a_titled_signer_before_is_kept():
    body = ("EIB Vice-President Ana Costa and the Chairman of the Valencia Port Authority, Jordi Pons, signed "
            "the finance contract in Valencia today.")
    [agreement] = agreements(body)
    assert parties(agreement) == keys("EIB", "Valencia Port Authority")


def test_a_country_before_a_defined_body_is_part_of_its_name():
    from ingest.extract.orgs import alias_definitions
    assert alias_definitions("The U.S. Department of Energy (DOE) and the Ministry of Energy (MOE) met.") == [
        ("U.S. Department of Energy", "DOE"), ("Ministry of Energy", "MOE")]


def test_a_regional_government_signs_as_the_government_not_the_region():
    [agreement] = agreements("The European Investment Bank (EIB) has signed a €87 million loan with the regional "
                             "government of Castilla y León to co-finance investments in the region.")
    assert parties(agreement) == keys("European Investment Bank", "regional government of Castilla y León")


def test_officials_the_parse_finds_as_signers_sign_for_their_bodies_never_as_people():
    body = ("In the presence of the Commission's President, Ursula von der Leyen and New Zealand's Prime Minister, "
            "Chris Hipkins, Director-General of the Commission's department for Research, Marc Lemaître signed "
            "the agreement with New Zealand's Ambassador to the EU, Carl Reaich.")
    found = agreements(body)
    names = {name_key(p.name) for a in found for p in a.parties}
    assert not names & set(keys("Ursula von der Leyen", "Leyen", "Marc Lemaître", "Carl Reaich", "Chris Hipkins"))
    assert name_key("New Zealand") in names


def test_an_mou_to_work_with_a_body_is_signed_with_that_body():
    [agreement] = agreements("NNSA announces that it has signed a Memorandum of Understanding (MOU) to work with the "
                             "Republic of Latvia to prevent the trafficking of nuclear materials.")
    assert parties(agreement) == keys("NNSA", "Republic of Latvia")


def test_a_dateline_with_a_country_in_capitals_is_no_party():
    found = agreements("SEOUL, SOUTH KOREA —- Korea Eximbank and the Nordic Fund this week signed a Memorandum of "
                       "Understanding on co-financing.")
    assert [parties(a) for a in found] == [keys("Korea Eximbank", "Nordic Fund")]


def test_a_chief_named_by_surname_of_a_body_signs_for_the_body():
    body = ("On October 17, Chief Kim of Korea Forest Service and Chief Orlov of the Federal Forest Agency of the "
            "Russian Federation signed the MOU on Cooperation in Forestry.")
    [agreement] = agreements(body)
    assert parties(agreement) == keys("Korea Forest Service", "Federal Forest Agency of the Russian Federation")


def test_a_country_is_one_entity_under_its_long_name():
    from ingest.extract.names import BUILTIN_ENTITIES
    assert "Russian Federation" in BUILTIN_ENTITIES["Russia"][1]


def test_negotiations_for_an_agreement_between_two_sides_are_talks():
    [agreement] = agreements("Round nine of negotiations for a free trade agreement between the United Kingdom and "
                             "the Republic of Chile.")
    assert agreement.status == "talks"


@pytest.mark.parametrize("body", [
    "In order to strengthen the cooperation between both countries, Secretary of State Anne Blake and South Korean "
    "Foreign Minister Park Min signed an amended version of the U.S.-Republic of Korea Science and Technology Agreement.",
    "Yesterday, Secretary Reyes and Malaysia's Senior Minister for International Trade and Industry, Ahmad Rafi "
    "met and signed the U.S.-Malaysia Memorandum of Cooperation on Semiconductor Supply Chain Resilience.",
])
def test_ministers_who_sign_an_agreement_named_by_two_countries_sign_for_those_countries(body):
    [agreement] = agreements(body)
    assert agreement.status == "signed"
    canon = builtin_index().canon
    sides = {canon.get(name_key(p.name), name_key(p.name)) for p in agreement.parties}
    assert sides in ({canon[name_key("U.S.")], canon[name_key("Republic of Korea")]},
                     {canon[name_key("U.S.")], name_key("Malaysia")})


def test_two_bodies_that_announce_today_that_they_have_finalized_a_loan_signed_it():
    [agreement] = agreements("The EIB and Ferro Motors (“FM”) announced today that they have finalized a EUR 250 "
                             "million loan for research and development projects implemented by FM.")
    assert agreement.status == "signed"
    assert parties(agreement) == keys("EIB", "Ferro Motors")


def test_an_agreement_signed_between_two_bodies_is_signed_whatever_the_sentence_plans_around_it():
    [agreement] = agreements("Access to finance for Finnish SMEs is set to receive a boost through a guarantee "
                             "agreement signed between the EIF and Aurora Corporate Lending fund on 29 March.")
    assert agreement.status == "signed"
    assert [p.as_written for p in agreement.parties] == ["the EIF", "Aurora Corporate Lending fund"]


@pytest.mark.parametrize(("body", "expected"), [
    ("The UK and Polish Foreign and Defence secretaries signed the 2030 Strategic Partnership at Lancaster House.",
     ["UK", "Poland"]),
    ("The Japanese and Canadian ministers signed a memorandum of cooperation on batteries.", ["Japan", "Canada"]),
])
def test_two_countries_officials_named_by_their_countries_sign_for_the_countries(body, expected):
    [agreement] = agreements(body)
    assert parties(agreement) == keys(*expected)


def test_a_name_in_a_language_that_writes_lower_case_words_is_kept_whole():
    body = ("Meanwhile, on 10 May the European Investment Fund (EIF) and Slovenská sporiteľná banka (SSB), signed "
            "a guarantee agreement that will allow SSB to provide EUR 50 million of loans.")
    [agreement] = agreements(body)
    assert [p.name for p in agreement.parties] == ["European Investment Fund", "Slovenská sporiteľná banka"]


def test_memoranda_signed_to_provide_each_company_a_sum_are_one_with_each_company():
    body = ("Today, the U.S. Department of Commerce signed two separate preliminary memoranda of terms (PMT) under "
            "the CHIPS and Science Act to provide Orbis Glass up to $32 million in proposed direct funding and Vela "
            "Power up to $3 million in proposed direct funding.")
    found = agreements(body)
    assert sorted(parties(a) for a in found) == sorted([keys("U.S. Department of Commerce", "Orbis Glass"),
                                                        keys("U.S. Department of Commerce", "Vela Power")])


@pytest.mark.parametrize(("body", "expected"), [
    ("The European Investment Bank (EIB) has signed a EUR 350 million multi-currency loan in support of Orbis "
     "Semiconductors (OS) for research programmes.", ["European Investment Bank", "Orbis Semiconductors"]),
    ("The EIB and the Polish Ministry of Finance sign €600 million agreement to reinforce economic development.",
     ["EIB", "Polish Ministry of Finance"]),
])
def test_a_loan_signed_in_support_of_a_company_and_a_sum_in_euros_before_the_noun(body, expected):
    [agreement] = agreements(body)
    assert parties(agreement) == keys(*expected)


def test_a_line_that_goes_on_in_lower_case_continues_the_sentence():
    from ingest.extract.sentences import split_sentences
    body = "The EIB and Orbis have signed a €500 million\nfinancing agreement to boost chips.\nA second line."
    assert [s.text for s in split_sentences(body)] == [
        "The EIB and Orbis have signed a €500 million\nfinancing agreement to boost chips.", "A second line."]


@pytest.mark.parametrize(("body", "person"), [
    ("Executive Vice-President of the European Commission, Anton Berg, signed the MoU with the Minister of Mining "
     "and Energy of the Republic of Serbia, Dubravka Đedovič.", "Dubravka Đedovič"),
    ("Sanae Tanaka, Minister for Internal Affairs and Communications, and Rodolfo Cruz, Secretary for Information "
     "and Communications Technology of the Government of the Philippines, signed today a memorandum of "
     "cooperation in the field of ICT.", "Sanae Tanaka"),
])
def test_a_minister_named_after_or_before_a_title_of_no_body_is_never_a_party(body, person):
    found = agreements(body)
    names = {name_key(p.name) for a in found for p in a.parties}
    assert name_key(person) not in names
    assert names & set(keys("Republic of Serbia", "Government of the Philippines"))
