"""Text as watches compare it: case- and accent-blind, words singular, scripts written without
spaces (Korean, Chinese, Japanese) matched inside words."""

from __future__ import annotations

import re
import unicodedata

# Combining marks left by NFKD: dropping them makes "Lübeck" "lubeck". Hangul syllables decompose
# into conjoining jamo, which are letters, not marks: NFC puts them back together.
_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_POSSESSIVE = re.compile(r"'s\b")
_WORD = re.compile(r"\w+")
# Scripts whose words carry particles or have no spaces between them: a word of these is found
# inside the text, not as a whole token ("삼성전자" in "삼성전자는").
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+")
_LETTER = re.compile(r"[^\W\d_]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")


# The plural of an acronym ("MOUs", "CEOs") is the acronym: "mous" would otherwise read as a word
# ending in "us", which keeps its s ("campus", "status").
# The pattern opens with a character class, so the engine skips straight to capitals; the
# character before a match is checked in _acronym.
_ACRONYM_PLURAL = re.compile(r"[A-Z][A-Z]+s\b")


def _acronym(m: re.Match) -> str:
    text, start = m.string, m.start()
    if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
        return m.group(0)
    return m.group(0)[:-1]


def fold(text: str) -> str:
    """Lower case, accents dropped, typographic quotes straightened, acronyms singular."""
    text = _ACRONYM_PLURAL.sub(_acronym, text)
    if text.isascii():
        return text.lower()
    text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return unicodedata.normalize("NFC", text).translate(_QUOTES).casefold()


class _Singular(dict):
    """A memo of ``singular``: looked up with ``map`` it stays in C for every word seen before.
    Starts afresh past ``LIMIT`` words, so a long-running process does not keep every typo."""

    LIMIT = 200_000

    def __missing__(self, word: str) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        value = self[word] = _singular(word)
        return value


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-3] + "y" if word.endswith("ies") and len(word) > 4 else word[:-1]
    return word


_SINGULAR = _Singular()


def words(folded: str) -> list[str]:
    """The words of folded text, singular ("MOUs" is "mou", "Samsung's" is "samsung")."""
    if "'" in folded:
        folded = _POSSESSIVE.sub("", folded)
    return list(map(_SINGULAR.__getitem__, _WORD.findall(folded)))


def has_cjk(text: str) -> bool:
    """True when ``text`` holds Korean, Chinese or Japanese characters."""
    # max() runs in C: most texts have no character that high, and need no pattern at all.
    return bool(text) and max(text) >= "\u1100" and _CJK.search(text) is not None


def cjk_pairs(folded: str) -> set[str]:
    """Every two neighbouring characters of the text's Korean, Chinese and Japanese runs: what a
    word of those scripts is looked up by."""
    out: set[str] = set()
    for run in _CJK.findall(folded):
        out.update(run[i:i + 2] for i in range(max(len(run) - 1, 1)))
    return out


def first_cjk_pair(folded: str) -> str | None:
    """The first two characters of the text's first Korean, Chinese or Japanese run."""
    m = _CJK.search(folded)
    return m.group(0)[:2] if m else None


def hangul_share(text: str, sample: int = 2000) -> float:
    """The share of Hangul among the letters of ``text`` (its first ``sample`` characters)."""
    part = text[:sample]
    if part.isascii():
        return 0.0
    letters = len(_LETTER.findall(part))
    return len(_HANGUL.findall(part)) / letters if letters else 0.0
