"""Sentences and the hot paragraphs the rules read: texts, offsets into the body, words."""

import pytest

from ingest.extract import HOT_SYMBOLS, HOT_WORDS, MONEY_WORDS
from ingest.extract.sentences import hot_sentences, split_sentences, words_of


def hot(body: str) -> list[str]:
    """The hot sentences' texts, after checking each one's offsets and words."""
    sentences = hot_sentences(body, HOT_WORDS, MONEY_WORDS, HOT_SYMBOLS)
    for s in sentences:
        assert body[s.start:s.end] == s.text
        assert s.words == frozenset(words_of(s.text))
    return [s.text for s in sentences]


def test_abbreviations_do_not_end_a_sentence_and_offsets_point_into_the_body():
    body = "Samsung Electronics Co. signed it on Aug. 29 in the U.S. The deal is big.  Next one!"
    sentences = split_sentences(body)
    assert [s.text for s in sentences] == [
        "Samsung Electronics Co. signed it on Aug. 29 in the U.S.", "The deal is big.", "Next one!"]
    assert all(body[s.start:s.end] == s.text for s in sentences)


def test_only_paragraphs_with_a_rule_word_or_an_amount_are_read():
    body = ("Quiet words about the weather.\n\n"
            "Samsung signed an MOU with LG. It covers chips.\n\n"
            "The club won the cup.\n\n"  # a money word without a number
            "Prices rose 5 percent.\n\n"  # a number without a money word
            "It costs 7 billion won.\n\n"
            "$5\n\n"  # a symbol and a digit but no word
            "A grant of €3 million followed.")
    assert hot(body) == ["Samsung signed an MOU with LG.", "It covers chips.", "It costs 7 billion won.",
                         "A grant of €3 million followed."]


def test_a_word_counts_only_whole():
    body = "The designers thinking of signage.\n\nA signatory signed.\n\nMOU-like pacts."
    assert hot(body) == ["A signatory signed.", "MOU-like pacts."]


def test_korean_body_keeps_offsets():
    body = "삼성전자는 반도체 투자를 발표했다.\n\n삼성전자와 SK하이닉스가 MOU 체결식을 열었다. 행사는 서울에서 열렸다.\n\n날씨가 좋다."
    assert hot(body) == ["삼성전자와 SK하이닉스가 MOU 체결식을 열었다.", "행사는 서울에서 열렸다."]


def test_a_body_whose_lower_case_is_longer_keeps_offsets():
    # "İ" lowers to two characters, so nothing after it lines up with the lowered text.
    body = ("İstanbul İzmir news.\n\nİnci Holding signed an MOU with Koç in İzmir. It is big.\n\nQuiet İ.\n\n"
            "$5\n\nThe club won.\n\nİzmir paid 9 billion won.\n\nİzmir paid ₺4 (€3) more.")
    assert len(body.lower()) > len(body)
    assert hot(body) == ["İnci Holding signed an MOU with Koç in İzmir.", "It is big.", "İzmir paid 9 billion won.",
                         "İzmir paid ₺4 (€3) more."]


def test_crlf_paragraphs_keep_offsets():
    body = "Quiet lead.\r\n\r\nHyundai signed an MOU with Kia.\r\nIt invests $2 billion.\r\n\r\nQuiet end."
    assert hot(body) == ["Hyundai signed an MOU with Kia.", "It invests $2 billion."]


@pytest.mark.parametrize("space", ["\t", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u1680", "\u2003",
                                   "\u2028", "\u202f", "\u3000"])
def test_any_unicode_space_separates_words(space):
    body = f"Quiet lead.\n\nLG{space}signed{space}a{space}pact.\n\nQuiet{space}end."
    assert hot(body) == [f"LG{space}signed{space}a{space}pact."]


def test_every_space_str_split_knows_separates_words():
    spaces = [c for c in map(chr, range(0x3001)) if c.isspace()]
    assert len(spaces) == 29
    for space in spaces:
        middle = f"LG{space}signed."
        body = f"Quiet.\n\n{middle}\n\nQuiet."
        assert hot(body) == [s.text for s in split_sentences(middle)], repr(space)


def test_final_sigma_words_match_the_sentence_on_its_own():
    body = "ΟΔΟΣ ΑΣ signed a deal.\n\nΣΑΣ ΟΔΟΣ.\n\nΟΔΟΣ pact ΣΑΣ."
    assert hot(body) == ["ΟΔΟΣ ΑΣ signed a deal.", "ΟΔΟΣ pact ΣΑΣ."]


def test_no_rule_words_at_all():
    assert hot("") == []
    assert hot("Nothing to see here.\n\nOr here, 5 times.") == []
    assert hot_sentences("We signed.", frozenset(), frozenset()) == []


def test_curly_quotes_dashes_and_accents_separate_words():
    body = ("Café owners’ “news”—quiet.\n\n"
            "Renault’s “MOU”—signed with Hyundai—covers batteries. Société Générale·partners agreed.\n\n"
            "The club ‘won’ again.\n\n"
            "It costs 7 billion won…")
    assert hot(body) == ["Renault’s “MOU”—signed with Hyundai—covers batteries.",
                         "Société Générale·partners agreed.", "It costs 7 billion won…"]


def test_the_word_before_a_full_stop_may_sit_on_the_line_before():
    # "Jan\n. 5": the full stop after a month does not end a sentence, even on the next line.
    body = "Quiet lead.\n\nLG signed it on Jan\n. 5 more came. The end."
    assert hot(body) == ["LG signed it on Jan", ". 5 more came.", "The end."]
    assert [s.text for s in split_sentences(body)][1:] == ["LG signed it on Jan", ". 5 more came.", "The end."]


def test_an_honorific_does_not_end_a_sentence():
    body = ("Mr. Taro Sato, Minister of the Embassy of Japan, and Hon. Mere Vula, Minister for Finance, "
            "signed the notes. H.E. Ana Costa attended.")
    assert [s.text for s in split_sentences(body)] == [
        "Mr. Taro Sato, Minister of the Embassy of Japan, and Hon. Mere Vula, Minister for Finance, signed the notes.",
        "H.E. Ana Costa attended."]


def test_a_blank_line_after_an_abbreviation_ends_the_sentence():
    body = "Cooperation in 11 sectors, including chips, AI, etc.\n\nSpace cooperation to be enhanced."
    assert [s.text for s in split_sentences(body)] == [
        "Cooperation in 11 sectors, including chips, AI, etc.", "Space cooperation to be enhanced."]
