"""Finding the facts a topic asks about: full-text candidates from the fact index (and the
articles' text), then each scored by where the topic's words occur."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from base.hangul import has_hangul
from base.names import name_key
from bot.core.context import within_budget
from bot.core.topic import Match, Query, match_fact, stem, stems
from storage import facts as store
from storage.facts import Fact

CANDIDATES = 50
ENOUGH = 10
SAME_SIGNING_DAYS = 60  # two stated days further apart than this are two signings


@dataclass
class Scored:
    """A fact row with how it matched the query."""

    fact: Fact
    match: Match

    @property
    def has_parties(self) -> bool:
        return any(p["role"] == "party" for p in self.fact["parties"])

    def party_keys(self) -> frozenset[int]:
        """The entities that are parties (worked out once: /timeline compares every pair)."""
        keys = self.__dict__.get("_party_keys")
        if keys is None:
            keys = self.__dict__["_party_keys"] = frozenset(
                p["entity_id"] for p in self.fact["parties"] if p["role"] == "party")
        return keys


def find_facts(db, query: Query, kind: str) -> list[Scored]:
    """Facts of ``kind`` matching at least half of the query's groups, best first."""
    # Each search after the first runs only while the command has time (bot/core/context.py):
    # past its budget it answers from the candidates found so far.
    ids: list[int] = []
    match_all = query.fts("AND")
    if match_all is None:
        ids = store.recent_facts(db, kind, limit=CANDIDATES)
    else:
        ids = within_budget(lambda: store.search_facts(db, kind, match_all, limit=CANDIDATES), [])
        if len(ids) < ENOUGH:
            ids += within_budget(lambda: store.facts_in_matching_articles(db, kind, match_all, limit=CANDIDATES), [])
        if len(ids) < ENOUGH and len(query.groups) > 1:
            match_any = query.fts("OR")
            ids += within_budget(lambda: store.search_facts(db, kind, match_any, limit=CANDIDATES), [])
            ids += within_budget(lambda: store.facts_in_matching_articles(db, kind, match_any, limit=CANDIDATES), [])
    if has_hangul(query.text):  # Korean topics: facts of the Korean articles holding the words (marked hook)
        ids += within_budget(lambda: store.facts_in_korean_articles(db, kind, query.text, limit=CANDIDATES), [])
    ids = list(dict.fromkeys(ids))
    scored = score_facts(db, query, store.load_facts(db, ids))
    return [s for s in scored if s.match.coverage >= 0.5]


def score_facts(db, query: Query, facts: list[Fact]) -> list[Scored]:
    """Score and rank facts: coverage, then facts with named parties, then score, then signed
    over planned, then the newest."""
    texts = store.article_texts(db, [f["article_id"] for f in facts]) if query.groups else {}
    bodies: dict[int, BodyWords] = {}
    out = []
    for f in facts:
        title, body = texts.get(f["article_id"], ("", ""))
        if f["article_id"] not in bodies:
            bodies[f["article_id"]] = BodyWords(body)
        # A clause of a sentence stating several agreements speaks for its own agreement only.
        own = stems(" ".join(filter(None, [
            f["subtype"], f["topic"], f["data"].get("clause") or f["evidence"], f["place"], f["purpose"],
            f["amount_text"],
            " ".join(m["text"] for m in f["data"].get("mentions", [])),
        ])))
        names = stems(" ".join(p["name"] + " " + p["as_written"] for p in f["parties"]))
        # The sentence before an amount says what it is for; a date asked for is the fact's own.
        # Where a sentence holds several amounts or agreements, the rest of it is only near.
        near = stems(title) | stems(f["data"].get("context") or "") | _date_words(f)
        if f["data"].get("clause"):
            near |= stems(f["evidence"])
        match = match_fact(query, own, names, near, bodies[f["article_id"]])
        if f["kind"] == "investment" and query.groups and _leads(query, f):
            match.score += 1.5
        out.append(Scored(f, match))
    out.sort(key=lambda s: (
        -s.match.coverage,
        # "three MoUs" reported together rank under any one agreement that matches as well
        -s.match.score + (1.0 if s.fact["data"].get("umbrella") else 0.0),
        # as well matched, an agreement whose parties are named first, then the kind asked for
        not s.has_parties if s.fact["kind"] == "agreement" else False,
        s.fact["subtype"] not in query.kinds,
        s.fact["status"] not in ("signed", "announced"),
        _negated_date(s.fact),
        -s.fact["id"],
    ))
    return out


_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]


def _date_words(fact: Fact) -> set[str]:
    """"2019-09-26" → {"2019", "septemb"}: the year and month a user may name in a topic."""
    date = fact.get("date") or fact.get("article_published") or ""
    if len(date) < 7 or not date[:4].isdigit() or not date[5:7].isdigit() or not 1 <= int(date[5:7]) <= 12:
        return set()
    return {date[:4], stem(_MONTHS[int(date[5:7]) - 1])}


def _leads(query: Query, fact: dict) -> bool:
    """The topic starts with the investor ("Toyota stake in Suzuki" is Toyota's money)."""
    investors = [p for p in fact["parties"] if p["role"] == "investor"]
    if not investors:
        return False
    name = stems(investors[0]["name"])
    return any(alt and alt <= name for alt in query.groups[0].stem_sets())


class BodyWords:
    """An article body asked "do you hold this stem?" — stemmed only on the first question,
    since most facts match on their own words or title and never need the body."""

    def __init__(self, body: str):
        self.body = body
        self._stems: set[str] | None = None
        self._lower: str | None = None  # lower-cased once, for the quick look before stemming

    def __contains__(self, word: str) -> bool:
        if self._stems is None:
            if self._lower is None:
                self._lower = self.body.lower() if self.body.isascii() else ""
            # a stem is part of the words it stems, but for the "y" of "ies" ("identity" stems
            # "Identities") and the accents it drops (a body that is not ASCII is stemmed)
            probe = word[:-1] if word.endswith("y") else word
            if self._lower and probe not in self._lower:
                return False
            self._stems = stems(self.body)
        return word in self._stems


def _negated_date(fact: Fact) -> str:
    date = fact.get("date") or fact.get("article_published") or ""
    return "".join(chr(0x10FFFF - ord(c)) for c in date)


def same_agreement(a: Scored, b: Scored) -> bool:
    """Two articles' agreements are one when they share two parties (or one names a subset of
    the other's) and their dates do not disagree — or when they name the very same parties,
    unless both state days far apart (then the dates are flagged as a conflict). The same
    partners sign again: a ministry and two chipmakers at the same venue a year apart are two
    agreements."""
    pa, pb = a.party_keys(), b.party_keys()
    if not pa or not pb:
        return False
    if len(pa) >= 2 and pa == pb:
        return not _days_apart(a.fact, b.fact)
    if not (len(pa & pb) >= 2 or pb <= pa or pa <= pb):
        return False
    # sharing some partners only: a report a year later (by its article's date when it states
    # none) is of another signing
    return not _dates_differ(a.fact, b.fact) and not _days_apart(a.fact, b.fact, published=True)


def _days_apart(a: dict, b: dict, *, published: bool = False) -> bool:
    """Both facts state a whole date (or, with ``published``, their articles' dates stand in)
    and they are more than ``SAME_SIGNING_DAYS`` apart."""
    days = []
    for f in (a, b):
        text = f.get("date") or (f.get("article_published") if published else None) or ""
        try:
            days.append(date.fromisoformat(text[:10]))
        except ValueError:
            return False
    return abs((days[0] - days[1]).days) > SAME_SIGNING_DAYS


def _dates_differ(a: dict, b: dict) -> bool:
    da, db_ = a.get("date"), b.get("date")
    if not (da and db_):
        return False
    n = min(len(da), len(db_), 10)  # "2023-08" and "2023-08-29" agree
    return da[:n] != db_[:n]


@dataclass
class Report:
    """One agreement as every matching article reports it: the report that best matches the
    topic leads; parties are the union, each with how many reports name it."""

    lead: Scored
    others: list[Scored]
    parties: list[dict]  # name, as_written, entity_id, reports
    conflicts: list[str]

    @property
    def facts(self) -> list[Fact]:
        return [self.lead.fact] + [o.fact for o in self.others]

    @property
    def date_fact(self) -> dict:
        """The report with the earliest stated date (the lead when none states one)."""
        dated = [f for f in self.facts if f.get("date")]
        return min(dated, key=lambda f: f["date"]) if dated else self.lead.fact


def merge_reports(lead: Scored, others: list[Scored]) -> Report:
    """Merge the reports of one agreement, flagging a report whose date or party list
    disagrees with the lead's. An article is one report: of its agreements merged here, the one
    naming most parties speaks for it."""
    kept: dict[object, Scored] = {}
    for o in others:
        article = o.fact.get("article_id")
        if article == lead.fact.get("article_id"):
            continue
        if article not in kept or len(o.party_keys()) > len(kept[article].party_keys()):
            kept[article] = o
    others = [o for o in others if kept.get(o.fact.get("article_id")) is o]
    parties: dict[int, dict] = {}
    for s in [lead, *others]:
        for p in s.fact["parties"]:
            if p["role"] != "party":
                continue
            entry = parties.setdefault(p["entity_id"], {"name": p["name"], "as_written": p["as_written"],
                                                        "entity_id": p["entity_id"], "reports": 0})
            entry["reports"] += 1
    conflicts = []
    for o in others:
        if _dates_differ(lead.fact, o.fact):
            conflicts.append(f"{_year_of(o.fact)} report “{o.fact['article_title']}” dates it "
                             f"{o.fact['date']}, the lead report {lead.fact['date']}")
        elif o.party_keys() and o.party_keys() != lead.party_keys() and len(o.party_keys() ^ lead.party_keys()) > 0:
            missing = lead.party_keys() - o.party_keys()
            extra = o.party_keys() - lead.party_keys()
            if missing and extra:
                conflicts.append(f"“{o.fact['article_title']}” names other parties "
                                 f"({', '.join(parties[e]['name'] for e in sorted(extra))})")
    if others and not lead.fact.get("date"):
        older = [o for o in others if o.fact.get("date") and _year_of(o.fact) != _year_of(lead.fact)]
        for o in older:
            conflicts.append(f"{_year_of(lead.fact)} report repeats the {o.fact['date'][:4]} list")
    return Report(lead, others, list(parties.values()), conflicts)


def _year_of(fact: Fact) -> str:
    return (fact.get("date") or fact.get("article_published") or "")[:4] or "undated"


def names_as_written(fact: Fact, role: str = "party") -> tuple[list[str], list[str]]:
    """(canonical names, names as the article wrote them) of a fact's parties."""
    parties = [p for p in fact["parties"] if p["role"] == role]
    return [p["name"] for p in parties], [p["as_written"] for p in parties]


def differs(name: str, written: str) -> bool:
    """True when the article's spelling is not just the canonical name in other case/suffix."""
    return name_key(name) != name_key(written)
