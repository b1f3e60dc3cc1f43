"""Facts from Korean text: agreements and their parties, date and place, investments with
investor and purpose, names defined in brackets, heads of organisations. The texts are short
and written for these tests."""

from __future__ import annotations

from ingest.extract import extract
from ingest.extract.korean import is_korean, split_names, strip_particle
from ingest.extract.orgs import builtin_index

MOU = (
    "산업통상자원부(장관 이창양)는 29일 서울 엘타워에서 삼성전자, SK하이닉스 등 10개 기관과 "
    "'반도체 첨단 패키징 기술개발 협력'을 위한 업무협약(MOU)을 체결했다.\n\n"
    "이날 협약식에는 삼성전자, SK하이닉스, LG화학, 하나마이크론, 프로텍, 사피온코리아, 심텍 등 반도체 기업과 "
    "차세대지능형반도체사업단, 한국반도체산업협회(KSIA), 한국산업기술평가관리원(KEIT) 등이 참여해 서명했다.\n\n"
    "정부는 2025년부터 7년간 총 2744억 원을 투입해 첨단패키징 핵심기술을 개발할 계획이다."
)


def names(agreement) -> list[str]:
    return [p.name for p in agreement.parties]


def test_the_signatories_of_a_korean_mou_with_date_place_and_topic():
    facts = extract("반도체 첨단 패키징 업무협약", MOU, "2023-08-30")
    [mou] = facts.agreements
    assert names(mou) == ["산업통상자원부", "삼성전자", "SK하이닉스", "LG화학", "하나마이크론", "프로텍",
                          "사피온코리아", "심텍", "차세대지능형반도체사업단", "한국반도체산업협회",
                          "한국산업기술평가관리원"]
    assert (mou.kind, mou.status) == ("MOU", "signed")
    assert (mou.date_text, mou.date, mou.place) == ("29일", "2023-08-29", "서울 엘타워")
    assert mou.topic == "반도체 첨단 패키징 기술개발 협력"
    assert "참여해 서명했다" in mou.evidence.text
    assert MOU[mou.evidence.start:mou.evidence.end] == mou.evidence.text


def test_the_investment_its_value_investor_and_purpose():
    [inv] = extract("패키징", MOU, "2023-08-30").investments
    assert (inv.money.text, inv.money.value, inv.money.currency) == ("2744억 원", 274_400_000_000, "KRW")
    assert (inv.by_written, inv.purpose, inv.subtype) == ("정부", "첨단패키징 핵심기술 개발", "investment")


def test_support_to_a_programme_and_figures_that_are_not_investments():
    body = ("산업부는 20일 반도체 소재·부품·장비 기업의 시험 인증 사업에 3천억 원을 지원한다고 밝혔다.\n\n"
            "지난해 반도체 수출액은 990억 달러였다.")
    invs = extract("소부장", body, "2024-05-20").investments
    assert [(i.money.text, i.by_written, i.purpose) for i in invs] == [
        ("3천억 원", "산업부", "반도체 소재·부품·장비 기업의 시험 인증 사업")]


def test_names_the_article_defines_join_known_entities():
    facts = extract("협약", MOU, "2023-08-30")
    assert ("KSIA", "한국반도체산업협회") in facts.aliases  # KSIA is known: the Korean name joins it
    [head] = facts.people
    assert (head.person, head.role, head.org) == ("이창양", "Minister", "산업통상자원부")


def test_an_unknown_organisation_defines_its_abbreviation():
    body = "한빛반도체연구원(HSRI)은 3일 대전에서 한빛전자와 공동연구 업무협약을 체결했다."
    facts = extract("협약", body, "2024-05-05")
    assert ("한빛반도체연구원", "HSRI") in facts.aliases
    [mou] = facts.agreements
    assert names(mou) == ["한빛반도체연구원", "한빛전자"] and mou.date == "2024-05-03"


def test_two_subjects_joined_by_and():
    body = "삼성전자와 네이버는 1일 인공지능 반도체 개발을 위한 업무협약을 맺었다."
    [mou] = extract("협약", body, "2024-05-02").agreements
    assert names(mou) == ["삼성전자", "네이버"] and mou.status == "signed"


def test_planned_and_called_off_agreements():
    planned = "과기정통부는 HBM 공동연구를 위한 업무협약을 다음 달 체결할 예정이라고 밝혔다."
    [mou] = extract("예정", planned, "2025-03-03").agreements
    assert mou.status == "planned"
    off = "삼성전자와 인텔은 업무협약을 체결하지 않았다."
    assert extract("무산", off, "2025-03-03").agreements == []


def test_attending_is_not_signing():
    body = "간담회에는 한국전자통신연구원과 한국과학기술원 관계자들이 참석했다."
    assert extract("간담회", body, "2025-03-03").agreements == []


def test_list_items_lose_their_particles_and_titles():
    index = builtin_index()
    assert strip_particle("SK하이닉스와") == "SK하이닉스"
    assert strip_particle("LG이노텍", index) == "LG이노텍"
    got = [p.name for p in split_names("경계현 삼성전자 사장, 곽노정 SK하이닉스 대표와 10개 기관", index)]
    assert got == ["삼성전자", "SK하이닉스"]


def test_korean_articles_are_read_by_the_korean_rules_only():
    assert is_korean(MOU)
    assert not is_korean("Samsung Electronics signed an MOU (업무협약) with the ministry.")


def test_parties_grouped_by_sector_in_brackets_at_a_ceremony():
    body = ("ㅇ 이날 행사에서는 산업계(한빛전자, 누리반도체), 학계(한빛대학교), 전문기관(한국산업기술진흥원)간 "
            "인력양성 협약식도 함께 열렸다.")
    [mou] = extract("협약식", body, "2024-05-05").agreements
    assert names(mou) == ["한빛전자", "누리반도체", "한빛대학교", "한국산업기술진흥원"]


def test_names_joined_by_hyphens_and_what_is_not_a_name():
    body = "지난 6월 행사에서 맺은 산업부-경기도-AMAT社 3자 업무협약에 따라 연구센터가 문을 연다."
    [mou] = extract("협약", body, "2024-05-05").agreements
    assert names(mou) == ["산업부", "경기도", "AMAT社"]
    index = builtin_index()
    assert [p.name for p in split_names("윤석열 대통령과 이 행사에, 7일에", index)] == []


def test_a_release_states_its_sums_as_its_author():
    body = ("□ 산업통상자원부(장관 안덕근)는 첨단 패키징 사업이 예비타당성 조사를 통과했다고 밝혔다.\n\n"
            "ㅇ '25~'31년간 총 2,744억 원 지원")
    [inv] = extract("패키징", body, "2024-09-11").investments
    assert (inv.money.text, inv.by_written) == ("2,744억 원", "산업통상자원부")


def test_an_amount_and_its_conversion_in_brackets_are_one():
    body = "미국 기업 6곳이 19억 달러(약 2.5조 원)를 국내에 투자한다."
    invs = extract("투자", body, "2023-05-01").investments
    assert [(i.money.text, i.money.currency) for i in invs] == [("19억 달러(약 2.5조 원)", "USD")]


# The forms below are those of news reports of the 2023 and 2024 packaging MOUs (agency wires,
# dailies), retold in our own words: their texts cannot be kept here.

def test_a_field_joined_by_and_is_not_a_party_and_a_signing_list_names_them():
    body = ("(서울=한빛뉴스) 김기자 기자 = 산업통상자원부는 29일 서울 엘타워에서 반도체 첨단 패키징과 "
            "대규모 연구개발을 추진하기 위한 업무협약을 국내 주요 반도체 기업들과 체결했다고 밝혔다.\n\n"
            "협약에는 삼성전자, SK하이닉스와 소부장·반도체 후공정 전문업체 및 팹리스 기업 등이 참여했다.")
    [mou] = extract("첨단 패키징 업무협약", body, "2023-08-29").agreements
    assert names(mou) == ["산업통상자원부", "삼성전자", "SK하이닉스"]
    assert (mou.date, mou.place) == ("2023-08-29", "서울 엘타워")


def test_what_a_name_is_before_it_a_person_and_title_after_it_and_the_signers_told_apart():
    body = ("산업통상자원부(장관 이창양) 주영준 산업정책실장은 29일 서울 엘타워에서 협약식을 열었다고 밝혔다.\n\n"
            "이날 행사에는 반도체 수요기업인 삼성전자, SK하이닉스와 반도체 후공정 전문업체 등이 참여해 "
            "'반도체 첨단 패키징 기술개발 협력에 관한 협약'을 체결했다.\n\n"
            "서명에는 산업부, 삼성전자, SK하이닉스, LG화학, 하나마이크론, 한국반도체산업협회가 함께 했다.")
    [mou] = extract("협약", body, "2023-08-29").agreements
    assert names(mou) == ["산업통상자원부", "삼성전자", "SK하이닉스", "LG화학", "하나마이크론", "한국반도체산업협회"]
    assert [p.as_written for p in mou.parties][1] == "삼성전자"  # not "반도체 수요기업인 삼성전자"
    assert mou.status == "signed" and mou.date == "2023-08-29"


def test_a_ceremony_told_without_names_then_the_partners_who_gathered_to_sign():
    body = ("11일 산업통상자원부는 '반도체 산업 협력체계 구축 업무 협약식'을 서울 양재동 엘타워에서 개최했다. "
            "삼성전자, SK하이닉스, 한미반도체 등 국내 기업과 한국반도체산업협회, 한국산업기술기획평가원 등 "
            "민관이 모여 협약했다.")
    [mou] = extract("협약식", body, "2024-09-11").agreements
    assert names(mou) == ["산업통상자원부", "삼성전자", "SK하이닉스", "한미반도체", "한국반도체산업협회",
                          "한국산업기술기획평가원"]
    assert (mou.date, mou.place) == ("2024-09-11", "엘타워")
    assert all("등" not in p.as_written for p in mou.parties)


def test_an_agreement_made_with_a_plain_verb_after_a_byline():
    body = ("(세종=한빛뉴스) 이기자 기자 = 산업통상자원부는 11일 서울 엘타워에서 삼성전자(005930), "
            "SK하이닉스(000660) 등과 반도체 첨단패키징 산업 협력체계 구축을 위한 업무협약을 했다고 밝혔다.")
    [mou] = extract("업무협약", body, "2024-09-11").agreements
    assert names(mou) == ["산업통상자원부", "삼성전자", "SK하이닉스"]
    assert mou.status == "signed"
