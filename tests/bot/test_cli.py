"""The ``briefbot`` command line, run as a user runs it: a subprocess on a real database."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SEEDS

SEED_TITLES = {
    "South Korea bets $205M on semiconductor packaging to maintain competitiveness": "2024-09-11T18:47:44",
    "The Korean government has formed a partnership with major Korean semiconductor giants": None,
    "South Korea and the European Union have embarked on a significant stride to fortify their digital partnership": None,
    "Korea needs a lighthouse in China’s tech wave": "2025-03-25T07:32",
}


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "SLACK_", "DISCORD_", "OPENAI_"))}
    env.update(extra)
    return env


def briefbot(db, *args, stdin: str | None = None, **env) -> subprocess.CompletedProcess:
    """Run ``briefbot --db DB ARGS`` and return its result (text)."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(db), *args],
        cwd=ROOT, env=_env(**env), input=stdin, capture_output=True, text=True, timeout=60,
    )


def _count(db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


@pytest.fixture
def inbox(tmp_path):
    """A folder with the seeds, a good feed in a subfolder and one broken file."""
    folder = tmp_path / "inbox"
    shutil.copytree(SEEDS, folder)
    (folder / "feeds").mkdir()
    shutil.copy(ROOT / "tests/ingest/parse/fixtures/feed_rss.xml", folder / "feeds" / "wire.xml")
    (folder / "broken.json").write_bytes(b'{"id": 3, "title": {"rendered": "Cut"}, "con')
    return folder


@pytest.fixture
def seeded_db(tmp_path):
    db = tmp_path / "seeded.db"
    assert briefbot(db, "ingest", str(SEEDS)).returncode == 0
    return db


def test_ingest_stores_every_good_file_and_names_the_broken_one(tmp_path, inbox):
    db = tmp_path / "b.db"
    result = briefbot(db, "ingest", str(inbox))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    [error] = [ln for ln in lines if ln.startswith("error")]
    assert str(inbox / "broken.json") in error
    assert "(WordPress JSON cut off before any content)" in error
    assert "Traceback" not in result.stdout + result.stderr
    assert "1 input(s) failed" in result.stderr
    # four seeds and two feed items are stored despite the broken file
    assert _count(db) == 6
    assert sum(ln.startswith(("new", "warning")) for ln in lines) == 5
    [partial] = [ln for ln in lines if ln.startswith("warning")]
    assert "000_e6b5f402e9bfc58c.txt" in partial and "partial" in partial
    assert lines[-1].startswith("6 inputs: 5 new, 0 updated, 0 duplicate, 1 failed; 6 articles")


def test_reingest_is_a_no_op(tmp_path, inbox):
    db = tmp_path / "b.db"
    briefbot(db, "ingest", str(inbox))
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT id, title, body, fetched FROM articles ORDER BY id").fetchall()
    again = briefbot(db, "ingest", str(inbox), str(SEEDS))
    assert again.returncode == 1  # the broken file is still broken
    outcomes = {ln.split()[0] for ln in again.stdout.splitlines()[:-1]}
    assert outcomes == {"duplicate", "error"}
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT id, title, body, fetched FROM articles ORDER BY id").fetchall() == before


def test_ingest_of_a_missing_path_says_so(tmp_path):
    result = briefbot(tmp_path / "b.db", "ingest", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "no such file or folder" in result.stdout


def test_ingest_of_good_files_exits_zero(tmp_path):
    result = briefbot(tmp_path / "b.db", "ingest", str(SEEDS))
    assert result.returncode == 0, result.stderr
    assert "4 new" in result.stdout.splitlines()[-1]


def test_ask_latest_json_lists_the_four_seeds_with_titles_and_dates(seeded_db):
    result = briefbot(seeded_db, "ask", "/latest 10", "--json")
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert {"command", "query", "ok", "text", "answers"} <= set(reply)
    assert (reply["command"], reply["query"], reply["ok"]) == ("latest", "10", True)
    assert {a["title"]: a["published"] for a in reply["answers"]} == SEED_TITLES
    for answer in reply["answers"]:
        assert answer["kind"] == "article"
        assert answer["snippet"]
        [source] = answer["sources"]
        assert set(source) == {"title", "url", "path", "published"}
        assert source["title"] == answer["title"] and source["published"] == answer["published"]
        assert source["path"].startswith(str(SEEDS))
        assert answer["title"] in reply["text"]
    [wp] = [a for a in reply["answers"] if a["published"] and a["published"].startswith("2024")]
    assert wp["sources"][0]["url"].startswith("https://koreapro.org/2024/09/")
    # dated seeds newest first
    dated = [a["published"] for a in reply["answers"] if a["published"]]
    assert dated == sorted(dated, reverse=True)


def test_ask_prints_the_console_rendering(seeded_db):
    result = briefbot(seeded_db, "ask", "/find neuromorphic")
    assert result.returncode == 0
    assert result.stdout.startswith("1 article for “neuromorphic”")
    assert "South Korea and the European Union" in result.stdout
    assert "002_77ac495237e3e222.txt" in result.stdout
    assert "\x1b[" not in result.stdout  # no colour when not on a terminal


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/nope", "Unknown command /nope"),
        ("/latest 999", "n must be between 1 and 50."),
        ("/find", "Usage: /find <words>"),
        ("/briefbot help nope", "There is no command /nope."),
        ("", "Type a command"),
    ],
)
def test_ask_with_an_unknown_command_or_bad_arguments_gives_usage_not_a_traceback(seeded_db, line, expected):
    result = briefbot(seeded_db, "ask", line)
    assert result.returncode == 2
    assert expected in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_ask_json_of_a_usage_error_is_still_the_contract(seeded_db):
    reply = json.loads(briefbot(seeded_db, "ask", "/latest 0", "--json").stdout)
    assert reply["ok"] is False and reply["command"] == "latest" and reply["answers"] == []
    assert "Usage: /latest [n] [topic]" in reply["text"]


def test_bad_command_line_options_give_argparse_usage(tmp_path):
    result = briefbot(tmp_path / "b.db", "ask")
    assert result.returncode == 2
    assert "usage: briefbot" in result.stderr and "Traceback" not in result.stderr
    result = briefbot(tmp_path / "b.db", "frobnicate")
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_serve_console_answers_one_command_per_piped_line(seeded_db):
    result = briefbot(seeded_db, "serve", "console", stdin="/find neuromorphic\n\n/latest 2\n/nope\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("1 article for “neuromorphic”\n\nSouth Korea and the European Union have embarked")
    # each reply in the order asked, the blank line skipped
    headings = ["1 article for “neuromorphic”", "\nLatest 2 articles\n", "\nUnknown command /nope\n"]
    positions = [out.find(h) for h in headings]
    assert -1 not in positions and positions == sorted(positions)
    assert "briefbot>" not in result.stdout  # no prompt when piped


def test_serve_loads_the_seeds_into_an_empty_database_once(tmp_path):
    db = tmp_path / "fresh.db"
    first = briefbot(db, "serve", "console", stdin="/latest 10\n", BRIEFBOT_SEEDS=str(SEEDS))
    assert first.returncode == 0, first.stderr
    assert "Loaded 4 seed articles" in first.stderr
    assert first.stdout.startswith("Latest 4 articles")
    assert _count(db) == 4

    second = briefbot(db, "serve", "console", stdin="/latest 10\n", BRIEFBOT_SEEDS=str(SEEDS))
    assert second.returncode == 0
    assert "Loaded" not in second.stderr
    assert _count(db) == 4
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM ingest_log").fetchone()[0] == 4


def test_db_defaults_to_the_environment(tmp_path):
    db = tmp_path / "from-env.db"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ingest", str(SEEDS)],
        cwd=ROOT, env=_env(BRIEFBOT_DB=str(db)), capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0
    assert _count(db) == 4


def test_ingest_on_a_terminal_shows_a_progress_bar(tmp_path):
    import pty

    leader, follower = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bot", "--db", str(tmp_path / "b.db"), "ingest", str(SEEDS)],
            cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=follower, text=True, timeout=60,
        )
        os.close(follower)
        follower = None
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal's other end is closed: all was read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        if follower is not None:
            os.close(follower)
        os.close(leader)
    assert result.returncode == 0
    bar = shown.decode()
    assert "4/4 files" in bar and "articles/s" in bar and "s left" in bar
    assert "[" + "#" * 30 + "]" in bar
