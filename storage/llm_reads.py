"""The optional LLM reader's answers, cached by the text they answer for, and its cursor."""

from __future__ import annotations

import json

from storage.clock import Clock, iso, utcnow
from storage.db import Database


def any_answers(db: Database) -> bool:
    """True when the LLM has ever answered for an article here (else nothing to look up)."""
    return db.execute("SELECT 1 FROM llm_reads WHERE outcome = 'accepted' LIMIT 1").fetchone() is not None


def answer_for(db: Database, text_hash: str, model: str | None = None) -> dict | None:
    """The cached read of a text: {"outcome", "answer", "note", "model"} (the given model's, else
    the latest accepted one of any model), or None."""
    if model is not None:
        row = db.execute("SELECT outcome, answer, note, model FROM llm_reads WHERE text_hash = ? AND model = ?",
                         [text_hash, model]).fetchone()
    else:
        row = db.execute("SELECT outcome, answer, note, model FROM llm_reads WHERE text_hash = ? "
                         "AND outcome = 'accepted' ORDER BY asked_at DESC LIMIT 1", [text_hash]).fetchone()
    if row is None:
        return None
    return {"outcome": row[0], "answer": json.loads(row[1]) if row[1] else None, "note": row[2], "model": row[3]}


def store_answer(db: Database, text_hash: str, model: str, outcome: str, answer: dict | None,
                 note: str | None = None, *, clock: Clock = utcnow) -> None:
    """Keep what the LLM answered for a text (replacing an earlier answer of the same model)."""
    with db.atomic():
        db.execute("INSERT OR REPLACE INTO llm_reads(text_hash, model, outcome, answer, note, asked_at) "
                   "VALUES (?,?,?,?,?,?)",
                   [text_hash, model, outcome, json.dumps(answer) if answer is not None else None, note,
                    iso(clock())])


def cursor(db: Database, model: str) -> int:
    """The id of the last article the background reader has read with ``model`` (0: none)."""
    row = db.execute("SELECT article_id FROM llm_cursor WHERE model = ?", [model]).fetchone()
    return row[0] if row else 0


def advance(db: Database, model: str, article_id: int) -> None:
    """Move the background reader's cursor past ``article_id``."""
    with db.atomic():
        db.execute("INSERT INTO llm_cursor(model, article_id) VALUES (?, ?) ON CONFLICT(model) DO UPDATE "
                   "SET article_id = max(article_id, excluded.article_id)", [model, article_id])


def articles_after(db: Database, article_id: int, *, limit: int) -> list[dict]:
    """The next ``limit`` articles after ``article_id``, in the order they were stored."""
    cursor_ = db.execute("SELECT id, title, body, published FROM articles WHERE id > ? ORDER BY id LIMIT ?",
                         [article_id, limit])
    return [dict(zip(("id", "title", "body", "published"), r, strict=True)) for r in cursor_.fetchall()]
