"""The poller against a loopback server full of good and broken sources: what gets stored, what
/sources list then says, and that one bad source never stops the others."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.console.poster import ConsolePoster
from bot.app import Services
from bot.config import Settings
from ingest.fetch import Fetcher
from ingest.poller import JOB_ID, PAUSE_AFTER, Poller, backoff_seconds, register_jobs
from storage.sources import add_source, get_source
from tests.fakes.feed_server import (
    FeedServer,
    Response,
    article_page,
    items,
    rss,
    wordpress_api,
    wp_post,
)

START = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)


class Clock:
    """A clock that moves only when told to."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def server():
    with FeedServer() as srv:
        yield srv


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def admin_stream():
    return io.StringIO()


@pytest.fixture
def svc(tmp_path, clock, admin_stream):
    settings = Settings.from_env(
        {}, db_path=str(tmp_path / "b.db"), fetch_allow=("127.0.0.1",), admin_channel="console:admins"
    )
    services = Services(settings, clock=clock)
    services.posters["console"] = ConsolePoster(admin_stream)
    yield services
    services.close()


@pytest.fixture
def poller(svc):
    with Fetcher(allow=["127.0.0.1"], read_timeout=0.3, connect_timeout=1) as fetcher:
        yield Poller(svc, fetcher=fetcher)


def add(svc, url: str, kind: str = "rss", name: str | None = None, interval_s: int = 3600) -> int:
    return add_source(svc.db, kind=kind, url=url, name=name or url.rsplit("/", 1)[-1], interval_s=interval_s,
                      created_by="test", clock=svc.clock)


def articles(svc, source_id: int | None = None) -> list[dict]:
    sql = "SELECT id, title, url, baseline, source_id FROM articles"
    params: list = []
    if source_id is not None:
        sql += " WHERE source_id = ?"
        params.append(source_id)
    cur = svc.db.execute(sql + " ORDER BY id", params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def listing(svc) -> dict[int, dict]:
    """What /sources list shows, by source id (JSON form and text)."""
    reply = svc.ask("/sources list")
    assert reply.ok
    return {a.data["id"]: {**a.data, "text": "\n".join([a.title, *a.lines])} for a in reply.answers}


def test_first_poll_is_a_baseline_then_only_new_items_are_news(svc, poller, server, clock):
    feed_items = items(3)
    server.route("/feed.xml", lambda req: Response(200, rss(feed_items), {"Content-Type": "application/rss+xml"}))
    sid = add(svc, server.url("/feed.xml"))
    report = poller.poll()
    assert [(p.outcome, p.new) for p in report.polls] == [("new", 3)]
    assert [a["baseline"] for a in articles(svc)] == [1, 1, 1]
    feed_items.insert(0, items(1, start=4)[0])
    clock.advance(hours=1)
    report = poller.poll()
    assert [(p.new, p.duplicate) for p in report.polls] == [(1, 3)]
    stored = articles(svc, sid)
    assert len(stored) == 4 and [a["baseline"] for a in stored] == [1, 1, 1, 0]
    assert stored[-1]["title"] == "Story 4 on packaging"


def test_an_unchanged_feed_costs_a_304_and_stores_nothing(svc, poller, server, clock):
    server.add("/feed.xml", rss(items(5)), etag='"v1"')
    sid = add(svc, server.url("/feed.xml"), name="Chip News")
    poller.poll(include_all=True)
    server.clear()
    report = poller.poll(include_all=True)
    assert [p.outcome for p in report.polls] == ["not_modified"]
    (req,) = server.requests_for("/feed.xml")
    assert req.headers["if-none-match"] == '"v1"' and req.status == 304 and req.body_bytes == 0
    assert len(articles(svc)) == 5
    shown = listing(svc)[sid]
    assert shown["poll_count"] == 2 and shown["article_count"] == 5
    assert [p["outcome"] for p in shown["recent_polls"]] == ["not_modified", "new"]
    assert "Recent polls: 2025-09-01 09:00 not modified (304); 2025-09-01 09:00 5 new" in shown["text"]


def test_new_guids_and_tracking_parameters_create_no_duplicates(svc, poller, server, clock):
    first = items(3)
    server.route("/feed.xml", lambda req: Response(200, rss(first)))
    add(svc, server.url("/feed.xml"))
    poller.poll()
    again = [{**it, "guid": f"urn:new:{n}", "link": it["link"] + "?utm_source=rss&utm_medium=feed"}
             for n, it in enumerate(first)]
    server.route("/feed.xml", lambda req: Response(200, rss(again)))
    clock.advance(hours=2)
    report = poller.poll()
    assert [(p.new, p.duplicate) for p in report.polls] == [(0, 3)]
    assert len(articles(svc)) == 3


def test_broken_sources_fail_one_by_one_and_the_good_ones_keep_going(svc, poller, server):
    server.add("/good.xml", rss(items(2)))
    server.route("/error500.xml", lambda req: Response(500, b"oops"))
    server.route("/busy.xml", lambda req: Response(429, b"", {"Retry-After": "7200"}))
    server.slow("/slow.xml", 3)
    server.endless("/endless.xml")
    server.gzip_bomb("/bomb.xml")
    server.redirect("/meta.xml", "http://169.254.169.254/latest/meta-data/")
    server.redirect("/loop.xml", "/loop2.xml")
    server.redirect("/loop2.xml", "/loop.xml")
    server.add("/garbage.xml", b'<?xml version="1.0"?><rss><channel><title>x</tit')
    server.add("/parked.xml", article_page("Domain for sale", ["Buy this domain today, it is great."] * 4),
               content_type="text/html")
    server.add("/good2.xml", rss(items(2, start=10)))
    ids = {name: add(svc, server.url(f"/{name}.xml"), name=name) for name in
           ["good", "error500", "busy", "slow", "endless", "bomb", "meta", "loop", "garbage", "parked", "good2"]}
    report = poller.poll()
    outcome = {p.label: p for p in report.polls}
    assert outcome["good"].new == 2 and outcome["good2"].new == 2
    assert len(articles(svc)) == 4
    expected = {
        "error500": "HTTP 500 Internal Server Error.",
        "busy": "HTTP 429 Too Many Requests (the server asks to retry after 7200 s).",
        "slow": "did not answer within 0.3 s (read timeout)",
        "endless": "larger than the 10 MiB limit; stopped reading",
        "bomb": "after decompression (a possible compression bomb)",
        "meta": "redirects to http://169.254.169.254/latest/meta-data/, which is refused: 169.254.169.254 is a link-local address",
        "loop": "redirect loop",
        "garbage": "could not read it: feed has no entries",
        "parked": "expected a feed but got an HTML page",
    }
    shown = listing(svc)
    for name, text in expected.items():
        row = shown[ids[name]]
        assert text in row["last_error"], name
        assert f"Last error: 2025-09-01 09:00 UTC: {row['last_error']}" in row["text"]
        assert row["last_success"] is None and row["failures"] == 1 and row["status"] == "active"
    # backoff: 5 minutes after a first failure; the 429's Retry-After is a floor
    assert shown[ids["error500"]]["next_poll"] == "2025-09-01T09:05:00+00:00"
    assert shown[ids["busy"]]["next_poll"] == "2025-09-01T11:00:00+00:00"
    assert shown[ids["good"]]["next_poll"] == "2025-09-01T10:00:00+00:00"
    assert len(server.requests_for("/meta.xml")) == 1  # the refused hop was never requested


def test_backoff_doubles_then_the_source_is_paused_and_admins_told_once(svc, poller, server, clock, admin_stream):
    server.route("/down.xml", lambda req: Response(503, b"down"))
    server.add("/up.xml", rss(items(1)))
    sid = add(svc, server.url("/down.xml"), name="Flaky Wire")
    add(svc, server.url("/up.xml"), name="Steady")
    delays = []
    for _ in range(PAUSE_AFTER):
        poller.poll(include_all=True)
        nxt = datetime.fromisoformat(get_source(svc.db, sid)["next_poll_at"])
        delays.append((nxt - clock()).total_seconds())
        clock.advance(seconds=delays[-1])
    assert delays[:5] == [300, 600, 1200, 2400, 4800]
    assert delays[-1] == 86_400 and delays == [backoff_seconds(n) for n in range(1, PAUSE_AFTER + 1)]
    row = listing(svc)[sid]
    assert row["status"] == "paused" and row["next_poll"] is None
    assert row["paused_reason"] == "paused after 10 failed polls in a row; last error: HTTP 503 Service Unavailable."
    assert "Paused: paused after 10 failed polls in a row" in row["text"]
    posted = admin_stream.getvalue()
    assert posted.count("Source #1 paused: Flaky Wire") == 1 and "[#admins]" in posted
    assert "/sources resume 1" in posted
    before = len(server.requests_for("/down.xml"))
    poller.poll(include_all=True)  # a paused source is not polled, and nobody is told again
    assert len(server.requests_for("/down.xml")) == before
    assert admin_stream.getvalue().count("paused") == posted.count("paused")
    assert len(server.requests_for("/up.xml")) == PAUSE_AFTER + 1


def test_cache_control_and_ttl_are_floors_for_the_next_poll(svc, poller, server, clock):
    server.add("/ttl.xml", rss(items(1), ttl=180))
    server.add("/cached.xml", rss(items(1, start=5)), headers={"Cache-Control": "max-age=7200"})
    server.add("/week.xml", rss(items(1, start=9)), headers={"Cache-Control": "max-age=9999999"})
    ids = [add(svc, server.url(p), interval_s=1800) for p in ("/ttl.xml", "/cached.xml", "/week.xml")]
    poller.poll()
    nxt = [get_source(svc.db, i)["next_poll_at"] for i in ids]
    assert nxt == ["2025-09-01T12:00:00+00:00", "2025-09-01T11:00:00+00:00", "2025-09-02T09:00:00+00:00"]


def test_only_due_sources_are_polled_unless_all(svc, poller, server, clock):
    server.add("/a.xml", rss(items(1)))
    server.add("/b.xml", rss(items(1, start=3)))
    add(svc, server.url("/a.xml"), interval_s=1800)
    add(svc, server.url("/b.xml"), interval_s=7200)
    assert len(poller.poll().polls) == 2
    clock.advance(minutes=31)
    assert [p.label for p in poller.poll().polls] == ["a.xml"]
    assert poller.poll().polls == []
    assert len(poller.poll(include_all=True).polls) == 2


def test_at_most_two_requests_at_a_time_to_one_host(svc, server):
    for n in range(6):
        server.route(f"/f{n}.xml", lambda req, n=n: Response(200, rss(items(1, start=n * 10)), delay=0.15))
        add(svc, server.url(f"/f{n}.xml"))
    with Fetcher(allow=["127.0.0.1"]) as fetcher:
        report = Poller(svc, fetcher=fetcher, workers=6).poll()
    assert len(report.polls) == 6 and not report.failed
    assert server.max_in_flight == 2


def test_a_wordpress_source_is_baselined_then_paged_incrementally(svc, poller, server, clock):
    posts = [wp_post(i, modified=f"2025-08-31T10:{i:02d}:00") for i in range(1, 4)]
    wordpress_api(server, "/wp-json/wp/v2/posts", posts)
    sid = add(svc, server.url("/wp-json/wp/v2/posts"), kind="wordpress")
    poller.poll()
    assert get_source(svc.db, sid)["cursor"] == "2025-08-31T10:03:00"
    posts += [wp_post(i, modified=f"2025-09-01T08:{i:02d}:00") for i in range(10, 35)]
    clock.advance(hours=1)
    report = poller.poll()
    assert [(p.new, p.duplicate) for p in report.polls] == [(25, 0)]
    stored = articles(svc, sid)
    assert len(stored) == 28 and sum(a["baseline"] for a in stored) == 3
    pages = [r.query.get("page") for r in server.requests_for("/wp-json/wp/v2/posts")[1:]]
    assert pages == ["1", "2"]


def test_an_html_article_source_is_stored_once(svc, poller, server, clock):
    page = article_page("Packaging pact", ["The ministry and eleven firms signed the packaging pact in Seoul."] * 3)
    server.add("/news/1.html", page, content_type="text/html", last_modified="Mon, 01 Sep 2025 08:00:00 GMT")
    add(svc, server.url("/news/1.html"), kind="html")
    poller.poll()
    clock.advance(hours=2)
    report = poller.poll()
    assert report.polls[0].outcome == "not_modified"
    assert server.requests_for("/news/1.html")[1].headers["if-modified-since"] == "Mon, 01 Sep 2025 08:00:00 GMT"
    assert [a["title"] for a in articles(svc)] == ["Packaging pact"]


def test_polled_articles_go_through_the_after_store_hook(tmp_path, server):
    seen = []

    class Recording(Services):
        def after_store(self, db, results, arts):
            seen.append(([r.outcome for r in results], [a.title for a in arts]))

    svc = Recording(Settings.from_env({}, db_path=str(tmp_path / "h.db"), fetch_allow=("127.0.0.1",)))
    try:
        server.add("/feed.xml", rss(items(2)))
        add(svc, server.url("/feed.xml"))
        Poller(svc).poll()
    finally:
        svc.close()
    assert seen == [(["new", "new"], ["Story 1 on packaging", "Story 2 on packaging"])]


def test_register_jobs_adds_one_interval_job_with_a_fixed_id(svc):
    register_jobs(svc, svc.scheduler)
    register_jobs(svc, svc.scheduler)
    svc.scheduler.start(paused=True)  # pending jobs reach the job store (and replace) on start
    register_jobs(svc, svc.scheduler)
    jobs = [j for j in svc.scheduler.get_jobs() if j.id == JOB_ID]
    assert len(jobs) == 1 and type(jobs[0].trigger).__name__ == "IntervalTrigger"


def test_a_source_removed_while_it_is_fetched_is_skipped_and_the_others_stored(svc, poller, server):
    from storage.db import open_db
    from storage.sources import remove_source

    def remove_then_answer(req):
        other = open_db(svc.settings.db_path)
        remove_source(other, gone)
        other.close()
        return Response(200, rss(items(2, start=50)))

    server.route("/gone.xml", remove_then_answer)
    server.add("/kept.xml", rss(items(2)))
    gone = add(svc, server.url("/gone.xml"))
    kept = add(svc, server.url("/kept.xml"))
    report = poller.poll()
    assert [p.source_id for p in report.polls] == [kept]
    assert [a["title"] for a in articles(svc)] == ["Story 1 on packaging", "Story 2 on packaging"]
    assert list(listing(svc)) == [kept]
