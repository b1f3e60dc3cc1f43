"""What a command handler may use: the thread's database, settings, a clock, the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.config import Settings
from storage.clock import Clock, utcnow


@dataclass
class Context:
    """Per-call resources. ``db`` belongs to the calling thread."""

    db: Any
    settings: Settings
    clock: Clock = utcnow
    services: Any = None
