"""The labelled evaluation sets are well formed and their labels are anchored in the article texts.

The sets share these checks: the tuning set in tests/eval/, the held-out set in tests/eval/holdout/
and the blind sets in tests/eval/blind/, tests/eval/blind2/, tests/eval/blind3/,
tests/eval/blind4/, tests/eval/blind5/ and tests/eval/blind6/, which are only ever scored and
never read while writing extraction rules, and the published-text tuning set in tests/eval/real/.
The real and blind sets hold publishers' own words, kept verbatim.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ingest.parse import parse_bytes

EVAL = Path(__file__).resolve().parent
SEEDS = EVAL.parent.parent / "seeds"


@dataclass(frozen=True)
class EvalSet:
    """One labelled set: its folder and the least size its README promises."""

    name: str
    root: Path
    min_cases: int
    min_articles: int
    min_parties: int
    min_amounts: int
    min_negatives: int
    min_each_other_format: int  # .html, .xml and .json files each
    # Published text kept as the publisher wrote it: no invented page furniture and no required mix
    # of file forms, but every article needs a provenance row (URL, publisher, licence).
    published: bool = False

    @property
    def cases_file(self) -> Path:
        return self.root / "cases.jsonl"

    @property
    def articles(self) -> Path:
        return self.root / "articles"

    @property
    def readme(self) -> Path:
        return self.root / "README.md"


MAIN = EvalSet("main", EVAL, 40, 25, 22, 13, 8, 3)
HOLDOUT = EvalSet("holdout", EVAL / "holdout", 25, 18, 11, 8, 6, 2)
REAL = EvalSet("real", EVAL / "real", 60, 40, 25, 15, 12, 0, published=True)
BLIND = EvalSet("blind", EVAL / "blind", 65, 45, 28, 16, 14, 0, published=True)
BLIND2 = EvalSet("blind2", EVAL / "blind2", 65, 45, 28, 16, 14, 0, published=True)
BLIND3 = EvalSet("blind3", EVAL / "blind3", 70, 60, 28, 16, 24, 0, published=True)
BLIND4 = EvalSet("blind4", EVAL / "blind4", 75, 45, 36, 18, 18, 0, published=True)
BLIND5 = EvalSet("blind5", EVAL / "blind5", 75, 45, 36, 18, 18, 0, published=True)
BLIND6 = EvalSet("blind6", EVAL / "blind6", 80, 45, 36, 20, 24, 0, published=True)
SETS = (MAIN, HOLDOUT, REAL, BLIND, BLIND2, BLIND3, BLIND4, BLIND5, BLIND6)
WRITTEN = tuple(s for s in SETS if not s.published)

FIELDS = {"id", "article", "url", "question", "kind", "expected_parties", "expected_amount", "note"}
KINDS = {"parties", "amount", "none"}
AMOUNT_FIELDS = {"amount", "value", "currency", "by"}
FORMATS = {".txt", ".html", ".xml", ".json"}
FILE_NAME = re.compile(r"^[a-z0-9]+-(?:19|20)\d\d-[a-z0-9]+(?:-[a-z0-9]+)*\.(?:txt|html|json|xml)$")

# Scale words as news writes them; the first number of an amount times its scale is its value.
SCALES = {
    "trillion": Decimal(10) ** 12,
    "tr": Decimal(10) ** 12,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "bln": Decimal(10) ** 9,
    "million": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "mln": Decimal(10) ** 6,
    "lakh crore": Decimal(10) ** 12,
    "crore": Decimal(10) ** 7,
    "lakh": Decimal(10) ** 5,
}
FIRST_AMOUNT = re.compile(
    r"(\d[\d,]*(?:\.\d+)?)\s*-?\s*(lakh crore|trillion|billion|million|crore|lakh|tr|bn|bln|mn|mln)\b",
    re.IGNORECASE,
)
# The currency of an amount is the one whose marker comes first in it ("5.1 trillion-won (US$4.4
# billion)" is KRW, "$1.2 billion (1.5 trillion won)" is USD).
CURRENCY_MARKERS = {
    "KRW": re.compile(r"KRW|\bwon\b", re.IGNORECASE),
    "USD": re.compile(r"US\$|USD|\$"),
    "INR": re.compile(r"\bRs\b|INR|₹"),
    "JPY": re.compile(r"\byen\b|JPY|¥", re.IGNORECASE),
    "EUR": re.compile(r"\beuros?\b|EUR|€", re.IGNORECASE),
    "CNY": re.compile(r"\byuan\b|CNY|RMB", re.IGNORECASE),
    "TWD": re.compile(r"NT\$|TWD"),
    "GBP": re.compile(r"£|GBP|\bpounds?\b", re.IGNORECASE),
    "AUD": re.compile(r"A\$|AUD|\bAustralian dollars?\b"),
}
# A note is the supporting sentence(s) copied from the article, several joined by " … ", then an
# optional "[comment]" at the end.
NOTE_COMMENT = re.compile(r"\s*\[[^\[\]]*\]$")
NOTE_JOIN = " … "
BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "br", "figure", "figcaption", "tr"}


def load_cases(evalset: EvalSet) -> list[dict]:
    """Every case line of a set, parsed; a line that is not JSON fails with its line number."""
    cases = []
    for number, line in enumerate(evalset.cases_file.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            pytest.fail(f"{evalset.name} cases.jsonl line {number} is not JSON: {exc}")
        case["_line"] = number
        case["_set"] = evalset.name
        cases.append(case)
    return cases


CASES = {s.name: load_cases(s) for s in SETS}
ALL = [case for s in SETS for case in CASES[s.name]]
BY_NAME = {s.name: s for s in SETS}


class _TextOf(HTMLParser):
    """Visible text of an HTML fragment, blocks on their own lines, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_text(fragment: str) -> str:
    """Text of an HTML fragment without its tags."""
    parser = _TextOf()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.parts)


def squeeze(text: str) -> str:
    """Runs of whitespace as one space, so line breaks inside a sentence do not matter."""
    return re.sub(r"\s+", " ", text).strip()


def story_text(path: Path) -> str:
    """The article's own words as the file delivers them: no page furniture, no comments."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".txt":
        return squeeze(raw)
    if path.suffix == ".html":
        match = re.search(r"<article\b[^>]*>(.*?)</article>", raw, re.S | re.I)
        assert match, f"{path.name}: no <article> element"
        return squeeze(html_text(match.group(1)))
    if path.suffix == ".xml":
        item = ET.fromstring(raw).find("channel/item")
        fields = [item.findtext("title", "")]
        fields += [el.text or "" for el in item if el.tag in ("description",) or el.tag.endswith("}encoded")]
        return squeeze(" ".join(html_text(html.unescape(f)) if "<" in f or "&" in f else f for f in fields))
    if path.suffix == ".json":
        post = json.loads(raw)
        return squeeze(html_text(post["title"]["rendered"]) + "\n" + html_text(post["content"]["rendered"]))
    raise AssertionError(f"{path.name}: unknown format")


STORIES = {s.name: {p.name: story_text(p) for p in sorted(s.articles.iterdir()) if p.is_file()} for s in SETS}
FILES = [(s, name) for s in SETS for name in STORIES[s.name]]


def article_story(case: dict) -> str:
    """The story text of the article a case points to."""
    return STORIES[case["_set"]][Path(case["article"]).name]


def value_of(amount: str) -> Decimal:
    """The value in units of the first amount written in `amount`."""
    match = FIRST_AMOUNT.search(amount)
    assert match, f"no number with a scale word in {amount!r}"
    number = Decimal(match.group(1).replace(",", ""))
    return number * SCALES[match.group(2).lower()]


def currency_of(amount: str) -> str | None:
    """ISO code of the first currency marker in `amount`."""
    found = [(m.start(), code) for code, rx in CURRENCY_MARKERS.items() if (m := rx.search(amount))]
    return min(found)[1] if found else None


def evidence_of(note: str) -> list[str]:
    """The sentences a note quotes from its article."""
    quoted = NOTE_COMMENT.sub("", note)
    return [part.strip() for part in quoted.split(NOTE_JOIN) if part.strip()]


def case_ids(cases: list[dict]) -> list[str]:
    """Readable test ids: the set and the case id."""
    return [c["_set"] + ":" + c.get("id", f"line-{c['_line']}") for c in cases]


def of_kind(kind: str) -> list[dict]:
    """The cases of one kind, from every set."""
    return [c for c in ALL if c["kind"] == kind]


def file_ids(files: list[tuple[EvalSet, str]]) -> list[str]:
    """Readable test ids: the set and the file name."""
    return [f"{s.name}:{name}" for s, name in files]


def files_ending(suffix: str) -> list[tuple[EvalSet, str]]:
    """The article files of one format, from every set."""
    return [(s, name) for s, name in FILES if name.endswith(suffix)]


WRITTEN_PAGES = [(s, name) for s, name in files_ending(".html") if not s.published]
PUBLISHED = [(s, name) for s, name in FILES if s.published]


def provenance_rows(readme: str) -> dict[str, dict[str, str]]:
    """The rows of a README's Markdown tables keyed by their first cell: column name -> cell."""
    rows: dict[str, dict[str, str]] = {}
    header = None
    for line in readme.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
        if header is None:
            header = [cell.lower() for cell in cells]
        elif not set("".join(cells)) <= set("-: "):
            rows[cells[0]] = dict(zip(header, cells, strict=False))
    return rows


@pytest.mark.parametrize("evalset", SETS, ids=[s.name for s in SETS])
def test_enough_cases_from_enough_articles_with_negatives(evalset):
    cases = CASES[evalset.name]
    kinds = [c["kind"] for c in cases]
    assert len(cases) >= evalset.min_cases
    assert len({c["article"] for c in cases}) >= evalset.min_articles
    assert kinds.count("none") >= evalset.min_negatives
    assert kinds.count("parties") >= evalset.min_parties
    assert kinds.count("amount") >= evalset.min_amounts


@pytest.mark.parametrize("evalset", SETS, ids=[s.name for s in SETS])
def test_ids_are_unique_and_numbered_by_kind(evalset):
    cases = CASES[evalset.name]
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert all(re.fullmatch(rf"{c['kind']}-\d\d", c["id"]) for c in cases)


@pytest.mark.parametrize("evalset", WRITTEN, ids=[s.name for s in WRITTEN])
def test_articles_come_in_the_forms_sources_send(evalset):
    stories = STORIES[evalset.name]
    by_format = {}
    for name in stories:
        by_format.setdefault(Path(name).suffix, []).append(name)
    assert len(by_format.get(".txt", [])) > len(stories) / 2
    assert set(by_format) == FORMATS
    assert all(len(by_format[ext]) >= evalset.min_each_other_format for ext in (".html", ".xml", ".json")), by_format


@pytest.mark.parametrize("case", ALL, ids=case_ids(ALL))
def test_case_has_the_fields_and_an_existing_article(case):
    assert set(case) - {"_line", "_set"} == FIELDS
    assert case["kind"] in KINDS
    assert case["url"].startswith(("http://", "https://"))
    assert case["note"].strip() and "\n" not in case["note"]
    path = Path(case["article"])
    assert path.parts[0] == "articles" and len(path.parts) == 2
    assert FILE_NAME.match(path.name), path.name
    assert (BY_NAME[case["_set"]].root / path).is_file()
    command = {"parties": "/who-signed ", "none": "/who-signed ", "amount": "/how-much "}[case["kind"]]
    assert case["question"].startswith(command) and case["question"][len(command) :].strip()


@pytest.mark.parametrize("case", ALL, ids=case_ids(ALL))
def test_note_quotes_the_article(case):
    quotes = evidence_of(case["note"])
    assert quotes, "a note starts with the sentence that supports the label"
    story = article_story(case)
    missing = [q for q in quotes if squeeze(q) not in story]
    assert not missing, f"not in the story of {case['article']}: {missing}"


@pytest.mark.parametrize("case", of_kind("parties"), ids=case_ids(of_kind("parties")))
def test_parties_occur_verbatim_in_the_story(case):
    parties = case["expected_parties"]
    assert case["expected_amount"] is None
    assert len(parties) >= 2, "an agreement has at least two parties"
    assert len(parties) == len(set(parties))
    story = article_story(case)
    missing = [p for p in parties if not p.strip() or p not in story]
    assert not missing, f"not in the story of {case['article']}: {missing}"


@pytest.mark.parametrize("case", of_kind("amount"), ids=case_ids(of_kind("amount")))
def test_amounts_occur_verbatim_and_their_value_matches(case):
    expected = case["expected_amount"]
    assert case["expected_parties"] == []
    assert set(expected) == AMOUNT_FIELDS
    assert isinstance(expected["value"], (int, float)) and expected["value"] > 0
    story = article_story(case)
    assert expected["amount"] in story
    assert expected["by"] and expected["by"] in story
    assert value_of(expected["amount"]) == Decimal(str(expected["value"]))
    assert currency_of(expected["amount"]) == expected["currency"]
    assert any(expected["amount"] in q for q in evidence_of(case["note"])), "the note quotes the amount"


@pytest.mark.parametrize("case", of_kind("none"), ids=case_ids(of_kind("none")))
def test_negatives_expect_nothing(case):
    assert case["expected_parties"] == []
    assert case["expected_amount"] is None


@pytest.mark.parametrize(("evalset", "name"), WRITTEN_PAGES, ids=file_ids(WRITTEN_PAGES))
def test_html_pages_carry_the_furniture_a_page_has(evalset, name):
    page = (evalset.articles / name).read_text(encoding="utf-8")
    for pattern in (
        r"<title>[^<]+</title>",
        r'<link rel="canonical" href="https://[^"]+"',
        r'property="article:published_time" content="\d{4}-\d\d-\d\dT',
        r"<nav\b|id=\"gnb\"|id=\"menu\"",
        r"<footer\b",
        r"comment",
    ):
        assert re.search(pattern, page, re.I), f"{name}: no match for {pattern}"
    # Comments sit outside the story, so nothing said in them can support a label.
    story_end = page.lower().index("</article>")
    assert page.lower().index("comment", story_end) > story_end


@pytest.mark.parametrize(("evalset", "name"), files_ending(".xml"), ids=file_ids(files_ending(".xml")))
def test_feeds_are_one_item_rss(evalset, name):
    root = ET.parse(evalset.articles / name).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("channel/item")
    assert len(items) == 1
    assert items[0].findtext("title") and items[0].findtext("link") and items[0].findtext("pubDate")


@pytest.mark.parametrize(("evalset", "name"), files_ending(".json"), ids=file_ids(files_ending(".json")))
def test_wordpress_posts_have_the_rest_api_fields(evalset, name):
    post = json.loads((evalset.articles / name).read_text(encoding="utf-8"))
    assert {"id", "date", "date_gmt", "link", "title", "content", "excerpt"} <= set(post)
    assert post["title"]["rendered"] and post["content"]["rendered"]


@pytest.mark.parametrize(("evalset", "name"), FILES, ids=file_ids(FILES))
def test_article_ingests_with_its_labels_in_the_body(evalset, name):
    path = evalset.articles / name
    result = parse_bytes(path.read_bytes(), path=str(path))
    assert len(result.articles) == 1
    article = result.articles[0]
    assert article.title.strip() and article.body.strip()
    parsed = squeeze(article.title + "\n" + article.body)
    labels = []
    for case in CASES[evalset.name]:
        if Path(case["article"]).name != name:
            continue
        labels += case["expected_parties"]
        if case["expected_amount"]:
            labels += [case["expected_amount"]["amount"], case["expected_amount"]["by"]]
    missing = [label for label in labels if label not in parsed]
    assert not missing, f"{name}: the parser lost {missing}"


@pytest.mark.parametrize("evalset", SETS, ids=[s.name for s in SETS])
def test_every_article_is_used_and_documented(evalset):
    cases = CASES[evalset.name]
    used = {Path(c["article"]).name for c in cases}
    on_disk = set(STORIES[evalset.name])
    assert on_disk == used, {"unused": sorted(on_disk - used), "missing": sorted(used - on_disk)}
    readme = evalset.readme.read_text(encoding="utf-8")
    undocumented = sorted(name for name in on_disk if name not in readme)
    assert not undocumented
    urls = {c["url"] for c in cases}
    assert all(url in readme for url in urls), sorted(u for u in urls if u not in readme)


@pytest.mark.parametrize(("evalset", "name"), PUBLISHED, ids=file_ids(PUBLISHED))
def test_published_articles_have_a_provenance_row(evalset, name):
    row = provenance_rows(evalset.readme.read_text(encoding="utf-8")).get(name)
    assert row, f"{name}: no row for it in a table of {evalset.name}/README.md"
    assert row.get("publisher"), f"{name}: no publisher"
    assert re.match(r"https?://\S+$", row.get("url", "")), f"{name}: no URL"
    assert row.get("licence"), f"{name}: no licence"


# Each set kept apart from the sets before it: no event (URL) or article file shared, and none
# of the seeds' events.
APART = [(HOLDOUT, (MAIN,)), (BLIND, (MAIN, HOLDOUT)), (BLIND2, (MAIN, HOLDOUT, REAL, BLIND)),
         (BLIND3, (MAIN, HOLDOUT, REAL, BLIND, BLIND2)),
         (BLIND4, (MAIN, HOLDOUT, REAL, BLIND, BLIND2, BLIND3)),
         (BLIND5, (MAIN, HOLDOUT, REAL, BLIND, BLIND2, BLIND3, BLIND4)),
         (BLIND6, (MAIN, HOLDOUT, REAL, BLIND, BLIND2, BLIND3, BLIND4, BLIND5))]


@pytest.mark.parametrize("evalset, others", APART, ids=[s.name for s, _ in APART])
def test_a_held_out_or_blind_set_shares_no_event_with_the_sets_before_it_or_the_seeds(evalset, others):
    cases = CASES[evalset.name]
    other_urls = {c["url"] for s in others for c in CASES[s.name]}
    shared = sorted(c["url"] for c in cases if c["url"] in other_urls)
    assert not shared, f"{evalset.name} cases report events of another set: {shared}"
    other_files = set().union(*(set(STORIES[s.name]) for s in others))
    assert not set(STORIES[evalset.name]) & other_files
    seeds = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(SEEDS.iterdir()) if p.is_file())
    assert not [c["url"] for c in cases if c["url"] in seeds]


@pytest.mark.parametrize("evalset", [s for s, _ in APART], ids=[s.name for s, _ in APART])
def test_a_held_out_or_blind_readme_forbids_tuning_on_it(evalset):
    readme = squeeze(evalset.readme.read_text(encoding="utf-8"))
    assert "must never be used to tune" in readme


def test_value_and_currency_readers_know_the_forms_news_writes():
    assert value_of("$205 million (274.4 billion won)") == Decimal("205000000")
    assert value_of("KRW 1 trillion") == Decimal(10) ** 12
    assert value_of("5.1 trillion-won") == Decimal("5.1") * Decimal(10) ** 12
    assert value_of("Rs 22,900 crore") == Decimal("229000000000")
    assert value_of("Rs 1.25 lakh crore") == Decimal("1250000000000")
    assert value_of("4.1 billion euros") == Decimal("4100000000")
    assert value_of("57 billion yen") == Decimal("57000000000")
    assert value_of("KRW15.1tr (USD13.17bn)") == Decimal("15.1") * Decimal(10) ** 12
    assert currency_of("$205 million (274.4 billion won)") == "USD"
    assert currency_of("5.1 trillion-won (US$4.4 billion)") == "KRW"
    assert currency_of("Rs 22,900 crore") == "INR"
    assert currency_of("¥1 trillion (US$7 billion)") == "JPY"
    assert currency_of("30 billion euros ($32.8 billion)") == "EUR"
    assert currency_of("A$5 billion (US$3.2 billion)") == "AUD"
    assert currency_of("£11 billion ($14 billion)") == "GBP"
