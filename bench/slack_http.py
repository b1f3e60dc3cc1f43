"""Slack HTTP mode under a burst: N signed slash commands at once; ack and answer latencies.

    python -m bench.slack_http            # 200 concurrent commands (the default), seeds only
    python -m bench.slack_http --n 50
    python -m bench.slack_http --articles 100000 --db /tmp/bench-slack.db   # a large archive

The bot serves `serve slack --http`'s code path on loopback with the seeds loaded; a fake Slack
(tests/fakes/slack_api.py) sends the commands and receives the answers at their response_urls.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from bench.stats import percentile

ROOT = Path(__file__).resolve().parent.parent
LINES = ["/find neuromorphic", "/latest 5", "/briefbot find packaging", "/find MOU signed",
         "/who-signed packaging MOU", "/how-much packaging", "/whois MOTIE", "/timeline packaging"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="concurrent commands (default 200)")
    parser.add_argument("--articles", type=int, default=0,
                        help="synthetic articles stored besides the seeds (default 0)")
    parser.add_argument("--db", help="database to use and keep; reused when it already holds the corpus")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from bot.adapters.slack.app import start
    from bot.app import Services
    from bot.config import Settings
    from bot.serve import adapter_options
    from tests.fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, FakeSlack

    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as fake:
        db_path = args.db or os.path.join(tmp, "bench.db")
        settings = replace(
            Settings.from_env({}, db_path=db_path, seeds_dir=str(ROOT / "seeds")),
            slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake.api_url, slack_http_host="127.0.0.1",
        )
        services = Services(settings)
        services.load_seeds_if_empty()
        stored = services.db.execute("SELECT count(*) FROM articles").fetchone()[0]
        if stored < args.articles + 4:
            from bench.ingest import write_corpus

            corpus = Path(tmp) / "corpus"
            write_corpus(args.articles, corpus)
            t = time.perf_counter()
            services.ingest([corpus])
            print(f"stored {args.articles:,} synthetic articles (with extraction) in {time.perf_counter() - t:.0f} s")
        stored = services.db.execute("SELECT count(*) FROM articles").fetchone()[0]
        runtime = start(services, adapter_options(services, http=True, port=0))
        fake.app_url = runtime.http.url.removesuffix(runtime.http.path)
        fake.command("/find warmup").answer()

        gate = threading.Barrier(args.n)

        def send(i: int):
            gate.wait()
            started = time.monotonic()
            sent = fake.command(LINES[i % len(LINES)], user_id=f"U0BENCH{i:03d}")
            return started, sent

        t0 = time.perf_counter()
        with ThreadPoolExecutor(args.n) as pool:
            results = list(pool.map(send, range(args.n)))
        answers = [sent.answer(timeout=60) for _, sent in results]
        wall = time.perf_counter() - t0
        runtime.close()
        services.close()

    acks = [sent.seconds * 1000 for _, sent in results]
    done = [(msg.received.at - started) * 1000 for (started, _), msg in zip(results, answers, strict=True)]
    bad = sum(1 for _, sent in results if sent.status != 200)
    print(f"Slack HTTP burst: {args.n} concurrent signed slash commands, {stored:,} articles stored, "
          f"{os.cpu_count()} CPUs")
    print(f"  acknowledged: {args.n - bad}/{args.n} with 200; ack ms p50 {statistics.median(acks):.0f}  "
          f"p95 {percentile(acks, 95):.0f}  p99 {percentile(acks, 99):.0f}  max {max(acks):.0f}; "
          f"within 3 s: {sum(1 for a in acks if a < 3000)}/{args.n}")
    print(f"  answered at response_url: {len(answers)}/{args.n}; answer ms p50 {statistics.median(done):.0f}  "
          f"p95 {percentile(done, 95):.0f}  p99 {percentile(done, 99):.0f}  max {max(done):.0f}")
    print(f"  all answered in {wall:.2f} s ({args.n / wall:.0f} commands/s)")
    extra = f" --articles {args.articles}" if args.articles else ""
    print(f"reproduce: python -m bench.slack_http --n {args.n}{extra}")
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main())
