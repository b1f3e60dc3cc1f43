"""Extraction over stored articles: after each stored batch, and again over the whole database
(``briefbot reextract``) when the rules improve."""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

from ingest.extract import exit_with_parent, extract_batch
from ingest.extract.llm import Ask, LLMReader, LLMReport, cached_facts, text_hash, worth_asking
from ingest.extract.names import BUILTIN_ENTITIES
from ingest.extract.orgs import NameIndex, builtin_index
from storage import facts as store
from storage.clock import Clock, iso, utcnow
from storage.extraction import already_read, mark_read, unread_rows
from storage.llm_reads import any_answers

CHUNK = 500
# Batches at least this big go to a second process: the ingest pipeline stores 500 at a time,
# so a full batch means more are coming.
BATCH_FOR_WORKER = 500

log = logging.getLogger("briefbot.extract")


@dataclass
class ExtractReport:
    """How many articles were read and facts stored, and how long it took."""

    articles: int = 0
    facts: int = 0
    seconds: float = 0.0


def name_index(db, cache: store.EntityCache | None = None) -> NameIndex:
    """Names known before reading: built-ins and every alias in the database (and, given a
    cache, every alias's entity id, so a batch asks the database only about new names)."""
    index = builtin_index()
    for alias, canonical, key, entity_id in store.alias_rows(db):
        index.add(alias, canonical)
        if cache is not None:
            cache.ids[key] = entity_id
    return index


# (title, body, published, the rules' extraction, names known) -> the extraction, with more
Reader = Callable[[str, str, "str | None", object, NameIndex], object]


def extract_rows(db, rows, *, clock: Clock = utcnow, also: Reader | None = None) -> ExtractReport:
    """Extract the facts of ``rows`` (dicts with id, title, body, published) and store them in
    one transaction; ``also`` reads each article after the rules (the optional LLM), before the
    transaction begins, so no write waits on it."""
    started = time.perf_counter()
    cache, index = _names(db, clock)
    found = extract_batch(index, [(r["title"], r["body"], r.get("published")) for r in rows])
    if also is not None:
        found = [also(r["title"], r["body"], r.get("published"), facts, index)
                 for r, facts in zip(rows, found, strict=True)]
    report = _store(db, rows, found, cache, clock)
    report.seconds = time.perf_counter() - started
    return report


def _names(db, clock: Clock) -> tuple[store.EntityCache, NameIndex]:
    """The names known before a batch is read (the built-in entities stored if missing)."""
    with db.atomic():
        store.ensure_builtin_entities(db, BUILTIN_ENTITIES, clock=clock)
    cache = store.EntityCache()
    return cache, name_index(db, cache)


def _store(db, rows, found, cache: store.EntityCache, clock: Clock) -> ExtractReport:
    """Store each row's extraction, replacing what was stored for it, in one transaction (with
    what the optional LLM reader found in it before, from its cached answers)."""
    report = ExtractReport()
    if any_answers(db):
        index = name_index(db)
        found = [cached_facts(db, r["title"], r["body"], r.get("published"), f, index)
                 for r, f in zip(rows, found, strict=True)]
    with db.atomic():
        now = iso(clock())  # one time for the batch: it is one transaction
        # another process may have read an article meanwhile (resuming what it found unread)
        done = already_read(db, [row["id"] for row in rows])
        for row, facts in zip(rows, found, strict=True):
            report.facts += store.replace_article_facts(
                db, row["id"], facts, title=row["title"], clock=clock, cache=cache,
                fresh=row.get("fresh", False) and row["id"] not in done, now=now,
            )
            report.articles += 1
        mark_read(db, [row["id"] for row in rows], now)
    return report


def after_store(db, results, articles, *, clock: Clock = utcnow) -> ExtractReport:
    """Extract the new and updated articles of a stored batch."""
    rows = _stored_rows(db, results, articles)
    return extract_rows(db, rows, clock=clock) if rows else ExtractReport()


def _stored_rows(db, results, articles) -> list[dict]:
    """The new and updated articles of a stored batch, with the date stored for those that
    came without one."""
    rows = []
    for result, art in zip(results, articles, strict=True):
        if result.outcome in ("new", "updated") and result.article_id is not None:
            rows.append({"id": result.article_id, "title": art.title, "body": art.body,
                         "published": art.published, "fresh": result.outcome == "new"})
    missing = [r for r in rows if not r["published"]]
    if missing:
        marks = ",".join("?" * len(missing))
        dates = dict(db.execute(f"SELECT id, published FROM articles WHERE id IN ({marks})",
                                [r["id"] for r in missing]).fetchall())
        for r in missing:
            r["published"] = dates.get(r["id"])
    return rows


def _second_cpu() -> bool:
    """True when this process may run on more than one CPU."""
    try:
        return len(os.sched_getaffinity(0)) > 1
    except AttributeError:  # not on Linux
        return (os.cpu_count() or 1) > 1


class BatchExtraction:
    """Extraction over an ingest of many batches, in a second process, never holding up the
    storing: each stored batch is searchable at once and queued (by id) for its facts.

    Batches are read one after another, each starting from the names in the database after
    the facts of the batch before it are stored, so the stored facts are exactly those of one
    process reading batch after batch. The main process stays the only writer: between two
    stored batches it stores what the second process finished and hands it the next queued
    batch. ``close(db)`` waits for the queue to empty. Small ingests, one-CPU machines and a
    failed worker extract in this process, as each batch is stored.

    Use ``after_store`` as the pipeline's hook, then ``close(db)`` (also on error)."""

    def __init__(self, *, parallel: bool | None = None, clock: Clock = utcnow) -> None:
        self.parallel = _second_cpu() if parallel is None else parallel
        self.clock = clock
        self.report = ExtractReport()
        self._pool: ProcessPoolExecutor | None = None
        self._queue: deque[list[dict]] = deque()  # stored batches waiting for their facts (ids, no text)
        self._pending = None  # (rows, cache, index, texts, future) of the batch being read
        self.lags: list[float] = []  # seconds from a batch stored to its facts stored

    def expect(self, files: int) -> None:
        """Told how many files an ingest reads: when they make two batches or more, the second
        process starts now, so its start-up overlaps the parsing of the first batch."""
        if self.parallel and self._pool is None and files >= 2 * BATCH_FOR_WORKER:
            try:
                self._start().submit(extract_batch, NameIndex(), [])
            except Exception as exc:
                log.warning("extraction worker unavailable (%s); extracting in the main process", exc)
                self.parallel = False

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"),
                                             initializer=exit_with_parent)
        return self._pool

    def after_store(self, db, results, articles) -> None:
        """Queue the batch just stored; store what the second process finished and hand it the
        next batch — without waiting for it."""
        rows = _stored_rows(db, results, articles)
        # A batch that is not full is usually the last: a second process would only add its
        # start-up time.
        if rows and (not self.parallel or (self._pool is None and len(articles) < BATCH_FOR_WORKER)):
            self._drain(db)
            stored = time.perf_counter()
            self._add(extract_rows(db, rows, clock=self.clock))
            self.lags.append(time.perf_counter() - stored)
            return
        if rows:
            stored = time.perf_counter()
            self._queue.append([{"id": r["id"], "fresh": r["fresh"], "stored": stored} for r in rows])
        self._pump(db, wait=False)

    def close(self, db) -> ExtractReport:
        """Store the facts of every queued batch and stop the worker; returns what was extracted."""
        try:
            self._drain(db)
        finally:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
                self._pool = None
        return self.report

    def _drain(self, db) -> None:
        while self._pending is not None or self._queue:
            self._pump(db, wait=True)

    def _pump(self, db, *, wait: bool) -> None:
        """Store the facts of the batch being read once it is read (``wait``: until it is),
        then hand the next queued batch over."""
        if self._pending is not None:
            future = self._pending[-1]
            if future is not None and not future.done() and not wait:
                return
            self._finish(db)
        if self._queue:
            self._submit(db, self._queue.popleft())

    def _submit(self, db, queued: list[dict]) -> None:
        rows = _texts(db, queued)
        if not rows:
            return
        cache, index = _names(db, self.clock)
        texts = [(r["title"], r["body"], r["published"]) for r in rows]
        future = None
        if self.parallel:
            try:
                future = self._start().submit(extract_batch, index, texts)
            except Exception as exc:  # no second process here: read the batch in this one
                log.warning("extraction worker unavailable (%s); extracting in the main process", exc)
                self.parallel = False
        self._pending = (rows, cache, index, texts, future)

    def _finish(self, db) -> None:
        if self._pending is None:
            return
        rows, cache, index, texts, future = self._pending
        self._pending = None
        started = time.perf_counter()
        found = None
        if future is not None:
            try:
                found = future.result()
            except Exception as exc:  # a worker that died: the batch is read again here
                log.warning("extraction worker failed (%s); extracting the batch in the main process", exc)
        if found is None:
            # the worker read a copy of the index: this one is still as it was handed over
            found = extract_batch(index, texts)
        part = _store(db, rows, found, cache, self.clock)
        part.seconds = time.perf_counter() - started
        self._add(part)
        done = time.perf_counter()
        self.lags += [done - r["stored"] for r in rows[:1]]

    def _add(self, part: ExtractReport) -> None:
        self.report.articles += part.articles
        self.report.facts += part.facts
        self.report.seconds += part.seconds


def _texts(db, queued: list[dict]) -> list[dict]:
    """The queued articles as extraction reads them, their text read back from the database
    (the queue holds ids only, so a long ingest keeps no texts in memory)."""
    ids = [q["id"] for q in queued]
    found: dict[int, tuple] = {}
    for start in range(0, len(ids), 900):  # under SQLite's limit on bound parameters
        chunk = ids[start:start + 900]
        marks = ",".join("?" * len(chunk))
        found.update((r[0], r[1:]) for r in db.execute(
            f"SELECT id, title, body, published FROM articles WHERE id IN ({marks})", chunk))
    return [{"id": q["id"], "title": found[q["id"]][0], "body": found[q["id"]][1],
             "published": found[q["id"]][2], "fresh": q["fresh"], "stored": q["stored"]}
            for q in queued if q["id"] in found]


def reextract_all(db, *, progress: Callable[[int, int], None] | None = None, clock: Clock = utcnow,
                  also: Reader | None = None) -> ExtractReport:
    """Run extraction again over every stored article, in chunks of ``CHUNK`` (``also``: a
    second reader after the rules, as in ``extract_rows``)."""
    total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    report = ExtractReport()
    started = time.perf_counter()
    last = 0
    while True:
        cursor = db.execute("SELECT id, title, body, published FROM articles WHERE id > ? ORDER BY id LIMIT ?",
                            [last, CHUNK])
        rows = [dict(zip(("id", "title", "body", "published"), r, strict=True)) for r in cursor.fetchall()]
        if not rows:
            break
        part = extract_rows(db, rows, clock=clock, also=also)
        report.articles += part.articles
        report.facts += part.facts
        last = rows[-1]["id"]
        if progress is not None:
            progress(report.articles, total)
    report.seconds = time.perf_counter() - started
    return report


def extract_unread(db, *, progress: Callable[[int], None] | None = None, clock: Clock = utcnow,
                   also: Reader | None = None) -> ExtractReport:
    """Read the articles stored without facts (a run killed between storing an article and
    its facts) or changed since, oldest first, in chunks of ``CHUNK``."""
    report = ExtractReport()
    started = time.perf_counter()
    last = 0
    while rows := unread_rows(db, after=last, limit=CHUNK):
        part = extract_rows(db, rows, clock=clock, also=also)
        report.articles += part.articles
        report.facts += part.facts
        last = rows[-1]["id"]
        if progress is not None:
            progress(report.articles)
    report.seconds = time.perf_counter() - started
    return report


# Articles read per pass of the background reader, and articles looked at to find them.
PASS_ARTICLES = 20
PASS_SCAN = 500


def read_new(db, ask: Ask, model: str, *, limit: int = PASS_ARTICLES, clock=None) -> LLMReport:
    """One pass of the background reader: the next articles after its cursor that are worth a
    question (at most ``limit`` asked) are read, their answers checked and cached, and the facts
    of those with an accepted answer stored again with what the LLM added. The cursor moves past
    what was read; when the server stops answering it stays, and the next pass starts there."""
    from storage.llm_reads import advance, answer_for, articles_after, cursor

    reader = LLMReader(ask, db=db, model=model, clock=clock)
    asked = accepted = 0
    for row in articles_after(db, cursor(db, model), limit=PASS_SCAN):
        if asked >= limit:
            break
        if worth_asking(row["body"]):
            fresh = answer_for(db, text_hash(row["title"], row["body"]), model) is None
            data = reader.read(row["title"], row["body"])
            if reader.stopped:
                break
            asked += fresh
            if data is not None:
                accepted += 1
                extract_rows(db, [row], **({"clock": clock} if clock is not None else {}))
        advance(db, model, row["id"])
    report = reader.report
    report.articles, report.failed, report.rejected, report.stopped = accepted, reader.failed, reader.rejected, reader.stopped
    return report
