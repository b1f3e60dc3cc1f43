"""Korean search, side by side: how each way of indexing Korean finds words, what it costs.

Four indexes over the same synthetic Korean articles (``bench/corpus_ko.py``, plus the Korean
texts under ``tests/eval/ko*``), each in its own SQLite file:

- ``eojeol``: FTS5 ``unicode61`` on the text as it is (what every article had before: a run of
  Hangul with its particles is one token).
- ``pieces``: what briefbot does (``ingest.korean.search_terms``): each run of Hangul, spaces
  inside ignored, as its two-syllable pieces in FTS5 ``unicode61``; a query word is the phrase of
  its pieces (one syllable: a prefix).
- ``trigram``: FTS5 ``trigram`` on the text with the spaces between Hangul syllables removed;
  query words of one or two syllables, which a trigram index cannot answer, fall back to
  ``LIKE`` over the Korean articles' text.
- ``kiwi``: the morphological analyser kiwipiepy (with kiwipiepy-model): the forms of content
  morphemes in FTS5 ``unicode61``, queries analysed the same way. Only when it is installed
  (``pip install kiwipiepy kiwipiepy-model``): briefbot does not depend on it.

For each: recall and precision against what the generator put in each article (an article
names a word when it holds the word as a noun, as half of a compound, or inside an
organisation's name: "하이닉스" in "SK하이닉스"), index size (the file, after VACUUM), indexing
speed (articles/s, terms included), and query latency (p50/p99).

    python -m bench.korean                 # 2,000 articles
    python -m bench.korean --n 5000

``--store`` measures the commands instead: a store of ``--n`` English and Korean articles
(``--ko-share`` of them Korean, default 20%) ingested through ``Services.ingest`` as
``briefbot ingest`` does, then Korean ingest speed on its own, and ``/find`` latency for
English and Korean queries on the mixed store:

    python -m bench.korean --store --n 100000 --db /tmp/mixed100k.db
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.corpus_ko import ORGS, KoArticle, generate, queries
from bench.stats import percentile
from ingest.korean import HANGUL, query_terms, search_terms

_SPACES = re.compile(f"(?<=[{HANGUL}])\\s+(?=[{HANGUL}])")
_CONTENT = ("NNG", "NNP", "NNB", "NR", "SL", "SH", "SN", "XR", "VV", "VA")


@dataclass
class Method:
    """One way of indexing Korean: how text becomes indexed text, how a query becomes MATCH."""

    name: str
    tokenize: str
    text: Callable[[str], str]
    match: Callable[[str], tuple[str | None, list[str]]]  # (MATCH expression, LIKE fallbacks)


def _squash(text: str) -> str:
    return _SPACES.sub("", text)


def _trigram_match(query: str) -> tuple[str | None, list[str]]:
    long, short = [], []
    for word in query.split():
        w = _squash(word)
        (long if len(w) >= 3 else short).append(w)
    match = " ".join('"' + w.replace('"', '""') + '"' for w in long) or None
    return match, short


def methods(kiwi=None) -> list[Method]:
    """The methods to compare (``kiwi`` when given an analyser)."""
    out = [
        Method("eojeol", "unicode61", lambda t: t,
               lambda q: (" ".join('"' + w + '"' for w in re.findall(r"\w+", q)) or None, [])),
        Method("pieces", "unicode61", search_terms, lambda q: (" ".join(query_terms(q)) or None, [])),
        Method("trigram", "trigram", _squash, _trigram_match),
    ]
    if kiwi is not None:
        def forms(text: str) -> str:
            return " ".join(t.form for t in kiwi.tokenize(text) if t.tag.split("-")[0] in _CONTENT)

        def kiwi_match(q: str) -> tuple[str | None, list[str]]:
            parts = ['"' + forms(w).replace('"', "") + '"' for w in q.split() if forms(w)]
            return " ".join(parts) or None, []

        out.append(Method("kiwi", "unicode61", forms, kiwi_match))
    return out


def trigram_available() -> bool:
    """True when this SQLite's FTS5 has the trigram tokenizer (3.34 and later)."""
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
        return True
    except sqlite3.OperationalError:
        return False


def truth(article: KoArticle, words: tuple[str, ...]) -> bool:
    """The article names every word: as a word it holds, or inside an organisation it names."""
    return all(w in article.words or any(w in o for o in article.words if o in ORGS) for w in words)


def build(method: Method, arts: list[KoArticle], path: Path) -> tuple[float, int, sqlite3.Connection]:
    """Index ``arts`` with ``method`` in a new file; (seconds, index bytes, connection)."""
    conn = sqlite3.connect(str(path))
    conn.execute(f"CREATE VIRTUAL TABLE idx USING fts5(title, body, tokenize='{method.tokenize}')")
    started = time.perf_counter()
    with conn:
        for i, a in enumerate(arts, 1):
            conn.execute("INSERT INTO idx(rowid, title, body) VALUES (?,?,?)", (i, method.text(a.title), method.text(a.body)))
    seconds = time.perf_counter() - started
    conn.execute("INSERT INTO idx(idx) VALUES ('optimize')")
    conn.commit()
    conn.execute("VACUUM")
    size = conn.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()").fetchone()[0]
    # the text a LIKE fallback reads: what the articles table holds anyway, so not counted
    conn.execute("CREATE TABLE text(id INTEGER PRIMARY KEY, title TEXT, body TEXT)")
    with conn:
        conn.executemany("INSERT INTO text(id, title, body) VALUES (?,?,?)",
                         [(i, _squash(a.title), _squash(a.body)) for i, a in enumerate(arts, 1)])
    return seconds, size, conn


def search(conn: sqlite3.Connection, method: Method, query: str) -> set[int]:
    """Every article id the method returns for ``query`` (all words required)."""
    match, likes = method.match(query)
    ids: set[int] | None = None
    if match:
        ids = {r[0] for r in conn.execute("SELECT rowid FROM idx WHERE idx MATCH ?", [match])}
    for word in likes:
        found = {r[0] for r in conn.execute("SELECT id FROM text WHERE title LIKE ? OR body LIKE ?",
                                            [f"%{word}%", f"%{word}%"])}
        ids = found if ids is None else ids & found
    return ids or set()


def compare(n: int) -> None:
    """Recall, precision, size and speed of each method over ``n`` synthetic articles."""
    arts = generate(n)
    qs = queries()
    kiwi = None
    try:
        from kiwipiepy import Kiwi

        kiwi = Kiwi()
    except ImportError:
        print("kiwipiepy is not installed: the kiwi method is left out "
              "(pip install kiwipiepy kiwipiepy-model to include it)")
    chosen = methods(kiwi)
    if not trigram_available():
        print(f"SQLite {sqlite3.sqlite_version} has no FTS5 trigram tokenizer (3.34+): the trigram method is left out")
        chosen = [m for m in chosen if m.name != "trigram"]
    print(f"{n} synthetic Korean articles, {len(qs)} queries; SQLite {sqlite3.sqlite_version}, "
          f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    print(f"{'method':<8} {'recall':>7} {'precision':>9} {'index MiB':>10} {'articles/s':>11} "
          f"{'query p50 ms':>13} {'p99 ms':>8}   recall/precision by query class")
    with tempfile.TemporaryDirectory() as tmp:
        for method in chosen:
            seconds, size, conn = build(method, arts, Path(tmp) / f"{method.name}.db")
            tp = fp = fn = 0
            by_class: dict[str, list[int]] = {}
            times = []
            for cls, q, words in qs:
                started = time.perf_counter()
                got = search(conn, method, q)
                times.append((time.perf_counter() - started) * 1000)
                want = {i for i, a in enumerate(arts, 1) if truth(a, words)}
                t, f, m = len(got & want), len(got - want), len(want - got)
                tp, fp, fn = tp + t, fp + f, fn + m
                c = by_class.setdefault(cls, [0, 0, 0])
                c[0], c[1], c[2] = c[0] + t, c[1] + f, c[2] + m
            conn.close()
            classes = "  ".join(f"{cls} {c[0] / max(1, c[0] + c[2]):.2f}/{c[0] / max(1, c[0] + c[1]):.2f}"
                                for cls, c in by_class.items())
            print(f"{method.name:<8} {tp / max(1, tp + fn):>7.3f} {tp / max(1, tp + fp):>9.3f} "
                  f"{size / 1_048_576:>10.2f} {n / seconds:>11,.0f} {statistics.median(times):>13.2f} "
                  f"{percentile(times, 99):>8.2f}   {classes}")
    print(f"command: python -m bench.korean --n {n}")


# ---------------------------------------------------------------- the commands on a mixed store

KO_QUERIES = ["하이닉스", "엘타워", "삼성", "첨단패키징", "첨단 패키징", "반도체", "업무협약", "산업통상자원부",
              "인공지능 반도체", "협약", "정부", "고대역폭 메모리", "SK하이닉스 메모리", "투자", "클러스터",
              "한국반도체산업협회", "기술 개발", "공급망", "2744억", "전력반도체", "용수", "팹리스", "삼성전자 투자",
              "차세대메모리", "수출", "가격", "특허", "인증", "바이오", "원전"]


def _write(folder: Path, english: int, korean: int) -> None:
    from bench.corpus import generate as generate_en

    for i, art in enumerate(generate_en(english)):
        (folder / f"en{i:06d}.txt").write_text(f"{art.title}\n\nPublished {art.published}\n\n{art.body}\n", encoding="utf-8")
    for i, art in enumerate(generate(korean, seed=11)):
        (folder / f"ko{i:06d}.txt").write_text(f"{art.title}\n\n{art.published.replace('-', '.')}\n\n{art.body}\n",
                                               encoding="utf-8")


def _ingest(folder: Path, db_path: Path) -> tuple[float, int]:
    from bot.app import Services
    from bot.config import Settings

    services = Services(Settings.from_env({}, db_path=str(db_path), seeds_dir=str(folder / "none")))
    try:
        started = time.perf_counter()
        report = services.ingest([folder])
        return time.perf_counter() - started, len(report.inputs)
    finally:
        services.close()


def _ingest_cpu(folder: Path, db_path: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of this process and the extraction process, files)."""
    from bench.stats import cpu_seconds

    before = cpu_seconds()
    seconds, files = _ingest(folder, db_path)
    return seconds, cpu_seconds() - before, files


def _latency(db_path: Path, qs: list[str], rounds: int) -> list[float]:
    from bot.app import Services
    from bot.config import Settings

    services = Services(Settings.from_env({}, db_path=str(db_path), seeds_dir=str(db_path.parent / "none")))
    try:
        times = []
        for q in qs:
            services.ask(f"/find {q}")  # warm
        for _ in range(rounds):
            for q in qs:
                started = time.perf_counter()
                services.ask(f"/find {q}")
                times.append((time.perf_counter() - started) * 1000)
        return times
    finally:
        services.close()


def store(n: int, share: float, db: str | None, rounds: int) -> None:
    """Korean ingest speed, then /find latency for English and Korean queries on a store of
    ``n`` articles, ``share`` of them Korean."""
    from bench.ingest import fixed_queries

    korean = int(n * share)
    with tempfile.TemporaryDirectory() as tmp:
        ko_only = Path(tmp) / "ko"
        ko_only.mkdir()
        _write(ko_only, 0, min(korean, 5000))
        en_only = Path(tmp) / "en"
        en_only.mkdir()
        _write(en_only, min(korean, 5000), 0)
        for label, folder in (("Korean", ko_only), ("English", en_only)):  # the same run: compare them
            seconds, cpu, files = _ingest_cpu(folder, Path(tmp) / f"{label}.db")
            print(f"{label} ingest (parse, store, index, extract): {files} articles in {seconds:.1f}s = "
                  f"{files / seconds:,.0f} articles/s, {files / cpu:,.0f} per CPU-second (load {os.getloadavg()[0]:.1f})")
        db_path = Path(db) if db else Path(tmp) / "mixed.db"
        if not db_path.exists():
            mixed = Path(tmp) / "mixed"
            mixed.mkdir()
            _write(mixed, n - korean, korean)
            seconds, files = _ingest(mixed, db_path)
            print(f"mixed store: {files} articles ({korean} Korean) in {seconds:.1f}s = {files / seconds:,.0f}/s")
        else:
            print(f"mixed store: {db_path} (kept from an earlier run)")
        english = [q for _, q in fixed_queries()]
        en_times = _latency(db_path, english, rounds)
        ko_times = _latency(db_path, KO_QUERIES, max(1, rounds * len(english) // len(KO_QUERIES)))
        for label, times in (("English /find", en_times), ("Korean /find", ko_times)):
            print(f"{label}: {len(times)} queries, p50 {percentile(times, 50):.2f} ms, "
                  f"p99 {percentile(times, 99):.2f} ms, max {max(times):.2f} ms")
        print(f"Korean p99 / English p99 = {percentile(ko_times, 99) / percentile(en_times, 99):.2f}")
    print(f"command: python -m bench.korean --store --n {n}" + (f" --db {db}" if db else ""))


def main(argv: list[str] | None = None) -> int:
    """Run the comparison (or, with --store, the commands on a mixed store)."""
    import logging

    logging.disable(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="articles (default 2,000)")
    parser.add_argument("--store", action="store_true", help="ingest speed and /find latency on a mixed store")
    parser.add_argument("--ko-share", type=float, default=0.2, help="share of Korean articles in --store (0.2)")
    parser.add_argument("--db", help="--store: keep the mixed database here (a rerun skips its ingest)")
    parser.add_argument("--rounds", type=int, default=3, help="--store: rounds over the English queries (3)")
    args = parser.parse_args(argv)
    if args.store:
        store(args.n, args.ko_share, args.db, args.rounds)
    else:
        compare(args.n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
