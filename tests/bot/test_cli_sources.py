"""`briefbot sources …` and `briefbot poll` run as a user would run them, against a loopback feed."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.fakes.feed_server import FeedServer, article_page, items, rss


def briefbot(db, *args, allow: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    if allow is not None:
        env["BRIEFBOT_FETCH_ALLOW"] = allow
    return subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(db), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )


@pytest.fixture
def server():
    with FeedServer() as srv:
        srv.add("/feed.xml", rss(items(4), title="Chip Wire"), etag='"v1"')
        yield srv


def test_add_poll_poll_list_stores_once_then_costs_a_304(tmp_path, server):
    db = tmp_path / "b.db"
    url = server.url("/feed.xml")
    added = briefbot(db, "sources", "add", url, allow="127.0.0.1")
    assert added.returncode == 0, added.stdout + added.stderr
    assert "Added source #1: Chip Wire" in added.stdout

    first = briefbot(db, "poll", "--once", "--all", allow="127.0.0.1")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "#1 Chip Wire: 4 new, 0 updated, 0 already stored" in first.stdout

    server.clear()
    second = briefbot(db, "poll", "--once", "--all", allow="127.0.0.1")
    assert second.returncode == 0 and "#1 Chip Wire: not modified (304)" in second.stdout
    (req,) = server.requests_for("/feed.xml")
    assert req.headers["if-none-match"] == '"v1"' and req.status == 304 and req.body_bytes == 0

    listed = briefbot(db, "ask", "/sources list", "--json")
    (source,) = json.loads(listed.stdout)["answers"]
    assert source["article_count"] == 4 and source["poll_count"] == 2
    assert [p["outcome"] for p in source["recent_polls"]] == ["not_modified", "new"]
    assert [p["new"] for p in source["recent_polls"]] == [0, 4]
    text = briefbot(db, "sources", "list").stdout
    assert "not modified (304);" in text and "4 new, 0 updated, 0 already stored" in text


def test_private_targets_are_refused_without_the_allow_setting(tmp_path, server):
    db = tmp_path / "b.db"
    refused = {
        f"http://127.0.0.1:{server.port}/feed.xml": "127.0.0.1 is a loopback address",
        "http://169.254.169.254/latest/meta-data/": "169.254.169.254 is a link-local address",
        "http://[::1]/": "::1 is a loopback address",
        "file:///etc/passwd": "only http:// and https:// URLs can be fetched, not file://",
        f"http://localhost:{server.port}/feed.xml": "localhost resolves to",
    }
    for url, reason in refused.items():
        run = briefbot(db, "sources", "add", url)
        assert run.returncode == 1, url
        assert f"Refused: {url}" in run.stdout and reason in run.stdout and "Nothing was added." in run.stdout
        assert "Traceback" not in run.stdout + run.stderr
    assert server.requests == []
    listed = briefbot(db, "sources", "list")
    assert listed.returncode == 0 and "No sources yet" in listed.stdout
    polled = briefbot(db, "poll", "--once", "--all")
    assert polled.returncode == 0 and "No active source to poll" in polled.stdout


def test_a_password_in_a_source_url_is_refused_and_never_stored_or_shown(tmp_path, server):
    db = tmp_path / "b.db"
    url = server.url("/feed.xml").replace("http://", "http://alice:pw-S3CRET@")
    refused = briefbot(db, "sources", "add", url, allow="127.0.0.1")
    assert refused.returncode == 1
    lines = refused.stdout.splitlines()
    assert lines[0] == f"Refused: {server.url('/feed.xml').replace('http://', 'http://…@')}"
    assert "This URL holds a user name and password (alice:…)" in refused.stdout
    assert "Nothing was added." in refused.stdout
    tested = briefbot(db, "sources", "test", url, allow="127.0.0.1")
    assert tested.returncode == 1 and "Nothing was stored." in tested.stdout
    assert "pw-S3CRET" not in refused.stdout + refused.stderr + tested.stdout + tested.stderr
    assert server.requests_for("/feed.xml") == []  # nothing was fetched with it either
    assert "No sources yet" in briefbot(db, "sources", "list").stdout
    with sqlite3.connect(db) as conn:
        audit = conn.execute("SELECT action, detail FROM audit").fetchall()
    assert [a for a, _ in audit] == ["sources.add.refused"]
    assert all("pw-S3CRET" not in d for _, d in audit)


def test_a_token_in_a_source_url_is_used_to_poll_and_hidden_wherever_it_is_shown(tmp_path, server):
    db = tmp_path / "b.db"
    token = "tk-S3CRET-42"
    site = server.url("")
    server.add("/private.xml", rss([dict(i, link=f"{i['link']}?access_token={token}")
                                    for i in items(2, site=site)], title="Private Wire"))
    server.add("/page.html", article_page("Packaging plant opens", ["The ministry opened a packaging plant."] * 3),
               content_type="text/html; charset=utf-8")
    feed, page = server.url(f"/private.xml?token={token}"), server.url(f"/page.html?key={token}")
    added = briefbot(db, "sources", "add", feed, allow="127.0.0.1")
    assert added.returncode == 0, added.stdout + added.stderr
    assert f"URL: {server.url('/private.xml?token=…')}" in added.stdout
    assert briefbot(db, "sources", "add", page, "Plant", allow="127.0.0.1").returncode == 0
    env_debug = {"BRIEFBOT_LOG_LEVEL": "DEBUG"}
    polled = subprocess.run([sys.executable, "-m", "bot", "--db", str(db), "poll", "--once", "--all"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**{k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")},
                                 "BRIEFBOT_FETCH_ALLOW": "127.0.0.1", **env_debug})
    assert polled.returncode == 0, polled.stderr
    assert "#1 Private Wire: 2 new" in polled.stdout
    assert server.requests_for("/private.xml")[0].query["token"] == token  # the token was sent
    shown = [polled.stdout, polled.stderr]
    for args in (["sources", "list"], ["sources", "list", "--json"], ["ask", "/latest 10"],
                 ["ask", "/latest 10", "--json"], ["ask", "/find packaging", "--json"],
                 ["digest", "preview", "--json"], ["ask", "/sources test " + feed, "--as-admin"]):
        result = briefbot(db, *args, allow="127.0.0.1")
        assert result.returncode == 0, result.stdout + result.stderr
        shown += [result.stdout, result.stderr]
    text = "\n".join(shown)
    assert token not in text
    assert "token=…" in text and "key=…" in text and "access_token=…" in text
    with sqlite3.connect(db) as conn:
        assert all(token not in d for (d,) in conn.execute("SELECT detail FROM audit"))
        # what is stored keeps the token: the next poll needs it
        assert conn.execute("SELECT count(*) FROM sources WHERE url LIKE ?", [f"%{token}%"]).fetchone()[0] == 2
