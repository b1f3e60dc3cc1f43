"""Benchmark: build one digest over N new articles without an LLM (select, read their facts,
cluster, extractive summaries, the message), the way `briefbot digest preview` does.

    python -m bench.digest            # 1,000 new articles
    python -m bench.digest --n 5000 --repeat 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="new articles in the period (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="digests built, best and median reported")
    args = parser.parse_args(argv)

    from bench.corpus import generate
    from bot.adapters.console.render import render
    from bot.app import Services
    from bot.config import Settings
    from digests.post import Target, build_for
    from ingest.article import Article
    from storage.articles import store_articles

    with tempfile.TemporaryDirectory() as tmp:
        services = Services(Settings.from_env({}, db_path=str(Path(tmp) / "bench.db")))
        articles = [Article(title=a.title, body=a.body, url=a.url, published=a.published) for a in generate(args.n)]
        # As ingestion stores them: with their facts extracted, which the digest reads and shows.
        results = store_articles(services.db, articles)
        services.after_store(services.db, results, articles)
        facts = services.db.execute("SELECT count(*) FROM facts").fetchone()[0]
        target = Target("console", "bench")
        times, digest = [], None
        for _ in range(args.repeat):
            started = time.perf_counter()
            digest = build_for(services, target)
            text = render(digest.to_reply())
            times.append(time.perf_counter() - started)
        services.close()
    assert digest is not None
    stories = len(digest.items) + len(digest.more)
    print(f"digest over {digest.article_count:,} new articles ({facts:,} facts extracted): {stories:,} stories, "
          f"{len(digest.items)} summarised ({digest.summarizer}), message {len(text):,} chars")
    print(f"build time: best {min(times):.2f} s, median {statistics.median(times):.2f} s over {args.repeat} runs "
          f"({os.cpu_count()} CPUs)")
    print(f"reproduce: python -m bench.digest --n {args.n} --repeat {args.repeat}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
