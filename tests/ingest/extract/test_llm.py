"""The optional LLM reader (`briefbot reextract --llm`, and in the background of `serve`) against a
fake OpenAI-compatible server: it adds what the rules missed, its answer is used only when every
name and amount in it is in the article, it is asked once per article and model (answers are
cached by the article's text), and a server that fails costs nothing the rules found."""

from __future__ import annotations

import json
import sqlite3

from tests.clirun import briefbot, clean_env
from tests.fakes.openai_server import FakeOpenAI

TITLE = "Orion and Vega team up on battery cells"
BODY = """Orion Motors and Vega Battery will build cells together from next year.

Under the accord, both are bound to share pack designs, the companies said at a briefing in \
Seoul on March 3. Lyra Materials attended the briefing.

The plant near Ulsan is budgeted at 2.4 trillion won."""
ANSWER = {
    "agreements": [{"kind": "accord", "signed": True, "topic": "sharing pack designs",
                    "parties": ["Orion Motors", "Vega Battery"]}],
    "investments": [{"amount": "2.4 trillion won", "by": "Orion Motors", "purpose": "the Ulsan plant"}],
}
# The same, with a party and an amount the article never states: not used at all.
MADE_UP = {
    "agreements": [{"kind": "accord", "signed": True, "parties": ["Orion Motors", "Vega Battery", "Zeta Holdings"]}],
    "investments": [{"amount": "$900 million", "by": "Vega Battery", "purpose": "a second plant"}],
}


def _ingested(tmp_path):
    article = tmp_path / "orion.txt"
    article.write_text(f"{TITLE}\n\nPublished 2024-03-04\n\n{BODY}\n", encoding="utf-8")
    db = tmp_path / "briefbot.db"
    done = briefbot("--db", str(db), "ingest", str(article))
    assert done.returncode == 0, done.stderr
    return db


def _facts(db):
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT kind, amount_text, data FROM facts ORDER BY id").fetchall()
    finally:
        conn.close()


def _ask(db, line, env):
    done = briefbot("--db", str(db), "ask", line, "--json", env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_llm_adds_the_agreement_the_rules_missed_and_only_what_the_article_says(tmp_path):
    db = _ingested(tmp_path)
    assert [f[0] for f in _facts(db)] == ["investment"]  # the rules find the amount, no agreement

    with FakeOpenAI("json", answer=ANSWER) as fake:
        env = clean_env(OPENAI_BASE_URL=fake.base_url)
        done = briefbot("--db", str(db), "reextract", "--llm", env=env)
        assert done.returncode == 0, done.stderr
        asked = fake.requests
    assert "added 1 agreements and 0 amounts the rules missed" in done.stdout
    # the article went to the server between markers, with the schema's JSON asked for
    assert len(asked) == 1 and asked[0]["response_format"] == {"type": "json_object"}
    assert BODY.splitlines()[0] in asked[0]["messages"][1]["content"]

    reply = _ask(db, "/who-signed accord Orion Motors", clean_env())
    (agreement,) = reply["answers"]
    assert agreement["parties"] == ["Orion Motors", "Vega Battery"]
    assert agreement["kind"] == "accord" and agreement["status"] == "signed"
    assert agreement["read_by"] == "llm"
    assert "Orion Motors and Vega Battery" in agreement["evidence"]
    assert "Read by: the LLM" in reply["text"]
    # the amount the rules had is not doubled
    amounts = [f[1] for f in _facts(db) if f[0] == "investment"]
    assert amounts == ["2.4 trillion won"]

    # run again: the answer is cached by the article's text, nothing is asked, the facts stay
    with FakeOpenAI("error") as down:
        again = briefbot("--db", str(db), "reextract", "--llm", env=clean_env(OPENAI_BASE_URL=down.base_url))
        assert again.returncode == 0 and down.requests == []
    assert [f[0] for f in _facts(db)] == ["agreement", "investment"]
    # and the rules run again without any LLM keep what it read
    assert briefbot("--db", str(db), "reextract", env=clean_env()).returncode == 0
    assert [f[0] for f in _facts(db)] == ["agreement", "investment"]


def test_an_answer_naming_what_the_article_does_not_say_is_not_used_at_all(tmp_path):
    db = _ingested(tmp_path)
    before = _facts(db)
    with FakeOpenAI("json", answer=MADE_UP) as fake:
        done = briefbot("--db", str(db), "reextract", "--llm", env=clean_env(OPENAI_BASE_URL=fake.base_url))
        assert done.returncode == 0, done.stderr
        assert len(fake.requests) == 1
    assert "1 answer(s) not used: they named 2 name(s) or amount(s) the articles do not contain" in done.stdout
    assert _facts(db) == before  # not even Orion Motors and Vega Battery, whom the article does name
    conn = sqlite3.connect(db)
    outcome, note = conn.execute("SELECT outcome, note FROM llm_reads").fetchone()
    conn.close()
    assert outcome == "rejected" and "Zeta Holdings" in note and "$900 million" in note


def test_a_failing_server_keeps_the_rules_facts_and_says_so(tmp_path):
    db = _ingested(tmp_path)
    before = _facts(db)
    with FakeOpenAI("error") as fake:
        done = briefbot("--db", str(db), "reextract", "--llm", env=clean_env(OPENAI_BASE_URL=fake.base_url))
    assert done.returncode == 0, done.stderr
    assert "LLM: stopped asking (the LLM server answered HTTP 500)" in done.stdout
    assert "every article has the rules' facts" in done.stdout
    assert _facts(db) == before


def test_an_answer_off_the_schema_is_not_used(tmp_path):
    db = _ingested(tmp_path)
    before = _facts(db)
    off_schema = {"agreements": [{"parties": "Orion Motors and Vega Battery"}], "investments": []}
    with FakeOpenAI("json", answer=off_schema) as fake:
        done = briefbot("--db", str(db), "reextract", "--llm", env=clean_env(OPENAI_BASE_URL=fake.base_url))
    assert done.returncode == 0, done.stderr
    assert "LLM: no usable answer for 1 articles; they keep the rules' facts" in done.stdout
    assert _facts(db) == before


def test_without_a_configured_llm_it_says_what_to_set_and_changes_nothing(tmp_path):
    db = _ingested(tmp_path)
    before = _facts(db)
    done = briefbot("--db", str(db), "reextract", "--llm")
    assert done.returncode == 2
    assert "set OPENAI_BASE_URL" in done.stderr and "Traceback" not in done.stderr
    assert _facts(db) == before


def test_a_planned_agreement_is_stored_as_planned_and_a_known_one_not_twice():
    from ingest.extract import extract
    from ingest.extract.llm import add_llm_facts

    body = ("Talks between Orion Motors and Vega Battery on cell supply continue, and both sides "
            "hope to conclude them in June.\n\nA fund of 57 billion yen will back the plant.")
    answer = {"agreements": [{"kind": "deal", "signed": False, "parties": ["orion motors", "VEGA BATTERY"]}],
              "investments": [{"amount": "57 billion yen", "by": "Mitsubishi UFJ"}]}
    found = extract("Cell talks", body, "2024-05-01")
    assert not found.agreements and len(found.investments) == 1  # what the rules see
    found = add_llm_facts("Cell talks", body, "2024-05-01", found, lambda *_: answer)
    (deal,) = found.agreements
    assert (deal.origin, deal.kind, deal.status) == ("llm", "deal", "planned")
    assert [p.as_written for p in deal.parties] == ["Orion Motors", "Vega Battery"]  # the article's spelling
    assert [(i.money.text, i.origin) for i in found.investments] == [("57 billion yen", "rules")]

    again = add_llm_facts("Cell talks", body, "2024-05-01", found, lambda *_: answer)
    assert len(again.agreements) == 1 and len(again.investments) == 1
