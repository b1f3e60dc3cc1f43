"""What the extraction state costs: the look for articles stored without facts that every
``briefbot ingest`` and ``serve`` start makes, and ``doctor`` too.

A database of N articles (about 500 words each, stored directly, not parsed) is made once in a
temporary folder; the count of unread articles is timed with every article unread and with every
article read (the usual case: an anti-join over a covering index), five times each.

    python -m bench.extraction_state              # 100,000 articles
    python -m bench.extraction_state --n 10000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from storage.db import open_db
from storage.extraction import count_unread, mark_read


def timed(db, runs: int = 5) -> tuple[int, float]:
    """(unread count, median milliseconds) over ``runs`` counts."""
    times, n = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        n = count_unread(db)
        times.append((time.perf_counter() - started) * 1000)
    return n, statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    """Build the database, time the counts, print the figures and the command."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles (default 100,000)")
    args = parser.parse_args(argv)
    body = " ".join(f"word{i}" for i in range(500))
    with tempfile.TemporaryDirectory(prefix="briefbot-bench-") as tmp:
        db = open_db(Path(tmp) / "state.db")
        with db.atomic():
            db.conn.executemany(
                "INSERT INTO articles(title, fetched, body, content_hash) VALUES (?,?,?,?)",
                ((f"Article {i}", "2025-01-01T00:00:00", f"{body} {i}", f"h{i}") for i in range(args.n)))
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        unread, unread_ms = timed(db)
        with db.atomic():
            mark_read(db, range(1, args.n + 1), "2025-01-01T00:00:00")
        read, read_ms = timed(db)
        db.close()
    print(f"{args.n:,} articles: count with all unread {unread_ms:.1f} ms ({unread:,}), "
          f"with all read {read_ms:.1f} ms ({read:,}); median of 5")
    print(f"reproduce: python -m bench.extraction_state --n {args.n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
