"""Posting to the console: scheduled output is printed."""

from __future__ import annotations

import itertools
import os
import sys
import threading

from base.reply import Reply
from bot.adapters.console.render import render


class ConsolePoster:
    """Prints posts to a stream; each gets a message id ``console-N``."""

    platform = "console"

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def post(self, channel_id: str, reply: Reply, *, thread: str | None = None, thread_name: str | None = None,
             mentions: list[dict] | tuple = ()) -> str:
        """Print ``reply`` under the channel's name (and the thread's, for a reply in a thread),
        with the watch's mentions as their labels: nobody can be pinged on a terminal."""
        head = f"[#{channel_id}" + (f" › thread of {thread}" if thread else "") + "]"
        if mentions:
            head += " " + " ".join(m.get("text") or "@" + str(m.get("id")) for m in mentions)
        with self._lock:
            try:
                print(head, render(reply), sep="\n", file=self.stream)
                print(file=self.stream)
                self.stream.flush()
            except BrokenPipeError:
                # The reader stopped reading (`briefbot digest run … | head`): the post went
                # where it was asked to go. Posting it again next time would repeat it.
                discard_output(self.stream)
            return f"console-{next(self._ids)}"


def discard_output(stream) -> None:
    """Point a stream whose reader has gone at /dev/null, so that what is still buffered (and
    anything printed later) is dropped instead of raising BrokenPipeError again."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)
