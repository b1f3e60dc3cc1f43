"""Amounts of money as news writes them, and investments with who and what for."""

import pytest

from ingest.extract import extract
from ingest.extract.amounts import parse_money


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
