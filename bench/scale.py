"""Every command at two sizes of one archive: per-call time, and what does not grow with it.

    python -m bench.scale --build 10000 --db /tmp/scale-10k.db --build 100000 --db /tmp/scale-100k.db
    python -m bench.scale --db /tmp/scale-10k.db --db /tmp/scale-100k.db
    python -m bench.scale --alternate --rounds 15 --db /tmp/scale-10k.db --db /tmp/scale-100k.db
    python -m bench.scale --console --db /tmp/scale-2k.db --db /tmp/scale-20k.db
    python -m bench.scale --console --alternate --rounds 15 --db /tmp/scale-2k.db --db /tmp/scale-20k.db

An archive is the seeds plus N synthetic articles (``bench/corpus.py``, 90%; ``bench/corpus_ko.py``,
10% Korean) ingested in the order of their dates (as feeds deliver news; the generators draw
dates at random) through ``Services.ingest`` with their facts, as ``briefbot ingest`` stores
them; ``--build N`` makes one (once: a database that exists is reused). Then, on each database:

- every command of ``COMMANDS`` through ``Services.ask`` (dispatch, queries, reply): the median
  of ``--rounds`` calls after one warm-up call;
- ``briefbot ask`` of each command with a 100,000-character argument, as a process (it must
  answer or refuse within 1 s; stopped after a minute);
- ``briefbot ask "/latest 1"`` and ``briefbot serve console`` with no input (start and stop), as
  processes, best of five;
- ``briefbot digest preview --json`` as a process: wall time and peak resident memory.

``--console`` runs the commands through one ``briefbot serve console`` process instead (its JSON
log gives each command's time), then ``/digest preview`` alone in another (best of three, and
its peak memory). ``--console --alternate`` runs one console per database side by side and sends
each call to one, then the same to the other (a shared machine's load then falls on both alike);
``--alternate`` alone does the same through ``Services.ask`` (both databases open in one process).
The table gives each figure at both sizes and the ratio; every command should stay under 2×.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = [
    "/find neuromorphic", "/find Samsung Electronics MOU", "/find semiconductor", "/find 하이닉스",
    "/find investment",  # in every article, in no title: the ranking bm25() does is not skipped
    # a word in 90% of the articles with a rarer one: in one article (a seed), in two, and a
    # synthetic word in about 1% of them
    "/find signed Eltower", "/find signed partnership", "/find signed jinlovelri",
    "/latest 5", "/latest 5 packaging", "/latest 5 반도체", "/latest 5 neuromorphic",
    "/who-signed packaging MOU", "/who-signed 업무협약", "/how-much packaging", "/how-much 투자",
    "/whois MOTIE", "/whois Samsung Electronics", "/whois SK하이닉스", "/whois Hana",
    "/timeline packaging", "/brief packaging", "/sources list", "/sources errors",
    "/watch list", "/watch test party:\"SK hynix\" kind:agreement", "/digest list", "/briefbot help",
]
LONG = "packaging " * 10_000  # 100,000 characters
LONG_COMMANDS = ["/find", "/latest 5", "/who-signed", "/how-much", "/whois", "/timeline", "/brief",
                 "/watch test", "/sources add", "/digest subscribe"]


def build(n: int, db: str) -> None:
    """Store the seeds and ``n`` synthetic articles (10% Korean) with their facts in ``db``."""
    from bench.corpus import generate as english
    from bench.corpus_ko import generate as korean
    from bot.app import Services
    from bot.config import Settings

    if Path(db).exists():
        print(f"{db}: exists, reused")
        return
    ko = n // 10
    # stored in the order of their dates, as feeds deliver news (the generators draw dates at random)
    items = sorted([("en", a) for a in english(n - ko)] + [("ko", a) for a in korean(ko, seed=11)],
                   key=lambda item: item[1].published)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i, (lang, art) in enumerate(items):
            sub = folder / f"{i // 1000:04d}"
            sub.mkdir(exist_ok=True)
            published = art.published if lang == "en" else art.published.replace("-", ".")
            label = "Published " if lang == "en" else ""
            (sub / f"{i:06d}-{lang}.txt").write_text(f"{art.title}\n\n{label}{published}\n\n{art.body}\n",
                                                     encoding="utf-8")
        services = Services(Settings.from_env({}, db_path=db, seeds_dir=str(ROOT / "seeds")))
        try:
            services.load_seeds_if_empty()
            started = time.perf_counter()
            report = services.ingest([folder])
        finally:
            services.close()
    print(f"{db}: stored {len(set(report.article_ids)):,} articles in {time.perf_counter() - started:.0f} s")


def _env(db: str) -> dict:
    # The processes start as an installed bot starts: from its compiled bytecode (an environment
    # that forbids writing it would time Python compiling every module on every start).
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "DISCORD_", "OPENAI_", "BRIEFBOT_")) and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(BRIEFBOT_DB=db, BRIEFBOT_SEEDS=str(Path(db).parent / "no-seeds"), PYTHONPATH=str(ROOT))
    return env


def _process(args: list[str], db: str, stdin: str = "") -> tuple[float, float, str]:
    """Run ``python -m bot ARGS``: (wall seconds, peak resident MiB of this process's largest
    child so far, stdout); ``_isolated`` makes that child the only one."""
    import resource

    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=_env(db), text=True,
                          input=stdin, capture_output=True, check=False)
    wall = time.perf_counter() - started
    return wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, proc.stdout


def _isolated(args: list[str], db: str, stdin: str = "") -> tuple[float, float, str]:
    """``_process`` in a fresh helper process, so the peak memory is that command's alone."""
    code = ("import json, sys; from bench.scale import _process; "
            f"print(json.dumps(_process({args!r}, {db!r}, {stdin!r})))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(db), capture_output=True,
                         text=True, check=True).stdout
    wall, rss, stdout = json.loads(out.strip().splitlines()[-1])
    return wall, rss, stdout


LONG_TIMEOUT_S = 60
# What an admin command with a long argument may store: removed after, so that every run (and the
# digest measured next) sees the archive as it was built.
ADMIN_TABLES = ("digest_subscriptions", "digest_cursors", "watches", "sources", "audit", "aliases")


def _marks(db: str) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT COALESCE(max(rowid), 0) FROM {t}").fetchone()[0] for t in ADMIN_TABLES}


def _forget_since(db: str, marks: dict[str, int]) -> None:
    import sqlite3

    with sqlite3.connect(db) as conn:
        for table, last in marks.items():
            conn.execute(f"DELETE FROM {table} WHERE rowid > ?", [last])


def _long(line: str, db: str) -> float:
    """Milliseconds ``briefbot ask --as-admin "LINE <100,000 characters>"`` takes (start-up
    included; ``LONG_TIMEOUT_S`` when it had not answered by then: it is stopped)."""
    started = time.perf_counter()
    try:
        subprocess.run([sys.executable, "-m", "bot", "ask", "--as-admin", f"{line} {LONG}"], cwd=ROOT,
                       env=_env(db), capture_output=True, timeout=LONG_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        return LONG_TIMEOUT_S * 1000
    return (time.perf_counter() - started) * 1000


def measure(db: str, rounds: int) -> dict[str, float]:
    """Figure name → value (ms or MiB) on one database."""
    return measure_calls([db], rounds)[0] | measure_processes(db)


def measure_calls(dbs: list[str], rounds: int) -> list[dict[str, float]]:
    """Each command's time through ``Services.ask`` on each database (median of ``rounds``
    after a warm-up call); with several databases, each call goes to one, then the same to
    the next (alternately first), so a change of load falls on every size alike."""
    from bot.app import Services
    from bot.config import Settings

    out: list[dict[str, float]] = [{} for _ in dbs]
    services = [Services(Settings.from_env({}, db_path=db, seeds_dir=str(ROOT / "no-seeds"))) for db in dbs]
    try:
        for k, svc in enumerate(services):
            svc.ask("/latest 1")  # opens (and migrates) the database
            out[k]["articles"] = svc.db.execute("SELECT max(id) FROM articles").fetchone()[0]
        for line in COMMANDS:
            times: list[list[float]] = [[] for _ in dbs]
            for svc in services:
                svc.ask(line, is_admin=True)
            for i in range(rounds):
                for k in (range(len(dbs)) if i % 2 == 0 else reversed(range(len(dbs)))):
                    started = time.perf_counter()
                    services[k].ask(line, is_admin=True)
                    times[k].append((time.perf_counter() - started) * 1000)
            for k in range(len(dbs)):
                out[k][line] = statistics.median(times[k])
    finally:
        for svc in services:
            svc.close()
    return out


def measure_processes(db: str) -> dict[str, float]:
    """The figures of ``briefbot`` processes on one database (see the module's doc)."""
    out: dict[str, float] = {}
    marks = _marks(db)
    for line in LONG_COMMANDS:
        out[f"process: ask \"{line} <100,000 characters>\""] = _long(line, db)
    _forget_since(db, marks)  # what an admin command stored (a version without limits stores it)
    out["process: ask \"/latest 1\""] = min(_process(["ask", "/latest 1"], db)[0] for _ in range(5)) * 1000
    out["process: serve console, no input"] = min(_process(["serve", "console"], db)[0] for _ in range(5)) * 1000
    wall, rss, text = _isolated(["digest", "preview", "--json"], db)
    out["process: digest preview --json"] = wall * 1000
    out["process: digest preview --json, peak MiB"] = rss
    out["digest preview stories"] = len(json.loads(text).get("items", [])) + len(json.loads(text).get("more", []))
    return out


def measure_console(db: str, rounds: int) -> dict[str, float]:
    """Figure name → value, the commands through one ``serve console`` process."""
    lines = [line for line in COMMANDS for _ in range(rounds + 1)]
    env = _env(db) | {"BRIEFBOT_LOG_FORMAT": "json", "BRIEFBOT_LOG_LEVEL": "INFO"}
    proc = subprocess.run([sys.executable, "-m", "bot", "serve", "console"], cwd=ROOT, env=env, text=True,
                          input="\n".join(lines) + "\n", capture_output=True, check=False)
    seen: dict[str, list[float]] = {}
    latencies = [json.loads(x) for x in proc.stderr.splitlines() if x.startswith("{") and '"latency_ms"' in x]
    for line, record in zip(lines, latencies, strict=False):
        seen.setdefault(line, []).append(record["latency_ms"])
    out: dict[str, float] = {line: statistics.median(v[1:] or v) for line, v in seen.items()}
    return out | _digest_preview(db)


DIGEST_RUNS = 3


def _digest_preview(db: str) -> dict[str, float]:
    """``/digest preview`` in a ``serve console`` process of its own: the best wall time of
    ``DIGEST_RUNS`` (start-up included) and the peak memory of that run."""
    wall, rss, _ = min(_isolated(["serve", "console"], db, "/digest preview\n") for _ in range(DIGEST_RUNS))
    return {"process: serve console, /digest preview": wall * 1000,
            "process: serve console, /digest preview, peak MiB": rss}


def _console(db: str) -> subprocess.Popen:
    """A ``briefbot serve console`` process over ``db`` that logs each command's time (JSON)."""
    env = _env(db) | {"BRIEFBOT_LOG_FORMAT": "json", "BRIEFBOT_LOG_LEVEL": "INFO"}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "console"], cwd=ROOT, env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=1)
    threading.Thread(target=proc.stdout.read, daemon=True).start()  # the replies: read, not kept
    return proc


def _console_ask(proc: subprocess.Popen, line: str) -> float:
    """Send one command line; its time (ms) from the process's log."""
    proc.stdin.write(line + "\n")
    proc.stdin.flush()
    for text in proc.stderr:
        if text.startswith("{") and '"latency_ms"' in text:
            return json.loads(text)["latency_ms"]
    raise RuntimeError(f"the console over {proc.args} ended before answering {line!r}")


def measure_alternating(dbs: list[str], rounds: int) -> list[dict[str, float]]:
    """Figure name → value for each database, the commands through one ``serve console``
    process per database, both running: each call goes to one, then the same to the other, so
    a change of load on a shared machine falls on both sizes alike (median of ``rounds``)."""
    procs = [_console(db) for db in dbs]
    out: list[dict[str, float]] = [{} for _ in dbs]
    try:
        for line in COMMANDS:
            seen: list[list[float]] = [[] for _ in dbs]
            for i in range(rounds + 1):
                order = range(len(procs)) if i % 2 == 0 else reversed(range(len(procs)))
                for k in order:
                    latency = _console_ask(procs[k], line)
                    if i:  # the first call of each is a warm-up
                        seen[k].append(latency)
            for k in range(len(dbs)):
                out[k][line] = statistics.median(seen[k])
    finally:
        for proc in procs:
            proc.stdin.close()
            proc.wait(timeout=60)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", required=True, help="database (give two: small, then large)")
    parser.add_argument("--build", action="append", type=int, default=[],
                        help="articles to store in the --db at the same position, when it does not exist")
    parser.add_argument("--rounds", type=int, default=5, help="calls per command (median reported)")
    parser.add_argument("--console", action="store_true", help="through `briefbot serve console`")
    parser.add_argument("--alternate", action="store_true",
                        help="each call to one database, then the same to the other (with --console: one "
                             "console per database, side by side)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    for n, db in zip(args.build, args.db, strict=False):
        build(n, db)
    if args.build:
        return 0
    if args.console and args.alternate:
        figures = measure_alternating(args.db, args.rounds)
        for db, figure in zip(args.db, figures, strict=True):
            figure.update(_digest_preview(db))
    elif args.alternate:
        figures = measure_calls(args.db, args.rounds)
        for db, figure in zip(args.db, figures, strict=True):
            figure.update(measure_processes(db))
    else:
        figures = [(measure_console if args.console else measure)(db, args.rounds) for db in args.db]
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    sizes = [f"{int(f.get('articles') or 0):,}" if "articles" in f else Path(db).name for f, db in zip(figures, args.db, strict=True)]
    print(f"{'what':<52} " + " ".join(f"{s:>12}" for s in sizes) + "   ratio")
    for key in figures[0]:
        if key in ("articles",) or key.endswith(" kind"):
            continue
        values = [f.get(key) for f in figures]
        unit = "MiB" if "MiB" in key else ("" if "stories" in key else "ms")
        cells = " ".join(f"{v:>9.1f} {unit:<2}" if isinstance(v, (int, float)) else f"{'—':>12}" for v in values)
        ratio = (values[-1] / values[0]) if all(isinstance(v, (int, float)) and v for v in values) else None
        late = "  (stopped at the time limit)" if "100,000" in key and values[-1] >= LONG_TIMEOUT_S * 1000 else ""
        print(f"{key:<52} {cells}  {f'{ratio:.2f}×' if ratio else ''}{late}")
    mode = (" --console" if args.console else "") + (" --alternate" if args.alternate else "")
    mode += f" --rounds {args.rounds}" if args.rounds != 5 else ""
    print(f"({os.cpu_count()} CPUs; reproduce: python -m bench.scale{mode} " + " ".join(f"--db {d}" for d in args.db) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
