"""Benchmark: match N new articles against W watches at once, the way the hook after an ingest
or a poll does (compile and index the watches, read the articles and their facts, test each
article against the watches it could match).

    python -m bench.watches                       # 1,000 watches x 1,000 new articles
    python -m bench.watches --watches 5000 --articles 1000 --repeat 5

The watches mix what people write: words, phrases, org:, party:, kind:, amount>=, lang:, NOT,
OR, parentheses and a few re:/…/ patterns, over the corpus's own vocabulary and names.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path


def watch_filters(n: int, seed: int = 11) -> list[str]:
    """``n`` filters of the kinds people write, drawn from the corpus's words and names."""
    from bench.corpus import ORGS, TOPICS, vocabulary

    rng = random.Random(seed)
    vocab = vocabulary()[300:20000]  # past the commonest words: names and terms people watch for
    orgs = [o.removeprefix("the ") for o in ORGS]
    shapes = [
        lambda: rng.choice(vocab),
        lambda: f"{rng.choice(vocab)} {rng.choice(vocab)}",
        lambda: f'"{rng.choice(TOPICS)}"',
        lambda: f'org:"{rng.choice(orgs)}"',
        lambda: f'party:"{rng.choice(orgs)}" kind:agreement',
        lambda: f'kind:investment amount>={rng.randint(1, 900)}bn KRW',
        lambda: f'({rng.choice(vocab)} OR {rng.choice(vocab)}) NOT {rng.choice(vocab)}',
        lambda: f'org:"{rng.choice(orgs)}" "{rng.choice(TOPICS)}"',
        lambda: f"lang:ko {rng.choice(vocab)}",
        lambda: f"re:/{rng.choice(vocab)}[a-z]*s/ {rng.choice(vocab)}",
        lambda: f"{rng.choice([w for w in vocab[2000:] if len(w) >= 8])[:-1]}* -{rng.choice(vocab)}",
    ]
    return [rng.choice(shapes)() for _ in range(n)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watches", type=int, default=1000, help="watches (default 1000)")
    parser.add_argument("--articles", type=int, default=1000, help="new articles (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; best and median reported")
    args = parser.parse_args(argv)

    from bench.corpus import generate
    from bench.stats import cpu_seconds
    from bot.app import Services
    from bot.config import Settings
    from ingest.article import Article
    from storage.articles import store_articles
    from storage.watches import new_articles
    from watches.filter import parse
    from watches.match import Matcher, views

    filters = watch_filters(args.watches)
    watches = [{"id": i, "filter": parse(f), "after_article_id": 0} for i, f in enumerate(filters, 1)]
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(Settings.from_env({}, db_path=str(Path(tmp) / "bench.db")))
        articles = [Article(title=a.title, body=a.body, url=a.url, published=a.published)
                    for a in generate(args.articles, seed=23)]
        results = store_articles(services.db, articles)
        services.after_store(services.db, results, articles)  # their facts, as ingestion stores them
        db = services.db
        facts = db.execute("SELECT count(*) FROM facts").fetchone()[0]
        times, cpu, matches, tested = [], [], 0, 0
        for _ in range(args.repeat):
            started, cpu_started = time.perf_counter(), cpu_seconds()
            matcher = Matcher(db, watches)
            rows = new_articles(db, 0, 10**12)
            vs = views(db, rows)
            found = matcher.match(vs)
            times.append(time.perf_counter() - started)
            cpu.append(cpu_seconds() - cpu_started)
            matches = len(found)
        tested = sum(len(matcher.candidates(v)) for v in vs)
        services.close()
    pairs = args.watches * args.articles
    print(f"{args.watches:,} watches x {len(rows):,} new articles ({facts:,} facts): {matches:,} matches; "
          f"{tested:,} of {pairs:,} article-watch pairs tested ({100 * tested / pairs:.1f}%) through the index")
    print(f"match time (compile + index + read articles and facts + match): best {min(times):.2f} s, "
          f"median {statistics.median(times):.2f} s, CPU best {min(cpu):.2f} s over {args.repeat} rounds "
          f"({os.cpu_count()} CPUs)")
    print(f"reproduce: python -m bench.watches --watches {args.watches} --articles {args.articles} --repeat {args.repeat}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
