"""Test helpers for digests: store articles as ingestion would (without extraction), and, for the
few situations real articles cannot set up, a fact row as the extractor would store it."""

from __future__ import annotations

from datetime import UTC, datetime

from ingest.article import Article
from storage.articles import store_articles


class FakeClock:
    """A clock a test moves by hand."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def add_article(services, title: str, body: str, *, url: str | None = None, baseline: bool = False,
                published: str | None = None) -> int:
    """Store one article as ingestion would; return its id."""
    art = Article(title=title, body=body, url=url, published=published)
    [result] = store_articles(services.db, [art], baseline=baseline, clock=services.clock)
    return result.article_id


def seed_ids(services) -> dict[str, int]:
    """Seed file prefix ("000"…"003") → article id."""
    rows = services.db.execute("SELECT id, path FROM articles WHERE path LIKE '%seeds/%'").fetchall()
    return {path.rsplit("/", 1)[1][:3]: article_id for article_id, path in rows}


def entity(db, name: str, kind: str = "org") -> int:
    """The id of an entity, created if needed (as the extractor would)."""
    key = name.lower()
    row = db.execute("SELECT id FROM entities WHERE kind = ? AND key = ?", [kind, key]).fetchone()
    if row:
        return row[0]
    return db.execute(
        "INSERT INTO entities(kind, name, key, created_at) VALUES (?,?,?,?)",
        [kind, name, key, datetime.now(UTC).isoformat()],
    ).lastrowid


def add_fact(db, article_id: int, kind: str, evidence: str, *, parties=(), by: str | None = None, **fields) -> int:
    """Store one fact (and its parties) as the extractor would. Only for a situation no article
    sets up through real extraction; say which in the test."""
    by_id = entity(db, by) if by else None
    cols = {"article_id": article_id, "kind": kind, "evidence": evidence, "by_entity_id": by_id,
            "created_at": datetime.now(UTC).isoformat(), **fields}
    fact_id = db.execute(
        f"INSERT INTO facts({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", list(cols.values())
    ).lastrowid
    for position, name in enumerate(parties):
        db.execute(
            "INSERT INTO fact_parties(fact_id, entity_id, as_written, role, position) VALUES (?,?,?,?,?)",
            [fact_id, entity(db, name), name, "party", position],
        )
    return fact_id
