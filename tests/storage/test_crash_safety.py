"""kill -9 in the middle of a large ingest, then start again: nothing half-stored, nothing doubled."""

from __future__ import annotations

import json
import signal
import sqlite3
from pathlib import Path

from bench.corpus import generate
from bench.facts_snapshot import dump_db
from ingest.pipeline import BATCH, ingest_paths
from storage.backup import verify_database
from storage.db import open_db
from storage.extraction import count_unread
from tests.clirun import briefbot, start_briefbot, wait_for
from tests.conftest import SEEDS, SIGNATORIES

FILES = 3000


def write_corpus(folder, n: int) -> None:
    """``n`` synthetic article files, as a user's folder of saved articles."""
    folder.mkdir()
    for i, a in enumerate(generate(n, words=150)):
        (folder / f"{i:05d}.txt").write_text(f"{a.title}\n\nPosted {a.published}\n\n{a.body}\n", encoding="utf-8")


def stored(db) -> int:
    """Articles committed so far (0 while the database is being created)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return 0
    try:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def without_facts(db) -> int:
    """Stored articles whose facts were never stored (what `doctor` counts)."""
    conn = sqlite3.connect(db)
    try:
        return count_unread(conn)
    finally:
        conn.close()


def _children(pid: int) -> list[int]:
    """The processes ``pid`` started (Linux /proc)."""
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_kill_9_during_a_large_ingest_then_ingest_again(tmp_path):
    corpus, db = tmp_path / "corpus", tmp_path / "briefbot.db"
    write_corpus(corpus, FILES)

    proc = start_briefbot("--db", str(db), "ingest", str(corpus))
    proc.stdin.close()
    wait_for(lambda: stored(db) >= BATCH or proc.poll() is not None, timeout=60, step=0.01)
    started = _children(proc.pid)  # the process that reads facts beside the parsing
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(10) == -signal.SIGKILL, "the ingest finished before it could be killed"
    proc.stdout.close()
    proc.stderr.close()
    # nothing the ingest started outlives it
    assert started, "a 3,000-file ingest reads facts in a second process"
    wait_for(lambda: not any(_alive(pid) for pid in started), timeout=10, step=0.05)

    # The database opens clean; every article has its full-text row and vice versa.
    assert verify_database(db) == []
    conn = sqlite3.connect(db)
    try:
        kept = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert 0 < kept < FILES
        assert kept % BATCH == 0, "a batch was half-stored"
        logged = conn.execute("SELECT count(*) FROM ingest_log WHERE outcome = 'new'").fetchone()[0]
        assert logged == kept
        orphans = conn.execute(
            "SELECT count(*) FROM ingest_log WHERE article_id NOT IN (SELECT id FROM articles)").fetchone()[0]
        assert orphans == 0
    finally:
        conn.close()

    # Some stored articles have no facts yet (the second process was reading them): doctor says
    # so and what to run.
    unread = without_facts(db)
    assert unread >= BATCH
    doctor = briefbot("--db", str(db), "doctor", "--offline")
    assert (f"warn  facts     {unread:,} article(s) are stored without their facts (an ingest was "
            "interrupted): run `briefbot reextract --pending`") in doctor.stdout

    again = briefbot("--db", str(db), "ingest", str(corpus), timeout=120)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[-2] == (
        f"Also read the facts of {unread} article(s) an interrupted earlier run had stored without them.")
    assert again.stdout.splitlines()[-1].startswith(
        f"{FILES} inputs: {FILES - kept} new, 0 updated, {kept} duplicate, 0 failed; {FILES} articles in ")
    # Every article has its facts, exactly those an uninterrupted ingest stores.
    assert without_facts(db) == 0
    clean = tmp_path / "clean.db"
    assert briefbot("--db", str(clean), "ingest", str(corpus), timeout=120).returncode == 0
    assert dump_db(open_db(db)) == dump_db(open_db(clean))
    assert verify_database(db) == []
    conn = sqlite3.connect(db)
    try:
        total, titles, paths, hashes = conn.execute(
            "SELECT count(*), count(DISTINCT title), count(DISTINCT path), count(DISTINCT content_hash) "
            "FROM articles").fetchone()
    finally:
        conn.close()
    assert total == titles == paths == hashes == FILES
    # And the whole set answers searches.
    found = briefbot("--db", str(db), "ask", "/find advanced packaging", "--json")
    assert found.returncode == 0 and '"ok": true' in found.stdout


def test_articles_stored_before_a_crash_get_their_facts_when_every_file_is_a_duplicate(tmp_path):
    # The state a kill -9 leaves between the two transactions: the articles are stored, their
    # facts are not (the pipeline without its extraction hook stores exactly that).
    db = tmp_path / "briefbot.db"
    conn = open_db(db)
    report = ingest_paths(conn, [SEEDS])
    assert len(set(report.article_ids)) == 4
    conn.close()
    lost = briefbot("--db", str(db), "ask", "/who-signed packaging MOU")
    assert "Samsung Electronics" not in lost.stdout
    doctor = briefbot("--db", str(db), "doctor", "--offline")
    assert "warn  facts     4 article(s) are stored without their facts" in doctor.stdout

    again = briefbot("--db", str(db), "ingest", str(SEEDS))
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    assert lines[-2] == "Also read the facts of 4 article(s) an interrupted earlier run had stored without them."
    assert lines[-1].startswith("4 inputs: 0 new, 0 updated, 4 duplicate, 0 failed; 4 articles in ")

    answer = briefbot("--db", str(db), "ask", "/who-signed packaging MOU", "--json")
    agreement = json.loads(answer.stdout)["answers"][0]
    assert sorted(agreement["parties"]) == sorted(SIGNATORIES)
    assert "ok    facts     every stored article's facts are stored" in briefbot(
        "--db", str(db), "doctor", "--offline").stdout
    # A third ingest has nothing left to read, and nothing is read twice.
    third = briefbot("--db", str(db), "ingest", str(SEEDS))
    assert "Also read" not in third.stdout
    facts = sqlite3.connect(db).execute("SELECT count(*) FROM facts WHERE kind = 'agreement'").fetchone()[0]
    fresh = tmp_path / "fresh.db"
    briefbot("--db", str(fresh), "ingest", str(SEEDS))
    assert facts == sqlite3.connect(fresh).execute(
        "SELECT count(*) FROM facts WHERE kind = 'agreement'").fetchone()[0]
