"""Facts benchmark: what extraction (rules and the statistical reader) adds to ingest, how soon
stored articles are searchable and their facts answerable, the reader's own speed, peak memory,
and /who-signed latency over the synthetic corpus.

    python -m bench.facts               # 10,000 articles
    python -m bench.facts --n 100000    # the full run (goal: /who-signed p99 < 30 ms)
"""

from __future__ import annotations

import argparse
import logging
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import generate
from bench.ingest import write_corpus
from bench.stats import cpu_seconds, percentile
from ingest.article import Article
from ingest.pipeline import BATCH

QUERIES = [
    "/who-signed packaging MOU",
    "/who-signed advanced packaging",
    "/who-signed high-bandwidth memory",
    "/who-signed Samsung Electronics foundry",
    "/who-signed MOTIE battery",
    "/who-signed SK hynix chiplet",
    "/who-signed trade ministry hydrogen",
    "/who-signed Nvidia AI chips MOU",
    "/who-signed quantum computing deal",
    "/who-signed zeppelin airships",
]


def _articles(n: int) -> list[Article]:
    return [Article(title=a.title, body=a.body, url=a.url, published=a.published) for a in generate(n)]


def _ingest(path: Path, articles, *, extract: bool, parallel: bool | None = None) -> dict:
    """Ingest a folder of files through the pipeline (read, parse, store in batches), with or
    without extraction; or, given Article objects, store them in batches. Returns seconds until
    every article was stored (searchable), seconds until every fact was, and the lags from a
    batch stored to its facts stored."""
    from ingest.extract.run import BatchExtraction, after_store
    from ingest.pipeline import ingest_paths
    from storage.articles import store_articles
    from storage.db import open_db

    db = open_db(path)
    started = time.perf_counter()
    lags: list[float] = []
    if isinstance(articles, Path):
        # as `briefbot ingest` does it (bot.app.Services.ingest)
        batches = BatchExtraction(parallel=parallel)
        ingest_paths(db, [articles], after_store=batches.after_store if extract else None,
                     planned=batches.expect if extract else None)
        searchable = time.perf_counter() - started
        batches.close(db)
        lags = batches.lags
    else:
        for i in range(0, len(articles), BATCH):
            batch = articles[i: i + BATCH]
            results = store_articles(db, batch)
            if extract:
                after_store(db, results, batch)
        searchable = time.perf_counter() - started
    seconds = time.perf_counter() - started
    db.close()
    return {"searchable": searchable, "seconds": seconds, "lags": lags}


def reader_speed(n: int) -> tuple[float, float, int]:
    """Articles per CPU-second that extraction reads with the statistical reader, on ``n``
    synthetic articles in batches of 500: from no known names (every party parsed), and with
    the names of the batches before known (as an ingest goes on). Returns (cold, warm,
    sentences parsed)."""
    from ingest.extract import builtin_index, extract_batch
    from ingest.extract.reader import shared

    reader = shared()
    reader.parse(["The reader is loaded before the clock starts."])
    texts = [(a.title, a.body, a.published) for a in generate(n, seed=11)]
    rates = []
    for learn in (False, True):
        reader._cache.clear()
        index = builtin_index()
        parsed = reader.sentences
        before = time.process_time()
        for i in range(0, len(texts), BATCH):
            if not learn:
                index = builtin_index()
            for ex in extract_batch(index, texts[i: i + BATCH]):
                for g in ex.agreements:
                    for p in g.parties:
                        index.add(p.name, p.name)
        rates.append(len(texts) / (time.process_time() - before))
        sentences = reader.sentences - parsed
    return rates[0], rates[1], sentences


def _timed(fn, *args, **kwargs) -> tuple[float, float]:
    """``fn``'s result (seconds of wall time) and the CPU seconds it used, its child processes
    included."""
    before = cpu_seconds()
    seconds = fn(*args, **kwargs)
    return seconds, cpu_seconds() - before


def _pct(value: float, base: float) -> str:
    return f"{(value - base) / base * 100:+.0f}%"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles in the corpus (default 10,000)")
    parser.add_argument("--rounds", type=int, default=30, help="times each query is asked (default 30)")
    args = parser.parse_args(argv)
    logging.disable(logging.INFO)

    from bot.app import Services
    from bot.config import Settings

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        corpus = Path(tmp) / "corpus"
        write_corpus(args.n, corpus)
        print(f"corpus: {args.n:,} synthetic articles written as files in {time.perf_counter() - t0:.1f}s")
        plain, plain_cpu = _timed(_ingest, Path(tmp) / "plain.db", corpus, extract=False)
        serial, serial_cpu = _timed(_ingest, Path(tmp) / "serial.db", corpus, extract=True, parallel=False)
        with_facts, facts_cpu = _timed(_ingest, Path(tmp) / "facts.db", corpus, extract=True)
        n = args.n
        print("ingest = read, parse and store every file (`briefbot ingest`), same files each time")
        print(f"ingest without extraction:         {plain['seconds']:5.1f}s ({n / plain['seconds']:,.0f} articles/s, "
              f"{plain_cpu:.1f} CPU-s)")
        print(f"with extraction in one process:    {serial['seconds']:5.1f}s ({n / serial['seconds']:,.0f} articles/s, "
              f"{serial_cpu:.1f} CPU-s): {_pct(serial['seconds'], plain['seconds'])}")
        print(f"with extraction as briefbot does:  {with_facts['seconds']:5.1f}s "
              f"({n / with_facts['seconds']:,.0f} articles/s, {facts_cpu:.1f} CPU-s): "
              f"{_pct(with_facts['seconds'], plain['seconds'])}")
        print(f"  every article searchable after   {with_facts['searchable']:5.1f}s "
              f"({n / with_facts['searchable']:,.0f} articles/s; goal: at least 1,000/s)")
        lags = with_facts["lags"]
        if lags:
            print(f"  stored → facts answerable:       p50 {statistics.median(lags):.1f}s, max {max(lags):.1f}s "
                  f"over {len(lags)} batches of {BATCH}")
        peak_main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        peak_worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"  peak memory: {peak_main:,.0f} MB this process, {peak_worker:,.0f} MB the extraction process "
              f"(goal: under 400 MB with the model loaded)")
        cold, warm, parsed = reader_speed(min(n, 2000))
        print(f"extraction with the statistical reader: {cold:,.0f} articles per CPU-second with no names known "
              f"({parsed:,} sentences parsed), {warm:,.0f} as names become known (goal: at least 150/s)")

        services = Services(Settings.from_env({}, db_path=str(Path(tmp) / "facts.db")))
        counts = dict(services.db.execute("SELECT kind, count(*) FROM facts GROUP BY kind").fetchall())
        print("facts stored: " + ", ".join(f"{v:,} {k}s" for k, v in sorted(counts.items())))
        for q in QUERIES:  # warm the page cache and the command registry
            services.ask(q)
        latencies = []
        for _ in range(args.rounds):
            for q in QUERIES:
                started = time.perf_counter()
                reply = services.ask(q)
                latencies.append((time.perf_counter() - started) * 1000)
                assert reply.kind in ("answer", "empty"), (q, reply.kind)
        services.close()
    p50, p99 = statistics.median(latencies), percentile(latencies, 99)
    print(f"/who-signed over {len(latencies)} asks of {len(QUERIES)} queries: "
          f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(latencies):.1f} ms (goal: p99 < 30 ms)")
    print(f"reproduce: python -m bench.facts --n {args.n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
