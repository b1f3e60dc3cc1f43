"""Sentence splitting with character offsets into the article body."""

from __future__ import annotations

import bisect
import functools
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
    "n.v", "s.a", "d.c", "l.p", "k.k", "hon", "h.e", "rt", "amb",
}
# Titles and months never end a sentence; other abbreviations do when a sentence starter follows
# ("… in the U.S. The company said …").
_NEVER_END = {"mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "no", "nos", "vs", "gov", "sen",
              "rep", "gen", "col", "lt", "capt", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
              "sep", "sept", "oct", "nov", "dec", "rs", "mt", "fig", "hon", "h.e", "rt", "amb"}
_STARTERS = {"the", "it", "this", "that", "these", "those", "he", "she", "they", "we", "i", "in",
             "a", "an", "but", "however", "meanwhile", "its", "their", "his", "her", "according",
             "on", "as", "at", "for", "under", "with", "after", "last", "earlier", "separately"}
_NEXT_WORD = re.compile(r"[\"'“‘(\[]?(\w+)")
# A candidate end: . ! ? (with closing quotes/brackets, group 1) followed by space and a
# capital/quote/digit, or a line break (paragraphs, and the items of a list the parser kept one
# a line). It starts with a plain character class so that the engine skips straight to the few
# candidates; with a group or an alternation first it tries a match at every character.
# A line break ends a sentence unless the next line goes on in lower case (text wrapped at a
# fixed width, as a PDF's is: "have signed a €500 million\nfinancing agreement").
_BOUNDARY = re.compile(r"[.!?\n](?:(?<=[.!?])([\"'”’)\]]*)(\s+)(?=[\"'“‘(\[]?[A-Z0-9가-힣])|(?<=\n)(?![ \t]*[a-z])\s*)")
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
    return [Sentence(body[start:end], start, end) for start, end in _spans(body, 0, len(body))]


def _spans(body: str, start: int, stop: int) -> list[tuple[int, int]]:
    """Where the sentences of ``body[start:stop]`` sit in ``body``: the same as splitting that
    slice, without copying it (every pattern is bounded by ``stop``)."""
    out: list[tuple[int, int]] = []
    first = start  # the slice's start: no look further back than that
    for m in _BOUNDARY.finditer(body, start, stop):
        closing = m.group(1)
        if closing is not None:
            before = _WORD_BEFORE.search(body, max(first, m.start() - 12), m.start())
            word = before.group(1).lower().rstrip(".") if before else ""
            # a blank line ends a sentence whatever the word before ("…, AI, etc.\n\nSpace …")
            if not closing and body[m.start()] == "." and "\n\n" not in m.group(2) and (
                    word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or _INITIALS.fullmatch(word)):
                nxt = _NEXT_WORD.match(body, m.end(), stop)
                starter = nxt is not None and nxt.group(1).lower() in _STARTERS
                if word in _NEVER_END or len(word) == 1 or not starter:
                    continue
            end = m.start() + 1 + len(closing)
        else:
            end = m.start()
        _add(body, start, end, out)
        start = m.end()
    _add(body, start, stop, out)
    return out


def _add(body: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


_PARAGRAPH = re.compile(r"\n\s*\n")


# Punctuation and digits become spaces: "USD1.1bn" shows its currency word, "MOU," its noun.
# And every character str.split() splits on (str.isspace()) becomes a plain space, so that a
# word of the text is " word " in it.
_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
               "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_SEPARATORS = string.punctuation + string.digits + "’‘“”—–…·" + _WHITESPACE.replace(" ", "")
_SPACED = str.maketrans({c: " " for c in _SEPARATORS})
_SEPARATOR = re.compile("[" + "".join(re.escape(c) for c in _SEPARATORS) + "]")


def _spaced(low: str) -> str:
    """``low`` with every separator a space. str.translate is fast on ASCII text only: on any
    other text it looks each character up on its own, and a pattern is several times cheaper."""
    return low.translate(_SPACED) if low.isascii() else _SEPARATOR.sub(" ", low)


def words_of(text: str) -> set[str]:
    """The lower-case words of ``text`` (letters only)."""
    return set(_spaced(text.lower()).split())


_DIGIT = re.compile(r"\d")
_ASCII_DIGITS = "0123456789"


def has_digit(text: str) -> bool:
    """``_DIGIT.search(text)``, without the pattern for the usual case: a substring test per
    ASCII digit is several times cheaper than a scan by the regex engine."""
    return any(d in text for d in _ASCII_DIGITS) or (not text.isascii() and _DIGIT.search(text) is not None)


@functools.lru_cache(maxsize=8)
def _word_finder(words: frozenset[str], more: frozenset[str]) -> re.Pattern[str]:
    """A pattern for any of ``words`` or ``more`` as a whole word of a spaced text (" word "), as a trie:
    the engine then tries one branch per first letter at each word, not every word."""
    trie: dict = {}
    for word in words | more:
        if word and word.translate(_SPACED) == word:  # anything else is never one word
            node = trie
            for ch in word:
                node = node.setdefault(ch, {})
            node[""] = {}
    return re.compile(" (" + (_alternation(trie) or "(?!)") + ")(?= )")


def _alternation(node: dict) -> str:
    branches = [re.escape(ch) + _alternation(rest) for ch, rest in sorted(node.items()) if ch]
    if not branches:
        return ""
    pattern = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{pattern})?" if "" in node else pattern


def hot_sentences(body: str, words: frozenset[str], money: frozenset[str] = frozenset(),
                  symbols: str = "") -> list[Sentence]:
    """The sentences of the paragraphs holding one of ``words`` (lower case), or a number with
    one of ``money`` or ``symbols``: the rules only start from those, and most of a long
    article is quiet. One pattern over the whole body finds the few paragraphs to read."""
    low = body.lower()
    if len(low) != len(body):
        return _hot_by_paragraph(body, words, money, symbols)
    # Lowering kept every character one character (it almost always does: "İ" becomes two), so
    # offsets into the lowered, spaced text are offsets into the body (one more for the space
    # in front).
    spaced = " " + _spaced(low) + " "
    starts = [0]
    ends = []
    for m in _PARAGRAPH.finditer(body):
        ends.append(m.start())
        starts.append(m.end())
    ends.append(len(body))
    hot: set[int] = set()
    digits: dict[int, bool] = {}  # paragraph → has a digit, once asked

    def with_digit(i: int) -> bool:
        if i not in digits:
            digits[i] = has_digit(body[starts[i]:ends[i]])
        return digits[i]

    find = _word_finder(words, money).search
    pos = 0
    while (m := find(spaced, pos)) is not None:
        i = bisect.bisect_right(starts, m.start()) - 1
        if m.group(1) in words or with_digit(i):
            hot.add(i)
            pos = ends[i] + 1  # the rest of this paragraph cannot add anything
        else:
            pos = m.end()
    for c in symbols:
        at = body.find(c)
        while at >= 0:
            i = bisect.bisect_right(starts, at) - 1
            if i not in hot and spaced[starts[i] + 1:ends[i] + 1].strip() and with_digit(i):
                hot.add(i)
            at = body.find(c, ends[i])
    out: list[Sentence] = []
    for i in sorted(hot):
        for start, end in _spans(body, starts[i], ends[i]):
            out.append(Sentence(body[start:end], start, end, frozenset(spaced[start + 1:end + 1].split())))
    return out


def _hot_by_paragraph(body: str, words: frozenset[str], money: frozenset[str], symbols: str) -> list[Sentence]:
    """``hot_sentences`` for a body whose lower case is longer than itself: each paragraph
    lowered on its own."""
    out: list[Sentence] = []
    symbols = [c for c in symbols if c in body]
    start = 0
    for m in [*_PARAGRAPH.finditer(body), None]:
        end = m.start() if m else len(body)
        if end > start:
            para = body[start:end]
            tokens = _spaced(para.lower()).split()
            if tokens and (not words.isdisjoint(tokens) or (
                    not money.isdisjoint(tokens) or any(c in para for c in symbols)) and has_digit(para)):
                for s, e in _spans(body, start, end):
                    out.append(Sentence(body[s:e], s, e, frozenset(words_of(body[s:e]))))
        if m:
            start = m.end()
    return out
