"""Dispatch: an argument too long is refused where it enters, and a command past its time budget
answers with what it found (or says it was stopped), never with a stall or "Sorry, … failed"."""

from __future__ import annotations

import sqlite3
import time

import pytest

from bot.core.context import Budget
from bot.core.registry import MODULES, get_command

# A recursive query that keeps SQLite busy for as long as it is let (a stand-in for a query that
# reads a whole archive): its progress handler is what stops it.
SLOW_SQL = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000) "
            "SELECT count(*) FROM n")


@pytest.mark.parametrize("name", sorted(set(MODULES.values()) - {"briefbot"}))
def test_a_100000_character_argument_is_refused_at_once_and_nothing_is_stored(seeded, name):
    cmd = get_command(name.replace("_", "-"))
    before = [seeded.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("sources", "watches", "digest_subscriptions", "aliases", "audit")]
    started = time.perf_counter()
    reply = seeded.ask(f"/{cmd.name} add " + "packaging " * 10_000, is_admin=True)
    elapsed = time.perf_counter() - started

    assert elapsed < 1.0
    assert reply.kind == "usage" and "100,003 characters, too long" in reply.title  # the last space aside
    assert f"reads at most {cmd.max_text:,} characters" in reply.lines[0] and "nothing was run" in reply.lines[0]
    after = [seeded.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
             for t in ("sources", "watches", "digest_subscriptions", "aliases", "audit")]
    assert after == before


def test_through_the_umbrella_the_command_named_applies_its_own_limit(seeded):
    reply = seeded.ask("/briefbot who-signed " + "x" * 400)
    assert reply.kind == "usage" and reply.title.startswith("/who-signed: that is 400 characters")
    assert seeded.ask("/briefbot who-signed " + "packaging MOU " + "x" * 200).kind in ("answer", "empty")


def test_a_topic_of_a_few_hundred_characters_is_still_answered(seeded):
    topic = ("the advanced packaging memorandum of understanding signed at Eltower in Seoul by the trade "
             "ministry with Samsung Electronics SK hynix LG Chem Hana Micron and the others ")
    assert len(topic) < 300
    reply = seeded.ask(f"/who-signed {topic}")
    assert reply.kind == "answer"
    assert "Samsung Electronics" in reply.answers[0].data["parties"]


def test_a_read_past_the_budget_is_stopped_once_and_the_command_answers_with_what_it_found(seeded):
    db = seeded.db
    budget = Budget(0.05)
    db.conn.set_progress_handler(lambda: 1 if budget.stop_reading() else 0, 1000)
    try:
        started = time.perf_counter()
        found = budget.run(lambda: db.execute(SLOW_SQL).fetchone()[0], default=None)
        assert found is None and budget.cut
        assert time.perf_counter() - started < 1.0
        # within the grace that follows, what was found is still read…
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 4
        # …and past it, every read is stopped
        time.sleep(1.1)
        with pytest.raises(sqlite3.OperationalError, match="interrupted"):
            db.execute(SLOW_SQL).fetchone()
    finally:
        db.conn.set_progress_handler(None, 0)


def test_a_command_out_of_time_says_so_at_its_foot_and_shows_what_it_has(seeded):
    ctx = seeded.context()
    ctx.budget_s = 0.0  # spent before it starts: every optional step gives way
    from bot.core.dispatch import run_line

    reply = run_line("/whois MOTIE", ctx)
    assert reply.kind == "answer" and reply.answers[0].title.startswith("Ministry of Trade, Industry and Energy")
    assert "Stopped after 0 s: this is what was found by then" in reply.footer
    assert "Sorry" not in reply.title

    reply = run_line("/who-signed packaging MOU", ctx)
    assert "Sorry" not in reply.title
    assert reply.kind in ("answer", "empty") and "Stopped after 0 s" in (reply.footer or "")
