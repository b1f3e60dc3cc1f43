"""A running `serve`: heartbeat and `briefbot health`, JSON logs without secrets, a clean SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from bot.app import Services
from bot.config import Settings
from bot.lifecycle import Shutdown, Stopping
from storage.backup import verify_database
from tests.clirun import Lines, briefbot, clean_env, start_briefbot, wait_for
from tests.conftest import SEEDS
from tests.fakes import json_api


@pytest.fixture
def console(tmp_path):
    """`briefbot serve console` with JSON logs, a configured secret, stdin held open."""
    db = tmp_path / "briefbot.db"
    env = clean_env(BRIEFBOT_LOG_FORMAT="json", BRIEFBOT_LOG_LEVEL="INFO",
                    OPENAI_API_KEY=json_api.OPENAI_API_KEY, OPENAI_BASE_URL="http://127.0.0.1:9/v1")
    proc = start_briefbot("--db", str(db), "serve", "console", env=env)
    out, err = Lines(proc.stdout), Lines(proc.stderr)
    heartbeat = tmp_path / "heartbeat.json"
    try:
        wait_for(lambda: heartbeat.exists() and json.loads(heartbeat.read_text())["status"] == "running")
        yield proc, db, heartbeat, out, err
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)


def test_serve_writes_a_heartbeat_that_health_reads(console):
    proc, db, heartbeat, out, err = console
    report = json.loads(heartbeat.read_text())
    assert report["pid"] == proc.pid
    assert report["database"] == {"ok": True, "articles": 4}
    assert report["scheduler"]["running"] is True and "heartbeat" in report["scheduler"]["jobs"]
    assert report["last_ingest"] is not None and report["last_poll"] is None and report["last_digest"] is None
    health = briefbot("--db", str(db), "health")
    assert health.returncode == 0
    assert health.stdout.startswith("healthy: heartbeat ") and "database ok (4 articles)" in health.stdout
    assert "last poll never; last digest never" in health.stdout


def test_sigterm_stops_serve_gracefully_within_10_seconds(console):
    proc, db, heartbeat, out, err = console
    proc.stdin.write("/find packaging\n")
    proc.stdin.flush()
    wait_for(lambda: "for “packaging”" in out.text())
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(10) == 0
    assert time.monotonic() - started < 10
    messages = [json.loads(line)["message"] for line in err.lines if line.startswith("{")]
    assert "SIGTERM received; stopping" in messages
    assert "scheduler stopped" in messages and "database connections closed" in messages
    # Every connection was closed: SQLite folded the WAL back and removed it.
    assert not (db.parent / (db.name + "-wal")).exists()
    assert verify_database(db) == []
    assert json.loads(heartbeat.read_text())["status"] == "stopped"
    health = briefbot("--db", str(db), "health")
    assert health.returncode == 1 and health.stderr.startswith("unhealthy: briefbot stopped at")


def test_every_command_is_logged_as_json_without_the_secret(console):
    proc, db, heartbeat, out, err = console
    proc.stdin.write("/find packaging\n/nosuchcommand\n/latest 2\n")
    proc.stdin.close()
    assert proc.wait(10) == 0
    records = [json.loads(line) for line in err.lines]  # every line is one JSON object
    commands = [r for r in records if r["logger"] == "briefbot.commands"]
    assert [(r["command"], r["outcome"]) for r in commands] == [
        ("find", "answer"), ("nosuchcommand", "usage"), ("latest", "answer")]
    for r in commands:
        assert r["platform"] == "console" and r["user_id"] == "console"
        assert isinstance(r["latency_ms"], float) and r["latency_ms"] >= 0
        assert r["ts"].endswith("Z") and r["level"] == "info"
    # The unreachable LLM was reported at start, with the key masked.
    assert any("cannot reach http://127.0.0.1:9/v1/models" in r["message"] for r in records)
    assert json_api.OPENAI_API_KEY not in err.text() + out.text()


def test_a_stop_signal_during_a_write_lets_the_write_finish(tmp_path):
    shutdown = Shutdown()
    previous = signal.signal(signal.SIGTERM, shutdown.handle_signal)
    conn = sqlite3.connect(tmp_path / "w.db")
    conn.execute("CREATE TABLE t (n INTEGER)")
    try:
        with pytest.raises(Stopping), shutdown.critical():
            os.kill(os.getpid(), signal.SIGTERM)
            with conn:
                conn.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(1000)])
            assert shutdown.requested.is_set()
        # Stopping came only after the block: the transaction was complete.
        assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 1000
        # When idle, a signal stops at once.
        with pytest.raises(Stopping):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)
    finally:
        signal.signal(signal.SIGTERM, previous)
        conn.close()


def test_health_reports_a_missing_or_stale_heartbeat(tmp_path):
    missing = briefbot("--db", str(tmp_path / "b.db"), "health")
    assert missing.returncode == 1
    assert missing.stderr.strip() == (f"unhealthy: no heartbeat at {tmp_path / 'heartbeat.json'} "
                                      "(is `briefbot serve` running?)")
    stale = tmp_path / "hb.json"
    stale.write_text(json.dumps({"status": "running", "at": "2020-01-01T00:00:00+00:00", "pid": 1,
                                 "database": {"ok": True, "articles": 1},
                                 "scheduler": {"running": True, "jobs": ["heartbeat"]}}))
    result = briefbot("health", env=clean_env(BRIEFBOT_HEARTBEAT=str(stale)))
    assert result.returncode == 1
    assert "s ago (over 90 s): the scheduler or the process is stuck" in result.stderr


# Starts and stops repeated to catch a race between the end of input (or a stop signal) and the
# work a start sets going: the heartbeat job (which asks the scheduler for its jobs as the stop
# shuts it down), the facts of unread articles. Several processes at once, as a benchmark or a
# restart loop runs them.
EOF_RUNS = 16
SIGTERM_RUNS = 12
AT_ONCE = 4


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A database holding the seeds, and one whose articles all wait for their facts again."""
    folder = tmp_path_factory.mktemp("stored")
    db = folder / "seeded.db"
    with Services(Settings.from_env({}, db_path=str(db))) as services:
        assert not services.ingest([SEEDS]).failed
    unread = folder / "unread.db"
    unread.write_bytes(db.read_bytes())
    with sqlite3.connect(unread) as conn:
        conn.execute("DELETE FROM article_extraction")  # the triggers mark every article unread
    return db, unread


def _serve_copies(stored, tmp_path, n: int, *, unread: bool) -> list[tuple[subprocess.Popen, Path]]:
    """``n`` consoles, each on its own copy of the seeded database (every other one unread, if
    ``unread``)."""
    started = []
    for i in range(n):
        folder = tmp_path / f"run{i}"
        folder.mkdir(parents=True)
        db = folder / "briefbot.db"
        db.write_bytes(stored[i % 2 if unread else 0].read_bytes())
        env = clean_env(BRIEFBOT_SEEDS=str(folder / "no-seeds"))
        started.append((start_briefbot("--db", str(db), "serve", "console", env=env), db))
    return started


def _ended(proc: subprocess.Popen, db: Path, limit: float, *, signalled: bool) -> None:
    try:
        proc.wait(limit)  # its output is a few lines: no pipe fills up meanwhile
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AssertionError(f"serve console did not exit within {limit} s") from None
    finally:
        err = proc.stderr.read()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            stream.close()
    # Killed by the signal itself only before serve set its handlers.
    assert proc.returncode in ((0, -signal.SIGTERM) if signalled else (0,)), err
    assert "Traceback" not in err and "still running" not in err, err
    assert verify_database(db) == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 4


def test_serve_console_exits_at_once_at_the_end_of_its_input_every_time(stored, tmp_path):
    for batch in range(EOF_RUNS // AT_ONCE):
        runs = _serve_copies(stored, tmp_path / f"batch{batch}", AT_ONCE, unread=False)
        for proc, _ in runs:
            proc.stdin.close()  # no input: start, then stop at once
        for proc, db in runs:
            _ended(proc, db, 15, signalled=False)


def test_serve_console_stops_on_sigterm_at_any_moment_of_its_start(stored, tmp_path):
    batches = SIGTERM_RUNS // AT_ONCE
    for batch in range(batches):
        # half of them reading the facts of unread articles as the signal comes
        runs = _serve_copies(stored, tmp_path / f"batch{batch}", AT_ONCE, unread=True)
        started = time.monotonic()
        for i, (proc, _) in enumerate(runs):
            # spread over the first second and a half: before the handlers, the start, the loop
            time.sleep(max(started + 1.5 * (i * batches + batch) / SIGTERM_RUNS - time.monotonic(), 0))
            proc.send_signal(signal.SIGTERM)
        for proc, db in runs:
            _ended(proc, db, 15, signalled=True)
