"""Agreements (MOUs, deals, partnerships, contracts, joint ventures, consortia) and who is party
to them, in the ways news writes it.

Each way of writing it is a ``Rule`` in ``RULES``, tried in order on every clause that names an
agreement: the first rule that names parties decides. The words the rules read by are in
``lexicon``; adding a phrasing is one rule here, or one word there."""

from __future__ import annotations

import dataclasses
import itertools
import logging
import re
from dataclasses import dataclass, field

from ingest.dates import MONTH
from ingest.extract import lexicon as lx
from ingest.extract.candidates import foreign_name, headed_by_common_noun, judge, locate_all
from ingest.extract.common import Context, find_date, find_place, strip_dateline
from ingest.extract.names import COUNTRIES, fold, name_key, named_like
from ingest.extract.orgs import (
    IN_NAME,
    REFERENCE_REACH,
    clean_item,
    country_of,
    generic_head,
    people_to_orgs,
    resolve_group,
    resolve_reference,
    split_list,
    strip_asides,
)
from ingest.extract.rules import Reject, Rule, first
from ingest.extract.sentences import Sentence
from ingest.extract.slots import (
    after_title,
    body_of,
    listed_bodies,
    person_named,
    signings,
    titled,
    titled_before,
)

log = logging.getLogger("briefbot.extract")

NOUN = lx.AGREEMENT_NOUN
NOUN_RX = re.compile(r"\b(?:" + NOUN + r")\b")
WORDS = lx.AGREEMENT_WORDS
# Cheap test on a sentence before any rule runs.
TRIGGER = re.compile(
    r"\b(?:" + NOUN + r"|statements?|declarations?|communiqu|signator(?:y|ies)|sign(?:s|ed|ing)?|ink(?:s|ed)|partner(?:s|ed)|"
    r"finali[sz]ed|"
    r"team(?:s|ed)? up|join(?:s|ed)? hands|tie(?:s|d)? up)\b",
    re.I,
)
SIGN_VERB = lx.SIGN_VERB
PARTNER_VERB = lx.PARTNER_VERB
ACTIVE = re.compile(
    r"\b(?P<verb>" + SIGN_VERB + r")\s+(?P<obj>(?:(?:an?|the|its|their|two|three|new|separate|"
    r"another|second|first|[\w$€£¥%.,'’-]+)\s+){0,7}?|an?\s+(?:amended|revised|updated|new)\s+version\s+of\s+"
    r"(?:the\s+)?(?:[\w$%.,'’-]+\s+){0,8}?)(?P<noun>" + NOUN + r")\b",
)
# "The EIB signed a EUR 75 million loan with Castellum": a loan or guarantee that is signed is an
# agreement (only with a verb of signing: "provides a loan" is an amount, not a signing).
SIGNED_LOAN = re.compile(
    r"\b(?P<verb>sign(?:s|ed)?|ink(?:s|ed)?|conclude[sd]?|finali[sz]e[sd]?)\s+(?P<obj>(?:(?:an?|the|its|their|new|two|three|"
    r"[\w$€£¥%.,'’-]+)\s+){0,7}?)(?P<noun>(?:loan|guarantee|counter-guarantee|credit|finance|financing|grant)s?"
    r"(?:\s+(?:facility|facilities|line|lines|operation|operations))?)\b(?!\s+(?:agreement|contract|deal))")
PARTNER = re.compile(r"\b(?P<verb>" + PARTNER_VERB + r")\s+(?P<rest>.+)")
SIGNATORIES = re.compile(
    r"\bsignator(?:y|ies)\b(?:[^.;]*?)\b(?:include[sd]?|including|are|were|was|is|comprise[sd]?|"
    r"consist(?:s|ed)? of)\s+(?P<list>.+)",
    re.I,
)
# "The signatories for Australia were …", "signatories on behalf of the EU included …".
SIGNATORIES_FOR = re.compile(r"\bsignator(?:y|ies)\s+(?:for|of|on behalf of)\s+(?P<side>(?:the\s+)?[A-Z][^,;]*?)\s+"
                             r"(?:include[sd]?|including|are|were|was|is|comprise[sd]?)\b")
PASSIVE = re.compile(
    r"\b(?:(?:was|were|has been|have been|had been|is|are|being|been)\s+)?(?:jointly\s+|also\s+)?"
    r"(?:" + lx.SIGNED_PASSIVE + r")\s+(?:[\w,]+\s+){0,4}?by\s+(?P<list>.+)"
)
# "announced the signing of the MOU on 22 November by A and B": the signing as a noun, its signers
# after "by".
SIGNING_OF = re.compile(r"\bsigning\s+(?:ceremony\s+)?of\s+(?P<what>(?:[^.]|\.(?=\S)){3,400}?)\s+by\s+(?P<list>.+)")
# "an MOU between A and B"; "A further MoU, for a juice plant, was signed between A and B";
# "An MOU has been signed in Seoul between A and B".
# "the MOU signing ceremony for “…” among A, B and C"; "Another MOU was signed among A and B".
BETWEEN = re.compile(
    r"\b(?P<noun>" + NOUN + r")(?:\s*\([A-Za-z]{2,8}\))?(?:\s+(?:(?:was|were|has been|have been|had been|is)\s+)?"
    r"(?:signed\s+|reached\s+|struck\s+)?|\s+signing(?:\s+ceremony)?(?:\s+(?:for|on)\s+[^.;]{1,120}?)?\s+"
    r"|\b[^.;]{0,100}?\b(?i:" + lx.SIGNED_BETWEEN + r")\b"
    r"(?:\s+[\w,.'’-]+){0,5}?\s+)(?i:between|among(?:st)?)\s+(?P<list>.+)"
)
ISSUED_STATEMENT = re.compile(
    r"\b(?:" + lx.ISSUED + r")\s+(?:(?:an?|the|their|its)\s+)?" + lx.STATEMENT + r"\b"
    r"|\b" + lx.STATEMENT + r"\s+(?:was\s+|were\s+)?(?:" + lx.ISSUED + r")\s+by\s+(?P<by>[^.;]+)"
)
ENDED = re.compile(
    r"\b(?:" + lx.ENDED + r")\s+(?:(?:an?|the|its|their|this|that)\s+)?(?:[\w-]+\s+){0,4}?(?P<noun>" + NOUN + r")\b"
)
NEGOTIATIONS = re.compile(
    r"\b(?:negotiations?|talks)\s+(?:for|on|over|toward|towards|about)\s+(?:(?:an?|the)\s+)?"
    r"(?:[\w,-]+\s+){0,5}?(?P<noun>" + NOUN + r")\b"
)
_LEADING_NAME = re.compile(r"(?:the\s+)?[A-Z][\w&.'’-]*(?:\s+(?:(?:of|and|for|&)\s+)?[A-Z][\w&.'’-]*)*")
FRONTED = re.compile(r"^(?:(?:First|Also|In addition|Additionally|Meanwhile|Separately|Moreover),\s+)?"
                     r"[Ww]ith\s+(?P<list>[^,]+(?:,\s+(?:and\s+)?[A-Z][^,]*)*),\s+")
FRONTED_WITH = re.compile(
    r"^(?:(?:Also|In addition|Additionally|Meanwhile|Separately|Moreover),\s+)?[Ww]ith\s+(?P<list>.+?),\s+"
    r"(?P<subj>[^,]+?)\s+(?P<verb>" + SIGN_VERB + r"|entered)\s+(?P<obj>(?:[\w$%.,'’-]+\s+){0,6}?)"
    r"(?P<noun>" + NOUN + r")\b"
)
PAIR_NAMED = re.compile(
    r"\b([A-Z][\w.]*(?:\s[A-Z][a-z]+)?)[-–]((?:Republic\s+of\s+)?[A-Z][\w.]*(?:\s[A-Z][a-z]+)?)\s+(?:[\w-]+\s+){0,5}?"
    r"(?P<noun>" + NOUN + r")\b"
)
# People sign; the agreement is between their bodies: "Under Secretary X and Deputy Under
# Secretary Y signed a joint statement on collaboration between the ITA and the MBDA".
SIGNED_FOR = re.compile(
    r"\b(?P<verb>" + lx.SIGNED_BETWEEN + r")\s+(?:an?|the|their)\s+[^.;]{0,40}?\b(?P<noun>" + NOUN + r")\b"
    r"(?P<gap>[^.;]{0,160}?)\s+(?:between|among(?:st)?)\s+(?P<list>.+)"
)
# "A signed with B on urban planning" (the agreement named in an earlier sentence).
SIGNED_WITH = re.compile(r"\b(?P<verb>" + lx.SIGNED_WITH + r")\s+(?:(?:separately|also)\s+)?with\s+(?P<list>.+)")
# "; the Department of X with Y on skills training": a clause that repeats the verb before it.
GAPPED = re.compile(r"^(?:and\s+)?(?P<subj>[^,]+?)\s+with\s+(?P<list>.+)$")
# "The companies that signed MoUs with the government included: A, B, C" (or one a line).
LIST_HEADER = re.compile(
    r"\b(?:companies|firms|organi[sz]ations|investors|entities|institutions|parties|partners|"
    r"businesses|groups)\s+(?:that|which|who)\s+(?:have\s+|had\s+)?(?:signed|inked)\s+"
    r"(?:the\s+|an?\s+)?(?P<noun>" + NOUN + r")(?:\s+with\s+(?P<with>[^:]+?))?\s+"
    r"(?:include[sd]?|were|are|comprise[sd]?)\s*:?\s*(?P<list>.+)$",
    re.S,
)
# "three MoUs", "four memoranda of understanding": several agreements reported together.
COUNTED = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|dozens of|several|\d+)\s+$", re.I)
LOST = re.compile(r"\b(?:rival|competing|losing|beat|beats|defeated|outbid|outbidding|against)\b[^.;]{0,40}$", re.I)
CONSORTIUM = re.compile(
    r"\bconsortium\s+(?:of|comprising|consisting of|made up of|including|formed by|that includes|"
    r"which includes|that included|which included|led by)\s+(?P<list>.+)"
)
PLANNED = re.compile(r"\b(?:" + lx.PLANNED + r")\b", re.I)
NEGATED = re.compile(r"\b(?:" + lx.NEGATED + r")\b", re.I)
DEFINITE = re.compile(r"^(?:the|this|that|said)\b", re.I)
# Where a list of names ends.
LIST_END = re.compile(
    r"\s+(?:to|on|in|at|for|under|that|which|who|whereby|aimed|aiming|during|amid|after|before|"
    r"following|while|when|where|regarding|concerning|covering|about|over|worth|valued|through|"
    r"via|last|this|next|earlier|later|according|said|says|reported|announced|witnessed|"
    r"attended|in the presence|from|into|by|within|as part|starting|beginning|until|to build|"
    r"officials|executives|with\s+(?:the\s+)?(?:Rt\.?\s+Hon|H\.E|Mr|Ms|Dr|Minister|Secretary|Commissioner|"
    r"President|Ambassador))\b|[;:—–]|" + IN_NAME + r"\(|\s-\s|,\s+(?:which|who|where|according|said|the\s+\w+\s+said|"
    r"in|on|at|to|as|while|with|under|officials|paving|marking|making|bringing|in a bid)\b|$"
)
INSTITUTION_BEFORE = re.compile(
    r"(?:Institute|Center|Centre|Agency|Council|Association|Foundation|Committee|Commission|"
    r"Office|Alliance|Organization|Organisation|Society|Federation|Ministry|Department|Bureau|"
    r"Fund|Corporation|Academy|School|University|Chamber|Authority|Administration|Board|"
    r"Forum|Union|Bank|Programme|Program|Partnership|Initiative|Network|Centre)$"
)
# "Ambassador … of Japan to the Republic of Indonesia": "to" names where an envoy serves.
ENVOY_BEFORE = re.compile(r"\b(?:Ambassador|Plenipotentiary|Envoy|Consul|High Commissioner|Chief of Mission|"
                          r"Head of Mission)\b[^,;]{0,60}\bof\s+(?:the\s+)?[A-Z][\w.'’ -]*$")
TITLE_BEFORE = re.compile(r"(?:Minister|Secretary|Commissioner|Ambassador|President|Director|Representative)$")
_TOPIC_AFTER = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:on|for|to|regarding|concerning|covering|about|over|in|related to|"
    r"aimed at|for the|to jointly|to cooperate on|to collaborate on)\s+(?P<topic>[^.;:]+)"
)
_TOPIC_END = re.compile(
    r"\s+(?:with|at|by|on (?:[A-Z]|\d)|in (?:[A-Z]|\d)|last|this|earlier|according|during|"
    r"the ministry said|officials said)\b|,|\s\(|$"
)
_LEAD_VERB = re.compile(
    r"^(?:jointly\s+)?(?:focus|collaborate|cooperate|work|partner|team up|join hands|deepen "
    r"cooperation|strengthen cooperation)\s+(?:on|in|with|for)\s*", re.I)
# "On March 26th, in Manila, Mr. A, … signed": after an opening adverbial, a place or time in
# lower case ("in Manila,") is one more.
_SUBJECT_LEAD = re.compile(r"^(?:(?:" + lx.LEADING_ADVERBIAL + r")\b[^,]*,\s*)+(?:(?:in|at|on)\s[^,]*,\s*)*")
# A date that opens the sentence without a comma: "on 10 May the European Investment Fund and …",
# "Finally, on 11 May EIF and Raiffeisen Bank signed".
_DATE_LEAD = re.compile(r"^(?:(?:[A-Z][a-z]+,\s*)?(?:on|in)\s+(?:\d{1,2}\s+[A-Z][a-z]+|"
                        r"[A-Z][a-z]+\s+\d{1,2}(?:st|nd|rd|th)?)(?:,?\s+\d{4})?,?\s+|(?:Today|Yesterday),?\s+)")
_SUBJECT_TAIL = re.compile(
    r"(?:\s+(?:has|have|had|also|officially|recently|jointly|formally|finally|successfully|today|"
    r"yesterday|reportedly|now|already|just|newly|once again|again|earlier|will|would|is|are|"
    r"was|were|be|to|been|expected|set|plans?|planned|planning|intends?|aims?|seeks?|hopes?|"
    r"agreed|said it|said they|said that it|said that they|poised|likely|scheduled|preparing|"
    r"prepares|in talks|(?:met|gathered|convened|sat down) and|"
    r"(?:on|last|this|next) \w+(?: \d{1,2})?(?:,? \d{4})?)\b)+\s*$",
)
_SAID_IT = re.compile(
    r"^(?P<who>.+?)\s+(?:said|says|announced|noted|confirmed|revealed|disclosed|stated|added)"
    r"(?:\s+(?:on|last|this)\s+(?:the\s+)?\w+|\s+today|\s+yesterday)?(?:\s+that)?\s+(?P<pron>it|they)\b",
    re.I,
)
_CLAUSE_START = re.compile(
    r".*(?:[;:]\s+|\s+(?:after|as|while|when|because|since|where|but|whereas|once|that|and then)\s+"
    r"|,\s+(?:but|while|as)\s+)",
    re.I | re.S,
)
# ", and" starts a new clause only after a clause with its own verb ("The ministry said …, and
# Samsung signed …"); otherwise it is the last item of a list ("A, B, and C signed …").
_AND_CLAUSE = re.compile(r".*,\s+and\s+", re.S)
_FINITE = re.compile(r"\b(?:said|says|announced|is|are|was|were|has|have|had|will|would|did|added)\b")
KINDS = [
    (re.compile(r"\bMOC|memorand\w* of cooperation", re.I), "memorandum of cooperation"),
    (re.compile(r"memorand|\bMOU|\bMoU", re.I), "MOU"),
    (re.compile(r"letters? of intent|\bLOI", re.I), "letter of intent"),
    (re.compile(r"statements? of intent|declarations? of intent|joint\b.*statement|statement|declaration|communiqu",
                re.I), "joint statement"),
    (re.compile(r"arrangement", re.I), "arrangement"),
    (re.compile(r"\bnotes\b|exchange of notes", re.I), "exchange of notes"),
    (re.compile(r"Framework"), "framework"),
    (re.compile(r"joint[ -]venture|\bJV", re.I), "joint venture"),
    (re.compile(r"consorti", re.I), "consortium"),
    (re.compile(r"partner|team|hands|tie-up|tie(?:s|d)? up|collaborat|forces", re.I), "partnership"),
    (re.compile(r"contract", re.I), "contract"),
    (re.compile(r"\bdeal", re.I), "deal"),
    (re.compile(r"\bpact", re.I), "pact"),
    (re.compile(r"alliance|allie", re.I), "alliance"),
    (re.compile(r"accord|treat", re.I), "accord"),
    (re.compile(r"\bloan|\bcredit|\bfinanc", re.I), "loan agreement"),
    (re.compile(r"guarantee", re.I), "guarantee agreement"),
    (re.compile(r"\bgrant", re.I), "grant agreement"),
    (re.compile(r"agreement", re.I), "agreement"),
]


# Characters that open the items of a list on a page.
BULLETS = "•·▪◦‣*– "
# Patterns of single rules below, compiled once.
_WITH_TO_COMMA = re.compile(r"\s+with\s+(?=(?:the\s+)?[A-Z])")
_THE_BEFORE_3 = re.compile(r"\b(?:the|this)\s+(?:\w+\s+){0,3}$")
_ARTICLE_BEFORE = re.compile(r"(?:\b(?:an?|the|their|its|this)\s+)((?:[\w-]+\s+){0,3})$")
_THE_BEFORE_2 = re.compile(r"\b(?:the|this)\s+(?:[\w-]+\s+){0,2}$")
_SIGN_STEM = re.compile(r"\b(?:" + lx.SIGN_STEM + ")")
_ORDER_NOUN = re.compile(r"contract|deal|order", re.I)
_DEFINITE_OBJ = re.compile(r"(?:the|this|that)\b", re.I)
_AFTER_WORD = re.compile(r"(?:after|before|upon|by)\s*$", re.I)
_ONE = re.compile(r"(?:a|an|one)\b", re.I)
_WITH_STOP = re.compile(r"(?<![A-Z])\.(?:\s|$)|;|\s+(?:which|that|whereby|under which|to (?:build|develop|supply|jointly|"
    r"produce|set up|establish|invest|create|expand|cooperate|collaborate|work|"
    r"promote|strengthen|boost))\b")
_WITH_FROM = re.compile(r"(?:^|\s)(?:with|from)\s+")
_TOPIC_FALLBACK = re.compile(r"^\s*(?:with\s+.+?\s+)?(?:to|on|for)\s+(?P<topic>[^.;:]+)")
_CAPITAL_NEXT = re.compile(r"\s*[A-Z]")
_BRACKETED = re.compile(r"\([^)]*\)")
_PROPOSED_BEFORE = re.compile(r"\b(?:" + lx.PROPOSED + r")\s+(?:[\w-]+\s+)?$")
_NOT_ONLY = re.compile(r"\bnot only\b")
# An agreement named with the participle that says it was signed ("a guarantee agreement signed
# between A and B on 29 March"), whatever the sentence plans around it.
_NOUN_SIGNED = re.compile(r"\b(?:" + NOUN + r")\s+(?:was\s+|were\s+)?(?:signed|inked|concluded)\s+(?:between|by|with|on|in)\b")
_TALKS_BEFORE = re.compile(r"\b(?:negotiations?|talks)\s+(?:(?:on|for|over|towards?)\s+)(?:an?\s+|the\s+)?"
                           r"(?:[\w-]+\s+){0,3}$", re.I)
# Kinds that name a relationship as often as a document: "between A and B" signs them only with a verb.
_RELATIONSHIPS = frozenset({"partnership", "alliance"})
# "… on behalf of the U.S. government", to the end of the body's name
_BEHALF_OF = r"\s*,?\s*on behalf of\s+(?P<who>(?:the\s+)?[^,;]+?)(?=\s*[,;]|\.?\s*$|\s+(?:with|to|at|in|on)\s)"
_BEHALF_AFTER = re.compile(_BEHALF_OF)
_ON_BEHALF = re.compile(r"(?:(?<=^)|(?<=,\s)|(?<=and\s)|(?<=by\s))[^,;]*?(?:,\s*[^,;]*?)?,?\s+on behalf of\s+")
# "the Secretary of State Michelle Donelan for the Department of …": the department, not the signer.
_FOR_BODY = re.compile(
    r"(?:(?<=^)|(?<=,\s)|(?<=and\s)|(?<=by\s))(?:(?!\sand\s)[^,;])*?\b(?:" + lx.TITLES + r")\b\s+"
    r"(?:(?!\sand\s)[^,;])*?[a-z]\s+for\s+"
    r"(?=the\s+(?:[A-Z][\w.'-]*\s+){0,3}(?:" + "|".join(sorted(w.capitalize() for w in lx.BODY_HEADS)) + r")\b)"
)
_DASH = re.compile(r"\s*[—–]\s*")
_SUBJECT_SIGNS = re.compile(r"^(?:sign|ink|seal|conclud|finali|reach|enter|struck|strik|forg|clinch)", re.I)
_CLAUSE_BREAK = re.compile(r"[,;]\s+(?!and\b|or\b)|\b(?:that|which|who)\s+")
_DONE_VERB = re.compile(r"\b(?:" + lx.DONE_VERB + r")\b(?!\s+to\b)")
_ANOTHER = re.compile(r"\b(?:another|a second|a third|a separate|a further|separate)\s+(?:[\w-]+\s+){0,3}$", re.I)
_HAS_SIGN = re.compile(r"\b(?:" + lx.SIGNED + r")\b")


@dataclass
class Party:
    """A party as the article writes it and the name it resolves to."""

    as_written: str
    name: str


@dataclass
class Mention:
    """One sentence's statement about an agreement."""

    sentence: Sentence
    kind: str
    status: str
    parties: list[Party] = field(default_factory=list)
    strong: bool = True
    definite: bool = False
    topic: str = ""
    date_text: str | None = None
    date: str | None = None
    place: str | None = None
    index: int = 0
    umbrella: bool = False  # "three MoUs": several agreements reported together
    listing: bool = False  # "Signatories included …": completes the agreement before
    clause: str | None = None  # the part of the sentence that states it, when not all of it
    rule: str = ""  # the rule that read it
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (candidate, why) the reader turned away
    another: bool = False  # "Another MOU was signed …": not the agreement of the sentence before
    each: int = 0  # bilateral agreements: the first ``each`` parties sign with each of the others
    pairs: frozenset[frozenset[str]] = frozenset()  # the sides of agreements named "A-B …" in the clause
    pair_sides: list[Party] = field(default_factory=list)  # the first such pair's sides


@dataclass
class Agreement:
    """An agreement as the article reports it, possibly over several sentences."""

    kind: str
    status: str
    parties: list[Party]
    topic: str
    date_text: str | None
    date: str | None
    place: str | None
    evidence: Sentence
    mentions: list[Mention]
    umbrella: bool = False
    clause: str | None = None
    origin: str = "rules"  # or "llm": added by the optional LLM reader
    rule: str = ""  # the rule that read its evidence sentence


def kind_of(text: str) -> str:
    """The agreement kind a noun or verb phrase names ("memorandum of understanding" → MOU)."""
    for rx, kind in KINDS:
        if rx.search(text):
            return kind
    return "agreement"


# ---------------------------------------------------------------- the clause and what a rule finds


@dataclass
class Clause:
    """One clause a rule reads: its text (folded, without a dateline), the text before it that a
    reference can point back to, and the article's context."""

    sentence: Sentence
    text: str
    before: str  # the headline and the body before the sentence
    ctx: Context
    gap: Mention | None = None  # the mention of the clause before, whose verb this one may share

    @property
    def low(self) -> str:
        return self.text.lower()

    def parties(self, segment: str, upto: int) -> list[Party]:
        """The parties listed in ``segment``, references resolved against the text before
        ``upto`` in this clause."""
        return _parties(segment, self.ctx, self.before + self.text[:upto])


@dataclass
class Found:
    """What one rule read in a clause."""

    kind: str
    parties: list[Party] = field(default_factory=list)
    topic: str = ""
    definite: bool = False
    strong: bool = True
    umbrella: bool = False
    listing: bool = False
    final: bool = False  # ends the search even without parties
    inherit: Mention | None = None  # status, date and place come from this mention
    each: int = 0  # "MOTIE entered bilateral MOUs with A and B": the first ``each`` parties sign with each other one
    status: str | None = None  # what the rule itself says of it ("talks"), before the words around it


def _list_header(c: Clause) -> Found | None:
    """"The companies that signed MoUs with the government included: A, B, C"."""
    m = LIST_HEADER.search(c.text)
    if not m:
        return None
    parties = c.parties(m.group("list"), m.start())
    if m.group("with"):
        parties += c.parties(m.group("with"), m.start())
    return Found(kind_of(m.group("noun")), parties, definite=True, listing=True)


def _signatories(c: Clause) -> Found | None:
    """"Signatories included A, B and C"; "The signatories for Australia were …": the people
    listed sign for Australia, and Australia is the party."""
    m = SIGNATORIES.search(c.text)
    if not m:
        return None
    noun = NOUN_RX.search(c.text)
    side = SIGNATORIES_FOR.search(c.text, m.start(), m.start("list"))
    parties = c.parties(side.group("side"), side.start("side")) if side else []
    return Found(kind_of(noun.group(0)) if noun else "agreement", parties or c.parties(m.group("list"), m.start()),
                 topic=_topic(c.text[noun.end():]) if noun else "", definite=True, listing=True, final=True)


def _consortium(c: Clause) -> Found | Reject | None:
    """"a consortium of A, B and C" (not the rival consortium that lost)."""
    m = CONSORTIUM.search(c.text)
    if not m:
        return None
    if LOST.search(c.text[: m.start()]):
        return Reject("the consortium that lost the bid")
    return Found("consortium", c.parties(m.group("list"), m.start()), topic=_topic_after_list(c.text, m))


def _between(c: Clause) -> Found | None:
    """"an MOU between A and B", "was signed between A and B" — unless bodies named as the
    subject signed it ("NASA and the CSA finalized an agreement between the United States and
    Canada": NASA and the CSA are the parties)."""
    m = BETWEEN.search(c.text)
    if not m:
        return None
    kind = kind_of(m.group("noun"))
    if kind in _RELATIONSHIPS and not _has_sign(c.text) and not _SIGN_STEM.search(c.text.lower()):
        return None  # "the strategic partnership between the EU and Japan continues to grow"
    verb = ACTIVE.search(c.text[: m.start("list")])
    if verb is not None and _SUBJECT_SIGNS.search(verb.group("verb")) and not verb.group("verb").endswith("ing"):
        subject = _subject(c.text[: verb.start()], c.ctx, c.before)
        if len(subject) >= 2 and not any(titled(p.as_written) for p in subject):
            return None
    return Found(kind_of(m.group("noun")), c.parties(m.group("list"), m.start()))


def _signed_for(c: Clause) -> Found | None:
    """People with titles sign an agreement "between" the bodies they sign for."""
    m = SIGNED_FOR.search(c.text)
    if not m or " with " in m.group("gap"):
        return None
    signers = c.text[: m.start()].lower().split()
    if not any(w.strip(",.") in lx.ROLE_WORDS for w in signers):
        return None
    return Found(kind_of(m.group("noun")), c.parties(m.group("list"), m.start()),
                 topic=_topic(c.text[m.end("noun"):]))


def _fronted_with(c: Clause) -> Found | None:
    """"With Tanzania and Madagascar, MOTIE entered bilateral MOUs on …": the other parties named
    before the subject. "bilateral" agreements are one with each of them."""
    m = FRONTED_WITH.match(c.text)
    if not m:
        return None
    subj = _subject(m.group("subj"), c.ctx, c.before)
    others = c.parties(m.group("list"), m.start("list"))
    if not subj or not others:
        return None
    each = len(subj) if "bilateral" in m.group("obj").lower() and m.group("noun").lower().endswith("s") else 0
    return Found(kind_of(m.group("noun")), subj + others, topic=_topic(c.text[m.end():]), each=each)


def _issued(c: Clause) -> Found | None:
    """"The members adopted a joint ministerial statement", "the Joint Statement issued by A and
    B": a statement issued, which nobody signed."""
    m = ISSUED_STATEMENT.search(c.text)
    if m is None:
        return None
    if m.group("by") is not None:
        parties = c.parties(m.group("by"), m.start())
    else:
        parties = _subject(c.text[: m.start()], c.ctx, c.before)
    return Found("joint statement", parties, topic=_topic(c.text[m.end():]), status="issued")


def _ended(c: Clause) -> Found | None:
    """"Orion terminated its supply agreement with Vega": an agreement that no longer holds."""
    m = ENDED.search(c.text)
    if not m or _has_sign(c.text[: m.start()]):
        return None
    subj = _subject(c.text[: m.start()], c.ctx, c.before)
    after = strip_asides(c.text[m.end():])
    with_m = _with_after(after)
    others = c.parties(with_m, m.end()) if with_m else []
    if not subj and not others:
        return None
    return Found(kind_of(m.group("noun")), subj + others, topic=_topic(after), status="terminated")


def _negotiations(c: Clause) -> Found | None:
    """"MOTIE declared the launching of negotiations for the bilateral EPA" (with Tanzania, named
    before or after): talks about an agreement, which is not signed."""
    m = NEGOTIATIONS.search(c.text)
    if not m or _SIGN_STEM.search(c.text, 0, m.start()):
        return None  # (the clause signs something first: "signed the FTA after years of talks on …")
    front = FRONTED.match(c.text)
    opened = _OPENED_TALKS.search(c.text, 0, m.start())
    if opened and not front:  # "Today the UK and South Korea have launched negotiations on …"
        subj = _subject(c.text[: opened.start()], c.ctx, c.before)
    else:
        lead = _LEADING_NAME.match(c.text[front.end() if front else 0: m.start()].split(",")[-1].strip())
        subj = c.parties(lead.group(0), m.start()) if lead else []
    others = c.parties(front.group("list"), front.start("list")) if front else []
    after = _with_after(c.text[m.end():])
    if after:
        others += c.parties(after, m.end())
    return Found(kind_of(m.group("noun")), subj + others, topic=_topic(c.text[m.end():]), status="talks", final=True)


_OPENED_TALKS = re.compile(r"\s+(?:ha(?:s|ve|d)\s+)?(?:formally\s+|officially\s+)?(?:launched|began|started|opened|"
                           r"held|resumed|kicked off|agreed to (?:launch|start|begin|open))\s+(?:the\s+)?$")


def _active_rule(c: Clause) -> Found | None:
    """"A signed an MOU with B", "A and B inked a deal"."""
    return _active(c.text, c.ctx, c.before)


def _signed_with_rule(c: Clause) -> Found | None:
    """"A signed with B on urban planning", the agreement named in an earlier sentence."""
    if NOUN_RX.search(c.text):
        return None
    m = SIGNED_WITH.search(c.text)
    if not m:
        return None
    subj = _subject(c.text[: m.start()], c.ctx, c.before)
    rest = c.parties(m.group("list"), m.start())
    earlier = NOUN_RX.findall(fold(c.before)[-1500:])
    if not (subj and rest and earlier):
        return None
    return Found(kind_of(earlier[-1]), subj + rest, topic=_topic(m.group("list")[_list_end(m.group("list")):]))


def _signed_on_behalf(c: Clause) -> Found | None:
    """"Mr. C. Ratwatte, Secretary of the Ministry of Finance, signed on behalf of GOSL": the other
    side of the agreement named in an earlier sentence."""
    if NOUN_RX.search(c.text):
        return None
    m = _SIGNED_ON_BEHALF.search(c.text)
    if not m:
        return None
    earlier = NOUN_RX.findall(fold(c.before)[-600:])
    side = _parties(m.group("who"), c.ctx, c.before)
    if not (earlier and side):
        return None
    return Found(kind_of(earlier[-1]), side[:1], definite=True)


_SIGNED_ON_BEHALF = re.compile(r"\bsigned(?:\s+it|\s+the\s+document)?" + _BEHALF_OF)


def _passive(c: Clause) -> Found | None:
    """"The MOU was signed by A, B and C"; "signed by A with B": both sides are parties."""
    m = PASSIVE.search(c.text)
    noun = NOUN_RX.search(c.text)
    if not (m and noun and noun.start() < m.start()):
        return None
    listed = _WITH_TO_COMMA.sub(", ", m.group("list"), count=1)
    before = c.text[: noun.start()]
    definite = bool(DEFINITE.search(c.text[max(0, noun.start() - 6): noun.start()].strip() or "x")) or \
        bool(_THE_BEFORE_3.search(before))
    return Found(kind_of(noun.group(0)), c.parties(listed, m.start()), topic=_topic(c.text[noun.end():]),
                 definite=definite, umbrella=bool(COUNTED.search(before)))


def _signing_of(c: Clause) -> Found | None:
    """"announced the signing of (1) a partnership and (2) an MoU … by A and B": both are parties."""
    m = SIGNING_OF.search(c.text)
    noun = NOUN_RX.search(m.group("what")) if m else None
    if noun is None:
        return None
    what = _ITEM_NUMBER.sub("", m.group("what"))
    what = what[: m2.start()] if (m2 := _ON_DATE.search(what)) else what
    return Found(kind_of(noun.group(0)), c.parties(m.group("list"), m.start("list")),
                 topic=" ".join(what.split()[:30]))


_ITEM_NUMBER = re.compile(r"\(\d+\)\s*")
_ON_DATE = re.compile(r"\s+on\s+(?:\d|" + MONTH + r"(?!\w)|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b)")


def _partner(c: Clause) -> Found | None:
    """"A partnered with B", "A teamed up with B"."""
    m = PARTNER.search(c.text)
    if not m or NOUN_RX.search(c.text[: m.start()]):
        return None
    subj = _subject(c.text[: m.start()], c.ctx, c.before)
    rest = c.parties(m.group("rest"), m.start())
    if not (subj and rest):
        return None
    return Found("partnership", subj + rest, topic=_topic(m.group("rest")[_list_end(m.group("rest")):]))


def _named_only(c: Clause) -> Found | None:
    """An agreement signed, its parties not named in the clause ("The MOU was signed on …")."""
    noun = NOUN_RX.search(c.text)
    if noun is None or not _has_sign(c.text) or not _SIGN_STEM.search(c.text):
        return None
    pre = _ARTICLE_BEFORE.search(c.text[: noun.start()])
    topic = ((_premodifiers(pre.group(1)) + " ") if pre else "") + _topic(c.text[noun.end():])
    return Found(kind_of(noun.group(0)), topic=topic, definite=bool(_THE_BEFORE_2.search(c.text[: noun.start()])))


def _pair_named(c: Clause) -> Found | None:
    """"Raimondo and Malaysia's minister signed the U.S.-Malaysia Memorandum of Cooperation": the
    two parties named in the agreement's own name, when nobody else is (and the clause signs it:
    "the U.S.-Japan Alliance evolves" signs nothing)."""
    if not _SIGN_STEM.search(c.text):
        return None
    for m, sides in _named_pairs(c.text, c.ctx):
        return Found(kind_of(m.group("noun")), sides, topic=_topic(c.text[m.end():]))
    return None


def _named_pairs(text: str, ctx: Context):
    """Each agreement named by its two sides in ``text`` ("U.S.-Malaysia Memorandum …"): the
    match and the two sides as parties."""
    for m in PAIR_NAMED.finditer(text):
        sides = [_pair_side(m.group(1), ctx), _pair_side(m.group(2), ctx)]
        if sides[0] and sides[1] and name_key(sides[0][1]) != name_key(sides[1][1]):
            yield m, [Party(*sides[0]), Party(*sides[1])]


def _pair_side(text: str, ctx: Context) -> tuple[str, str] | None:
    """One side of "U.S.-Malaysia" (or of "Japan-EU Digital Partnership"): a country or a body
    the index knows, as written and as its name."""
    words = text.split()
    for candidate in (" ".join(words[:n]) for n in range(len(words), 0, -1)):
        key = name_key(candidate)
        if key in COUNTRIES or key in ctx.index.keys:
            return candidate, clean_item(candidate, ctx.index) or candidate
    return None


def _pairs_named(text: str, ctx: Context) -> tuple[frozenset[frozenset[str]], list[Party]]:
    """The sides of every agreement named by its two sides in ``text`` ("ROK-UK Digital
    Partnership"), as name keys, and the first such pair's sides as parties."""
    pairs = [sides for _, sides in _named_pairs(text, ctx)]
    return frozenset(frozenset(_key(p, ctx.index) for p in sides) for sides in pairs), (pairs[0] if pairs else [])


def _gapped_rule(c: Clause) -> Found | None:
    """"…; the Department of X with Y on skills training": the verb of the clause before."""
    if c.gap is None or _SIGN_ANY.search(c.text):
        return None
    m = GAPPED.match(c.text.strip())
    if not m:
        return None
    subject = _parties_whole(m.group("subj"), c.ctx, c.before)
    others = _parties(m.group("list"), c.ctx, c.before)
    if not subject or not others:
        return None
    return Found(c.gap.kind, subject + others, topic=_topic(m.group("list")[_list_end(m.group("list")):]),
                 inherit=c.gap)


# In the order they are tried. ``needs``: the words a clause must hold for the rule to run.
RULES: list[Rule[Found]] = [
    Rule("list-header", (" that ", " which ", " who "), _list_header),
    Rule("signatories", ("signator",), _signatories),
    Rule("consortium", ("consorti",), _consortium),
    Rule("between", ("between", "among"), _between),
    Rule("signed-for", ("between", "among"), _signed_for),
    Rule("issued", ("adopt", "issu", "releas", "publish"), _issued),
    Rule("ended", ("terminat", "scrap", "cancel", "withdr", "pull"), _ended),
    Rule("negotiations", ("negotiat", "talks"), _negotiations),
    Rule("fronted-with", ("with",), _fronted_with),
    Rule("active", (), _active_rule),
    Rule("signed-with", ("with",), _signed_with_rule),
    Rule("signed-on-behalf", ("behalf",), _signed_on_behalf),
    Rule("passive", (" by ",), _passive),
    Rule("signing-of", ("signing of",), _signing_of),
    Rule("partner", lx.PARTNER_STEMS, _partner),
    Rule("named-only", (), _named_only),
    Rule("pair-named", ("-", "–"), _pair_named),
    Rule("gapped", ("with",), _gapped_rule),
]
# Rules that only read a clause no earlier rule made anything of.
_ONLY_IF_NOTHING = {"signed-with", "signed-on-behalf", "named-only", "gapped"}


def _skip(rule: Rule[Found], found: Found | None) -> bool:
    if rule.name == "pair-named":  # only where no rule named parties
        return found is not None and bool(found.parties)
    return found is not None and rule.name in _ONLY_IF_NOTHING


def _done(found: Found) -> bool:
    return bool(found.parties) or found.final


def find_agreements(sentences: list[Sentence], body: str, ctx: Context) -> list[Agreement]:
    """Every agreement in an article, mentions of one agreement merged."""
    mentions = []
    for i, sent in enumerate(sentences):
        if sent.lacks(WORDS) or not TRIGGER.search(sent.text):
            continue
        if sent.text.endswith(":"):
            listed = sent.text + "\n" + "\n".join(_lines_after(sentences, i, body))
            for m in _mentions(sent, listed, body, ctx):
                m.index = i
                m.clause = m.clause or listed  # what the list names is the agreement's own
                mentions.append(m)
            continue
        gap = None
        for _, clause in _clauses(sent.text):
            found = _mentions(sent, clause, body, ctx, gap)
            for m in found:
                m.index = i
                if clause.strip() != sent.text.strip() and m.clause is None:
                    m.clause = clause.strip()
                mentions.append(m)
            m = found[-1] if found else None
            gap = m if m is not None and (m.rule == "gapped" or _signed_with(clause)) and len(m.parties) >= 2 else None
    mentions += _headline(body, ctx, mentions)
    if ctx.reader is not None and mentions:
        _check(mentions, ctx)
        _fill_from_neighbours(mentions, sentences, ctx)
    return _merge(mentions, ctx.index)


def _headline(body: str, ctx: Context, mentions: list[Mention]) -> list[Mention]:
    """"The EIB and the Polish Ministry of Finance sign €600 million agreement …": a headline
    that names the signing, read as one more sentence (unless the body opens with it). A short
    name the body writes in full ("Toyota" for "Toyota Motor Corporation") is the body's party."""
    title = " ".join(ctx.title.split())
    if not title or not TRIGGER.search(title) or " ".join(body[:len(title) + 20].split()).startswith(title) \
            or any(len(m.parties) >= 2 for m in mentions):
        return []
    found = [m for m in _mentions(Sentence(title, 0, 0), title, body, ctx) if len(m.parties) >= 2]
    full = [p for m in mentions for p in m.parties]
    for m in found:
        m.index = 0
        m.parties = _dedupe([next((f for f in full if f.name.startswith(p.name + " ")), p) for p in m.parties],
                            ctx.index)
    return found


# The sentences of one article the reader parses at most: a page that lists hundreds of signings
# is read by the rules alone past that.
MAX_PARSED = 200


def _wants_reader(m: Mention, index) -> bool:
    """True when the reader has something to say: a party is not a name known before (a known
    name is a name: whether it is a party is the rules' to say), is a person with a title, or
    the rules named fewer than two parties."""
    return len(m.parties) < 2 or any(name_key(p.name) not in index.keys or titled(p.as_written)
                                     for p in m.parties)


def needs_check(mentions: list[Mention], index) -> list[str]:
    """The sentences (as the reader is given them) of the mentions the reader checks."""
    return [strip_dateline(fold(m.sentence.text)) for m in mentions if _wants_reader(m, index)]


def _check(mentions: list[Mention], ctx: Context) -> None:
    """The statistical reader's say on the rules' parties: those that are not names go, names
    cut short are completed, people give way to the bodies they sign for; where the rules found
    fewer than two parties, the parse's reading of the signing gives them."""
    todo = [m for m in mentions if _wants_reader(m, ctx.index)][:MAX_PARSED]
    try:
        parses = ctx.reader.parse([strip_dateline(fold(m.sentence.text)) for m in todo])
    except Exception as exc:  # text the model cannot read: the rules' reading stands
        log.warning("statistical reader failed on %d sentences (%s); keeping the rules' parties", len(todo), exc)
        return
    for m, parse in zip(todo, parses, strict=True):
        if parse is None:
            continue
        readings = signings(parse)
        people = {name_key(p) for r in readings for p in r.people}
        taken: list[tuple[int, int]] = []
        kept = []
        for p in m.parties:
            if name_key(p.name) != name_key(p.as_written) and not titled(p.as_written) \
                    and not named_like(p.as_written):
                # words swept up with a name ("Japan since the creation of its Guidelines"): the
                # parse says which part is the name
                whole = locate_all(parse.text, p.as_written, taken)
                if whole and foreign_name(parse.words_in(*whole[0])):
                    # "Československá obchodní banka": the whole name, lower-case words and all
                    p = Party(p.as_written, _LEAD_THE.sub("", p.as_written))
                verdict = judge(parse, *whole[0], known=False) if whole else None
                if verdict is not None and verdict.keep and verdict.name and name_key(p.name) != name_key(p.as_written):
                    p = Party(verdict.name, clean_item(verdict.name, ctx.index) or verdict.name)
            written = p.as_written if name_key(p.name) == name_key(p.as_written) or titled(p.as_written) \
                else p.name
            spans = locate_all(parse.text, written, taken)
            if not spans:  # a reference resolved to a name before the sentence
                kept.append(p)
                continue
            known = name_key(p.name) in ctx.index.keys
            if written != p.as_written and not known:
                # "the largest Korea-Africa summit": a name inside a phrase about something else
                whole = locate_all(parse.text, p.as_written, taken)
                head = headed_by_common_noun(parse, *whole[0]) if whole else None
                if head and not _described_before(p, head):
                    m.dropped.append((p.as_written, f"a {head}, not a name"))
                    continue
            # a name written twice ("President of Namibia …, between the EU and Namibia"): the
            # plainest reading of it wins
            span, verdict = min(((sp, judge(parse, *sp, known=known)) for sp in spans),
                                key=lambda sv: (not sv[1].keep, sv[1].name is not None))
            taken.append(span)
            if not verdict.keep:
                m.dropped.append((p.as_written, verdict.why))
                continue
            if not known and (_signs_for_another(p, people) or titled(p.name) or titled(p.as_written)
                              or person_named(parse, *span) or after_title(parse, span[0])
                              or titled_before(parse, span[0])):
                # a person signs for a body: the body is the party, when the sentence names it
                body = body_of(parse, *span, ctx.index.keys)
                if body is None and _introduced(p):
                    kept.append(p)  # the body the text introduced the person with
                    continue
                if body is None:
                    m.dropped.append((p.as_written, "a person signing for a body"))
                    continue
                written = parse.text[body[0]:body[1]]
                kept.append(Party(written, clean_item(written, ctx.index) or written))
                continue
            if verdict.name and not foreign_name(parse.words_in(*span)):
                name = clean_item(verdict.name, ctx.index) or verdict.name
                kept.append(Party(verdict.name, name))
            else:
                kept.append(p)
        m.parties = _dedupe(_joined_names(kept, parse, ctx), ctx.index)
        if len(m.parties) < 2:
            _fill_from_parse(m, parse, readings, ctx)


# The last word of a body whose name holds "and" ("Canadian Hydrogen and Fuel Cell Association").
_AND_NAME_END = re.compile(r"\b(?:Association|Council|Federation|Institute|Agency|Ministry|Department|Bank|"
                           r"Corporation|Commission|Authority|Organi[sz]ation|Society|Union|Chamber|Foundation|"
                           r"Fund|Cent(?:re|er)|Office|Board|Committee|Institution|Administration)$")


def _joined_names(parties: list[Party], parse, ctx: Context) -> list[Party]:
    """Two parties the rules split at an "and" that is part of one name: a name the article
    defines ("Canadian Hydrogen and Fuel Cell Association (CHFCA)"), or one the parse tags as one
    organisation."""
    out: list[Party] = []
    for p in parties:
        prev = out[-1] if out else None
        if prev is not None and _AND_NAME_END.search(p.as_written):
            joined = f"{prev.as_written} and {p.as_written}"
            at = parse.text.find(joined)
            words = parse.words_in(at, at + len(joined)) if at >= 0 else []
            if name_key(joined) in ctx.index.keys or words and words[0].ent_end >= at + len(joined) \
                    and all(w.ent == "ORG" and w.ent_start == words[0].ent_start for w in words):
                out[-1] = Party(joined, clean_item(joined, ctx.index) or joined)
                continue
        out.append(p)
    return out


# Who signs, named by what they are, not by name: the bodies are named around the sentence.
_UNNAMED = r"(?:(?:the\s+|their\s+)?(?:two|2)|both|their\s+respective)\s+(?:sides|parties|governments|" \
    r"departments|ministries|countries|nations|agencies|organi[sz]ations|institutions|companies)\b"
# "between the two departments", "signed by both governments", "Both sides signed"
_UNNAMED_PAIR = re.compile(r"\b(?:between|by)\s+" + _UNNAMED + r"|^\s*" + _UNNAMED +
                           r"\s+(?:have\s+|has\s+)?(?:signed|inked|sealed|concluded)\b", re.I)
_SIGNED_VERB = re.compile(r"\b(?:signed|inked|sealed|concluded)\b")
_SIGNED_BY = re.compile(r"\s+by\s+(?P<who>[^,;]+?(?:,\s+and\s+[^,;]+?)?)(?=,|;|(?<![A-Z])\.(?:\s|$)|\s+(?:on|in|at)\s|$)")
_SUBJECT_ITEMS = re.compile(r",\s*(?:and\s+)?|\s+and\s+")


def unnamed_signers(text: str) -> int:
    """How many signers a sentence names only as people with titles ("Commissioner for Energy
    Kadri Simson and Uruguay's Minister … signed") or as "the two departments": 0 when it names
    them otherwise, or fewer than two."""
    if _UNNAMED_PAIR.search(text):
        return 2
    verb = _SIGNED_VERB.search(text)
    if verb is None:
        return 0
    by = _SIGNED_BY.match(text, verb.end())
    if by:  # "The MOU, signed by Deputy Secretary Poneman and Deputy Secretary of Defense William Lynn, …"
        items = [i for i in _SUBJECT_ITEMS.split(by.group("who")) if i.strip()]
        return len(items) if len(items) >= 2 and all(titled(i) for i in items) else 0
    items = [i for i in _SUBJECT_ITEMS.split(text[: verb.start()]) if i.strip()]
    while items and not titled(items[0]):
        items.pop(0)  # what opens the sentence: "At the EU-CELAC Summit in Brussels"
    return len(items) if len(items) >= 2 and all(titled(i) for i in items) else 0


def _fill_from_neighbours(mentions: list[Mention], sentences: list[Sentence], ctx: Context) -> None:
    """Where people sign for bodies the sentence does not name, or "the two sides" do, the
    bodies are the list of as many names in the sentence before, the one after or the headline
    ("the EU and Uruguay have decided …" before "Commissioner … and Uruguay's Minister … signed")."""
    for m in mentions:
        k = unnamed_signers(m.clause or m.sentence.text) if len(m.parties) < 2 else 0
        if k < 2:
            continue
        before = [t for t in (s.text for s in sentences[max(0, m.index - 3): m.index]) if len(t.split()) >= 3]
        after = [t for t in (s.text for s in sentences[m.index + 1: m.index + 3]) if len(t.split()) >= 3]
        around = before[-1:] + after[:1] + ([ctx.title] if ctx.title else [])  # not a list's "1."
        try:
            parses = ctx.reader.parse([fold(strip_dateline(t)) for t in around])
        except Exception as exc:  # text the model cannot read: the sentence's own reading stands
            log.warning("statistical reader failed on the sentences around a signing (%s)", exc)
            return
        for j, parse in enumerate(parses):
            headline = bool(ctx.title) and j == len(parses) - 1
            spans = listed_bodies(parse, k, comma_ends=headline) if parse is not None else None
            if spans is None:
                continue
            parties = []
            for start, end in spans:
                written = parse.text[start:end]
                name = clean_item(written, ctx.index)
                verdict = judge(parse, start, end, known=name_key(name) in ctx.index.keys) if name else None
                if verdict is not None and verdict.keep:
                    parties.append(Party(verdict.name or written, clean_item(verdict.name, ctx.index) or name
                                         if verdict.name else name))
            parties = _dedupe(parties, ctx.index)
            # "between the two departments": whatever the rules read for them was a guess
            unnamed = _UNNAMED_PAIR.search(m.clause or m.sentence.text)
            # and a body read off a signer's title ("U.S. Deputy Secretary of Defense …") is one too
            own = set() if unnamed else {name_key(p.name) for p in m.parties if not titled(p.as_written)}
            if len(parties) == k and own <= {name_key(p.name) for p in parties}:
                m.parties, m.rule = parties, "neighbour"
                break
    for m in mentions:
        if len(m.parties) < 2 and len(m.pairs) == 1 and \
                {_key(p, ctx.index) for p in m.parties} <= {_key(p, ctx.index) for p in m.pair_sides}:
            # "Secretary … and South Korean Foreign Minister … signed … the U.S.-Republic of Korea
            # Science and Technology Agreement": the two sides the agreement is named by
            m.parties, m.rule = list(m.pair_sides), "pair-named"


def _key(p: Party, index) -> str:
    """The key of the entity a party names (its aliases share it)."""
    k = name_key(p.name)
    return index.canon.get(k, k)


def _signs_for_another(p: Party, people: set[str]) -> bool:
    """The party is one of the people the parse saw sign (with a title), not a body."""
    key = name_key(p.as_written)
    return any(key == person or key in person or person.endswith(key) for person in people)


def _fill_from_parse(m: Mention, parse, readings, ctx: Context) -> None:
    """The parties of the signing the parse reads in the sentence, when it names at least two."""
    best = max((r for r in readings if len(r.spans) >= 2), key=lambda r: len(r.spans), default=None)
    if best is None:
        return
    parties = []
    for start, end in best.spans:
        if titled(parse.text[start:end]) or _a_person(parse, start, end):
            # a person or a title: the body, if the sentence names it
            body = body_of(parse, start, end, ctx.index.keys)
            if body is None:
                continue
            start, end = body
        written = parse.text[start:end]
        name = clean_item(written, ctx.index)
        if not name:
            continue
        verdict = judge(parse, start, end, known=name_key(name) in ctx.index.keys)
        if verdict.keep:  # the parse's slots hold what the rules' do: "the goal", "players"
            parties.append(Party(verdict.name or written, clean_item(verdict.name, ctx.index) or name
                                 if verdict.name else name))
    if len(_dedupe(parties, ctx.index)) >= 2:
        m.parties = _dedupe(parties, ctx.index)
        m.rule = "parse"
        if best.planned and m.status == "signed":
            m.status = "planned"


def _a_person(parse, start: int, end: int) -> bool:
    """True when the parse tags every name word of the span a person's ("Marc Lemaître")."""
    words = [t for t in parse.words_in(start, end) if t.tag in ("NNP", "NNPS")]
    return bool(words) and all(t.ent == "PERSON" for t in words)


def _mention(sent: Sentence, clause: str, body: str, ctx: Context, gap: Mention | None = None) -> Mention | None:
    """What ``clause`` of ``sent`` states about an agreement: the first rule that reads it (when
    it states several bilateral ones, the first; ``_mentions`` gives them all)."""
    found = _mentions(sent, clause, body, ctx, gap)
    return found[0] if found else None


def _mentions(sent: Sentence, clause: str, body: str, ctx: Context, gap: Mention | None = None) -> list[Mention]:
    """What ``clause`` of ``sent`` states about agreements: one mention, or one per partner of
    "bilateral" agreements."""
    m = _read_mention(sent, clause, body, ctx, gap)
    if m is None or not m.each or len(m.parties) <= m.each + 1:
        return [m] if m is not None else []
    own, partners = m.parties[: m.each], m.parties[m.each:]
    out = []
    for p in partners:
        own_clause = clause  # the clause's words, not those of the sentence's other clauses
        for other in partners:
            if other is not p:
                name = re.escape(other.as_written)  # and the comma or "and" that joined it
                own_clause = re.sub(r"(?:,\s*|\s+and\s+)" + name + "|" + name + r"(?:,\s*|\s+and\s+)?", "",
                                    own_clause, count=1)
        out.append(dataclasses.replace(m, parties=own + [p], another=True, clause=own_clause.strip()))
    return out


def _read_mention(sent: Sentence, clause: str, body: str, ctx: Context, gap: Mention | None = None) -> Mention | None:
    """The first rule's reading of ``clause``, as a mention."""
    # "• UK and South Korea to launch negotiations …": a bullet of page text opens no name
    text = strip_dateline(fold(clause)).lstrip(BULLETS)
    c = Clause(sent, text, _context(ctx, body, sent), ctx, gap)
    outcome = first(RULES, c.low, c, done=_done, skip=_skip)
    found = outcome.found
    if found is None:
        return None
    if found.inherit is not None:
        g = found.inherit
        return Mention(sent, found.kind, g.status, _dedupe(found.parties, ctx.index), True, False, found.topic,
                       g.date_text, g.date, g.place, rule=outcome.rule)
    status = found.status or _status(text, "signed", _anchor(text))
    if status == "negated":
        return None
    if status == "signed" and found.kind == "joint statement" and not _SIGN_STEM.search(text):
        status = "issued"  # "Joint Statement between A and B": a statement is issued, not signed
    strong = found.strong and not _generic_examples(text)
    date_text, date = find_date(text, ctx)
    place = find_place(text)
    noun = NOUN_RX.search(text)
    another = bool(noun and _ANOTHER.search(text[max(0, noun.start() - 30): noun.start()]))
    pairs, sides = _pairs_named(text, ctx) if ("-" in text or "–" in text) else (frozenset(), [])
    return Mention(sent, found.kind, status, _dedupe(found.parties, ctx.index), strong, found.definite, found.topic,
                   date_text, date, place, umbrella=found.umbrella, listing=found.listing, rule=outcome.rule,
                   another=another, each=found.each, pairs=pairs, pair_sides=sides)


def _lines_after(sentences: list[Sentence], i: int, body: str) -> list[str]:
    """The items listed one a line after "…included:" (the sentences of the same paragraph)."""
    out = []
    end = sentences[i].end
    for s in sentences[i + 1:]:
        if "\n\n" in body[end:s.start] or len(out) >= 60:
            break
        out.append(s.text)
        end = s.end
    return out


def _context(ctx: Context, body: str, sent: Sentence) -> str:
    """The text a reference in ``sent`` can point back to: the headline, then the body before
    (a reference reaches back ``orgs.REFERENCE_REACH`` characters; twice that is kept)."""
    reach = 2 * REFERENCE_REACH
    if sent.start > reach:
        return body[sent.start - reach: sent.start]
    return (ctx.title + " ¶\n\n" if ctx.title else "") + body[: sent.start]


def _signed_with(clause: str) -> bool:
    """"A signed with B …": the pattern needs "with" (ASCII text is its own fold)."""
    if clause.isascii() and "with" not in clause:
        return False
    return SIGNED_WITH.search(fold(clause)) is not None


def _clauses(text: str) -> list[tuple[int, str]]:
    """The clauses of a sentence that may each state an agreement ("…; …", ", while …"). A
    signing still to come joined to one done ("MCC has signed Compacts with A and B and will
    sign a Compact with Georgia this month") is a clause of its own, with the subject of the
    first: "MCC will sign a Compact with Georgia this month"."""
    if ";" not in text and "while" not in text and "whereas" not in text and " and " not in text:
        return [(0, text)]  # nothing to split at
    parts = _CLAUSE_SPLIT.split(text)
    out, pos = [], 0
    for p in parts:
        at = text.find(p, pos)
        pos = at + len(p)
        later = _AND_LATER.search(p)
        first = _SIGN_ANY.search(p)
        if later and first and first.start() < later.start() and first.start() > 0:
            out += [(at, p[: later.start()]), (at + later.end(), p[: first.start()] + p[later.end():])]
        else:
            out.append((at, p))
    return out


_CLAUSE_SPLIT = re.compile(r";\s+|,\s+while\s+|,\s+whereas\s+")
_AND_LATER = re.compile(r",?\s+and\s+(?=(?:will|would|is to|are to|plans? to|intends? to|expects? to|is expected to|"
                        r"are expected to)\s+(?:sign|conclude|ink)\b)")


def _has_sign(text: str) -> bool:
    return _HAS_SIGN.search(text) is not None


def _active(text: str, ctx: Context, before_text: str) -> Found | None:
    loans = SIGNED_LOAN.finditer(text) if "loan" in text or "guarantee" in text or "financ" in text \
        or "credit" in text or "grant" in text else ()
    for m in itertools.chain(ACTIVE.finditer(text), loans):
        obj = m.group("obj")
        if ";" in obj or ("." in obj and _STOP.search(obj)):  # "a EUR 7.5m agreement" is one phrase
            continue
        verb = m.group("verb")
        if verb.lower().startswith(("won", "win", "land", "bag", "secur", "award")) and not _ORDER_NOUN.search(m.group("noun")):
            continue
        kind = kind_of(m.group("noun"))
        before = text[: m.start()]
        if _BE_BEFORE.search(before):
            continue  # "The MOU was signed as part of the Compact …": a passive, its subject no party
        if before.rstrip().endswith(",") and verb in ("signed", "concluded", "inked") and _PARTICIPLE_OBJ.match(obj):
            continue  # "… under the Agreement on Cooperation, signed in 1989, and the MOU …": a participle
        subj = _subject(before, ctx, before_text)
        definite = bool(_DEFINITE_OBJ.match(obj.strip()))
        after = strip_asides(text[m.end():])
        behalf = _BEHALF_AFTER.search(after) if "behalf of" in after else None
        if behalf:  # "Director Askey signed an agreement on behalf of the U.S. government": the body signs
            subj = _parties(behalf.group("who"), ctx, before_text + before) or subj
            after = after[: behalf.start()] + after[behalf.end():]
        topic = _premodifiers(obj) + " " + _topic(after)
        with_m = _with_after(after)
        others = _parties(with_m, ctx, before_text + before) if with_m else []
        if subj and not others and m.re is SIGNED_LOAN and (backs := _IN_SUPPORT.match(after)):
            # "The EIB has signed a EUR 350 million loan in support of STMicroelectronics (ST)"
            others = _parties(backs.group("list"), ctx, before_text + before)[:1]
        if subj and not others and (work := _WORK_WITH.match(after)):
            # "NNSA has signed an MOU to work with the Republic of Poland to …": the one it works with
            others = _parties(work.group("list"), ctx, before_text + before)[:1]
        parties = subj + others
        if _AFTER_WORD.match(before[-8:].strip().split(" ")[-1] if before.strip() else ""):
            parties = others
        if not parties and not definite and not _has_sign(verb):
            continue
        umbrella = bool(COUNTED.search(obj)) and not _ONE.match(obj.strip())
        if _INTENT.search(obj):  # "announced their intent to pursue an MOU": not signed yet
            return Found(kind, parties, topic=topic.strip(), definite=definite, umbrella=umbrella, status="planned")
        if subj and not others and _SEVERAL.match(obj) and "to" in after:
            # "signed three separate memoranda … to provide funding to A, … to B, and … to C":
            # one agreement with each body funded
            names = _FUNDED.findall(after) or _PROVIDED.findall(after)
            funded = [p for name in names for p in _parties(name, ctx, before_text + before)]
            if len(funded) >= 2:
                return Found(kind, subj + funded, topic=topic.strip(), definite=definite, each=len(subj))
        if len(subj) == 1 and len(others) >= 2 and m.group("noun")[-1:] in "sS" and not _JOINT.search(obj):
            # "MCC has signed Compacts with Madagascar, Honduras and Nicaragua": one with each
            return Found(kind, parties, topic=topic.strip(), definite=definite, each=1)
        return Found(kind, parties, topic=topic.strip(), definite=definite, umbrella=umbrella)
    return None


# Between a verb and the agreement noun, words that make it a plan ("their intent to pursue a").
_INTENT = re.compile(r"\b(?:intent(?:ion)?s?|plans?|proposals?|aim|goal|desire|readiness|willingness)\s+"
                     r"(?:to|for|of)\b|\bpursu(?:e|ing)\b", re.I)
_PARTICIPLE_OBJ = re.compile(r"(?:in|on|by|at|between|last|earlier)\s")
_BE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are)\s+$")
_JOINT = re.compile(r"\b(?:joint|trilateral|multilateral|tripartite|quadrilateral)\b", re.I)
_SEVERAL = re.compile(r"(?:two|three|four|five|six|seven|eight|nine|ten|several|\d+)\s", re.I)
# "… in proposed direct funding to Coherent": who each of several agreements funds.
# "… to provide Corning up to $32 million in proposed direct funding and Powerex up to $3 million":
# each body named before the sum it is to be given.
_PROVIDED = re.compile(r"(?:\bprovide\s+|,\s+(?:and\s+)?|\band\s+)((?:the\s+)?[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,4})"
                       r"\s+(?:(?:with\s+)?up\s+to|nearly|about|approximately)?\s*(?:[$€£]|EUR\b|USD\b)")
_FUNDED = re.compile(r"\b(?:funding|financing|support|incentives?|awards?|grants?|loans?)\s+to\s+"
                     r"((?:the\s+)?[A-Z][^,;]*?)(?=,|;|\.(?:\s|$)|$|\s+(?:and|to|for|in|under)\s)")


def _with_after(after: str) -> str | None:
    """The list after "with" following an agreement noun and its topic, in the same clause."""
    stop = _WITH_STOP.search(after)
    window = after[: stop.start()] if stop else after
    m = _WITH_FROM.search(window)
    if not m:
        return None
    return window[m.end():]


def _premodifiers(obj: str) -> str:
    words = [w for w in obj.split() if w.lower() not in (
        "a", "an", "the", "its", "their", "new", "separate", "another", "second", "first", "two",
        "three", "non-binding", "binding", "strategic", "comprehensive", "business", "cooperation",
        "preliminary", "formal", "official", "landmark", "newly", "signed")]
    return " ".join(words)


def _topic(after: str) -> str:
    m = _TOPIC_AFTER.match(after)
    if not m:
        m2 = _TOPIC_FALLBACK.match(after)
        if not m2:
            return ""
        m = m2
    topic = m.group("topic")
    end = _TOPIC_END.search(topic)
    topic = topic[: end.start()] if end else topic
    topic = _LEAD_VERB.sub("", topic.strip())
    return " ".join(topic.split()[:16]) if len(topic.split()) > 1 or topic.lower() not in ("on", "in") else ""


def _topic_after_list(text: str, m: re.Match) -> str:
    rest = m.group("list")
    return _topic(rest[_list_end(rest):])


def _list_end(segment: str) -> int:
    pos = 0
    while True:
        m = LIST_END.search(segment, pos)
        if m is None:
            return len(segment)
        # "Korea Institute for Advancement of Technology": "for" inside an institution's name.
        word = m.group(0).strip()
        if word == "in" and _INSTITUTION_OF_BEFORE.search(segment[: m.start()]) and _in_country(segment[m.end():]):
            pos = m.end()  # "Federation of Middle Market Enterprises in Korea", "Chamber of Commerce in Korea"
            continue
        if word in ("for", "on", "in", "to") and (INSTITUTION_BEFORE.search(segment[: m.start()])
                                                   or (word == "for" and TITLE_BEFORE.search(segment[: m.start()]))
                                                   or (word == "to" and ENVOY_BEFORE.search(segment[: m.start()]))) \
                and _CAPITAL_NEXT.match(segment[m.end():]):
            pos = m.end()  # "Korea Institute for Advancement …", "Minister for Foreign Affairs of Japan"
            continue
        return m.start()


# "Federation of Middle Market Enterprises", "Chamber of Commerce": a body "of" a field, which
# may go on "in Korea" as part of its name.
_INSTITUTION_OF_BEFORE = re.compile(INSTITUTION_BEFORE.pattern[:-1] + r"\s+of\s+(?:[A-Z][\w&'-]*\s+){0,4}[A-Z][\w&'-]*$")


def _in_country(rest: str) -> bool:
    """True when ``rest`` opens with a country's name and the list item ends there."""
    m = re.match(r"\s*((?:the\s+)?[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})(?=\s*(?:[,;.)]|\s+[a-z]|$))", rest)
    return m is not None and name_key(m.group(1)) in COUNTRIES


def _parties(segment: str, ctx: Context, before: str) -> list[Party]:
    # "the U.S. and Denmark—a global champion": a dash ends the name (fold makes it a hyphen)
    segment = _DASH.sub(" - ", segment)
    # "Jan Novak, Vice-President …, on behalf of the European Union, and …": the body, not the signer
    if "behalf of" in segment:
        segment = _ON_BEHALF.sub("", segment)
    if " for the " in segment:
        segment = _FOR_BODY.sub("", segment)
    segment = strip_asides(fold(segment).strip())
    if "\n" in segment:  # one item a line: "MAHLE Electric Drives India Pvt Ltd - Rs 50 crore"
        items = [line[: _list_end(line)] for line in segment.split("\n")]
        items = [i for line in items for i in split_list(line, ctx.index)]
    else:
        segment = segment[: _list_end(segment)]
        items = split_list(segment, ctx.index)
    out = []
    for item in people_to_orgs(items):
        group = resolve_group(item, before, ctx.index)
        if group:
            out += [Party(written, name) for written, name in group]
            continue
        name = (titled(item) and _introduced_body(item, before, ctx)) or clean_item(item, ctx.index)
        if name is None:
            head = generic_head(item)
            if head:
                name = resolve_reference(head, before, ctx.index)
        if name:
            out.append(Party(item.strip(), name))
    return out


def _introduced_body(item: str, before: str, ctx: Context) -> str | None:
    """"Minister Lee Jong Ho" signs for the body the text introduced him with: "The Ministry of
    Science and ICT (Minister Lee Jong Ho, …)"."""
    m = _TITLED_PERSON.match(item.strip())
    if m is None:
        return None
    person = re.escape(m.group("person"))
    for intro in re.finditer(r"(?P<body>[^()]{2,120}?)\s*\((?:[^()]{0,40}?,\s*)?(?:" + lx.TITLES + r")\s*:?\s*"
                             + person + r"\b", before):
        words = intro.group("body").split()[-8:]
        for i in range(len(words)):  # the longest name that ends at the bracket
            if not words[i][:1].isupper():
                continue
            body = " ".join(words[i:])
            name = clean_item(body, ctx.index)
            if name and (set(name.lower().split()) & lx.BODY_HEADS or name_key(name) in ctx.index.keys):
                return name
    return None


def _introduced(p: Party) -> bool:
    """True when the rules read a titled person as the body the text introduced them with."""
    return titled(p.as_written) and not titled(p.name) and name_key(p.name) not in name_key(p.as_written) \
        and bool(set(p.name.lower().split()) & lx.BODY_HEADS)


_TITLED_PERSON = re.compile(r"(?:the\s+)?(?:(?:" + lx.TITLES + r")\s+)+(?P<person>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){1,3})$")


def _parties_whole(segment: str, ctx: Context, before: str) -> list[Party]:
    """One party named by the whole segment ("the Department of Technical Education and Skill
    Development" is one department, not two)."""
    segment = strip_asides(fold(segment).strip())
    name = clean_item(segment, ctx.index)
    return [Party(segment, name)] if name else _parties(segment, ctx, before)


def _subject(before: str, ctx: Context, before_text: str) -> list[Party]:
    """The parties named as the subject of a signing verb ("A and B signed …")."""
    text = before.strip().rstrip(",").rstrip()  # "… and Československá obchodní banka (CSOB), signed"
    said = _SAID_IT.match(text)
    if said:
        text = said.group("who")
    else:
        m = _CLAUSE_START.match(text)
        if m:
            text = text[m.end():]
        m = _AND_CLAUSE.match(text)
        if m and _FINITE.search(text[: m.start() + len(m.group(0).rstrip()) - 4]):
            text = text[m.end():]
    through = _THROUGH.search(text)
    if through:  # "the United States, through the Millennium Challenge Corporation (MCC)": the body that acts
        text = through.group("body")
    # asides first: "in Manila, the capital of the Philippines, Mr. A …" opens with a place
    text = _SUBJECT_LEAD.sub("", strip_asides(strip_dateline(text)))
    text = _DATE_LEAD.sub("", text)
    text = _TRAILING_DESCRIPTION.sub("", text)
    text = _BRACKETED.sub("", text)
    prev = None
    while prev != text:
        prev = text
        text = _SUBJECT_TAIL.sub("", text).strip(" ,")
    if not text or len(text.split()) > MAX_SUBJECT_WORDS:
        return []
    if _ends_with_preposition(text):
        return []
    officials = _NATIONS_OFFICIALS.match(text)
    if officials:  # "The UK and Polish Foreign and Defence secretaries": the two countries
        sides = [country_of(officials.group("a")), country_of(officials.group("b"))]
        if all(sides):
            return [Party(officials.group("a"), sides[0]), Party(officials.group("b"), sides[1])]
    return _parties(text, ctx, before_text)


_THROUGH = re.compile(r",\s+(?:acting\s+)?through\s+(?P<body>(?:the\s+)?[A-Z][^,]*?)(?:\s+\([A-Z]{2,8}\))?$")


# Two countries' officials named by their countries alone, as one plural title.
_NATIONS_OFFICIALS = re.compile(
    r"^(?:[Tt]he\s+)?(?P<a>[A-Z][\w.]*)\s+and\s+(?P<b>[A-Z][\w.]*)\s+(?:[A-Z][a-z]+,?\s+(?:and\s+)?)*"
    r"(?:secretaries|ministers|foreign ministers|leaders|ambassadors|presidents|prime ministers|heads of state)$")


# Two signers, each with a title and the body they sign for, run to some 35 words.
MAX_SUBJECT_WORDS = 40
_PREPOSITIONS = frozenset(("after", "before", "upon", "by", "for", "of", "from"))
_ENDS_WITH_PREPOSITION = re.compile(r"\b(?:after|before|upon|by|for|of|from)$", re.I)


def _ends_with_preposition(text: str) -> bool:
    """"… after" / "… by": the clause ends where a subject would start. For ASCII text the
    last run of word characters is the word the pattern ends on, which is cheaper than a search
    that tries every position."""
    if not text.isascii():
        return _ENDS_WITH_PREPOSITION.search(text) is not None
    if text.endswith("\n"):  # "$" also matches before a final line break
        text = text[:-1]
    i = len(text)
    while i and (text[i - 1].isalnum() or text[i - 1] == "_"):
        i -= 1
    return text[i:].lower() in _PREPOSITIONS


# "Battery Solutions, a subsidiary of KPS," said …: the description is not a second party.
_TRAILING_DESCRIPTION = re.compile(
    r",\s+(?:(?:a|an|the)\s+(?:[a-z0-9][\w-]*|[A-Z][\w.-]*['’]s)\b|"
    r"(?:subsidiaries|subsidiary|affiliates?|units?|arms?|divisions?) of\b)"
    r"[^,]*(?:,\s*(?:Co\.,?\s*)?(?:Ltd|Inc|LLC|Corp|PLC|plc)\.?)?,?\s*$")
_SIGN_ANY = re.compile(r"\b(?:" + SIGN_VERB + "|" + PARTNER_VERB + r"|signator)", re.I)


def _anchor(text: str) -> int | None:
    """Where the signing is stated: the start of the first signing verb (None when no verb
    states it)."""
    m = _SIGN_ANY.search(text)
    return m.start() if m else None


def _status(text: str, status: str, anchor: int | None) -> str:
    """signed, planned ("expected to sign", "in talks") or negated ("did not sign"), judged
    from the words just before the signing verb (or, with no verb, the agreement noun)."""
    if anchor is None:
        noun = NOUN_RX.search(text)
        before = text[max(0, noun.start() - 25): noun.start()] if noun else ""
        if _PROPOSED_BEFORE.search(before):
            return "planned"
        if noun and _TALKS_BEFORE.search(text[max(0, noun.start() - 60): noun.start()]):
            return "talks"  # "Round nine of negotiations for a free trade agreement between A and B"
        return status
    # the words before the verb in its own clause, and the verb's phrase ("agreed to sign",
    # "have signed"); "a plant that will process oranges, was signed" is signed
    verb = _SIGN_ANY.match(text, anchor)
    start = max(0, anchor - 60)
    breaks = list(_CLAUSE_BREAK.finditer(text, start, anchor))
    if breaks:
        start = breaks[-1].end()
    window = text[start: verb.end() if verb else anchor]
    if _NOUN_SIGNED.search(text[max(0, anchor - 40): anchor + 20]):
        return status  # "a boost through a guarantee agreement signed between …": it is signed
    if NEGATED.search(window) and not _NOT_ONLY.search(window):
        return "negated" if not PLANNED.search(window) else "planned"
    if PLANNED.search(window) and not _DONE_VERB.search(text[max(0, anchor - 25): anchor]):
        return "planned"
    return status


def _generic_examples(text: str) -> bool:
    """"… with major chip makers, such as A and B": the names are examples, not the list."""
    # the pattern is case-sensitive: without one of its three phrases it cannot match
    if "such as" not in text and "including" not in text and "like" not in text:
        return False
    return _EXAMPLES.search(text) is not None


_EXAMPLES = re.compile(r"\bwith\s+[a-z][\w-]*(?:\s+[\w-]+){0,6},?\s+(?:such as|including|like)\b")


def _dedupe(parties: list[Party], index=None) -> list[Party]:
    seen, out = set(), []
    for p in parties:
        key = name_key(p.name)
        if index is not None:
            key = index.canon.get(key, key)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _merge(mentions: list[Mention], index) -> list[Agreement]:
    """Mentions of one agreement become one: "the agreement" refers back, a mention with at most
    one party adds its date and place, and mentions sharing two parties are the same deal.

    Each cluster keeps the set of its parties' keys, and each key the clusters it is in, so a
    mention is compared only with the clusters that share a party (an article listing thousands
    of agreements is read in linear time)."""
    clusters: list[list[Mention]] = []
    cluster_keys: list[set[str]] = []
    by_key: dict[str, list[int]] = {}

    for m in mentions:
        keys = {_key(p, index) for p in m.parties}
        target = None
        if clusters and not m.another:
            sharing = sorted({c for k in keys for c in by_key.get(k, ())}, reverse=True)
            for c in sharing:
                ckeys = cluster_keys[c]
                if (_same_sides(keys, ckeys) or keys <= ckeys) and not _other_document(m, clusters[c]) \
                        and not (keys - ckeys and any(x.each for x in clusters[c])):
                    # (one of "partnerships with A and B", one with each, takes no other party)
                    target = c
                    break
            if target is None and (m.definite or len(keys) <= 1 or _unnamed_same(clusters[-1], m)):
                last = len(clusters) - 1
                ckeys = cluster_keys[last]
                if not (keys and ckeys and not (keys & ckeys) and len(keys) >= 2 and not m.definite):
                    target = last
                # "Panama and Austria will sign the Accords" is not the signing of 2020 that
                # "The United States … established the Accords" reports
                if target is not None and keys and ckeys and not (keys & ckeys) and \
                        _settled(m.status) != _settled(_status_of(clusters[last])):
                    target = None
                # "follows the Joint Statement issued by …": a statement issued is not the
                # agreement signed in the sentence before
                if target is not None and (m.status == "issued") != (_status_of(clusters[last]) == "issued"):
                    target = None
        if target is None:
            clusters.append([m])
            cluster_keys.append(set())
            target = len(clusters) - 1
        else:
            clusters[target].append(m)
        for k in keys - cluster_keys[target]:
            by_key.setdefault(k, []).append(target)
        cluster_keys[target] |= keys
    return [_combine(c, index) for c in _named_by_pair(clusters, index)]


def _named_by_pair(clusters: list[list[Mention]], index) -> list[list[Mention]]:
    """"ROK-UK Digital Partnership … signed" (the headline) and "the signing of (1) Republic of
    Korea-United Kingdom Digital Partnership … by Minister A and Secretary B for C": the sides
    an agreement is named by are not its signers when a sentence that names it so also names
    who signed. The pair's mentions join that sentence's agreement, their sides dropped."""
    out = [c for c in clusters if not all(m.rule == "pair-named" for m in c)]
    if len(out) == len(clusters):
        return clusters
    for c in clusters:
        if not all(m.rule == "pair-named" for m in c):
            continue
        sides = {frozenset(_key(p, index) for p in m.parties) for m in c}
        target = next((o for o in out if any(m.rule != "pair-named" and len(m.parties) >= 2 and sides & m.pairs
                                             for m in o)), None)
        if target is None:
            out.append(c)
        else:
            target.extend(dataclasses.replace(m, strong=False) for m in c)
    return out


def _described_before(p: Party, head: str) -> bool:
    """True when the common noun comes before the name the rules read ("the Spanish automotive
    supplier Maier S. Coop", "the Portuguese banks Banco BPI"): a description of the name, not a
    phrase the name describes ("the largest Korea-Africa summit")."""
    at = p.as_written.find(p.name.split()[0])
    return at > 0 and re.search(r"\b" + re.escape(head) + r"\b", p.as_written[:at]) is not None


_LEAD_THE = re.compile(r"^(?:the|The)\s+")
_STOP = re.compile(r"(?<![A-Z])\.(?:\s|$)")  # a sentence's end, not "7.5m" or "U.S."
_IN_SUPPORT = re.compile(r"^\s*(?:in\s+support\s+of|in\s+favou?r\s+of|to|for)\s+(?P<list>(?:the\s+)?[A-Z].+)")
_WORK_WITH = re.compile(r"^\s*(?:\([^()]*\)\s*)?to\s+(?:work|cooperate|collaborate|partner)\s+(?:closely\s+|together\s+)?"
                        r"with\s+(?P<list>.+)")


def _same_sides(keys: set[str], ckeys: set[str]) -> bool:
    """Two lists of parties that name one agreement: they share two parties, and one holds the
    other or they differ by no more than one party each (a seven-party MoU that shares two of its
    signatories with a three-party partnership is another agreement)."""
    return len(keys & ckeys) >= 2 and (keys <= ckeys or ckeys <= keys or (len(keys - ckeys) <= 1 and len(ckeys - keys) <= 1))


def _unnamed_same(cluster: list[Mention], m: Mention) -> bool:
    """True when ``cluster`` is one agreement of ``m``'s kind named without parties ("Vice
    Minister attends MOU signing ceremony", the headline): the parties named next are its."""
    return all(not c.parties and not c.umbrella and c.kind == m.kind for c in cluster) and not m.umbrella


# Kinds that name one document: an MOU and a joint statement the same sides sign are two.
DOCUMENT_KINDS = frozenset({"MOU", "joint statement", "letter of intent", "exchange of notes",
                            "memorandum of cooperation", "contract"})


def _other_document(m: Mention, cluster: list[Mention]) -> bool:
    """``m`` names a document of another kind than every mention of ``cluster`` ("They also
    signed a Joint Statement with …" after the MoU)."""
    if m.kind not in DOCUMENT_KINDS or m.definite:
        return False
    kinds = {c.kind for c in cluster}
    return m.kind not in kinds and bool(kinds & DOCUMENT_KINDS)


def _settled(status: str) -> bool:
    return status in ("signed", "terminated")


def _status_of(cluster: list[Mention]) -> str:
    named = [m for m in cluster if m.parties] or cluster
    return "signed" if any(_settled(m.status) for m in named) else named[-1].status


def _combine(cluster: list[Mention], index) -> Agreement:
    strong = [m for m in cluster if m.strong and m.parties]
    chosen = strong or [m for m in cluster if m.parties]
    best = max(cluster, key=lambda m: (len(m.parties), m.strong))
    chosen = sorted(chosen, key=lambda m: m is not best)
    parties = _dedupe([p for m in chosen for p in m.parties], index)
    kinds = [m.kind for m in cluster]
    kind = best.kind if best.kind != "agreement" else next((k for k in kinds if k != "agreement"), "agreement")
    if best.kind == "agreement" and any(m.kind == "agreement" for m in chosen):
        kind = "agreement"
    # what the mentions naming parties say of it decides; "following the signing ceremonies" in
    # a sentence that names no one does not sign an expected deal
    statuses = {m.status for m in cluster if m.parties} or {m.status for m in cluster}
    status = "signed" if "signed" in statuses else ("planned" if "planned" in statuses else best.status)
    topics = []
    for m in cluster:
        topic = m.topic.strip()
        if topic and topic not in topics:
            topics.append(topic)
    dated = next((m for m in cluster if m.date_text), None)
    placed = next((m for m in cluster if m.place), None)
    return Agreement(
        kind=kind,
        status=status,
        parties=parties,
        topic="; ".join(topics),
        date_text=dated.date_text if dated else None,
        date=dated.date if dated else None,
        place=placed.place if placed else None,
        evidence=best.sentence,
        mentions=cluster,
        umbrella=all(m.umbrella or not m.parties for m in cluster) and any(m.umbrella for m in cluster),
        clause=best.clause,
        rule=best.rule,
    )
