"""`briefbot sources …` and `briefbot poll` run as a user would run them, against a loopback feed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.fakes.feed_server import FeedServer, items, rss


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
