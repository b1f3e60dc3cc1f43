"""Synthetic news corpus: ~600-word articles over a Zipf vocabulary, with the entity names and
phrasings of the beat (companies, ministries, MOUs, investments), deterministic by seed."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

ORGS = [
    "Samsung Electronics", "SK hynix", "LG Chem", "Hana Micron", "Protec", "Sapeon Korea",
    "Symtec", "MOTIE", "the Ministry of Science and ICT", "the Korea Semiconductor Industry "
    "Association", "TSMC", "Intel", "Micron Technology", "ASML", "Hyundai Motor", "LG Energy "
    "Solution", "Posco Holdings", "Naver", "Kakao", "Amkor Technology", "Nvidia", "Qualcomm",
]
TOPICS = [
    "advanced packaging", "high-bandwidth memory", "chiplet", "foundry", "battery", "AI chips",
    "neuromorphic computing", "EUV lithography", "power semiconductors", "OSAT", "display",
    "hydrogen", "shipbuilding", "small modular reactors", "6G", "quantum computing",
]
CITIES = ["Seoul", "Sejong", "Busan", "Daejeon", "Brussels", "Tokyo", "Taipei", "Austin"]
_SYLLABLES = ["ka", "ri", "mo", "te", "sun", "ho", "jin", "lo", "pa", "ne", "ul", "sa", "dor",
              "vel", "mi", "tra", "qu", "zen", "bo", "lex", "ra", "fi", "gon", "ty"]


def vocabulary(seed: int = 7) -> list[str]:
    """The vocabulary ``generate(seed=seed)`` draws from, most frequent first."""
    return _vocabulary(random.Random(seed))


def _vocabulary(rng: random.Random, size: int = 20000) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4))))
    common = ["the", "of", "and", "to", "in", "a", "for", "on", "with", "said", "will", "by",
              "semiconductor", "industry", "government", "companies", "market", "technology",
              "investment", "billion", "won", "chip", "korea", "production", "research"]
    return common + sorted(words)


@dataclass
class SyntheticArticle:
    """One generated article: title, body, URL and date."""

    title: str
    body: str
    url: str
    published: str


def generate(n: int = 10_000, *, seed: int = 7, words: int = 600) -> Iterator[SyntheticArticle]:
    """Yield ``n`` articles; the same seed always gives the same corpus."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    # Zipf weights: the k-th word is drawn with probability ∝ 1/k.
    cum, total = [], 0.0
    for k in range(len(vocab)):
        total += 1.0 / (k + 1)
        cum.append(total)
    start = date(2023, 1, 1)
    for i in range(n):
        topic = rng.choice(TOPICS)
        orgs = rng.sample(ORGS, k=rng.randint(2, 5))
        city = rng.choice(CITIES)
        day = start + timedelta(days=rng.randint(0, 1000))
        amount = f"{rng.randint(1, 999)}.{rng.randint(0, 9)} billion won"
        lead = [
            f"{orgs[0]} signed a memorandum of understanding (MOU) with {', '.join(orgs[1:])} "
            f"on {topic} in {city} on {day.strftime('%b. %d')}.",
            f"The agreement covers joint research on {topic} and an investment of {amount}.",
        ]
        filler_len = max(words - 60, 10)
        filler_words = rng.choices(vocab, cum_weights=cum, k=filler_len)
        sentences = []
        for j in range(0, filler_len, 15):
            chunk = filler_words[j : j + 15]
            sentences.append(" ".join(chunk).capitalize() + ".")
        paragraphs = [" ".join(lead)]
        for j in range(0, len(sentences), 5):
            paragraphs.append(" ".join(sentences[j : j + 5]))
        yield SyntheticArticle(
            title=f"{orgs[0]} and partners sign {topic} MOU ({i})",
            body="\n\n".join(paragraphs),
            url=f"https://news.example.org/{day.year}/{i:06d}-{topic.replace(' ', '-')}",
            published=day.isoformat(),
        )
