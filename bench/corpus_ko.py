"""A synthetic Korean corpus for the search and ingest benchmarks, with what each article names.

Articles are 12–20 sentences (about 1,500–2,500 characters, the length of a ministry release)
built from templates: organisations of the beat, nouns with the right particle for their last
syllable, compounds written with or without a space ("첨단 패키징" / "첨단패키징"), dates and
amounts the Korean way. Each article records the nouns and compounds it uses, so a search can
be scored: an article names a query word when the generator put that word in it (as a noun, or
as one half of a compound it wrote).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

ORGS = [
    "산업통상자원부", "산업부", "과학기술정보통신부", "과기정통부", "기획재정부", "삼성전자", "SK하이닉스",
    "LG화학", "하나마이크론", "프로텍", "사피온코리아", "심텍", "한국반도체산업협회", "한국산업기술평가관리원",
    "차세대지능형반도체사업단", "DB하이텍", "삼성전기", "LG이노텍", "네패스", "한미반도체", "리벨리온",
    "한국전자통신연구원", "한국과학기술원", "나노종합기술원", "한국산업은행", "경기도", "현대자동차",
]
NOUNS = """
반도체 패키징 첨단 기술 개발 협력 투자 정부 기업 산업 시장 경쟁력 생산 공장 설비 연구 인력 수출 공급망
소재 부품 장비 메모리 파운드리 인공지능 데이터 센터 전력 용수 클러스터 단지 지원 예산 사업 계획 정책
규제 세액 공제 펀드 금융 대출 보조금 협의회 위원회 장관 차관 대표 회장 사장 발표 회의 간담회 포럼
세미나 전시회 행사 수요 공급 가격 매출 이익 실적 분기 전망 성장 혁신 생태계 설계 후공정 전공정 웨이퍼
기판 칩 모듈 시스템 소프트웨어 통신 배터리 디스플레이 자동차 전기차 로봇 바이오 에너지 수소 탄소 환경
안전 품질 표준 인증 특허 인재 교육 대학 연구소 실증 플랫폼 얼라이언스 컨소시엄 글로벌 해외 국내 지역
수도권 미국 중국 일본 대만 유럽 고객 제품 서비스 전략 목표 성과 과제 분야 역량 경제 무역 통상 관세
협상 회담 정상 외교 동맹 안보 원전 조선 철강 석유 화학 섬유 농업 관광 문화 의료 보건 금리 환율 주가
""".split()  # noqa: SIM905
# Compounds the beat writes spaced or not: (first, second).
COMPOUNDS = [("첨단", "패키징"), ("인공지능", "반도체"), ("시스템", "반도체"), ("반도체", "클러스터"),
             ("기술", "개발"), ("공급망", "안정"), ("연구", "개발"), ("전력", "반도체"), ("차세대", "메모리"),
             ("고대역폭", "메모리"), ("팹리스", "기업"), ("소재", "부품")]
VERBS = ["추진한다", "밝혔다", "발표했다", "강화할 계획이다", "확대하기로 했다", "지원한다", "개발한다",
         "논의했다", "점검했다", "마련했다", "늘릴 방침이다", "검토하고 있다"]
AMOUNTS = ["2744억 원", "2천744억 원", "3조5천억 원", "1억 달러", "500억 원", "1조 원", "2,000억원", "300만 달러"]


def _batchim(word: str) -> bool:
    """True when the last syllable ends in a consonant (then 은/이/을/과/으로)."""
    last = word[-1]
    if not ("가" <= last <= "힣"):
        return last.isalpha() and last.lower() in "lmnr"  # "SK" reads 에스케이: open
    return (ord(last) - 0xAC00) % 28 != 0


def with_particle(word: str, kind: str) -> str:
    """``word`` with the particle ``kind`` ("topic", "subject", "object", "with", "of", "at", "in")."""
    closed = _batchim(word)
    particle = {
        "topic": "은" if closed else "는", "subject": "이" if closed else "가",
        "object": "을" if closed else "를", "with": "과" if closed else "와", "of": "의",
        "at": "에서", "in": "에",
    }[kind]
    return word + particle


def _pickers(rng: random.Random, weights: list[float], words: set[str]):
    """Three pickers (a noun, a compound as written, an organisation) that note what they pick."""

    def noun() -> str:
        w = rng.choices(NOUNS, weights)[0]
        words.add(w)
        return w

    def compound() -> str:
        a, b = rng.choice(COMPOUNDS)
        words.update((a, b, a + b))
        return f"{a} {b}" if rng.random() < 0.5 else a + b

    def org() -> str:
        o = rng.choice(ORGS)
        words.add(o)
        return o

    return noun, compound, org


@dataclass
class KoArticle:
    """One synthetic article and the words it names."""

    title: str
    body: str
    published: str
    words: set[str] = field(default_factory=set)


def generate(n: int, seed: int = 7) -> list[KoArticle]:
    """``n`` articles, the same for the same seed."""
    rng = random.Random(seed)
    weights = [1 / (i + 1) for i in range(len(NOUNS))]  # Zipf-like: some nouns in most articles
    out = []
    for _ in range(n):
        words: set[str] = set()
        noun, compound, org = _pickers(rng, weights, words)
        sentences = []
        for _ in range(rng.randint(12, 20)):
            form = rng.random()
            if form < 0.3:
                s = (f"{with_particle(org(), 'topic')} {rng.randint(1, 28)}일 {with_particle(compound(), 'of')} "
                     f"{with_particle(noun(), 'object')} {rng.choice(VERBS)}.")
            elif form < 0.5:
                s = (f"{with_particle(org(), 'topic')} {with_particle(org(), 'with')} {with_particle(noun(), 'of')} "
                     f"{noun()} 업무협약을 체결했다.")
            elif form < 0.65:
                s = (f"정부는 {rng.randint(2024, 2027)}년부터 총 {rng.choice(AMOUNTS)}을 투입해 "
                     f"{with_particle(compound(), 'object')} {rng.choice(VERBS)}.")
            else:
                s = (f"{with_particle(noun(), 'of')} {with_particle(noun(), 'topic')} {with_particle(noun(), 'in')} "
                     f"{with_particle(noun(), 'object')} {rng.choice(VERBS)}.")
            sentences.append(s)
        paragraphs = [" ".join(sentences[j:j + 4]) for j in range(0, len(sentences), 4)]
        title = f"{org()}, {compound()} {noun()} {rng.choice(['발표', '추진', '협력', '지원'])}"
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        out.append(KoArticle(title, "\n\n".join(paragraphs), f"2024-{month:02d}-{day:02d}", words))
    return out


def queries(count: int = 120, seed: int = 5) -> list[tuple[str, str, tuple[str, ...]]]:
    """(class, query, words it asks for) triples: organisations, nouns by length, compounds
    written spaced and unspaced, two-word queries."""
    rng = random.Random(seed)
    out: list[tuple[str, str, tuple[str, ...]]] = []
    short = [w for w in NOUNS if len(w) <= 2]
    long = [w for w in NOUNS if len(w) >= 3]
    out += [("org", o, (o,)) for o in ORGS[:15]]
    out += [("org part", p, (p,)) for p in ("하이닉스", "삼성", "마이크론", "반도체산업협회")]
    while len(out) < count:
        pick = rng.random()
        if pick < 0.3:
            w = rng.choice(short)
            out.append(("1-2 syllables", w, (w,)))
        elif pick < 0.5:
            w = rng.choice(long)
            out.append(("3+ syllables", w, (w,)))
        elif pick < 0.7:
            a, b = rng.choice(COMPOUNDS)
            spaced = rng.random() < 0.5
            out.append(("compound", f"{a} {b}" if spaced else a + b, (a + b,)))
        else:
            a, b = rng.choice(ORGS), rng.choice(NOUNS)
            out.append(("two words", f"{a} {b}", (a, b)))
    return out[:count]
