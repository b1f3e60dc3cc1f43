"""Clustering: articles on the same story become one digest item with all their sources.

Deterministic and local. Each article becomes a weighted bag of *distinctive* features: content
bigrams ("advanced packaging"), names ("SK hynix", "MOTIE"), money amounts and, when facts were
extracted, the organisations and amounts of its facts. A feature weighs more in the title and the
lead, less when it is common in the batch (inverse document frequency) and much less when it is
only words every article on the beat uses ("South Korea", "semiconductor industry"). Two articles
are on the same story when the cosine of their bags reaches ``SAME_STORY``; groups are merged
strongest pair first when their members are on average that similar (average linkage), up to
``MAX_STORY`` articles, so one shared name cannot chain two stories into one item. Two articles
whose facts name different deals (agreements or investments with no party in common) are never
one story, however alike their words: wire services write every deal in one template.

Memory grows with the articles, not with the pairs of them: the features of the whole batch are
a few flat arrays (numpy), the cosines of the pairs that share a distinctive feature are worked
out in one pass and each article keeps only its ``NEIGHBOURS`` most similar articles.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import compress
from operator import add, and_, itemgetter

import numpy as np

SAME_STORY = 0.02  # cosine; calibrated on the seeds and tests/digests/test_cluster.py
MAX_STORY = 12  # articles in one item at most
# Whole numbers: a boost counts a feature that many times (see text_features).
TITLE_BOOST, LEAD_BOOST = 3, 2
LEAD_PARAGRAPHS = 2
# What identifies a story is in its first few paragraphs; reading further costs time, not quality.
MAX_CHARS = 1000
GENERIC_FACTOR = 0.1
# Feature kinds: bigrams ("c": made only of words every article on the beat uses, see
# GENERIC_BIGRAMS), names ("n": likewise), money amounts, facts; a feature's first letter.
KIND_WEIGHT = {"b": 1.0, "c": 1.0, "e": 1.5, "n": 1.5, "m": 2.0, "f": 2.5}
GENERIC_KINDS = "cn"
# Each article keeps this many of its most similar articles; a story holds at most MAX_STORY.
NEIGHBOURS = 24

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
# The bigrams made only of words every article on the beat uses: weighed as kind "c", not "b".
GENERIC_BIGRAMS = frozenset(f"b:{x} {y}" for x in GENERIC_WORDS for y in GENERIC_WORDS)


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
        keys.append(("n:" if _is_generic(key) else "e:") + key)
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


# Paragraphs are read as one text with a clause break between them: no bigram or name runs on
# from one paragraph into the next, and a paragraph's first word counts as a sentence's first.
_PARAGRAPH_BREAK = " . "


def _segment_features(text: str) -> list[str]:
    """The features of one text, in the order they occur."""
    # The per-token work runs in C (findall, map, compress): a 5,000-article digest reads about
    # a million tokens, and a Python loop over them was most of its time.
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
    return keys


def text_features(title: str, body: str) -> Counter:
    """Feature → salience for one article: bigrams ``b:``, names ``e:`` (``n:`` when made only of
    words every article on the beat uses), amounts ``m:``; the title counts ``TITLE_BOOST`` times, the first
    ``LEAD_PARAGRAPHS`` paragraphs ``LEAD_BOOST`` times."""
    paragraphs = [p for p in (body or "")[:MAX_CHARS].split("\n") if p.strip()]
    lead = _PARAGRAPH_BREAK.join(paragraphs[:LEAD_PARAGRAPHS])
    rest = _PARAGRAPH_BREAK.join(paragraphs[LEAD_PARAGRAPHS:])
    # A boost is a whole number of repeats, so one count in C gives every salience (and the
    # features in the order they first appear, so every sum downstream adds up in one order).
    return Counter(_segment_features(title or "") * TITLE_BOOST + _segment_features(lead) * LEAD_BOOST
                   + _segment_features(rest))


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
    facts: list = field(default_factory=list)
    weigh: Callable[[list[dict]], list[dict[str, float]]] | None = field(default=None, repr=False, compare=False)
    fact_count: int | None = None  # when clustered from summaries: how many facts, none held

    @property
    def article_ids(self) -> list[int]:
        return [a["id"] for a in self.articles]

    @property
    def facts_told(self) -> int:
        """How many facts the story's articles state."""
        return self.fact_count if self.fact_count is not None else len(self.facts)

    @cached_property
    def vectors(self) -> list[dict[str, float]]:
        """Each article's weighted features, as the batch weighed them (worked out again for the
        few stories a digest summarises: the batch keeps no feature names)."""
        return self.weigh(self.articles) if self.weigh is not None else []

    @cached_property
    def terms(self) -> list[str]:
        """The story's most distinctive words and names (shared ones first), for summaries."""
        weights: dict[str, float] = defaultdict(float)
        count: dict[str, int] = defaultdict(int)
        for vec in self.vectors:
            for f, w in vec.items():
                if f[0] in "ben":
                    weights[f[2:]] += w
                    count[f[2:]] += 1
        ranked = sorted(weights.items(), key=lambda kv: (-count[kv[0]], -kv[1], kv[0]))
        return [t for t, _ in ranked[:80] if not _is_generic(t)][:12]


def topic_cap(n: int) -> int:
    """How many of ``n`` articles a feature may be in and still tie two of them together: one
    in more names a topic, not a story (and would cost n² pairs)."""
    return max(4, min(n // 20, 60))


_KIND_CODE = {k: i for i, k in enumerate(KIND_WEIGHT)}
_KIND_WEIGHTS = np.array(list(KIND_WEIGHT.values()))
_KIND_GENERIC = np.array([k in GENERIC_KINDS for k in KIND_WEIGHT])
_FIRST = itemgetter(0)


def _kinds(bag):
    """The kind code of each feature of a bag (a generic bigram is the code after "b")."""
    return map(add, map(_KIND_CODE.__getitem__, map(_FIRST, bag)), map(GENERIC_BIGRAMS.__contains__, bag))


@dataclass
class Batch:
    """The features of a batch of articles as flat arrays, one entry per (article, feature):
    the feature's hash, the article's index, the feature's weight; ``df`` counts the articles
    each feature is in, ``norms`` are the articles' vector lengths."""

    n: int
    keys: np.ndarray
    docs: np.ndarray
    weights: np.ndarray
    df: np.ndarray
    norms: np.ndarray
    unique: np.ndarray  # every distinct feature hash, sorted
    counts: np.ndarray  # articles per distinct feature

    @classmethod
    def of(cls, bags) -> Batch:
        """Weigh the bags (an iterable of feature → salience), keeping no feature name."""
        keys, saliences, kinds, sizes = array("q"), array("d"), array("B"), array("q")
        for bag in bags:  # each bag is read once and dropped: only numbers stay
            keys.extend(map(hash, bag))
            saliences.extend(bag.values())
            kinds.extend(_kinds(bag))
            sizes.append(len(bag))
        n = len(sizes)
        k = np.frombuffer(keys, dtype=np.int64) if keys else np.zeros(0, np.int64)
        unique, inverse, counts = np.unique(k, return_inverse=True, return_counts=True)
        counts = counts.astype(np.int32)
        df = counts[inverse]
        del inverse
        kind = np.frombuffer(kinds, dtype=np.uint8) if kinds else np.zeros(0, np.uint8)
        factor = _KIND_WEIGHTS[kind] * np.log1p((n + 1) / np.maximum(df, 1))
        # words every article on the beat uses weigh little, once they link two articles
        factor[_KIND_GENERIC[kind] & (df > 1)] *= GENERIC_FACTOR
        s = np.frombuffer(saliences, dtype=np.float64) if saliences else np.zeros(0)
        weights = np.where(s >= 1, 1.0 + np.log(np.maximum(s, 1.0)), s) * factor
        docs = np.repeat(np.arange(n, dtype=np.int32), np.frombuffer(sizes, dtype=np.int64) if sizes else 0)
        norms = np.sqrt(np.bincount(docs, weights=weights * weights, minlength=n))
        norms[norms == 0] = 1.0
        return cls(n, k, docs, weights, df, norms, unique, counts)

    def weigh(self, bag: dict[str, float]) -> dict[str, float]:
        """One article's bag weighed as this batch weighs it (its features must be in it)."""
        keys = np.fromiter(map(hash, bag), dtype=np.int64, count=len(bag))
        df = self.counts[np.searchsorted(self.unique, keys)]
        kind = np.fromiter(_kinds(bag), dtype=np.uint8, count=len(bag))
        factor = _KIND_WEIGHTS[kind] * np.log1p((self.n + 1) / df)
        factor[_KIND_GENERIC[kind] & (df > 1)] *= GENERIC_FACTOR
        s = np.fromiter(bag.values(), dtype=np.float64, count=len(bag))
        weights = np.where(s >= 1, 1.0 + np.log(np.maximum(s, 1.0)), s) * factor
        return dict(zip(bag, weights.tolist(), strict=True))


# Pairs worked out at once: the batch is compared a block of articles at a time, so what is held
# at any moment is bounded (about 4 MB of arrays), whatever the number of pairs.
BLOCK_PAIRS = 50_000


def similarities(batch: Batch, neighbours: int = NEIGHBOURS, *, block_pairs: int = BLOCK_PAIRS
                 ) -> dict[int, float]:
    """Cosine of the pairs ``(i, j)``, ``i < j``, that share a feature in at most ``topic_cap``
    of the articles, each article keeping only its ``neighbours`` most similar ones (a pair is
    kept when either of its articles keeps it), keyed ``i * n + j`` (``pair_key``). Features in
    more articles name a topic, not a story; they count in the lengths of the vectors only."""
    n, cap = batch.n, topic_cap(batch.n)
    linking = np.flatnonzero((batch.df > 1) & (batch.df <= cap))
    if not len(linking):
        return {}
    # the entries of each linking feature together, its articles in order
    order = linking[np.lexsort((batch.docs[linking], batch.keys[linking]))]
    docs, weights, keys = batch.docs[order], batch.weights[order], batch.keys[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    group = np.repeat(np.arange(len(starts)), sizes)  # each entry's feature
    by_doc = np.argsort(docs, kind="stable")  # each article's entries together
    doc_starts = np.searchsorted(docs[by_doc], np.arange(n + 1))
    pairs_of = np.cumsum(np.bincount(docs, weights=sizes[group], minlength=n))
    kept_keys, kept_cos = [], []
    lo = 0
    while lo < n:
        done = pairs_of[lo - 1] if lo else 0
        hi = max(lo + 1, int(np.searchsorted(pairs_of, done + block_pairs, side="right")))
        entries = by_doc[doc_starts[lo]:doc_starts[hi]]
        # each entry of the block's articles against every entry of its feature: (i, j) both ways
        counts = sizes[group[entries]]
        mine = np.repeat(entries, counts)
        theirs = np.repeat(starts[group[entries]], counts) + (
            np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
        i, j = docs[mine], docs[theirs]
        other = i != j
        i, j, p = i[other], j[other], weights[mine[other]] * weights[theirs[other]]
        pair = i * n + j
        # a pair's products are added up smallest first: the same sum whichever way round and
        # whatever the order of the features (their hashes differ from one process to the next)
        ordered = np.lexsort((p, pair))
        pair, p = pair[ordered], p[ordered]
        first = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
        i, j = pair[first] // n, pair[first] % n
        cos = np.add.reduceat(p, first) / (batch.norms[i] * batch.norms[j])
        # each article's strongest neighbours, best first (ties: the lower index)
        ranked = np.lexsort((j, -cos, i))
        rank = np.arange(len(ranked)) - np.searchsorted(i[ranked], i[ranked], side="left")
        top = ranked[rank < neighbours]
        kept_keys.append(np.minimum(i[top], j[top]) * n + np.maximum(i[top], j[top]))
        kept_cos.append(cos[top])
        lo = hi
    found, index = np.unique(np.concatenate(kept_keys), return_index=True)
    return dict(zip(found.tolist(), np.concatenate(kept_cos)[index].tolist(), strict=True))


def pair_key(n: int, i: int, j: int) -> int:
    """The key of the pair of items ``i`` and ``j`` (of ``n``) in ``similarities``' answer."""
    return i * n + j if i < j else j * n + i


def link(n: int, sims: dict[int, float], threshold: float = SAME_STORY,
         apart: Callable[[int, int], bool] | None = None) -> list[list[int]]:
    """Group items ``0..n-1`` given the cosines of pairs (keys ``pair_key``; absent: 0).

    Average linkage: pairs are taken strongest first, and their two groups merge when their
    members are, on average, on the same story (``threshold``), up to ``MAX_STORY`` items, and
    when no member of one is ``apart`` from a member of the other; one shared name between two
    stories' articles cannot chain them together. Two groups that may merge hold ``MAX_STORY``
    items between them, so a test reads at most 6 × 6 cosines: going through the pairs once, in
    order, is already incremental (no heap to keep)."""
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    owner = list(range(n))
    links = sorted(((-s, key) for key, s in sims.items() if s >= threshold))
    for _, key in links:
        i, j = divmod(key, n)
        a, b = owner[i], owner[j]
        if a == b or len(members[a]) + len(members[b]) > MAX_STORY:
            continue
        total = sum(sims.get(pair_key(n, x, y), 0.0) for x in members[a] for y in members[b])
        if total / (len(members[a]) * len(members[b])) < threshold:
            continue
        if apart is not None and any(apart(x, y) for x in members[a] for y in members[b]):
            continue
        keep, gone = min(a, b), max(a, b)
        for x in members[gone]:
            owner[x] = keep
        members[keep] += members.pop(gone)
    return [sorted(group) for group in members.values()]


def deal_parties(facts: list[dict]) -> frozenset[int] | None:
    """The organisations of the deals an article's facts name: the parties of its agreements
    between two or more of them and the investors of its amounts (countries and places aside);
    None when it names no such deal."""
    found: set[int] = set()
    for fact in facts:
        ids = [i for i, kind in zip(fact.get("party_ids") or [], fact.get("party_kinds") or [], strict=False)
               if kind not in ("country", "place")]
        agreement = fact.get("kind") == "agreement" and len(ids) >= 2
        investment = fact.get("kind") == "investment" and bool(fact.get("value")) and bool(ids)
        if agreement or investment:
            found.update(ids)
    return frozenset(found) or None


# What is left of a body once read when ``cluster`` may trim it: enough to tell whether a title is
# the start of its own text (digests/summarize.py, lead_article).
TRIMMED_CHARS = 300


@dataclass(frozen=True)
class FactSummary:
    """What clustering reads of one article's facts: their features, the organisations of the
    deals they name (``deal_parties``) and how many there are."""

    features: dict[str, float]
    deals: frozenset[int] | None
    count: int

    @classmethod
    def of(cls, facts: list) -> FactSummary:
        """The summary of one article's facts."""
        return cls(dict(fact_features(facts)), deal_parties(facts), len(facts))


def cluster(articles: list[dict], facts: list | None = None, *, threshold: float = SAME_STORY,
            trim: bool = False, summaries: dict[int, FactSummary] | None = None) -> list[Story]:
    """Group ``articles`` (rows with id, title, body) into stories; ``facts`` are the facts of
    those articles (rows with article_id), or ``summaries`` gives what clustering reads of them
    by article id (a digest holds tens of thousands of facts: it summarises them as it reads
    them; the stories then hold no facts, only their count). Same input, same output, always.
    ``trim``: each body is cut to ``TRIMMED_CHARS`` once its features are read (a digest reads
    the stories it shows again, whole), so the batch's texts are not all held at once."""
    by_article: dict[int, list] = defaultdict(list)
    for fact in facts or []:
        by_article[fact["article_id"]].append(fact)
    if summaries is None:
        summaries = {a: FactSummary.of(fs) for a, fs in by_article.items()}
    empty = FactSummary({}, None, 0)
    articles = sorted(articles, key=lambda a: a["id"])

    def bag(art: dict) -> Counter:
        found = text_features(art.get("title") or "", art.get("body") or "")
        for f, s in summaries.get(art["id"], empty).features.items():
            found[f] += s
        return found

    def bag_and_trim(art: dict) -> Counter:
        found = bag(art)
        if art.get("body") and len(art["body"]) > TRIMMED_CHARS:
            art["body"], art["full_body"] = art["body"][:TRIMMED_CHARS], 0
        return found

    batch = Batch.of(map(bag_and_trim if trim else bag, articles))
    deals = [summaries.get(a["id"], empty).deals for a in articles]

    def apart(x: int, y: int) -> bool:
        # two reports of different deals (no organisation in common) are two stories
        return deals[x] is not None and deals[y] is not None and deals[x].isdisjoint(deals[y])

    def weigh(members: list[dict]) -> list[dict[str, float]]:
        return [batch.weigh(bag(a)) for a in members]

    return [
        Story(articles=[articles[i] for i in group],
              facts=[f for i in group for f in by_article.get(articles[i]["id"], [])], weigh=weigh,
              fact_count=None if facts else sum(summaries.get(articles[i]["id"], empty).count for i in group))
        for group in link(len(articles), similarities(batch), threshold, apart)
    ]
