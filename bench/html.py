"""HTML ingest next to ``trafilatura.extract`` alone, on the same pages, in one run.

"HTML ingest" is what ``briefbot ingest FOLDER`` does with article pages before fact extraction
(which runs beside it, in a second process): read each file, detect the format, decode, extract
the text, title, canonical URL and published date (htmldate's extensive search), store in
batches with the full-text index. The baseline is ``trafilatura.extract`` on the same files
with trafilatura's own evaluation settings (``include_comments=False, include_tables=True``),
text only, each file read as ingest reads it. The two alternate every 25 pages after a warm-up
of both, so a noisy machine slows both alike; the ratio is pages/s of ingest over pages/s of
extract, in wall time and in CPU time (on a shared machine, wall time also counts the turns
other processes take, more so for the side that waits on reads and writes).

    python -m bench.html --pages ~/src/trafilatura            # its 1,032 cached pages
    python -m bench.html --pages DIR --limit 300 --rounds 3   # any folder of .html files

DIR is a trafilatura checkout (its ``tests/cache`` and ``tests/eval`` pages are used) or any
folder of HTML files.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.fidelity import tests_folder

GOAL = 0.8


def page_files(folder: Path, limit: int | None) -> list[Path]:
    """The HTML pages under ``folder`` (a trafilatura checkout's evaluation pages, or any)."""
    roots = [folder / "cache", folder / "eval"] if (folder / "eval").is_dir() else [folder]
    files = sorted(p for root in roots for p in root.rglob("*") if p.suffix in (".html", ".htm") and p.is_file())
    return files[:limit] if limit else files


CHUNK = 25  # pages per turn: the two alternate this often, so both meet the same load


def run_round(files: list[Path], db_path: str) -> dict:
    """One pass of each over every page file, alternating every CHUNK pages; wall and CPU
    seconds. Both read the files: on a shared machine a read can give the CPU away."""
    import trafilatura

    from ingest.pipeline import ingest_paths
    from storage.db import open_db

    if os.path.exists(db_path):
        os.remove(db_path)
    db = open_db(db_path)
    out = {"extract": 0.0, "extract_cpu": 0.0, "ingest": 0.0, "ingest_cpu": 0.0, "stored": 0}
    for i in range(0, len(files), CHUNK):
        w0, c0 = time.perf_counter(), time.process_time()
        for path in files[i : i + CHUNK]:
            trafilatura.extract(path.read_bytes(), include_comments=False, include_tables=True)
        w1, c1 = time.perf_counter(), time.process_time()
        report = ingest_paths(db, files[i : i + CHUNK])
        w2, c2 = time.perf_counter(), time.process_time()
        out["extract"] += w1 - w0
        out["extract_cpu"] += c1 - c0
        out["ingest"] += w2 - w1
        out["ingest_cpu"] += c2 - c1
        out["stored"] += len(set(report.article_ids))
    out["dated"] = db.execute("SELECT count(*) FROM articles WHERE published IS NOT NULL").fetchone()[0]
    db.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.html", description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", required=True, metavar="DIR",
                        help="a trafilatura checkout (or its tests folder), or a folder of .html files")
    parser.add_argument("--limit", type=int, help="use only the first N pages")
    parser.add_argument("--rounds", type=int, default=2, help="timed passes of each (default 2)")
    args = parser.parse_args(argv)
    import trafilatura

    files = page_files(tests_folder(args.pages), args.limit)
    if not files:
        print(f"no HTML pages under {args.pages}", file=sys.stderr)
        return 2
    size = sum(p.stat().st_size for p in files)
    print(f"briefbot HTML ingest vs trafilatura {trafilatura.__version__} extract: {len(files)} pages, "
          f"{size / 1_048_576:.0f} MiB")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="briefbot-bench-") as tmp:
        db_path = os.path.join(tmp, "html.db")
        # Warm-up: imports, and the date parser's per-language tables (a one-off per process).
        run_round(files[:CHUNK], db_path)
        ratios, cpu_ratios = [], []
        for round_ in range(1, args.rounds + 1):
            r = run_round(files, db_path)
            ratios.append(r["extract"] / r["ingest"])
            cpu_ratios.append(r["extract_cpu"] / r["ingest_cpu"])
            print(f"round {round_}: extract {len(files) / r['extract']:5.1f} pages/s "
                  f"({r['extract']:.1f}s, CPU {r['extract_cpu']:.1f}s); ingest {len(files) / r['ingest']:5.1f} "
                  f"pages/s ({r['ingest']:.1f}s, CPU {r['ingest_cpu']:.1f}s; {r['stored']} stored, "
                  f"{r['dated']} with a date); ratio {ratios[-1]:.2f} (CPU {cpu_ratios[-1]:.2f})")
    print(f"HTML ingest rate / trafilatura.extract rate: median {statistics.median(ratios):.2f} wall, "
          f"{statistics.median(cpu_ratios):.2f} CPU (goal at least {GOAL})")
    print("command:", " ".join(["python -m bench.html", *(argv if argv is not None else sys.argv[1:])]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
