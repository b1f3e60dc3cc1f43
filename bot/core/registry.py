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

    @property
    def synopsis(self) -> str:
        return f"/{self.name} {self.usage}".rstrip()


_REGISTRY: dict[str, Command] = {}
_ALIASES: dict[str, str] = {}
_loaded = False


def command(name: str, *, usage: str, help: str, example: str, aliases: tuple[str, ...] = (), admin_note: str = ""):
    """Register the decorated function as the handler of ``/name``."""

    def register(fn: Handler) -> Handler:
        _REGISTRY[name] = Command(name, usage, help, example, fn, aliases, admin_note)
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
    """The command called ``name`` (or one of its aliases), if any."""
    load_commands()
    name = name.lower().lstrip("/")
    return _REGISTRY.get(name) or _REGISTRY.get(_ALIASES.get(name, ""))


def all_commands() -> list[Command]:
    """Every registered command, in a stable order (the umbrella last)."""
    load_commands()
    return sorted(_REGISTRY.values(), key=lambda c: (c.name == "briefbot", c.name))
