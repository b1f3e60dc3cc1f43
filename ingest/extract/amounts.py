"""Money: "$205 million (274.4 billion won)", "KRW 1 trillion", "5.1 trillion-won", "Rs 22,900
crore", "4.1 billion euros", "57 billion yen" — as written, value, currency, who, what for."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.extract.common import Context, find_date
from ingest.extract.names import fold
from ingest.extract.orgs import clean_item, generic_head, resolve_reference, split_list
from ingest.extract.sentences import Sentence

MULTIPLIERS = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9,
    "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "crore": 1e7, "crores": 1e7, "lakh": 1e5,
    "lakhs": 1e5,
}
PREFIX_CURRENCY = {
    "us$": "USD", "u.s.$": "USD", "usd": "USD", "$": "USD", "€": "EUR", "eur": "EUR", "£": "GBP",
    "gbp": "GBP", "¥": "JPY", "jpy": "JPY", "krw": "KRW", "₩": "KRW", "rs": "INR", "rs.": "INR",
    "inr": "INR", "₹": "INR", "rmb": "CNY", "cny": "CNY", "nt$": "TWD", "twd": "TWD", "a$": "AUD",
    "c$": "CAD", "s$": "SGD", "hk$": "HKD", "chf": "CHF",
}
SUFFIX_CURRENCY = {
    "won": "KRW", "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "yen": "JPY",
    "yuan": "CNY", "renminbi": "CNY", "pounds": "GBP", "pound": "GBP", "rupees": "INR",
    "rupee": "INR", "ringgit": "MYR", "baht": "THB", "dong": "VND", "riyals": "SAR",
    "dirhams": "AED", "francs": "CHF",
}
_NUM = r"\d[\d,]*(?:\.\d+)?"
_MULT = r"(?:trillion|billion|million|thousand|crores?|lakhs?|bn|mn|mln|tn)"
PREFIXED = re.compile(
    r"(?P<cur>US\$|U\.S\.\s?\$|NT\$|HK\$|A\$|C\$|S\$|USD\s?|EUR\s?|GBP\s?|JPY\s?|KRW\s?|INR\s?|RMB\s?|"
    r"CNY\s?|TWD\s?|CHF\s?|Rs\.?\s?|[$€£¥₩₹]\s?)(?P<num>" + _NUM + r")(?:\s*(?P<mult>" + _MULT
    + r"|[mbk])\b)?(?:[\s-]+(?:won|dollars?|euros?|yen|rupees))?",
)
SUFFIXED = re.compile(
    r"(?<![\w$€£¥₩₹.])(?P<num>" + _NUM + r")\s*(?P<mult>" + _MULT + r")?[\s-]*(?P<cur>won|dollars?|"
    r"euros?|yen|yuan|renminbi|pounds?|rupees?|ringgit|baht|dong|riyals|dirhams|francs)\b",
    re.I,
)
_DIGIT = re.compile(r"\d")
WORDS = frozenset("""
won dollar dollars euro euros yen yuan renminbi crore crores rupee rupees krw usd eur jpy inr
rmb cny gbp twd chf rs pound pounds ringgit baht dong riyals dirhams francs
""".split())  # noqa: SIM905
ALT = re.compile(r"\s*\((?P<alt>[^()]{1,60})\)")
TRIGGER = re.compile(r"[$€£¥₩₹]|\b(?:won|dollars?|euros?|yen|yuan|crores?|rupees?|KRW|USD|EUR|"
                     r"JPY|INR|RMB|CNY|Rs)\b")
CUES = re.compile(
    r"\b(?:invest\w*|fund\w*|budget\w*|spend\w*|spent|allocat\w*|earmark\w*|inject\w*|pour\w*|"
    r"bet|bets|commit\w*|subsid\w*|grants?|loans?|capital|financ\w*|raise[sd]?|raising|worth|"
    r"valued|deal|contract|acquir\w*|acquisition|purchase\w*|build\w*|construct\w*|plant|"
    r"facility|factory|fab|expan\w*|support\w*|package|program\w*|project\w*|aid|pledg\w*|"
    r"approv\w*|outlay|allot\w*|incentive\w*)\b",
    re.I,
)
NOT_INVESTMENT = re.compile(
    r"\b(?:revenue|sales|profit|loss|losses|earnings|market (?:size|value|cap)|valuation|"
    r"salary|price|prices|exports?|imports?|turnover|operating income|net income|deficit|"
    r"surplus|GDP)\b",
    re.I,
)
_BY_VERB = re.compile(
    r"\s+(?:said|says|announced|announces|unveiled|will|would|plans?|planned|is|are|was|were|"
    r"has|have|had|invest\w*|pledged|pledges|committed|commits|earmarked|allocated|approved|"
    r"pour\w*|inject\w*|bets?|spend\w*|spent|raised|secured|set aside|decided|agreed|aims?|"
    r"intends?|expects?|launched|launches|signed|proposed|offered|provided|provides|provide)\b",
    re.I,
)
_PURPOSE = re.compile(
    r"^\s*(?:worth\s+of\s+)?(?:[\w-]+\s+){0,4}?(?:investments?|funding|budget|fund|project|package|"
    r"plan|subsid\w*|grants?|loans?|deal|contract|program(?:me)?|spending|expansion|capex|"
    r"investment plan)?\s*(?P<prep>in|into|for|on|toward|towards|to build|to develop|to expand|"
    r"to construct|to set up|to establish|to support|to boost|to foster|to fund|to create|"
    r"to strengthen|to nurture|to help|to acquire|to buy|to upgrade)\s+(?P<purpose>[^.;]+)",
    re.I,
)
_PURPOSE_END = re.compile(
    r",|\s+(?:to keep|to maintain|to stay|to meet|to remain|to secure|to compete|to catch|to help|"
    r"in order|by 20\d\d|by the end|over the next|over (?:the )?\w+ years|through 20|until|which|"
    r"that|as part|amid|while|according|from 20|starting|beginning|so that|the ministry said|"
    r"officials said|the company said|by (?:[A-Z]|the))\b|\s\(|$"
)
_INVESTOR_AFTER = re.compile(r"^\s*(?:[\w-]+\s+){0,3}?(?:investments?|funding|financing|loans?|grants?)\s+(?:by|from)\s+(?P<who>[^.;,]+)", re.I)


@dataclass
class Money:
    """One amount: as written, its value and currency, where it sits in the sentence."""

    text: str
    value: float
    currency: str
    start: int
    end: int


@dataclass
class Investment:
    """An amount with who puts it up and what for."""

    money: Money
    by: str | None
    by_written: str | None
    purpose: str | None
    date_text: str | None
    date: str | None
    evidence: Sentence
    subtype: str


def parse_money(text: str) -> list[Money]:
    """Every amount of money in ``text``; a bracketed conversion stays part of the first amount."""
    found: list[Money] = []
    taken: list[tuple[int, int]] = []
    for rx in (PREFIXED, SUFFIXED):
        for m in rx.finditer(text):
            if any(s <= m.start() < e or s < m.end() <= e for s, e in taken):
                continue
            money = _money(m, rx is PREFIXED)
            if money is None:
                continue
            end = m.end()
            alt = ALT.match(text, end)
            if alt and (PREFIXED.search(alt.group("alt")) or SUFFIXED.search(alt.group("alt"))):
                end = alt.end()
            money.start, money.end = m.start(), end
            money.text = text[m.start():end].strip()
            found.append(money)
            taken.append((m.start(), end))
    found.sort(key=lambda x: x.start)
    return found


def _money(m: re.Match, prefixed: bool) -> Money | None:
    try:
        number = float(m.group("num").replace(",", ""))
    except ValueError:
        return None
    mult = (m.group("mult") or "").lower()
    cur_raw = m.group("cur").strip().lower()
    if prefixed:
        currency = PREFIX_CURRENCY.get(cur_raw.replace(" ", ""), PREFIX_CURRENCY.get(cur_raw.rstrip(".")))
        if cur_raw.startswith("rs"):
            currency = "INR"
        tail = m.group(0).lower()
        if currency == "USD" and tail.rstrip().endswith("won"):
            currency = "USD"
    else:
        currency = SUFFIX_CURRENCY.get(cur_raw) or SUFFIX_CURRENCY.get(cur_raw + "s")
        if cur_raw in ("won",) and not mult and number < 1000:
            return None  # "won" the verb after a number ("3 won")
    if currency is None:
        return None
    if not mult and number < 1 and not prefixed:
        return None
    value = number * MULTIPLIERS.get(mult, 1.0)
    return Money(m.group(0), value, currency, m.start(), m.end())


def find_investments(sentences: list[Sentence], body: str, ctx: Context) -> list[Investment]:
    """Amounts with an investment cue, each with its investor and purpose where written."""
    out = []
    for sent in sentences:
        if not _DIGIT.search(sent.text) or sent.lacks(WORDS) and not any(c in sent.text for c in "$€£¥₩₹"):
            continue
        if not TRIGGER.search(sent.text):
            continue
        text = fold(sent.text)
        monies = parse_money(text)
        if not monies:
            continue
        if not CUES.search(text):
            continue
        subtype = "amount" if NOT_INVESTMENT.search(text) and not re.search(r"\binvest", text, re.I) else "investment"
        for money in monies[:3]:
            by_written, by = _investor(text, money, ctx, body[: sent.start])
            purpose = _purpose(text[money.end:])
            date_text, date = find_date(text, ctx)
            out.append(Investment(money, by, by_written, purpose, date_text, date, sent, subtype))
    return out


def _investor(text: str, money: Money, ctx: Context, before_text: str) -> tuple[str | None, str | None]:
    after = _INVESTOR_AFTER.match(text[money.end:])
    if after:
        items = split_list(after.group("who"), ctx.index)
        if items:
            name = clean_item(items[0], ctx.index)
            if name:
                return items[0], name
    head = text[: money.start]
    clause = re.split(r";\s+|:\s+", head)[-1]
    m = _BY_VERB.search(clause)
    subject = clause[:m.start()] if m else clause
    subject = re.sub(r"^(?:(?:On|In|At|During|After|Earlier|Last|This|Meanwhile|Separately|Also|"
                     r"However|Under|According to)\b[^,]*,\s*)+", "", subject.strip())
    subject = re.sub(r"\([^)]*\)", "", subject).strip(" ,")
    if not subject or len(subject.split()) > 12:
        return None, None
    items = split_list(subject, ctx.index)
    if not items:
        return None, None
    item = items[0]
    name = clean_item(item, ctx.index)
    if name is None:
        head_word = generic_head(item)
        if head_word:
            name = resolve_reference(head_word, before_text + clause[: m.start() if m else 0], ctx.index)
    return (item.strip(), name) if name else (None, None)


def _purpose(after: str) -> str | None:
    m = _PURPOSE.match(after)
    if not m:
        return None
    purpose = m.group("purpose")
    end = _PURPOSE_END.search(purpose)
    purpose = purpose[: end.start()] if end else purpose
    purpose = purpose.strip(" ,")
    prep = m.group("prep").lower()
    if prep.startswith("to "):
        purpose = prep[3:] + " " + purpose
    words = purpose.split()
    return " ".join(words[:16]) if words else None
