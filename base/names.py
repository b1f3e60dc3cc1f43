"""Name keys: the key two spellings of one organisation or person share, and a name as shown.
Storage, extraction, the commands and watches all match names through these."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from base.hangul import korean_name

# Legal suffixes that do not change who an organisation is ("LG Chem Ltd." is LG Chem).
LEGAL_SUFFIXES = (
    "co", "co ltd", "company limited", "ltd", "limited", "inc", "incorporated", "corp",
    "corporation", "plc", "llc", "l l c", "gmbh", "ag", "sa", "s a", "nv", "n v", "bv", "se",
    "spa", "s p a", "ab", "asa", "oyj", "kk", "k k", "pte", "pte ltd", "pvt", "pvt ltd",
    "private limited", "holdings inc", "co inc", "corp ltd",
)
_SUFFIX_RX = re.compile(r"(?:[\s,]+(?:" + "|".join(sorted((re.escape(s) for s in LEGAL_SUFFIXES), key=len, reverse=True)) + r"))+$")
_DISPLAY_SUFFIX_RX = re.compile(
    r"(?:,?\s+(?:Co\.?,?\s*Ltd\.?|Co\.?|Ltd\.?|Private\s+Limited|Limited|Inc\.?|Corp\.?|"
    r"PLC|plc|LLC|GmbH|AG|S\.A\.|SA|N\.V\.|NV|SE|S\.p\.A\.|Pte\.? Ltd\.?|Pvt\.? Ltd\.?|Pty\.? Ltd\.?|K\.K\.))+\.?$"
)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def fold(text: str) -> str:
    """Unicode-folded text with straight quotes and dashes."""
    if text.isascii():  # NFKC leaves ASCII as it is, and the backquote is the one ASCII mapping
        return text.replace("`", "'") if "`" in text else text
    return unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The key two spellings of one name share: case, "the", legal suffixes, punctuation and
    hyphens folded ("SK Hynix" = "SK hynix", "LG Chem Ltd." = "LG Chem")."""
    text = fold(name).lower().strip()
    if not text.isascii():  # Korean names: spacing and "(주)"/"주식회사" ignored (base/hangul.py)
        text = korean_name(text)
    text = text.replace("&", " and ")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"^(?:the|a|an)\s+", "", text)
    stripped = _SUFFIX_RX.sub("", text).strip()
    return stripped or text


def display_name(name: str) -> str:
    """A name as shown: outer white space, a leading "the" and legal suffixes removed ("LG Chem
    Ltd." is shown as LG Chem); "Corporation" stays, a word of many bodies' names ("Korea Land and
    Housing Corporation", "Africa Finance Corporation")."""
    text = re.sub(r"\s+", " ", name).strip().strip(",;:")
    text = re.sub(r"^(?:the|The)\s+", "", text)
    short = _DISPLAY_SUFFIX_RX.sub("", text).strip().rstrip(",")
    return short or text


# Names of countries (by name key): an organisation named so is a country.
COUNTRIES = {
    "south korea", "korea", "north korea", "united states", "us", "usa", "japan", "china", "taiwan",
    "india", "germany", "france", "united kingdom", "uk", "britain", "italy", "spain", "netherlands",
    "belgium", "poland", "hungary", "czech republic", "sweden", "norway", "finland", "denmark",
    "vietnam", "indonesia", "malaysia", "singapore", "thailand", "philippines", "australia",
    "canada", "mexico", "brazil", "chile", "argentina", "saudi arabia", "uae",
    "united arab emirates", "qatar", "israel", "turkey", "egypt", "south africa", "morocco",
    "nigeria", "kenya", "russia", "ukraine", "pakistan", "bangladesh", "new zealand", "ireland",
    "switzerland", "austria", "portugal", "greece", "romania", "kazakhstan", "uzbekistan", "mongolia",
}
