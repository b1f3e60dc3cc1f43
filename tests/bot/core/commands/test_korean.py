"""The commands on Korean reports beside the English seeds: /find, /how-much, /who-signed and
/whois answer from Korean text, cite the Korean evidence sentence, and know one entity in both
languages. The Korean texts are the short ones written for the harness (tests/eval/ko_smoke)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEEDS, SIGNATORIES

KO = Path(__file__).resolve().parents[3] / "eval" / "ko_smoke" / "articles"
KO_MOU = "packaging-2023-motie-mou.txt"


@pytest.fixture
def both(services):
    report = services.ingest([SEEDS, KO])
    assert not report.failed
    return services


def paths(reply) -> list[str]:
    return sorted(Path(s.path).name for a in reply.answers for s in a.sources if s.path)


def test_find_korean_names_whatever_particle_follows(both):
    assert paths(both.ask("/find 하이닉스")) == sorted([
        KO_MOU, "packaging-2024-packaging-programme.txt", "chips-2024-hbm-production.txt"])
    assert paths(both.ask("/find 엘타워")) == [KO_MOU]
    reply = both.ask("/find 첨단패키징")
    assert paths(reply) == sorted([KO_MOU, "packaging-2024-packaging-programme.txt"])
    assert all("\x02" in a.data["snippet"] for a in reply.answers)  # the word found is marked


def test_how_much_answers_the_packaging_programme_in_won(both):
    reply = both.ask("/how-much 첨단패키징")
    first = reply.answers[0]
    assert first.title == "274.4 billion won (2744억 원)"
    assert (first.data["value"], first.data["currency"]) == (274_400_000_000, "KRW")
    assert first.data["by"] == "Ministry of Trade, Industry and Energy"
    assert "2744억 원을 투입해" in first.evidence


def test_who_signed_lists_the_signatories_of_the_korean_mou(both):
    reply = both.ask("/who-signed 반도체 첨단 패키징 업무협약")
    first = reply.answers[0].to_json()
    assert first["parties"] == list(SIGNATORIES)
    assert first["parties_as_written"][:3] == ["산업통상자원부", "삼성전자", "SK하이닉스"]
    assert first["date_iso"] == "2023-08-29" and first["place"] == "서울 엘타워"
    assert "참여해 서명했다" in reply.answers[0].evidence
    assert first["sources"][0]["path"].endswith(KO_MOU)
    assert "Samsung Electronics (as “삼성전자”)" in reply.plain_text()


def test_whois_in_korean_is_motie_with_its_english_facts(both):
    reply = both.ask("/whois 산업통상자원부")
    entity = reply.answers[0]
    assert entity.data["name"] == "Ministry of Trade, Industry and Energy"
    assert entity.data["name_ko"] == "산업통상자원부"
    assert {"MOTIE", "산업부"} <= set(entity.data["aliases"])
    agreement_sources = {Path(s.path).name for a in reply.answers if a.kind == "agreement" for s in a.sources}
    assert "001_694fc1f307a2a585.txt" in agreement_sources  # the English report of the same MOU
    assert "$205 million (274.4 billion won)" in [a.data["amount"] for a in reply.answers if a.kind == "investment"]


def test_an_admin_alias_joins_names_across_scripts(both):
    assert both.ask("/whois 한빛반도체").kind == "empty"
    done = both.ask("/whois alias 한빛반도체 = Hanbit Semiconductor", is_admin=True)
    assert done.kind == "info"
    entity = both.ask("/whois Hanbit Semiconductor").answers[0]
    assert entity.title == "Hanbit Semiconductor (한빛반도체) (Organisation)"
    assert both.ask("/whois 한빛반도체").answers[0].data["name"] == "Hanbit Semiconductor"


def test_latest_on_a_korean_topic(both):
    reply = both.ask("/latest 5 엘타워")
    assert paths(reply) == [KO_MOU]
