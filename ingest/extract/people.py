"""People and their roles: "Science Minister Lee Jong-ho of South Korea", "Kim Ki-nam, CEO of
Samsung Electronics", "Samsung Electronics Chairman Lee Jae-yong"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.extract import lexicon as lx
from ingest.extract.names import COUNTRIES, fold, name_key
from ingest.extract.orgs import NOT_NAMES
from ingest.extract.sentences import Sentence

TITLES = lx.TITLES
# Words before a title that belong to the role ("Science Minister"), not to an organisation.
ROLE_MODIFIERS = {
    "science", "trade", "industry", "finance", "foreign", "prime", "vice", "deputy", "executive",
    "senior", "chief", "economy", "energy", "commerce", "defense", "defence", "unification",
    "interior", "health", "education", "environment", "labor", "labour", "land", "smes",
    "startups", "digital", "technology", "ict", "culture", "agriculture", "justice", "industrial",
    "general", "managing", "first", "second", "acting", "former", "economic", "home", "transport",
    "oceans", "fisheries", "security", "national", "co", "co-", "strategy", "planning",
    "semiconductor", "innovation", "research", "affairs", "climate", "enterprise", "small",
    "business", "communications", "information",
}
_C, _L = "[" + lx.UPPER + "]", lx.LOWER
_NAME = rf"(?P<person>{_C}{_L}+(?:[ ]{_C}{_L}+(?:-{_L}+)?){{1,2}}|{_C}{_L}+[ ]{_C}{_L}+-{_L}+)"
BEFORE = re.compile(
    r"(?:(?P<poss>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,3})['’]s\s+)?"
    r"(?P<role>(?:[A-Z][\w&-]*\s+|(?:Vice|Deputy|Co)-){0,4}?(?:" + TITLES + r"))\s+" + _NAME
    + r"(?:\s+of\s+(?:the\s+)?(?P<of>[A-Z][\w.&-]*(?:\s+(?:of\s+|and\s+|for\s+)?[A-Z][\w.&-]*){0,5}))?"
)
AFTER = re.compile(
    _NAME + r",\s+(?:the\s+|a\s+)?(?P<role>(?:[\w&-]+\s+){0,4}?(?:" + TITLES.lower() + "|" + TITLES
    + r"))(?:\s+(?:of|at)\s+(?:the\s+)?(?P<of>[A-Z][\w.&-]*(?:\s+(?:of\s+|and\s+|for\s+)?[A-Z][\w.&-]*){0,5}))?"
)
WORDS = lx.ROLE_WORDS
TRIGGER = re.compile(r"\b(?:" + TITLES + r")\b", re.I)


@dataclass
class Role:
    """A person and the role the article gives them, with the country or organisation."""

    person: str
    role: str
    org: str | None
    org_kind: str
    evidence: Sentence


def find_people(sentences: list[Sentence]) -> list[Role]:
    """People named with a title, first mention of each person wins."""
    out: dict[str, Role] = {}
    for sent in sentences:
        if sent.lacks(WORDS) or not TRIGGER.search(sent.text):
            continue
        text = fold(sent.text)
        for rx in (BEFORE, AFTER):
            for m in rx.finditer(text):
                role = _role(m, rx is BEFORE, sent)
                if role and name_key(role.person) not in out:
                    out[name_key(role.person)] = role
    return list(out.values())


def _role(m: re.Match, before: bool, sent: Sentence) -> Role | None:
    person = m.group("person").strip()
    words = person.split()
    if any(w.lower() in NOT_NAMES or w.lower() in ROLE_MODIFIERS for w in words):
        return None
    if name_key(person) in COUNTRIES:
        return None
    role_words = m.group("role").split()
    org = None
    if before:
        keep: list[str] = []
        for w in reversed(role_words[:-1]):
            if w.lower() in ROLE_MODIFIERS and len(keep) == len([x for x in keep]):
                keep.insert(0, w)
            else:
                break
        lead = role_words[: len(role_words) - 1 - len(keep)]
        role = " ".join(keep + role_words[-1:])
        if lead:
            org = " ".join(lead)
        if m.group("poss"):
            org = m.group("poss")
    else:
        role = " ".join(role_words)
    if m.group("of"):
        org = m.group("of")
    if org:
        org = re.sub(r"^(?:the|The)\s+", "", org).strip()
        if org.endswith(".") and "." not in org.split()[-1][:-1]:
            org = org[:-1]  # the sentence's full stop, not an abbreviation's ("U.S.")
    kind = "country" if org and name_key(org) in COUNTRIES else "org"
    return Role(person, role, org, kind, sent)
