"""kill -9 in the middle of a large ingest, then start again: nothing half-stored, nothing doubled."""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

from bench.corpus import generate
from ingest.pipeline import BATCH
from storage.backup import verify_database
from tests.clirun import briefbot, start_briefbot, wait_for

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

    again = briefbot("--db", str(db), "ingest", str(corpus), timeout=120)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[-1].startswith(
        f"{FILES} inputs: {FILES - kept} new, 0 updated, {kept} duplicate, 0 failed; {FILES} articles in ")
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
