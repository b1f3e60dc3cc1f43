"""Money: "$205 million (274.4 billion won)", "KRW 1 trillion", "5.1 trillion-won", "Rs 22,900
crore", "4.1 billion euros", "57 billion yen" — as written, value, currency, who, what for."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.caseblind import CaseBlind
from ingest.extract import lexicon as lx
from ingest.extract.common import Context, find_date, strip_dateline
from ingest.extract.names import fold, name_key, named_like
from ingest.extract.orgs import (
    _ORG_SPAN,
    COLLECTIVE,
    DASH_ASIDE,
    clean_item,
    generic_head,
    resolve_reference,
    split_list,
    strip_asides,
)
from ingest.extract.sentences import Sentence, has_digit

MULTIPLIERS = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9,
    "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "crore": 1e7, "crores": 1e7, "lakh": 1e5,
    "lakhs": 1e5, "tr": 1e12,
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
    # the CFA franc of West Africa (Burkina Faso, Senegal, Côte d'Ivoire …); Central Africa's is
    # at par with it
    "cfa": "XOF", "cfa francs": "XOF", "cfa franc": "XOF",
}
_NUM_REST = r"(?:\d|,(?=\d))*(?:\.\d+)?"  # after the first digit; a comma only inside the number
_NUM = r"\d" + _NUM_REST
_MULT = r"(?:trillion|billion|million|thousand|crores?|lakhs?|bn|mn|mln|tn|tr)"
# Headlines write "$6.4 Billion"; the scale word is read case-blind after a number.
_MULT_ANY_CASE = r"(?i:trillion|billion|million|thousand|crores?|lakhs?|bn|mn|mln|tn|tr)"
# Both patterns open with a character (a currency's, a digit) rather than a class of them or an
# assertion: then the regex engine skips to the places such a character is before trying the
# rest, several times faster than trying every place of a sentence.
PREFIXED = re.compile(
    r"(?P<cur>US\$|U\.S\.\s?\$|NT\$|HK\$|A\$|C\$|S\$|USD\s?|EUR\s?|GBP\s?|JPY\s?|KRW\s?|INR\s?|RMB\s?|"
    r"CNY\s?|TWD\s?|CHF\s?|Rs\.?\s?|\$\s?|€\s?|£\s?|¥\s?|₩\s?|₹\s?)(?P<num>" + _NUM + r")(?:\s*(?P<mult>" + _MULT_ANY_CASE
    + r"|[mbk])\b)?(?:[\s-]+(?:won|dollars?|euros?|yen|rupees))?",
)
# A number not glued to a word, a currency sign or a full stop ("A1", "$5", "v1.5"): the
# look-behind sits after the first digit, and looks at the character before it.
SUFFIXED = re.compile(
    r"(?P<num>\d(?<![\w$€£¥₩₹.]\d)" + _NUM_REST + r")\s*(?P<mult>" + _MULT + r")?[\s-]*"
    r"(?:(?:Japanese|Korean|Chinese|Indian|U\.?S\.?|American|Australian|Canadian|Hong Kong|Singapore|Taiwan)\s+)?"
    r"(?P<cur>won|dollars?|"
    r"euros?|yen|yuan|renminbi|pounds?|rupees?|ringgit|baht|dong|riyals|dirhams|CFA(?:\s+francs?)?|francs)\b",
    re.I,
)
WORDS = lx.CURRENCY_WORDS
ALT = re.compile(r"\s*\((?P<alt>[^()]{1,60})\)")


_TRIGGER_WORDS = frozenset(b"won dollar dollars euro euros yen yuan crore crores rupee rupees".split())
_TRIGGER_CODES = ("KRW", "USD", "EUR", "JPY", "INR", "RMB", "CNY", "Rs")
TRIGGER = re.compile(r"[$€£¥₩₹]|\b(?:" + "|".join(w.decode() for w in sorted(_TRIGGER_WORDS)) + r")\b|"
                     r"\b(?:" + "|".join(_TRIGGER_CODES) + r")(?:\b|(?=\d))")
# ASCII characters outside \w as spaces: splitting then gives the words as \b delimits them.
_NON_WORD = bytes(c for c in range(128) if not (chr(c).isalnum() or c == ord("_")))
_WORDS_ONLY = bytes.maketrans(_NON_WORD, b" " * len(_NON_WORD))
CUES = CaseBlind(
    r"\b(?:invest\w*|fund\w*|budget\w*|spend\w*|spent|allocat\w*|earmark\w*|inject\w*|pour\w*|"
    r"bet|bets|commit\w*|subsid\w*|grants?|vouchers?|compacts?|loans?|lend|lends|lending|lent|capital|financ\w*|raise[sd]?|raising|worth|"
    r"valued|deal|contract|acquir\w*|acquisition|purchase\w*|build\w*|construct\w*|plant|"
    r"facility|factory|fab|expan\w*|support\w*|package|program\w*|project\w*|aid|pledg\w*|"
    r"approv\w*|outlay|allot\w*|incentive\w*|buy|buys|bought|buying|stakes?)\b"
)
NOT_INVESTMENT = CaseBlind(
    r"\b(?:revenue|sales|profit|loss|losses|earnings|market (?:size|value|cap)|valuation|"
    r"salary|price|prices|exports?|imports?|turnover|operating income|net income|deficit|"
    r"surplus|gdp)\b"
)
_BY_VERB = CaseBlind(
    r"\s+(?:said|says|announced|announces|unveiled|will|would|plans?|planned|is|are|was|were|"
    r"has|have|had|invest\w*|pledged|pledges|committed|commits|earmarked|allocated|approved|"
    r"pour\w*|inject\w*|bets?|spend\w*|spent|raised|secured|set aside|decided|agreed|aims?|"
    r"intends?|expects?|launched|launches|signed|proposed|offered|provided|provides|provide|made|"
    r"makes|put|puts|award\w*|grant(?:s|ed)|gives?|gave|extends?|extended|authori[sz]e[sd]?|"
    r"lends?|lent|contribut\w+|disburs\w+|approves|signs|concluded|closed)\b"
)
_INVEST = CaseBlind(r"\binvest")
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
_FROM = re.compile(r"\b(?:coming|come|comes|came)\s+from\s+(?P<who>[A-Z][^,.;]*?)(?=[,.;]|\s+(?:and|with|to|for|in)\b|$)")
_PASSIVE_BY = re.compile(
    r"\s*(?:[\w-]+\s+){0,3}?(?:were|was|have been|has been|had been|will be|is|are)\s+(?:committed|"
    r"pledged|invested|promised|provided|put up|earmarked|offered|concluded|signed|granted|approved|"
    r"awarded|extended|lent|made available)\s+by\s+(?P<who>[^.;,]+)"
)
# "SK hynix’s investment of $3.87 billion", "the Commission’s contribution of up to €35 million",
# "STMicroelectronics' €730 million investment": the owner of the money, right before it.
_POSSESSOR = re.compile(
    r"(?P<who>(?:[A-Z][\w&.-]*\s+){0,4}[A-Z][\w&.-]*)[’']s?\s+(?:(?:own|planned|proposed|total|new|initial|"
    r"additional|further)\s+)?(?:(?:investment|contribution|commitment|pledge|funding|loan|grant)s?\s+of\s+"
    r"(?:(?:up to|about|around|approximately|nearly|almost|some|more than|over|at least)\s+)?)?$"
)
_PLEDGE_FROM = re.compile(r"\b(?:pledge|commitment|promise|offer|decision|plans?)\s+(?:from|by)\s+"
                          r"(?P<who>(?:the\s+)?[A-Z][^,;]*?)\s+to\s+(?:invest|provide|spend|contribute|lend|put up)\s*$")
_ON_BEHALF = re.compile(r"\bon behalf of\s+(?P<who>[^,]+)")
_LEAD_DATE_PHRASE = re.compile(r"^(?:[Oo]n|[Ii]n)\s+(?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+\.?\s+\d{1,2})(?:,?\s+\d{4})?,?\s+")
_WHO_END = re.compile(r"\s+(?:on|in|at|during|for|to|last|this|when|after|as)\b")
_REPORTED = re.compile(
    r"\b(?:said|says|say|announced|announces|noted|added|stated|confirmed)\b(?:\s+(?:on\s+)?"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday))?(?:\s+that)?\s+"
)
_SHARE_OF = re.compile(r"\s*(?:of\s+(?:that|which|this|it|the total|them)\s+)?")
# The clause an amount's investor is looked for in: the part of the sentence before it after
# the last of these breaks. Each break holds one of _CLAUSE_BREAK_NEEDS (case-sensitive), so
# a few substring tests spare the usual sentence the split.
_CLAUSE_BREAK = re.compile(r";\s+|:\s+|,\s+(?:and|while|but)\s+(?=[a-z])|,\s+with\s+|"
                           r"\s+(?:under|in|to|for|through) which\s+|\s+where(?:by)?\s+")
_CLAUSE_BREAK_NEEDS = (";", ":", ",", "which", "where")
_REPORTED_NEEDS = ("said", "say", "announce", "noted", "added", "stated", "confirmed")  # one in each _REPORTED match
# What is not the investor in the subject before the amount: a leading adverbial ("On Monday,
# …"), brackets, a description set off by a comma, "Among them, …".
# the first opens the sentence; the next ones are written in lower case ("Meanwhile, in France, …")
_LEAD_ADVERBIAL = re.compile(r"^(?:(?:" + lx.LEADING_ADVERBIAL + r")\b[^,]*,\s*)(?:(?i:" + lx.LEADING_ADVERBIAL
                             + r")\b[^,]*,\s*)*")
_BRACKETS = re.compile(r"\([^)]*\)")
_LEAD_DATE = re.compile(r"^\d{1,4}(?:[/.-]\d{1,2}){1,2}(?:[/.-]\d{2,4})?\s+")
_DESCRIPTION_END = re.compile(r",\s+(?:a|an|the)\s+[a-z][^,]*,?$")
_APPOSITION_END = re.compile(r",\s+(?:an?\s|the\s+[a-z]|including\b|such as\b).*$")
_AMONG = re.compile(r"^(?:Among|Of)\s+[^,]+,\s*")
_SAID_END = re.compile(r"\s+(?:said|announced|says|announces|stated)\b[^,]*\.?$")
# "MAHLE Electric Drives India Pvt Ltd - Rs 50 crore": one line of a list of investors.
LIST_LINE = re.compile(r"^(?P<who>[^-–—:]{2,80}?)\s+[-–—:]\s+")
_INVESTOR_AFTER = re.compile(r"^\s*(?:[\w-]+\s+){0,3}?(?:investments?|funding|financing|loans?|grants?|assistance|"
                             r"support|aid|contributions?)\s+(?:by|from)\s+(?P<who>[^.;,(]+)", re.I)


# A sentence that goes on about the amount just before it ("The loan will support …", "It will
# fund …"): context of that amount, not of the next one.
REFERS_BACK = re.compile(r"(?:The|This|That|These|Its|It|Such)\s+(?:(?:new|EIB|EU|same)\s+)?(?:loans?|financing|"
                         r"funding|investments?|grants?|money|support|facility|credit|guarantee|backing|aid)\b|"
                         r"(?:It|This)\s+(?:will|would|is|was)\b")


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
    context: str = ""  # the sentence before, in the same paragraph: what the amount is about
    co_investors: list[str] = field(default_factory=list)  # "LGES and Honda": the others
    clause: str | None = None  # the part of the sentence about this amount, when it holds several
    origin: str = "rules"  # or "llm": added by the optional LLM reader


def parse_money(text: str) -> list[Money]:
    """Every amount of money in ``text``; a bracketed conversion stays part of the amount before
    it ("30 billion euros ($32.8 billion)" is one amount, in euros)."""
    candidates = []
    for rx in (PREFIXED, SUFFIXED):
        for m in rx.finditer(text):
            candidates.append((m.start(), -m.end(), m, rx is PREFIXED))
    candidates.sort(key=lambda c: (c[0], c[1]))
    found: list[Money] = []
    taken_until = -1
    for start, _, m, prefixed in candidates:
        if start < taken_until:
            continue  # inside an amount already read (its conversion in brackets)
        money = _money(m, prefixed)
        if money is None:
            continue
        end = m.end()
        alt = ALT.match(text, end)
        if alt and (PREFIXED.search(alt.group("alt")) or SUFFIXED.search(alt.group("alt"))):
            end = alt.end()
        money.start, money.end = start, end
        money.text = text[start:end].strip()
        found.append(money)
        taken_until = end
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
        currency = SUFFIX_CURRENCY.get(" ".join(cur_raw.split())) or SUFFIX_CURRENCY.get(cur_raw + "s")
        if cur_raw in ("won",) and not mult and number < 1000:
            return None  # "won" the verb after a number ("3 won")
    if currency is None:
        return None
    if not mult and number < 1 and not prefixed:
        return None
    value = number * MULTIPLIERS.get(mult, 1.0)
    return Money(m.group(0), value, currency, m.start(), m.end())


def _names_currency(text: str) -> bool:
    """``TRIGGER.search(text)``, for ASCII text from its words: a set test where the pattern
    tries each word of the sentence in turn ("$" is the one sign in ASCII; only a currency code
    needs the pattern then, for its "KRW12" form)."""
    if not text.isascii():
        return TRIGGER.search(text) is not None
    if "$" in text or not _TRIGGER_WORDS.isdisjoint(text.encode().translate(_WORDS_ONLY).split()):
        return True
    return any(code in text for code in _TRIGGER_CODES) and TRIGGER.search(text) is not None


def find_investments(sentences: list[Sentence], body: str, ctx: Context) -> list[Investment]:
    """Amounts with an investment cue, each with its investor and purpose where written."""
    out = []
    header = None  # the "…included:" sentence a list of "Name - amount" lines hangs from
    header_by: tuple[str | None, str | None] = (None, None)
    previous = None
    for i, sent in enumerate(sentences):
        # a list goes on line after line, or bullet after bullet (blank lines between them)
        in_list = header is not None and previous is not None and (
            "\n\n" not in body[previous.end:sent.start] or sent.text.lstrip()[:1] in _BULLET_MARKS)
        if not in_list:
            header = sent if sent.text.endswith(":") else None
        context = previous.text if previous is not None and "\n\n" not in body[previous.end:sent.start] \
            and not REFERS_BACK.match(previous.text) else ""  # "The loan will …" tells of the amount before it
        following = sentences[i + 1] if i + 1 < len(sentences) else None
        if following is not None and REFERS_BACK.match(following.text) and "\n\n" not in body[sent.end:following.start]:
            context = (context + " " + following.text).strip()
        previous = sent
        if not has_digit(sent.text) or sent.lacks(WORDS) and not any(c in sent.text for c in "$€£¥₩₹"):
            continue
        if not _names_currency(sent.text):
            continue
        text = strip_dateline(fold(sent.text)).lstrip(BULLETS)  # "• Furthermore, …": a list's mark
        monies = parse_money(text)
        if not monies:
            continue
        line = LIST_LINE.match(text) if in_list else None
        if line:
            written, who = shown_investor(line.group("who").strip(), clean_item(line.group("who"), ctx.index))
            money = monies[0]
            out.append(Investment(money, who, written if who else None,
                                  _purpose(text[money.end:].lstrip(" ,")), None, None, sent,
                                  "investment", context=header.text))
            continue
        if in_list and _LEADS_WITH_AMOUNT.match(text, 0, monies[0].start + 1) and CUES.search(header.text):
            # "approved six loans totalling EUR 2.7 billion:" then "• EUR 300 million for ENDESA
            # for …": each item is one of the header's loans, put up by the header's investor
            if header_by == (None, None) or header_by[0] is not header:
                header_by = (header, _header_investor(header, ctx, body))
            written, who = header_by[1]
            money = monies[0]
            purpose = text[money.end:].lstrip(" ,")
            out.append(Investment(money, who, written, _purpose(purpose) or _for_whom(purpose), None, None,
                                  sent, "investment", context=header.text))
            continue
        low = text.lower()
        if not CUES.search(text, low):
            continue
        subtype = "amount" if NOT_INVESTMENT.search(text, low) and not _INVEST.search(text, low) else "investment"
        headline = _title_case(text)
        costs = [_names_a_cost(text, m) for m in monies] if len(monies) > 1 else [False]
        for i, money in enumerate(monies[:3]):
            # "raise the budget from KRW 50 billion in 2023 to 200 billion won in 2024": the first
            # is the figure it was, not the one announced
            was = i + 1 < len(monies) and _FROM_TO.fullmatch(text, money.end, monies[i + 1].start) is not None \
                and text[max(0, money.start - 6): money.start].rstrip().endswith("from")
            if costs[i] and not all(costs) or len(monies) == 1 and _names_a_built_thing(text, money):
                was = True  # "€80 million in financing … for the €160 million wind farm project": its cost
            by_written, by, others = _investor(text, money, ctx, body[: sent.start])
            if others and _FUNDING.search(text, low):
                by_written, by, others = _payer(by_written, by, others, lending=_LENDING.search(text, low) is not None)
            if by and headline and name_key(by) not in ctx.index.keys:
                by_written, by, others = None, None, []  # "Proposed CHIPS Investment of …": Title Case hides names
            if by and not (named_like(by) and named_like(by_written or by)) and name_key(by) not in ctx.index.keys:
                by_written, by, others = None, None, []  # "awarded Rocket Lab", "Lim Hyesook)": no investor rather than a wrong one
            by_written, by = shown_investor(by_written, by)
            others = [o for o in others if shown_investor(o, o)[1]] if by else []
            # a purpose ends where the next amount begins ("$500 million in a plant and 57 billion yen for …")
            purpose = _purpose(text[money.end:monies[i + 1].start] if i + 1 < len(monies) else text[money.end:])
            date_text, date = find_date(text, ctx)
            clause = _own_clause(text, monies, i) if len(monies) > 1 else None
            out.append(Investment(money, by, by_written, purpose, date_text, date, sent,
                                  "amount" if was else subtype, context=context, co_investors=others, clause=clause))
    return out


_CLAUSE_EDGE = re.compile(r"[;:]\s+|,\s+(?:and|while|but|with|of which|including)\s+|\.\s+")


_BULLET_MARKS = lx.BULLET_MARKS
# An item that opens with its amount ("• EUR 300 million for …", "A EUR 500 million credit line")
_LEADS_WITH_AMOUNT = re.compile(r"\s*(?:(?:A|An|The|Some|About|Around|Up to|Nearly|Almost|Over)\s+)?\S")
_FOR = re.compile(r"for\s+(?P<who>[^.;,]+?)(?=\s+(?:for|to|in|at)\b|[.;,]|$)")


def _for_whom(after: str) -> str | None:
    """"for ENDESA for upgrading …": whom the item's money goes to, as its purpose."""
    m = _FOR.match(after)
    return m.group("who").strip() if m else None


def _header_investor(header: Sentence, ctx: Context, body: str) -> tuple[str | None, str | None]:
    """(as written, name) of who puts up the money a list's header announces."""
    text = strip_dateline(fold(header.text)).lstrip(BULLETS)
    monies = parse_money(text)
    if not monies:
        return None, None
    written, name, _ = _investor(text, monies[-1], ctx, body[: header.start])
    return shown_investor(written, name)


BULLETS = lx.BULLET_MARKS + " \t"
# What opens a subject but never a name: sentence adverbs ("Furthermore"), verbs of saying,
# dates, pronouns, a person's title ("Minister Kim" signs for a ministry).
_NOT_A_NAME = (lx.SENTENCE_ADVERBS | lx.REPORTING_VERBS | lx.CALENDAR_WORDS | lx.ROLE_WORDS
               | frozenset(["it", "its", "they", "them", "their", "we", "our", "this", "that", "these", "those", "which", "who", "he", "she"]))
_TIME_TAIL = re.compile(r"(?:\s+(?:today|yesterday|tonight|also|now|further|again|already|jointly|together|this (?:morning|afternoon|week|month|year)|"
                        r"(?:on|last|this)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|"
                        r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
                        r"on\s+\d{1,2}\s+[A-Z][a-z]+|on\s+[A-Z][a-z]+\.?\s+\d{1,2}(?:,\s*\d{4})?))+$")


def shown_investor(written: str | None, name: str | None) -> tuple[str | None, str | None]:
    """(who as written, who) as an answer shows them, or (None, None) when what was read is not
    a name: a list's bullet and a time word come off ("• EIB", "The Bank today"); a sentence
    adverb, a verb, a date, a pronoun or a person's title is no investor."""
    if written is not None:
        written = _TIME_TAIL.sub("", " ".join(written.split()).lstrip(BULLETS)).strip(" ,") or None
    for text in (written, name):
        if text is None:
            continue
        words = re.findall(r"[^\W\d_][\w'’.-]*", text)
        if not words or words[0].lower() in _NOT_A_NAME or (len(words) == 1 and words[0].lower() in _FUNCTION_WORDS):
            return None, None
    if name is None and written is not None and not COLLECTIVE.match(written):
        return None, None  # a phrase read as the subject that is neither a name nor "five companies"
    if name and _ACRONYM_S.fullmatch(name):  # "MCCs poverty reduction grants": a possessive that lost its apostrophe
        name, written = name[:-1], (written[:-1] if written and written.endswith("s") else written)
    return written, name


_ACRONYM_S = re.compile(r"[A-Z]{2,}s")


_FUNCTION_WORDS = frozenset(lx.LEADING_ADVERBIAL.lower().split("|")) | lx.CONNECTORS


def _own_clause(text: str, monies: list[Money], i: int) -> str:
    """The words of a sentence that belong to its ``i``-th amount: what follows an amount is its
    own (its purpose) up to the next amount or a clause break before it; a clause break before
    an amount starts its clause. What a topic asking for this amount names is in there."""
    start = 0
    if i:
        edges = [m.end() for m in _CLAUSE_EDGE.finditer(text, monies[i - 1].end, monies[i].start)]
        start = edges[-1] if edges else monies[i].start
    end = len(text)
    if i + 1 < len(monies):
        edges = [m.start() for m in _CLAUSE_EDGE.finditer(text, monies[i].end, monies[i + 1].start)]
        end = edges[-1] if edges else monies[i + 1].start
    own = text[start:end].strip(" ,;")
    if i and _SHARE_OF.match(text, monies[i].end).group(0).strip():
        # "KRW15.1tr in batteries, with KRW12.4tr of that from LGES": a part of the amount before
        return _own_clause(text, monies, i - 1) + " … " + own
    return own


_COST_BEFORE = re.compile(r"\b(?:the|a|an|its|their|this)\s*$", re.I)
_COST_AFTER = re.compile(r"\s+(?!(?:in|of|to|for|from|under|over|and|or|by|with|at|on|loans?|investments?|financing|"
                         r"grants?|funding|worth|euros?|dollars?|won|yen)\b)[A-Za-z]")


def _names_a_cost(text: str, money: Money) -> bool:
    """An amount that describes the thing after it ("the €160 million Oweninny wind farm project"),
    not money someone puts up."""
    return bool(_COST_BEFORE.search(text, 0, money.start)) and _COST_AFTER.match(text, money.end) is not None


# "… in <Name> funding": the money's giver named before the kind of money.
_NAMED_MONEY = re.compile(r"\s*(?:in\s+|of\s+)?(?P<who>(?:[A-Z][\w&'’.]*(?:-[A-Z][\w&'’.]*)*\s+){1,5}?)(?:loan guarantees?|loans?|"
                          r"funding|financing|grants?|backing|support|aid|credit lines?|programs?|programmes?|compacts?)\b")
# "a €125 million loan that the EIB had granted to Umicore": the lender in the relative clause.
_THAT_GRANTED = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:that|which)\s+(?P<who>(?:the\s+)?[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,5})"
                           r"\s+(?:had\s+|has\s+|have\s+)?(?:granted|provided|lent|extended|approved|awarded|committed)\b")
_NOT_LENDER = re.compile(r"(?:Series|Seed|Round|Phase|Tranche|Federal|Public|Private|Total|New|Additional)\b")

# What an amount before it is the size or cost of, not money put up: "the $70 million scheme
# will be built at …" (where "the $500 million programme" or "fund" is the money itself).
_BUILT_THING = re.compile(r"\s+(?:[a-z-]+\s+){0,2}?(?:scheme|project|plant|factory|facility|station|farm|park|complex|"
                          r"site|campus|port|terminal|railway|road|bridge|tunnel|line|hub|mine|refinery|building)s?\b")


def _names_a_built_thing(text: str, money: Money) -> bool:
    """"The EUR 70.5 million scheme will be constructed …": the cost of what is built."""
    return bool(_COST_BEFORE.search(text, 0, money.start)) and _BUILT_THING.match(text, money.end) is not None


def _investor(text: str, money: Money, ctx: Context, before_text: str
              ) -> tuple[str | None, str | None, list[str]]:
    """(who as written, who, the other investors of a joint investment)."""
    after = _INVESTOR_AFTER.match(text[money.end:])
    if after:
        items = split_list(after.group("who"), ctx.index)
        if items:
            who = items[0]
            cut = _WHO_END.search(who)
            found = _named_or_collective((who[: cut.start()] if cut else who).strip(), ctx)  # "… in investment from seven companies"
            if found[0]:
                return found
    near = text[max(0, money.start - 90): money.start]  # the possessive is right before the amount
    # "SK hynix’s investment of $3.87 billion", "Bosch’s €730 million investment"
    owner = _named_who(_POSSESSOR.search(near) if "'" in near or "’" in near else None, ctx)
    if owner:
        return owner
    named = _named_money(text, money, ctx)
    if named[1]:
        return named
    granted = _named_who(_THAT_GRANTED.match(text, money.end) if "that" in text or "which" in text else None, ctx)
    if granted:
        return granted
    passive = _PASSIVE_BY.match(text, money.end)
    if passive:  # "Projects worth Rs 5,574 crore were committed by 15 investors"
        who = passive.group("who")
        who = who[: _WHO_END.search(who).start()] if _WHO_END.search(who) else who
        found = _named_or_collective(who.strip(), ctx)
        if found[0]:
            return found
    head = text[: money.start]
    if "(" in head:  # "(MSIT, Minister: Lim Hyesook)": an aside's colon breaks no clause
        head = _BRACKETS.sub("", head)
    if " - " in head or "–" in head or "—" in head:
        head = DASH_ASIDE.sub("", head)
    parts = _CLAUSE_BREAK.split(head) if any(b in head for b in _CLAUSE_BREAK_NEEDS) else [head]
    clause = parts[-1] if parts[-1].strip() or len(parts) == 1 else parts[-2]
    if clause[:1].isdigit():  # "Release date: 02/12/2016 The EIB and …": a date run into the subject
        clause = _LEAD_DATE.sub("", clause)
    said = None
    if any(w in clause for w in _REPORTED_NEEDS):
        for said in _REPORTED.finditer(clause):  # noqa: B007 - the last one
            pass
    if said is not None and (said.group(0).rstrip().endswith("that")
                             or re.match(r"(?:it|they)\b|[A-Z]", clause[said.end():])):  # "X said that it would invest …" / "people familiar say Hyundai will …"
        rest = clause[said.end():]
        if re.match(r"\s*(?:it|they)\b", rest, re.I):
            who = _last_name(clause[: said.start()], ctx)
            if who:
                return who, who, []
        clause = rest
    m = None
    if "from" in text:  # _FROM needs it, and the clause is part of the text
        m = _FROM.search(clause)
        if m is None:  # "…, with KRW12.4tr of that coming from LGES"
            m = _FROM.match(text, money.end + len(_SHARE_OF.match(text, money.end).group(0)))
    if m is not None:
        name = clean_item(m.group("who"), ctx.index)
        if name:
            return m.group("who").strip(), name, []
    pledge = _PLEDGE_FROM.search(clause) if " from " in clause or " by " in clause else None
    if pledge is not None:  # "the pledge from the UAE to invest £10 billion"
        name = clean_item(pledge.group("who"), ctx.index)
        if name:
            return pledge.group("who").strip(), name, []
    m = _subject_verb(clause, text)
    subject = clause[:m.start()] if m else clause
    subject = subject.strip()
    # Each pattern but the brackets' takes a comma, and none of them adds one: without a comma
    # in the subject they all leave it as it is.
    comma = "," in subject
    subject = _LEAD_DATE_PHRASE.sub("", subject)  # "on 5 February the EIB granted …", "On September 16, 2009, …"
    if comma:
        subject = _LEAD_DATE_PHRASE.sub("", _LEAD_ADVERBIAL.sub("", subject))  # "Meanwhile, on 9 March the NIB …"
    behalf = _ON_BEHALF.search(subject) if "behalf" in subject else None
    if behalf is not None:  # "Commissioner X, on behalf of the EU, will sign …": the body signs
        subject = behalf.group("who")
    if "(" in subject:
        subject = _BRACKETS.sub("", subject)
    subject = _TIME_TAIL.sub("", strip_asides(subject).strip(" ,"))
    if comma:
        subject = _DESCRIPTION_END.sub("", subject)
        subject = _APPOSITION_END.sub("", subject)
        subject = _AMONG.sub("", subject)
    if not subject or len(subject.split()) > 12:
        return _reporter(text, money, ctx)
    if COLLECTIVE.match(subject):  # "five foreign companies": the investor as written
        return re.sub(r"^(?:a|the)\s+(?:group|total|number)\s+of\s+", "", subject), None, []
    items = split_list(subject, ctx.index)
    if not items:
        return _reporter(text, money, ctx)
    item = items[0]
    name = clean_item(item, ctx.index)
    if name is None:
        head_word = generic_head(item)
        if head_word:
            name = resolve_reference(head_word, before_text + head, ctx.index)
            if name and head_word in ("it", "they"):
                item = name  # "It has pledged …": shown as the name it stands for
    if not name:
        return _reporter(text, money, ctx)
    others = [n for n in (clean_item(i, ctx.index) for i in items[1:]) if n]
    return (subject if others else item.strip()), name, others


def _subject_verb(clause: str, sentence: str) -> re.Match | None:
    """The verb that ends the subject of ``clause``: a capitalised word is part of a name
    ("The European Investment Bank", "Plans Commission") unless the sentence is a headline in
    Title Case, where verbs are capitalised too."""
    headline = None
    for m in _BY_VERB._low.finditer(clause.lower()) if clause.isascii() else _BY_VERB.rx.finditer(clause):
        if not clause[m.start():m.end()].lstrip()[:1].isupper():
            return m
        if headline is None:
            headline = _title_case(sentence)
        if headline:
            return m
    return None


# Money one side gives the other: "A and B signed terms to provide up to $6.4 billion in funding".
_FUNDING = CaseBlind(r"\b(?:to provide|provid\w+ (?:the company )?with|funding|incentives?|grants?|subsid\w*|"
                     r"awards?|awarded|loans?|lending|guarantees?|cash grants?|financing)\b")
_LENDING = CaseBlind(r"\b(?:loans?|lending|guarantees?|credit lines?|credit facility|financing)\b")
# The words a paying body's name holds.
_PAYER = re.compile(r"\b(?:Department|Ministry|Government|Administration|Commission|Agency|Office|Council|"
                    r"Authority|Bank|Fund|Treasury|State|Province|City|Prefecture|Union)\b")


def _payer(by_written: str | None, by: str | None, others: list[str], *, lending: bool = False
           ) -> tuple[str | None, str | None, list[str]]:
    """Of a joint subject that signs to provide funding ("the U.S. Department of Commerce and
    Micron"), the body that pays; the company receives it."""
    names = [n for n in [by, *others] if n]
    paying = [n for n in names if _PAYER.search(n)]
    if len(paying) == 1:
        return paying[0], paying[0], []
    if lending and by:
        return by, by, []  # "The EIB and PWN have signed a lending agreement": the lender names itself first
    return by_written, by, others


_FROM_TO = re.compile(r"\s*(?:(?:in|for)\s+(?:19|20)\d\d\s*)?to\s+")


def _title_case(text: str) -> bool:
    """A headline written in Title Case, where every word looks like a name."""
    words = [w for w in text.split() if len(w) >= 4 and w[0].isalpha()]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _named_or_collective(who: str, ctx: Context) -> tuple[str | None, str | None, list[str]]:
    if COLLECTIVE.match(who):
        return who, None, []
    name = clean_item(who, ctx.index)
    return (who, name, []) if name else (None, None, [])


def _last_name(text: str, ctx: Context) -> str | None:
    """The last organisation named in ``text`` ("… soon after TSMC" → "TSMC")."""
    for span in reversed([m.group(0) for m in _ORG_SPAN.finditer(strip_asides(text))]):
        name = clean_item(span, ctx.index)
        if name:
            return name
    return None


def _named_money(text: str, money: Money, ctx: Context) -> tuple[str | None, str | None, list[str]]:
    """The name before the kind of money, which says whose money it is whoever the subject
    ("$470 million in Ex-Im Bank loan guarantees", "receives EUR 23m EIB backing")."""
    named = _NAMED_MONEY.match(text, money.end)
    if named and not _NOT_LENDER.match(named.group("who")):
        return _named_who(named, ctx) or (None, None, [])
    return None, None, []


def _named_who(m: re.Match | None, ctx: Context) -> tuple[str, str, list[str]] | None:
    """(as written, name, no others) of the match's ``who`` when it is a name, else None."""
    if m is None or not named_like(m.group("who")):
        return None
    name = clean_item(m.group("who"), ctx.index)
    return (m.group("who").strip(), name, []) if name else None


def _reporter(text: str, money: Money, ctx: Context) -> tuple[str | None, str | None, list[str]]:
    """"Up to 476 billion yen in subsidies will go to …, Japan's trade ministry said": with no
    subject before the amount, the body that announces it."""
    m = _SAID_END.search(text, money.end)
    if not m:
        return None, None, []
    before = strip_asides(text[money.end: m.start()]).rstrip()
    rx = ctx.index.compound_rx()
    whole = [c for c in rx.finditer(before)] if rx is not None else []
    if whole and whole[-1].end() == len(before):  # "Ministry of Economy, Trade and Industry"
        return whole[-1].group(0), whole[-1].group(0), []
    who = before.rsplit(", ", 1)[-1]
    name = clean_item(who, ctx.index)
    return (who, name, []) if name else (None, None, [])


_TRAILING_AND = re.compile(r"\s+(?:and|or|as well as|plus)$")


def _purpose(after: str) -> str | None:
    m = _PURPOSE.match(after)
    if not m:
        return None
    purpose = m.group("purpose")
    end = _PURPOSE_END.search(purpose)
    purpose = purpose[: end.start()] if end else purpose
    purpose = _TRAILING_AND.sub("", purpose.strip(" ,"))
    prep = m.group("prep").lower()
    if prep.startswith("to "):
        purpose = prep[3:] + " " + purpose
    words = purpose.split()
    return " ".join(words[:16]) if words else None
