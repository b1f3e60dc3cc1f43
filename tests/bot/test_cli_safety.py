"""The command line when things go wrong around it: a bad --db, a closed pipe, a second writer,
a missing token, a start in another folder. One clear line each, and nothing lost."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time

import pytest

from bench.corpus import generate
from storage.extraction import count_unread
from tests.clirun import Lines, briefbot, clean_env, start_briefbot
from tests.conftest import ROOT, SEEDS, SIGNATORIES


def run(db, *args, **kw) -> subprocess.CompletedProcess:
    return briefbot("--db", str(db), *args, **kw)


@pytest.fixture
def seeded_db(tmp_path):
    db = tmp_path / "seeded.db"
    assert run(db, "ingest", str(SEEDS)).returncode == 0
    return db


def _facts(db) -> tuple[int, int, int]:
    """(articles, articles without facts, agreements)."""
    with sqlite3.connect(db) as conn:
        return (conn.execute("SELECT count(*) FROM articles").fetchone()[0], count_unread(conn),
                conn.execute("SELECT count(*) FROM facts WHERE kind = 'agreement'").fetchone()[0])


# --------------------------------------------------------------------------- --db is not usable


def _not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("my notes, not a database\n" * 200)
    return path, "is not an SQLite database (file is not a database); check --db or BRIEFBOT_DB"


def _truncated(tmp_path):
    whole = tmp_path / "whole.db"
    assert run(whole, "ingest", str(SEEDS)).returncode == 0
    with sqlite3.connect(whole) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = tmp_path / "truncated.db"
    path.write_bytes(whole.read_bytes()[:6000])
    return path, ("is damaged (database disk image is malformed); restore a backup with `briefbot "
                  "restore PATH` (the damaged file is kept aside)")


def _folder(tmp_path):
    path = tmp_path / "data"
    path.mkdir()
    return path, f"is a folder; --db and BRIEFBOT_DB must name a file inside it (e.g. {path / 'briefbot.db'})"


def _foreign(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts(name TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('Alice')")
    return path, ("is not a briefbot database: it is an SQLite database of another program (no briefbot "
                  "tables); choose another file with --db or BRIEFBOT_DB")


@pytest.mark.parametrize("make", [_not_a_database, _truncated, _folder, _foreign])
@pytest.mark.parametrize("command", [["ask", "/find packaging"], ["ingest", str(SEEDS)]])
def test_a_db_that_is_not_a_usable_database_gives_one_line_and_is_left_alone(tmp_path, make, command):
    path, reason = make(tmp_path)
    before = path.read_bytes() if path.is_file() else None
    result = run(path, *command)
    assert result.returncode == 78
    assert result.stderr.splitlines() == [f"briefbot {command[0]}: {path} {reason}"]
    assert result.stdout == ""
    if before is not None:
        assert path.read_bytes() == before
    else:
        assert list(path.iterdir()) == []


# --------------------------------------------------------------------------- output to `| head`


@pytest.mark.parametrize("command", [
    ["ask", "/latest 10"], ["ask", "/who-signed packaging MOU", "--json"], ["ingest", str(SEEDS)],
    ["doctor", "--offline"], ["digest", "preview"], ["sources", "list"], ["export"],
])
def test_a_reader_that_stops_reading_ends_the_command_quietly(seeded_db, command):
    proc = subprocess.Popen([sys.executable, "-m", "bot", "--db", str(seeded_db), *command], cwd=ROOT,
                            env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # `| head` that has read what it wanted
    err = proc.stderr.read()
    assert proc.wait(60) in (0, 141)
    assert "Traceback" not in err and "BrokenPipeError" not in err and "Exception ignored" not in err


def test_digest_run_into_a_closed_pipe_is_posted_once(tmp_path, seeded_db):
    proc = subprocess.Popen([sys.executable, "-m", "bot", "--db", str(seeded_db), "digest", "run",
                             "--channel", "console"], cwd=ROOT, env=clean_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(60) in (0, 141), err
    assert "posted console:console (all topics): 3 stories" in err and "Traceback" not in err
    again = run(seeded_db, "digest", "run", "--channel", "console")
    assert again.returncode == 0
    assert "already posted console:console (all topics) for this period" in again.stderr
    assert again.stdout == ""  # not posted a second time
    with sqlite3.connect(seeded_db) as conn:
        assert conn.execute("SELECT status, attempts FROM digest_posts").fetchall() == [("sent", 1)]


# --------------------------------------------------------------------------- two writers


def _write_corpus(folder, n: int, seed: int) -> None:
    folder.mkdir()
    for i, a in enumerate(generate(n, seed=seed, words=150)):
        (folder / f"{seed}-{i:05d}.txt").write_text(f"{a.title}\n\n{a.published}\n\n{a.body}\n", encoding="utf-8")


@pytest.mark.slow
def test_two_ingests_into_one_database_take_turns_and_lose_nothing(tmp_path):
    one, two, db = tmp_path / "one", tmp_path / "two", tmp_path / "briefbot.db"
    _write_corpus(one, 1200, seed=7)
    _write_corpus(two, 1200, seed=11)
    first = start_briefbot("--db", str(db), "ingest", str(one))
    time.sleep(0.3)  # the first has created the database and is storing
    second = start_briefbot("--db", str(db), "ingest", str(two))
    for proc in (first, second):
        proc.stdin.close()
    readers = [(Lines(p.stdout), Lines(p.stderr)) for p in (first, second)]  # pipes never fill
    codes = [p.wait(180) for p in (first, second)]
    for code, (out, err) in zip(codes, readers, strict=True):
        out.thread.join(10)
        err.thread.join(10)
        out, err = out.text(), err.text()
        assert code == 0, err
        assert "Traceback" not in err and "locked" not in err
        assert out.splitlines()[-1].startswith("1200 inputs: 1200 new, 0 updated, 0 duplicate, 0 failed")
    assert _facts(db) == (2400, 0, 2400)  # every article stored once, with its facts


def test_an_ingest_that_waits_too_long_says_so_in_one_line_and_a_rerun_finishes(tmp_path, seeded_db):
    folder = tmp_path / "more"
    _write_corpus(folder, 20, seed=3)
    holder = sqlite3.connect(seeded_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
    try:
        started = time.monotonic()
        result = run(seeded_db, "ingest", str(folder), env=clean_env(BRIEFBOT_BUSY_TIMEOUT="1"))
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 75
    assert result.stderr.splitlines() == [
        f"briefbot ingest: the database {seeded_db} stayed busy (another briefbot process kept "
        "writing to it); nothing was lost: what was stored is kept, run the command again to finish"]
    assert waited >= 1
    assert _facts(seeded_db)[0] == 4
    again = run(seeded_db, "ingest", str(folder))
    assert again.returncode == 0 and again.stdout.splitlines()[-1].startswith("20 inputs: 20 new")
    assert _facts(seeded_db) == (24, 0, 3 + 20)  # the seeds hold three agreements


# --------------------------------------------------------------------------- special files


def test_a_named_pipe_or_socket_in_a_folder_is_skipped_with_a_line_each(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for seed in SEEDS.iterdir():
        (folder / seed.name).write_bytes(seed.read_bytes())
    os.mkfifo(folder / "feed.pipe")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "agent.sock"))
    (folder / "stdin").symlink_to("/dev/zero")
    try:
        result = run(tmp_path / "b.db", "ingest", str(folder), timeout=60)
    finally:
        sock.close()
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"skipped   {folder / 'feed.pipe'}  (skipped: a named pipe, not a regular file)" in lines
    assert f"skipped   {folder / 'agent.sock'}  (skipped: a socket, not a regular file)" in lines
    assert f"skipped   {folder / 'stdin'}  (skipped: a device, not a regular file)" in lines
    assert lines[-1].startswith("7 inputs: 4 new, 0 updated, 0 duplicate, 3 skipped, 0 failed; 4 articles")
    agreement = json.loads(run(tmp_path / "b.db", "ask", "/who-signed packaging MOU", "--json").stdout)
    assert sorted(agreement["answers"][0]["parties"]) == sorted(SIGNATORIES)


# --------------------------------------------------------------------------- tokens, folders, help


def test_doctor_slack_without_a_token_says_what_is_missing_and_fails(tmp_path, seeded_db):
    doctor = run(seeded_db, "doctor", "slack", "--offline")
    assert doctor.returncode == 1
    reason = ("slack: SLACK_BOT_TOKEN is not set: Slack needs the bot token (xoxb-…) and SLACK_APP_TOKEN "
              "(xapp-…, Socket Mode) or SLACK_SIGNING_SECRET (`serve slack --http`); see docs/slack.md")
    assert doctor.stdout.splitlines()[-1] == f"not ready: `briefbot serve` would refuse to start ({reason})"
    serve = run(seeded_db, "serve", "slack")
    assert serve.returncode == 78 and serve.stderr.splitlines() == [f"briefbot: not starting: {reason}"]
    discord = run(seeded_db, "doctor", "discord", "--offline")
    assert discord.returncode == 1 and "DISCORD_TOKEN is not set" in discord.stdout
    # Without a platform named, the console is served: nothing is missing.
    assert run(seeded_db, "doctor", "--offline").returncode == 0


def test_serve_started_in_another_folder_says_where_the_database_is_and_loads_the_seeds(tmp_path):
    result = briefbot("serve", cwd=tmp_path, input="/who-signed packaging MOU\n")
    assert result.returncode == 0, result.stderr
    db = tmp_path / "data" / "briefbot.db"
    assert result.stderr.splitlines()[:2] == [
        f"Created a new database at {db} (--db or BRIEFBOT_DB chooses another).",
        f"Loaded 4 seed articles from {SEEDS} into ./data/briefbot.db.",
    ]
    assert "Hana Micron" in result.stdout
    # Seeds named but missing: the user is told, not left with an empty bot.
    other = briefbot("--db", "x.db", "serve", cwd=tmp_path, input="/latest\n",
                     env=clean_env(BRIEFBOT_SEEDS=str(tmp_path / "nowhere")))
    assert other.stderr.splitlines() == [
        f"Created a new database at {tmp_path / 'x.db'} (--db or BRIEFBOT_DB chooses another).",
        f"The database {tmp_path / 'x.db'} holds no articles and the seeds folder {tmp_path / 'nowhere'} "
        "was not found (set BRIEFBOT_SEEDS); add articles with `briefbot ingest PATH...` or `/sources add URL`."]
    # A second start says nothing: the database is there and holds the seeds.
    again = briefbot("serve", cwd=tmp_path, input="/latest 1\n")
    assert again.stderr == "" and "Latest 1 article" in again.stdout


def test_help_typed_in_the_console_is_the_command_list(seeded_db):
    result = run(seeded_db, "serve", "console", input="help\nhelp find\n")
    assert result.returncode == 0
    assert "briefbot commands" in result.stdout and "Unknown command" not in result.stdout
    assert "/find <words>" in result.stdout and "e.g. /find neuromorphic chips" in result.stdout
    assert run(seeded_db, "ask", "help").stdout == run(seeded_db, "ask", "/briefbot help").stdout
