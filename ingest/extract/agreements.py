"""Agreements (MOUs, deals, partnerships, contracts, joint ventures, consortia) and who is party
to them, in the ways news writes it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.extract.common import Context, find_date, find_place, strip_dateline
from ingest.extract.names import fold, name_key
from ingest.extract.orgs import (
    clean_item,
    generic_head,
    people_to_orgs,
    resolve_group,
    resolve_reference,
    split_list,
    strip_asides,
)
from ingest.extract.sentences import Sentence

NOUN = (
    r"memorand(?:um|a) of understanding|MOUs?|MoUs?|memorand(?:um|a)|letters? of intent|LOIs?|"
    r"agreements?|deals?|pacts?|partnerships?|contracts?|joint[ -]ventures?|JVs?|consortium|"
    r"consortia|alliances?|accords?|treaty|treaties|tie-ups?"
)
NOUN_RX = re.compile(r"\b(?:" + NOUN + r")\b")
# Cheap test on the whole body before any per-sentence work.
TRIGGER = re.compile(
    r"\b(?:" + NOUN + r"|signator(?:y|ies)|sign(?:s|ed|ing)?|ink(?:s|ed)|partner(?:s|ed)|"
    r"team(?:s|ed)? up|join(?:s|ed)? hands|tie(?:s|d)? up)\b",
    re.I,
)
WORDS = frozenset("""
mou mous memorandum memoranda agreement agreements deal deals pact pacts partnership
partnerships partner partners partnered partnering contract contracts venture ventures jv jvs
consortium consortia alliance alliances allied allies accord accords treaty treaties tie ties
tied signatory signatories sign signs signed signing ink inks inked inking team teams teamed
hands forces collaborate collaborates collaborated loi lois intent
""".split())  # noqa: SIM905
SIGN_VERB = (
    r"sign(?:s|ed|ing)?|ink(?:s|ed|ing)?|seal(?:s|ed|ing)?|str(?:uck|ike|ikes)|clinch(?:es|ed)?|"
    r"conclud(?:e|es|ed|ing)|forg(?:e|es|ed|ing)|finali[sz](?:e|es|ed)|enter(?:s|ed)? into|"
    r"form(?:s|ed|ing)?|establish(?:es|ed)?|launch(?:es|ed)?|set(?:s|ting)? up|creat(?:e|es|ed)|"
    r"announc(?:e|es|ed)|unveil(?:s|ed)|reach(?:es|ed)?|secur(?:e|es|ed)|w[io]n|wins|land(?:s|ed)|"
    r"bag(?:s|ged)|award(?:s|ed)?|penn?(?:ed)?|agreed to (?:form|set up|establish|create|launch|sign)|"
    r"ha(?:s|ve|d) (?:signed|inked|formed|struck|sealed)|renew(?:s|ed)|extend(?:s|ed)|expand(?:s|ed)"
)
PARTNER_VERB = (
    r"partner(?:s|ed|ing)? with|team(?:s|ed|ing)? up with|join(?:s|ed|ing)? hands with|"
    r"tie(?:s|d)? up with|collaborat(?:e|es|ed|ing) with|join(?:s|ed)? forces with|"
    r"allie(?:s|d) with"
)
ACTIVE = re.compile(
    r"\b(?P<verb>" + SIGN_VERB + r")\s+(?P<obj>(?:(?:an?|the|its|their|two|three|new|separate|"
    r"another|second|first|[\w$%.,'’-]+)\s+){0,7}?)(?P<noun>" + NOUN + r")\b",
)
_PARTNER_WORDS = ("partner", "team", "hands", "tie", "collaborat", "forces", "allie")
PARTNER = re.compile(r"\b(?P<verb>" + PARTNER_VERB + r")\s+(?P<rest>.+)")
SIGNATORIES = re.compile(
    r"\bsignator(?:y|ies)\b(?:[^.;]*?)\b(?:include[sd]?|including|are|were|was|is|comprise[sd]?|"
    r"consist(?:s|ed)? of)\s+(?P<list>.+)",
    re.I,
)
PASSIVE = re.compile(
    r"\b(?:(?:was|were|has been|have been|had been|is|are|being|been)\s+)?(?:jointly\s+|also\s+)?"
    r"(?:signed|inked|sealed|concluded|penned|agreed|struck|reached|formed|launched|established)"
    r"\s+(?:\w+\s+)?by\s+(?P<list>.+)"
)
# "an MOU between A and B"; "A further MoU, for a juice plant, was signed between A and B";
# "An MOU has been signed in Seoul between A and B".
BETWEEN = re.compile(
    r"\b(?P<noun>" + NOUN + r")(?:\s+(?:(?:was|were|has been|have been|had been|is)\s+)?"
    r"(?:signed\s+|reached\s+|struck\s+)?|\b[^.;]{0,100}?\b(?:signed|inked|concluded|reached|struck|"
    r"sealed)\b(?:\s+[\w,.'’-]+){0,5}?\s+)between\s+(?P<list>.+)"
)
# "A signed with B on urban planning" (the agreement named in an earlier sentence).
SIGNED_WITH = re.compile(r"\b(?P<verb>signed|inked|concluded|sealed)\s+(?:(?:separately|also)\s+)?with\s+(?P<list>.+)")
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
WITH_LIST = re.compile(r"\b(?:with|from)\s+(?P<list>.+)")
PLANNED = re.compile(
    r"\b(?:expected to|plans? to|planning to|planned to|is set to|are set to|set to|will|would|"
    r"intends? to|aims? to|seeks? to|hopes? to|is to|are to|poised to|likely to|scheduled to|"
    r"preparing to|prepares to|in talks|in negotiations|negotiating|negotiate|considering|"
    r"mulling|may|might|could|yet to|proposed|potential|possible|upcoming|ahead of)\b",
    re.I,
)
NEGATED = re.compile(r"\b(?:not|never|no longer|failed to|refused to|declined to|denied)\b", re.I)
DEFINITE = re.compile(r"^(?:the|this|that|said)\b", re.I)
# Where a list of names ends.
LIST_END = re.compile(
    r"\s+(?:to|on|in|at|for|under|that|which|who|whereby|aimed|aiming|during|amid|after|before|"
    r"following|while|when|where|regarding|concerning|covering|about|over|worth|valued|through|"
    r"via|last|this|next|earlier|later|according|said|says|reported|announced|witnessed|"
    r"attended|in the presence|from|into|by|within|as part|starting|beginning|until|to build|"
    r"officials|executives)\b|[;:(—–]|\s-\s|,\s+(?:which|who|where|according|said|the\s+\w+\s+said|"
    r"in|on|at|to|as|while|with|under|officials|paving|marking|making|bringing|in a bid)\b|$"
)
INSTITUTION_BEFORE = re.compile(
    r"(?:Institute|Center|Centre|Agency|Council|Association|Foundation|Committee|Commission|"
    r"Office|Alliance|Organization|Organisation|Society|Federation|Ministry|Department|Bureau|"
    r"Fund|Corporation|Academy|School|University|Chamber|Authority|Administration|Board|"
    r"Forum|Union)$"
)
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
_SUBJECT_LEAD = re.compile(
    r"^(?:(?:On|In|At|During|After|Before|Earlier|Later|Last|This|Meanwhile|Separately|Also|"
    r"However|Additionally|Moreover|Furthermore|Today|Yesterday|Recently|Previously|Under|"
    r"Through|Following|According to|Since|Back in|As part of|To|Of)\b[^,]*,\s*)+"
)
_SUBJECT_TAIL = re.compile(
    r"(?:\s+(?:has|have|had|also|officially|recently|jointly|formally|finally|successfully|today|"
    r"yesterday|reportedly|now|already|just|newly|once again|again|earlier|will|would|is|are|"
    r"was|were|be|to|been|expected|set|plans?|planned|planning|intends?|aims?|seeks?|hopes?|"
    r"agreed|said it|said they|said that it|said that they|poised|likely|scheduled|preparing|"
    r"prepares|in talks|(?:on|last|this|next) \w+(?: \d{1,2})?(?:,? \d{4})?)\b)+\s*$",
)
_SAID_IT = re.compile(
    r"^(?P<who>.+?)\s+(?:said|says|announced|noted|confirmed|revealed|disclosed|stated|added)"
    r"(?:\s+(?:on|last|this)\s+(?:the\s+)?\w+)?(?:\s+that)?\s+(?P<pron>it|they)\b",
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
    (re.compile(r"memorand|\bMOU|\bMoU", re.I), "MOU"),
    (re.compile(r"letters? of intent|\bLOI", re.I), "letter of intent"),
    (re.compile(r"joint[ -]venture|\bJV", re.I), "joint venture"),
    (re.compile(r"consorti", re.I), "consortium"),
    (re.compile(r"partner|team|hands|tie-up|tie(?:s|d)? up|collaborat|forces", re.I), "partnership"),
    (re.compile(r"contract", re.I), "contract"),
    (re.compile(r"\bdeal", re.I), "deal"),
    (re.compile(r"\bpact", re.I), "pact"),
    (re.compile(r"alliance|allie", re.I), "alliance"),
    (re.compile(r"accord|treat", re.I), "accord"),
    (re.compile(r"agreement", re.I), "agreement"),
]


# Patterns of single rules below, compiled once.
_WITH_TO_COMMA = re.compile(r"\s+with\s+(?=(?:the\s+)?[A-Z])")
_THE_BEFORE_3 = re.compile(r"\b(?:the|this)\s+(?:\w+\s+){0,3}$")
_ARTICLE_BEFORE = re.compile(r"(?:\b(?:an?|the|their|its|this)\s+)((?:[\w-]+\s+){0,3})$")
_THE_BEFORE_2 = re.compile(r"\b(?:the|this)\s+(?:[\w-]+\s+){0,2}$")
_SIGN_STEM = re.compile(r"\bsign|\bink|\bseal")
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
_PROPOSED_BEFORE = re.compile(r"\b(?:proposed|planned|potential|possible|prospective|upcoming)\s+(?:[\w-]+\s+)?$")
_NOT_ONLY = re.compile(r"\bnot only\b")
_DONE_VERB = re.compile(r"\b(?:signed|inked|sealed|struck|clinched|concluded|formed|reached|agreed)\b")


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


def kind_of(text: str) -> str:
    """The agreement kind a noun or verb phrase names ("memorandum of understanding" → MOU)."""
    for rx, kind in KINDS:
        if rx.search(text):
            return kind
    return "agreement"


def find_agreements(sentences: list[Sentence], body: str, ctx: Context) -> list[Agreement]:
    """Every agreement in an article, mentions of one agreement merged."""
    mentions = []
    for i, sent in enumerate(sentences):
        if sent.lacks(WORDS) or not TRIGGER.search(sent.text):
            continue
        if sent.text.endswith(":"):
            m = _mention(sent, sent.text + "\n" + "\n".join(_lines_after(sentences, i, body)), body, ctx)
            if m is not None:
                m.index = i
                mentions.append(m)
            continue
        gap = None
        for _, clause in _clauses(sent.text):
            m = _mention(sent, clause, body, ctx)
            gapped = m is None and gap is not None
            if gapped:
                m = _gapped(sent, clause, gap, body, ctx)
            if m is not None:
                m.index = i
                if clause.strip() != sent.text.strip():
                    m.clause = clause.strip()
                mentions.append(m)
                gap = m if (gapped or _signed_with(clause)) and len(m.parties) >= 2 else None
            else:
                gap = None
    return _merge(mentions, ctx.index)


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


def _gapped(sent: Sentence, clause: str, gap: Mention, body: str, ctx: Context) -> Mention | None:
    """"…; the Department of X with Y on skills training": the verb of the clause before."""
    text = fold(clause).strip()
    if _SIGN_ANY.search(text):
        return None
    m = GAPPED.match(text)
    if not m:
        return None
    before = _context(ctx, body, sent)
    subject = _parties_whole(m.group("subj"), ctx, before)
    others = _parties(m.group("list"), ctx, before)
    if not subject or not others:
        return None
    topic = _topic(m.group("list")[_list_end(m.group("list")):])
    return Mention(sent, gap.kind, gap.status, _dedupe(subject + others, ctx.index), True, False, topic,
                   gap.date_text, gap.date, gap.place)


def _context(ctx: Context, body: str, sent: Sentence) -> str:
    """The text a reference in ``sent`` can point back to: the headline, then the body before."""
    return (ctx.title + " ¶\n\n" if ctx.title else "") + body[: sent.start]


def _signed_with(clause: str) -> bool:
    """"A signed with B …": the pattern needs "with" (ASCII text is its own fold)."""
    if clause.isascii() and "with" not in clause:
        return False
    return SIGNED_WITH.search(fold(clause)) is not None


def _clauses(text: str) -> list[tuple[int, str]]:
    if ";" not in text and "while" not in text and "whereas" not in text:
        return [(0, text)]  # nothing to split at
    parts = _CLAUSE_SPLIT.split(text)
    out, pos = [], 0
    for p in parts:
        at = text.find(p, pos)
        out.append((at, p))
        pos = at + len(p)
    return out


_CLAUSE_SPLIT = re.compile(r";\s+|,\s+while\s+|,\s+whereas\s+")


def _mention(sent: Sentence, clause: str, body: str, ctx: Context) -> Mention | None:
    text = strip_dateline(fold(clause))
    before_text = _context(ctx, body, sent)
    parties: list[Party] = []
    strong = True
    definite = False
    kind = None
    status = "signed"
    topic = ""

    low = text.lower()
    umbrella = listing = False
    m = LIST_HEADER.search(text) if " that " in low or " which " in low or " who " in low else None
    if m:
        parties = _parties(m.group("list"), ctx, before_text + text[: m.start()])
        if m.group("with"):
            parties += _parties(m.group("with"), ctx, before_text + text[: m.start()])
        definite = listing = True
        kind = kind_of(m.group("noun"))
    m = SIGNATORIES.search(text) if "signator" in low and not parties else None
    if m:
        listing = True
        parties = _parties(m.group("list"), ctx, before_text + text[: m.start()])
        definite = True
        noun = NOUN_RX.search(text)
        kind = kind_of(noun.group(0)) if noun else "agreement"
        if noun:
            topic = _topic(text[noun.end():])
    else:
        m = CONSORTIUM.search(text) if "consorti" in low and not parties else None
        if m and LOST.search(text[: m.start()]):
            return None  # the consortium that lost the bid
        if m:
            parties = _parties(m.group("list"), ctx, before_text + text[: m.start()])
            kind = "consortium"
            topic = _topic_after_list(text, m)
        if not parties:
            m = BETWEEN.search(text) if "between" in low else None
            if m:
                parties = _parties(m.group("list"), ctx, before_text + text[: m.start()])
                kind = kind_of(m.group("noun"))
        if not parties:
            m = _active(text, ctx, before_text)
            if m is not None:
                parties, kind, topic, definite, strong, umbrella = m
        if not parties and kind is None and "with" in low:
            m = SIGNED_WITH.search(text)
            if m and not NOUN_RX.search(text):
                subj = _subject(text[: m.start()], ctx, before_text)
                rest = _parties(m.group("list"), ctx, before_text + text[: m.start()])
                earlier = NOUN_RX.findall(fold(before_text)[-1500:])
                if subj and rest and earlier:
                    parties = subj + rest
                    kind = kind_of(earlier[-1])
                    topic = _topic(m.group("list")[_list_end(m.group("list")):])
        if not parties:
            m = PASSIVE.search(text) if " by " in low else None
            noun = NOUN_RX.search(text)
            if m and noun and noun.start() < m.start():
                # "signed by A with B": both sides are parties
                listed = _WITH_TO_COMMA.sub(", ", m.group("list"), count=1)
                parties = _parties(listed, ctx, before_text + text[: m.start()])
                umbrella = bool(COUNTED.search(text[: noun.start()]))
                kind = kind_of(noun.group(0))
                definite = bool(DEFINITE.search(text[max(0, noun.start() - 6): noun.start()].strip() or "x")) or \
                    bool(_THE_BEFORE_3.search(text[: noun.start()]))
                topic = _topic(text[noun.end():])
        if not parties:
            m = PARTNER.search(text) if any(w in low for w in _PARTNER_WORDS) else None
            if m and not NOUN_RX.search(text[: m.start()]):
                subj = _subject(text[: m.start()], ctx, before_text)
                rest = _parties(m.group("rest"), ctx, before_text + text[: m.start()])
                if subj and rest:
                    parties = subj + rest
                    kind = "partnership"
                    topic = _topic(m.group("rest")[_list_end(m.group("rest")):])
        if kind is None:
            noun = NOUN_RX.search(text)
            if noun is None or not _has_sign(text):
                return None
            kind = kind_of(noun.group(0))
            pre = _ARTICLE_BEFORE.search(text[: noun.start()])
            topic = ((_premodifiers(pre.group(1)) + " ") if pre else "") + _topic(text[noun.end():])
            definite = bool(_THE_BEFORE_2.search(text[: noun.start()]))
            if not _SIGN_STEM.search(text):
                return None
    if kind is None:
        return None
    status = _status(text, status, _anchor(text))
    if status == "negated":
        return None
    if _generic_examples(text):
        strong = False
    date_text, date = find_date(text, ctx)
    place = find_place(text)
    return Mention(sent, kind, status, _dedupe(parties, ctx.index), strong, definite, topic, date_text, date, place,
                   umbrella=umbrella, listing=listing)


_HAS_SIGN = re.compile(r"\b(?:sign(?:s|ed|ing)?|ink(?:s|ed)|seal(?:s|ed)|struck|clinch(?:ed)?|"
                       r"conclude[sd]?|forged|formed|establish(?:ed)?|launched|set up|reached|"
                       r"agreed|announc(?:ed|es|ing))\b")


def _has_sign(text: str) -> bool:
    return _HAS_SIGN.search(text) is not None


def _active(text: str, ctx: Context, before_text: str):
    for m in ACTIVE.finditer(text):
        obj = m.group("obj")
        if "." in obj or ";" in obj:
            continue
        verb = m.group("verb")
        if verb.lower().startswith(("won", "win", "land", "bag", "secur", "award")) and not _ORDER_NOUN.search(m.group("noun")):
            continue
        kind = kind_of(m.group("noun"))
        before = text[: m.start()]
        subj = _subject(before, ctx, before_text)
        definite = bool(_DEFINITE_OBJ.match(obj.strip()))
        after = strip_asides(text[m.end():])
        topic = _premodifiers(obj) + " " + _topic(after)
        with_m = _with_after(after)
        others = _parties(with_m, ctx, before_text + before) if with_m else []
        strong = True
        if verb.lower().startswith(("award",)) and others:
            pass
        parties = subj + others
        if _AFTER_WORD.match(before[-8:].strip().split(" ")[-1] if before.strip() else ""):
            parties = others
        if not parties and not definite and not _has_sign(verb):
            continue
        umbrella = bool(COUNTED.search(obj)) and not _ONE.match(obj.strip())
        return parties, kind, topic.strip(), definite, strong, umbrella
    return None


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
        if word in ("for", "on", "in", "to") and INSTITUTION_BEFORE.search(segment[: m.start()]) and \
                _CAPITAL_NEXT.match(segment[m.end():]):
            pos = m.end()
            continue
        return m.start()


def _parties(segment: str, ctx: Context, before: str) -> list[Party]:
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
        name = clean_item(item, ctx.index)
        if name is None:
            head = generic_head(item)
            if head:
                name = resolve_reference(head, before, ctx.index)
        if name:
            out.append(Party(item.strip(), name))
    return out


def _parties_whole(segment: str, ctx: Context, before: str) -> list[Party]:
    """One party named by the whole segment ("the Department of Technical Education and Skill
    Development" is one department, not two)."""
    segment = strip_asides(fold(segment).strip())
    name = clean_item(segment, ctx.index)
    return [Party(segment, name)] if name else _parties(segment, ctx, before)


def _subject(before: str, ctx: Context, before_text: str) -> list[Party]:
    """The parties named as the subject of a signing verb ("A and B signed …")."""
    text = before.strip()
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
    text = _SUBJECT_LEAD.sub("", strip_dateline(text))
    text = _TRAILING_DESCRIPTION.sub("", strip_asides(text))
    text = _BRACKETED.sub("", text)
    prev = None
    while prev != text:
        prev = text
        text = _SUBJECT_TAIL.sub("", text).strip(" ,")
    if not text or len(text.split()) > 30:
        return []
    if _ends_with_preposition(text):
        return []
    return _parties(text, ctx, before_text)


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
_TRAILING_DESCRIPTION = re.compile(r",\s+(?:a|an|the)\s+(?:[a-z0-9][\w-]*|[A-Z][\w.-]*['’]s)\b[^,]*,?\s*$")
_SIGN_ANY = re.compile(r"\b(?:" + SIGN_VERB + "|" + PARTNER_VERB + r"|signator)", re.I)


def _anchor(text: str) -> int | None:
    """Where the signing is stated: the first signing verb (None when no verb states it)."""
    m = _SIGN_ANY.search(text)
    return m.end() if m else None


def _status(text: str, status: str, anchor: int | None) -> str:
    """signed, planned ("expected to sign", "in talks") or negated ("did not sign"), judged
    from the words just before the signing verb (or, with no verb, the agreement noun)."""
    if anchor is None:
        noun = NOUN_RX.search(text)
        before = text[max(0, noun.start() - 25): noun.start()] if noun else ""
        if _PROPOSED_BEFORE.search(before):
            return "planned"
        return status
    window = text[max(0, anchor - 60): anchor]
    if NEGATED.search(window) and not _NOT_ONLY.search(window):
        return "negated" if not PLANNED.search(window) else "planned"
    if PLANNED.search(window) and not _DONE_VERB.search(window[-25:]):
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
    one party adds its date and place, and mentions sharing two parties are the same deal."""
    clusters: list[list[Mention]] = []

    def key(p: Party) -> str:
        k = name_key(p.name)
        return index.canon.get(k, k)

    for m in mentions:
        keys = {key(p) for p in m.parties}
        target = None
        if clusters:
            for cluster in reversed(clusters):
                ckeys = {key(p) for x in cluster for p in x.parties}
                if len(keys & ckeys) >= 2 or (keys and keys <= ckeys):
                    target = cluster
                    break
            if target is None and (m.definite or len(keys) <= 1):
                last = clusters[-1]
                ckeys = {key(p) for x in last for p in x.parties}
                if not (keys and ckeys and not (keys & ckeys) and len(keys) >= 2 and not m.definite):
                    target = last
        if target is None:
            clusters.append([m])
        else:
            target.append(m)
    return [_combine(c, index) for c in clusters]


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
    statuses = {m.status for m in cluster}
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
    )
