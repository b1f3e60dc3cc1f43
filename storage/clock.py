"""Time, passed in so that schedules and "new since" logic are testable with fixed datetimes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def iso(dt: datetime) -> str:
    """ISO 8601 in UTC to the second, as stored in the database."""
    return dt.astimezone(UTC).isoformat(timespec="seconds")
