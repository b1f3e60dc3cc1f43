"""Run the `briefbot` command line as a user would, in a subprocess with a controlled environment."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

from bot.config import SETTINGS
from tests.conftest import ROOT


def clean_env(**settings: str) -> dict[str, str]:
    """This process's environment without any briefbot setting, plus ``settings``; the
    repository importable from any working directory."""
    env = {k: v for k, v in os.environ.items() if k not in {s.env for s in SETTINGS}}
    env["PYTHONPATH"] = str(ROOT)
    env.update(settings)
    return env


def briefbot(*args: str, env: dict | None = None, cwd=ROOT, input: str | None = None,
             timeout: float = 60) -> subprocess.CompletedProcess:
    """Run ``briefbot ARGS...`` to completion; text output captured."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env or clean_env(), cwd=cwd, input=input,
        capture_output=True, text=True, timeout=timeout,
    )


def start_briefbot(*args: str, env: dict | None = None, cwd=ROOT) -> subprocess.Popen:
    """Start ``briefbot ARGS...`` with stdin kept open (a console waiting for commands)."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args], env=env or clean_env(), cwd=cwd,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wait_for(predicate, timeout: float = 15.0, step: float = 0.05):
    """Poll ``predicate`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out waiting")


class Lines:
    """Collects a pipe's lines in a thread, so a test can wait for one without blocking."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream):
        for line in stream:
            self.lines.append(line.rstrip("\n"))

    def text(self) -> str:
        return "\n".join(self.lines)
