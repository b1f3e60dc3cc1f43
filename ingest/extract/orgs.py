"""Organisation names in running text: alias definitions ("Full Name (ABBR)"), lists of names
("A, B as well as C"), and cleaning one list item down to the name it holds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.extract import lexicon as lx
from ingest.extract.names import (
    BUILTIN_ENTITIES,
    CITIES,
    COUNTRIES,
    COUNTRY_NAMES,
    NEWS_AGENCIES,
    PLACES,
    STATES,
    fold,
    name_key,
)

# Words that head an institution's name; "of/for/on" after them belongs to the name
# ("Korea Institute for Advancement of Technology").
INSTITUTION_WORDS = {
    "ministry", "department", "institute", "institution", "center", "centre", "agency",
    "council", "association", "foundation", "committee", "commission", "office", "alliance",
    "organization", "organisation", "society", "federation", "bureau", "fund", "academy",
    "school", "university", "college", "chamber", "bank", "authority", "administration",
    "board", "corporation", "service", "forum", "union", "league", "consortium", "group",
    "laboratory", "laboratories", "lab", "labs", "park", "cluster", "hub", "network",
}
ROLE_WORDS = {
    "minister", "president", "ceo", "chairman", "chairwoman", "chairperson", "chair", "director",
    "secretary", "governor", "mayor", "ambassador", "commissioner", "chancellor", "premier",
    "cto", "cfo", "coo", "founder", "co-founder", "head", "chief", "spokesperson", "spokesman",
    "spokeswoman", "administrator", "vice", "deputy", "officials", "official", "executive",
    "executives", "representatives", "representative", "lawmaker", "senator", "professor",
}
# Capitalised words that are never (part of) an organisation's name on their own.
NOT_NAMES = {
    "the", "a", "an", "this", "that", "these", "those", "it", "its", "they", "their", "he", "she",
    "we", "i", "on", "in", "at", "for", "after", "before", "during", "earlier", "later", "last",
    "meanwhile", "separately", "also", "however", "additionally", "moreover", "today",
    "yesterday", "recently", "under", "through", "following", "according", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "officials", "company", "companies", "firm", "firms", "government", "ministry", "both",
    "partners", "parties", "group", "others", "other", "several", "many", "some", "all",
    "signatories", "participants", "ceremony", "mou", "agreement", "deal", "pact", "partnership",
    "contract", "consortium", "joint", "venture", "memorandum", "up", "about", "around", "nearly",
    "almost", "roughly", "over", "more", "less", "among", "projects", "project", "people",
}
NATIONALITIES = {
    "korean", "south korean", "american", "japanese", "chinese", "taiwanese", "european",
    "german", "french", "indian", "british", "dutch", "belgian", "italian", "spanish", "swedish",
    "vietnamese", "indonesian", "malaysian", "thai", "singaporean", "australian", "canadian",
    "mexican", "brazilian", "saudi", "emirati", "israeli", "turkish", "polish", "hungarian",
    "czech", "russian", "ukrainian", "global", "asian", "western", "greek", "swiss", "austrian",
    "irish", "portuguese", "finnish", "norwegian", "danish", "chilean", "argentine", "argentinian",
    "colombian", "peruvian", "egyptian", "nigerian", "kenyan", "south african", "pakistani",
    "bangladeshi", "filipino", "qatari", "kuwaiti", "kazakh", "uzbek", "mongolian", "romanian",
    "bulgarian", "slovak", "croatian", "serbian", "nordic", "scandinavian", "african",
    "middle eastern", "arab", "iranian", "iraqi", "cambodian", "burmese", "sri lankan", "nepalese",
    "new zealand", "north american", "latin american", "eastern", "southern", "northern",
    "foreign", "domestic", "local", "overseas", "international", "state-run", "state-owned",
}
NOT_NAMES |= NATIONALITIES
# "my Administration", "our government": a body named by who speaks, not by name.
POSSESSIVE_LEAD = re.compile(r"^(?:my|our|your|his|her)\s+", re.I)
LEADING_JUNK = {
    "the", "a", "an", "this", "that", "on", "in", "at", "for", "after", "before", "during",
    "earlier", "later", "last", "meanwhile", "separately", "also", "however", "additionally",
    "moreover", "today", "yesterday", "recently", "under", "through", "following", "according",
    "both", "and", "or", "its", "their",
}
CONNECTORS = lx.CONNECTORS

# A bracket that is part of a company's registered name: "PT Pertamina (Persero)", "Australia
# Pacific Airports (Melbourne) Pty Ltd" (a word in brackets before the company's legal form).
IN_NAME = r"(?!\((?:Persero|Pvt\.?|Private|Pty\.?)\))(?!\([A-Z][a-z]+\)\s+(?:Pty|Pte|Ltd|Limited|Inc|LLC|GmbH|Co)\b)"
_PAREN = re.compile(r"\s*" + IN_NAME + r"\([^()]*\)")
_TOKEN = re.compile(r"[\w][\w'’.&-]*|&")
_LEAD = re.compile(
    r"^(?:(?:and|or|as well as|along with|together with|plus|both|including|such as|like|"
    r"the|a|an|its|their|his|her|our|two|three|four|five|several|other|fellow|"
    r"local|global|domestic|foreign|major|leading|key)\s+)+",
    re.I,
)
_BASED = re.compile(r"\b[\w.&'’-]+-(?:based|headquartered|owned|backed|listed|run)\s+", re.I)
_SPLIT = re.compile(r"\s*(?:,\s*(?:and|as well as|along with|plus)\s+|,\s*|\s+and\s+|\s+as well as\s+|"
                    r"\s+along with\s+|\s+together with\s+|\s+plus\s+|\s*/\s*)")
# A list has a comma, a slash or one of these words between its items (the pattern is
# case-sensitive); a segment without any is one item, and no protection changes that.
_SPLIT_NEEDS = (",", "/", "and", "as well as", "along with", "together with", "plus")
# "of Trade, Industry and Energy": one-word fields joined by commas and one "and" belong to the
# institution name before them.
_FIELDS = re.compile(
    r"\b(?:of|for)\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?(?:,\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)*,?\s+(?:and|&)\s+"
    r"[A-Z][\w-]*(?:\s+(?!Minister|Secretary|Commissioner)[A-Z][a-z][\w-]*)?(?![\w-])"
)


def _is_fields(text: str) -> bool:
    """"of Trade, Industry and Energy" (a list of fields) or "of Science and ICT" (the last word a
    field) name one institution; "of Commerce and Entegris" ends in a second party."""
    items = [i for i in re.split(r",\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+", text) if i.strip()]
    if len(items) >= 3:  # "of Education, Culture, Sports, Science and Technology", not "of X, Y Province and Z City"
        return not any(w in _BODY_WORDS for item in items for w in item.lower().split())
    after = re.split(r",?\s+(?:and|&)\s+", text)[-1].split()
    if len(after) == 1 and after[0].lower() in lx.FIELD_WORDS:  # "of Science and ICT", not "… and Amkor Technology"
        return True
    # "Minister for Transport and Renewable Energy": every word after "and" names a field
    return len(after) == 2 and all(w.lower() in _FIELD_ONLY_WORDS for w in after)


# Words that head a body, not a field: a list holding one is a list of bodies.
_BODY_WORDS = frozenset({"province", "city", "county", "state", "government", "prefecture", "municipality",
                         "district", "corporation", "company", "inc", "ltd", "co", "corp", "group", "bank",
                         "agency", "university", "institute", "association", "council"})
# "MUFG Bank, Ltd.", "Moririn Co., Ltd.": a legal suffix after a comma belongs to the name before.
_SUFFIX_AFTER_COMMA = re.compile(
    r"(?<=\w|\.),\s+(?:Co\.,?\s*)?(?:Ltd|Limited|Inc|Corp|LLC|PLC|plc|GmbH|AG|S\.A|N\.V|Pvt\.?\s*Ltd|"
    r"Pte\.?\s*Ltd|Co)\b\.?"
)
# Every suffix the pattern takes holds one of these ("Co" also stands for "Corp"; the pattern
# is case-sensitive).
_SUFFIX_WORDS = ("Ltd", "Limited", "Inc", "Co", "LLC", "PLC", "plc", "GmbH", "AG", "S.A", "N.V")
# "president and CEO of GPEC": two titles of one person are not two list items.
_ROLE_PAIR = re.compile(
    r"\b(?:president|chairman|chairwoman|chair|ceo|chief executive|founder|director|managing director)"
    r"\s+(?:and|&)\s+(?:president|ceo|chief executive(?: officer)?|chairman|founder|co-founder|"
    r"director|cto|cfo|coo)\b|\bextraordinary and plenipotentiary\b|"
    r"\bminister\s+(?:and|&)\s+(?:deputy\s+)?(?:chief|head)\s+of\s+mission\b",
    re.I,
)
_ROLE_PAIR_WORDS = ("president", "chair", "ceo", "chief executive", "founder", "director", "plenipotentiary",
                    "mission")
# "…, the battery subsidiary of X," / "…, which works under X," between two names: a description
# of the name before, not an item of the list.
_APPOSITIVE = re.compile(
    r",\s+(?:(?:a|an|the)\s+(?:[a-z0-9][\w-]*|[A-Z][\w.-]*['’]s)\b|(?:which|who)\s)[^,;]{0,100}?,"
    r"(?=\s+(?:and\s+|as well as\s+|with\s+)?(?:the\s+)?(?:[A-Z]|[a-z]+\s+[A-Z]))"
)
# "Hyundai Engineering and Construction", "State Agriculture and Marketing department": "and"
# before one generic trade word (then a comma, the end or a common noun) is inside a name.
_TRADE_AND = re.compile(
    r"\b[A-Z][\w-]*\s+(?:and|&)\s+(?:Construction|Engineering|Industries|Industry|Technology|"
    r"Technologies|Services|Development|Trading|Manufacturing|Research|Energy|Chemicals|Chemical|"
    r"Materials|Marketing|Planning|Transport|Transportation|Logistics|Infrastructure|"
    r"Communications|Electronics|Shipbuilding|Steel|Power|Insurance|Finance|Investment|"
    r"Securities|Partners|Company|Co|Sons|Mining|Metals|Gas|Oil|Telecommunications|Media)\b"
    r"(?=\s*(?:,|;|\.|$|\s+(?:and\b|[a-z]|(?:Private|Pvt|Ltd|Limited|Inc|Corp|Co)\b)))"
)
_ASIDES = re.compile(r"\s*" + IN_NAME + r"\([^()]{0,80}\)|\s*\[[^\[\]]{0,40}\]")
DEFINITION = re.compile(r"\(\s*(?:the\s+)?([A-Z][A-Za-z0-9&.-]{1,11})\s*\)")


@dataclass
class NameIndex:
    """Names known before reading a text: compound names that contain "and"/commas (kept whole
    when splitting lists) and every known alias key (builtins, database, this article)."""

    compounds: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    canon: dict[str, str] = field(default_factory=dict)  # alias key -> canonical name's key
    _compound_rx: re.Pattern | None = None
    _compound_low: tuple[str, ...] | None = None  # the compounds lower-cased, when all are ASCII
    # clean_item's answers: the same names come back in article after article. Valid while the
    # index is unchanged; a new name clears it.
    cleaned: dict[str, str | None] = field(default_factory=dict)

    def add(self, name: str, canonical: str | None = None) -> None:
        key = name_key(name)
        if key not in self.keys or (canonical is not None and key not in self.canon):
            self.cleaned.clear()
        self.keys.add(key)
        if canonical is not None:
            self.canon.setdefault(key, name_key(canonical))
        if "," in name or " and " in name or " & " in name:
            self.compounds.add(fold(name))
            self._compound_rx = None

    def compound_rx(self) -> re.Pattern | None:
        if self._compound_rx is None and self.compounds:
            names = sorted(self.compounds, key=len, reverse=True)
            self._compound_rx = re.compile("|".join(re.escape(n) for n in names), re.I)
            self._compound_low = tuple(n.lower() for n in names) if all(n.isascii() for n in names) else None
        return self._compound_rx

    def may_hold_compound(self, text: str) -> bool:
        """False only when no compound name can occur in ``text``: with ASCII on both sides a
        case-blind match is a lower-case substring, and a few substring tests cost far less
        than the pattern's scan of every position."""
        if self.compound_rx() is None:
            return False
        if self._compound_low is None or not text.isascii():
            return True
        low = text.lower()
        return any(n in low for n in self._compound_low)


def builtin_index() -> NameIndex:
    """A NameIndex of the built-in entities and their aliases."""
    index = NameIndex()
    for canonical, (_, aliases) in BUILTIN_ENTITIES.items():
        index.add(canonical, canonical)
        for alias in aliases:
            index.add(alias, canonical)
    return index


def alias_definitions(text: str) -> list[tuple[str, str]]:
    """(full name, abbreviation) pairs defined as "Full Name (ABBR)" in ``text``."""
    out = []
    for m in DEFINITION.finditer(text):
        abbr = m.group(1).rstrip(".")
        if not any(c.isupper() for c in abbr[1:] + abbr[0]) or abbr.isdigit() or len(abbr) < 2:
            continue
        if sum(c.isupper() for c in abbr) < 2:
            continue
        full = _full_name_before(text[: m.start()], abbr)
        if full:
            out.append((full, abbr))
    return out


_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")


def initial_aliases(text: str, index: NameIndex, defined: list[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """(full name, abbreviation) pairs an article uses without defining: "WFP" and "the World
    Food Programme" in one release. The name's capitalised words spell the abbreviation exactly;
    abbreviations the index knows or the article defines are left alone."""
    taken = {abbr for _, abbr in defined} | _NOT_NAMES
    acronyms = {a for a in set(_ACRONYM.findall(text)) if a not in taken and name_key(a) not in index.keys}
    if not acronyms:
        return []
    out = []
    for abbr in sorted(acronyms):
        m = _spelled(abbr).search(text)
        if m is not None and not m.group(0).isupper():
            out.append((m.group(0), abbr))
    return out


@lru_cache(maxsize=1024)
def _spelled(abbr: str) -> re.Pattern:
    """A name whose capitalised words begin with the abbreviation's letters, one each, joined by
    the small words a name holds ("World Food Programme", "Ministry of Oceans and Fisheries")."""
    words = [re.escape(c) + r"[\w'’&-]*" for c in abbr]
    return re.compile(r"\b" + r"\s+(?:(?:of|and|for|the|on|&)\s+)*".join(words) + r"\b")


# Abbreviations that are no body: an agreement's kind, a title, a currency.
_NOT_NAMES = frozenset({"MOU", "MOUS", "MOC", "LOI", "JV", "CEO", "CFO", "CTO", "COO", "USD", "KRW", "EUR", "GBP",
                        "JPY", "CNY", "INR", "AUD", "FTA", "GDP", "PM", "AM", "ICT", "AI", "EV", "EVS"})


_HOME_PREFIX = re.compile(r"(?<![\w.])(?:U\.S\.|U\.K\.|US|UK)\s+$")


def _full_name_before(before: str, abbr: str) -> str | None:
    """The capitalised name just before "(ABBR)" whose initials account for the abbreviation."""
    tokens = list(re.finditer(r"[\w'’.&-]+|,", before[-200:]))
    offset = len(before) - min(len(before), 200)
    letters = [c for c in abbr.upper() if c.isalpha()]
    start = None
    caps = 0
    covering: list[tuple[int, int]] = []  # (start, capitalised words) of each name that accounts for it
    for tok in reversed(tokens):
        word = tok.group(0)
        if word == ",":
            continue
        if word[0].isupper() or word[0].isdigit():
            caps += 1
            start = tok.start()
            initials = [w[0].upper() for w in _cap_words(before[offset + start:])]
            if _covers(initials, letters) or _capitals_cover(before[offset + start:], letters):
                covering.append((start, len(initials)))
                if len(initials) >= len(letters):
                    break  # one word a letter: "Canadian Hydrogen and Fuel Cell Association" (CHFCA)
            elif caps > len(letters) + 2:
                break
        elif word.lower() in CONNECTORS and caps:
            continue
        else:
            break
    if not covering:
        return None
    # the name whose words give one letter each, else the shortest that accounts for it ("MOTIE")
    start = next((st for st, n in covering if n == len(letters)), covering[0][0])
    home = _HOME_PREFIX.search(before[offset: offset + start])
    name = before[offset + start:].strip().rstrip(",").strip()
    name = re.sub(r"^(?:The|the)\s+", "", name)
    name = re.sub(r"^[\w.-]+['’]s\s+", "", name)  # "Korea's Ministry of …" → "Ministry of …"
    words = _cap_words(name)
    if not words or not (_covers([w[0].upper() for w in words], letters) or _capitals_cover(name, letters)):
        return None
    if len(words) < 2 and len(name) <= len(abbr):
        return None
    # "the U.S. Department of Energy (DOE)": the country is part of the body's name
    return home.group(0) + name if home and not name[:1].islower() else name


def _cap_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w'’.&-]+", text) if w[0].isupper() or w[0].isdigit()]


def _capitals_cover(name: str, letters: list[str]) -> bool:
    """"Taiwan-USA Industrial Cooperation Promotion Office" (TUSA): the abbreviation's letters
    in order among the name's capitals, starting with its first, and not too few of them."""
    caps = [c for c in name if c.isupper()]
    if not caps or caps[0] != letters[0] or len(caps) > 2 * len(letters) + 2:
        return False
    i = 0
    for c in caps:
        if i < len(letters) and c == letters[i]:
            i += 1
    return i == len(letters)


def _covers(initials: list[str], letters: list[str]) -> bool:
    """True when the name's initials spell the abbreviation's letters in order (allowing the
    abbreviation to take more than one letter from a word, as "MOTIE" does)."""
    if not initials or initials[0] != letters[0]:
        return False
    i = 0
    for ch in initials:
        while i < len(letters) and letters[i] != ch:
            i += 1
        if i == len(letters):
            return False
        i += 1
    return len(initials) >= min(len(letters), 2) or len(letters) <= 2


def protect(segment: str, index: NameIndex) -> tuple[str, dict[str, str]]:
    """Replace names that contain "and" or commas by placeholders so a list splits cleanly."""
    saved: dict[str, str] = {}

    def keep(m: re.Match) -> str:
        token = f"\x00{len(saved)}\x00"
        saved[token] = m.group(0)
        return token

    # Each pattern runs only where the words it needs are: most segments have no compound
    # name, and "and", "&" or a comma is in every other pattern (no character outside ASCII
    # matches or lower-cases to one of them).
    if index.may_hold_compound(segment):
        segment = index.compound_rx().sub(keep, segment)
    low = segment.lower()
    joined = "&" in segment or "and" in low
    if joined and ("of" in segment or "for" in segment):
        segment = _FIELDS.sub(lambda m: keep(m) if _is_fields(m.group(0)) else m.group(0), segment)
    if "," in segment and any(w in segment for w in _SUFFIX_WORDS):
        segment = _SUFFIX_AFTER_COMMA.sub(keep, segment)
    if joined:
        segment = _TRADE_AND.sub(keep, segment)
        if not low.isascii() or any(w in low for w in _ROLE_PAIR_WORDS):
            segment = _ROLE_PAIR.sub(keep, segment)
    return segment, saved


# An aside set off by dashes ("the EU – represented by Commissioner Jutta Urpilainen –, the
# United States", "Samsung – the only leading-edge company … – is expected to invest").
DASH_ASIDE = re.compile(r"\s+[-–—]\s+[a-z][^–—]{0,200}?\s+[-–—](?=[\s,])")  # folded text has " - "


def strip_asides(segment: str) -> str:
    """Short asides in brackets ("(KEPCO)", "[STLA:US]") or dashes, and descriptions set off by commas
    between names (", the battery subsidiary of LG Chem,", ", which works under X,") removed:
    they hold no party and would end or split a list early."""
    if "(" in segment or "[" in segment:
        segment = _ASIDES.sub("", segment)
    if " - " in segment or "–" in segment or "—" in segment:
        segment = DASH_ASIDE.sub("", segment)
    prev = None if "," in segment else segment  # an appositive is set off by commas
    while prev != segment:
        prev = segment
        segment = _APPOSITIVE.sub(",", segment, count=1)
    if "," in segment:
        segment = _APPOSITIVE_END.sub("", segment)
    return segment


# "… with LG Chem Wroclaw Energy, the Polish subsidiary of the LG Chem Group that was …": a
# description of the last name that runs to the end of the sentence.
_APPOSITIVE_END = re.compile(
    r",\s+(?:a|an|the)\s+(?:[A-Z][\w-]*\s+)?(?:[a-z][\w-]*\s+){0,3}(?:subsidiar(?:y|ies)|units?|affiliates?|arms?|"
    r"divisions?|branch|parent|owner)\s+(?:of|in)\s+[^,;]*$")


def split_list(segment: str, index: NameIndex) -> list[str]:
    """Split "A, B, and C" / "A as well as B" into its items, names with "and" kept whole."""
    if "(" in segment:
        segment = _PAREN.sub("", segment)
    if not any(w in segment for w in _SPLIT_NEEDS):
        part = segment.strip(" ,;:.\"'“”‘’")
        return [part] if part else []
    protected, saved = protect(segment, index)
    items = []
    for part in _SPLIT.split(protected):
        for token, original in saved.items():
            part = part.replace(token, original)
        part = part.strip(" ,;:.\"'“”‘’")
        if part:
            items.append(part)
    return items


def clean_item(item: str, index: NameIndex) -> str | None:
    """The organisation (or person) name a list item holds, or None for a generic phrase
    ("semiconductor companies"), a place, a date or a news agency."""
    try:
        return index.cleaned[item]
    except KeyError:
        pass
    name = index.cleaned[item] = _clean_item(item, index)
    if len(index.cleaned) > 50_000:
        index.cleaned.clear()
    return name


def _clean_item(item: str, index: NameIndex) -> str | None:
    text = fold(_PAREN.sub("", item)).strip(" ,;:.\"'•·▪◦‣*")
    if POSSESSIVE_LEAD.match(text):
        return None
    if _COLLECTIVE.match(text):
        return None  # "two Greek companies", "15 investors": unnamed
    text = _LEAD.sub("", text)
    text = _BASED.sub("", text)
    text = re.sub(r"\s+", " ", text).strip(" ,;:.")
    if not text:
        return None
    gov = _REGIONAL_GOVERNMENT.match(text)
    if gov:  # "the regional government of Castilla y León": the body, not the region
        return gov.group("body")
    text = _body_of_unit(text, index)
    text = _DATE_TAIL.sub("", text) if " on " in text or " in " in text else text
    if name_key(text) in index.keys:
        return _check(text)
    words = _TOKEN.findall(text)
    if not words:
        return None
    run = _best_run(words)
    if run is None:
        return None
    if run.endswith(("'s", "’s")):
        return None  # "China's largest cobalt producer": a description, not a name
    if (name_key(run) in PLACES or index.canon.get(name_key(run)) in PLACES) and re.search(r"\b(?!(?:the|of|and|in)\b)[a-z][a-z-]+", text):
        return None  # "companies from Taiwan", "a unit in Korea"
    run = _without_home(run)
    last = run.rsplit(" ", 1)[-1]
    at = text.find(last + " ")
    head = _BODY_HEAD.match(text, at + len(last)) if at >= 0 else None
    if head and name_key(run) not in NOT_NAMES:
        run = f"{run} {head.group(1)}"  # "the Tamil Nadu government", "Marketing department"
    # "Japan's Sony" → "Sony"; keep "McDonald's".
    while True:  # "the U.S. Department of Commerce's Minority Business Development Agency" → the agency
        m = re.match(r"^[\w.&-]+(?: (?:of|and|the|[A-Z][\w.&-]*)){0,4}['’]s (?=[A-Z])", run)
        if not m or name_key(run) in index.keys:
            break
        run = run[m.end():]
    run = _before_role(run)
    if run and _fields_only(run) and name_key(run) not in index.keys:
        return None  # "International Cooperation", "Resources": a minister's field torn from the title
    if run and name_key(run) not in index.keys:
        run = _country_of_office(run)
    return _check(run) if run else None


def _country_of_office(run: str) -> str:
    """"Republic of Korea Science and Technology" (before "Minister"): a country and the fields
    of its minister's office stand for the country."""
    words = run.split()
    for n in range(len(words) - 1, 0, -1):
        head = " ".join(words[:n])
        if (name_key(head) in COUNTRIES or name_key(head) in _REPUBLIC_KEYS) and _fields_only(" ".join(words[n:])):
            return head
    return run


# Words a minister's or a ministry's field is named with: a name of these words alone is no body.
_FIELD_ONLY_WORDS = lx.FIELD_WORDS | {"international", "cooperation", "foreign", "affairs", "renewable",
                                      "electricity", "internal", "market", "climate", "relations", "business",
                                      "mineral", "and", "of", "for", "&"}


def _fields_only(run: str) -> bool:
    """"Trade, Industry and Energy", "Asia-Pacific and African Affairs": the fields of an office."""
    return all(w.strip(",") in _FIELD_ONLY_WORDS or w.strip(",") in _REGION_WORDS for w in run.lower().split())


# Regions an office is for ("Director General of Asian Affairs").
_REGION_WORDS = NATIONALITIES | {"asia-pacific", "asia", "pacific", "africa", "europe", "americas", "middle", "east",
                                 "latin", "america", "south", "north", "west"}


_REPUBLIC_KEYS = {name_key(a) for _, (kind, aliases) in BUILTIN_ENTITIES.items() if kind == "country" for a in aliases}


# "Kazakhstan on June 12": the date a list of names runs into.
_DATE_TAIL = re.compile(
    r"\s+(?:on|in)\s+(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?(?:\s+\d{1,2}(?:st|nd|rd|th)?)?"
    r"(?:,?\s+\d{4})?|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)$")


_DEPARTMENT_UNIT = re.compile(r"^(?P<body>(?:the\s+)?(?:[A-Z][\w.-]*\s+)*(?:Department|Ministry)\s+of\s+[A-Z][\w-]*"
                              r"(?:\s+and\s+[A-Z][\w-]*)?)\s+(?:Office|Bureau|Directorate|Division)\s+(?:of|for)\b")


def _body_of_unit(text: str, index: NameIndex) -> str:
    """The body whose office, branch or unit ``text`` names (lower-case "office" after a place:
    "JICA Fiji office"), else ``text``."""
    m = _DEPARTMENT_UNIT.match(text) if " of " in text else None
    if m:  # "Department of Defense Office of the Under Secretary …": the department signs
        return m.group("body")
    if not text.endswith(("office", "branch", "bureau", "unit")):
        return text
    words = text.split(" ")
    for n in (1, 2):  # the place is one word or two
        body, place = words[: -n - 1], words[-n - 1: -1]
        if len(body) >= 2 and all(w[:1].isupper() for w in place) and (
                body[-1].lower() in INSTITUTION_WORDS or name_key(" ".join(body)) in index.keys):
            return " ".join(body)
    return text


COLLECTIVE = re.compile(
    r"^(?:(?:a|the)\s+(?:group|total|consortium|number)\s+of\s+)?(?:the\s+)?(?:two|three|four|five|six|"
    r"seven|eight|nine|ten|several|many|other|\d+)\s+(?:[\w.'’-]+\s+){0,3}[a-z][\w-]*s$",
    re.I,
)
_COLLECTIVE = COLLECTIVE
_HOME = re.compile(r"^(?P<name>.+?)\s+of\s+(?:the\s+)?(?P<place>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2})$")
_OF_PLACE_KEEPS = INSTITUTION_WORDS | {"government", "republic", "province", "state", "city", "kingdom",
                                       "county", "prefecture", "port", "people's", "embassy"}


_BODY_HEAD = re.compile(r"\s+(government|department|ministry|administration)\b")


def _without_home(run: str) -> str:
    """"SQM of Chile" → "SQM": a company's home country is not part of its name (but "Bank of
    Korea" and "Province of Gyeongsangbuk-do" keep theirs)."""
    m = _HOME.match(run)
    if m and name_key(m.group("place")) in PLACES and \
            m.group("name").split()[-1].lower() not in _OF_PLACE_KEEPS:
        return m.group("name")
    return run


ROLE_OF = re.compile(
    r"^(?:the\s+)?(?:(?:vice|deputy|senior|executive|acting|co-|prime|foreign|trade|finance|under|high)[\s-]?)?"
    r"(?:president|chairman|chairwoman|chair|ceo|chief executive(?: officer)?|chief|founder|co-founder|"
    r"(?:deputy\s+)?(?:chief|head) of mission|minister of state|secretary of state|"
    r"director(?:[ -]general)?|managing director|head|secretary general|secretary-general|secretary(?!\s+of\s+state\b)|minister|"
    r"governor|mayor|representative|ambassador|commissioner|administrator|consul(?: general)?|cto|cfo|coo)"
    r"(?:\s+(?:and|&)\s+[\w -]+?(?:\s+of\s+mission)?)?(?:\s+extraordinary and plenipotentiary)?"
    r"(?-i:\s+(?!(?:Chief|Head|Deputy|Mission|General|Secretary|Minister|Director|Officer|Executive|State)\b)"
    r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)?"  # "Chief Suh of Korea Forest Service"
    r"(?:\s+(?:for|of)\s+[A-Z][\w&,' -]+?)??\s+(?:of|at)\s+(?:the\s+)?(?P<org>.+?)(?:\s+to\s+.+)?$",
    re.I,
)


# "the Embassy of Japan", "the Japanese Embassy": a country's mission signs for its country.
_EMBASSY = re.compile(r"^(?:the\s+)?(?:Embassy|Consulate(?:[ -]General)?|High Commission|Permanent Mission)\s+of\s+"
                      r"(?:the\s+)?(?P<country>.+)$|^(?:the\s+)?(?P<adj>[A-Z][\w.'’ -]+?)\s+Embassy$", re.I)


def mission_country(name: str) -> str | None:
    """The country an embassy (consulate, high commission) is the mission of, when it is one."""
    m = _EMBASSY.match(name.strip()) if "mbass" in name or "onsul" in name or "ission" in name else None
    if not m:
        return None
    return country_of(m.group("country") or m.group("adj"))


def country_of(word: str) -> str | None:
    """The country a word names or describes ("UK", "Polish", "Japanese"), else None."""
    key = name_key(word)
    if key in COUNTRIES:
        return word
    return _COUNTRY_OF_ADJECTIVE.get(key)


_COUNTRY_OF_ADJECTIVE = {name_key(adj): country for country, adjectives in COUNTRY_NAMES.items() for adj in adjectives}


def people_to_orgs(items: list[str]) -> list[str]:
    """"Stephen Su, CEO of TUSA" → "TUSA": a person signs on behalf of an organisation, and the
    organisation is the party; the person's name before the title is dropped. An embassy's
    official signs for the embassy's country."""
    out: list[str] = []
    fields_only = named_after = False
    from_title = -1
    items = _outermost_bodies(items)
    for item in items:
        low = item.lower()
        if (fields_only or named_after) and _PERSON_LIKE.fullmatch(item.strip()) \
                and not (set(low.split()) & INSTITUTION_WORDS) and not _ROLE_OF_ANY.search(item):
            # "…, Minister of Trade and Culture, Eva Jonsdottir", "the Chairman of the Barcelona
            # Port Authority, Jordi Valls": the name of the one who holds the title just listed
            fields_only = named_after = False
            continue
        named_after = False
        ministry = _MINISTRY_OF.match(item.strip()) if fields_only else None
        if ministry:  # "Director General of Asian Affairs, Ministry of Foreign Affairs of X": for X
            country = _beyond_fields(ministry.group("of"))
            if country and name_key(country) in COUNTRIES | _REPUBLIC_KEYS:
                out.append(country)
                fields_only = False
                continue
        m = ROLE_OF.match(item.strip()) if ("of" in low or "at" in low) else None
        fields_only = False
        if m:
            popped = bool(out) and not _ROLE_OF_ANY.search(out[-1]) and not _TITLE_IN.search(out[-1]) \
                and len(out) != from_title
            if popped:
                out.pop()  # "Stephen Su, CEO of TUSA": the person before the title
            org = _beyond_fields(m.group("org"))
            fields_only = org is None
            # "the Chairman of the Barcelona Port Authority, Jordi Valls": his name comes after
            named_after = org is not None and not popped and low.lstrip().startswith("the ")
            if org:
                out.append(mission_country(org) or org)
                from_title = len(out)  # the body of a title, not a person before the next one
        elif _BARE_TITLE_FOR.match(item.strip()):
            # "Sanae Takaichi, Minister for Internal Affairs and Communications": a person and a
            # title naming no body; the body, if any, is named elsewhere
            if out and _PERSON_LIKE.fullmatch(out[-1].strip()) and len(out) != from_title:
                out.pop()
        else:
            out.append(item)
            # "Malaysia's Senior Minister for International Trade and Industry, Mohamed Azmin Ali":
            # a title without its holder's name; the name comes next
            named_after = _TITLE_ONLY.search(item.strip()) is not None
    return out


_ROLE_OF_ANY = re.compile(r"\b(?:of|at)\b")
_TITLE_IN = re.compile(r"\b(?:" + lx.TITLES + r")\b")
_BARE_TITLE_FOR = re.compile(r"^(?:the\s+)?(?:(?:Senior|Deputy|Vice|Executive|Assistant|Under)[\s-]+)?(?:" + lx.TITLES + r")"
                             r"\s+for\s+[A-Z][^,]*$")
_TITLE_ONLY = re.compile(r"\b(?:" + lx.TITLES + r")(?:\s+(?:for|of)\s+[^,]+)?$")
_MINISTRY_OF = re.compile(r"^(?:the\s+)?(?:Ministry|Department)\s+of\s+(?P<of>.+)$")
_BARE_TITLE = re.compile(r"^(?:(?:additional|joint|deputy|assistant|senior|special|principal|chief|vice|under|"
                         r"executive|acting|permanent)\s+)*(?:secretary|director(?:[ -]general)?|minister|"
                         r"commissioner|officer|counsellor|counselor|adviser|advisor|representative)$", re.I)


def _outermost_bodies(items: list[str]) -> list[str]:
    """"Mr. X, Additional Secretary, Department of Economic Affairs, Ministry of Finance,
    Government of India": a bare title, then the bodies it sits in from the inside out — the
    person signs for the outermost one."""
    if len(items) < 3 or not any(_BARE_TITLE.match(i.strip()) for i in items):
        return items
    out: list[str] = []
    i = 0
    while i < len(items):
        if _BARE_TITLE.match(items[i].strip()):
            j = i + 1
            while j < len(items) and set(items[j].lower().split()) & (INSTITUTION_WORDS | {"government"}):
                j += 1
            if j - i >= 2:
                if out and _PERSON_LIKE.fullmatch(re.sub(r"^(?:Mr|Ms|Mrs|Dr|H\.E|Hon)\.?\s+", "", out[-1].strip())):
                    out.pop()  # the person before the title
                out.append(items[j - 1])
                i = j
                continue
        out.append(items[i])
        i += 1
    return out
_UPPER = lx.UPPER
_PERSON_LIKE = re.compile(r"[" + _UPPER + r"][\w'’-]+(?:\s+(?:[" + _UPPER + r"]\.|[" + _UPPER + r"][\w'’-]+|van|von|der|de|"
                          r"da|bin|al|el)){1,3}")
_FIELDS_OF = re.compile(r"^(?P<fields>(?:[A-Z][\w-]*,?\s+(?:(?:and|&)\s+)?){1,8}?)of\s+(?:the\s+)?(?P<rest>.+)$")


def _beyond_fields(org: str) -> str | None:
    """What a minister is "of" past the fields of the office: "Foreign Affairs of Chile Alberto
    Stork" → "Chile"; None when the title names only fields ("Minister of Business, Trade and
    Justice": the body is named elsewhere)."""
    if _fields_only(org) or ("," in org and _is_fields("of " + org)):
        return None
    m = _FIELDS_OF.match(org)
    if not m or not _fields_only(m.group("fields")):
        return org
    rest = m.group("rest")
    words = rest.split()
    for n in range(min(4, len(words)), 0, -1):  # a country, then the minister's own name
        head = " ".join(words[:n])
        if name_key(head) in COUNTRIES or name_key(head) in _REPUBLIC_KEYS:
            return head
    return rest


_REGIONAL_GOVERNMENT = re.compile(
    r"^(?:the\s+)?(?P<body>(?:regional|provincial|state|municipal|metropolitan|local|autonomous)\s+government\s+of\s+"
    r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|y|de|del|di|la|of|and))*)$")
_FOREIGN_JOINERS = lx.NAME_JOINERS - lx.CONNECTORS


def _best_run(words: list[str]) -> str | None:
    """The longest run of capitalised words (allowing connectors inside); ties → the last."""
    runs: list[list[str]] = []
    current: list[str] = []
    pending: list[str] = []
    for w in words:
        if _is_cap(w):
            if current and pending:
                current += pending
            elif not current and pending:
                pass
            current.append(w)
            pending = []
        elif current and (w.lower() in CONNECTORS or w in _FOREIGN_JOINERS):
            pending.append(w)  # "Bank of Korea", "Castilla y León", "Cassa di Risparmio"
        elif current and _brand_tail(current, w):
            current.append(w)
            pending = []
        else:
            if current:
                runs.append(current)
            current, pending = [], []
    if current:
        runs.append(current)
    runs = [r for r in runs if not (len(r) == 1 and r[0].lower() in NOT_NAMES)]
    if not runs:
        return None
    best = max(range(len(runs)), key=lambda i: (len(runs[i]), i))
    run = runs[best]
    while run and len(run) > 1 and (run[0].lower() in LEADING_JUNK or run[0].lower() in CONNECTORS):
        run = run[1:]
    return " ".join(run)


def _is_cap(word: str) -> bool:
    return word[0].isupper() or (word[0].isdigit() and any(c.isalpha() for c in word)) or (
        len(word) > 1 and word[0].islower() and any(c.isupper() for c in word[1:])
    )


def _brand_tail(current: list[str], word: str) -> bool:
    # "SK hynix": a short all-capitals token followed by a lower-case brand word.
    return len(current) == 1 and current[0].isupper() and len(current[0]) <= 3 and word.isalpha() and len(word) > 3


def _before_role(run: str) -> str:
    """"Samsung Electronics CEO Kim Ki-nam" → "Samsung Electronics"; a bare title + name is
    kept as the person's name."""
    words = run.split(" ")
    for i, w in enumerate(words):
        if w.lower().strip(".") in ROLE_WORDS:
            before = " ".join(words[:i]).strip()
            before = re.sub(r"['’]s$", "", before)
            country = _COUNTRY_OF_ADJECTIVE.get(name_key(before))
            if country and words[i + 1: i + 2] in (["of"], ["for"]):
                return country  # "Egyptian Minister of International Cooperation": Egypt's minister
            if before and before.lower() not in NOT_NAMES:
                return before
            after = [x for x in words[i + 1:] if x.lower().strip(".") not in ROLE_WORDS]
            return " ".join(after)
    return run


def _check(name: str) -> str | None:
    key = name_key(name)
    # a city is where it happened, not who signed; a city that is a country (Singapore) signs
    if not key or key in NEWS_AGENCIES or (key in CITIES and key not in COUNTRIES | STATES) or key in NOT_NAMES:
        return None
    if len(key.split()) > 10:
        return None
    return name.strip()


GENERIC_HEADS = ("ministry", "government", "company", "firm", "agency", "association", "institute",
                 "bank", "university", "commission", "council", "group", "chipmaker", "automaker",
                 "carmaker", "maker", "operator", "startup", "administration", "department")


_GENERIC = re.compile(r"(?:the|this|that)\s+(?:[\w.'’-]+\s+){0,2}?(" + "|".join(GENERIC_HEADS) + r")")


def generic_head(item: str) -> str | None:
    """"the ministry" → "ministry"; "it" → "it": a phrase that refers back to a named org."""
    text = fold(item).strip(" ,.;:").lower()
    if text in ("it", "they"):  # "we" is whoever speaks, which a quote seldom says
        return text
    m = _GENERIC.fullmatch(text)
    return m.group(1) if m else None


# A run of capitalised words, on one line (a headline and the paragraph after it are two).
_ORG_SPAN = re.compile(
    r"(?:[A-Z][\w&.'’-]*|\d\w*)(?:(?:[ \t]+(?:(?:of|and|for|on|the|&)[ \t]+)*|"
    r",[ \t]+(?=[A-Z][\w-]*(?:,[ \t]+[A-Z][\w-]*)*,?[ \t]+and[ \t]+[A-Z]))(?:[A-Z][\w&.'’-]*|\d\w*))*"
)


PAIR_REFERENCE = re.compile(
    r"^(?:the\s+)?(?P<n>two|both|three|four)\s+(?:companies|firms|sides|groups|bodies|parties|partners|"
    r"departments|nations|states|administrations|"
    r"associations|organi[sz]ations|governments|countries|carmakers|automakers|chipmakers|"
    r"operators|banks|institutions|agencies|ministries|drugmakers|makers|players)$|^both$",
    re.I,
)
_COUNTS = {"two": 2, "both": 2, "three": 3, "four": 4}
_PAIR_WORDS = tuple(_COUNTS)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])|\n+")


def resolve_group(item: str, before: str, index: NameIndex) -> list[tuple[str, str]]:
    """"The two companies" → the two organisations last named together ("A and B …") in the
    text before; (as written, name) pairs, or [] when no such group is found."""
    text = fold(item)
    low = text.lower()
    # every reference the pattern takes holds one of these words ("both" is in each form)
    if not any(w in low for w in _PAIR_WORDS):
        return []
    m = PAIR_REFERENCE.match(text.strip(" ,.;:"))
    if not m:
        return []
    count = _COUNTS[(m.group("n") or "both").lower()]
    text = strip_asides(fold(before[-REFERENCE_REACH:]))
    for sentence in reversed(_SENTENCE_BREAK.split(text)):
        for span in reversed([m.group(0) for m in _ORG_SPAN.finditer(sentence)]):
            if " and " not in span and "," not in span:
                continue
            found = []
            for part in split_list(span, index):
                name = clean_item(part, index)
                if name:
                    found.append((part.strip(), name))
            if len(found) == count:
                return found
    return []


_GOVERNMENT = re.compile(r"\b((?:[A-Z][\w'’.-]*\s+){1,3})government\b")


REFERENCE_REACH = 1500


def resolve_reference(head: str, before: str, index: NameIndex) -> str | None:
    """The named organisation ``head`` ("ministry", "it") most plausibly refers to in the text
    ``before`` it: the nearest earlier name containing the head word, or for pronouns and
    "the company" the nearest earlier organisation-like name."""
    before = before[-REFERENCE_REACH:]  # a reference points a few sentences back, not pages
    if head == "government":
        found = list(_GOVERNMENT.finditer(fold(before)))
        if found:
            name = re.sub(r"^(?:The|A|An)\s+", "", found[-1].group(0))
            return name if clean_item(found[-1].group(1), index) else None
    if head in ("it", "they"):
        subject = _last_subject(before, index)
        if subject:
            return subject
    spans = [m.group(0) for m in _ORG_SPAN.finditer(fold(before))]
    # "Intel and the German government …": each name of a span, the last first
    parts = [p for span in reversed(spans) for p in reversed(split_list(span, index) or [span])]
    for span in parts:
        name = clean_item(span, index)
        if not name:
            continue
        key = name_key(name)
        if head in ("it", "they", "we", "company", "firm", "chipmaker", "automaker", "carmaker",
                    "maker", "operator", "startup", "group"):
            if len(key) > 1 and key not in NOT_NAMES and key.split()[0] not in NOT_NAMES and \
                    key not in PLACES and index.canon.get(key) not in PLACES:
                return name
        elif head in key.split() or (head == "ministry" and key in index.keys and "ministry" in key):
            return name
    return None


_ADVERBIAL = re.compile(r"^(?:(?:" + lx.LEADING_ADVERBIAL + r")\b[^,]{0,40},\s*)+")


def _last_subject(before: str, index: NameIndex) -> str | None:
    """The organisation that opens the sentence before ("Last December, LG Energy Solution and
    LG Chem invested …" → "LG Energy Solution"): what "it" usually refers back to."""
    sentences = [s for s in _SENTENCE_BREAK.split(fold(before[-REFERENCE_REACH:]).strip()) if s.strip()]
    if not sentences:
        return None
    sentence = _ADVERBIAL.sub("", strip_asides(sentences[-1]).strip())
    m = _ORG_SPAN.match(sentence)
    if not m:
        return None
    items = split_list(m.group(0), index)
    name = clean_item(items[0], index) if items else None
    if name and name_key(name) not in NOT_NAMES and name_key(name) not in PLACES:
        return name
    return None
