"""Agreements and their parties, in the ways news writes them (short sentences of our own)."""

import pytest

from ingest.extract import extract
from ingest.extract.names import name_key


def agreements(body, published="2024-09-11"):
    return extract("Test", body, published).agreements


def parties(agreement):
    return [name_key(p.name) for p in agreement.parties]


def keys(*names):
    return [name_key(n) for n in names]


@pytest.mark.parametrize(
    "body, expected",
    [
        ("Signatories to the agreement included Alpha Corp., Beta Systems, Gamma Labs, and Delta Energy.",
         ["Alpha", "Beta Systems", "Gamma Labs", "Delta Energy"]),
        ("Orion Motors signed an MOU with Vega Battery and Lyra Materials on solid-state cells.",
         ["Orion Motors", "Vega Battery", "Lyra Materials"]),
        ("Orion Motors and Vega Battery signed a memorandum of understanding on Tuesday.",
         ["Orion Motors", "Vega Battery"]),
        ("The pact was signed by Orion Motors, Vega Battery as well as Lyra Materials.",
         ["Orion Motors", "Vega Battery", "Lyra Materials"]),
        ("Orion Motors inked a deal with Vega Battery to buy cells until 2030.",
         ["Orion Motors", "Vega Battery"]),
        ("The chip plant will be run by a consortium of Orion Motors, Vega Battery and Lyra Materials.",
         ["Orion Motors", "Vega Battery", "Lyra Materials"]),
        ("Vega Battery said it had signed a supply contract with Orion Motors.",
         ["Vega Battery", "Orion Motors"]),
        ("On Monday, Samsung Electronics Co. and LG Chem Ltd. signed a partnership agreement on battery materials.",
         ["Samsung Electronics", "LG Chem"]),
        ("Korean battery maker LG Energy Solution formed a joint venture with U.S. automaker General Motors.",
         ["LG Energy Solution", "General Motors"]),
        ("Orion Motors partnered with Seoul-based Vega Battery to develop cells.",
         ["Orion Motors", "Vega Battery"]),
        ("A joint venture between Orion Motors and Vega Battery will build the plant.",
         ["Orion Motors", "Vega Battery"]),
        ("The Korea Institute for Advancement of Technology signed an agreement with Vega Battery.",
         ["Korea Institute for Advancement of Technology", "Vega Battery"]),
        ("The Ministry of Science and ICT signed an MOU with Naver and Kakao on AI chips.",
         ["Ministry of Science and ICT", "Naver", "Kakao"]),
    ],
)
def test_parties_in_each_phrasing(body, expected):
    found = agreements(body)
    assert len(found) == 1, found
    assert parties(found[0]) == keys(*expected)
    assert found[0].status == "signed"


def test_parties_named_across_two_sentences_are_one_agreement():
    body = ("The ministry of trade held a ceremony in Sejong. The Ministry of Trade, Industry and Energy "
            "(MOTIE) signed an MOU with Vega Battery on recycling. The agreement was also signed by "
            "Lyra Materials and Orion Motors.")
    found = agreements(body)
    assert len(found) == 1
    assert parties(found[0]) == keys("Ministry of Trade, Industry and Energy", "Vega Battery",
                                     "Lyra Materials", "Orion Motors")
    assert found[0].kind == "MOU"


def test_the_ministry_refers_back_to_the_named_ministry():
    body = ("The Ministry of Land, Infrastructure and Transport unveiled a plan on Monday. "
            "The ministry signed an MOU with Orion Motors on autonomous buses.")
    found = agreements(body)
    assert parties(found[0]) == keys("Ministry of Land, Infrastructure and Transport", "Orion Motors")


def test_several_agreements_in_one_article_stay_apart():
    body = ("Orion Motors signed an MOU with Vega Battery on cell supply. "
            "Separately, Lyra Materials inked a deal with Altair Chemicals for cathode powder. "
            "Analysts welcomed both moves.")
    found = agreements(body)
    assert [parties(a) for a in found] == [keys("Orion Motors", "Vega Battery"),
                                           keys("Lyra Materials", "Altair Chemicals")]


def test_witnesses_attendees_agencies_and_places_are_not_parties():
    body = ("Orion Motors signed an MOU with Vega Battery in Seoul on Aug. 29, in the presence of "
            "officials from the Ministry of Science and ICT, Yonhap News Agency reported. "
            "The ceremony was attended by Lyra Materials and Altair Chemicals.")
    found = agreements(body)
    assert len(found) == 1
    assert parties(found[0]) == keys("Orion Motors", "Vega Battery")
    assert found[0].place == "Seoul"
    assert found[0].date_text == "Aug. 29" and found[0].date == "2024-08-29"


def test_companies_only_mentioned_are_not_parties():
    body = ("Samsung Electronics and SK hynix reported record memory sales. "
            "Analysts at Orion Securities expect demand to grow.")
    assert agreements(body) == []


@pytest.mark.parametrize("phrase", ["are expected to sign", "plan to sign", "will sign", "are in talks to sign"])
def test_expected_or_planned_agreements_are_stored_as_planned(phrase):
    found = agreements(f"Orion Motors and Vega Battery {phrase} a battery supply deal next month.")
    assert len(found) == 1
    assert found[0].status == "planned"
    assert parties(found[0]) == keys("Orion Motors", "Vega Battery")


def test_examples_after_such_as_give_way_to_the_signatory_list():
    body = ("The government has formed a partnership with chip makers, such as Orion Chips and Vega Semi, "
            "to develop packaging. Signatories to the agreement included the Ministry of Science and ICT, "
            "Orion Chips and Lyra Packaging.")
    found = agreements(body)
    assert len(found) == 1
    assert parties(found[0]) == keys("Ministry of Science and ICT", "Orion Chips", "Lyra Packaging")


def test_date_place_and_topic_are_kept():
    body = ("Officials posed for a photo after signing an agreement on cooperation for advanced "
            "packaging technology at Eltower in downtown Seoul on Aug. 29.")
    found = agreements(body, published=None)
    assert found[0].place == "Eltower, Seoul"
    assert found[0].date_text == "Aug. 29" and found[0].date is None
    assert "advanced packaging technology" in found[0].topic


def test_evidence_offsets_point_into_the_body():
    body = "Markets rose.\n\nOrion Motors signed an MOU with Vega Battery on recycling. Shares rose."
    (found,) = agreements(body)
    assert body[found.evidence.start:found.evidence.end] == found.evidence.text
    assert found.evidence.text.startswith("Orion Motors signed")


@pytest.mark.parametrize(
    "body, expected",
    [
        # asides in brackets and a description between the names are not parties
        ("Vega Battery (VB), the cell unit of Korea's Orion Group [000123:KS], and carmaker Lyra Motors "
         "N.V. [LYR:US] signed an MOU on a cell plant.", ["Vega Battery", "Lyra Motors N.V."]),
        # a legal suffix after a comma stays with its name; a dateline is not a party
        ("OSAKA, May 3, 2021 - Orion Holdings Co., Ltd., Vega Bank, Ltd. and Lyra Trust Corporation have "
         "signed an MOU to set up a fund.", ["Orion Holdings", "Vega Bank", "Lyra Trust Corporation"]),
        # people sign on behalf of organisations: the organisations are the parties
        ("The MOU was signed by Jane Roe, CEO of Vega Systems, and John Doe, president and CEO of Orion "
         "Motors, at the forum.", ["Vega Systems", "Orion Motors"]),
        # passive with the place between the verb and "between"
        ("A memorandum of understanding has been signed in Busan between the Orion Alliance and Vega "
         "Europe.", ["Orion Alliance", "Vega Europe"]),
        ("A further MoU, for a bottling plant, was signed between Orion Beverages, Vega Farms and the "
         "State Agriculture and Marketing department.",
         ["Orion Beverages", "Vega Farms", "State Agriculture and Marketing department"]),
        # a consortium whose members have "and" and "&" in their names
        ("A consortium of Orion Power Corp. (OPC), Vega Engineering and Construction, Lyra C&T Corp. and "
         "Nova Heavy Industries & Construction won a contract for two reactors.",
         ["Orion Power Corp.", "Vega Engineering and Construction", "Lyra C&T Corp.",
          "Nova Heavy Industries & Construction"]),
        # "X, a subsidiary of Y, said it had signed": Y owns the signatory and is not a party
        ("Vega Recycling, a subsidiary of Orion Group, said on the 12th that it had signed an MOU with "
         "Lyra Motors.", ["Vega Recycling", "Lyra Motors"]),
    ],
)
def test_parties_in_harder_phrasings(body, expected):
    found = agreements(body)
    assert len(found) == 1, found
    assert parties(found[0]) == keys(*expected)


@pytest.mark.parametrize(
    "body, expected",
    [
        # "which …" and "a …" descriptions inside a list
        ("Orion Motors signed two agreements with two Greek companies, Vega Systems, which makes radars, "
         "and Lyra Drones, a drone specialist, at the embassy.", ["Vega Systems", "Lyra Drones"]),
        # a home country after "of" is not part of the name; "Japan's" before it neither
        ("Orion Motors signed supply deals with Vega Lithium of Chile and with Japan's Lyra Metals.",
         ["Vega Lithium", "Lyra Metals"]),
    ],
)
def test_agreements_in_the_plural_with_several_partners_are_one_with_each(body, expected):
    found = agreements(body)
    assert [parties(g) for g in found] == [keys("Orion Motors", name) for name in expected]


def test_the_two_companies_are_the_pair_named_before():
    body = ("Orion Motors Ltd. (OM) and Japan's Vega Battery Co. will build a plant in Ohio. "
            "The two companies signed a binding agreement on a joint venture on Monday.")
    (found,) = [a for a in agreements(body) if a.parties]
    assert parties(found) == keys("Orion Motors", "Vega Battery")


def test_it_refers_to_the_subject_of_the_sentence_before():
    body = ("Last May, Orion Motors and Vega Chem bought a stake in Lyra Recycling, Europe's largest "
            "recycler. It has also signed lithium supply deals with Nova Mining.")
    found = agreements(body)
    assert parties(found[-1]) == keys("Orion Motors", "Nova Mining")


def test_gapped_clauses_are_one_agreement_each():
    body = ("Kerala signed four MoUs with companies from Japan. Of the remaining three, the Department of "
            "Water & Power signed with Orion Pumps on irrigation; the Department of Labor and Skills with "
            "Vega Training on apprenticeships; and Kerala's Lyra Foods with Nova Nutrition on food processing.")
    found = agreements(body)
    pairs = [parties(a) for a in found]
    assert keys("Department of Water & Power", "Orion Pumps") in pairs
    assert keys("Department of Labor and Skills", "Vega Training") in pairs
    assert keys("Lyra Foods", "Nova Nutrition") in pairs
    (umbrella,) = [a for a in found if a.umbrella]
    assert parties(umbrella) == keys("Kerala")


def test_a_signatory_list_one_a_line_after_a_colon():
    body = ("The Kerala government signed memoranda of understanding with 4 investors on Monday.\n\n"
            "The companies that signed MoUs with the government included:\nOrion Motors Pvt Ltd - $5 million\n"
            "Vega Systems\nJ.K. Forgings - $2 million")
    (found,) = agreements(body)
    assert sorted(parties(found)) == sorted(keys("Kerala government", "Orion Motors", "Vega Systems", "J.K. Forgings"))


def test_a_losing_consortium_is_not_an_agreement():
    body = ("A consortium of Orion Power and Vega Build won the contract on Sunday. The group beat a rival "
            "consortium of Lyra Energy and Nova Works.")
    (found,) = agreements(body)
    assert parties(found) == keys("Orion Power", "Vega Build")


@pytest.mark.parametrize("body, written, iso", [
    ("Orion Motors signed a supply deal with Vega Battery in February 2024.", "February 2024", "2024-02"),
    ("Orion Motors signed a supply deal with Vega Battery on 29 August 2024.", "29 August 2024", "2024-08-29"),
    ("Orion Motors signed a supply deal with Vega Battery on Aug. 29.", "Aug. 29", "2024-08-29"),
])
def test_agreement_dates_as_precise_as_written(body, written, iso):
    # "February 2024" is a month, never February 20
    (found,) = agreements(body)
    assert (found.date_text, found.date) == (written, iso)


# Phrasings of published releases (sentences of our own in their forms).
@pytest.mark.parametrize(
    "body, expected",
    [
        # "of Commerce and X": the department is one party, X the other
        ("The U.S. Department of Commerce and Orion Chips have signed a non-binding preliminary "
         "memorandum of terms to provide up to $400 million.", ["U.S. Department of Commerce", "Orion Chips"]),
        # a capitalised agreement noun
        ("Orion Holdings signed a Loan Agreement with the Ministry of Economy on Monday.",
         ["Orion Holdings", "Ministry of Economy"]),
        # a ceremony "among" the signatories
        ("The minister proceeded with the MOU signing ceremony for “Hydrogen City” among Orion City, Vega "
         "Energy, and Lyra Motors.", ["Orion City", "Vega Energy", "Lyra Motors"]),
        # people sign an agreement between the bodies they sign for
        ("Under Secretary Jane Roe and Deputy Administrator John Doe signed a joint statement on "
         "collaboration between the Orion Administration and the Vega Agency.",
         ["Orion Administration", "Vega Agency"]),
        # the other parties named before the subject
        ("With eight countries, including Ghana, Malawi and Zimbabwe, the Orion Ministry signed the Trade "
         "Promotion Framework.", ["Orion Ministry", "Ghana", "Malawi", "Zimbabwe"]),
    ],
)
def test_parties_in_the_phrasings_of_published_releases(body, expected):
    found = agreements(body)
    assert len(found) == 1, found
    assert parties(found[0]) == keys(*expected)
    assert found[0].status == "signed"


def test_bilateral_mous_with_two_partners_are_two_agreements():
    found = agreements("Also, with Tanzania and Madagascar, the Orion Ministry entered bilateral MOUs on "
                       "critical minerals.")
    assert sorted(parties(a) for a in found) == sorted([keys("Orion Ministry", "Madagascar"),
                                                        keys("Orion Ministry", "Tanzania")])


def test_negotiations_for_an_agreement_are_talks_not_a_signing():
    (found,) = agreements("First, with Tanzania, the Orion Ministry declared the launching of negotiations "
                          "for the bilateral Economic Partnership Agreement.")
    assert found.status == "talks" and parties(found) == keys("Orion Ministry", "Tanzania")


@pytest.mark.parametrize("body", [
    "Today the UK and South Korea have launched negotiations on a modernised Free Trade Agreement, building on "
    "our trade relationship.",
    "The UK and South Korea formally began talks on a new trade agreement in London.",
])
def test_talks_launched_on_an_agreement_are_talks_with_the_sides_that_launched_them(body):
    (found,) = agreements(body)
    assert found.status == "talks" and parties(found) == keys("UK", "South Korea")


def test_an_agreement_signed_after_talks_on_it_is_signed():
    (found,) = agreements("The UK and South Korea signed the agreement after two years of negotiations on a "
                          "free trade agreement.")
    assert found.status == "signed" and parties(found) == keys("UK", "South Korea")


def test_another_mou_in_the_next_sentence_is_another_agreement():
    found = agreements("An MOU was signed among Orion City, Vega Energy and Lyra Motors for the hydrogen bus "
                       "plan. Another MOU was signed among Orion City, Vega Energy and Nova Power for "
                       "hydrogen investment.")
    assert [parties(a) for a in found] == [keys("Orion City", "Vega Energy", "Lyra Motors"),
                                          keys("Orion City", "Vega Energy", "Nova Power")]


def test_an_expected_signing_is_not_merged_with_an_old_one():
    found = agreements("Panama and Austria will sign the Artemis Accords on Wednesday. Following the signing "
                       "ceremonies, the administrator will speak. The United States and seven other nations "
                       "established the Artemis Accords in 2020.")
    planned = [a for a in found if a.status == "planned"]
    assert planned and parties(planned[0]) == keys("Panama", "Austria")


def test_a_page_of_fifty_thousand_signings_is_read_in_seconds_from_its_start():
    """Bounded work: the first MAX_SENTENCES sentences that may hold a fact are read, the rest
    noted; mentions are merged in linear time."""
    from ingest.extract import MAX_SENTENCES

    body = "\n\n".join(f"Alpha{i} Corp signed an MOU with Beta{i} Ltd on chips." for i in range(50_000))
    out = extract("Test", body, "2024-09-11")
    assert len(out.agreements) == MAX_SENTENCES
    assert out.notes == [f"facts read from the first {MAX_SENTENCES:,} of 50,000 sentences that may hold one"]
    assert [p.name for p in out.agreements[-1].parties] == [f"Alpha{MAX_SENTENCES - 1} Corp", f"Beta{MAX_SENTENCES - 1} Ltd"]


def test_junk_the_reader_cannot_read_gives_no_facts_and_no_error():
    import random

    rng = random.Random(7)
    junk = "".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(200_000))
    assert extract("Test", junk, "2024-09-11").agreements == []
    assert extract("Test", "A" * 5_000_000, "2024-09-11").agreements == []


def test_a_terminated_agreement_is_stored_as_terminated():
    (found,) = agreements("Orion Motors terminated its battery supply agreement with Vega Battery on Friday.")
    assert found.status == "terminated" and parties(found) == keys("Orion Motors", "Vega Battery")


@pytest.mark.parametrize("body", [
    "Orion Motors and Vega Battery agreed to sign a supply agreement by the end of the year.",
    "Orion Motors and Vega Battery decided to sign an MOU on cell recycling.",
    "An MOU on cell recycling is to be signed by Orion Motors and Vega Battery next week.",
])
def test_agreeing_or_deciding_to_sign_is_not_signing(body):
    (found,) = agreements(body)
    assert found.status == "planned"


def test_a_statement_issued_is_not_signed():
    (found,) = agreements("The members of the steel forum adopted a joint ministerial statement on excess "
                          "capacity on Monday.")
    assert found.status == "issued" and found.kind == "joint statement"


def test_people_with_titles_sign_for_the_bodies_their_titles_name():
    found = agreements("Mr. Taro Yamada, Ambassador of Japan to Indonesia, and Mr. Budi Santoso, Director "
                       "General of Asian Affairs, Ministry of Foreign Affairs of the Republic of Indonesia, "
                       "signed and exchanged notes concerning two yen loans.")
    assert [a.kind for a in found] == ["exchange of notes"]
    assert parties(found[0]) == keys("Japan", "Republic of Indonesia")


def test_the_parties_a_signed_agreement_is_named_after():
    (found,) = agreements("Secretary Jane Roe and Malaysia's Senior Minister John Doe met and signed the "
                          "U.S.-Malaysia Memorandum of Cooperation on chip supply chains.")
    assert found.rule == "pair-named" and parties(found) == keys("U.S.", "Malaysia")
    assert agreements("The U.S.-Japan Alliance evolves into a global partnership.") == []


def test_the_subject_of_signing_by_a_gerund():
    (found,) = agreements("The UK marks a milestone in trade with the US by signing its first state-level "
                          "Memorandum of Understanding with Indiana.")
    assert parties(found) == keys("UK", "Indiana")


@pytest.mark.parametrize("body, expected", [
    # signers with titles: the bodies their titles name
    ("Mr. Taro Sato, Minister for Foreign Affairs of Japan, and Mr. Ivan Petrenko, Ambassador Extraordinary "
     "and Plenipotentiary of Ukraine, signed and exchanged notes for a grant of equipment.", ["Japan", "Ukraine"]),
    ("The Memorandum was signed on 13 July by Jan Novak, Vice-President for Foresight, on behalf of the "
     "European Union, and Ivan Petrenko, Prime Minister of Ukraine.", ["European Union", "Ukraine"]),
    # a headline written in capitals
    ("MOU Signed Between the Ministry of Foreign Affairs and the Orion Governors Association",
     ["Ministry of Foreign Affairs", "Orion Governors Association"]),
    # a country's long name holds "and"; a signer's title after "with" ends the list
    ("On behalf of Australia, I signed the Free Trade Agreement between Australia and the United Kingdom of "
     "Great Britain and Northern Ireland with the Rt Hon. Jane Roe MP.",
     ["Australia", "United Kingdom of Great Britain and Northern Ireland"]),
])
def test_signers_for_governments_and_headline_forms(body, expected):
    found = [a for a in agreements(body) if a.parties]
    assert found and parties(found[0]) == keys(*expected)


def test_a_partnership_between_two_sides_is_no_signing_without_a_verb():
    assert agreements("The strategic partnership between the EU and Japan continues to grow.") == []


def test_talks_on_a_deal_are_talks():
    (found,) = agreements("The UK and South Korea will launch talks on a modernised trade deal on Wednesday.")
    assert found.status in ("talks", "planned")


def test_a_country_signs_under_any_of_its_names():
    from ingest.extract.names import BUILTIN_ENTITIES

    assert {"Government of Japan", "Republic of Japan", "Japanese government"} <= set(BUILTIN_ENTITIES["Japan"][1])
    (found,) = agreements("The Government of Japan and the Government of Denmark signed an agreement on offshore wind.")
    assert parties(found) == keys("Government of Japan", "Government of Denmark")


def test_a_signed_loan_is_an_agreement_between_the_lender_and_the_borrower():
    body = ("The European Investment Bank (EIB) signed a EUR 60 million loan on 14 March with dairy "
            "cooperative Arla, for a new plant in Denmark.")
    [agreement] = agreements(body, "2017-03-20")
    assert agreement.kind == "loan agreement" and agreement.status == "signed"
    assert parties(agreement) == keys("European Investment Bank", "Arla")
    assert [p.as_written for p in agreement.parties][1] == "Arla"  # not "dairy cooperative Arla"


def test_a_loan_provided_is_an_amount_not_a_signing():
    body = "The EIB provides a EUR 60 million loan to Arla for a new plant in Denmark."
    assert agreements(body, "2017-03-20") == []


@pytest.mark.parametrize("body, expected", [
    ("Meanwhile, on 2 March the European Investment Fund and Alpha Bank signed an agreement to support SMEs.",
     ("European Investment Fund", "Alpha Bank")),
    ("The signing of the MOU between the Ministry of Unification and the WFP laid the foundation for "
     "sustainable cooperation.", ("Ministry of Unification", "WFP")),
])
def test_words_swept_up_around_a_name_are_left_out_of_it(body, expected):
    [agreement] = agreements(body)
    assert parties(agreement) == keys(*expected)
    assert not any(" laid" in p.as_written or "March" in p.as_written for p in agreement.parties)


def test_a_headline_lists_the_two_nations_whose_ministers_sign():
    # a list item of the Ministry of Knowledge Economy's English news (2011; KOGL Type 1), as
    # published: the headline, then the headline again run into the item's text
    headline = "Korea, Russia Take Substantial Step Forward With MOU on Industrial Cooperation"
    body = (headline + "\n" + headline + " Russian Minister of Industry and Trade Viktor Khristenko traveled to "
            "Seoul to meet with Minister of Knowledge Economy Choi Joong-Kyung and sign a memorandum of "
            "understanding that will cement the strategic partnership between the two nations.")
    found = extract(headline, body, "2011-05-02").agreements
    assert any(parties(a) == keys("Korea", "Russia") for a in found)
    assert not any("Take" in p.as_written or "Khristenko" in p.as_written for a in found for p in a.parties)


def test_a_party_whose_defined_name_holds_and_is_not_split_in_two():
    body = ("The Australian Hydrogen Council (AHC) and Canadian Hydrogen and Fuel Cell Association (CHFCA) "
            "have signed a Memorandum of Understanding (MOU) to collaborate on hydrogen.")
    [agreement] = agreements(body, "2020-06-01")
    assert parties(agreement) == keys("Australian Hydrogen Council", "Canadian Hydrogen and Fuel Cell Association")


def test_a_joint_statement_nobody_is_said_to_sign_is_issued_not_signed():
    body = ("Joint Statement between U.S. Department of Energy and Japan's Ministry of Economy, Trade and "
            "Industry\n\nThe two ministers met on July 24, 2013, in Washington, D.C.")
    found = agreements(body, "2013-07-24")
    assert found and all(a.status == "issued" for a in found)


def test_a_joint_statement_signed_is_signed():
    body = "The U.S. Department of Energy and METI signed a joint statement on clean energy on July 24, 2013."
    [agreement] = agreements(body, "2013-07-24")
    assert agreement.status == "signed"


def test_an_agreement_between_two_bodies_with_its_abbreviation_in_brackets():
    body = ("At a forum on July 27, Deputy Secretary of Energy Dan Pine announced a Memorandum of Understanding "
            "(MOU) between the U.S. Department of Energy and the U.S. Department of Defense to advance clean "
            "energy.")
    found = agreements(body, "2010-07-27")
    assert any(parties(a) == keys("U.S. Department of Energy", "U.S. Department of Defense") for a in found)


@pytest.mark.parametrize("body, expected", [
    ("On 5 April the EIF and Caixa Geral de Depósitos signed a EUR 25 million agreement in Portugal.",
     ("EIF", "Caixa Geral de Depósitos")),
    ("Finally, on 11 May EIF and Raiffeisen Bank signed a COSME agreement.", ("EIF", "Raiffeisen Bank")),
])
def test_a_date_that_opens_the_sentence_without_a_comma_is_not_part_of_a_party(body, expected):
    [agreement] = agreements(body, "2017-05-20")
    assert parties(agreement) == keys(*expected)


def test_a_headline_that_names_the_signing_gives_the_parties_the_body_does_not():
    body = ("The European Investment Bank (EIB) is extending a €600 million loan to the Republic of Poland.\n\n"
            "\u201cThis agreement is strategically aligned with our objectives,\u201d said the Vice-President.")
    (found,) = extract("The EIB and the Polish Ministry of Finance sign €600 million agreement to reinforce "
                       "economic development in Poland", body, "2024-09-11").agreements
    assert parties(found) == keys("EIB", "Polish Ministry of Finance")
    assert found.status == "signed" and found.evidence.text.startswith("The EIB and the Polish Ministry")
    assert found.evidence.start == found.evidence.end  # read off the headline, not the body


def test_a_headline_gives_way_to_the_body_and_its_short_names_are_the_body_s():
    body = "Toyota Motor Corporation signed a capital alliance agreement with Suzuki Motor Corporation on Wednesday."
    (found,) = extract("Toyota and Suzuki sign capital alliance agreement", body, "2019-08-28").agreements
    assert parties(found) == keys("Toyota Motor Corporation", "Suzuki Motor Corporation")
    assert found.evidence.text.startswith("Toyota Motor Corporation signed")


def test_compacts_with_several_countries_are_one_with_each_and_one_still_to_sign_is_planned():
    found = agreements("The Orion Aid Corporation (OAC) was set up in 2004.\n\nOAC has signed Compacts with "
                       "Madagascar, Honduras, Cape Verde, and Nicaragua and will sign a Compact with Georgia this month.")
    assert [(g.status, parties(g)) for g in found] == [
        ("signed", keys("OAC", "Madagascar")), ("signed", keys("OAC", "Honduras")),
        ("signed", keys("OAC", "Cape Verde")), ("signed", keys("OAC", "Nicaragua")),
        ("planned", keys("OAC", "Georgia"))]


def test_one_of_several_agreements_with_each_takes_no_party_of_a_later_larger_signing():
    found = agreements("Orion Union signs strategic partnerships with Vega and Lyra.\n\nOrion Union, Vega, Lyra, "
                       "Nova Bank and Sirius Fund signed a memorandum of understanding on a rail corridor.")
    assert sorted(parties(g) for g in found) == sorted(
        [keys("Orion Union", "Vega"), keys("Orion Union", "Lyra"),
         keys("Orion Union", "Vega", "Lyra", "Nova Bank", "Sirius Fund")])


def test_a_memorandum_signed_as_part_of_a_compact_is_no_party_of_it():
    (found,) = agreements("Today, the Government of Orion and the Government of Vega signed a Memorandum of "
                          "Understanding.\n\nThe Memorandum of Understanding was signed as part of the Compact of "
                          "Free Association negotiations.")
    assert parties(found) == keys("Government of Orion", "Government of Vega")


def test_a_country_s_minister_named_with_the_fields_of_the_office_signs_for_the_country():
    (found,) = agreements("Vienna, Austria - Energy Secretary Jane Roe and Republic of Korea Science and Technology "
                          "Minister Park Ho-Koon signed a bilateral agreement today on fuel cycle research.")
    assert "austria" not in parties(found) and name_key("Republic of Korea") in parties(found)


def test_a_country_acting_through_its_agency_signs_through_the_agency():
    (found,) = agreements("Maputo, Mozambique —Today, the United States, through the Orion Challenge Corporation "
                          "(OCC), signed a grant agreement with Mozambique.")
    assert parties(found) == keys("Orion Challenge Corporation", "Mozambique")


def test_a_description_of_the_last_party_that_ends_the_sentence_is_no_party():
    (found,) = agreements("The Orion Bank has signed a €480 million loan agreement with Vega Wroclaw Energy, the "
                          "Polish subsidiary of the Vega Group that was established to build a battery plant.")
    assert parties(found) == keys("Orion Bank", "Vega Wroclaw Energy")


def test_each_side_signing_on_behalf_of_its_body_in_two_sentences_is_one_agreement():
    (found,) = agreements("Today, the Orion Trade Agency (OTA) awarded a grant to the Government of Vega (GOV).\n\n"
                          "Mr. Jan Roe, Deputy Chief of Mission at the Orion Embassy in Vega, signed an agreement "
                          "conferring the grant on behalf of the Orion Government. Mr. C. Doe, Secretary of the "
                          "Ministry of Finance, signed on behalf of GOV.")
    assert parties(found) == keys("Orion Government", "GOV")
    assert [m.rule for m in found.mentions] == ["active", "signed-on-behalf"]


def test_an_agreement_signed_in_a_past_year_named_in_passing_has_no_party_from_the_sentence_s_subject():
    found = agreements("The Joint Committee Meeting was established under the bilateral Agreement on Scientific "
                       "and Technical Cooperation, signed in 1989, and the MOU on the Digital Economy, signed in 2019.")
    assert all(name_key("Joint Committee Meeting") not in parties(g) for g in found)


@pytest.mark.parametrize("body, expected", [
    ("Director Jane Roe signed an agreement on behalf of the Department of Trade and Industry with Vega Power.",
     ["Department of Trade and Industry", "Vega Power"]),
    ("Director Jane Roe signed an agreement on behalf of the EU and Korea.", ["EU", "Korea"]),
])
def test_the_body_signed_for_is_read_whole_and_may_be_a_list(body, expected):
    (found,) = agreements(body)
    assert parties(found) == keys(*expected)
