"""The watch filter language: what people type after ``/watch add``, parsed into a tree that is
stored as JSON and compiled for matching (``watches.match``).

    filter  := or
    or      := and ("OR" and)*
    and     := unary (["AND"] unary)*          two terms side by side mean AND
    unary   := ("NOT" | "-") unary | atom
    atom    := "(" or ")" | "phrase" | word | word* | field:value | amount OP VALUE | re:/pattern/
    field   := source | org | party | kind | lang
    OP      := >= | > | <= | <

Words and phrases are case- and accent-blind and read the title and the text. ``AND``, ``OR``
and ``NOT`` are operators only in capitals. A tree node is a dict: ``{"t": "and"|"or", "c":
[...]}``, ``{"t": "not", "c": [x]}``, ``{"t": "word"|"prefix"|"phrase", "v": text}``,
``{"t": "field", "f": name, "v": value}``, ``{"t": "amount", "op", "value", "currency", "v"}``,
``{"t": "re", "v": pattern}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CHARS = 1000
MAX_TERMS = 40
MAX_DEPTH = 12
MAX_PATTERN = 200
FIELDS = ("source", "org", "party", "kind", "lang")
KINDS = {"agreement": "agreement", "agreements": "agreement", "investment": "investment",
         "investments": "investment"}
LANGS = ("en", "ko")
EXAMPLE = '/watch add party:"SK hynix" kind:agreement OR (packaging AND amount>=1tn KRW)'
_OPS = (">=", "<=", ">", "<")
_QUOTES = {'"': '"', "“": "”", "”": "”"}
_WORD_END = re.compile(r"[\s()\"“”]")
# The currency words and codes an amount may end with ("1tn KRW", "500 million dollars").
_CURRENCY_WORDS = {
    "krw": "KRW", "won": "KRW", "원": "KRW", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "eur": "EUR", "euro": "EUR", "euros": "EUR", "jpy": "JPY", "yen": "JPY", "cny": "CNY",
    "yuan": "CNY", "rmb": "CNY", "gbp": "GBP", "pounds": "GBP", "inr": "INR", "twd": "TWD",
}
_KOREAN_UNITS = {"조": 1e12, "억": 1e8, "만": 1e4, "천": 1e3}
_KOREAN_AMOUNT = re.compile(r"^(?:(\d[\d,]*(?:\.\d+)?)\s*([조억만천])\s*)+(?:원)?$")
_KOREAN_PART = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*([조억만천])")


class FilterError(ValueError):
    """A filter that cannot be read: what is wrong and where (1-based character position)."""

    def __init__(self, message: str, position: int | None = None, *, hint: str = ""):
        self.message = message
        self.position = position
        self.hint = hint
        where = f" (at character {position})" if position else ""
        super().__init__(f"{message}{where}")

    def lines(self, text: str) -> list[str]:
        """The error as a user reads it: the message, where it is, an example."""
        out = [str(self)]
        if self.position:
            before = text[max(0, self.position - 1 - 30):self.position - 1]
            after = text[self.position - 1:self.position - 1 + 30]
            out.append(f"Here: “{before}⟦{after[:1]}⟧{after[1:]}”" if after else f"Here: “{before}⟦end⟧”")
        if self.hint:
            out.append(self.hint)
        out.append(f"Example: {EXAMPLE}")
        return out


@dataclass
class Token:
    """One token of a filter: its kind, its text and where it starts (1-based)."""

    kind: str  # ( ) and or not word phrase field amount re
    text: str
    pos: int
    field: str = ""


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``; FilterError for an unclosed quote or pattern, a bad field."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        pos = i + 1
        if c in "()":
            tokens.append(Token(c, c, pos))
            i += 1
            continue
        if c in _QUOTES:
            value, i = _quoted(text, i)
            tokens.append(Token("phrase", value, pos))
            continue
        if c == "-" and i + 1 < n and not text[i + 1].isspace() and (not tokens or tokens[-1].kind != "field"):
            tokens.append(Token("not", "-", pos))
            i += 1
            continue
        m = re.match(r"(?i)(re):/", text[i:])
        if m:
            pattern, i = _pattern(text, i + m.end())
            tokens.append(Token("re", pattern, pos))
            continue
        m = re.match(r"(?i)amount\s*(>=|<=|>|<|=)", text[i:])
        if m:
            if m.group(1) == "=":
                raise FilterError("amount needs a comparison: >=, >, <= or <", pos + m.end(1) - 1,
                                  hint="For example amount>=1tn KRW or amount>=$500m.")
            value, end = _amount_text(text, i + m.end())
            if not value:
                raise FilterError(f"amount{m.group(1)} needs a value", pos,
                                  hint="For example amount>=1tn KRW, amount>=$500m or amount>=300억원.")
            tokens.append(Token("amount", value, pos, field=m.group(1)))
            i = end
            continue
        m = re.match(r"([A-Za-z]+):", text[i:])
        if m:
            name = m.group(1).lower()
            if name not in FIELDS:
                raise FilterError(
                    f"“{m.group(1)}:” is not a field I know", pos,
                    hint="Fields: source:, org:, party:, kind:agreement|investment, lang:en|ko, "
                         "amount>=VALUE and re:/pattern/. To look for the word itself, put it in quotes.",
                )
            i += m.end()
            if i < n and text[i] in _QUOTES:
                value, i = _quoted(text, i)
            else:
                end = _WORD_END.search(text, i)
                value = text[i:end.start() if end else n]
                i += len(value)
            if not value.strip():
                raise FilterError(f"{name}: needs a value", pos, hint=f"For example {name}:{_field_example(name)}.")
            tokens.append(Token("field", value.strip(), pos, field=name))
            continue
        end = _WORD_END.search(text, i)
        word = text[i:end.start() if end else n]
        i += len(word)
        if word in ("AND", "OR", "NOT"):
            tokens.append(Token(word.lower(), word, pos))
        elif word in ("&&", "||"):
            tokens.append(Token("and" if word == "&&" else "or", word, pos))
        else:
            tokens.append(Token("word", word, pos))
    return tokens


def _field_example(name: str) -> str:
    return {"source": '"Korea Herald"', "org": "MOTIE", "party": '"SK hynix"', "kind": "agreement",
            "lang": "ko"}[name]


def _quoted(text: str, i: int) -> tuple[str, int]:
    close = _QUOTES[text[i]]
    end = text.find(close, i + 1)
    if close == "”" and end < 0:
        end = text.find('"', i + 1)
    if end < 0:
        raise FilterError("a quote is not closed", i + 1, hint='Close the phrase with a second quote: "advanced packaging".')
    return text[i + 1:end], end + 1


def _pattern(text: str, i: int) -> tuple[str, int]:
    """The pattern of ``re:/…/`` starting after the first slash; a slash inside is written ``\\/``."""
    out, j = [], i
    while j < len(text):
        c = text[j]
        if c == "\\" and j + 1 < len(text):
            out.append(text[j:j + 2])
            j += 2
            continue
        if c == "/":
            return "".join(out), j + 1
        out.append(c)
        j += 1
    raise FilterError("the pattern after re:/ is not closed with /", i - 3,
                      hint=r"For example re:/SK\s?hynix/ (write a slash inside the pattern as \/).")


def _amount_text(text: str, i: int) -> tuple[str, int]:
    """The value after ``amount>=``: one word, with a currency word or a number beside it when
    it lacks one ("1tn KRW", "KRW 1tn", "500 million dollars"); (text, end)."""
    n = len(text)
    while i < n and text[i] == " ":
        i += 1
    parts, j = [], i
    for _ in range(3):
        end = _WORD_END.search(text, j)
        word = text[j:end.start() if end else n]
        if not word:
            break
        parts.append(word)
        j += len(word)
        joined = " ".join(parts)
        if _has_number(joined) and _currency_of(joined):
            break
        k = j
        while k < n and text[k] == " ":
            k += 1
        nxt = text[k:(_WORD_END.search(text, k).start() if _WORD_END.search(text, k) else n)]
        korean_more = re.search(r"[조억만천]$", joined) and re.fullmatch(r"\d[\d,.]*[조억만천]?원?", nxt)
        wants = korean_more or (not _has_number(joined) and re.match(r"\d", nxt)) or (
            _has_number(joined) and (nxt.lower() in _CURRENCY_WORDS or nxt.lower() in
                                     ("trillion", "billion", "million", "thousand", "tn", "bn", "m")))
        if not wants:
            break
        j = k
    return " ".join(parts), j


def _has_number(text: str) -> bool:
    return re.search(r"\d", text) is not None


def _currency_of(text: str) -> str | None:
    low = text.lower()
    if any(s in low for s in "$€£¥₩원"):
        return "x"
    return next((c for w, c in _CURRENCY_WORDS.items() if re.search(rf"(?<![a-z]){w}(?![a-z])", low)), None)


def parse_amount(text: str, pos: int = 0) -> tuple[float, str]:
    """An amount as a filter writes it ("1tn KRW", "$500m", "300억원") → (value, ISO currency).
    Read by the extraction's own amount reader where it can; Korean units (조, 억, 만, 천) here."""
    from ingest.extract.amounts import parse_money

    raw = text.strip()
    if not _has_number(raw):
        raise FilterError(f"“{raw}” is an amount without a number", pos,
                          hint="Write the number and its currency: amount>=1tn KRW, amount>=$500m, amount>=300억원.")
    compact = raw.replace(" ", "")
    if re.search(r"[조억만천원]", compact):
        m = _KOREAN_AMOUNT.match(compact)
        if m:
            value = sum(float(n.replace(",", "")) * _KOREAN_UNITS[u] for n, u in _KOREAN_PART.findall(compact))
            return value, "KRW"
        if re.fullmatch(r"\d[\d,]*(?:\.\d+)?원", compact):
            return float(compact[:-1].replace(",", "")), "KRW"
        raise FilterError(f"“{raw}” is not an amount I can read", pos, hint="For example 300억원 or 1조원.")
    # The extraction reads a currency code before the number: "1tn KRW" is read as "KRW 1tn".
    m = re.fullmatch(r"(?i)(.*?\d.*?)\s*\b(KRW|USD|EUR|JPY|CNY|GBP|INR|TWD|RMB|CHF)", raw)
    reordered = f"{m.group(2).upper()} {m.group(1)}" if m else raw
    found = parse_money(reordered)
    if len(found) == 1 and found[0].text.replace(" ", "") == reordered.replace(" ", ""):
        return found[0].value, found[0].currency
    if not _currency_of(raw) and re.fullmatch(r"[\d.,]+\s*(?:tn|bn|m|k|trillion|billion|million|thousand)?", raw, re.I):
        raise FilterError(f"“{raw}” has no currency", pos,
                          hint="Say which currency: amount>=1tn KRW, amount>=$500m, amount>=2bn EUR.")
    raise FilterError(f"“{raw}” is not an amount I can read", pos,
                      hint="For example 1tn KRW, 1 trillion won, $500m, 2bn EUR or 300억원.")


class _Parser:
    def __init__(self, tokens: list[Token], text: str):
        self.tokens = tokens
        self.text = text
        self.i = 0
        self.depth = 0

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def end_pos(self) -> int:
        return len(self.text) + 1

    def parse(self) -> dict:
        if not self.tokens:
            raise FilterError("the filter is empty", None, hint="Give words, a \"phrase\" or a field such as org:MOTIE.")
        node = self.parse_or()
        tok = self.peek()
        if tok is not None:
            if tok.kind == ")":
                raise FilterError("a “)” has no “(” before it", tok.pos)
            raise FilterError(f"unexpected “{tok.text}”", tok.pos)
        return node

    def parse_or(self) -> dict:
        children = [self.parse_and()]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.take()
            if self.peek() is None or self.peek().kind in (")", "or", "and"):
                raise FilterError("OR needs a term after it", self.peek().pos if self.peek() else self.end_pos())
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else {"t": "or", "c": children}

    def parse_and(self) -> dict:
        tok = self.peek()
        if tok is not None and tok.kind in ("and", "or"):
            raise FilterError(f"{tok.text} needs a term before it", tok.pos)
        children = [self.parse_unary()]
        while (tok := self.peek()) is not None and tok.kind not in (")", "or"):
            if tok.kind == "and":
                self.take()
                nxt = self.peek()
                if nxt is None or nxt.kind in (")", "or", "and"):
                    raise FilterError("AND needs a term after it", nxt.pos if nxt else self.end_pos())
            children.append(self.parse_unary())
        return children[0] if len(children) == 1 else {"t": "and", "c": children}

    def parse_unary(self) -> dict:
        tok = self.peek()
        if tok is None:
            raise FilterError("a term is missing at the end", self.end_pos())
        if tok.kind == "not":
            self.take()
            if self.peek() is None or self.peek().kind in (")", "or", "and"):
                raise FilterError(f"{tok.text} needs a term after it", tok.pos)
            return {"t": "not", "c": [self.parse_unary()]}
        return self.parse_atom()

    def parse_atom(self) -> dict:
        tok = self.take()
        if tok.kind == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise FilterError(f"parentheses are nested more than {MAX_DEPTH} deep", tok.pos)
            if self.peek() is not None and self.peek().kind == ")":
                raise FilterError("“()” holds nothing", tok.pos)
            node = self.parse_or()
            close = self.peek()
            if close is None or close.kind != ")":
                raise FilterError("a “(” is not closed", tok.pos, hint="Add the missing “)”.")
            self.take()
            self.depth -= 1
            return node
        if tok.kind == ")":
            raise FilterError("a “)” has no “(” before it", tok.pos)
        if tok.kind == "word":
            if tok.text.endswith("*") and len(tok.text.rstrip("*")) >= 3:
                return {"t": "prefix", "v": tok.text.rstrip("*")}
            if "*" in tok.text:
                raise FilterError("a word ending in * needs at least three letters before it", tok.pos)
            return {"t": "word", "v": tok.text}
        if tok.kind == "phrase":
            if not tok.text.strip():
                raise FilterError("the quotes hold nothing", tok.pos)
            return {"t": "phrase", "v": " ".join(tok.text.split())}
        if tok.kind == "field":
            return _field(tok)
        if tok.kind == "amount":
            value, currency = parse_amount(tok.text, tok.pos)
            return {"t": "amount", "op": tok.field, "value": value, "currency": currency, "v": tok.text}
        if tok.kind == "re":
            return _regex(tok)
        raise FilterError(f"unexpected “{tok.text}”", tok.pos)


def _field(tok: Token) -> dict:
    name, value = tok.field, tok.text
    if name == "kind":
        kind = KINDS.get(value.lower())
        if kind is None:
            raise FilterError(f"kind:{value} is not a kind I know", tok.pos, hint="Use kind:agreement or kind:investment.")
        value = kind
    elif name == "lang":
        if value.lower() not in LANGS:
            raise FilterError(f"lang:{value} is not a language I know", tok.pos, hint="Use lang:en or lang:ko.")
        value = value.lower()
    return {"t": "field", "f": name, "v": value}


def _regex(tok: Token) -> dict:
    if not tok.text:
        raise FilterError("re:// holds no pattern", tok.pos)
    if len(tok.text) > MAX_PATTERN:
        raise FilterError(f"the pattern is longer than {MAX_PATTERN} characters", tok.pos)
    compile_regex(tok.text, tok.pos)
    return {"t": "re", "v": tok.text}


def compile_regex(pattern: str, pos: int | None = None):
    """The pattern compiled by RE2 (linear time: no pattern can stall the bot), case-blind."""
    import re2

    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    options.max_mem = 8 << 20
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        detail = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise FilterError(f"the pattern cannot be read: {detail}", pos,
                          hint="Patterns use RE2 syntax (no look-arounds or back-references).") from None


def parse(text: str) -> dict:
    """The tree of a filter; FilterError (with the position) when it cannot be read."""
    if len(text) > MAX_CHARS:
        raise FilterError(f"the filter is {len(text):,} characters long; the limit is {MAX_CHARS:,}", None,
                          hint="Split it into several watches.")
    tokens = tokenize(text)
    terms = sum(1 for t in tokens if t.kind in ("word", "phrase", "field", "amount", "re"))
    if terms > MAX_TERMS:
        raise FilterError(f"the filter has {terms} terms; the limit is {MAX_TERMS}", None,
                          hint="Split it into several watches.")
    return _Parser(tokens, text).parse()


def _quote(value: str) -> str:
    return f'"{value}"' if re.search(r"[\s()\"]", value) or not value else value


def to_text(node: dict, parent: str = "") -> str:
    """The tree written back as a filter (canonical: fields quoted when needed, AND implied)."""
    t = node["t"]
    if t in ("and", "or"):
        joiner = " " if t == "and" else " OR "
        inner = joiner.join(to_text(c, t) for c in node["c"])
        return f"({inner})" if parent and parent != t else inner
    if t == "not":
        return "NOT " + to_text(node["c"][0], "not")
    if t == "word":
        return node["v"]
    if t == "prefix":
        return node["v"] + "*"
    if t == "phrase":
        return f'"{node["v"]}"'
    if t == "field":
        return f"{node['f']}:{_quote(node['v'])}"
    if t == "amount":
        return f"amount{node['op']}{node['v']}"
    if t == "re":
        return f"re:/{node['v']}/"
    raise ValueError(f"not a filter node: {node!r}")
