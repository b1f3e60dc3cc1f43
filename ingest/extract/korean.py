"""Facts in Korean text: agreements (업무협약/MOU 체결, 서명; the list before "등이 참여했다" or
"등과"), investments ("2744억 원을 투입", "…에 …원을 지원"), names defined in brackets
("한국반도체산업협회(KSIA)") and people with their titles ("산업통상자원부(장관 이창양)").

Each reader takes the article's sentences and returns candidates in the shapes the English rules
use (``Agreement``, ``Investment``, ``Role``, alias pairs), so storage and the commands treat
them alike. Korean is read by its own rules because its order is subject–object–verb and its
particles are written onto the words: "삼성전자, SK하이닉스와 업무협약을 체결했다".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.extract.agreements import Agreement, Mention, Party
from ingest.extract.amounts import Investment, Money
from ingest.extract.common import Context, find_date
from ingest.extract.names import fold, name_key
from ingest.extract.orgs import builtin_index
from ingest.extract.people import Role
from ingest.extract.sentences import Sentence, split_sentences
from ingest.korean import HANGUL, find_amounts, has_hangul

_HANGUL_RX = re.compile(f"[{HANGUL}]")


_LATIN_RX = re.compile(r"[A-Za-z]")


def is_korean(body: str) -> bool:
    """True when Hangul makes up a good share of the text's letters (a Korean article)."""
    if not has_hangul(body):
        return False
    sample = body[:3000]
    return len(_HANGUL_RX.findall(sample)) * 2 >= len(_LATIN_RX.findall(sample))


@dataclass
class KoreanFacts:
    """What the Korean rules found in one article."""

    aliases: list[tuple[str, str]] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    investments: list[Investment] = field(default_factory=list)
    people: list[Role] = field(default_factory=list)


def read_korean(body: str, ctx: Context) -> KoreanFacts:
    """Read a Korean article: names it defines first (later sentences use them), then
    agreements, investments and people."""
    out = KoreanFacts()
    text = fold(body)  # NFKC: full-width brackets and digits become ASCII; Hangul is unchanged
    if len(text) != len(body):
        text = body  # offsets must stay offsets into the body
    sentences = korean_sentences(split_sentences(text), text)
    out.aliases, out.people = definitions(sentences, ctx)
    for full, abbr in out.aliases:
        ctx.index.add(full, full)
        ctx.index.add(abbr, full)
    out.agreements = find_agreements(sentences, ctx)
    out.investments = find_investments(sentences, ctx)
    return out


# Where a Korean release breaks its text besides full stops: after "다." (whatever follows),
# at " | " between a headline and its sub-heads, and before a bullet that opens an item.
_KO_BREAK = re.compile(r"(?<=다\.)\s+|\s+\|\s+|\s+(?=[□■◇◆○●◦▲△▶▷►※*]\s|[ㅇᄋ]\s|-\s)")


def korean_sentences(sentences: list[Sentence], body: str) -> list[Sentence]:
    """``sentences`` cut again where Korean releases break their text, offsets kept."""
    out = []
    for sent in sentences:
        start = sent.start
        for m in _KO_BREAK.finditer(body, sent.start, sent.end):
            if body[start:m.start()].strip():
                out.append(Sentence(body[start:m.start()], start, m.start()))
            start = m.end()
        if body[start:sent.end].strip():
            out.append(Sentence(body[start:sent.end], start, sent.end))
    return out


# ---------------------------------------------------------------- words

# Particles and endings written onto a name, longest first ("에서는" before "에서" before "에").
PARTICLES = sorted("""
은 는 이 가 을 를 와 과 의 에 도 로 만 께서 에서 에게 으로 부터 까지 처럼 보다 이나 이며 이고 에는
에서는 에서도 으로는 에게는 와의 과의 와는 과는 와도 과도 으로서 으로써 로서 로써 측 측은 측과 측이
""".split(), key=len, reverse=True)  # noqa: SIM905
# Words that are not names: collective and generic nouns of a list, pronouns, time words.
NOT_NAMES = frozenset("""
기업 기업들 기관 기관들 업체 업체들 회사 회사들 관계자 관계자들 대표 대표들 부처 관계부처 반도체
반도체기업 국내 해외 글로벌 주요 이날 이번 올해 지난해 내년 양사 양측 양 기관 참석자 참여자 등
이들 이들은 우리 당사 각 기관 각사 공동 함께 또한 한편 이어 그리고 산학연 수요기업 공급기업 전문기업
중소기업 대기업 중견기업 스타트업 대학 연구기관 협회 협약 업무협약 협약식 행사 서명식 자리 관계자
소부장 팹리스 파운드리 후공정 수요기업들 공급기업들 단체 단체들 민관 산학연관
""".split())  # noqa: SIM905
# How an organisation's name ends: a ministry, an agency, an association, a company.
ORG_ENDINGS = (
    "부", "처", "청", "원", "회", "협회", "공사", "공단", "재단", "은행", "사업단", "연구소", "센터",
    "대학교", "대학", "그룹", "전자", "화학", "기구", "위원회", "진흥원", "연구원", "평가원", "관리원",
    "학회", "연합회", "조합", "지주", "홀딩스", "반도체", "테크", "텍", "시스템", "솔루션", "코리아",
    "바이오", "에너지", "건설", "중공업", "자동차", "모빌리티", "시", "도", "군", "구",
)
TITLES = {
    "장관": "Minister", "차관": "Vice Minister", "제1차관": "First Vice Minister",
    "제2차관": "Second Vice Minister", "사장": "President", "대표": "CEO", "대표이사": "CEO",
    "회장": "Chairman", "부회장": "Vice Chairman", "원장": "President", "단장": "Head",
    "이사장": "Chairman", "청장": "Commissioner", "총장": "President", "부사장": "Vice President",
    "실장": "Director", "국장": "Director General", "소장": "Director", "센터장": "Head",
    "위원장": "Chairperson", "협회장": "Chairman", "본부장": "Head", "처장": "Head",
    "대통령": "President", "총리": "Prime Minister", "부총리": "Deputy Prime Minister",
    "지사": "Governor", "도지사": "Governor", "시장": "Mayor", "의원": "Lawmaker",
    "통상교섭본부장": "Trade Minister", "대사": "Ambassador", "교수": "Professor", "부장": "Head",
}
# What opens a line of a Korean release and is no part of a name: bullets and marks.
BULLETS = "□■◇◆○●◦ㅇᄋ▲△▶▷►※*-–—·•"  # ("ㅇ" folds to the jamo "ᄋ")
# Words that point rather than name ("이 행사", "해당 기업"): a phrase holding one names nothing.
POINTERS = frozenset("이 그 저 이번 해당 각 본 동 양 모든 여러 일부 지난 올해 내년 당시 대한 관한 위한 통한 이날 당일 오늘 현재".split())  # noqa: SIM905
NEWS_AGENCIES = frozenset("연합뉴스 뉴스1 뉴시스 한국경제 매일경제 조선비즈 전자신문 머니투데이 이데일리 서울경제".split())  # noqa: SIM905


def strip_particle(word: str, index=None) -> str:
    """"SK하이닉스와" → "SK하이닉스"; a known name is kept as it is ("한국가스공사" ends in
    no particle, "LG이노텍" neither)."""
    word = word.strip()
    if index is not None and name_key(word) in index.keys:
        return word
    for p in PARTICLES:
        if word.endswith(p) and len(word) - len(p) >= 2:
            stem = word[: -len(p)]
            if index is None or name_key(stem) in index.keys or p not in ("이", "가", "도", "의", "로", "만"):
                return stem
            # "이"/"가"/"도" also end names: strip them only after a syllable that can
            # take them (a final consonant for 이, an open syllable for 가)
            last = stem[-1]
            closed = _HANGUL_RX.match(last) is not None and (ord(last) - 0xAC00) % 28 != 0
            if (p == "이" and closed) or (p == "가" and not closed) or p in ("도", "의", "로", "만"):
                return stem
    return word


def _asides(text: str) -> str:
    """Brackets removed: "산업통상자원부(장관 이창양)는" → "산업통상자원부는"."""
    return re.sub(r"\s*[(\[（［][^()\[\]（）［］]{0,60}[)\]）］]", "", text)


def clean_name(item: str, index) -> str | None:
    """The organisation a list item names ("LG화학과" → "LG화학", "경계현 삼성전자 사장" →
    "삼성전자"), or None for a generic or collective phrase ("반도체 기업", "10개 기관")."""
    # the same items come back in article after article; the index's cache is emptied
    # whenever it learns a name, so an answer never outlives the names it was made from
    key = "\x01ko\x01" + item
    try:
        return index.cleaned[key]
    except KeyError:
        pass
    name = index.cleaned[key] = _clean_name(item, index)
    return name


def _clean_name(item: str, index) -> str | None:
    item = _asides(item).strip(" ,·、'\"‘’“”").lstrip(BULLETS + " ")
    item = re.sub(r"^(?:및|그리고|또|또한)\s+", "", item)
    item = _surface(item)
    if not item:
        return None
    words = item.split()
    if words and words[-1].endswith(("에서", "에서는", "에는", "에게", "에선")):
        return None  # where or to whom, not who: "출범식에서는"
    if words and (strip_particle(words[-1]) in TITLES or _compound_title(words, index)):
        words = words[:-1]  # "… 사장": the person's organisation is the party
        if len(words) >= 2 and _person_name(words[-1], index) and _org_like(words[0], index):
            words = words[:-1]  # "산업통상자원부 주영준 산업정책실장": the organisation, its person, the title
        if len(words) >= 2 and re.fullmatch(f"[{HANGUL}]{{2,4}}", words[0]) and name_key(words[0]) not in index.keys:
            words = words[1:]  # the person's name before it
        if not words:
            return None
        if len(words) == 1 and re.fullmatch(f"[{HANGUL}]{{2,4}}", words[0]) and name_key(words[0]) not in index.keys \
                and not words[0].endswith(ORG_ENDINGS):
            return None  # "윤석열 대통령": a person, no organisation named
    name = " ".join(words[:-1] + [strip_particle(words[-1], index)]) if words else ""
    name = name.strip()
    key = name_key(name)
    if not key or key in NOT_NAMES or name in NEWS_AGENCIES:
        return None
    if re.match(r"^\d+\s?(?:개|곳|여|명|개사)", name) or name.endswith(("개 기관", "개 기업", "개사", "곳")):
        return None  # "10개 기관": how many, not who
    if key in index.keys:
        return name
    if len(words) > 3 or len(name) > 25 or len(name) < 2:
        return None
    if len(words) > 1 and not name.endswith(ORG_ENDINGS):
        return None  # "반도체 첨단 패키징", "반도체 후공정 전문업체": a field or a kind, no name
    if any(w in NOT_NAMES for w in words[-1:]) or any(w in POINTERS for w in words):
        return None
    if re.match(r"^\d", name) and not re.match(r"^\d+[A-Za-z]", name):
        return None  # "7일", "2025년": dates and counts ("3M" is a name)
    if any(w.endswith("의") and len(w) > 2 for w in words[:-1]):
        return None  # "코닝의 한국 투자": a phrase about a name, not a name
    if any(w.endswith(("에서", "에게", "으로")) for w in words[:-1]):
        return None  # "행사에서 맺은 …": an adverbial phrase
    if re.search(r"(?:하는|하고|했다|한다|된|되는|있는|없는|위한|통해|대한)$", name):
        return None
    return name


def _surface(item: str) -> str:
    """A list item as it names: without "등" and a label after it ("… 등과", "… 등 민관이"), nor
    what the name is before it ("반도체 수요기업인 삼성전자")."""
    item = re.sub(r"\s*등\S{0,2}(?:\s+\S+)?$", "", item).strip()
    return _WHAT_IT_IS.sub("", item)


_WHAT_IT_IS = re.compile(r"^(?:\S+\s)*?\S*(?:기업|기관|업체|단체|회사|전문기업|전문업체)인\s+(?=\S)")


def _person_name(word: str, index) -> bool:
    """Two to four syllables that are not a known name: a person's name ("주영준")."""
    return re.fullmatch(f"[{HANGUL}]{{2,4}}", word) is not None and name_key(word) not in index.keys \
        and not word.endswith(ORG_ENDINGS)


def _compound_title(words: list[str], index) -> bool:
    """A title with its office before it ("산업정책실장", "반도체산업정책관장") after a person's name."""
    last = strip_particle(words[-1])
    return len(words) >= 2 and _person_name(words[-2], index) and any(
        last.endswith(t) and len(last) > len(t) for t in TITLES if len(t) >= 2)


_JOINED = re.compile(r"[가-힣A-Za-z0-9社]+(?:-[가-힣A-Za-z0-9社]+){1,6}")
_ADNOMINAL = re.compile(r"^(?:맺은|체결한|열린|개최된|참석한|참여한|서명한|추진한|발표한)\s")
_GROUPED = re.compile(r"[가-힣]{1,8}(?:계|기관|기업|단체|대학)\s?\((?P<names>[^()]{2,120})\)")


def split_names(segment: str, index) -> list[Party]:
    """The names of a list: "삼성전자, SK하이닉스, LG화학 등 반도체 기업과 한국반도체산업협회"
    → the four companies' and the association's names; "A와 B" → both."""
    # "산업계(삼성전자, SK하이닉스), 학계(중앙대)": the names are in the brackets, after a label
    segment = _GROUPED.sub(lambda m: m.group("names") + ",", segment)
    segment = _asides(segment)
    # "맺은 산업부-경기도-AMAT社 3자 협약": names joined by hyphens, a count of parties after
    segment = _JOINED.sub(lambda m: m.group(0).replace("-", ", "), segment)
    segment = re.sub(r"\s\d자(?:\s|$)", " ", segment)
    segment = re.sub(r"^(?:\S+(?:은|한|된|린)\s)+(?=\S)", "", segment) if _ADNOMINAL.match(segment) else segment
    # "…등 반도체 기업과 …": a category label after "등" closes the items before it
    segment = re.sub(r"\s등\s[^,、]{1,30}?(?:과|와|및)\s", ", ", segment)
    items = re.split(r"\s*[,·、]\s*|\s+및\s+|(?<=[가-힣A-Za-z0-9])(?:과|와)\s+(?=\S)", segment)
    out: list[Party] = []
    seen: set[str] = set()
    for item in items:
        name = clean_name(item, index)
        if name:
            key = name_key(name)
            key = index.canon.get(key, key)
            if key not in seen:
                seen.add(key)
                out.append(Party(_surface(item.strip(" ,").lstrip(BULLETS + " ")), name))
    return out


# ---------------------------------------------------------------- names defined in the text

_DEFINED = re.compile(
    r"(?P<full>[가-힣A-Za-z0-9]+(?:\s[가-힣A-Za-z0-9]+){0,2})\((?P<inside>[^()]{1,60})\)"
)
_ABBR = re.compile(r"[A-Z][A-Za-z0-9&.\-]{1,11}")
_PERSON_IN = re.compile(r"^(?P<title>" + "|".join(sorted(TITLES, key=len, reverse=True)) + r")\s+(?P<person>[가-힣]{2,4})$")


def definitions(sentences: list[Sentence], ctx: Context) -> tuple[list[tuple[str, str]], list[Role]]:
    """Names and heads the text defines in brackets: "한국반도체산업협회(KSIA)" makes KSIA and
    the Korean name one organisation; "과학기술정보통신부(Ministry of Science and ICT)" too;
    "산업통상자원부(장관 이창양)" says who heads it."""
    aliases: list[tuple[str, str]] = []
    people: dict[str, Role] = {}
    for sent in sentences:
        if "(" not in sent.text:
            continue
        for m in _DEFINED.finditer(sent.text):
            inside = m.group("inside").strip()
            full_words = m.group("full").split()
            full = full_words[-1]  # the word right before the bracket is the name
            head = _PERSON_IN.match(inside)
            if head and has_hangul(full):
                org = strip_particle(full, ctx.index)
                person = head.group("person")
                if name_key(person) not in people:
                    people[name_key(person)] = Role(person, TITLES[head.group("title")], org, "org", sent)
                continue
            if not has_hangul(full) or not _org_like(full, ctx.index):
                continue
            if _ABBR.fullmatch(inside) or (inside[:1].isupper() and len(inside.split()) >= 2 and inside.isascii()):
                if name_key(inside) in ctx.index.keys:
                    aliases.append((inside, full))  # the Korean name joins the known entity
                else:
                    aliases.append((full, inside))
    return list(dict.fromkeys(aliases)), list(people.values())


def _org_like(name: str, index) -> bool:
    """A known name, or one ending the way an organisation's does."""
    return name_key(name) in index.keys or (len(name) >= 3 and name.endswith(ORG_ENDINGS))


# ---------------------------------------------------------------- agreements

NOUN = r"업무\s?협약|양해\s?각서|MOU|MoU|협약|협정|합의서|계약|파트너십|협력\s?각서|합작"
_NOUN = re.compile(f"(?:{NOUN})(?:서|식)?")
_SIGN = re.compile(r"체결|서명|맺|교환|조인|합의|협약(?:을\s?)?(?:했|하였)")
_KIND = [
    (re.compile(r"업무\s?협약|양해\s?각서|MOU|MoU|협력\s?각서"), "MOU"),
    (re.compile(r"합작"), "joint venture"),
    (re.compile(r"계약"), "contract"),
    (re.compile(r"파트너십"), "partnership"),
]
_PLANNED = re.compile(r"(?:체결|서명|맺)(?:할|하기로|키로|을 추진|을 앞두고|할 예정|할 계획)|추진\s?중|예정이다|계획이다|논의")
_NEGATED = re.compile(r"(?:체결|서명)(?:하지|되지)\s?(?:않|못)|무산|결렬")
# "이날 협약식에는 A, B 등이 참여해 서명했다": who took part in the signing
# (the list is everything before it: looking for the verb first keeps the search linear)
_TOOK_PART = re.compile(
    r"\s?(?:등|등\s?\d+개\s?\S+)?\s?(?:이|가|도)\s(?:(?:함께\s)?(?:참여|참가|서명|동참)(?:해|했|하여|한|하였|했다)"
    r"|함께\s?(?:했|하였|한다)|모여\s)"
)
_TOOK_WORDS = ("참여", "참가", "서명", "동참", "함께", "모여")
# "서명에는 A, B … 이 함께 했다": the signers of the agreement told just before, with no noun
_SIGNERS = re.compile(r"^(?:이날\s)?(?:서명|서명식|협약식|체결식)에는\s")
_LEAD_MARK = re.compile(r"\S+(?:에는|에선|에서는|에서|에|에도)\s")
_BETWEEN = re.compile(r"(?<=[가-힣A-Za-z0-9)])\s?(?:간|사이)(?:의|에)?\s")
_SUBJECT = re.compile(r"^(?P<subj>[^,.]{2,60}?)(?:은|는|이|가)\s")
# "협약에는 A, B 등이 참여했다": the agreement just told
_REFERS_BACK = re.compile(r"^(?:협약|협약식|행사|체결식|서명식)에는\s")
# "(세종=뉴스1) 임용우 기자 = 산업통상자원부는 …": the reporter's line before the story's subject
_BYLINE = re.compile(r"^[^=]{0,40}?기자\s?=\s?")
_ADVERBS = re.compile(r"^(?:(?:이날|한편|또한|아울러|특히|이와 함께|이어|앞서|이에 따라|이번에|\d{1,2}\s?일(?=[\s,]))\s*,?\s*)+")
_WITH = re.compile(r"(?P<list>[^.]+?)\s?(?:등\s?(?:\d+개\s?\S+\s?)?)?(?:과|와)\s?(?:함께\s|공동으로\s|손잡고\s)?")
_TOPIC = re.compile(r"['‘\"“]?(?P<topic>[^'’\"”]{2,60}?)['’\"”]?\s?(?:을|를)?\s?(?:위한|관련|에 관한|에 대한|협력을 위한)?\s?$")
_PLACE = re.compile(
    r"(?P<place>(?:(?:서울|세종|대전|부산|판교|수원|용인|평택|이천|인천|대구|광주|울산|청주|구미|천안|"
    r"창원|과천|성남|화성|기흥|워싱턴|도쿄|베이징|타이베이)\s)?[가-힣A-Za-z0-9]*(?:타워|호텔|센터|청사|회관|"
    r"컨벤션|홀|빌딩|코엑스|킨텍스|벡스코|대학교|본사|사옥|캠퍼스|연구소|스퀘어|플라자|전시장|집무실)|"
    r"(?:서울|세종|대전|부산|판교|수원|용인|평택|이천|인천|대구|광주|울산|청주|구미|워싱턴|도쿄))에서"
)


def _kind(noun: str) -> str:
    for rx, kind in _KIND:
        if rx.search(noun):
            return kind
    return "agreement"


def find_agreements(sentences: list[Sentence], ctx: Context) -> list[Agreement]:
    """Agreements stated in Korean sentences, mentions of one signing merged."""
    mentions: list[Mention] = []
    for i, sent in enumerate(sentences):
        text = sent.text
        if not has_hangul(text):
            continue
        noun = _NOUN.search(text)
        if noun is None and mentions and _SIGNERS.match(text):
            m = _signers(sent, ctx)
            if m is not None:
                m.index = i
                mentions.append(m)
            continue
        # a ceremony ("협약식") is a signing too
        if noun is None or not (_SIGN.search(text) or "참여" in text or noun.group(0).endswith("식")):
            continue
        m = _mention(sent, noun, ctx)
        if m is not None:
            m.index = i
            mentions.append(m)
    return _merge(mentions, ctx.index)


def _mention(sent: Sentence, noun: re.Match, ctx: Context) -> Mention | None:
    text = sent.text
    if _NEGATED.search(text):
        return None
    status = "planned" if _PLANNED.search(text) else "signed"
    definite = noun.group(0).endswith("식") or "이번 협약" in text or "이날" in text[:10] \
        or _REFERS_BACK.match(text) is not None
    parties = _took_part(text, ctx.index)
    between = _BETWEEN.search(text, 0, noun.start()) if not parties and ("간" in text or "사이" in text) else None
    if between:  # "산업계(A, B), 학계(C)간 협약식", "A와 B 사이의 협약"
        parties = split_names(_LEAD_MARK.split(text[: between.start()])[-1], ctx.index)
    before = _asides(text[: noun.start()])
    body = _ADVERBS.sub("", _BYLINE.sub("", before))
    subject = _SUBJECT.match(body)
    rest = body
    if subject:
        subj_parties = split_names(subject.group("subj"), ctx.index)
        if subj_parties and not parties:
            parties = subj_parties
        elif subj_parties:
            parties = subj_parties + parties
        rest = body[subject.end():]
    with_list = _partners(rest)
    if with_list:
        parties += split_names(with_list, ctx.index)
    joined = _JOINED.search(rest) if not parties and "-" in rest else None
    if joined:  # "산업부-경기도-AMAT社 3자 업무협약": the parties named in front of it
        found = split_names(joined.group(0), ctx.index)
        parties = found if len(found) >= 2 else parties
    topic = _topic(rest, with_list)
    if not parties and not definite:
        return None
    date_text, date = find_date(text, ctx)
    place = _place(text)
    seen: set[str] = set()
    unique = []
    for p in parties:
        key = ctx.index.canon.get(name_key(p.name), name_key(p.name))
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return Mention(sent, _kind(noun.group(0)), status, unique, True, definite, topic, date_text, date, place)


def _took_part(text: str, index) -> list[Party]:
    """Who "took part" ("이날 협약식에는 A, B 등이 참여해 서명했다", "서명에는 A, B가 함께 했다"):
    the list runs from the last "…에(서)는 " before the verb."""
    took = _TOOK_PART.search(text) if any(w in text for w in _TOOK_WORDS) else None
    if took is None or took.start() == 0:
        return []
    return split_names(_LEAD_MARK.split(text[: took.start()])[-1], index)


def _signers(sent: Sentence, ctx: Context) -> Mention | None:
    """The list of a sentence that only names who signed: it completes the agreement before."""
    parties = _took_part(sent.text, ctx.index)
    if len(parties) < 2:
        return None
    return Mention(sent, "agreement", "signed", parties, True, True, "", None, None, None)


def _partners(rest: str) -> str | None:
    """The list of partners in "… A, B 등 10개 기관과 '…'을 위한": the words up to the last
    "과"/"와" before the agreement, after a date and a place."""
    last = None
    for last in re.finditer(r"(?:과|와)(?:\s함께|\s공동으로)?\s", rest):  # noqa: B007 - the last one
        pass
    if last is None:
        return None
    segment = rest[: last.start() + 1]
    # what comes before the list: a date, a place
    marks = list(re.finditer(r"(?:\d{1,2}\s?일|에서)\s", segment))
    if marks:
        segment = segment[marks[-1].end():]
    return segment if segment.strip() else None


def _topic(rest: str, with_list: str | None) -> str:
    """"… 10개 기관과 '반도체 첨단 패키징 기술개발 협력'을 위한" → the words in quotes or
    before the agreement noun."""
    tail = rest
    if with_list:
        at = rest.find(with_list)
        tail = rest[at + len(with_list) + 1:] if at >= 0 else rest
    quoted = re.search(r"['‘\"“]([^'’\"”]{2,60})['’\"”]", tail)
    if quoted:
        return quoted.group(1).strip()
    tail = re.sub(r"^(?:과|와)\s", "", tail.strip())
    tail = re.sub(r"(?:을|를)?\s?(?:위한|관련한|관련|에 관한|에 대한|협력)\s?$", "", tail.strip())
    words = [w for w in tail.split() if not re.search(r"(?:에서|\d일)$", w)]
    return " ".join(words[-6:]).strip(" ,")


def _place(text: str) -> str | None:
    m = _PLACE.search(text)
    return m.group("place").strip() if m else None


def _merge(mentions: list[Mention], index) -> list[Agreement]:
    """A mention that refers back ("이날 협약식에는 …") or names at most one party completes the
    agreement before it; one naming two or more new parties starts another."""
    clusters: list[list[Mention]] = []
    for m in mentions:
        # a ceremony told without names, then the sentence naming who signed: one agreement
        # and a lead naming one side, then the partners in a sentence of no date of its own
        named = {p.name for c in clusters[-1] for p in c.parties} if clusters else set()
        if clusters and (m.definite or len(m.parties) <= 1 or not named
                         or (len(named) == 1 and not m.date_text)):
            clusters[-1].append(m)
        else:
            clusters.append([m])
    out = []
    for cluster in clusters:
        best = max(cluster, key=lambda x: len(x.parties))
        parties: list[Party] = []
        seen: set[str] = set()
        for m in sorted(cluster, key=lambda x: x.index):
            for p in m.parties:
                key = index.canon.get(name_key(p.name), name_key(p.name))
                if key not in seen:
                    seen.add(key)
                    parties.append(p)
        if not parties:
            continue
        kinds = [m.kind for m in cluster if m.kind != "agreement"]
        topics = list(dict.fromkeys(m.topic for m in cluster if m.topic))
        dated = next((m for m in cluster if m.date_text), None)
        placed = next((m for m in cluster if m.place), None)
        status = "signed" if any(m.status == "signed" for m in cluster) else cluster[0].status
        out.append(Agreement(
            kind=kinds[0] if kinds else "agreement", status=status, parties=parties,
            topic="; ".join(topics), date_text=dated.date_text if dated else None,
            date=dated.date if dated else None, place=placed.place if placed else None,
            evidence=best.sentence, mentions=cluster,
        ))
    return out


# ---------------------------------------------------------------- investments

_CUE = re.compile(r"투입|투자|지원|출연|예산|사업비|들여|조성|편성|배정|보조금|융자|출자|기금|펀드")
_NOT_INVESTMENT = re.compile(r"매출|영업이익|순이익|수출액|수출|수입액|시장\s?규모|시가총액|적자|흑자")
_PURPOSE_AFTER = re.compile(
    r"^\s?(?:을|를|이|가)?\s?(?:투입|투자|지원|출연|들여|배정|편성)(?:해|하여|해서|하고|하며|,)\s(?P<what>[^.]{2,80}?)"
    r"(?:을|를)?\s?(?:개발|구축|추진|지원|확대|육성|조성|건설|확보|강화)"
)
_PURPOSE_BEFORE = re.compile(r"(?P<what>[^,.]{2,60}?)(?:을|를)?\s?위해\s?(?:총\s?|약\s?)?$|(?P<to>[^,.]{2,60}?)에\s(?:총\s?|약\s?)?$")


def find_investments(sentences: list[Sentence], ctx: Context) -> list[Investment]:
    """Amounts in won, dollars … with an investment cue, each with who puts it up and what for."""
    out = []
    previous = ""
    lead: list[tuple[str | None, str | None]] = []  # who the release is by, found when first needed
    for sent in sentences:
        text = sent.text
        amounts = find_amounts(text) if any(c.isdigit() for c in text) else []
        context, previous = previous, text
        if not amounts or not _CUE.search(text):
            continue
        subtype = "amount" if _NOT_INVESTMENT.search(text) and "투자" not in text else "investment"
        by_written, by = _investor(text[: amounts[0][0]], ctx)
        if by is None and _PASSIVE_SUBJECT.search(text[: amounts[0][0]]) is None:
            if not lead:  # the first subject that names a known organisation
                lead.append(next((found for found in (_investor(s.text, ctx) for s in sentences[:40])
                                  if found[1] and name_key(found[1]) in _builtin_keys()), (None, None)))
            by_written, by = lead[0]  # a release's sums without a subject are its author's
        taken = -1
        for start, end, value, currency in amounts[:3]:
            if start < taken:
                continue  # the conversion in brackets of the amount before
            alt = _CONVERSION.match(text, end)
            if alt:  # "19억 달러(약 2.5조 원)": one amount, in the currency written first
                end = taken = alt.end()
            written = text[start:end].strip()
            money = Money(written, value, currency, start, end)
            date_text, date = find_date(text, ctx)
            out.append(Investment(money, by, by_written, _purpose(text, start, end), date_text, date, sent,
                                  subtype, context=context))
    return out


_CONVERSION = re.compile(r"\s?\((?:약\s?|US\s?)?[^()]{1,30}?(?:원|달러|유로|엔|위안)\)")
# "…이 투자된다", "…을 유치했다": the sum is someone else's, not the author's
_PASSIVE_SUBJECT = re.compile(r"유치|받|투자받")


@lru_cache(maxsize=1)
def _builtin_keys() -> frozenset[str]:
    """The keys of the built-in names: the bodies that issue releases are among them."""
    return frozenset(builtin_index().keys)


def _investor(before: str, ctx: Context) -> tuple[str | None, str | None]:
    """The subject of the sentence ("산업부는 …", "정부는 …"), when it names an organisation."""
    body = _ADVERBS.sub("", _asides(before))
    m = _SUBJECT.match(body)
    if not m:
        return None, None
    parties = split_names(m.group("subj"), ctx.index)
    if not parties or not _org_like(parties[0].name, ctx.index):
        # a line run into the next ("… 도입 산업통상자원부(장관 …)는"): its last word, if known
        last = m.group("subj").split()[-1:]
        if last and name_key(last[0]) in ctx.index.keys:
            return last[0], last[0]
        return None, None  # "성능·전력·내구성을 높이는 …": a subject, but no organisation
    return parties[0].as_written, parties[0].name


def _purpose(text: str, start: int, end: int) -> str | None:
    """What the money is for: "… 투입해 첨단패키징 핵심기술을 개발" → "첨단패키징 핵심기술 개발";
    "… 사업에 …원을 지원" → "… 사업"."""
    after = _PURPOSE_AFTER.match(text[end:])
    if after:
        verb = text[end + after.end() - 2: end + after.end()]
        what = re.sub(r"(?:을|를)$", "", after.group("what").strip())
        return f"{what} {verb}".strip()
    before = _PURPOSE_BEFORE.search(text[:start])
    if before:
        what = (before.group("what") or before.group("to") or "").strip()
        what = re.sub(r"^.*?(?:는|은)\s", "", what)  # not the subject
        words = what.split()
        return " ".join(words[-6:]) or None
    return None
