"""What extraction stores, as sorted JSON: a reference to hold a faster extractor to the same
output. Covers synthetic articles (stored in batches, then extracted again over the database),
the labelled evaluation articles and the seeds (ingested through the pipeline, all into one
database, so aliases learned from one article reach the next), and ``extract()`` on each of
those real articles on its own.

    python -m bench.facts_snapshot > /tmp/before.json
    python -m bench.facts_snapshot > /tmp/after.json && cmp /tmp/before.json /tmp/after.json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys
import tempfile
from pathlib import Path

from bench.corpus import generate
from ingest.article import Article
from ingest.pipeline import BATCH

ROOT = Path(__file__).resolve().parent.parent
REAL = [ROOT / "tests" / "eval" / "articles", ROOT / "tests" / "eval" / "smoke_articles", ROOT / "seeds"]


def dump_db(db) -> dict:
    """Facts (with parties and search text), entities and aliases, without row ids or
    timestamps, sorted."""
    entity = {r[0]: f"{r[1]}:{r[2]}" for r in db.execute("SELECT id, kind, key FROM entities")}
    article = {r[0]: r[1] or _relative(r[2]) for r in db.execute("SELECT id, url, path FROM articles")}
    parties: dict[int, list] = {}
    for fact_id, entity_id, written, role, pos in db.execute(
            "SELECT fact_id, entity_id, as_written, role, position FROM fact_parties"):
        parties.setdefault(fact_id, []).append([pos, role, entity[entity_id], written])
    search = {r[0]: list(r[1:]) for r in db.execute("SELECT rowid, kind, words, names, title FROM fact_search")}
    facts = []
    cursor = db.execute("SELECT * FROM facts")
    cols = [c[0] for c in cursor.description]
    for row in cursor.fetchall():
        fact = dict(zip(cols, row, strict=True))
        fact_id = fact.pop("id")
        fact.pop("created_at")
        fact["article_id"] = article[fact["article_id"]]
        fact["by_entity_id"] = entity.get(fact["by_entity_id"])
        fact["parties"] = sorted(parties.get(fact_id, []))
        fact["search"] = search.get(fact_id)
        facts.append(fact)
    entities = sorted(
        [kind, name, key, role, entity.get(org)]
        for kind, name, key, role, org in db.execute("SELECT kind, name, key, role, org_id FROM entities"))
    aliases = sorted(
        [alias, key, origin, entity[e]]
        for alias, key, origin, e in db.execute("SELECT alias, key, origin, entity_id FROM aliases"))
    return {"facts": sorted(facts, key=lambda f: json.dumps(f, sort_keys=True)), "entities": entities,
            "aliases": aliases}


def _relative(path: str | None) -> str | None:
    """A stored file path as it is in the checkout, so two checkouts compare equal."""
    try:
        return str(Path(path).relative_to(ROOT)) if path else path
    except ValueError:
        return path


def snapshot(n: int) -> dict:
    """Everything extraction gives over ``n`` synthetic articles and the real ones."""
    from ingest.extract import builtin_index, extract
    from ingest.extract.run import after_store, reextract_all
    from ingest.pipeline import ingest_paths, iter_files, parse_file
    from storage.articles import store_articles
    from storage.db import open_db

    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "synthetic.db")
        arts = [Article(title=a.title, body=a.body, url=a.url, published=a.published) for a in generate(n)]
        for i in range(0, len(arts), BATCH):
            batch = arts[i: i + BATCH]
            after_store(db, store_articles(db, batch), batch)
        out["synthetic"] = dump_db(db)
        reextract_all(db)
        out["synthetic_reextracted"] = dump_db(db)
        db.close()

        db = open_db(Path(tmp) / "real.db")
        ingest_paths(db, [p for p in REAL if p.exists()], after_store=after_store)
        out["real"] = dump_db(db)
        reextract_all(db)
        out["real_reextracted"] = dump_db(db)
        db.close()

    alone = {}
    for path, _ in iter_files([p for p in REAL if p.exists()]):
        parsed = parse_file(path)
        if isinstance(parsed, str):
            continue
        for k, a in enumerate(parsed.articles):
            found = extract(a.title, a.body, a.published, builtin_index())
            alone[f"{Path(path).relative_to(ROOT)}#{k}"] = _plain(dataclasses.asdict(found))
    out["extract"] = alone
    return out


def _plain(value):
    """``value`` without the sentences' word sets (a prefilter's working data, not output)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not isinstance(v, (set, frozenset))}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def main(argv: list[str] | None = None) -> int:
    """Print the snapshot as sorted JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="synthetic articles (default 2,000)")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    json.dump(snapshot(args.n), sys.stdout, sort_keys=True, indent=1, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
