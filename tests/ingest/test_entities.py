"""The bundled table of the beat's organisations: well formed, one entity per name, in the
built-in aliases."""

from __future__ import annotations

import tomllib

from ingest.entities import TABLE, bundled_entities, korean_name_of
from ingest.extract.names import BUILTIN_ENTITIES, name_key
from ingest.extract.orgs import builtin_index
from ingest.korean import has_hangul


def test_every_entry_has_an_english_name_and_korean_names():
    table = tomllib.loads(TABLE.read_text(encoding="utf-8"))
    for org in table["org"]:
        assert set(org) <= {"name", "ko", "aliases", "kind"}, org
        assert org["name"] and not has_hangul(org["name"]), org
        assert org["ko"] and all(has_hangul(n) for n in org["ko"]), org
        assert org.get("kind", "org") in ("org", "country")


def test_no_name_belongs_to_two_entities():
    owner: dict[str, str] = {}
    for canonical, (_, aliases) in BUILTIN_ENTITIES.items():
        for name in (canonical, *aliases):
            key = name_key(name)
            assert owner.setdefault(key, canonical) == canonical, f"{name!r}: {owner[key]} and {canonical}"


def test_the_beats_organisations_are_one_entity_in_both_languages():
    index = builtin_index()
    pairs = [
        ("삼성전자", "Samsung Electronics"), ("SK하이닉스", "SK hynix"), ("SK 하이닉스", "SK hynix"),
        ("산업통상자원부", "MOTIE"), ("산업부", "Ministry of Trade, Industry and Energy"),
        ("과학기술정보통신부", "MSIT"), ("과기정통부", "Ministry of Science and ICT"),
        ("한국반도체산업협회", "KSIA"), ("LG화학", "LG Chem"), ("하나마이크론", "Hana Micron"),
        ("프로텍", "Protec"), ("사피온코리아", "Sapeon Korea"), ("심텍", "Symtec"),
        ("한국산업기술평가관리원", "KEIT"), ("차세대지능형반도체사업단", "Next-Generation Intelligent Semiconductor Business Group"),
    ]
    for korean, english in pairs:
        assert index.canon[name_key(korean)] == index.canon[name_key(english)], (korean, english)


def test_the_official_korean_name_comes_first():
    ko = {name: names for name, _, names, _ in bundled_entities()}
    assert ko["Ministry of Trade, Industry and Energy"][0] == "산업통상자원부"
    aliases = BUILTIN_ENTITIES["Ministry of Trade, Industry and Energy"][1]
    assert korean_name_of(list(aliases)) == "산업통상자원부" and "MOTIE" in aliases
