"""Start and stop `serve` cleanly: checks before start, SIGTERM/SIGINT handling, orderly stop.

A stop signal never cuts a unit of work in half: commands and ingests run inside
``critical()``; a signal that arrives during one is acted on when it ends. Background jobs are
let finish within ``STOP_TIMEOUT`` (the scheduler is shut down first, so that no job starts),
then every connection is closed; work still running then is left to the end of the process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from typing import NoReturn

log = logging.getLogger("briefbot.serve")

STOP_TIMEOUT = 8.0  # seconds; Docker and systemd send SIGKILL after 10


class Stopping(BaseException):
    """Raised in the main thread when a stop signal arrives (BaseException: no `except
    Exception` in an adapter swallows it)."""

    def __init__(self, signum: int = signal.SIGTERM):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class Shutdown:
    """Counts the units of work in progress and turns a stop signal into ``Stopping`` in the
    main thread once none is running there."""

    def __init__(self):
        self._cond = threading.Condition()
        self._active = 0
        self._main_depth = 0
        self._pending: int | None = None
        self.requested = threading.Event()
        self.stopping = False  # set once the orderly stop has begun: later signals wait for it

    def critical(self) -> _Critical:
        """Context manager around work that must finish before the process stops."""
        return _Critical(self)

    def _enter(self) -> None:
        main = threading.current_thread() is threading.main_thread()
        with self._cond:
            # No call between the two counts: a signal is handled only at a call, and one
            # handled between them would leave a unit counted that never ends.
            self._active += 1
            if main:
                self._main_depth += 1

    def _exit(self, failed: bool) -> None:
        main = threading.current_thread() is threading.main_thread()
        with self._cond:
            self._active -= 1
            if main:
                self._main_depth -= 1
            self._cond.notify_all()
            signum = self._pending if main and self._main_depth == 0 else None
            if signum is not None:
                self._pending = None
        if signum is not None and not failed:
            raise Stopping(signum)

    def handle_signal(self, signum, frame) -> None:
        """Signal handler: stop now if the main thread is idle, else when its work is done.
        It only sets flags (or raises): it logs nothing, since the thread it interrupts may be
        in the middle of writing a log line itself."""
        self.requested.set()
        if self.stopping:  # the orderly stop is under way, bounded by its own timeout
            return
        if self._main_depth == 0:
            raise Stopping(signum)
        self._pending = signum

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no unit of work is running in any thread; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._active > 0:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True


class _Critical:
    def __init__(self, shutdown: Shutdown):
        self.shutdown = shutdown

    def __enter__(self):
        self.shutdown._enter()
        return self

    def __exit__(self, exc_type, exc, tb):
        self.shutdown._exit(failed=exc_type is not None)
        return False


SHUTDOWN = Shutdown()


def critical() -> _Critical:
    """Mark work (a command, an ingest) that a stop signal must let finish."""
    return SHUTDOWN.critical()


def install_signal_handlers(shutdown: Shutdown = SHUTDOWN) -> None:
    """SIGTERM (docker stop, systemctl stop) and SIGINT (Ctrl-C) stop `serve` gracefully."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, shutdown.handle_signal)


def stop_gracefully(services, *, timeout: float = STOP_TIMEOUT, shutdown: Shutdown = SHUTDOWN) -> bool:
    """Stop the scheduler (no job starts after this), let running commands and jobs finish
    (within ``timeout`` in all), mark the heartbeat stopped and close every database connection
    no running work holds. False when some work was still running at the deadline: the caller
    must then end the process with ``exit_now`` (a normal exit would wait for it)."""
    from bot.health import write_stopped

    shutdown.stopping = True
    deadline = time.monotonic() + timeout
    was_running = services.running_scheduler() is not None
    idle = True
    busy = services.stop_background(timeout)
    if busy:
        log.warning("background job(s) still running after %.0f s: %s; stopping without them (what they "
                    "had not committed is rolled back)", timeout, ", ".join(busy))
        idle = False
    elif was_running:
        log.info("scheduler stopped")
    if not shutdown.wait_idle(max(deadline - time.monotonic(), 0)):
        log.warning("a command is still running after %.0f s; stopping without it", timeout)
        idle = False
    write_stopped(services)
    services.close()
    log.info("database connections closed")
    return idle


def exit_now(code: int) -> NoReturn:
    """End the process at once with ``code``, without waiting for the threads still running
    (the interpreter's exit joins a job's thread however long it runs). Their open SQLite
    transactions roll back, as at a kill, and the next start reads what they left unread."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)
