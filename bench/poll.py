"""Polling benchmark: N feeds on one loopback server, polled twice with conditional GET.

The first round downloads, parses and stores every feed; the second must be all 304s and move
no feed bodies. All feeds share one host, so the per-host limit (2 requests at a time) applies.

    python -m bench.poll              # 200 feeds (quick)
    python -m bench.poll --feeds 1000 # the full size recorded in docs/BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(prog="python -m bench.poll", description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=200, help="number of feeds (default 200; full size 1000)")
    parser.add_argument("--items", type=int, default=10, help="items per feed (default 10)")
    parser.add_argument("--workers", type=int, default=8, help="poller threads (default 8)")
    args = parser.parse_args(argv)

    from bot.app import Services
    from bot.config import Settings
    from ingest.poller import Poller
    from storage.sources import add_source
    from tests.fakes.feed_server import FeedServer, items, rss

    with tempfile.TemporaryDirectory() as tmp, FeedServer() as server:
        settings = Settings.from_env({}, db_path=os.path.join(tmp, "bench.db"), fetch_allow=("127.0.0.1",))
        services = Services(settings)
        feed_bytes = 0
        for n in range(args.feeds):
            body = rss(items(args.items, start=n * args.items, site=f"https://feed{n}.example"), title=f"Feed {n}")
            feed_bytes += len(body)
            server.add(f"/feed/{n}.xml", body, etag=f'"feed-{n}-v1"', last_modified="Mon, 01 Sep 2025 10:00:00 GMT")
            add_source(services.db, kind="rss", url=server.url(f"/feed/{n}.xml"), name=f"Feed {n}", created_by="bench")
        poller = Poller(services, workers=args.workers)

        started = time.perf_counter()
        first = poller.poll(include_all=True)
        t1 = time.perf_counter() - started
        bytes1, requests1 = server.body_bytes(), len(server.requests)

        server.clear()
        started = time.perf_counter()
        second = poller.poll(include_all=True)
        t2 = time.perf_counter() - started
        bytes2, requests2 = server.body_bytes(), len(server.requests)
        not_modified = sum(1 for r in server.requests if r.status == 304)
        stored = services.db.execute("SELECT count(*) FROM articles").fetchone()[0]
        services.close()

    ok1 = t1 < 30 and not first.failed and first.total("new") == args.feeds * args.items
    ok2 = bytes2 == 0 and not_modified == args.feeds and second.total("new") == 0
    print(f"polling benchmark: {args.feeds} feeds × {args.items} items on one loopback host, "
          f"{args.workers} workers, at most 2 requests at a time per host, {os.cpu_count()} CPU(s)")
    print(f"  round 1 (cold):        {t1:6.2f} s  {requests1} requests, {bytes1 / 1_048_576:.1f} MiB of feed bodies, "
          f"{first.total('new')} articles stored ({args.feeds / t1:,.0f} feeds/s)  {'OK' if ok1 else 'MISSED (< 30 s, all stored)'}")
    print(f"  round 2 (conditional): {t2:6.2f} s  {requests2} requests, {not_modified} answered 304, "
          f"{bytes2} body bytes, {second.total('new')} new ({args.feeds / t2:,.0f} feeds/s)  {'OK' if ok2 else 'MISSED (all 304, 0 bytes)'}")
    print(f"  database: {stored} articles; feed bodies total {feed_bytes / 1_048_576:.1f} MiB")
    print(f"reproduce: python -m bench.poll --feeds {args.feeds} --items {args.items} --workers {args.workers}")
    return 0 if ok1 and ok2 else 1


if __name__ == "__main__":
    sys.exit(main())
