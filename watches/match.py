"""Matching new articles against every watch at once.

Each watch's tree is compiled once into a predicate over an ``ArticleView`` (the article's words,
its facts, its organisations, its language, its source). An index maps what an article can be
found by — a word, a pair of Korean characters, an entity, a fact kind, a language, a source — to
the watches that cannot match without it, so each article is tested only against the few watches
it could match (plus those with nothing to index, such as ``NOT x`` alone). Names are looked up
through the alias table when the matcher is built, so ``org:MOTIE`` also finds "the trade
ministry", and Korean names once they are aliases.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter

from base.names import name_key
from digests.digest import fact_entry, newsworthy
from storage.digests import facts_for_articles
from storage.watches import sources_brief
from watches.filter import compile_regex
from watches.text import cjk_pairs, first_cjk_pair, fold, hangul_share, has_cjk, words

# A Korean share of letters above this makes an article without a stored language Korean.
KOREAN_SHARE = 0.3
_FIRST_THREE = itemgetter(slice(None, 3))
_SENTENCE = re.compile(r"[^.!?\n。]+[.!?。]?")
_ALT = re.compile(r"\(([^()]{1,60})\)")


class ArticleView:
    """One article as the filters read it; every feature is worked out once, when first asked."""

    def __init__(self, row: dict, facts: list[dict]):
        self.row = row
        self.id = row["id"]
        self.facts = facts
        self.news_facts = [f for f in facts if newsworthy(f, row)]

    @cached_property
    def first_fact(self) -> dict[str, dict]:
        """Fact kind → the article's first newsworthy fact of that kind."""
        out: dict[str, dict] = {}
        for f in self.news_facts:
            out.setdefault(f["kind"], f)
        return out

    @cached_property
    def amounts(self) -> dict[str, list[tuple[float, dict, str | None]]]:
        """Currency → (value, fact, the article's own conversion as written or None) of each
        newsworthy investment, in that currency as written or as the article converts it."""
        out: dict[str, list[tuple[float, dict, str | None]]] = defaultdict(list)
        for f in self.news_facts:
            if f["kind"] != "investment" or not f.get("value"):
                continue
            out[(f.get("currency") or "").upper()].append((float(f["value"]), f, None))
            for currency, value, text in _conversions(f):
                out[currency].append((value, f, text))
        return out

    @cached_property
    def text(self) -> str:
        return (self.row.get("title") or "") + "\n" + (self.row.get("body") or "")

    @cached_property
    def folded(self) -> str:
        return fold(self.text)

    @cached_property
    def tokens(self) -> list[str]:
        return words(self.folded)

    @cached_property
    def token_set(self) -> frozenset[str]:
        return frozenset(self.tokens)

    @cached_property
    def padded(self) -> str:
        """The words, space-separated with a space at each end: a phrase is a substring."""
        return " " + " ".join(self.tokens) + " "

    @cached_property
    def pairs(self) -> set[str]:
        return cjk_pairs(self.folded) if has_cjk(self.folded) else set()

    @cached_property
    def entity_ids(self) -> frozenset[int]:
        ids = {i for f in self.facts for i in (f.get("party_ids") or [])}
        ids.update(f["by_entity_id"] for f in self.facts if f.get("by_entity_id"))
        return frozenset(ids)

    @cached_property
    def party_keys(self) -> frozenset[str]:
        return frozenset(name_key(p) for f in self.news_facts if f["kind"] == "agreement" for p in f.get("parties") or [])

    @cached_property
    def lang(self) -> str:
        stored = (self.row.get("lang") or "").lower()[:2]
        if stored:
            return stored
        return "ko" if hangul_share(self.text) >= KOREAN_SHARE else "en"

    @cached_property
    def keys(self) -> set[str]:
        """What the index finds this article by, besides its words (``token_set``: a word is its
        own key; the other keys hold a colon, which no word does)."""
        keys = {"h:" + p for p in self.pairs}
        keys.update(f"e:{i}" for i in self.entity_ids)
        keys.update("p:" + k for k in self.party_keys)
        keys.update("k:" + f["kind"] for f in self.news_facts)
        keys.add("l:" + self.lang)
        if self.row.get("source_id") is not None:
            keys.add(f"s:{self.row['source_id']}")
        return keys

    @cached_property
    def starts(self) -> frozenset[str]:
        """The first three letters of each word (what a ``word*`` watch is indexed by)."""
        return frozenset(map(_FIRST_THREE, self.token_set))  # in C; shorter words match no stem

    @cached_property
    def sorted_tokens(self) -> list[str]:
        return sorted(self.token_set)

    def contains(self, phrase: str) -> bool:
        """Whether the folded phrase is in the article: inside words for Korean, Chinese and
        Japanese, as whole words otherwise."""
        return _phrase_test(phrase)(self)

    def word_starting(self, stem: str) -> str | None:
        """A word of the article that starts with ``stem``, or None."""
        tokens = self.sorted_tokens
        i = bisect_left(tokens, stem)
        return tokens[i] if i < len(tokens) and tokens[i].startswith(stem) else None

    def sentence_with(self, phrase: str) -> str | None:
        """The first sentence of the article holding ``phrase`` (folded), as written."""
        ws = words(phrase)
        for m in _SENTENCE.finditer(self.text):
            folded = fold(m.group(0))
            if (phrase in folded) if has_cjk(phrase) else (ws and " " + " ".join(ws) + " " in " " + " ".join(words(folded)) + " "):
                return " ".join(m.group(0).split())
        return None


@dataclass
class Why:
    """Why a watch matched: short phrases, and the fact (or the words, whose sentence is looked
    up only when shown) behind it."""

    reasons: list[str] = field(default_factory=list)
    fact: dict | None = None
    article: ArticleView | None = None
    found: str | None = None  # the folded words whose sentence ``sentence`` shows

    def add(self, reason: str, fact: dict | None = None, found: str | None = None) -> None:
        self.reasons.append(reason)
        if fact is not None and self.fact is None:
            self.fact = fact
        if found and self.found is None:
            self.found = found

    @property
    def sentence(self) -> str | None:
        """The sentence the matched words are in, as written."""
        if self.article is None or self.found is None:
            return None
        return self.article.sentence_with(self.found)


Test = Callable[[ArticleView, "Why | None"], bool]


@dataclass
class Compiled:
    """A watch ready to match: its test and the keys an article needs (None: any article)."""

    watch: dict
    test: Test
    anchor: frozenset[str] | None


class _Names:
    """Names → entity ids and spellings, looked up once per matcher build."""

    def __init__(self, db):
        self.db = db
        self._entities: dict[str, int | None] = {}
        self._spellings: dict[int, list[str]] = {}

    def entity(self, name: str) -> int | None:
        key = name_key(name)
        if key not in self._entities:
            row = self.db.execute("SELECT entity_id FROM aliases WHERE key = ?", [key]).fetchone()
            if row is None:
                row = self.db.execute("SELECT id FROM entities WHERE key = ? ORDER BY kind = 'org' DESC LIMIT 1", [key]).fetchone()
            self._entities[key] = row[0] if row else None
        return self._entities[key]

    def spellings(self, entity_id: int) -> list[str]:
        if entity_id not in self._spellings:
            names = [r[0] for r in self.db.execute("SELECT alias FROM aliases WHERE entity_id = ?", [entity_id])]
            row = self.db.execute("SELECT name FROM entities WHERE id = ?", [entity_id]).fetchone()
            if row:
                names.append(row[0])
            self._spellings[entity_id] = list(dict.fromkeys(n for n in names if n and n.strip()))
        return self._spellings[entity_id]


def _phrase_test(folded: str) -> Callable[[ArticleView], bool]:
    """A test for a folded word or phrase, its words worked out once."""
    if has_cjk(folded):
        return lambda a: folded in a.folded
    ws = words(folded)
    if not ws:
        return lambda a: False
    if len(ws) == 1:
        word = ws[0]
        return lambda a: word in a.token_set
    padded = " " + " ".join(ws) + " "
    return lambda a: padded in a.padded


# Anchors that nearly every article has (a fact kind, a language) say little: a watch is indexed
# by them only when it has nothing more specific.
_BROAD = ("k:", "l:")


def _selectivity(anchor: frozenset[str]) -> int:
    return len(anchor) * (1000 if any(k.startswith(_BROAD) for k in anchor) else 1)


def _phrase_anchor(folded: str) -> frozenset[str] | None:
    if has_cjk(folded):
        pair = first_cjk_pair(folded)
        return frozenset({"h:" + pair}) if pair and len(pair) == 2 else None
    ws = words(folded)
    return frozenset({max(ws, key=len)}) if ws else frozenset()


def _fact_line(fact: dict) -> str:
    return fact_entry(fact)["text"]


class Compiler:
    """Turns filter trees into tests; shares name and source lookups between watches."""

    def __init__(self, db):
        self.names = _Names(db)
        self._sources: list[dict] | None = None
        self.db = db

    def sources(self, name: str) -> list[int]:
        if self._sources is None:
            self._sources = sources_brief(self.db)
        wanted = " " + " ".join(words(fold(name))) + " "
        out = []
        for s in self._sources:
            label = " " + " ".join(words(fold(s["name"] or ""))) + " "
            host = re.sub(r"^www\.", "", (re.match(r"^[a-z]+://([^/]+)", s["url"] or "") or [None, ""])[1])
            if wanted.strip() and (wanted in label or fold(name).strip() in host):
                out.append(s["id"])
        return out

    def compile(self, watch: dict) -> Compiled:
        test, anchor = self.node(watch["filter"])
        return Compiled(watch, test, anchor)

    def node(self, n: dict) -> tuple[Test, frozenset[str] | None]:
        t = n["t"]
        if t == "and":
            parts = [self.node(c) for c in n["c"]]
            tests = [p[0] for p in parts]

            def both(a: ArticleView, why: Why | None) -> bool:
                # A loop, not all(…): no generator per call, and this runs for most tests of most articles.
                for test in tests:  # noqa: SIM110
                    if not test(a, why):
                        return False
                return True

            anchors = [p[1] for p in parts if p[1] is not None]
            return both, (min(anchors, key=_selectivity) if anchors else None)
        if t == "or":
            parts = [self.node(c) for c in n["c"]]
            tests = [p[0] for p in parts]

            def either(a: ArticleView, why: Why | None) -> bool:
                for test in tests:  # noqa: SIM110 (as in both)
                    if test(a, why):
                        return True
                return False

            if any(p[1] is None for p in parts):
                return either, None
            return either, frozenset().union(*(p[1] for p in parts))
        if t == "not":
            inner, _ = self.node(n["c"][0])
            return (lambda a, why: not inner(a, None)), None
        if t in ("word", "phrase"):
            phrase = fold(n["v"])
            shown = n["v"] if t == "word" else f"“{n['v']}”"
            present = _phrase_test(phrase)

            def has(a: ArticleView, why: Why | None) -> bool:
                if not present(a):
                    return False
                if why is not None:
                    why.add(shown, found=phrase)
                return True

            return has, _phrase_anchor(phrase)
        if t == "prefix":
            stem = fold(n["v"])

            def starts(a: ArticleView, why: Why | None) -> bool:
                found = a.word_starting(stem)
                if found is None:
                    return False
                if why is not None:
                    why.add(f"{n['v']}* (“{found}”)", found=found)
                return True

            return starts, (frozenset({"x:" + stem[:3]}) if len(stem) >= 3 and not has_cjk(stem) else None)
        if t == "re":
            return self.regex(n["v"])
        if t == "amount":
            return self.amount(n)
        return self.field(n["f"], n["v"])

    def regex(self, pattern: str) -> tuple[Test, frozenset[str] | None]:
        rx = compile_regex(pattern)

        def search(a: ArticleView, why: Why | None) -> bool:
            m = rx.search(a.text)
            if m is None:
                return False
            if why is not None:
                why.add(f"re:/{pattern}/ (“{' '.join(m.group(0).split())[:60]}”)")
            return True

        return search, None

    def field(self, name: str, value: str) -> tuple[Test, frozenset[str] | None]:
        if name == "kind":
            def kind(a: ArticleView, why: Why | None) -> bool:
                fact = a.first_fact.get(value)
                if fact is not None and why is not None:
                    why.add(f"a new {value}", fact)
                return fact is not None

            return kind, frozenset({"k:" + value})
        if name == "lang":
            def lang(a: ArticleView, why: Why | None) -> bool:
                ok = a.lang == value
                if ok and why is not None:
                    why.add(f"lang:{value}")
                return ok

            return lang, frozenset({"l:" + value})
        if name == "source":
            ids = frozenset(self.sources(value))

            def source(a: ArticleView, why: Why | None) -> bool:
                ok = a.row.get("source_id") in ids
                if ok and why is not None:
                    why.add(f"source:{a.row.get('source_name') or value}")
                return ok

            return source, frozenset(f"s:{i}" for i in ids)
        entity_id = self.names.entity(value)
        if name == "party":
            key = name_key(value)

            def party(a: ArticleView, why: Why | None) -> bool:
                for f in a.news_facts:
                    if f["kind"] != "agreement":
                        continue
                    if (entity_id is not None and entity_id in (f.get("party_ids") or [])) or \
                            key in {name_key(p) for p in f.get("parties") or []}:
                        if why is not None:
                            why.add(f"party:{value}", f)
                        return True
                return False

            anchor = {"p:" + key} | ({f"e:{entity_id}"} if entity_id is not None else set())
            return party, frozenset(anchor)
        # org: an organisation the article names, through any of its aliases, or one of its facts'
        spellings = [fold(s) for s in (self.names.spellings(entity_id) if entity_id is not None else [])]
        spellings = list(dict.fromkeys([fold(value), *spellings]))
        tests = [(s, _phrase_test(s)) for s in spellings]

        def org(a: ArticleView, why: Why | None) -> bool:
            if entity_id is not None and entity_id in a.entity_ids:
                if why is not None:
                    fact = next((f for f in a.news_facts if entity_id in (f.get("party_ids") or [])
                                 or f.get("by_entity_id") == entity_id), None)
                    why.add(f"org:{value}", fact)
                return True
            for s, present in tests:
                if present(a):
                    if why is not None:
                        shown = f" (as “{s}”)" if s != fold(value) else ""
                        why.add(f"org:{value}{shown}", found=s)
                    return True
            return False

        anchors: set[str] = {f"e:{entity_id}"} if entity_id is not None else set()
        for s in spellings:
            one = _phrase_anchor(s)
            if one is None:
                return org, None
            anchors |= one
        return org, frozenset(anchors)

    def amount(self, n: dict) -> tuple[Test, frozenset[str] | None]:
        op, threshold, currency = n["op"], float(n["value"]), n["currency"]
        compare = {">=": float.__ge__, ">": float.__gt__, "<=": float.__le__, "<": float.__lt__}[op]

        def amount(a: ArticleView, why: Why | None) -> bool:
            for value, fact, converted in a.amounts.get(currency, ()):
                if compare(value, threshold):
                    if why is not None:
                        own = f" ({converted}, the article's own conversion)" if converted else ""
                        why.add(f"amount{op}{n['v']}{own}", fact)
                    return True
            return False

        return amount, frozenset({"k:investment"})


def _conversions(fact: dict) -> list[tuple[str, float, str]]:
    """(currency, value, as written) of the amounts an investment's text gives in brackets
    ("$205 million (274.4 billion won)"): the one rate we know without looking one up."""
    from ingest.extract.amounts import parse_money

    return [(m.currency, m.value, m.text) for alt in _ALT.findall(fact.get("amount_text") or "")
            for m in parse_money(alt)]


@dataclass
class Match:
    """An article that matched a watch, and why."""

    article: ArticleView
    watch: dict
    why: Why

    def reason(self) -> str:
        """Why, in one line: the watch and what it found."""
        return f"watch #{self.watch['id']}: " + "; ".join(dict.fromkeys(self.why.reasons))

    def fact_line(self) -> str | None:
        return _fact_line(self.why.fact) if self.why.fact else None


class Matcher:
    """Every watch compiled and indexed; ``match`` tests articles against the watches they can
    match."""

    def __init__(self, db, watches: Iterable[dict]):
        compiler = Compiler(db)
        self.compiled: list[Compiled] = []
        self.index: dict[str, list[int]] = defaultdict(list)
        self.prefixes: dict[str, list[int]] = defaultdict(list)  # "x:" anchors, by their three letters
        self.always: list[int] = []
        for watch in watches:
            c = compiler.compile(watch)
            if c.anchor is not None and not c.anchor:
                continue  # can never match (e.g. source: naming no source)
            n = len(self.compiled)
            self.compiled.append(c)
            if c.anchor is None:
                self.always.append(n)
            else:
                for key in c.anchor:
                    if key.startswith("x:"):
                        self.prefixes[key[2:]].append(n)
                    else:
                        self.index[key].append(n)
        self._keys = self.index.keys()

    def candidates(self, article: ArticleView) -> list[Compiled]:
        """The watches ``article`` could match, in watch order."""
        found = set(self.always)
        index = self.index
        for key in article.token_set & self._keys:
            found.update(index[key])
        for key in article.keys & self._keys:
            found.update(index[key])
        if self.prefixes:
            for stem in article.starts & self.prefixes.keys():
                found.update(self.prefixes[stem])
        return [self.compiled[i] for i in sorted(found)]

    def match(self, articles: Sequence[ArticleView]) -> list[Match]:
        """Every (article, watch) that matches, articles in order, watches in order; a watch only
        sees articles stored after it was made (``after_article_id``)."""
        out = []
        for a in articles:
            for c in self.candidates(a):
                if a.id <= c.watch.get("after_article_id", 0):
                    continue
                if c.test(a, None):
                    why = Why(article=a)
                    c.test(a, why)
                    out.append(Match(a, c.watch, why))
        return out


def views(db, rows: Sequence[dict]) -> list[ArticleView]:
    """Article rows with their facts, as the filters read them."""
    facts: dict[int, list[dict]] = defaultdict(list)
    for f in facts_for_articles(db, [r["id"] for r in rows]):
        facts[f["article_id"]].append(f)
    return [ArticleView(r, facts.get(r["id"], [])) for r in rows]
