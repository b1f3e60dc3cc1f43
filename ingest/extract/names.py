"""Names: built-in aliases and word lists (places, news agencies, role titles) the extraction
rules consult; the matching key of a name is in ``base/names.py`` (re-exported here)."""

from __future__ import annotations

import re

from base.names import COUNTRIES, LEGAL_SUFFIXES, display_name, fold, name_key  # noqa: F401  (re-exported)
from ingest.entities import with_bundled
from ingest.extract import lexicon as lx

# canonical name -> (kind, aliases). Aliases are matched by name_key.
BUILTIN_ENTITIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Ministry of Trade, Industry and Energy": ("org", (
        "MOTIE", "trade ministry", "industry ministry", "trade and industry ministry",
        "South Korea's trade ministry", "Korea's trade ministry", "Korean trade ministry",
        "South Korean trade ministry", "South Korea's industry ministry", "Korea's industry ministry",
        "Ministry of Trade Industry and Energy", "Korea's Ministry of Trade, Industry and Energy",
        "trade, industry and energy ministry", "Ministry of Trade, Industry & Energy",
    )),
    "Ministry of Science and ICT": ("org", (
        "MSIT", "science ministry", "ICT ministry", "Korea's science ministry",
        "South Korea's science ministry", "Ministry of Science & ICT",
    )),
    "Ministry of Economy and Finance": ("org", ("finance ministry", "Korea's finance ministry", "MOEF")),
    "Ministry of Economy, Trade and Industry": ("org", (
        "METI", "Japan's trade ministry", "Japan's industry ministry", "Japanese trade ministry",
        "Japan's Ministry of Economy, Trade and Industry",
    )),
    "Ministry of Commerce of China": ("org", ("MOFCOM", "China's commerce ministry", "Chinese commerce ministry")),
    "U.S. Department of Commerce": ("org", (
        "Commerce Department", "US Commerce Department", "U.S. Commerce Department",
        "Department of Commerce", "US Department of Commerce",
    )),
    "Korea Semiconductor Industry Association": ("org", ("KSIA",)),
    "Korea Evaluation Institute of Industrial Technology": ("org", ("KEIT",)),
    "Korea Institute for Advancement of Technology": ("org", ("KIAT",)),
    "Korea Advanced Institute of Science and Technology": ("org", ("KAIST",)),
    "Korea Trade-Investment Promotion Agency": ("org", ("KOTRA",)),
    "Korea Development Bank": ("org", ("KDB",)),
    "Samsung Electronics": ("org", ("Samsung Electronics Co.", "Samsung Electronics Co., Ltd.")),
    "SK hynix": ("org", ("SK Hynix Inc.", "Hynix")),
    "LG Energy Solution": ("org", ("LGES",)),
    "Taiwan Semiconductor Manufacturing Company": ("org", ("TSMC", "Taiwan Semiconductor Manufacturing Co.")),
    "European Union": ("org", ("EU", "the E.U.")),
    "European Commission": ("org", ("EC",)),
    "South Korea": ("country", (
        "Korea", "Republic of Korea", "ROK", "S. Korea", "Korean government", "South Korean government",
        "the Korean government", "Seoul government",
    )),
    "United States": ("country", ("US", "U.S.", "USA", "U.S.A.", "United States of America", "America", "US government", "U.S. government")),
    "Japan": ("country", ("Japanese government",)),
    "China": ("country", ("PRC", "People's Republic of China", "Chinese government")),
    "Taiwan": ("country", ("Taiwanese government",)),
    "India": ("country", ("Indian government", "Government of India")),
    "Germany": ("country", ("German government",)),
    "France": ("country", ("French government",)),
    "United Kingdom": ("country", ("UK", "U.K.", "Britain", "Great Britain", "British government",
                                   "United Kingdom of Great Britain and Northern Ireland")),
}

# The bundled table of the beat's organisations adds their Korean names (ingest/entities.toml).
BUILTIN_ENTITIES = with_bundled(BUILTIN_ENTITIES)
# Every country by the names it signs under ("the Government of Japan", "the Republic of
# Indonesia", "the Danish government"): one entity, so a party written either way is one party.
COUNTRY_NAMES = {
    "South Korea": ("Korean",), "United States": ("American",), "Japan": ("Japanese",), "China": ("Chinese",),
    "Taiwan": ("Taiwanese",), "India": ("Indian",), "Germany": ("German",), "France": ("French",),
    "United Kingdom": ("British",), "Italy": ("Italian",), "Spain": ("Spanish",), "Netherlands": ("Dutch",),
    "Belgium": ("Belgian",), "Poland": ("Polish",), "Hungary": ("Hungarian",), "Czech Republic": ("Czech",),
    "Sweden": ("Swedish",), "Norway": ("Norwegian",), "Finland": ("Finnish",), "Denmark": ("Danish",),
    "Vietnam": ("Vietnamese",), "Indonesia": ("Indonesian",), "Malaysia": ("Malaysian",),
    "Singapore": ("Singaporean",), "Thailand": ("Thai",), "Philippines": ("Philippine", "Filipino"),
    "Australia": ("Australian",), "Canada": ("Canadian",), "Mexico": ("Mexican",), "Brazil": ("Brazilian",),
    "Chile": ("Chilean",), "Argentina": ("Argentine",), "Saudi Arabia": ("Saudi",),
    "United Arab Emirates": ("Emirati",), "Qatar": ("Qatari",), "Israel": ("Israeli",), "Turkey": ("Turkish",),
    "Egypt": ("Egyptian",), "South Africa": ("South African",), "Morocco": ("Moroccan",),
    "Nigeria": ("Nigerian",), "Kenya": ("Kenyan",), "Russia": ("Russian",), "Ukraine": ("Ukrainian",),
    "Pakistan": ("Pakistani",), "Bangladesh": ("Bangladeshi",), "New Zealand": (), "Ireland": ("Irish",),
    "Switzerland": ("Swiss",), "Austria": ("Austrian",), "Portugal": ("Portuguese",), "Greece": ("Greek",),
    "Romania": ("Romanian",), "Kazakhstan": ("Kazakh",), "Uzbekistan": ("Uzbek",), "Mongolia": ("Mongolian",),
}


# The long names a country signs under that no pattern below makes ("the Russian Federation").
LONG_NAMES = {"Russia": ("Russian Federation",), "Vietnam": ("Viet Nam", "Socialist Republic of Viet Nam"),
              "Czech Republic": ("Czechia",), "Turkey": ("Türkiye", "Republic of Türkiye")}


def _with_countries(builtin: dict[str, tuple[str, tuple[str, ...]]]) -> dict[str, tuple[str, tuple[str, ...]]]:
    out = dict(builtin)
    for name, adjectives in COUNTRY_NAMES.items():
        kind, aliases = out.get(name, ("country", ()))
        forms = [f"Government of {name}", f"the Government of {name}", f"Republic of {name}",
                 f"the Republic of {name}", f"{name} government", f"Kingdom of {name}", f"State of {name}"]
        forms += [f"{adj} government" for adj in adjectives] + list(LONG_NAMES.get(name, ()))
        # "the Government of the United States of America": the long names a treaty uses
        forms += [f"Government of the {a}" for a in (name, *aliases) if a.isascii() and a[:1].isupper()
                  and (len(a.split()) >= 3 or a == name and len(a.split()) == 2) and "government" not in a.lower()]
        out[name] = (kind, tuple(dict.fromkeys([*aliases, *(f for f in forms if f)])))
    return out


BUILTIN_ENTITIES = _with_countries(BUILTIN_ENTITIES)

CITIES = {
    "seoul", "sejong", "busan", "incheon", "daejeon", "daegu", "gwangju", "ulsan", "suwon",
    "pyeongtaek", "yongin", "icheon", "cheongju", "gumi", "pohang", "changwon", "tokyo", "osaka",
    "kumamoto", "hokkaido", "taipei", "hsinchu", "tainan", "kaohsiung", "beijing", "shanghai",
    "shenzhen", "hangzhou", "wuxi", "xian", "hong kong", "washington", "new york", "austin",
    "taylor", "phoenix", "arizona", "texas", "ohio", "california", "silicon valley", "san jose",
    "santa clara", "boston", "chicago", "detroit", "georgia", "indiana", "michigan", "brussels",
    "paris", "berlin", "dresden", "munich", "london", "amsterdam", "eindhoven", "veldhoven",
    "leuven", "madrid", "rome", "milan", "warsaw", "budapest", "prague", "vienna", "geneva",
    "zurich", "stockholm", "helsinki", "oslo", "copenhagen", "dublin", "lisbon", "singapore",
    "hanoi", "ho chi minh city", "bangkok", "jakarta", "kuala lumpur", "penang", "manila",
    "new delhi", "delhi", "mumbai", "bengaluru", "bangalore", "chennai", "hyderabad",
    "gujarat", "dholera", "sanand", "noida", "pune", "sydney", "melbourne", "toronto",
    "montreal", "vancouver", "mexico city", "sao paulo", "riyadh", "dubai", "abu dhabi", "doha",
    "tel aviv", "jerusalem", "istanbul", "cairo", "moscow", "kyiv", "davos", "las vegas",
    "san francisco", "seattle", "dallas", "atlanta", "miami", "los angeles", "barcelona",
}
# States and provinces that sign agreements of their own ("the UK signed an MoU with Indiana").
STATES = {"arizona", "texas", "ohio", "california", "georgia", "indiana", "michigan", "gujarat"}
PLACES = COUNTRIES | CITIES | {"europe", "asia", "africa", "north america", "latin america", "middle east"}

NEWS_AGENCIES = {
    "yonhap", "yonhap news agency", "yonhap news", "reuters", "bloomberg", "associated press", "ap",
    "afp", "agence france-presse", "kyodo", "kyodo news", "xinhua", "nikkei", "nikkei asia",
    "korea herald", "the korea herald", "korea times", "the korea times", "korea joongang daily",
    "joongang ilbo", "chosun ilbo", "dong-a ilbo", "donga ilbo", "maeil business", "maeil business newspaper",
    "pulse", "businesskorea", "business korea", "the elec", "thelec", "digitimes", "etnews",
    "electronic times", "korea economic daily", "hankyung", "the korea economic daily", "news1",
    "newsis", "edaily", "aju business daily", "korea it times", "koreapro", "korea pro",
    "the wall street journal", "wall street journal", "wsj", "financial times", "ft", "cnbc", "cnn",
    "bbc", "the new york times", "new york times", "techcrunch", "the verge", "press trust of india",
    "pti", "ani", "ians", "economic times", "the economic times", "times of india", "the hindu",
    "nhk", "asahi", "yomiuri", "mainichi", "caixin", "scmp", "south china morning post",
    "taipei times", "focus taiwan", "central news agency", "cna", "dpa", "ansa", "efe", "tass",
    "bernama", "antara", "vnexpress", "electrek", "electronics weekly", "eetimes", "ee times",
    "prnewswire", "pr newswire", "business wire", "businesswire", "globe newswire", "globenewswire",
    "newswire", "accesswire",
}


# The lower-case words a name as written may hold: its joiners ("Commission on …", "Fund in …"),
# the common nouns that head a body ("the Tamil Nadu government", "Sterlite group of companies").
_LOWER_IN_NAMES = lx.NAME_JOINERS | lx.CONNECTORS | lx.BODY_HEADS | {"at", "companies"}


def named_like(name: str) -> bool:
    """True when a name as written reads as a name: its brackets closed, and its lower-case words
    only those that join the words of a name — not "awarded Rocket Lab", "Commission approves",
    "Lim Hyesook)", "Japan since the creation of its Guidelines" or "real estate company X"."""
    if name.count("(") != name.count(")") or name.count("[") != name.count("]"):
        return False
    words = re.findall(r"[^\W\d_][\w'’.-]*", name)
    if not words:
        return False
    if words[0].lower() == "the" and len(words) <= 3:
        return True  # "the government": a reference, resolved or shown as written
    if words[0].islower() and words[0] != "the" and words[0] not in lx.NUMBER_WORDS:
        return False  # "on 5 February the European": a name opens with its own word
    if words[0] in lx.NUMBER_WORDS:
        words = words[1:]  # "twelve Member States"
    return all(w in _LOWER_IN_NAMES or w != w.lower()
               or w.startswith(("d'", "d’", "l'", "l’")) for w in words)  # "Côte d'Ivoire"
