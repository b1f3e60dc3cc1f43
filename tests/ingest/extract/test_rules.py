"""The agreement rules as objects: each phrasing is read by the rule named for it, and a rule's
cheap word test never turns away a clause its reader would have read."""

from pathlib import Path

import pytest

from ingest.extract import extract, lexicon
from ingest.extract.agreements import RULES, TRIGGER, Clause, _context
from ingest.extract.common import Context, strip_dateline
from ingest.extract.names import fold, name_key
from ingest.extract.orgs import builtin_index
from ingest.extract.rules import Reject, Rule, first
from ingest.extract.sentences import split_sentences
from ingest.parse import parse_bytes

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    "body, rule, expected",
    [
        ("The companies that signed MoUs with the state included Orion Motors and Vega Battery.",
         "list-header", ["Orion Motors", "Vega Battery"]),
        ("Signatories to the agreement included Alpha Corp., Beta Systems and Gamma Labs.",
         "signatories", ["Alpha", "Beta Systems", "Gamma Labs"]),
        ("The plant will be run by a consortium of Orion Motors, Vega Battery and Lyra Materials.",
         "consortium", ["Orion Motors", "Vega Battery", "Lyra Materials"]),
        ("An MOU was signed between Orion Motors and Vega Battery in Seoul.",
         "between", ["Orion Motors", "Vega Battery"]),
        ("Orion Motors signed an MOU with Vega Battery and Lyra Materials on solid-state cells.",
         "active", ["Orion Motors", "Vega Battery", "Lyra Materials"]),
        ("The pact was signed by Orion Motors, Vega Battery as well as Lyra Materials.",
         "passive", ["Orion Motors", "Vega Battery", "Lyra Materials"]),
        ("Orion Motors partnered with Seoul-based Vega Battery to develop cells.",
         "partner", ["Orion Motors", "Vega Battery"]),
        ("The MOU was signed on Tuesday at the ministry.", "named-only", []),
    ],
)
def test_each_phrasing_is_read_by_its_rule(body, rule, expected):
    found = extract("Test", body, "2024-09-11").agreements
    assert len(found) == 1, found
    assert found[0].rule == rule
    assert [name_key(p.name) for p in found[0].parties] == [name_key(n) for n in expected]


def test_a_clause_that_shares_the_verb_before_is_read_by_the_gapped_rule():
    body = ("Madhya Pradesh signed two MoUs with Singapore entities. The Directorate of Planning signed "
            "with Orion Motors on urban planning; the Department of Education with Vega Battery on skills "
            "training.")
    found = extract("Test", body, "2016-01-19").agreements
    by_rule = {a.rule: [p.name for p in a.parties] for a in found}
    assert by_rule["signed-with"] == ["Directorate of Planning", "Orion Motors"]
    assert by_rule["gapped"] == ["Department of Education", "Vega Battery"]


def test_the_losing_consortium_is_rejected_whatever_later_rules_find():
    body = "The bid beat a rival consortium of Orion Motors and Vega Battery, which signed a deal."
    assert extract("Test", body, "2024-09-11").agreements == []


def test_rules_have_unique_names_and_lower_case_needs():
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    for rule in RULES:
        assert all(n == n.lower() for n in rule.needs), rule.name


def _real_sentences():
    """Every sentence that names an agreement in the labelled articles and the seeds, as the
    pipeline parses them."""
    folders = [ROOT / "tests" / "eval" / "articles", ROOT / "seeds"]
    for folder in folders:
        for path in sorted(folder.iterdir()):
            try:
                articles = parse_bytes(path.read_bytes(), path=str(path)).articles
            except Exception:  # a seed delivered broken is parsed with warnings elsewhere
                continue
            for art in articles:
                for sent in split_sentences(art.body):
                    if TRIGGER.search(sent.text):
                        yield art, sent


def test_a_rules_word_test_never_turns_away_what_its_reader_reads():
    """Run every rule's reader on every agreement sentence of real articles, whether or not its
    words are there: wherever it reads something, its word test must let the clause in."""
    ctx = Context(index=builtin_index())
    checked = 0
    for art, sent in _real_sentences():
        text = strip_dateline(fold(sent.text))
        clause = Clause(sent, text, _context(ctx, art.body, sent), ctx)
        for rule in RULES:
            if not rule.needs:
                continue
            result = rule.read(clause)
            if result is not None and (isinstance(result, Reject) or result.parties):
                checked += 1
                assert rule.applies(clause.low), f"{rule.name} needs {rule.needs} but read: {sent.text}"
    assert checked > 10


def test_the_loop_keeps_a_partyless_find_until_a_rule_names_parties():
    rules = [
        Rule("kind-only", (), lambda c: "MOU"),
        Rule("never", ("zzz",), lambda c: "unreachable"),
        Rule("parties", (), lambda c: "MOU with parties"),
    ]
    out = first(rules, "an mou", None, done=lambda f: "parties" in f)
    assert (out.found, out.rule, out.tried) == ("MOU with parties", "parties", ["kind-only", "parties"])


def test_every_hot_word_comes_from_a_rule_word_list():
    assert lexicon.HOT_WORDS == lexicon.AGREEMENT_WORDS | lexicon.ROLE_WORDS | lexicon.EVENT_WORDS
    assert {"mou", "signed", "minister", "forum"} <= lexicon.HOT_WORDS


@pytest.mark.parametrize("text, rest", [
    ("Seoul, September 14, 2022 – Today, USAID and MOFA signed an MOU.", "Today, USAID and MOFA signed an MOU."),
    ("The MOU was signed by A and B on March 3, 2024 – a milestone.",
     "The MOU was signed by A and B on March 3, 2024 - a milestone."),
])
def test_a_dateline_with_the_month_spelt_out_is_cut_once_the_dash_is_folded(text, rest):
    assert strip_dateline(fold(text)) == rest


@pytest.mark.parametrize("text, rest", [
    ("Vienna, Austria - Energy Secretary Jane Roe signed an agreement.", "Energy Secretary Jane Roe signed an agreement."),
    ("Maputo, Mozambique —Today, the Orion Corporation signed a grant.", "Today, the Orion Corporation signed a grant."),
    ("Washington, D.C. — At its quarterly meeting today, the board approved it.",
     "At its quarterly meeting today, the board approved it."),
    ("WASHINGTON, D.C. – (June 7, 2006) Supporting the growth of key sectors.", "Supporting the growth of key sectors."),
    ("(PRESS RELEASE) LUXEMBOURG,  8-Feb-2024 — /EuropaWire/ — The Orion Bank and Vega signed a loan.",
     "The Orion Bank and Vega signed a loan."),
    # a name in title case before a dash is no dateline without its country or state
    ("Korea Eximbank — the lender — signed a loan.", "Korea Eximbank - the lender - signed a loan."),
    ("Samsung and LG - two rivals - signed an MOU.", "Samsung and LG - two rivals - signed an MOU."),
])
def test_datelines_as_releases_write_them_are_cut_and_names_before_a_dash_are_not(text, rest):
    assert strip_dateline(fold(text)) == rest
