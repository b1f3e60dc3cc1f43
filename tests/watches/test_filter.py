"""The filter language: what people type becomes a tree (stored as JSON), and what cannot be read
gets a message naming the position, with an example."""

from __future__ import annotations

import json
import time

import pytest

from watches.filter import (
    EXAMPLE,
    MAX_CHARS,
    FilterError,
    compile_regex,
    parse,
    parse_amount,
    to_text,
)


def test_juxtaposition_is_and_and_or_binds_looser():
    tree = parse('samsung "SK hynix" OR packaging')
    assert tree == {"t": "or", "c": [
        {"t": "and", "c": [{"t": "word", "v": "samsung"}, {"t": "phrase", "v": "SK hynix"}]},
        {"t": "word", "v": "packaging"},
    ]}


def test_fields_not_and_parentheses_make_a_tree_that_survives_json_and_prints_back():
    text = 'party:"SK hynix" kind:agreement NOT (rumor OR "in talks") lang:en source:"Korea Herald" org:MOTIE'
    tree = parse(text)
    assert json.loads(json.dumps(tree)) == tree
    assert parse(to_text(tree)) == tree
    assert to_text(tree) == 'party:"SK hynix" kind:agreement NOT (rumor OR "in talks") lang:en source:"Korea Herald" org:MOTIE'


def test_lowercase_and_or_not_are_just_words():
    assert parse("research and development") == {"t": "and", "c": [
        {"t": "word", "v": "research"}, {"t": "word", "v": "and"}, {"t": "word", "v": "development"}]}


@pytest.mark.parametrize(("written", "value", "currency"), [
    ("1tn KRW", 1e12, "KRW"),
    ("KRW 1tn", 1e12, "KRW"),
    ("1 trillion won", 1e12, "KRW"),
    ("$500m", 5e8, "USD"),
    ("500 million dollars", 5e8, "USD"),
    ("€2bn", 2e9, "EUR"),
    ("300억원", 3e10, "KRW"),
    ("1조 2000억원", 1.2e12, "KRW"),
])
def test_amounts_are_read_in_the_currency_written(written, value, currency):
    assert parse_amount(written) == (value, currency)
    node = parse(f"amount>={written}")
    assert (node["t"], node["op"], node["value"], node["currency"]) == ("amount", ">=", value, currency)


@pytest.mark.parametrize(("text", "message", "position"), [
    ("(samsung OR hynix", "a “(” is not closed", 1),
    ("samsung) hynix", "a “)” has no “(” before it", 8),
    ("samsung OR", "OR needs a term after it", 11),
    ("AND samsung", "AND needs a term before it", 1),
    ("topic:chips", "“topic:” is not a field I know", 1),
    ("packaging amount>=KRW", "“KRW” is an amount without a number", 11),
    ("amount>=500", "“500” has no currency", 1),
    ("kind:merger", "kind:merger is not a kind I know", 1),
    ('"advanced packaging', "a quote is not closed", 1),
    ("re:/(sk/", "the pattern cannot be read", 1),
    (r"re:/(a)\1/", "the pattern cannot be read", 1),
])
def test_a_syntax_error_names_the_position_and_shows_an_example(text, message, position):
    with pytest.raises(FilterError) as err:
        parse(text)
    assert err.value.message.startswith(message)
    assert err.value.position == position
    lines = err.value.lines(text)
    assert lines[0].endswith(f"(at character {position})")
    assert lines[-1] == f"Example: {EXAMPLE}"


def test_a_filter_of_ten_thousand_characters_is_refused_without_reading_it():
    with pytest.raises(FilterError, match=f"10,000 characters long; the limit is {MAX_CHARS:,}"):
        parse("chips " * 1666 + "chip")


def test_a_pattern_is_linear_time_case_blind_and_refuses_what_re2_cannot_promise():
    rx = compile_regex(r"sk\s?hynix")
    assert rx.search("SK Hynix signs") is not None
    evil = compile_regex(r"(a+)+$")  # exponential in a backtracking engine
    started = time.perf_counter()
    assert evil.search("a" * 30_000 + "!") is None
    assert time.perf_counter() - started < 1.0
