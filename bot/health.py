"""Health: what `serve` reports about itself (heartbeat file, and GET /healthz in HTTP mode).

`serve` rewrites the heartbeat file every ``HEARTBEAT_SECONDS``; `briefbot health` reads it and
exits 0 (healthy) or 1, which is what Docker's HEALTHCHECK and systemd watchdog scripts need.
A heartbeat that stops changing means the scheduler (and so polling and digests) has stopped.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from storage.clock import iso, utcnow

log = logging.getLogger("briefbot.health")

HEARTBEAT_SECONDS = 30
MAX_AGE_SECONDS = 3 * HEARTBEAT_SECONDS  # three missed beats: unhealthy
JOB_ID = "heartbeat"
# `serve` checks the database's header at start (the same time at any size); the whole file is
# read by this job, once a day, from a few minutes after start.
INTEGRITY_JOB_ID = "integrity-check"
INTEGRITY_EVERY = timedelta(days=1)
INTEGRITY_FIRST_AFTER = timedelta(minutes=5)
# database path -> the last whole-file check: when and what it found (this process's)
_INTEGRITY: dict[str, dict] = {}


def heartbeat_path(settings) -> Path:
    """BRIEFBOT_HEARTBEAT, else ``heartbeat.json`` beside the database."""
    if settings.heartbeat:
        return Path(settings.heartbeat)
    return Path(settings.db_path).parent / "heartbeat.json"


def health_status(services, *, status: str = "running") -> dict:
    """The bot's health now: database, scheduler, last ingest/poll/digest. For the heartbeat
    file and for GET /healthz (answer 200 when ``is_healthy``, else 503)."""
    from storage.health import database_summary, last_activity

    out: dict = {
        "status": status,
        "at": iso(services.clock()),
        "pid": os.getpid(),
    }
    try:
        db = services.db
        out["database"] = database_summary(db)
        out.update(last_activity(db))
    except Exception as exc:  # a health report must describe the failure, not raise it
        out["database"] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    if services.settings.db_path in _INTEGRITY:
        out["integrity"] = _INTEGRITY[services.settings.db_path]
    scheduler = services.scheduler
    running = bool(scheduler.running)
    out["scheduler"] = {
        "running": running,
        "jobs": sorted(job.id for job in scheduler.get_jobs()) if running else [],
    }
    return out


def healthz(services) -> tuple[int, dict]:
    """(HTTP status, JSON body) for GET /healthz: 200 when healthy, else 503."""
    report = health_status(services)
    return (200 if is_healthy(report) else 503), report


def is_healthy(report: dict) -> bool:
    """True when the bot is running with a working database and a running scheduler."""
    return (
        report.get("status") == "running"
        and report.get("database", {}).get("ok") is True
        and report.get("scheduler", {}).get("running") is True
    )


def write_heartbeat(path: str | os.PathLike, report: dict) -> None:
    """Replace the heartbeat file atomically (a reader never sees half a file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A unique temporary name: two threads may beat at once (the job and a shutdown).
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(report, indent=2) + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def beat(services) -> dict:
    """Write one heartbeat now; return what was written."""
    report = health_status(services)
    try:
        write_heartbeat(heartbeat_path(services.settings), report)
    except OSError as exc:
        log.warning("cannot write the heartbeat file: %s", exc)
    return report


def write_stopped(services) -> None:
    """Mark the heartbeat as stopped (at shutdown), so `health` does not report a stale 'running'."""
    path = heartbeat_path(services.settings)
    try:
        write_heartbeat(path, {"status": "stopped", "at": iso(services.clock()), "pid": os.getpid()})
    except OSError as exc:
        log.warning("cannot write the heartbeat file: %s", exc)


def check_integrity(services) -> dict:
    """Read the whole database file (SQLite's quick check) and record what was found; a damaged
    file is logged as an error with what to do."""
    from storage.health import integrity_problem

    path = services.settings.db_path
    problem = None if path == ":memory:" else integrity_problem(path)
    _INTEGRITY[path] = {"checked_at": iso(services.clock()), "ok": problem is None,
                        **({"error": problem} if problem else {})}
    if problem:
        log.error("the database failed its integrity check: %s; stop the bot and restore a backup "
                  "(`briefbot restore PATH`)", problem)
    return _INTEGRITY[path]


def register_jobs(services, scheduler) -> None:
    """Add the heartbeat job (one beat at start, then one every HEARTBEAT_SECONDS) and the daily
    check of the whole database file."""
    scheduler.add_job(
        beat, "interval", args=[services], seconds=HEARTBEAT_SECONDS, id=JOB_ID,
        replace_existing=True, next_run_time=services.clock(),
    )
    scheduler.add_job(
        check_integrity, "interval", args=[services], seconds=int(INTEGRITY_EVERY.total_seconds()),
        id=INTEGRITY_JOB_ID, replace_existing=True, next_run_time=services.clock() + INTEGRITY_FIRST_AFTER,
    )


def read_health(path: str | os.PathLike, *, max_age: float = MAX_AGE_SECONDS, now: datetime | None = None) -> tuple[bool, str]:
    """(healthy?, one line saying why) from the heartbeat file at ``path``."""
    path = Path(path)
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False, f"unhealthy: no heartbeat at {path} (is `briefbot serve` running?)"
    except (OSError, ValueError) as exc:
        return False, f"unhealthy: cannot read the heartbeat at {path}: {exc}"
    now = now or utcnow()
    try:
        age = (now - datetime.fromisoformat(report["at"])).total_seconds()
    except (KeyError, TypeError, ValueError):
        return False, f"unhealthy: the heartbeat at {path} has no valid time"
    if report.get("status") != "running":
        return False, f"unhealthy: briefbot {report.get('status', 'unknown')} at {report['at']}"
    if age > max_age:
        return False, (f"unhealthy: last heartbeat {age:.0f} s ago (over {max_age:.0f} s): "
                       "the scheduler or the process is stuck")
    database = report.get("database", {})
    if not database.get("ok"):
        return False, f"unhealthy: database error: {database.get('error', 'unknown')}"
    if not report.get("scheduler", {}).get("running"):
        return False, "unhealthy: the scheduler is not running"
    parts = [
        f"healthy: heartbeat {age:.0f} s ago (pid {report.get('pid')})",
        f"database ok ({database.get('articles', 0):,} articles)",
        f"scheduler running ({len(report['scheduler'].get('jobs', []))} jobs)",
    ]
    for key, label in (("last_ingest", "last ingest"), ("last_poll", "last poll"), ("last_digest", "last digest")):
        parts.append(f"{label} {report.get(key) or 'never'}")
    return True, "; ".join(parts)
