"""What a command handler may use: the thread's database, settings, a clock, the services, and
the time it has left."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from bot.config import Settings
from bot.core.members import Members
from bot.core.poster import Poster
from storage.clock import Clock, utcnow

T = TypeVar("T")


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
# After the budget, this long to put together what was found; past it the command is stopped.
GRACE_S = 1.0


@dataclass
class Budget:
    """A command's time budget. Past ``seconds``, the command's next database read is stopped
    once (``cut`` is set) and the steps run through ``run`` give what they found so far; past
    ``seconds + GRACE_S`` every read is stopped."""

    seconds: float = DEFAULT_BUDGET_S
    started: float = field(default_factory=time.monotonic)
    cut: bool = False

    def left(self) -> float:
        """Seconds left (negative once expired)."""
        return self.seconds - (time.monotonic() - self.started)

    def expired(self) -> bool:
        """True once the budget is spent."""
        return self.left() <= 0

    def stop_reading(self) -> bool:
        """Whether a database read running now must stop (SQLite's progress handler asks)."""
        left = self.left()
        if left > 0:
            return False
        if not self.cut:
            self.cut = True
            return True
        return left < -GRACE_S

    def run(self, step: Callable[[], T], default: T) -> T:
        """``step()``, or ``default`` when the budget is spent before or during it (``cut``)."""
        if self.expired():
            self.cut = True
            return default
        try:
            return step()
        except sqlite3.OperationalError as exc:
            if not is_interrupt(exc):
                raise
            self.cut = True
            return default


def is_interrupt(exc: BaseException) -> bool:
    """True for the error SQLite raises when a read was stopped (the budget ran out)."""
    return isinstance(exc, sqlite3.OperationalError) and "interrupted" in str(exc).lower()


# The running command's budget, for code deep in a command that has no Context (per thread).
current_budget: ContextVar[Budget | None] = ContextVar("current_budget", default=None)


def within_budget(step: Callable[[], T], default: T) -> T:
    """``Budget.run`` with the running command's budget (``step()`` when there is none)."""
    budget = current_budget.get()
    return step() if budget is None else budget.run(step, default)


def budget_spent() -> bool:
    """True when the running command's budget is spent (it then marks the answer as cut)."""
    budget = current_budget.get()
    if budget is None or not budget.expired():
        return False
    budget.cut = True
    return True


@dataclass
class Context:
    """Per-call resources. ``db`` belongs to the calling thread."""

    db: Any
    settings: Settings
    clock: Clock = utcnow
    services: Services | None = None
    budget: Budget = field(default_factory=Budget)  # the running command's (set by dispatch)
    budget_s: float | None = None  # a caller with less time overrides the command's budget
