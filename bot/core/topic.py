"""Topic queries for the fact commands: the user's words (kind words such as "MOU" set apart),
names expanded to every stored alias, and how well a fact matches them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from base.hangul import hangul_pieces, has_hangul
from base.names import name_key
from bot.core.context import budget_spent
from storage import facts as store

_WORD = re.compile(r"[\w]+(?:[-'’][\w]+)*", re.UNICODE)
STOPWORDS = {
    "the", "a", "an", "of", "on", "for", "and", "in", "with", "to", "by", "who", "what", "when",
    "signed", "sign", "signs", "how", "much", "many", "did", "does", "do", "is", "are", "was",
    "about", "at", "from", "its", "their", "which", "new", "latest", "any", "all",
}
KIND_WORDS = {
    "mou": "MOU", "mous": "MOU", "memorandum": "MOU", "understanding": "MOU", "memoranda": "MOU",
    "agreement": "agreement", "agreements": "agreement", "deal": "deal", "deals": "deal",
    "pact": "pact", "pacts": "pact", "partnership": "partnership", "partnerships": "partnership",
    "contract": "contract", "contracts": "contract", "jv": "joint venture", "venture": "joint venture",
    "ventures": "joint venture", "joint": "joint venture", "consortium": "consortium",
    "consortia": "consortium", "alliance": "alliance", "accord": "accord", "loi": "letter of intent",
    "investment": "investment", "investments": "investment", "arrangement": "arrangement",
    "arrangements": "arrangement", "statement": "joint statement",
    # Korean kind words (업무협약 "MOU", 양해각서 "memorandum of understanding", 협약 "agreement")
    "업무협약": "MOU", "양해각서": "MOU", "협약": "agreement", "계약": "contract", "투자": "investment",
}
MAX_NGRAM = 6


def _unaccented(word: str) -> str:
    """"türk" → "turk": what a user types without the accent matches what the article writes."""
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light stemmer, enough to match "agreements"/"agreement", "packaging"/"package"."""
    w = _unaccented(word.lower().replace("’", "'"))
    if w.endswith("'s"):
        w = w[:-2]
    for suffix in ("ization", "isation", "ations", "ation", "ings", "ing", "ies", "ied", "ers",
                   "er", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)]
            if suffix in ("ies", "ied"):
                w += "y"
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def stems(text: str) -> set[str]:
    """The stems of every word in ``text``."""
    out = {stem(w) for w in _WORD.findall(text or "")}
    if text and has_hangul(text):  # Korean: two-syllable pieces, particles and spacing aside (ingest/korean.py)
        out |= hangul_pieces(text)
    return out


@dataclass
class Group:
    """One thing the user asked about: a word, or a name with all its spellings."""

    label: str
    alternatives: list[list[str]]  # each: the words of one spelling
    entity: bool = False
    _stem_sets: list[set[str]] | None = field(default=None, repr=False, compare=False)

    def stem_sets(self) -> list[set[str]]:
        """The stems of each spelling (computed once: every candidate fact asks)."""
        if self._stem_sets is None:
            # a word in Hangul is its two-syllable pieces (ingest/korean.py), as ``stems`` makes them
            self._stem_sets = [{p for w in alt for p in (hangul_pieces(w) if has_hangul(w) else (stem(w),))}
                               for alt in self.alternatives]
        return self._stem_sets


@dataclass
class Query:
    """A parsed topic: groups (all should match), and the agreement kinds named."""

    text: str
    groups: list[Group] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)

    def fts(self, mode: str = "AND") -> str | None:
        """The groups as an FTS5 expression (every word quoted; ``mode`` AND or OR)."""
        parts = []
        for g in self.groups:
            alts = ['"' + " ".join(w.replace('"', '""') for w in alt) + '"' for alt in g.alternatives if alt]
            if alts:
                parts.append("(" + " OR ".join(alts) + ")" if len(alts) > 1 else alts[0])
        return f" {mode} ".join(parts) if parts else None


def parse_query(db, text: str, *, keep_kinds: bool = False) -> Query:
    """Split ``text`` into topic groups; names that are stored aliases become one group holding
    every spelling of their entity (so "MOTIE" also finds "trade ministry")."""
    words = _WORD.findall(text)
    query = Query(text=text)
    i = 0
    while i < len(words):
        matched = False
        # names are looked up while the command has time; past it, words stay words
        for n in range(min(MAX_NGRAM, len(words) - i) if not budget_spent() else 0, 0, -1):
            phrase = " ".join(words[i: i + n])
            if n == 1 and (phrase.lower() in STOPWORDS or phrase.lower() in KIND_WORDS):
                break
            if n == 1 and len(phrase) < 2:
                break
            spellings = store.expand_aliases(db, name_key(phrase))
            if spellings:
                alts = [_WORD.findall(s) for s in spellings]
                query.groups.append(Group(phrase, [a for a in alts if a], entity=True))
                i += n
                matched = True
                break
        if matched:
            continue
        word = words[i]
        low = word.lower()
        if low in KIND_WORDS and not keep_kinds:
            query.kinds.add(KIND_WORDS[low])
        elif low not in STOPWORDS and (len(low) > 1 or low.isdigit()):
            query.groups.append(Group(word, [[word]]))
        i += 1
    return query


@dataclass
class Match:
    """How a fact matches a query: share of groups matched and a weighted score."""

    coverage: float
    score: float
    strong: bool  # every matched group matched the fact's own words, parties or title
    missing: list[str] = field(default_factory=list)  # the groups that matched nowhere
    own: float = 1.0  # share of groups in the fact's own words or parties (not only its article's)
    groups: int = 0  # how many groups the topic has


def match_fact(query: Query, own: set[str], names: set[str], title: set[str], body) -> Match:
    """Score one fact: its own words or parties weigh 3, its article's title 2, the body 1."""
    if not query.groups:
        return Match(1.0, 0.0, True)
    matched, score, strong, own_matched = 0, 0.0, True, 0
    missing = []
    for g in query.groups:
        best = 0
        for alt in g.stem_sets():
            if alt <= own or alt <= names:
                best = 3
                break
            if alt <= title:
                best = max(best, 2)
            elif all(w in body for w in alt):
                best = max(best, 1)
        if best:
            matched += 1
        else:
            missing.append(g.label)
        if best < 2:
            strong = False
        own_matched += best == 3
        score += best
    return Match(matched / len(query.groups), score, strong, missing, own_matched / len(query.groups),
                 len(query.groups))
