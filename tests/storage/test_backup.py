"""Backup while the bot writes, restore (verified, old copy kept), export as JSON Lines."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from storage.backup import verify_database
from tests.clirun import Lines, briefbot, start_briefbot, wait_for
from tests.conftest import ROOT, SIGNATORIES

BATCH = 25

# A second process that stores synthetic articles in transactions of BATCH until killed.
WRITER = f"""
import sys
from bench.corpus import generate
from ingest.article import Article
from storage.articles import store_articles
from storage.db import open_db

db = open_db(sys.argv[1])
batch = []
for n, a in enumerate(generate(100_000, words=80)):
    batch.append(Article(title=a.title, body=a.body, url=a.url, published=a.published))
    if len(batch) == {BATCH}:
        store_articles(db, batch)
        batch = []
        if n == {BATCH} * 4 - 1:
            print("writing", flush=True)
"""


def articles(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        conn.close()


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backup_is_consistent_while_another_process_writes(tmp_path):
    live = tmp_path / "live.db"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(live)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "writing"
        counts = []
        for i in range(3):
            out = tmp_path / f"backup-{i}.db"
            result = briefbot("--db", str(live), "backup", str(out))
            assert result.returncode == 0, result.stderr
            assert writer.poll() is None, "the writer must still be running during the backup"
            count = articles(out)
            assert result.stdout.startswith(f"Backed up {live} to {out}: {count:,} articles")
            # Only whole transactions: the copy is a snapshot between two commits.
            assert count > 0 and count % BATCH == 0
            assert verify_database(out) == []
            assert not (tmp_path / f"backup-{i}.db-wal").exists()  # one self-contained file
            counts.append(count)
        assert counts == sorted(counts) and counts[-1] > counts[0]
    finally:
        writer.kill()
        writer.wait(10)
    assert articles(live) >= counts[-1]


def test_backup_while_serving_restores_to_the_same_answers(tmp_path):
    live = tmp_path / "live.db"
    proc = start_briefbot("--db", str(live), "serve", "console")
    err = Lines(proc.stderr)
    try:
        wait_for(lambda: (tmp_path / "heartbeat.json").exists())
        backup = briefbot("--db", str(live), "backup", str(tmp_path))  # a folder: dated file name
        assert backup.returncode == 0, backup.stderr
        [made] = tmp_path.glob("briefbot-*.db")
        # Restoring over the database of a running bot is refused; nothing changes.
        before = digest(live)
        refused = briefbot("--db", str(live), "restore", str(made))
        assert refused.returncode == 1
        assert refused.stderr.strip() == (f"briefbot restore: briefbot is serving this database (pid {proc.pid}); "
                                          "stop it first (or use --force if that process is gone).")
        assert digest(live) == before
        restored = tmp_path / "restored" / "briefbot.db"
        result = briefbot("--db", str(restored), "restore", str(made))
        assert result.returncode == 0, result.stderr
        assert result.stdout == f"Restored {made} to {restored}: 4 articles.\n"
        for question in ("/who-signed packaging MOU", "/find packaging", "/latest 5", "/find neuromorphic"):
            a = briefbot("--db", str(live), "ask", question, "--json")
            b = briefbot("--db", str(restored), "ask", question, "--json")
            assert a.returncode == b.returncode == 0
            assert json.loads(a.stdout) == json.loads(b.stdout)
            if question.startswith("/who-signed"):
                assert sorted(json.loads(b.stdout)["answers"][0]["parties"]) == sorted(SIGNATORIES)
    finally:
        proc.stdin.close()
        assert proc.wait(10) == 0, err.text()


def test_restore_keeps_the_replaced_database_aside(seeded, tmp_path):
    backup = tmp_path / "seeds-backup.db"
    assert briefbot("--db", seeded.settings.db_path, "backup", str(backup)).returncode == 0
    other = tmp_path / "other.db"
    assert briefbot("--db", str(other), "ingest", str(ROOT / "seeds" / "000_e6b5f402e9bfc58c.txt")).returncode == 0
    result = briefbot("--db", str(other), "restore", str(backup))
    assert result.returncode == 0, result.stderr
    [kept] = tmp_path.glob("other.db.before-restore-*")
    assert result.stdout.splitlines()[1] == f"The previous database is kept at {kept}."
    assert articles(other) == 4 and articles(kept) == 1
    assert verify_database(kept) == [] and verify_database(other) == []


@pytest.mark.parametrize("kind", ["text file", "foreign sqlite", "corrupted briefbot"])
def test_restore_refuses_what_is_not_a_good_briefbot_database(seeded, tmp_path, kind):
    live = seeded.settings.db_path
    seeded.close()
    bad = tmp_path / "bad.db"
    if kind == "text file":
        bad.write_text("hello\n" * 1000)
        expected = "is not a usable SQLite database: file is not a database"
    elif kind == "foreign sqlite":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.commit()
        conn.close()
        expected = "is not a briefbot database (no briefbot migrations or articles table)"
    else:
        assert briefbot("--db", live, "backup", str(bad)).returncode == 0
        data = bytearray(bad.read_bytes())
        page = 4096
        data[3 * page: 3 * page + 512] = b"\xff" * 512  # wreck a b-tree page in the middle
        bad.write_bytes(bytes(data))
        expected = "is not a usable SQLite database: database disk image is malformed"
    before = digest(Path(live))
    result = briefbot("--db", live, "restore", str(bad))
    assert result.returncode == 1
    assert result.stderr.startswith(f"briefbot restore: not restoring {bad}: ")
    assert expected in result.stderr
    assert digest(Path(live)) == before
    assert not list(tmp_path.glob("*.before-restore-*"))
    assert briefbot("--db", live, "ask", "/find neuromorphic").returncode == 0


def test_backup_refuses_a_missing_database_and_its_own_path(tmp_path, seeded):
    missing = briefbot("--db", str(tmp_path / "none.db"), "backup", str(tmp_path / "b.db"))
    assert missing.returncode == 1
    assert missing.stderr.strip() == f"briefbot backup: no database at {tmp_path / 'none.db'} (set BRIEFBOT_DB or --db)"
    itself = briefbot("--db", seeded.settings.db_path, "backup", seeded.settings.db_path)
    assert itself.returncode == 1 and "the backup path is the live database itself" in itself.stderr


def test_export_jsonl_has_every_article_and_then_facts(seeded, tmp_path):
    db = seeded.settings.db_path
    stored = {r[0]: r[1] for r in seeded.db.execute("SELECT id, title FROM articles").fetchall()}
    n_entities = seeded.db.execute("SELECT count(*) FROM entities").fetchone()[0]
    n_facts = seeded.db.execute("SELECT count(*) FROM facts").fetchone()[0]
    assert n_entities and n_facts  # ingest extracted facts from the seeds

    out = tmp_path / "export.jsonl"
    result = briefbot("--db", db, "export", "--format", "jsonl", "--output", str(out))
    assert result.returncode == 0 and result.stdout == ""
    assert result.stderr.strip() == f"Exported 4 articles, {n_entities} entities, {n_facts} facts to {out}."
    records = [json.loads(line) for line in out.read_text().splitlines()]
    kinds = [r["type"] for r in records]
    assert kinds == ["article"] * 4 + ["entity"] * n_entities + ["fact"] * n_facts
    assert {r["id"]: r["title"] for r in records if r["type"] == "article"} == stored
    assert all(r["body"] and r["fetched"] for r in records if r["type"] == "article")
    motie = next(r for r in records if r["type"] == "entity" and r["name"] == "Ministry of Trade, Industry and Energy")
    assert "MOTIE" in motie["aliases"]
    signed = next(r for r in records if r["type"] == "fact" and len(r["parties"]) == 11)
    assert [p["entity"] for p in signed["parties"]][:3] == [
        "Ministry of Trade, Industry and Energy", "Samsung Electronics", "SK hynix"]
    assert signed["evidence"].startswith("Signatories to the agreement included the MOTIE")

    # to stdout as well, with the same records
    result = briefbot("--db", db, "export", "--format", "jsonl")
    assert result.returncode == 0
    assert [json.loads(line) for line in result.stdout.splitlines()] == records


def test_export_of_a_missing_database_says_so(tmp_path):
    result = briefbot("--db", str(tmp_path / "none.db"), "export", "--format", "jsonl")
    assert result.returncode == 1
    assert "no database at" in result.stderr and result.stdout == ""
    assert not (tmp_path / "none.db").exists()



def test_two_restores_in_the_same_second_keep_every_earlier_database(seeded, tmp_path):
    from datetime import UTC, datetime

    from storage.backup import restore_db

    same_second = lambda: datetime(2025, 8, 29, 12, 0, 0, tzinfo=UTC)  # noqa: E731
    backup = tmp_path / "seeds-backup.db"
    assert briefbot("--db", seeded.settings.db_path, "backup", str(backup)).returncode == 0
    live = tmp_path / "live.db"
    assert briefbot("--db", str(live), "ingest", str(ROOT / "seeds" / "000_e6b5f402e9bfc58c.txt")).returncode == 0
    original = digest(live)

    first = restore_db(backup, live, clock=same_second)
    assert articles(live) == 4
    second = restore_db(backup, live, clock=same_second)
    assert first.kept == str(tmp_path / "live.db.before-restore-20250829-120000")
    assert second.kept == str(tmp_path / "live.db.before-restore-20250829-120000-2")
    # The database the user had before the first restore is still there, untouched.
    assert digest(Path(first.kept)) == original and articles(first.kept) == 1
    assert articles(second.kept) == 4 and verify_database(second.kept) == []


def test_a_damaged_live_database_can_be_restored_over_and_is_kept_aside(seeded, tmp_path):
    backup = tmp_path / "seeds-backup.db"
    assert briefbot("--db", seeded.settings.db_path, "backup", str(backup)).returncode == 0
    live = tmp_path / "damaged.db"
    live.write_bytes(backup.read_bytes()[:5000])  # cut off mid-file
    damaged = live.read_bytes()
    asked = briefbot("--db", str(live), "ask", "/find packaging")
    assert asked.returncode == 78 and "restore a backup with `briefbot restore PATH`" in asked.stderr
    result = briefbot("--db", str(live), "restore", str(backup))
    assert result.returncode == 0, result.stderr
    [kept] = tmp_path.glob("damaged.db.before-restore-*")
    assert kept.read_bytes() == damaged and articles(live) == 4


def test_two_backups_into_a_folder_in_the_same_second_are_both_kept(seeded, tmp_path):
    from datetime import UTC, datetime

    from storage.backup import backup_db

    same_second = lambda: datetime(2025, 8, 29, 12, 0, 0, tzinfo=UTC)  # noqa: E731
    folder = tmp_path / "backups"
    folder.mkdir()
    first = backup_db(seeded.settings.db_path, folder, clock=same_second)
    seeded.ask("/whois alias KSIA chip lobby = Korea Semiconductor Industry Association", is_admin=True)
    second = backup_db(seeded.settings.db_path, folder, clock=same_second)
    assert Path(first.path).name == "briefbot-20250829-120000.db"
    assert Path(second.path).name == "briefbot-20250829-120000-2.db"
    with sqlite3.connect(first.path) as a, sqlite3.connect(second.path) as b:
        query = "SELECT count(*) FROM aliases WHERE alias = 'KSIA chip lobby'"
        assert a.execute(query).fetchone()[0] == 0 and b.execute(query).fetchone()[0] == 1
