"""Start and stop `serve` cleanly: checks before start, SIGTERM/SIGINT handling, orderly stop.

A stop signal never cuts a unit of work in half: commands and ingests run inside
``critical()``; a signal that arrives during one is acted on when it ends. Background jobs are
let finish (the scheduler is shut down waiting for them), then every connection is closed.
"""

from __future__ import annotations

import logging
import signal
import threading
import time

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
        with self._cond:
            self._active += 1
            if threading.current_thread() is threading.main_thread():
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
        """Signal handler: stop now if the main thread is idle, else when its work is done."""
        self.requested.set()
        if self.stopping:
            log.info("%s received; already stopping", signal.Signals(signum).name)
            return
        if self._main_depth == 0:
            raise Stopping(signum)
        log.info("%s received; stopping after the current command", signal.Signals(signum).name)
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


def stop_gracefully(services, *, timeout: float = STOP_TIMEOUT, shutdown: Shutdown = SHUTDOWN) -> None:
    """Let running commands and jobs finish (within ``timeout``), stop the scheduler, mark the
    heartbeat stopped and close every database connection."""
    from bot.health import write_stopped

    shutdown.stopping = True
    deadline = time.monotonic() + timeout
    if not shutdown.wait_idle(max(deadline - time.monotonic(), 0) / 2):
        log.warning("commands still running after %.0f s; stopping anyway", timeout / 2)
    scheduler = services.scheduler
    if scheduler.running:
        # shutdown(wait=True) lets a running poll or digest job finish its write; bounded so a
        # stuck job cannot hold the process past the platform's kill timeout.
        stopper = threading.Thread(target=scheduler.shutdown, kwargs={"wait": True}, daemon=True)
        stopper.start()
        stopper.join(max(deadline - time.monotonic(), 0.1))
        if stopper.is_alive():
            log.warning("a background job is still running; stopping without it")
        else:
            log.info("scheduler stopped")
    write_stopped(services)
    services.close()
    log.info("database connections closed")
