"""Extraction over stored batches: a large ingest reads each batch in a second process and
stores exactly what extracting one batch after another in one process stores."""

from __future__ import annotations

import os
import signal

from bench.corpus import generate
from bench.facts_snapshot import dump_db
from ingest.article import Article
from ingest.extract.run import BATCH_FOR_WORKER, BatchExtraction
from ingest.pipeline import ingest_paths
from storage.articles import store_articles
from storage.db import open_db

DEFINES = Article(
    title="Hanbit Lithography Systems opens a plant",
    body="Hanbit Lithography Systems (HLS) opened its first plant in Cheonan on Monday.",
    url="https://news.example.org/hls-plant", published="2024-03-04",
)
USES = Article(
    title="HLS and SK hynix sign EUV pellicle MOU",
    body="HLS signed a memorandum of understanding with SK hynix on EUV pellicles in Icheon on "
         "March 12. The deal includes an investment of 120 billion won.",
    url="https://news.example.org/hls-mou", published="2024-03-12",
)


def _articles(n: int) -> list[Article]:
    """``n`` synthetic articles; the alias is defined in the first batch and used in the last."""
    arts = [Article(title=a.title, body=a.body, url=a.url, published=a.published)
            for a in generate(n, words=60)]
    return [DEFINES, *arts, USES]


def _write(folder, articles: list[Article]) -> None:
    folder.mkdir()
    for i, a in enumerate(articles):
        (folder / f"{i:05d}.txt").write_text(f"{a.title}\n\n{a.published}\n\n{a.body}\n", encoding="utf-8")


def _ingest(path, folder, *, parallel: bool):
    db = open_db(path)
    batches = BatchExtraction(parallel=parallel)
    try:
        report = ingest_paths(db, [folder], after_store=batches.after_store, planned=batches.expect)
    finally:
        extracted = batches.close(db)
    return db, report, extracted


def test_second_process_stores_what_one_process_stores(tmp_path):
    folder = tmp_path / "corpus"
    _write(folder, _articles(2 * BATCH_FOR_WORKER + 100))  # two full batches and a partial one
    one, report_one, extracted_one = _ingest(tmp_path / "one.db", folder, parallel=False)
    two, report_two, extracted_two = _ingest(tmp_path / "two.db", folder, parallel=True)

    assert not report_one.failed and not report_two.failed
    assert extracted_two.articles == extracted_one.articles == 2 * BATCH_FOR_WORKER + 102
    assert extracted_two.facts == extracted_one.facts > 2 * BATCH_FOR_WORKER
    assert dump_db(two) == dump_db(one)
    # The alias an article of the first batch defined names the party in the last batch.
    parties = two.execute(
        "SELECT e.name FROM facts f JOIN articles a ON a.id = f.article_id "
        "JOIN fact_parties p ON p.fact_id = f.id JOIN entities e ON e.id = p.entity_id "
        "WHERE a.title = ? AND f.kind = 'agreement' ORDER BY p.position", [USES.title]).fetchall()
    assert [p[0] for p in parties] == ["Hanbit Lithography Systems", "SK hynix"]


def test_a_worker_killed_mid_ingest_loses_no_facts(tmp_path):
    articles = _articles(2 * BATCH_FOR_WORKER)
    batches_of = [articles[i: i + BATCH_FOR_WORKER] for i in range(0, len(articles), BATCH_FOR_WORKER)]

    reference = open_db(tmp_path / "reference.db")
    serial = BatchExtraction(parallel=False)
    for batch in batches_of:
        serial.after_store(reference, store_articles(reference, batch), batch)
    serial.close(reference)

    db = open_db(tmp_path / "killed.db")
    batches = BatchExtraction(parallel=True)
    try:
        for n, batch in enumerate(batches_of):
            batches.after_store(db, store_articles(db, batch), batch)
            if n == 0:  # the worker dies while it reads the first batch
                for pid in list(batches._pool._processes):
                    os.kill(pid, signal.SIGKILL)
    finally:
        extracted = batches.close(db)

    assert extracted.articles == len(articles)
    assert dump_db(db) == dump_db(reference)


def test_a_small_ingest_starts_no_second_process(tmp_path):
    folder = tmp_path / "few"
    _write(folder, [DEFINES, USES])
    db = open_db(tmp_path / "few.db")
    batches = BatchExtraction(parallel=True)
    ingest_paths(db, [folder], after_store=batches.after_store, planned=batches.expect)
    assert batches._pool is None
    assert batches.close(db).articles == 2
    assert db.execute("SELECT count(*) FROM facts WHERE kind = 'agreement'").fetchone()[0] == 1
