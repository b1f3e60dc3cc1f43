"""The audit log: who did what, when (every admin action)."""

from __future__ import annotations

from base.redact import redact_urls
from storage.clock import Clock, iso, utcnow
from storage.db import Database, rows


def record_action(
    db: Database, *, platform: str, actor: str, action: str, detail: str = "", clock: Clock = utcnow
) -> None:
    """Append one admin action to the audit table (a password or token in a URL hidden)."""
    db.execute(
        "INSERT INTO audit(at, platform, actor, action, detail) VALUES (?,?,?,?,?)",
        [iso(clock()), platform, actor, action, redact_urls(detail)],
    )


def recent_actions(db: Database, limit: int = 20) -> list[dict]:
    """The latest audit entries, newest first."""
    return rows(db, "SELECT at, platform, actor, action, detail FROM audit ORDER BY id DESC LIMIT ?", [limit])
