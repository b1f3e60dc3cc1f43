"""Plain text and page text with site chrome: titles from the lead, chrome and dates."""

from ingest.parse import parse_bytes
from tests.conftest import SEEDS


def _seed(name: str):
    result = parse_bytes((SEEDS / name).read_bytes())
    assert result.kind == "text" and result.warnings == []
    [article] = result.articles
    return article


def test_seed_001_has_a_short_title_taken_from_its_lead():
    article = _seed("001_694fc1f307a2a585.txt")
    assert article.title == "The Korean government has formed a partnership with major Korean semiconductor giants"
    assert article.body.startswith(article.title)
    assert article.published is None  # the text has no date of its own


def test_seed_002_korea_eu_title_is_the_main_clause_of_its_lead():
    article = _seed("002_77ac495237e3e222.txt")
    assert article.title == (
        "South Korea and the European Union have embarked on a significant stride to fortify "
        "their digital partnership"
    )
    assert len(article.title.split()) <= 18
    assert "neuromorphic computing" in article.body


def test_seed_003_drops_chrome_and_takes_title_and_date_from_the_page():
    article = _seed("003_924dadf18b5044bb.txt")
    assert article.title == "Korea needs a lighthouse in China’s tech wave"
    assert article.published == "2025-03-25T07:32"
    assert article.body.startswith("As we step into the third month of 2025")
    for chrome in ("Go to contents", "Posted March", "Updated March", "한국어"):
        assert chrome not in article.body
    assert article.body.rstrip().endswith("to revive their semiconductor industry.")


def test_a_short_first_line_is_the_title_and_not_part_of_the_body(fixture_bytes):
    [article] = parse_bytes(fixture_bytes("text_utf8.txt")).articles
    assert article.title == "Symtec doubles probe card output"
    assert article.body.startswith("Symtec, a maker of probe cards")


def test_a_first_line_that_is_only_a_date_is_the_published_date_not_the_title():
    text = ("May 12, 2022\n\nHana Micron will open a second test line in Vietnam, the company said "
            "on Thursday. The line starts next spring.\n")
    [article] = parse_bytes(text.encode()).articles
    assert article.title == "Hana Micron will open a second test line in Vietnam, the company said on Thursday"
    assert article.published == "2022-05-12"
    assert article.body.startswith("Hana Micron will open")
    assert "May 12, 2022" not in article.body


def test_a_dateline_line_gives_the_date_and_the_next_title_like_line_is_the_title():
    text = ("ATLANTA, May 25, 2023 --\n\nSymtec opens U.S. office\n\nSymtec, a maker of probe cards, "
            "opened an office in Atlanta on Thursday to serve its American customers.\n")
    [article] = parse_bytes(text.encode()).articles
    assert article.title == "Symtec opens U.S. office"
    assert article.published == "2023-05-25"
    assert article.body.startswith("Symtec, a maker of probe cards")


def test_a_dateline_under_the_title_is_dropped_and_dates_the_article():
    text = ("Protec wins a bonding order\n\nCHENNAI, September 26, 2019\n\nProtec, a maker of "
            "bonding tools, said on Thursday it won an order from an Indian assembler.\n")
    [article] = parse_bytes(text.encode()).articles
    assert article.title == "Protec wins a bonding order"
    assert article.published == "2019-09-26"
    assert article.body.startswith("Protec, a maker of bonding tools")


def test_a_dateline_without_a_year_is_not_the_title_and_leaves_the_date_unknown():
    text = ("SEOUL, March 3 (Yonhap) --\n\nSapeon Korea said Friday it raised new funds from "
            "three investors to design its next inference chip.\n")
    [article] = parse_bytes(text.encode()).articles
    assert "Yonhap" not in article.title
    assert article.title.startswith("Sapeon Korea said Friday")
    assert article.published is None
    assert article.body.startswith("Sapeon Korea said Friday")


def test_a_list_under_a_colon_keeps_one_item_a_line():
    text = ("Symtec names three new customers\n\nThe customers that signed supply deals included:\n"
            "Hana Micron - 40 probe cards\nProtec\nSapeon Korea - 12 probe cards\n\n"
            "Deliveries start in June.\n")
    [article] = parse_bytes(text.encode()).articles
    assert ("included:\nHana Micron - 40 probe cards\nProtec\nSapeon Korea - 12 probe cards\n\n"
            "Deliveries start in June.") in article.body


def test_page_text_copied_one_paragraph_a_line_keeps_its_lines_apart():
    # a headline, a byline and the story, one a line: no hand-wrapped text has a line this long
    story = ("Korea and Mongolia on June 12 agreed to strengthen bilateral cooperation in critical "
             "minerals, renewable energy and infrastructure, the presidential office said after the two "
             "leaders held a summit in Ulaanbaatar that day.")
    text = f"Press Releases\nKorea, Mongolia sign mineral MOUs\nBy Jane Park\n{story}\nThe two sides signed three MOUs.\n"
    [article] = parse_bytes(text.encode()).articles
    paragraphs = article.body.split("\n\n")
    assert "By Jane Park" in paragraphs
    assert story in paragraphs
    assert "The two sides signed three MOUs." in paragraphs


def test_text_wrapped_by_hand_is_still_joined_into_paragraphs():
    text = ("Orion Motors said on Monday it had signed a supply deal with\n"
            "Vega Battery for cells from its new plant, starting in the spring\n"
            "of next year.\n\nThe deal is its third this year.\n")
    [article] = parse_bytes(text.encode()).articles
    assert "signed a supply deal with Vega Battery for cells" in article.body


def test_short_lines_above_text_wrapped_at_a_fixed_width_stand_apart():
    # a release copied out of a PDF: heading lines, then the headline and bullets wrapped at the
    # page's width, with no blank line between them
    text = ("JOINT PRESS RELEASE\n"
            "11 December 2025\n"
            "Luxembourg / Geneva\n"
            "Orion Bank and Vega Semiconductor announce €1 billion agreement to boost Europe’s\n"
            "competitiveness and strategic autonomy\n"
            "•Credit line to strengthen Europe’s semiconductor industry and support innovation and\n"
            "energy efficiency in line with EU objectives\n"
            "•The new agreement, the ninth between the two, brings total financing to €4.2 billion\n"
            "Orion Bank and Vega Semiconductor have signed a €500 million financing agreement to boost Europe’s\n"
            "competitiveness and strategic autonomy. This is the first tranche of a broader €1 billion credit line\n"
            "approved by the bank in favour of Vega Semiconductor.\n")
    [article] = parse_bytes(text.encode()).articles
    paragraphs = article.body.split("\n\n")
    assert article.title == "JOINT PRESS RELEASE"
    assert "Orion Bank and Vega Semiconductor announce €1 billion agreement to boost Europe’s competitiveness " \
           "and strategic autonomy" in paragraphs
    assert "•The new agreement, the ninth between the two, brings total financing to €4.2 billion" in paragraphs
    assert paragraphs[-1].startswith("Orion Bank and Vega Semiconductor have signed a €500 million financing "
                                     "agreement to boost Europe’s competitiveness and strategic autonomy. This")
