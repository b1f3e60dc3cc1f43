"""Korean text: its language, its search terms and the spelling of its names (what storage,
search and name keys share; numbers and dates are read in ``ingest/korean.py``).

Korean writes particles and endings onto the word ("SK하이닉스와", "엘타워에서") and spaces
compounds either way ("첨단 패키징" / "첨단패키징"), so a word-based full-text index finds only
whole eojeol. Search indexes Korean as overlapping two-syllable pieces of each run of Hangul,
spaces between syllables ignored: any word of two syllables or more is then found inside any
longer form, however it is spaced (a phrase of pieces is a substring test). ``bench/korean.py``
compares this with SQLite's trigram tokenizer and a morphological analyser.
"""

from __future__ import annotations

import re

HANGUL = "가-힣"  # precomposed syllables: what Korean text is written in
_HANGUL_RX = re.compile(f"[{HANGUL}]")
# A run of Hangul syllables, horizontal white space between them included ("첨단 패키징").
_RUN = re.compile(f"[{HANGUL}]+(?:[ \\t\\u00a0\\u3000]+[{HANGUL}]+)*")
_SPACE = re.compile(r"[ \t\u00a0\u3000]+")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_ENGLISH_WORDS = ("the", "and", "of", "to", "in", "is", "for", "that", "on", "with")


def has_hangul(text: str) -> bool:
    """True when ``text`` holds a Hangul syllable."""
    return not text.isascii() and _HANGUL_RX.search(text) is not None


def detect_lang(title: str, body: str, declared: str | None = None) -> str | None:
    """"ko" when Hangul is at least a third of the letters (Korean reports carry many Latin
    names: SK, LG, HBM); else the declared language ("en-US" → "en"); else "en" when common
    English words make up a good share of the words; else None (not known)."""
    text = f"{title}\n{body[:4000]}"
    if has_hangul(text):
        hangul = len(_HANGUL_RX.findall(text))
        latin = sum(len(w) for w in _LATIN_WORD.findall(text))
        if hangul * 2 >= latin:  # a Hangul syllable is worth about two Latin letters
            return "ko"
    if declared:
        lang = declared.strip().lower().replace("_", "-").split("-")[0]
        if lang.isalpha() and 2 <= len(lang) <= 3:
            return lang
    # counting a few words with str.count stays in C: this runs for every stored article
    low = f" {text[:1200].lower()} "
    spaces = low.count(" ")
    if spaces > 1 and sum(low.count(f" {w} ") for w in _ENGLISH_WORDS) >= 0.05 * spaces:
        return "en"
    return None


# ---------------------------------------------------------------- search terms


def _pieces(run: str) -> list[str]:
    """"첨단 패키징" → ["첨단", "단패", "패키", "키징"]; one syllable is its own piece."""
    s = _SPACE.sub("", run)
    if len(s) == 1:
        return [s]
    return [s[i:i + 2] for i in range(len(s) - 1)]


def hangul_pieces(text: str) -> set[str]:
    """The two-syllable pieces of every run of Hangul in ``text`` (how topic words and facts
    are compared: "첨단패키징" and "첨단 패키징 기술을" share 첨단, 단패, 패키, 키징)."""
    return {p for m in _RUN.finditer(text) for p in _pieces(m.group(0))}


def search_terms(text: str) -> str:
    """``text`` as the Korean index stores it: each run of Hangul (spaces inside ignored) as its
    two-syllable pieces, everything else as it is (the tokenizer splits it into words)."""
    if not has_hangul(text):
        return text
    return _RUN.sub(lambda m: " " + " ".join(_pieces(m.group(0))) + " ", text)


_QUERY_WORD = re.compile(f"[{HANGUL}]+|[^\\W_{HANGUL}]+")


def query_terms(text: str) -> list[str]:
    """The FTS5 terms of a query against the Korean index, all required: a word of Hangul is
    the phrase of its pieces (a substring test), a one-syllable word a prefix, anything else a
    quoted word. "SK하이닉스 첨단패키징" → ['"sk"', '"하이 이닉 닉스"', '"첨단 단패 패키 키징"']."""
    out = []
    for word in _QUERY_WORD.findall(text)[:32]:
        if _HANGUL_RX.match(word):
            pieces = _pieces(word)
            out.append(f'"{pieces[0]}"*' if len(word) == 1 else '"' + " ".join(pieces) + '"')
        else:
            out.append('"' + word.replace('"', '""') + '"')
    return list(dict.fromkeys(out))


def query_pattern(word: str) -> re.Pattern | None:
    """A pattern finding a query word in article text, spaces between its syllables allowed
    ("첨단패키징" finds "첨단 패키징"): where a snippet is cut."""
    parts = [re.escape(c) for c in _SPACE.sub("", word)]
    if not parts:
        return None
    return re.compile(r"[ \t\u00a0\u3000]*".join(parts), re.I)


def squash_spaces(name: str) -> str:
    """White space next to a Hangul syllable removed: "SK 하이닉스" and "한국 반도체산업협회"
    are "SK하이닉스" and "한국반도체산업협회" (Korean names are spaced either way)."""
    if not has_hangul(name):
        return name
    return re.sub(f"\\s+(?=[{HANGUL}])|(?<=[{HANGUL}])\\s+", "", name)


_LEGAL = re.compile(r"^\s*(?:주식회사|\(주\)|㈜)\s*|\s*(?:주식회사|\(주\)|㈜)\s*$")


_LATIN_SA = re.compile(r"[A-Za-z0-9]\s?사$")


def korean_name(name: str) -> str:
    """A Korean name as its key is made from: spaces next to Hangul and the legal form
    ("(주)", "㈜", "주식회사", "社") removed, "…대학교" as "…대"; names without Hangul are left as
    they are."""
    if (name.endswith("社") and len(name) > 1) or _LATIN_SA.search(name):  # "AMAT社", "AMAT사": AMAT
        name = name[:-1].rstrip()
    if not has_hangul(name):
        return name
    name = squash_spaces(_LEGAL.sub("", name)) or name
    # "중앙대학교" is "중앙대", as Korean shortens every university's name
    return name[:-2] if name.endswith("대학교") and len(name) > 4 else name
