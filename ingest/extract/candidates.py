"""Candidates checked against the parse: the rules propose parties from patterns, the statistical
reader says which of them are names and where each name really ends, and reads parties itself
from the parse of a signing sentence no pattern read."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.extract import lexicon as lx
from ingest.extract.names import COUNTRIES, name_key
from ingest.extract.reader import NAME_LABELS, NUMBER_LABELS, Parse, Token

# Codes and words of money that a list can sweep up as a name ("worth KRW 1.2 trillion").
CURRENCY_CODES = frozenset({"krw", "usd", "eur", "jpy", "inr", "rmb", "cny", "gbp", "twd", "chf", "rs", "aud",
                            "cad", "sgd", "hkd", "vnd", "thb", "myr", "idr", "php", "sar", "aed"})
# Words that only ever modify a title ("Prime Minister", "Vice Chairman").
TITLE_MODIFIERS = frozenset({"prime", "vice", "deputy", "acting", "executive", "senior", "chief", "general",
                             "managing", "first", "foreign", "finance", "trade", "industry", "science"})
# Common nouns that head a named body ("the German government", "Gyeonggi provincial office").
INSTITUTION_HEADS = lx.BODY_HEADS | frozenset({"fund", "funds", "foundation", "federation", "trust", "chamber", "society"})
# A legal suffix the rules left behind: "ISMC Analog Fab Private" + " Limited".
_SUFFIX_AFTER = re.compile(
    r"(?:,?\s+(?:Co\.?,?\s*Ltd\.?|Co\.|Corporation|Corp\.?|Limited|Ltd\.?|Inc\.?|LLC|PLC|plc|GmbH|AG|"
    r"S\.A\.|N\.V\.|Pte\.?\s*Ltd\.?|Pvt\.?\s*Ltd\.?|Private Limited|Holdings|Group))+"
)
NUMBER_WHY = {"DATE": "a date", "TIME": "a time", "MONEY": "an amount", "PERCENT": "a percentage",
              "QUANTITY": "a quantity", "ORDINAL": "an ordinal", "CARDINAL": "a number"}
_LEAD_THE = re.compile(r"^(?:the|The)\s+")


@dataclass
class Verdict:
    """What the parse says of one candidate: keep it (maybe as a longer name), or drop it."""

    keep: bool
    name: str | None = None  # the completed name, when the rules cut it short
    why: str = ""


def locate(text: str, written: str, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Where ``written`` first occurs in ``text`` outside the spans already ``taken``."""
    found = locate_all(text, written, taken)
    return found[0] if found else None


def locate_all(text: str, written: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every place ``written`` occurs in ``text`` outside the spans already ``taken`` — where the
    rules dropped an aside in brackets from it ("… Technology (MEXT) Masahito Moriyama"), with
    the aside."""
    out = []
    start = text.find(written) if written else -1
    while start >= 0:
        end = start + len(written)
        if not any(s < end and e > start for s, e in taken):
            out.append((start, end))
        start = text.find(written, start + 1)
    if not out and written and "(" in text:
        words = written.split()
        pattern = r"(?:\s*[(\[][^()\[\]]{0,80}[)\]])?\s+".join(re.escape(w) for w in words)
        for m in re.finditer(pattern, text):
            if not any(s < m.end() and e > m.start() for s, e in taken):
                out.append((m.start(), m.end()))
    return out


def judge(parse: Parse, start: int, end: int, *, known: bool) -> Verdict:
    """Is ``parse.text[start:end]`` a name that can be party to an agreement?"""
    words = [t for t in parse.words_in(start, end) if t.tag not in ("DT", ",", ".", "HYPH", "POS", "``", "''")]
    if not words:
        return Verdict(True)
    low = [w.text.lower() for w in words]
    if all(w in CURRENCY_CODES or w in lx.CURRENCY_WORDS for w in low):
        return Verdict(False, why="an amount's currency")
    if known:
        return Verdict(True)
    if all(w.ent in NUMBER_LABELS for w in words) and not any(
            w.proper and w.text.lower().rstrip(".") not in lx.CALENDAR_WORDS for w in words):
        return Verdict(False, why=NUMBER_WHY.get(words[0].ent, "a number"))
    if len(words) == 1 and (low[0] in lx.SENTENCE_ADVERBS or words[0].tag in ("RB", "RBR", "RBS")):
        return Verdict(False, why="a sentence adverb")
    if all(w in lx.ROLE_WORDS or w in TITLE_MODIFIERS for w in low):
        return Verdict(False, why="a job title")
    after = _next_word(parse, words[-1])
    if all(w in TITLE_MODIFIERS for w in low) and after is not None and after.text.lower() in lx.ROLE_WORDS:
        return Verdict(False, why="part of a job title")
    head = headed_by_common_noun(parse, start, end)
    if head:
        return Verdict(False, why=f"a {head}, not a name")  # "the largest Korea-Africa summit"
    head = _head_word(parse, words)
    if head.dep in ("nsubj",) and parse.head_of(head).lemma in lx.REPORTING_VERBS and not _named(words):
        return Verdict(False, why="who reports it")
    if not _named(words) and not any(w[0].isupper() for w in low if w) and not _capitalised(words):
        return Verdict(False, why="not a name")
    if not _named(words) and all(w.tag.startswith(("JJ", "VB", "RB", "CD", "IN", "PRP")) for w in words):
        return Verdict(False, why="not a name")
    trimmed = _trimmed(parse, words)
    if trimmed is not None:
        return Verdict(True, trimmed)
    return Verdict(True, _completed(parse, start, end, words))


def _trimmed(parse: Parse, words: list[Token]) -> str | None:
    """The name a candidate holds when the rules swept up words around it: a date or a sentence's
    opening word before it ("on 2 March the European Investment Fund", "As …"), a description
    before it ("British drugmaker AstraZeneca", "real estate company Castellum"), the clause after
    it ("Japan since the creation of its Guidelines", "the WFP laid the foundation"), a headline's
    verb ("Russia Take Substantial Step Forward With MOU") or a title after it ("USAID Assistant");
    None when it is all name."""
    first = next((i for i, w in enumerate(words) if _name_word(w)), None)
    if first is None:
        return None
    if first >= 2 and words[first - 1].text == "of" and words[first - 2].text.lower() == "government":
        first = 0  # "the regional government of Castilla y León": the body, not the region
    last, i = len(words), first + 1
    while i < len(words):
        w = words[i]
        if _name_word(w) or _inside_name(parse, w) or not any(c.isalnum() for c in w.text):
            i += 1
            continue
        if _home_in_name(words, first, i):
            break  # "Federation of Middle Market Enterprises in Korea": all name
        if w.text.lower() in lx.HEADLINE_VERBS or not w.text[:1].islower() or w.ent in NUMBER_LABELS:
            last = i
            break
        j = i  # a description before a name ("drugmaker AstraZeneca") or the clause after one
        while j < len(words) and words[j].text[:1].islower() and words[j].tag in _DESCRIBING:
            j += 1
        if j < len(words) and j > i and _name_word(words[j]):
            first, i = j, j + 1
            continue
        last = i
        break
    while last - 1 > first and (words[last - 1].text.lower() in lx.NAME_JOINERS
                                or words[last - 1].text.lower() in _ROLE_TAILS):
        last -= 1  # "United States Agency for", "USAID Assistant"
    if first == 0 and last == len(words):
        return None
    return _LEAD_THE.sub("", parse.text[words[first].start:words[last - 1].end]).strip(" ,")


def _home_in_name(words: list[Token], first: int, i: int) -> bool:
    """True when ``words[i]`` is the "in" of a body "of" something that goes on "in" its country
    to the end of the span ("Chamber of Commerce in Korea")."""
    if words[i].text != "in" or i + 1 >= len(words):
        return False
    before = [w.text.lower() for w in words[first:i]]
    return "of" in before and any(w in INSTITUTION_HEADS or w in _INSTITUTION_WORDS for w in before[: before.index("of")]) \
        and name_key(" ".join(w.text for w in words[i + 1:])) in COUNTRIES


_INSTITUTION_WORDS = frozenset({"federation", "chamber", "association", "institute", "foundation", "society", "union"})


# The tags of the words that describe a name written after them ("real estate company", "drugmaker",
# "newly created").
_DESCRIBING = frozenset({"NN", "NNS", "JJ", "VBG", "VBN", "RB", "HYPH"})  # "newly created"
# Words of a sentence's grammar that open it with a capital ("As", "Alongside", "Under").
_FUNCTION_TAGS = frozenset({"IN", "RB", "CC", "DT", "PRP", "PRP$", "TO", "WDT", "WRB", "MD", "EX"})


def _name_word(w: Token) -> bool:
    """A word that can begin a name: capitalised, not a date or number, not a grammar word."""
    return (w.text[:1].isupper() and w.ent not in NUMBER_LABELS and w.text.lower() not in lx.CALENDAR_WORDS
            and w.tag not in _FUNCTION_TAGS and w.text.lower() not in lx.HEADLINE_VERBS)


def _inside_name(parse: Parse, w: Token) -> bool:
    """A lower-case word that belongs to the name around it: "of", "and", "the", "government",
    "provincial", the "do" of "Gyeongsangbuk-do"."""
    low = w.text.lower()
    return (low in lx.NAME_JOINERS or low in INSTITUTION_HEADS or low in _BODY_ADJECTIVES
            or (w.start > 0 and parse.text[w.start - 1] in "-‐") or w.tag in ("HYPH", "POS")
            or low.startswith(("d'", "d’", "l'", "l’")))  # "Côte d'Ivoire"


# "the Gyeonggi provincial government", "the Seoul metropolitan government"
_BODY_ADJECTIVES = frozenset({"provincial", "municipal", "metropolitan", "federal", "national", "central", "local",
                              "regional", "state"})
# Words of a title that trail a name the rules ran on into it ("USAID Assistant").
_ROLE_TAILS = lx.ROLE_WORDS | frozenset({"assistant", "deputy", "vice", "acting", "senior", "executive"})


def headed_by_common_noun(parse: Parse, start: int, end: int) -> str | None:
    """The common noun a phrase is about ("summit" in "the largest Korea-Africa summit"), when it
    is one no named body is headed by; None for a name."""
    words = [t for t in parse.words_in(start, end) if t.tag not in ("DT", ",", ".", "HYPH", "POS", "``", "''")]
    if not words:
        return None
    head = _head_word(parse, words)
    if head.tag in ("NN", "NNS") and head.text.islower() and head.text not in INSTITUTION_HEADS \
            and not foreign_name(words):
        return head.text
    return None


def foreign_name(words: list[Token]) -> bool:
    """A name in a language that writes its words in lower case after the first ("Československá
    obchodní banka"): capitalised first, and letters English does not write."""
    return words[0].text[:1].isupper() and any(not c.isascii() for w in words for c in w.text if c.isalpha())


def _named(words: list[Token]) -> bool:
    """A proper noun or part of a named entity."""
    return any(w.proper or w.ent in NAME_LABELS for w in words)


def _capitalised(words: list[Token]) -> bool:
    return any(w.text[:1].isupper() for w in words)


def _next_word(parse: Parse, token: Token) -> Token | None:
    return parse.tokens[token.i + 1] if token.i + 1 < len(parse.tokens) else None


def _head_word(parse: Parse, words: list[Token]) -> Token:
    """The word of a span the others attach to (the last one whose head lies outside)."""
    inside = {w.i for w in words}
    outside = [w for w in words if w.head not in inside or w.head == w.i]
    return outside[-1] if outside else words[-1]


def _completed(parse: Parse, start: int, end: int, words: list[Token]) -> str | None:
    """The name the span begins, when the rules cut it short: the rest of its entity, or a
    legal suffix right after it."""
    text = parse.text
    suffix = _SUFFIX_AFTER.match(text, end)
    if suffix and suffix.end() > end:
        return _LEAD_THE.sub("", text[start:suffix.end()]).strip(" ,")
    last = words[-1]
    if last.ent in NAME_LABELS - {"PERSON"} and last.ent_end > end and last.ent_start <= start + 1:
        extra = text[end:last.ent_end]
        if not any(c in extra for c in ",()[];") and " and " not in extra and len(extra.split()) <= 3:
            return _LEAD_THE.sub("", text[start:last.ent_end]).strip(" ,")
    return None


def known_name(name: str, keys: set[str]) -> bool:
    """True when the index already knows the name."""
    return name_key(name) in keys
