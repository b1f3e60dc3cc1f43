"""Sentence splitting with character offsets into the article body."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

# Words ending in a full stop that do not end a sentence.
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "no", "nos", "vs", "etc", "inc", "ltd",
    "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "gov", "sen", "rep", "gen", "col", "lt", "capt", "approx", "est", "dept", "univ",
    "assn", "bros", "mt", "ft", "fig", "al", "rs", "u.s", "u.k", "u.n", "e.u", "s", "p", "a.m",
    "p.m", "i.e", "e.g", "march", "june", "july", "april", "plc", "llc", "pvt", "pte", "bhd",
    "n.v", "s.a", "d.c", "l.p", "k.k",
}
# Titles and months never end a sentence; other abbreviations do when a sentence starter follows
# ("… in the U.S. The company said …").
_NEVER_END = {"mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "no", "nos", "vs", "gov", "sen",
              "rep", "gen", "col", "lt", "capt", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
              "sep", "sept", "oct", "nov", "dec", "rs", "mt", "fig"}
_STARTERS = {"the", "it", "this", "that", "these", "those", "he", "she", "they", "we", "i", "in",
             "a", "an", "but", "however", "meanwhile", "its", "their", "his", "her", "according",
             "on", "as", "at", "for", "under", "with", "after", "last", "earlier", "separately"}
_NEXT_WORD = re.compile(r"[\"'“‘(\[]?(\w+)")
# A candidate end: . ! ? (with closing quotes/brackets) followed by space and a capital/quote/digit,
# or a line break (paragraphs, and the items of a list the parser kept one a line).
_BOUNDARY = re.compile(r"([.!?][\"'”’)\]]*)(\s+)(?=[\"'“‘(\[]?[A-Z0-9가-힣])|\n\s*")
_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]")  # "M.M. Forgings", "J.P. Morgan"
_WORD_BEFORE = re.compile(r"([\w.]+)$")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text and where it sits in the body (``body[start:end] == text``)."""

    text: str
    start: int
    end: int
    words: frozenset[str] = field(default=frozenset(), compare=False, repr=False)  # lower case

    def __reduce__(self):
        # the word set is the prefilter's working data: a batch's facts sent back from the
        # extraction process travel without it
        return (Sentence, (self.text, self.start, self.end))

    def lacks(self, words: frozenset[str]) -> bool:
        """True when the sentence's words are known and hold none of ``words``."""
        return bool(self.words) and self.words.isdisjoint(words)


def split_sentences(body: str) -> list[Sentence]:
    """Split ``body`` into sentences; abbreviations ("Aug.", "Co.", "U.S.") do not end one."""
    out: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(body):
        if m.group(1):
            before = _WORD_BEFORE.search(body, max(0, m.start() - 12), m.start())
            word = before.group(1).lower().rstrip(".") if before else ""
            if m.group(1) == "." and (word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())
                                      or _INITIALS.fullmatch(word)):
                nxt = _NEXT_WORD.match(body, m.end())
                starter = nxt is not None and nxt.group(1).lower() in _STARTERS
                if word in _NEVER_END or len(word) == 1 or not starter:
                    continue
            end = m.start() + len(m.group(1))
        else:
            end = m.start()
        _add(body, start, end, out)
        start = m.end()
    _add(body, start, len(body), out)
    return out


def _add(body: str, start: int, end: int, out: list[Sentence]) -> None:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(body[start:end], start, end))


_PARAGRAPH = re.compile(r"\n\s*\n")


# Punctuation and digits become spaces: "USD1.1bn" shows its currency word, "MOU," its noun.
# str.translate and split are several times cheaper than a token pattern over every paragraph.
_SEPARATORS = str.maketrans({c: " " for c in string.punctuation + string.digits + "’‘“”—–…·"})


def words_of(text: str) -> set[str]:
    """The lower-case words of ``text`` (letters only)."""
    return set(text.lower().translate(_SEPARATORS).split())


_DIGIT = re.compile(r"\d")
_ASCII_DIGITS = "0123456789"


def has_digit(text: str) -> bool:
    """``_DIGIT.search(text)``, without the pattern for the usual case: a substring test per
    ASCII digit is several times cheaper than a scan by the regex engine."""
    return any(d in text for d in _ASCII_DIGITS) or (not text.isascii() and _DIGIT.search(text) is not None)


def hot_sentences(body: str, words: frozenset[str], money: frozenset[str] = frozenset(),
                  symbols: str = "") -> list[Sentence]:
    """The sentences of the paragraphs holding one of ``words`` (lower case), or a number with
    one of ``money`` or ``symbols``: the rules only start from those, and most of a long
    article is quiet. A set lookup per word is far cheaper than every rule's pattern."""
    out: list[Sentence] = []
    # Lower-case and separate the whole body once and slice it per paragraph; that is only
    # sound when lowering kept every character one character (it almost always does: "İ"
    # becomes two), so the offsets still line up.
    low = body.lower()
    plain = low.translate(_SEPARATORS) if len(low) == len(body) else None
    symbols = [c for c in symbols if c in body]  # usually none: no per-paragraph test at all
    start = 0
    for m in [*_PARAGRAPH.finditer(body), None]:
        end = m.start() if m else len(body)
        if end > start:
            # a list, not a set: isdisjoint stops at the first hot word
            para = body[start:end]
            tokens = (plain[start:end] if plain is not None else para.lower().translate(_SEPARATORS)).split()
            if tokens and (not words.isdisjoint(tokens) or (
                    not money.isdisjoint(tokens) or any(c in para for c in symbols)) and has_digit(para)):
                for s in split_sentences(para):
                    out.append(Sentence(s.text, s.start + start, s.end + start, frozenset(words_of(s.text))))
        if m:
            start = m.end()
    return out
