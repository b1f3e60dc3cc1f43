"""Amounts of money as news writes them, and investments with who and what for."""

import pytest

from ingest.extract import extract
from ingest.extract.amounts import parse_money, shown_investor
from ingest.extract.names import named_like


@pytest.mark.parametrize(
    "text, written, value, currency",
    [
        ("a $205 million (274.4 billion won) investment", "$205 million (274.4 billion won)", 205e6, "USD"),
        ("will spend KRW 1 trillion on fabs", "KRW 1 trillion", 1e12, "KRW"),
        ("a 5.1 trillion-won package", "5.1 trillion-won", 5.1e12, "KRW"),
        ("an outlay of Rs 22,900 crore", "Rs 22,900 crore", 22_900e7, "INR"),
        ("a grant of 4.1 billion euros", "4.1 billion euros", 4.1e9, "EUR"),
        ("subsidies of 57 billion yen", "57 billion yen", 57e9, "JPY"),
        ("raised US$1.5 billion", "US$1.5 billion", 1.5e9, "USD"),
        ("a €2bn fund", "€2bn", 2e9, "EUR"),
        ("loans worth 300 million dollars", "300 million dollars", 300e6, "USD"),
        # the comma after a number is the sentence's, not a thousands separator
        ("grants increasing to £7,500, making it generous", "£7,500", 7500, "GBP"),
    ],
)
def test_amount_as_written_value_and_currency(text, written, value, currency):
    (money,) = parse_money(text)
    assert money.text == written
    assert money.value == pytest.approx(value)
    assert money.currency == currency


def test_numbers_that_are_not_money_are_ignored():
    assert parse_money("70 to 90% of revenue, 3 won games, in 2024") == []


def test_investment_names_who_and_what_for():
    body = ("South Korea's trade ministry announced a $205 million (274.4 billion won) investment in "
            "the country's semiconductor packaging industry to keep pace with rivals.")
    (inv,) = extract("t", body, "2024-09-11").investments
    assert inv.money.text == "$205 million (274.4 billion won)"
    assert inv.by == "South Korea's trade ministry"
    assert inv.purpose == "the country's semiconductor packaging industry"


@pytest.mark.parametrize(
    "body, by, purpose",
    [
        ("Orion Motors will invest 4.1 billion euros to build a battery plant in Hungary.",
         "Orion Motors", "build a battery plant in Hungary"),
        ("The government of India approved Rs 22,900 crore for chip packaging units.",
         "government of India", "chip packaging units"),
        ("Vega Battery plans to pour 57 billion yen into a cathode factory, the company said.",
         "Vega Battery", "a cathode factory"),
    ],
)
def test_investor_and_purpose_in_other_phrasings(body, by, purpose):
    (inv,) = extract("t", body, "2024-01-10").investments
    assert inv.by == by
    assert inv.purpose == purpose


@pytest.mark.parametrize(
    "text, written, value, currency",
    [
        ("plans to invest KRW15.1tr (USD13.17bn) in cells", "KRW15.1tr (USD13.17bn)", 15.1e12, "KRW"),
        ("will invest a total of USD1.1bn", "USD1.1bn", 1.1e9, "USD"),
        ("an investment of Rs 52,000 crore", "Rs 52,000 crore", 52_000e7, "INR"),
        ("up to 476 billion yen ($3.5 billion) in subsidies", "476 billion yen ($3.5 billion)", 476e9, "JPY"),
        ("more than 30 billion euros ($32.8 billion) in a fab", "30 billion euros ($32.8 billion)", 30e9, "EUR"),
        ("the 5.1 trillion-won (US$4.4 billion) venture", "5.1 trillion-won (US$4.4 billion)", 5.1e12, "KRW"),
    ],
)
def test_a_bracketed_conversion_stays_with_the_amount_before_it(text, written, value, currency):
    (money,) = parse_money(text)
    assert (money.text, money.currency) == (written, currency)
    assert money.value == pytest.approx(value)


@pytest.mark.parametrize(
    "body, by, written",
    [
        ("SEOUL, May 3 (Yonhap) -- Orion Motors will invest $2 billion in a cell plant.", "Orion Motors", "Orion Motors"),
        ("Orion Motors and Vega Battery will fund the $2 billion joint venture together.",
         "Orion Motors", "Orion Motors and Vega Battery"),
        ("Orion Chem and Vega plan to invest KRW10tr in cells, with KRW8tr of that coming from Vega.",
         "Orion Chem", "Orion Chem and Vega"),
        ("Projects worth Rs 900 crore were committed by 12 investors on Friday.", None, "12 investors"),
        ("TOKYO -- Up to 90 billion yen in subsidies will go to the plant, Japan's Ministry of Economy, "
         "Trade and Industry (METI) said on Friday.", "Japan's Ministry of Economy, Trade and Industry",
         "Japan's Ministry of Economy, Trade and Industry"),
        ("Vega Chem, a maker of films that sells across Asia, will invest USD5 million in a warehouse.",
         "Vega Chem", "Vega Chem"),
        ("Orion Motors and the Texas government signed a deal under which the U.S. carmaker will invest $3 billion.",
         "Orion Motors", "the U.S. carmaker"),
        ("Analysts said Lyra Group will invest $1 billion in a Texas plant.", "Lyra Group", "Lyra Group"),
    ],
)
def test_who_invests(body, by, written):
    inv = extract("t", body, "2024-09-11").investments[0]
    assert (inv.by, inv.by_written) == (by, written)


def test_the_second_amount_of_a_sentence_can_have_its_own_investor():
    body = "Orion Chem and Vega plan to invest KRW10tr in cells, with KRW8tr of that coming from Vega."
    second = extract("t", body, "2024-09-11").investments[1]
    assert (second.money.text, second.by) == ("KRW8tr", "Vega")


def test_a_list_of_investors_one_a_line_gives_each_its_amount():
    body = ("Kerala signed MoUs with three investors.\n\nThe companies that signed MoUs included:\n"
            "Orion Motors Pvt Ltd - Rs 50 crore\nVega Systems\nLyra Foods - Rs 12.5 crore, for a juice plant")
    found = {i.by: i.money.text for i in extract("t", body, "2024-09-11").investments}
    assert found == {"Orion Motors Pvt Ltd": "Rs 50 crore", "Lyra Foods": "Rs 12.5 crore"}


@pytest.mark.parametrize("text", [
    "The FUNDING of 5 billion won", "funding", "Refunding", "A \u212aelvin fund", "ſubsidies", "funds—5 won",
])
def test_case_blind_patterns_match_where_re_i_does(text):
    from ingest.extract.amounts import CUES
    fast, slow = CUES.search(text), CUES.rx.search(text)
    assert (fast and fast.span()) == (slow and slow.span())


def test_case_blind_patterns_are_written_in_lower_case():
    from ingest.caseblind import CaseBlind
    with pytest.raises(ValueError, match="lower case"):
        CaseBlind(r"\bGDP\b")


@pytest.mark.parametrize("text", [
    "3 won games", "273.1 billion won.", "Won 5", "wonder 5", "x_won 5", "2won", "KRW12 trillion",
    "KRW 1 trillion", "KRWX 1", "Rs. 50 crore", "US$1.5", "€2bn", "₩5", "5 pounds", "von 5 woné",
])
def test_currency_trigger_reads_words_as_the_pattern_does(text):
    from ingest.extract.amounts import TRIGGER, _names_currency
    assert _names_currency(text) == (TRIGGER.search(text) is not None)


def test_headline_amounts_in_title_case_and_currencies_named_with_their_country():
    assert [(m.text, m.value) for m in parse_money("Investment of up to $6.4 Billion Would Complement")] == [
        ("$6.4 Billion", 6.4e9)]
    (money,) = parse_money("worth up to 10 billion Japanese Yen (Approximately FJD$200 million) was signed")
    assert (money.text, money.value, money.currency) == (
        "10 billion Japanese Yen (Approximately FJD$200 million)", 1e10, "JPY")


def test_funding_two_parties_sign_for_is_paid_by_the_public_body():
    (inv,) = extract("T", "The U.S. Department of Commerce and Orion Chips have signed preliminary terms to "
                          "provide up to $400 million in direct funding.", "2024-01-01").investments
    assert inv.by == "U.S. Department of Commerce" and inv.co_investors == []


def test_a_title_case_headline_names_no_investor():
    (inv,) = extract("T", "Proposed Orion Investment of up to $6.4 Billion Would Support Chip Plants",
                     "2024-01-01").investments
    assert inv.by is None


def test_the_figure_a_budget_rises_from_is_not_the_one_announced():
    found = extract("T", "The ministry will raise the budget for cash grants from KRW 50 billion in 2023 to "
                         "200 billion won in 2024.", "2024-01-01").investments
    assert [(i.money.text, i.subtype) for i in found] == [("KRW 50 billion", "amount"), ("200 billion won", "investment")]


@pytest.mark.parametrize("name, is_name", [
    ("awarded Rocket Lab", False), ("Commission approves", False), ("Lim Hyesook)", False),
    ("Metro Manila Subway Project   (up to", False), ("For Ohio's project - in New Albany - the CHIPS", False),
    ("Ministry of Trade, Industry and Energy", True), ("Korea Development Bank (KDB)", True),
    ("twelve Member States", True), ("the government", True), ("eBay", True), ("DOE and LPO", True),
])
def test_an_investor_is_only_named_when_it_reads_as_a_name(name, is_name):
    assert named_like(name) is is_name


def test_a_colon_in_an_aside_does_not_hide_who_invests():
    body = ("The Ministry of Science and ICT (MSIT, Minister: Lim Hyesook) announced a plan that invests "
            "90.4 billion won in four ICT technologies.")
    [inv] = extract("Test", body, "2021-05-03").investments
    assert inv.money.value == 90_400_000_000
    assert inv.by == "Ministry of Science and ICT"


def test_an_aside_set_off_by_dashes_does_not_hide_who_invests():
    body = ("Hanwha – the only solar maker that builds both cells and modules in the state – is expected to "
            "invest more than $2.5 billion in the region in the coming years.")
    [inv] = extract("Test", body, "2024-04-15").investments
    assert (inv.by, inv.money.value) == ("Hanwha", 2_500_000_000)


def test_a_sentence_about_the_loan_before_it_is_that_loans_context_not_the_next_ones():
    body = ("On 5 February the European Investment Bank (EIB) granted a €60 million loan to help Spanish "
            "company CEPSA to reduce its environmental impact. The loan will support a project to make its "
            "petrochemicals operations more sustainable. The EIB is also supporting French company Famoco "
            "with a loan of €20 million.")
    by_amount = {i.money.text: i for i in extract("Test", body, "2018-02-20").investments}
    assert "petrochemicals" in (by_amount["€60 million"].context or "")
    assert "petrochemicals" not in (by_amount["€20 million"].context or "")


def test_a_date_run_into_the_lenders_name_is_no_investor():
    assert not named_like("on 5 February the European")


def test_the_cost_of_the_project_is_not_the_money_put_up_for_it():
    body = ("The European Investment Bank (EIB) is providing €80 million in financing for the €160 million "
            "Oweninny wind farm project in County Mayo, Ireland.")
    subtypes = {i.money.text: i.subtype for i in extract("Test", body, "2017-03-20").investments}
    assert subtypes == {"€80 million": "investment", "€160 million": "amount"}


def _by(body: str) -> dict[str, tuple[str | None, str | None]]:
    """{amount as written: (investor, investor as written)} of one short article."""
    return {i.money.text: (i.by, i.by_written) for i in extract("Test", body, "2024-03-04").investments}


@pytest.mark.parametrize("body, money, by", [
    # a capitalised word inside the lender's name is not the verb that ends its subject
    ("The Nordic Investment Bank (NIB) has signed a EUR 40 million loan with the city of Turku.",
     "EUR 40 million", "Nordic Investment Bank"),
    ("The Asian Development Bank today signed a new USD 75 million loan with a Philippine lender.",
     "USD 75 million", "Asian Development Bank"),
    # a time word or adverb between the subject and its verb, a date opening the subject
    ("The NIB also agreed on 3 May to lend up to EUR 25 million to Fazer for its bakeries.", "EUR 25 million", "NIB"),
    ("Meanwhile, on 9 March the Nordic Investment Bank (NIB) granted a €45 million loan to a ferry line.",
     "€45 million", "Nordic Investment Bank"),
    ("The Export Credit Bank of Norway (Eksfin) Tuesday authorized $120 million in financing for ships.",
     "$120 million", "Export Credit Bank of Norway"),
    # passives with the lender after "by"
    ("A EUR 90 million deal was concluded by the NIB in Finland to finance a fibre network.", "EUR 90 million", "NIB"),
    # a relative clause holds its own subject: "…, to which", "… where"
    ("Ministers signed the charter of the new fund, to which Norway pledged to contribute 2 billion kroner "
     "(about $190 million).", "$190 million", "Norway"),
    ("• Furthermore, a leasing scheme will start where the Korea Maritime Corporation will invest KRW 900 billion "
     "to buy idle ships.", "KRW 900 billion", "Korea Maritime Corporation"),
    # whose money it is, named next to it
    ("The $210 million in Eksfin loan guarantees are financing two ferries for Chile.", "$210 million", "Eksfin"),
    ("The grant would support Vestas’s planned investment of $700 million in a blade plant.", "$700 million", "Vestas"),
    ("Leaders noted that the pledge from Norway to invest £2 billion in offshore wind is on track.", "£2 billion", "Norway"),
    ("Commissioner Jane Roe, on behalf of the EU, will sign a EUR 300 million programme with Jordan.",
     "EUR 300 million", "EU"),
    # joint signatories of a lending agreement: the lender names itself first
    ("The NIB and Vantaa Energy have signed a lending agreement of EUR 60 million.", "EUR 60 million", "NIB"),
    ("The Nordic Bank (NB) and Vantaa Energy have signed a €350 million financing agreement.", "€350 million",
     "Nordic Bank"),
    # a compact, a date with its year before the subject, the name before "program", a relative clause
    ("On September 16, 2009, the Orion Challenge Corporation (OCC) signed a five-year, $540 million compact "
     "with Senegal.", "$540 million", "Orion Challenge Corporation"),
    ("The $362 million OCC program with Lesotho entered into force on September 17, 2008.", "$362 million", "OCC"),
    ("OCCs $285 million program with Mongolia will improve the rail network.", "$285 million", "OCC"),
    ("It follows a €125 million loan that the Nordic Bank had granted to Vantaa Energy in 2020.", "€125 million",
     "Nordic Bank"),
])
def test_who_lends_or_invests_in_the_forms_of_published_releases(body, money, by):
    assert _by(body)[money][0] == by


def test_a_collective_investor_after_from_is_shown_as_written():
    assert _by("The fair drew USD 800 million in investment from nine companies for supply chains.")[
        "USD 800 million"] == (None, "nine companies")


def test_a_bullet_and_a_sentence_adverb_are_never_an_investor():
    found = _by("• Furthermore, a leasing scheme is to be started to fund shipowners with KRW 900 billion.")
    assert found == {"KRW 900 billion": (None, None)}


@pytest.mark.parametrize("written, name, shown", [
    ("• Furthermore", "Furthermore", (None, None)), ("It", None, (None, None)),
    ("Minister Kim", "Kim", (None, None)), ("Said", "Said", (None, None)), ("March", "March", (None, None)),
    ("The NIB  today", "NIB", ("The NIB", "NIB")), ("• NIB", "NIB", ("NIB", "NIB")),
    ("nine companies", None, ("nine companies", None)),
])
def test_an_investor_shown_is_a_name_never_a_bullet_adverb_verb_date_or_title(written, name, shown):
    assert shown_investor(written, name) == shown


def test_a_conversion_into_cfa_francs_stays_with_the_amount():
    (money,) = parse_money("has agreed to provide EUR 12 million (7.9 billion CFA) to a solar plant")
    assert (money.text, money.currency) == ("EUR 12 million (7.9 billion CFA)", "EUR")


def test_money_lent_is_an_investment():
    assert _by("The NIB and Vantaa Energy have signed a lending agreement of EUR 60 million.")


def test_the_items_of_a_bulleted_list_are_the_headers_loans():
    body = ("The Board of the Nordic Investment Bank (NIB) met in Oslo and approved four loans totalling EUR 900 million:\n\n"
            "  • EUR 400 million for Statnett for upgrading the power grid.\n"
            "  • A EUR 200 million credit line for Kommunalbanken for financing schools.\n\n"
            "The NIB is the international financial institution of the Nordic and Baltic countries.")
    found = {i.money.text: i for i in extract("Test", body, "2024-03-04").investments}
    assert set(found) == {"EUR 900 million", "EUR 400 million", "EUR 200 million"}
    assert "Statnett" in found["EUR 400 million"].purpose


def test_the_cost_of_a_scheme_alone_in_its_sentence_is_not_money_put_up():
    body = ("The NIB has agreed to provide EUR 12 million to a solar plant. The EUR 40 million scheme will be "
            "constructed near Tromsø.")
    subtypes = {i.money.text: i.subtype for i in extract("Test", body, "2024-03-04").investments}
    assert subtypes == {"EUR 12 million": "investment", "EUR 40 million": "amount"}


def test_vouchers_issued_are_money_put_up():
    (found,) = extract("t", "Figures are out.\n\n• scheme has issued more than £133 million in vouchers to customers",
                       "2024-02-29").investments
    assert found.money.text == "£133 million"
