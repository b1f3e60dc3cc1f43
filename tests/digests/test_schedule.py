"""Schedules: what users type, explicit time zones, DST with a fixed clock, and registration
with APScheduler that neither drops nor doubles a job."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from digests.jobs import register_jobs
from digests.post import Target, period_of
from digests.schedule import (
    Schedule,
    ScheduleError,
    interval_anchor,
    parse_subscribe,
)

NY = ZoneInfo("America/New_York")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize("typed, expected", [
    ("", ("daily 09:00", "UTC", "")),
    ("daily 9:05 packaging HBM", ("daily 09:05", "UTC", "packaging HBM")),
    ("weekdays 08:30 tz Asia/Seoul packaging", ("weekdays 08:30", "Asia/Seoul", "packaging")),
    ("weekly Monday 09:00 tz Europe/Berlin", ("weekly mon 09:00", "Europe/Berlin", "")),
    ("every 6h chips", ("every 6h", "UTC", "chips")),
    ("every 30 m", ("every 30m", "UTC", "")),
    ("tz Asia/Seoul neuromorphic", ("daily 09:00", "Asia/Seoul", "neuromorphic")),
])
def test_what_users_type(typed, expected):
    assert parse_subscribe(typed.split()) == expected


@pytest.mark.parametrize("typed, message", [
    ("daily 25:00", "not a time of day"),
    ("daily", "needs a time"),
    ("weekly someday 09:00", "needs a day"),
    ("every 5m", "between 15 minutes and 7 days"),
    ("every often", "not an interval"),
    ("daily 09:00 tz Mars/Olympus", "not a time zone"),
    ("tz", "needs a time zone"),
])
def test_what_users_mistype_is_explained(typed, message):
    with pytest.raises(ScheduleError, match=message):
        parse_subscribe(typed.split())


def test_daily_nine_oclock_in_new_york_across_the_march_switch():
    s = Schedule("daily 09:00", "America/New_York")
    # 09:00 EST is 14:00 UTC; from Sunday 9 March 2025 09:00 EDT is 13:00 UTC
    assert s.period_at(utc(2025, 3, 8, 14, 30)) == datetime(2025, 3, 8, 9, 0, tzinfo=NY)
    assert s.period_at(utc(2025, 3, 9, 12, 59)) == datetime(2025, 3, 8, 9, 0, tzinfo=NY)
    assert s.period_at(utc(2025, 3, 9, 13, 0)).astimezone(UTC) == utc(2025, 3, 9, 13, 0)
    assert s.next_after(utc(2025, 3, 8, 15, 0)).astimezone(UTC) == utc(2025, 3, 9, 13, 0)


def test_daily_nine_oclock_in_new_york_across_the_november_switch():
    s = Schedule("daily 09:00", "America/New_York")
    assert s.period_at(utc(2025, 11, 1, 13, 30)).astimezone(UTC) == utc(2025, 11, 1, 13, 0)
    assert s.period_at(utc(2025, 11, 2, 13, 30)).astimezone(UTC) == utc(2025, 11, 1, 13, 0)
    assert s.period_at(utc(2025, 11, 2, 14, 0)).astimezone(UTC) == utc(2025, 11, 2, 14, 0)


def test_the_hour_that_happens_twice_is_one_period():
    # clocks go back at 02:00 EDT on 2 November 2025: 01:30 happens at 05:30 and 06:30 UTC
    s = Schedule("daily 01:30", "America/New_York")
    first, second = s.period_at(utc(2025, 11, 2, 5, 45)), s.period_at(utc(2025, 11, 2, 6, 45))
    assert first.astimezone(UTC) != second.astimezone(UTC)  # the scheduler fires twice…
    assert s.period_key(first) == s.period_key(second) == "2025-11-02T01:30"  # …one period posts


def test_the_hour_that_does_not_happen_still_posts_once():
    # clocks go forward at 02:00 EST on 9 March 2025: there is no 02:30 that day
    s = Schedule("daily 02:30", "America/New_York")
    fires = {s.period_at(utc(2025, 3, 9, h, 59)) for h in range(6, 12)}
    assert sorted(f.astimezone(UTC) for f in fires) == [utc(2025, 3, 8, 7, 30), utc(2025, 3, 9, 7, 30)]
    assert {s.period_key(f) for f in fires} == {"2025-03-08T02:30", "2025-03-09T02:30"}


def test_weekdays_skip_the_weekend():
    s = Schedule("weekdays 08:30", "Asia/Seoul")
    saturday = datetime(2025, 3, 15, 12, 0, tzinfo=ZoneInfo("Asia/Seoul"))
    assert s.period_key(s.period_at(saturday)) == "2025-03-14T08:30"
    assert s.next_after(saturday) == datetime(2025, 3, 17, 8, 30, tzinfo=ZoneInfo("Asia/Seoul"))


def test_intervals_count_from_a_stored_anchor_so_restarts_keep_the_periods():
    anchor = interval_anchor(utc(2025, 3, 8, 20, 0), "America/New_York")
    assert anchor == "2025-03-08T00:00:00-05:00"
    s = Schedule("every 6h", "America/New_York", anchor)
    # six hours of real time, also across the switch
    assert s.period_key(s.period_at(utc(2025, 3, 9, 6, 59))) == "2025-03-09T05:00Z"
    assert s.period_key(s.period_at(utc(2025, 3, 9, 11, 0))) == "2025-03-09T11:00Z"
    again = Schedule("every 6h", "America/New_York", anchor)
    assert again.period_at(utc(2025, 3, 9, 11, 0)) == s.period_at(utc(2025, 3, 9, 11, 0))


def test_a_channel_without_subscription_has_the_default_daily_period():
    target = Target("console", "C1", None, "Asia/Seoul")
    assert period_of(target, utc(2025, 3, 10, 1, 0)) == "2025-03-10T09:00"
    assert period_of(target, utc(2025, 3, 9, 23, 59)) == "2025-03-09T09:00"


def test_registering_twice_gives_one_job_per_subscription_with_explicit_ids(seeded):
    for line in ("/digest subscribe daily 09:00 tz America/New_York packaging",
                 "/digest subscribe every 6h tz Asia/Seoul neuromorphic"):
        assert seeded.ask(line, is_admin=True, channel_id="C1").kind == "info"
    scheduler = BackgroundScheduler(timezone="UTC")
    assert register_jobs(seeded, scheduler) == ["digest-1", "digest-2"]
    register_jobs(seeded, scheduler)  # a second start, or a reload
    jobs = {j.id: j for j in scheduler.get_jobs()}
    assert sorted(jobs) == ["digest-1", "digest-2"]
    daily, every = jobs["digest-1"], jobs["digest-2"]
    assert isinstance(daily.trigger, CronTrigger) and str(daily.trigger.timezone) == "America/New_York"
    assert isinstance(every.trigger, IntervalTrigger) and str(every.trigger.timezone) == "Asia/Seoul"
    for job in jobs.values():
        assert job.coalesce is True and job.max_instances == 1 and job.misfire_grace_time == 3600
