"""kill -9 during a digest post to Slack, then restart: the database is intact and the digest of
the period is in the channel exactly once, recorded as sent, with the cursor moved once.

``briefbot digest run --platform slack`` runs as a real process against the fake Slack, which
holds the chat.postMessage call at the moment under test while the process is killed:
(a) before Slack got the request, (b) while Slack holds it (it acts on it after the caller
died), (c) after Slack posted the message but before its answer reached us (so before our
record of it).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from bot.app import Services
from bot.config import Settings
from storage.digests import get_cursor, list_posts
from tests.clirun import clean_env
from tests.conftest import ROOT, SEEDS
from tests.fakes.slack_api import BOT_TOKEN, FakeSlack

CHANNEL = "C0NEWS001"


@pytest.fixture
def db(tmp_path):
    services = Services(Settings.from_env({}, db_path=str(tmp_path / "bot.db")))
    assert not services.ingest([SEEDS]).failed
    services.close()
    return tmp_path / "bot.db"


def digest_run(db, fake: FakeSlack) -> subprocess.Popen:
    env = clean_env(BRIEFBOT_DB=str(db), SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=fake.api_url)
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "digest", "run", "--platform", "slack", "--channel", CHANNEL],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finish(proc: subprocess.Popen) -> str:
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    return err


def ledger(db) -> tuple[list, int | None, int, str | None]:
    """(posts, cursor, newest article id, cursor's last change) as the database holds them."""
    services = Services(Settings.from_env({}, db_path=str(db)))
    try:
        posts = list_posts(services.db, channel_id=CHANNEL)
        cursor = get_cursor(services.db, "slack", CHANNEL, 0)
        top = services.db.execute("SELECT max(id) FROM articles").fetchone()[0]
        row = services.db.execute("SELECT updated_at FROM digest_cursors WHERE channel_id = ?", [CHANNEL]).fetchone()
        return posts, cursor, top, row[0] if row else None
    finally:
        services.close()


@pytest.mark.parametrize(("stage", "restart_says"), [
    ("arrival", "sent again: an earlier attempt was not confirmed"),
    ("accept", "found already posted after a restart"),
    ("reply", "found already posted after a restart"),
])
def test_kill_9_during_a_slack_digest_post_then_restart_posts_it_exactly_once(db, stage, restart_says):
    with FakeSlack() as fake:
        hold = fake.hold("chat.postMessage", stage)
        proc = digest_run(db, fake)
        try:
            hold.wait(30)
        finally:
            proc.kill()  # SIGKILL: no cleanup, no atexit, no flushing
            proc.communicate(timeout=10)
        hold.release()  # Slack goes on with (or, at arrival, drops) what it was holding
        assert proc.returncode == -9
        in_channel = fake.messages_in(CHANNEL)
        assert len(in_channel) == (0 if stage == "arrival" else 1)
        [crashed], cursor, _, _ = ledger(db)
        assert (crashed.status, crashed.attempts, cursor) == ("pending", 1, None)

        restarted = finish(digest_run(db, fake))
        assert "posted slack:C0NEWS001 (all topics): 3 stories" in restarted and restart_says in restarted
        posts, cursor, top, moved_at = ledger(db)
        again = finish(digest_run(db, fake))
        assert "already posted" in again
        messages = fake.messages_in(CHANNEL)
        history_reads = len(fake.calls("conversations.history"))

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # exactly one accepted post for the period, carrying the period's key
    [message] = messages
    assert message["text"] == "briefbot digest: 3 stories from 4 new articles"
    [post] = posts
    assert message["metadata"]["event_payload"]["key"] == post.key
    # marked sent with Slack's message ts; the cursor moved to the digest's last article, once
    assert (post.status, post.message_id, post.attempts) == ("sent", message["ts"], 2 if stage == "arrival" else 1)
    assert cursor == post.to_article_id == top and moved_at == post.sent_at
    assert ledger(db)[1:] == (cursor, top, moved_at)  # the run after did not move it again
    assert history_reads == 1  # the restart asked Slack once whether the post had been made
