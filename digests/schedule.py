"""Digest schedules: parsing ("daily 09:00", "weekdays 08:30", "weekly mon 09:00", "every 6h"),
periods and triggers. Registering them with the scheduler is ``digests/jobs.py``.

Subscriptions live in our own table; the scheduler only holds in-memory jobs rebuilt at every
start (explicit ids, ``replace_existing``), so a restart neither drops nor doubles a schedule.
What was already posted lives in the post ledger, keyed by period: a job that fires twice for one
period (a restart, the repeated hour when clocks go back) posts once. A period missed while the
process was down is posted at start if it is less than ``GRACE`` old; an older one is not posted
on its own, but nothing is lost: its articles are in the next digest, since the cursor only moves
when a digest is posted.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger("briefbot.digests")

GRACE = timedelta(hours=1)  # misfire grace: a run this late still posts its period
DEFAULT_SCHEDULE = "daily 09:00"
MIN_INTERVAL = timedelta(minutes=15)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?$")
_EVERY = re.compile(r"^(\d+)\s*(h|hours?|m|min|minutes?)$")


class ScheduleError(ValueError):
    """A schedule or time zone a user typed that we cannot read; the message says why."""


def parse_time(text: str) -> tuple[int, int]:
    """``"9"``, ``"09:00"`` → (9, 0)."""
    m = _TIME.match(text)
    if not m or int(m.group(1)) > 23 or int(m.group(2) or 0) > 59:
        raise ScheduleError(f"“{text}” is not a time of day; write it as HH:MM, e.g. 09:00.")
    return int(m.group(1)), int(m.group(2) or 0)


def parse_zone(name: str) -> ZoneInfo:
    """An IANA time zone (``Asia/Seoul``, ``UTC``)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(
            f"“{name}” is not a time zone I know; use an IANA name such as Asia/Seoul, "
            "Europe/Berlin or America/New_York."
        ) from None


@dataclass(frozen=True)
class Schedule:
    """When a digest is due: ``spec`` in canonical form, a time zone and, for intervals, the
    anchor their periods count from (so periods are the same after a restart)."""

    spec: str
    tz: str = "UTC"
    anchor: str | None = None

    @property
    def zone(self) -> ZoneInfo:
        return parse_zone(self.tz)

    @property
    def interval(self) -> timedelta | None:
        m = re.match(r"^every (\d+)(h|m)$", self.spec)
        if not m:
            return None
        n = int(m.group(1))
        return timedelta(hours=n) if m.group(2) == "h" else timedelta(minutes=n)

    def _anchor(self) -> datetime:
        if self.anchor:
            return datetime.fromisoformat(self.anchor)
        return datetime(2000, 1, 1, tzinfo=self.zone)

    def trigger(self):
        """The APScheduler 3.x trigger, with an explicit time zone."""
        from apscheduler.triggers.cron import CronTrigger
        from apscheduler.triggers.interval import IntervalTrigger

        interval = self.interval
        if interval is not None:
            return IntervalTrigger(seconds=int(interval.total_seconds()), start_date=self._anchor(), timezone=self.zone)
        kind, *rest = self.spec.split()
        hour, minute = parse_time(rest[-1])
        day_of_week = {"daily": "*", "weekdays": "mon-fri"}.get(kind, rest[0] if kind == "weekly" else "*")
        return CronTrigger(day_of_week=day_of_week, hour=hour, minute=minute, timezone=self.zone)

    def period_at(self, now: datetime) -> datetime | None:
        """The latest scheduled time at or before ``now`` (the period a run at ``now`` posts),
        in the schedule's time zone; None before the first one."""
        now = now.astimezone(self.zone)
        interval = self.interval
        if interval is not None:
            anchor = self._anchor()
            if now < anchor:
                return None
            steps = (now - anchor) // interval
            return (anchor + steps * interval).astimezone(self.zone)
        trigger = self.trigger()
        utc = ZoneInfo("UTC")
        previous, cursor = None, now - timedelta(days=8)
        for _ in range(64):
            fire = trigger.get_next_fire_time(previous, cursor)
            # Compare in UTC: aware datetimes of one zone compare by wall time, ignoring fold.
            if fire is None or fire.astimezone(utc) > now.astimezone(utc):
                return previous
            if previous is not None and fire.astimezone(utc) <= previous.astimezone(utc):
                # APScheduler 3 can repeat the second of two equal wall times (clocks going back):
                # step past it in real time.
                cursor = (previous.astimezone(utc) + timedelta(hours=1)).astimezone(self.zone)
                continue
            previous = fire
            # Step in real time: wall-clock arithmetic on the repeated hour would not move.
            cursor = (fire.astimezone(utc) + timedelta(seconds=1)).astimezone(self.zone)
        return previous

    def next_after(self, now: datetime) -> datetime | None:
        """The next scheduled time after ``now``."""
        return self.trigger().get_next_fire_time(None, now.astimezone(self.zone) + timedelta(seconds=1))

    def period_key(self, fire: datetime) -> str:
        """A period's name in the idempotency key. Daily/weekly periods are named by local wall
        time, so the 01:30 that happens twice when clocks go back is one period."""
        local = fire.astimezone(self.zone)
        if self.interval is not None:
            return local.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%MZ")
        return local.strftime("%Y-%m-%dT%H:%M")

    def describe(self) -> str:
        return f"{self.spec} ({self.tz})"


def parse_subscribe(words: list[str], default_tz: str = "UTC") -> tuple[str, str, str]:
    """``[schedule] [tz ZONE] [topic words…]`` → (canonical schedule, tz, topics)."""
    words = list(words)
    tz = default_tz
    for i, w in enumerate(words):
        if w.lower() == "tz":
            if i + 1 >= len(words):
                raise ScheduleError("`tz` needs a time zone after it, e.g. tz Asia/Seoul.")
            tz = words[i + 1]
            del words[i : i + 2]
            break
    parse_zone(tz)
    spec = DEFAULT_SCHEDULE
    head = words[0].lower() if words else ""
    if head in ("daily", "weekdays"):
        if len(words) < 2:
            raise ScheduleError(f"`{head}` needs a time, e.g. {head} 09:00.")
        h, m = parse_time(words[1])
        spec, words = f"{head} {h:02d}:{m:02d}", words[2:]
    elif head == "weekly":
        if len(words) < 3 or words[1].lower()[:3] not in DAYS:
            raise ScheduleError("`weekly` needs a day and a time, e.g. weekly mon 09:00.")
        h, m = parse_time(words[2])
        spec, words = f"weekly {words[1].lower()[:3]} {h:02d}:{m:02d}", words[3:]
    elif head == "every":
        if len(words) < 2:
            raise ScheduleError("`every` needs an interval, e.g. every 6h or every 30m.")
        joined, used = words[1].lower(), 2
        if joined.isdigit() and len(words) > 2:
            joined, used = joined + words[2].lower(), 3
        m = _EVERY.match(joined)
        if not m:
            raise ScheduleError(f"“{words[1]}” is not an interval; write e.g. every 6h or every 30m.")
        n, unit = int(m.group(1)), m.group(2)[0]
        delta = timedelta(hours=n) if unit == "h" else timedelta(minutes=n)
        if delta < MIN_INTERVAL or delta > timedelta(days=7):
            raise ScheduleError("An interval must be between 15 minutes and 7 days.")
        spec, words = f"every {n}{unit}", words[used:]
    return spec, tz, " ".join(words)


def schedule_of(sub: dict) -> Schedule:
    """A subscription row's schedule."""
    return Schedule(sub["schedule"], sub["tz"], sub.get("anchor"))


def interval_anchor(now: datetime, tz: str) -> str:
    """Where an interval schedule made at ``now`` counts from: that day's local midnight."""
    local = now.astimezone(parse_zone(tz))
    return local.replace(hour=0, minute=0, second=0, microsecond=0).isoformat()
