"""The console loop: read a command, dispatch, print the rendered reply."""

from __future__ import annotations

import shutil
import sys
from typing import TextIO

from bot.adapters.console.render import render

PROMPT = "briefbot> "
BANNER = "briefbot console — type /briefbot help for commands, /quit to leave."


def run(services, options: dict | None = None) -> int:
    """Adapter entry point used by ``briefbot serve console``."""
    return run_console(services)


def run_console(services, *, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Serve the console until end of input. Interactive on a terminal; one command per line
    when piped. The person at the console runs the bot, so console users are admins."""
    interactive = stdin.isatty()
    color = stdout.isatty()
    if interactive:
        print(BANNER, file=stdout)
    while True:
        if interactive:
            stdout.write(PROMPT)
            stdout.flush()
        line = stdin.readline()
        if not line:
            break
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.lstrip("/").lower() in ("quit", "exit"):
            break
        reply = services.ask(line, platform="console", user_id="console", is_admin=True)
        width = shutil.get_terminal_size().columns if color else None
        print(render(reply, color=color, width=width), file=stdout)
        if not interactive:
            print(file=stdout)
        stdout.flush()
    return 0
