"""/sources as chat users see it: admins add, pause, resume, remove and test; everyone lists."""

from __future__ import annotations

import pytest

from bot.app import Services
from bot.config import Settings
from storage.audit import recent_actions
from tests.fakes.feed_server import FeedServer, article_page, items, rss

ADMIN = {"platform": "slack", "user_id": "U_ADMIN", "is_admin": True}
MEMBER = {"platform": "slack", "user_id": "U_MEMBER", "is_admin": False}


@pytest.fixture
def server():
    with FeedServer() as srv:
        srv.add("/feed.xml", rss(items(3), title="Chip Wire"), etag='"v1"')
        yield srv


def make_services(tmp_path, allow=("127.0.0.1",)) -> Services:
    return Services(Settings.from_env({}, db_path=str(tmp_path / "b.db"), fetch_allow=allow))


@pytest.fixture
def svc(tmp_path):
    services = make_services(tmp_path)
    yield services
    services.close()


@pytest.fixture
def closed_svc(tmp_path):
    """No BRIEFBOT_FETCH_ALLOW: loopback and private addresses are refused."""
    services = make_services(tmp_path, allow=())
    yield services
    services.close()


def count(svc, table: str) -> int:
    return svc.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_member_may_list_but_not_add(svc, server):
    reply = svc.ask(f"/sources add {server.url('/feed.xml')}", **MEMBER)
    assert reply.kind == "refusal"
    assert "only briefbot admins can add sources" in reply.plain_text()
    assert count(svc, "sources") == 0 and server.requests == []
    listed = svc.ask("/sources list", **MEMBER)
    assert listed.kind == "empty" and "Admins add one with /sources add <url>." in listed.plain_text()
    for action in ("remove 1", "pause 1", "resume 1", f"test {server.url('/feed.xml')}"):
        assert svc.ask(f"/sources {action}", **MEMBER).kind == "refusal"


def test_an_admin_adds_a_feed_with_name_interval_and_topics(svc, server):
    reply = svc.ask(f'/sources add {server.url("/feed.xml")} "Korea Chip Wire" every 2h packaging HBM', **ADMIN)
    assert reply.ok and reply.title == "Added source #1: Korea Chip Wire"
    text = reply.plain_text()
    assert "Type: RSS feed" in text and "Polled every 2h; the first poll is due now." in text
    assert "stores its 3 current item(s) as a baseline" in text and "Topics: packaging HBM" in text
    assert count(svc, "articles") == 0  # add only looks; the poller stores
    (row,) = svc.ask("/sources", **MEMBER).answers
    assert row.title == "#1 Korea Chip Wire — active"
    assert row.data["interval"] == "2h" and row.data["topics"] == "packaging HBM"
    assert "Last success: never" in row.lines
    assert recent_actions(svc.db)[0] | {"at": None} == {
        "at": None, "platform": "slack", "actor": "slack:U_ADMIN", "action": "sources.add",
        "detail": f"#1 rss {server.url('/feed.xml')}",
    }


def test_the_name_defaults_to_the_feed_title_and_a_page_leads_to_its_feed(svc, server):
    head = '<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
    server.add("/", article_page("Chip Wire home", ["Welcome to the chip wire front page."] * 3, head=head,
                                 og_type="website"), content_type="text/html")
    reply = svc.ask(f"/sources add {server.url('/')}", **ADMIN)
    assert reply.title == "Added source #1: Chip Wire"
    assert f"Type: RSS feed (found on {server.url('/')})" in reply.plain_text()
    again = svc.ask(f"/sources add {server.url('/feed.xml')}?utm_source=x", **ADMIN)
    assert again.title == "Already followed as source #1: Chip Wire" and "Nothing was added." in again.plain_text()
    assert count(svc, "sources") == 1


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:{port}/feed.xml", "127.0.0.1 is a loopback address (this machine)"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://[::1]/", "::1 is a loopback address"),
        ("file:///etc/passwd", "only http:// and https:// URLs can be fetched, not file://"),
        ("http://localhost:{port}/feed.xml", "localhost resolves to"),
    ],
)
def test_private_targets_are_refused_with_a_reason_and_nothing_is_stored(closed_svc, server, url, reason):
    url = url.format(port=server.port)
    reply = closed_svc.ask(f"/sources add {url}", **ADMIN)
    assert reply.kind == "refusal" and reply.title == f"Refused: {url}"
    hint = "briefbot ingest PATH" if url.startswith("file:") else "BRIEFBOT_FETCH_ALLOW"
    assert reason in reply.plain_text() and hint in reply.plain_text()
    assert reply.lines[-1] == "Nothing was added."
    assert count(closed_svc, "sources") == 0 and count(closed_svc, "articles") == 0
    assert server.requests == []
    assert recent_actions(closed_svc.db)[0]["action"] == "sources.add.refused"


def test_a_url_that_is_not_a_source_is_explained_and_not_added(svc, server):
    server.add("/notes.txt", "plain words only", content_type="text/plain")
    missing = svc.ask(f"/sources add {server.url('/missing.xml')}", **ADMIN)
    assert missing.kind == "error" and missing.lines == ["HTTP 404 Not Found.", "Nothing was added."]
    text = svc.ask(f"/sources add {server.url('/notes.txt')}", **ADMIN)
    assert "plain text, not a feed, a WordPress site or an HTML page" in text.plain_text()
    assert count(svc, "sources") == 0


def test_bad_intervals_and_ids_get_usage_help(svc, server):
    too_fast = svc.ask(f"/sources add {server.url('/feed.xml')} Wire every 10s", **ADMIN)
    assert too_fast.kind == "usage" and "“10s” is not an interval" in too_fast.plain_text()
    too_often = svc.ask(f"/sources add {server.url('/feed.xml')} Wire every 1m", **ADMIN)
    assert "between 5 minutes (5m) and 7 days (7d)" in too_often.plain_text()
    assert svc.ask("/sources add", **ADMIN).kind == "usage"
    assert "Give its number from /sources list" in svc.ask("/sources pause first", **ADMIN).plain_text()
    assert svc.ask("/sources remove 42", **ADMIN).title == "There is no source #42"
    assert svc.ask("/sources frobnicate", **ADMIN).kind == "usage"
    assert count(svc, "sources") == 0


def test_test_is_a_dry_run(svc, server):
    reply = svc.ask(f"/sources test {server.url('/feed.xml')}", **ADMIN)
    assert reply.ok and reply.title == f"Test of {server.url('/feed.xml')}: RSS feed"
    assert [a.title for a in reply.answers] == ["Story 1 on packaging", "Story 2 on packaging", "Story 3 on packaging"]
    assert reply.footer == "Dry run: nothing was stored."
    assert count(svc, "sources") == 0 and count(svc, "articles") == 0
    assert recent_actions(svc.db)[0]["action"] == "sources.test"


def test_pause_resume_remove_are_audited_and_shown(svc, server):
    svc.ask(f"/sources add {server.url('/feed.xml')}", **ADMIN)
    paused = svc.ask("/sources pause 1 moving to a new feed", **ADMIN)
    assert paused.title == "Paused source #1: Chip Wire"
    (row,) = svc.ask("/sources list", **MEMBER).answers
    assert row.title == "#1 Chip Wire — paused"
    assert "Paused: paused by slack:U_ADMIN: moving to a new feed" in row.lines
    assert svc.ask("/sources resume #1", **ADMIN).title == "Resumed source #1: Chip Wire"
    assert svc.ask("/sources list", **MEMBER).answers[0].data["status"] == "active"
    removed = svc.ask("/sources remove 1", **ADMIN)
    assert removed.title == "Removed source #1: Chip Wire"
    assert "its 0 stored article(s) stay searchable" in removed.plain_text()
    assert svc.ask("/sources list", **MEMBER).kind == "empty"
    assert [a["action"] for a in recent_actions(svc.db)] == [
        "sources.remove", "sources.resume", "sources.pause", "sources.add"]
