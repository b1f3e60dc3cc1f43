"""Clustering: articles on the same story become one digest item with all their sources.

Deterministic and local. Each article becomes a weighted bag of *distinctive* features: content
bigrams ("advanced packaging"), names ("SK hynix", "MOTIE"), money amounts and, when facts were
extracted, the organisations and amounts of its facts. A feature weighs more in the title and the
lead, less when it is common in the batch (inverse document frequency) and much less when it is
only words every article on the beat uses ("South Korea", "semiconductor industry"). Two articles
are on the same story when the cosine of their bags reaches ``SAME_STORY``; groups are merged
strongest pair first when their members are on average that similar (average linkage), up to
``MAX_STORY`` articles, so one shared name cannot chain two stories into one item.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import chain, combinations, compress, starmap
from operator import add, and_, mul

SAME_STORY = 0.02  # cosine; calibrated on the seeds and tests/digests/test_cluster.py
MAX_STORY = 12  # articles in one item at most
# Whole numbers: a boost counts a feature that many times (see text_features).
TITLE_BOOST, LEAD_BOOST = 3, 2
LEAD_PARAGRAPHS = 2
# What identifies a story is in its first few paragraphs; reading further costs time, not quality.
MAX_CHARS = 3000
GENERIC_FACTOR = 0.1
KIND_WEIGHT = {"b": 1.0, "e": 1.5, "m": 2.0, "f": 2.5}

_STOP_TEXT = (
    """a an the and or but nor of to in on at by for with from as is are was were be been being
    am it its it's this that these those has have had having not no do does did doing will would
    can could may might must shall should than then there their theirs they them he she him his
    her hers we our ours you your yours i me my us who whom whose which what when where why how
    all any both each few more most other some such only own same so too very also just into
    over under about above below after before between through during up down out off again
    further once here because while if one two three four five six seven eight nine ten said
    says say year years first last however also per via amid among within without upon toward
    towards like well even yet still already much many lot lots get got make made including
    according new"""
)
STOPWORDS = frozenset(_STOP_TEXT.split())
# Words every article on a news beat uses; a feature made only of them says nothing about which
# story an article tells.
_GENERIC_TEXT = (
    """korea korean south north china chinese japan japanese taiwan taiwanese us u.s american
    america united state eu european union europe asia asian global world country countries
    nation national international government industry industrial company firm business sector
    market semiconductor chip technology tech technological ai artificial intelligence
    official major key recent recently announced announce plan percent billion million won
    dollar seoul beijing tokyo washington brussels"""
)
GENERIC_WORDS = frozenset(_GENERIC_TEXT.split())

# Words, numbers and the punctuation that ends a clause (it breaks bigrams: "Seoul. Samsung" is
# not a phrase).
_WORD = re.compile(r"[^\W\d_][\w'’\-]*|\d[\d.,]*|[.!?;:()\"“”]", re.UNICODE)
# (a sentence may also start in Hangul: Korean reports)
_SENTENCE = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9가-힣])|\n+")
# A run of capitalised words ("SK hynix", "Ministry of Trade"). It opens with a plain character
# class, which lets the engine skip straight to capitals instead of trying every position.
_NAME = re.compile(r"[A-Z][\w’'\-]*(?:\s+(?:of\s+(?:the\s+)?)?(?:[A-Z][\w’'\-]*|hynix))*")
_NAME_PREFIXES = frozenset({"the", "a", "an", "perhaps", "meanwhile", "however", "but", "and", "in", "on", "at"})
_MONEY = re.compile(
    r"(?:(?P<usd>\$)\s?(?P<n1>\d[\d,]*(?:\.\d+)?)\s*(?P<u1>trillion|billion|million|bn|m)?\b)"
    r"|(?:(?P<n2>\d[\d,]*(?:\.\d+)?)\s*(?P<u2>trillion|billion|million)\s+(?P<cur>won|yen|euros?|dollars)\b)",
    re.IGNORECASE,
)
# Every amount starts at "$" or a digit: the pattern is only tried there (see _amounts).
_MONEY_START = re.compile(r"[$\d]")
_UNITS = {"trillion": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "m": 1e6}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stem: lower case, no possessive, no plural (so "chips" is "chip")."""
    w = word.lower().replace("’", "'").strip("'-")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and not w.endswith(("ss", "us", "is")):
        if w.endswith("ies"):
            return w[:-3] + "y"
        if w.endswith("s"):
            return w[:-1]
    return w


def _content_stem(token: str) -> str:
    """The stem of a content word, or "" for stop words, numbers and single letters."""
    st = stem(token)
    if st in STOPWORDS or len(st) < 2 or not st[0].isalpha():
        return ""
    return st


class _Memo(dict):
    """A dict that computes a missing value once; looked up with ``map(memo.__getitem__, …)``
    it stays in C for every key already seen. Starts afresh past ``limit`` keys, so a process
    that runs for months does not keep every number and typo it ever read."""

    def __init__(self, compute, limit: int = 200_000):
        super().__init__()
        self.compute = compute
        self.limit = limit

    def __missing__(self, key: str) -> str:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.compute(key)
        return value


# A beat's vocabulary is a few tens of thousands of words.
_STEMS = _Memo(_content_stem)
_BIGRAM_LEFT = _Memo(lambda st: "b:" + st + " ")


_ABBREVIATION = re.compile(
    r"(?:\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mr|Mrs|Ms|Dr|Prof|St|No|Inc|Corp|"
    r"Co|Ltd|Jr|Sr|Gov|Sen|Rep|Gen|Lt|Col|vs|approx|est|etc|e\.g|i\.e)|\b[A-Z]|\b(?:[A-Z]\.)+[A-Z])\.$"
)


def sentences(text: str) -> list[str]:
    """Split text into sentences (and headings, one per line); "Aug. 29" and "U.S. Army" stay
    whole."""
    out: list[str] = []
    glue = False
    for piece in _SENTENCE.split(text or ""):
        piece = piece.strip() if piece else ""
        if not piece:
            glue = False
            continue
        if glue and out:
            out[-1] += " " + piece
        else:
            out.append(piece)
        glue = bool(_ABBREVIATION.search(piece))
    return out


@lru_cache(maxsize=65536)
def _is_generic(name: str) -> bool:
    return all(part in GENERIC_WORDS or part in STOPWORDS for part in name.split())


def _money(match: re.Match) -> str | None:
    number = match.group("n1") or match.group("n2")
    unit = (match.group("u1") or match.group("u2") or "").lower()
    currency = "usd" if match.group("usd") else (match.group("cur") or "").lower().rstrip("s")
    try:
        value = float(number.replace(",", "")) * _UNITS.get(unit, 1.0)
    except ValueError:
        return None
    if value < 1e5:  # "$5" or "3 million won" are not what identifies a story
        return None
    return f"{currency}{value:.4g}"


# Sentence openers repeat ("The", "Officials"), so a run's features are worked out once.
@lru_cache(maxsize=65536)
def _name_keys(name: str, first: bool) -> tuple[str, ...]:
    """The ``e:`` features of one capitalised run; ``first`` when it opens a sentence."""
    keys = []
    for part in name.split(" and "):
        words = part.split()
        if not words or (first and len(words) == 1 and not part.isupper()):
            continue  # a capitalised first word is usually just a first word
        first = False
        while len(words) > 1 and words[0].lower() in _NAME_PREFIXES:
            words = words[1:]
        key = " ".join([stem(w) for w in words])
        if key in STOPWORDS or len(key) < 2:
            continue
        keys.append("e:" + key)
    return tuple(keys)


def _amounts(text: str) -> list[str]:
    """The ``m:`` features of a text: what ``_MONEY.finditer`` finds, found faster.

    A pattern that opens with alternatives is tried at every position of the text; this one
    can only match at "$" or a digit, so it is tried only there, left to right, going on after
    each match as ``finditer`` does."""
    keys = []
    end = 0
    for start in _MONEY_START.finditer(text):
        if start.start() < end:
            continue
        m = _MONEY.match(text, start.start())
        if m:
            end = m.end()
            amount = _money(m)
            if amount:
                keys.append("m:" + amount)
    return keys


_OPENERS = frozenset(".!?:\"“”‘’(—")


def text_features(title: str, body: str) -> dict[str, float]:
    """Feature → salience for one article: bigrams ``b:``, names ``e:``, amounts ``m:``."""
    paragraphs = [p for p in (body or "")[:MAX_CHARS].split("\n") if p.strip()]
    parts = [(title or "", TITLE_BOOST)]
    parts += [(p, LEAD_BOOST if i < LEAD_PARAGRAPHS else 1) for i, p in enumerate(paragraphs)]
    found: list[str] = []
    for text, boost in parts:
        # The per-token work runs in C (findall, map, compress): a 1,000-article digest reads
        # about half a million tokens, and a Python loop over them was most of its time.
        sts = list(map(_STEMS.__getitem__, _WORD.findall(text)))
        content = list(map(bool, sts))  # "" marks a stop word, number or clause break
        pair = list(map(and_, content, content[1:]))  # a bigram of two content words
        keys = list(map(add, map(_BIGRAM_LEFT.__getitem__, compress(sts, pair)), compress(sts[1:], pair)))
        for m in _NAME.finditer(text):
            j = m.start() - 1
            while j >= 0 and text[j] == " ":
                j -= 1
            keys += _name_keys(m.group(0), j < 0 or text[j] in _OPENERS)
        if "$" in text or "illion" in text:
            keys += _amounts(text)
        # A boost is a whole number of repeats, so one count in C gives every salience (and
        # the features in the order they first appear, so every sum downstream adds up in
        # the same order).
        found += keys * boost
    return Counter(found)


def fact_features(facts: list[dict]) -> dict[str, float]:
    """Features from an article's extracted facts: organisations involved and amounts."""
    feats: dict[str, float] = defaultdict(float)
    for fact in facts:
        ids = list(fact.get("party_ids") or [])
        kinds = list(fact.get("party_kinds") or [])
        if fact.get("by_entity_id"):
            ids.append(fact["by_entity_id"])
            kinds.append("org")
        for entity_id, kind in zip(ids, kinds, strict=False):
            if kind not in ("country", "place"):
                feats[f"f:e{entity_id}"] += 1.0
        if fact.get("kind") == "investment" and fact.get("value"):
            feats[f"f:m{(fact.get('currency') or '').lower()}{float(fact['value']):.4g}"] += 2.0
        if fact.get("kind") == "agreement" and fact.get("date"):
            feats[f"f:a{fact['date']}"] += 1.0
    return feats


@dataclass
class Story:
    """One digest item before summarising: its articles (oldest first) and their facts."""

    articles: list[dict]
    facts: list[dict] = field(default_factory=list)
    vectors: list[dict[str, float]] = field(default_factory=list, repr=False)

    @property
    def article_ids(self) -> list[int]:
        return [a["id"] for a in self.articles]

    @cached_property
    def terms(self) -> list[str]:
        """The story's most distinctive words and names (shared ones first), for summaries."""
        weights: dict[str, float] = defaultdict(float)
        count: dict[str, int] = defaultdict(int)
        for vec in self.vectors:
            for f, w in vec.items():
                if f[0] in "be":
                    weights[f[2:]] += w
                    count[f[2:]] += 1
        ranked = sorted(weights.items(), key=lambda kv: (-count[kv[0]], -kv[1], kv[0]))
        return [t for t, _ in ranked[:80] if not _is_generic(t)][:12]


def _weights(bags: list[dict[str, float]], df: Counter) -> list[dict[str, float]]:
    n = len(bags)
    idf = {d: math.log(1.0 + (n + 1) / d) for d in {1, *df.values()}}
    # Most features are bigrams of one article: every feature starts at that factor, and only
    # the others are looked at. Features of one article never link two articles (they only weigh
    # in its norm), so they skip the (costly) generic-words test.
    single = {k: w * idf[1] for k, w in KIND_WEIGHT.items()}
    factor = dict.fromkeys(df, single["b"])
    for f, d in df.items():
        if d > 1:
            k = KIND_WEIGHT[f[0]] * idf[d]
            factor[f] = k * GENERIC_FACTOR if f[0] in "be" and _is_generic(f[2:]) else k
        elif f[0] != "b":
            factor[f] = single[f[0]]
    saliences = set(chain.from_iterable(map(dict.values, bags)))
    logtf = {s: (1.0 + math.log(s)) if s >= 1 else s for s in saliences}
    # weight = log-scaled salience × factor, a few hundred thousand of them: multiplied in C.
    return [
        dict(zip(bag, map(mul, map(logtf.__getitem__, bag.values()), map(factor.__getitem__, bag)), strict=True))
        for bag in bags
    ]


def topic_cap(n: int) -> int:
    """How many of ``n`` articles a feature may be in and still tie two of them together: one
    in more names a topic, not a story (and would cost n² pairs)."""
    return max(4, min(n // 20, 60))


def similarities(vectors: list[dict[str, float]], df: Counter | None = None) -> dict[tuple[int, int], float]:
    """Cosine of every pair of vectors that share a feature in at most ``topic_cap`` of them
    (sparse: only pairs found through an inverted index); ``df``: articles per feature."""
    norms = [math.sqrt(sum(map(mul, v.values(), v.values()))) or 1.0 for v in vectors]
    df = df if df is not None else Counter(chain.from_iterable(vectors))
    cap = topic_cap(len(vectors))
    # Only features that can link two articles get postings (about one in five); the rest
    # count in the norms alone.
    postings: dict[str, list[int]] = {f: [] for f, d in df.items() if 1 < d <= cap}
    for i, vec in enumerate(vectors):
        for f in vec.keys() & postings.keys():
            postings[f].append(i)
    # Features in the order they first appear, pairs in index order: each cosine adds up its
    # terms in one fixed order, so the same batch always gives the same bits.
    dots: dict[tuple[int, int], float] = defaultdict(float)
    for f, docs in postings.items():
        weights = [vectors[i][f] for i in docs]
        for pair, product in zip(combinations(docs, 2), starmap(mul, combinations(weights, 2)), strict=True):
            dots[pair] += product
    return {pair: d / (norms[pair[0]] * norms[pair[1]]) for pair, d in dots.items()}


def link(n: int, sims: dict[tuple[int, int], float], threshold: float = SAME_STORY) -> list[list[int]]:
    """Group items ``0..n-1`` given the cosines of pairs ``(i, j)``, ``i < j`` (absent: 0).

    Average linkage: pairs are taken strongest first, and their two groups merge when their
    members are, on average, on the same story (``threshold``), up to ``MAX_STORY`` items; one
    shared name between two stories' articles cannot chain them together. Two groups that may
    merge hold ``MAX_STORY`` items between them, so a test reads at most 6 × 6 cosines: going
    through the pairs once, in order, is already incremental (no heap to keep)."""
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    owner = list(range(n))
    links = sorted(((-s, pair) for pair, s in sims.items() if s >= threshold))
    for _, (i, j) in links:
        a, b = owner[i], owner[j]
        if a == b or len(members[a]) + len(members[b]) > MAX_STORY:
            continue
        total = sum(sims.get((x, y) if x < y else (y, x), 0.0) for x in members[a] for y in members[b])
        if total / (len(members[a]) * len(members[b])) < threshold:
            continue
        keep, gone = min(a, b), max(a, b)
        for x in members[gone]:
            owner[x] = keep
        members[keep] += members.pop(gone)
    return [sorted(group) for group in members.values()]


def cluster(articles: list[dict], facts: list[dict] | None = None, *, threshold: float = SAME_STORY) -> list[Story]:
    """Group ``articles`` (rows with id, title, body) into stories; ``facts`` are the facts of
    those articles (rows with article_id). Same input, same output, always."""
    facts = facts or []
    by_article: dict[int, list[dict]] = defaultdict(list)
    for fact in facts:
        by_article[fact["article_id"]].append(fact)
    articles = sorted(articles, key=lambda a: a["id"])
    bags = []
    for art in articles:
        bag = text_features(art.get("title") or "", art.get("body") or "")
        for f, s in fact_features(by_article.get(art["id"], [])).items():
            bag[f] += s
        bags.append(bag)
    df = Counter(chain.from_iterable(bags))
    vectors = _weights(bags, df)
    return [
        Story(
            articles=[articles[i] for i in group],
            facts=[f for i in group for f in by_article.get(articles[i]["id"], [])],
            vectors=[vectors[i] for i in group],
        )
        for group in link(len(articles), similarities(vectors, df), threshold)
    ]
