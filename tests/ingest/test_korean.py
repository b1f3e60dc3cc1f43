"""Korean text: language, search pieces, amounts in 만/억/조, dates, name keys."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.dates import parse_date_text, to_iso
from ingest.extract.names import name_key
from ingest.korean import (
    detect_lang,
    english_amount,
    find_amounts,
    hangul_pieces,
    korean_date_line,
    korean_number,
    query_terms,
    search_terms,
)


@pytest.mark.parametrize(("text", "written", "value", "currency"), [
    ("정부는 총 2744억 원을 투입한다.", "2744억 원", 274_400_000_000, "KRW"),
    ("사업비 2천744억 원이 들어간다.", "2천744억 원", 274_400_000_000, "KRW"),
    ("3조5천억 원 규모의 펀드", "3조5천억 원", 3_500_000_000_000, "KRW"),
    ("미국에 1억 달러를 투자한다", "1억 달러", 100_000_000, "USD"),
    ("총 2,744억원 규모", "2,744억원", 274_400_000_000, "KRW"),
    ("1.5조 원을 들여", "1.5조 원", 1_500_000_000_000, "KRW"),
    ("2억500만 달러를 받았다", "2억500만 달러", 205_000_000, "USD"),
    ("예산 3천억 원", "3천억 원", 300_000_000_000, "KRW"),
    ("500만 유로", "500만 유로", 5_000_000, "EUR"),
])
def test_korean_amounts_are_read_as_value_and_currency(text, written, value, currency):
    [(start, end, got, cur)] = find_amounts(text)
    assert (text[start:end], got, cur) == (written, value, currency)


@pytest.mark.parametrize("text", [
    "구조 원칙을 바꾼다",  # "구조" is a structure, not 9 trillion
    "백만 원대 장비",  # words, no figure
    "274.4 billion won",  # English amounts are the English rules' (no Hangul here)
    "29일 서울에서 열렸다",
])
def test_what_is_not_a_korean_amount(text):
    assert find_amounts(text) == []


def test_korean_numbers_and_english_amounts():
    assert korean_number("2천744억") == 274_400_000_000
    assert korean_number("3조 5,000억") == 3_500_000_000_000
    assert korean_number("삼천억") is None  # no figure written
    assert english_amount(274_400_000_000, "KRW") == "274.4 billion won"
    assert english_amount(100_000_000, "USD") == "$100 million"
    assert english_amount(3_500_000_000_000, "KRW") == "3.5 trillion won"


@pytest.mark.parametrize(("text", "ref", "expected"), [
    ("2025년 3월 3일 서울에서", None, ("2025년 3월 3일", "2025-03-03")),
    ("지난 3월 3일 발표했다", date(2025, 3, 10), ("3월 3일", "2025-03-03")),
    ("12월 30일 체결했다", date(2025, 1, 5), ("12월 30일", "2024-12-30")),  # a month ahead: last year's
    ("산업부는 29일 서울 엘타워에서", date(2023, 8, 30), ("29일", "2023-08-29")),
    ("31일 밝혔다", date(2023, 8, 2), ("31일", "2023-07-31")),  # still to come this month: last month's
    ("31일 밝혔다", date(2024, 1, 2), ("31일", "2023-12-31")),
    ("오는 5일 열린다", date(2023, 8, 30), ("5일", "2023-09-05")),  # "the coming 5th"
    ("29일 밝혔다", None, ("29일", None)),
    ("2025년 3월 계획을 발표", None, ("2025년 3월", "2025-03")),
    ("2월 30일", date(2024, 3, 5), (None, None)),
    ("3개월 동안 29명이", date(2024, 3, 5), (None, None)),
])
def test_korean_dates_resolved_against_the_article_date(text, ref, expected):
    assert parse_date_text(text, ref=ref) == expected


def test_an_english_date_before_a_korean_one_comes_first():
    assert parse_date_text("Aug. 29 보도, 9월 1일 체결", ref=date(2023, 9, 5)) == ("Aug. 29", "2023-08-29")
    assert parse_date_text("9월 1일 체결, Aug. 29 보도", ref=date(2023, 9, 5)) == ("9월 1일", "2023-09-01")


def test_dates_as_korean_pages_write_them():
    assert to_iso("2023.08.29") == "2023-08-29"
    assert parse_date_text("2023. 8. 29. 10:21") == ("2023. 8. 29. 10:21", "2023-08-29T10:21")
    assert korean_date_line("2023년 8월 29일(화)") and korean_date_line("2023.08.29 10:21")
    assert not korean_date_line("2023년 8월 29일 산업부는 발표했다")


def test_language_by_hangul_share():
    assert detect_lang("반도체 협약", "산업통상자원부는 29일 SK하이닉스, LG화학 등과 협약을 맺었다.") == "ko"
    assert detect_lang("Chip deal", "The ministry said on Monday that the deal was signed with SK hynix.") == "en"
    # an English report quoting a Korean word stays English
    assert detect_lang("MOU", "The MOU (업무협약) was signed by the ministry and the association in Seoul.") == "en"
    assert detect_lang("x", "y", "en-US") == "en"
    assert detect_lang("1234", "5678") is None


def test_search_pieces_ignore_particles_and_spacing():
    assert hangul_pieces("첨단패키징") <= hangul_pieces("반도체 첨단 패키징 기술을")
    assert hangul_pieces("하이닉스") <= hangul_pieces("SK하이닉스와")
    terms = search_terms("삼성전자, SK하이닉스와 첨단 패키징")
    assert "SK" in terms.split() and "첨단 단패 패키 키징" in terms
    assert query_terms("SK하이닉스 첨단패키징 삼") == ['"SK"', '"하이 이닉 닉스"', '"첨단 단패 패키 키징"', '"삼"*']
    assert query_terms('" OR ) NEAR(') == ['"OR"', '"NEAR"']  # user text is never FTS syntax


def test_korean_name_keys_ignore_spacing_and_legal_forms():
    assert name_key("SK 하이닉스") == name_key("SK하이닉스") == "sk하이닉스"
    assert name_key("삼성전자(주)") == name_key("㈜삼성전자") == name_key("주식회사 삼성전자") == "삼성전자"
    assert name_key("한국 반도체산업협회") == "한국반도체산업협회"
    assert name_key("SK hynix") == "sk hynix"  # English names are as before
