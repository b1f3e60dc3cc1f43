"""Start the configured platforms (the console when none is) and the background jobs."""

from __future__ import annotations

import importlib
import logging
import sys
import threading

log = logging.getLogger("briefbot.serve")

# platform -> "module:function"; each function is run(services, options) -> exit code and
# blocks until the platform stops.
ADAPTERS = {
    "console": "bot.adapters.console.app:run",
    "slack": "bot.adapters.slack.app:run",
    "discord": "bot.adapters.discord.app:run",
}


def adapter_options(services, *, http: bool = False, port: int = 3000) -> dict:
    """The options each adapter's run function takes: Slack's HTTP mode and port, and the health
    report its ``GET /healthz`` answers (the adapters know no module above them)."""

    def health():
        from bot.health import healthz

        return healthz(services)

    return {"http": http, "port": port, "health": health}


def load_runner(platform: str):
    """The run function of a platform's adapter."""
    module, _, name = ADAPTERS[platform].partition(":")
    return getattr(importlib.import_module(module), name)


def serve(services, platforms: list[str], options: dict) -> int:
    """Run every platform in ``platforms`` (threads when several) until they stop."""
    if len(platforms) == 1:
        return load_runner(platforms[0])(services, options)
    results: dict[str, int] = {}

    def run_one(p: str) -> None:
        try:
            results[p] = load_runner(p)(services, options)
        except Exception:
            log.exception("%s adapter stopped with an error", p)
            results[p] = 1

    threads = [threading.Thread(target=run_one, args=(p,), name=f"serve-{p}", daemon=True) for p in platforms]
    for t in threads:
        t.start()
    try:
        for t in threads:
            t.join()
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
        return 130
    return max(results.values(), default=0)
