"""What a command handler may use: the thread's database, settings, a clock, the services, and
the time it has left."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.config import Settings
from bot.core.members import Members
from bot.core.poster import Poster
from storage.clock import Clock, utcnow


class Services(Protocol):
    """What commands use of the running bot; ``bot.app.Services`` is the implementation."""

    settings: Settings
    clock: Clock
    posters: dict[str, Poster]
    members: dict[str, Members]

    @property
    def db(self) -> Any:
        """The calling thread's database."""
        ...

    def poster(self, platform: str) -> Poster:
        """The Poster for ``platform``."""
        ...

    def running_scheduler(self) -> Any | None:
        """The scheduler when the bot is serving, else None."""
        ...


# A command that has not answered within this many seconds answers with what it found so far
# (Slack and Discord give 3 s to the first answer; the rest is the platform's and the network's).
DEFAULT_BUDGET_S = 2.0


@dataclass
class Budget:
    """A command's time budget: ``expired()`` once ``seconds`` have passed since it started."""

    seconds: float = DEFAULT_BUDGET_S
    started: float = field(default_factory=time.monotonic)

    def left(self) -> float:
        """Seconds left (negative once expired)."""
        return self.seconds - (time.monotonic() - self.started)

    def expired(self) -> bool:
        """True once the budget is spent."""
        return self.left() <= 0


@dataclass
class Context:
    """Per-call resources. ``db`` belongs to the calling thread."""

    db: Any
    settings: Settings
    clock: Clock = utcnow
    services: Services | None = None
    budget: Budget = field(default_factory=Budget)
