"""Parties read from the dependency parse of a signing sentence: who stands in the places a
signing verb gives its parties (its subject, "with", "between", "by", "on behalf of"), each
expanded to the whole name and its list ("A, B and C"), people mapped to the bodies they sign for.

This is the statistical reader's own reading of a sentence; ``agreements`` weighs it against the
rules' reading (see ``agreements._check``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.extract import lexicon as lx
from ingest.extract.reader import NAME_LABELS, NUMBER_LABELS, Parse, Token

# Verbs that sign (they need no agreement noun) and verbs that sign only with one as their object.
SIGNING = frozenset({"sign", "ink", "seal", "pen", "countersign"})
WITH_NOUN = frozenset({"conclude", "strike", "forge", "enter", "reach", "finalize", "finalise", "clinch", "renew",
                       "form", "establish", "exchange", "adopt"})
_NOUN = re.compile(r"^(?:" + lx.AGREEMENT_NOUN + r")$")
_PARTY_PREPS = frozenset({"with", "between", "among", "amongst"})
PRONOUNS = frozenset({"it", "they", "we", "both", "which", "who", "that"})
# Common nouns that stand for who signs without naming it ("officials", "the two sides").
GENERIC = frozenset({"officials", "official", "sides", "side", "parties", "party", "companies", "company",
                     "firms", "firm", "countries", "country", "governments", "government", "partners",
                     "organizations", "organisations", "institutions", "representatives", "leaders",
                     "ministers", "executives", "following", "participants", "signatories", "members"})


@dataclass
class Reading:
    """The parties a parse gives one signing: character spans into the parsed text, and the
    people it dropped (they sign for a body the sentence does not name)."""

    verb: Token
    spans: list[tuple[int, int]] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    planned: bool = False


def signings(parse: Parse) -> list[Reading]:
    """Every signing the parse shows, with its parties."""
    out = []
    for v in parse.tokens:
        if not v.tag.startswith("VB"):
            continue
        objects = [c for c in parse.children(v) if c.dep in ("dobj", "nsubjpass", "attr", "obj")]
        nouns = [o for o in objects if _is_agreement(o)]
        if v.lemma not in SIGNING and not (v.lemma in WITH_NOUN and nouns):
            continue
        if v.lemma == "enter" and not nouns:
            nouns = [t for t in _prep_objects(parse, v, ("into",)) if _is_agreement(t)]
            if not nouns:
                continue
        out.append(_reading(parse, v, nouns))
    return out


def _is_agreement(t: Token) -> bool:
    return bool(_NOUN.match(t.text))


def _reading(parse: Parse, v: Token, nouns: list[Token]) -> Reading:
    reading = Reading(v)
    heads: list[Token] = []
    behalf = _behalf_of(parse, v)
    subjects = [c for c in parse.children(v) if c.dep == "nsubj"]
    if not subjects and v.dep == "xcomp":  # "A and B are expected to sign": the subject of "expected"
        subjects = [c for c in parse.children(parse.head_of(v)) if c.dep in ("nsubj", "nsubjpass")]
    if not subjects and v.dep == "pcomp":  # "The UK marks a milestone by signing an MoU with Indiana"
        governing = parse.head_of(parse.head_of(v))
        subjects = [c for c in parse.children(governing) if c.dep == "nsubj"]
    heads += [_resolved_subject(parse, v, c) for c in subjects]
    for c in parse.children(v):
        if c.dep == "agent":
            heads += [t for t in parse.children(c) if t.dep == "pobj"]
    for owner in [v, *nouns, *[c for c in parse.children(v) if c.dep == "nsubjpass"]]:
        heads += _prep_objects(parse, owner, _PARTY_PREPS)
    for n in nouns:  # "a memorandum of understanding between A and B": the noun's own prepositions
        for child in parse.children(n):
            if child.dep == "prep" and child.text.lower() == "of":
                for inner in parse.children(child):
                    heads += _prep_objects(parse, inner, _PARTY_PREPS)
    names: list[Token] = []
    for h in heads:
        if h is None:
            continue
        for t in _with_conjuncts(parse, h):
            if t.i not in {n.i for n in names}:
                names.append(t)
    for t in names:
        if t.lemma in PRONOUNS or (t.text.lower() in GENERIC and not t.proper) or t.ent in NUMBER_LABELS \
                or _is_agreement(t):
            continue
        span = name_span(parse, t)
        if _is_person(parse, t):
            org = _person_org(parse, t)
            if org is None:
                reading.people.append(parse.text[span[0]:span[1]])
                continue
            span = org
        if span not in reading.spans:
            reading.spans.append(span)
    if behalf:
        people_only = all(_is_person(parse, h) for h in heads if h is not None)
        if people_only or not reading.spans:
            reading.spans = behalf
    reading.planned = _planned(parse, v)
    return reading


def _prep_objects(parse: Parse, owner: Token, preps) -> list[Token]:
    out = []
    for child in parse.children(owner):
        if child.dep == "prep" and child.text.lower() in preps:
            out += [t for t in parse.children(child) if t.dep == "pobj"]
    return out


def _behalf_of(parse: Parse, v: Token) -> list[tuple[int, int]]:
    """"… signed on behalf of the EU and Korea": the bodies the signers sign for."""
    for on in parse.children(v):
        if on.dep == "prep" and on.text.lower() in ("on", "for"):
            for behalf in parse.children(on):
                if behalf.text.lower() == "behalf":
                    spans = []
                    for of in parse.children(behalf):
                        for h in (t for t in parse.children(of) if t.dep == "pobj"):
                            spans += [name_span(parse, t) for t in _with_conjuncts(parse, h)]
                    return spans
    return []


def _resolved_subject(parse: Parse, v: Token, subj: Token) -> Token | None:
    """"Samsung said it signed …": a pronoun subject is the subject of the verb of saying."""
    if subj.lemma not in ("it", "they"):
        return subj
    head = parse.head_of(v)
    if v.dep in ("ccomp", "xcomp", "conj") and head.i != v.i:
        for c in parse.children(head):
            if c.dep == "nsubj" and c.lemma not in PRONOUNS:
                return c
    return None


def _with_conjuncts(parse: Parse, head: Token) -> list[Token]:
    """A name and the names listed with it ("A, B and C"; "the following: A, B")."""
    out, todo = [], [head]
    while todo:
        t = todo.pop(0)
        if t in out:
            continue
        out.append(t)
        for c in parse.children(t):
            if c.dep == "conj" or (c.dep == "appos" and t.text.lower() in GENERIC and c.proper):
                todo.append(c)
    return out


def name_span(parse: Parse, t: Token) -> tuple[int, int]:
    """The whole name a word belongs to: its named entity, else the proper nouns and modifiers
    written before it, and "of …" after an institution's head word ("Ministry of Economy")."""
    if t.ent in NAME_LABELS and t.ent != "PERSON":
        start, end = t.ent_start, t.ent_end
    else:
        left = t
        for c in sorted(parse.children(t), key=lambda c: c.i):
            if c.i < t.i and c.dep in ("compound", "amod", "nmod", "poss", "nummod") and (c.proper or c.text[:1].isupper()):
                left = c if c.i < left.i else left
                left = _leftmost(parse, left)
        start, end = left.start, t.end
        if t.text.lower() in _INSTITUTIONS:
            for c in parse.children(t):
                if c.dep == "prep" and c.text.lower() in ("of", "for") and c.i == t.i + 1:
                    objects = [o for o in parse.children(c) if o.dep == "pobj"]
                    if objects:
                        end = max(_rightmost(parse, o).end for o in objects)
    text = parse.text[start:end]
    m = re.match(r"(?:the|The)\s+", text)
    return (start + m.end(), end) if m else (start, end)


def _leftmost(parse: Parse, t: Token) -> Token:
    kids = [c for c in parse.children(t) if c.i < t.i and c.dep in ("compound", "amod", "nmod", "poss", "punct")]
    return _leftmost(parse, min(kids, key=lambda c: c.i)) if kids else t


def _rightmost(parse: Parse, t: Token) -> Token:
    kids = [c for c in parse.children(t) if c.i > t.i and c.dep in ("conj", "cc", "compound", "punct", "pobj", "prep")]
    return _rightmost(parse, max(kids, key=lambda c: c.i)) if kids else t


_INSTITUTIONS = frozenset({"ministry", "department", "government", "office", "agency", "administration",
                           "commission", "council", "bank", "institute", "province", "state", "republic",
                           "kingdom", "city", "university", "association", "federation", "chamber", "authority"})


def _is_person(parse: Parse, t: Token) -> bool:
    """A person, as the parse shows one: a PERSON entity with a title before it or after it."""
    if t.ent != "PERSON":
        return False
    titles = lx.ROLE_WORDS | _TITLE_WORDS
    for c in parse.children(t):
        if c.dep in ("compound", "appos") and c.text.lower().rstrip(".") in titles:
            return True
        if c.dep == "appos" and (titled(c.text) or any(g.text.lower() in lx.ROLE_WORDS for g in parse.children(c))):
            return True
    head = parse.head_of(t)
    if t.dep == "appos" and (head.text.lower().rstrip(".") in titles or titled(head.text)):
        return True
    if t.dep == "appos" and any(s.dep == "appos" and s.i != t.i and s.text.lower() in titles
                                for s in parse.children(head)):  # "the Government of X, Minister of Y, Naaja Z"
        return True
    if t.dep == "appos" and head.dep == "pobj":  # "Minister of International Cooperation, Rania X"
        title = parse.head_of(parse.head_of(head))
        if title.text.lower().rstrip(".") in titles:
            return True
    first = _index_at(parse, t.ent_start)
    return first > 0 and parse.tokens[first - 1].text.lower().rstrip(".") in titles


def person_named(parse: Parse, start: int, end: int) -> bool:
    """True when ``parse.text[start:end]`` ends in a person's name that is a signer, not a body:
    a name the parse shows with a title ("Minister …, Rania El Mashat"), or one run together
    with the tail of a title cut off by a list ("Tourism Don Farrell", "Renewable Energy
    Mohammed Shaker El-Markabi")."""
    words = [t for t in parse.words_in(start, end) if t.tag not in (",", ".", "HYPH", "POS", "DT")]
    if not words or words[-1].ent != "PERSON" or any(w.ent in ("ORG", "GPE", "NORP") for w in words):
        return False
    before = [w for w in words if w.end <= words[-1].ent_start]
    if before:
        return all(w.text.lower() in lx.FIELD_WORDS or w.text.lower() in TITLE_FIELDS or
                   w.text.lower().rstrip(".") in lx.ROLE_WORDS | _TITLE_WORDS or w.tag in ("IN", "CC")
                   for w in before)
    return _is_person(parse, words[-1])


# Words of a title's field not in the lexicon's list of fields ("Minister of International
# Cooperation", "Minister for Electricity and Renewable Energy").
TITLE_FIELDS = frozenset({"international", "cooperation", "foreign", "affairs", "renewable", "electricity",
                          "internal", "market", "climate", "digital", "relations", "economic", "northern",
                          "state"})  # "Secretary of State"


_TITLE_WORDS = frozenset({"commissioner", "minister", "secretary", "ambassador", "governor", "mayor",
                          "president", "chairman", "ceo", "director", "administrator", "mr", "ms", "mrs",
                          "dr", "prime", "deputy", "vice"})


def _index_at(parse: Parse, start: int) -> int:
    return next((t.i for t in parse.tokens if t.start == start), -1)


def _person_org(parse: Parse, t: Token) -> tuple[int, int] | None:
    """The body a person with a title signs for, when the sentence names it: "Korea's Trade
    Minister Ahn" → Korea; "Governor Kim of South Chungcheong Province" → the province; "Kim,
    CEO of Orion" → Orion."""
    for c in parse.children(t):
        if c.dep == "poss" and c.ent in NAME_LABELS - {"PERSON"}:
            return name_span(parse, c)
        if c.dep == "prep" and c.text.lower() in ("of", "at"):
            objects = [o for o in parse.children(c) if o.dep == "pobj" and (o.ent in NAME_LABELS - {"PERSON"} or o.proper)]
            if objects:
                return name_span(parse, objects[0])
        if c.dep == "appos":  # "Mr. X, Ambassador of Japan to …": the first country of its "of"s
            found = _of_chain(parse, c, [a for a in parse.children(t) if a.dep == "appos" and a.i > c.i])
            if found is not None:
                return name_span(parse, found)
            for g in parse.children(c):  # "Mr. Y, Nauru High Commissioner to Fiji"
                if g.dep in ("compound", "poss") and g.ent in ("GPE", "ORG") and g.i < c.i:
                    return (g.ent_start, g.ent_end)
        if c.dep == "compound" and c.ent in ("GPE", "ORG") and c.text.lower() not in lx.ROLE_WORDS:
            return (c.ent_start, c.ent_end)
        if c.dep == "compound":  # "Korea 's Trade Minister Ahn", "NASA Administrator Nelson": off the title
            for g in parse.children(c):
                if g.dep in ("poss", "compound", "nmod") and g.ent in NAME_LABELS - {"PERSON"} and g.i < c.i:
                    return name_span(parse, g)
    return None


def _of_chain(parse: Parse, title: Token, more: list[Token] = ()) -> Token | None:
    """The first country (else organisation) a title is "of", following "of" down the chain and
    through the titles after it: "Director General of Asian Affairs, Ministry of Foreign Affairs
    of the Republic of Indonesia" → the Republic of Indonesia."""
    todo, seen, orgs = [title, *more], set(), []
    while todo:
        t = todo.pop(0)
        if t.i in seen:
            continue
        seen.add(t.i)
        for c in parse.children(t):
            if c.dep == "prep" and c.text.lower() == "of":
                for o in parse.children(c):
                    if o.dep == "pobj":
                        if o.ent == "GPE":
                            return o
                        if o.ent == "ORG":
                            orgs.append(o)
                        todo.append(o)
            elif c.dep in ("appos", "conj", "compound"):
                todo.append(c)
    return orgs[0] if orgs else None


_PLAN_HEADS = frozenset({"expect", "plan", "aim", "intend", "hope", "seek", "prepare", "agree", "decide", "set",
                         "schedule", "due", "likely", "poised", "going"})


def _planned(parse: Parse, v: Token) -> bool:
    """"are expected to sign", "will sign", "plan to sign": a signing still to come."""
    for c in parse.children(v):
        if c.dep == "aux" and c.text.lower() in ("will", "would", "shall", "may", "might", "could"):
            return True
        if c.dep == "neg":
            return True
    head = parse.head_of(v)
    return v.dep == "xcomp" and head.lemma in _PLAN_HEADS


_TITLE_WORD = re.compile(
    r"\b(?:Minister|Ministers|Secretary|Commissioner|Ambassador|President|Vice-President|Governor|Mayor|"
    r"Chairman|Chairwoman|Chairperson|CEO|Director|Director-General|Administrator|Premier|Chancellor|"
    r"Deputy|Under Secretary|Envoy|Representative|Consul|Plenipotentiary|Chief of Mission|Head of Mission|"
    r"Mr|Ms|Mrs|Dr|H\.E|Hon|Rt Hon)\b\.?")


_TITLE_FOR = re.compile(r"(?:" + _TITLE_WORD.pattern + r")\s+(?:for|of)\s+$")


def after_title(parse: Parse, start: int) -> bool:
    """True when the words at ``start`` are the field of a title written just before them:
    "Commissioner for Energy Kadri Simson" (the field and the person run together,
    which the small pipeline tags as one organisation)."""
    if not _TITLE_FOR.search(parse.text[max(0, start - 60):start]):
        return False
    first = parse.words_in(start, start + 1)
    return bool(first) and first[0].text.lower() in lx.FIELD_WORDS | TITLE_FIELDS  # not "Ambassador of Japan"


_TITLE_JUST_BEFORE = re.compile(r"(?:" + _TITLE_WORD.pattern + r"),?\s+$")


def titled_before(parse: Parse, start: int) -> bool:
    """True when a title is written right before ``start`` ("the Commission's President, Ursula
    von der Leyen"): the words there are a person's name, whatever the parse tags them."""
    return _TITLE_JUST_BEFORE.search(parse.text[max(0, start - 40):start]) is not None


def titled(text: str) -> bool:
    """True when a candidate holds a title ("Egypt's Minister for Petroleum Tarek El Molla",
    "Executive Vice-President"): a person, or a title torn from one, not a body."""
    return _TITLE_WORD.search(text) is not None


def body_of(parse: Parse, start: int, end: int, known: set[str] | frozenset[str] = frozenset()
            ) -> tuple[int, int] | None:
    """The body the person (or title) in ``parse.text[start:end]`` signs for, when the sentence
    names it: a country or organisation the title is "of" ("Ambassador of Japan"), one written
    before it ("Egypt's Minister …", "Korea's Trade Minister …"), or the title's own
    organisation ("Samsung CEO Kim")."""
    words = parse.words_in(start, end)
    behalf = _behalf_after(parse, words)
    if behalf is not None:
        return behalf
    people = [t for t in words if t.ent == "PERSON"] or words
    for t in people:
        org = _person_org(parse, t)
        if org is not None and not titled(parse.text[org[0]:org[1]]) and not after_title(parse, org[0]):
            return org  # not the field of the title and the person's name, tagged as one body
    for t in words:  # "Japan 's Minister …": a possessive country or body in the span
        if t.ent in ("GPE", "ORG", "NORP") and t.tag in ("NNP", "NNPS") and not titled(t.text):
            nxt = parse.tokens[t.i + 1] if t.i + 1 < len(parse.tokens) else None
            if nxt is not None and nxt.tag == "POS":
                return (t.ent_start, t.ent_end)
    return _named_before_title(parse, start, end, known)


def _behalf_after(parse: Parse, words: list[Token]) -> tuple[int, int] | None:
    """"Maroš Šefčovič, Vice-President …, on behalf of the European Union": the body named
    "on behalf of" right after the signer (before the next signer)."""
    if not words:
        return None
    last = words[-1].i
    for t in parse.tokens[last + 1: last + 25]:
        if t.text.lower() == "and" and parse.tokens[t.i - 1].text == ",":
            break  # the next signer's part of the list
        if t.text.lower() == "behalf":
            for of in parse.children(t):
                objects = [o for o in parse.children(of) if o.dep == "pobj"]
                if of.text.lower() == "of" and objects:
                    return name_span(parse, objects[0])
            nxt = parse.tokens[t.i + 1: t.i + 6]
            if len(nxt) >= 2 and nxt[0].text.lower() == "of":
                names = [n for n in nxt[1:] if n.ent in NAME_LABELS - {"PERSON"}]
                if names:
                    return (names[0].ent_start, names[0].ent_end)
    return None


def _named_before_title(parse: Parse, start: int, end: int, known) -> tuple[int, int] | None:
    """"the U.S. Secretary of Energy …", "Denmark Minister of Climate …", "United States Trade
    Representative …": the country or body written before the title, when it is one."""
    from ingest.extract.names import COUNTRIES, name_key

    text = parse.text
    title = _TITLE_WORD.search(text, start, end)
    if title is None:
        return None
    lead = re.match(r"\s*(?:the\s+)?", text[start:title.start()], re.I)
    words = list(re.finditer(r"[\w.&'’-]+", text[start + lead.end(): title.start()]))
    base = start + lead.end()
    for n in range(len(words), 0, -1):  # the longest run of words from the start that is a name
        a, b = base + words[0].start(), base + words[n - 1].end()
        key = name_key(text[a:b])
        if key in COUNTRIES or key in known:
            return (a, b)
    for t in parse.words_in(start, title.start()):
        if t.ent == "GPE" and t.ent_end <= title.start():
            return (t.ent_start, t.ent_end)
    return None


# Between two names of one list: a comma, "and", an alias in brackets ("the Department of Energy
# (DOE) and USDA"), an article.
_LIST_GAP = re.compile(r"^\s*(?:\([^()]{1,40}\)\s*)?(?:,\s*)?(?:and\s+|&\s+)?(?:the\s+)?$")
_BODY_LABELS = frozenset({"ORG", "GPE"})


def listed_bodies(parse: Parse, k: int, *, comma_ends: bool = False) -> list[tuple[int, int]] | None:
    """The first list of exactly ``k`` organisations or countries the sentence names, one after
    the other ("the EU and Uruguay", "between the Department of Energy (DOE) and USDA"); None
    when it names no such list. A list ends in "and" unless ``comma_ends`` (a headline's "Korea,
    Russia Take Step Forward With MOU")."""
    spans: list[tuple[int, int]] = []
    for t in parse.tokens:
        if t.ent in _BODY_LABELS and (not spans or spans[-1] != (t.ent_start, t.ent_end)):
            if _in_brackets(parse.text, t.ent_start):
                continue  # an alias given in brackets is the name before it
            spans.append((t.ent_start, t.ent_end))
    run: list[tuple[int, int]] = []
    for span in spans + [None]:
        if span is not None and (not run or _LIST_GAP.match(parse.text[run[-1][1]:span[0]])):
            run.append(span)
            continue
        # a list ends in "and" ("Seoul, Korea" is one place, not two bodies)
        if len(run) == k and (comma_ends or re.search(r"\band\b|&", parse.text[run[-2][1]:run[-1][0]])):
            return run
        run = [span] if span is not None else []
    return None


def _in_brackets(text: str, at: int) -> bool:
    before = text[max(0, at - 40):at]
    return before.rfind("(") > before.rfind(")")
