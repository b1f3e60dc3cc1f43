"""Logging: human lines, or one JSON object per line with BRIEFBOT_LOG_FORMAT=json.

Every line passes through a redactor that replaces the configured secrets (tokens, keys) with
their masked form, and passwords and tokens in URLs with ``…``, whatever logged them: our code,
a library, or a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

from base.redact import redact_urls
from bot.config import mask_secret

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "taskName"}
# Libraries whose INFO lines are noise at our INFO level (the scheduler logs every job run,
# and the heartbeat runs every 30 s).
QUIET_LIBRARIES = ("apscheduler",)


class JsonFormatter(logging.Formatter):
    """One JSON object per record, with any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        ts = datetime.fromtimestamp(record.created, UTC)
        out = {
            "ts": ts.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        out.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


class RedactingFormatter(logging.Formatter):
    """Wraps a formatter and masks every configured secret in what it produces."""

    def __init__(self, inner: logging.Formatter, secrets: Iterable[str] = ()):
        super().__init__()
        self.inner = inner
        self.replacements: list[tuple[str, str]] = []
        for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
            masked = mask_secret(secret) or "…"
            self.replacements.append((secret, masked))
            escaped = json.dumps(secret)[1:-1]  # as it appears inside a JSON string
            if escaped != secret:
                self.replacements.append((escaped, masked))

    def format(self, record: logging.LogRecord) -> str:
        text = self.inner.format(record)
        for secret, masked in self.replacements:
            text = text.replace(secret, masked)
        return redact_urls(text)  # a password or token in a URL (a private feed's)


def setup_logging(fmt: str = "text", level: str = "INFO", stream=None, *, secrets: Iterable[str] = ()) -> None:
    """Configure the root logger once for the process (logs go to stderr); ``secrets`` never
    appear in a log line."""
    handler = logging.StreamHandler(stream or sys.stderr)
    inner = (JsonFormatter() if fmt == "json"
             else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setFormatter(RedactingFormatter(inner, secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    numeric = getattr(logging, str(level).upper(), None)
    root.setLevel(numeric if isinstance(numeric, int) else logging.INFO)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.DEBUG if root.level <= logging.DEBUG else logging.WARNING)
