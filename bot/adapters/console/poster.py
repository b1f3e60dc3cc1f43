"""Posting to the console: scheduled output is printed."""

from __future__ import annotations

import itertools
import sys
import threading

from bot.adapters.console.render import render
from bot.core.reply import Reply


class ConsolePoster:
    """Prints posts to a stream; each gets a message id ``console-N``."""

    platform = "console"

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def post(self, channel_id: str, reply: Reply) -> str:
        with self._lock:
            print(f"[#{channel_id}]", render(reply), sep="\n", file=self.stream)
            print(file=self.stream)
            self.stream.flush()
            return f"console-{next(self._ids)}"
