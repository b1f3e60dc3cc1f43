"""The command registry: each command declares its name, usage, help and an example."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

from base.reply import Reply

Handler = Callable[..., Reply]  # (Invocation, Context) -> Reply


@dataclass(frozen=True)
class Command:
    """A slash command: ``/name usage`` — help. Example: ``example``."""

    name: str
    usage: str
    help: str
    example: str
    handler: Handler
    aliases: tuple[str, ...] = ()
    admin_note: str = ""  # e.g. "add/remove are admin-only"
    max_text: int = 300  # characters of argument it reads; longer is refused where it enters
    budget_s: float = 2.0  # seconds before it answers with what it found (bot/core/context.py)

    @property
    def synopsis(self) -> str:
        return f"/{self.name} {self.usage}".rstrip()


_REGISTRY: dict[str, Command] = {}
_ALIASES: dict[str, str] = {}
_loaded = False

# Name or alias → the module of bot.core.commands that defines it, so running one command imports
# only its own module (`briefbot ask "/latest 1"` loads no extraction rules, no clustering);
# tests/bot/core/test_registry.py checks it against what the modules register.
MODULES = {
    "brief": "brief", "briefbot": "briefbot", "digest": "digest", "find": "find", "search": "find",
    "how-much": "how_much", "howmuch": "how_much", "how_much": "how_much", "latest": "latest",
    "sources": "sources", "timeline": "timeline", "watch": "watch", "who-signed": "who_signed",
    "whosigned": "who_signed", "who_signed": "who_signed", "whois": "whois", "who-is": "whois",
    "who": "whois",
}


# A topic, a name or a few search words: what a person types. A pasted article is not a topic,
# and a 100,000-character one cost minutes of queries.
MAX_TEXT = 300


def command(name: str, *, usage: str, help: str, example: str, aliases: tuple[str, ...] = (), admin_note: str = "",
            max_text: int = MAX_TEXT, budget_s: float = 2.0):
    """Register the decorated function as the handler of ``/name``."""

    def register(fn: Handler) -> Handler:
        _REGISTRY[name] = Command(name, usage, help, example, fn, aliases, admin_note, max_text, budget_s)
        for alias in aliases:
            _ALIASES[alias] = name
        return fn

    return register


def load_commands() -> None:
    """Import every module in ``bot.core.commands`` once, registering its commands."""
    global _loaded
    if _loaded:
        return
    import bot.core.commands as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        importlib.import_module(f"{pkg.__name__}.{info.name}")
    _loaded = True


def get_command(name: str) -> Command | None:
    """The command called ``name`` (or one of its aliases), if any; imports its module only."""
    name = name.lower().lstrip("/")
    module = MODULES.get(name)
    if module is None:
        return None
    importlib.import_module(f"bot.core.commands.{module}")
    return _REGISTRY.get(name) or _REGISTRY.get(_ALIASES.get(name, ""))


def all_commands() -> list[Command]:
    """Every registered command, in a stable order (the umbrella last)."""
    load_commands()
    return sorted(_REGISTRY.values(), key=lambda c: (c.name == "briefbot", c.name))
