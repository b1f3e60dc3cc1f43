"""Bulk ingest and /find latency on a synthetic corpus, next to the raw FTS5 baseline.

What is measured is what a user's bulk ingest does: the corpus is written as plain-text files
(title line, "Published <date>" line, body) into a temporary folder, then the folder is ingested
through ``Services.ingest`` exactly as ``briefbot ingest FOLDER`` does (read, detect, parse,
store in batches of one transaction each, extract the facts of each batch beside the next).
Writing the files is not timed; CPU time includes the extraction process.

Then 200 fixed queries (very common words, organisation names, topics, rare words, mixes) run
through the real ``/find`` command path (``Services.ask("/find …")``: dispatch, search, snippet,
reply), and, on the same database in the same run, through the raw FTS5 baseline
``SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT 10`` with
every word of the query required (``fts_query``).

    python -m bench.ingest                  # 10,000 articles
    python -m bench.ingest --n 100000       # the large run (a few minutes)
    python -m bench.ingest --db /tmp/big.db # keep the database; a rerun skips the ingest
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import CITIES, ORGS, TOPICS, generate, vocabulary
from bench.stats import cpu_seconds, percentile

BASELINE_SQL = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT 10"
COMMON = ["semiconductor", "MOU", "Samsung Electronics", "korea", "investment", "the", "billion won",
          "chip", "industry", "government", "technology", "research", "production", "market",
          "companies", "said", "memorandum of understanding", "agreement", "joint research", "signed"]


def fixed_queries(count: int = 200, seed: int = 11) -> list[tuple[str, str]]:
    """``count`` (class, query) pairs, the same on every run: common words, names, rare words."""
    rng = random.Random(seed)
    vocab = vocabulary()
    rare = vocab[2000:]
    queries = [("common", q) for q in COMMON]
    queries += [("name", o.removeprefix("the ")) for o in ORGS]
    queries += [("topic", t) for t in TOPICS]
    queries += [("name", c) for c in CITIES]
    while len(queries) < count:
        pick = rng.random()
        if pick < 0.45:
            queries.append(("rare", rng.choice(rare)))
        elif pick < 0.65:
            queries.append(("mixed", f"{rng.choice(COMMON)} {rng.choice(rare)}"))
        elif pick < 0.85:
            queries.append(("mixed", f"{rng.choice(ORGS).removeprefix('the ')} {rng.choice(TOPICS)}"))
        else:
            queries.append(("mid", rng.choice(vocab[25:2000])))
    return queries[:count]


def write_corpus(n: int, folder: Path) -> None:
    """The synthetic corpus as text files, 1,000 to a subfolder."""
    for i, art in enumerate(generate(n)):
        sub = folder / f"{i // 1000:04d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:06d}.txt").write_text(f"{art.title}\n\nPublished {art.published}\n\n{art.body}\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles to generate (default 10,000)")
    parser.add_argument("--queries", type=int, default=200, help="fixed queries to time (default 200)")
    parser.add_argument("--db", help="database file to use and keep (default: a temporary one)")
    args = parser.parse_args(argv)

    from bot.app import Services
    from bot.config import Settings
    from storage.articles import count_articles, fts_query

    tmp = tempfile.TemporaryDirectory(prefix="briefbot-bench-")
    db_path = args.db or os.path.join(tmp.name, "bench.db")
    services = Services(Settings(db_path=db_path))
    print(f"briefbot bench: {args.n:,} articles, {args.queries} queries; database {db_path}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"SQLite {services.db.execute('select sqlite_version()').fetchone()[0]}")

    have = count_articles(services.db)
    if have >= args.n:
        print(f"ingest: skipped, the database already holds {have:,} articles")
    else:
        folder = Path(tmp.name) / "corpus"
        t0 = time.perf_counter()
        write_corpus(args.n, folder)
        print(f"wrote {args.n:,} text files in {time.perf_counter() - t0:.1f}s (not timed below)")
        t0, cpu0 = time.perf_counter(), cpu_seconds()
        report = services.ingest([folder])
        seconds, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
        stored = len(report.article_ids)
        # CPU time too: on a shared machine, wall time also counts other processes' turns
        print(f"ingest: {stored:,} articles from {len(report.inputs):,} files in {seconds:.1f}s = "
              f"{stored / seconds:,.0f} articles/s ({stored / cpu:,.0f} per CPU-second; "
              f"{len(report.failed)} failed)")

    queries = fixed_queries(args.queries)
    db = services.db
    for _, q in queries[:20]:  # warm the page cache for both paths alike
        db.execute(BASELINE_SQL, [fts_query(q)]).fetchall()
        services.ask(f"/find {q}")
    raw: dict[str, list[float]] = {}
    find: dict[str, list[float]] = {}
    empty = 0
    for kind, q in queries:
        match = fts_query(q)
        t0 = time.perf_counter()
        db.execute(BASELINE_SQL, [match]).fetchall()
        raw.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        reply = services.ask(f"/find {q}")
        find.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
        if not reply.ok:
            print(f"  /find {q!r} failed: {reply.title}", file=sys.stderr)
        empty += reply.kind == "empty"

    def line(label: str, values: list[float]) -> str:
        return (f"{label:<22} p50 {statistics.median(values):7.2f} ms   p99 {percentile(values, 99):7.2f} ms   "
                f"max {max(values):7.2f} ms")

    all_raw = [v for vs in raw.values() for v in vs]
    all_find = [v for vs in find.values() for v in vs]
    print(f"queries: {len(queries)} ({', '.join(f'{k} {len(v)}' for k, v in raw.items())}); {empty} found nothing")
    print(line("raw FTS5 baseline", all_raw))
    print(line("/find (command path)", all_find))
    for kind in raw:
        print(line(f"  {kind}: raw", raw[kind]))
        print(line(f"  {kind}: /find", find[kind]))
    ratio = percentile(all_find, 99) / percentile(all_raw, 99)
    print(f"/find p99 / raw p99 = {ratio:.2f} (goal: at most 0.50)")
    print("command:", " ".join(["python -m bench.ingest", *(argv if argv is not None else sys.argv[1:])]))
    services.close()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
