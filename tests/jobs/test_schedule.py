"""Job schedules: the OnCalendar subset, its errors, and its firings computed as systemd computes them."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess

import pytest

from cradle.jobs.registry import JOBS
from cradle.jobs.schedule import ScheduleError, parse

EXAMPLES = [
    "daily",
    "hourly",
    "weekly",
    "monthly",
    "yearly",
    "*-*-* 01:30",
    "*-*-* *:0/10",
    "*-*-05 02:00",
    "*-01-15 03:00:30",
    "Mon..Fri *-*-* 08:00",
    "Sat,Sun *-*-* 10,16:15",
    "*-02-29 12:00",
    "*-3..5,10-1/10 23:59",
]


def test_next_and_last_firings():
    c = parse("*-*-05 02:00")
    at = dt.datetime(2026, 12, 6, 13, 0)
    assert c.next_after(at) == dt.datetime(2027, 1, 5, 2, 0)
    assert c.last_at_or_before(at) == dt.datetime(2026, 12, 5, 2, 0)
    assert c.last_at_or_before(dt.datetime(2026, 12, 5, 2, 0)) == dt.datetime(2026, 12, 5, 2, 0)
    every = parse("*-*-* *:0/10")
    assert every.next_after(dt.datetime(2026, 12, 31, 23, 55)) == dt.datetime(2027, 1, 1, 0, 0)
    assert parse("Mon..Fri *-*-* 08:00").next_after(dt.datetime(2026, 12, 5, 9, 0)) == dt.datetime(
        2026, 12, 7, 8
    )
    assert parse("*-02-29 12:00").next_after(dt.datetime(2026, 3, 1)) == dt.datetime(2028, 2, 29, 12)
    assert parse("weekly").text == "weekly" and parse("weekly").weekdays == frozenset({0})


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("", "expected hourly"),
        ("every day", "expected hourly"),
        ("2026-*-* 01:00", "expected hourly"),  # the year is always *
        ("*-*-* 24:00", "hour '24'"),
        ("*-*-* 01:60", "minute '60'"),
        ("*-13-* 01:00", "month '13'"),
        ("*-*-0 01:00", "day '0'"),
        ("*-*-* 1", "time '1'"),
        ("Fri..Mon *-*-* 01:00", "weekday 'Fri..Mon'"),
        ("Mo *-*-* 01:00", "weekday 'Mo'"),
        ("*-*-* 5..1:00", "hour '5..1'"),
        ("*-02-31 01:00", "never fires"),
    ],
)
def test_bad_schedules_name_the_part(text, part):
    with pytest.raises(ScheduleError) as exc:
        parse(text)
    assert part in str(exc.value)


def _systemd_firings(text: str, base: dt.datetime, n: int) -> list[dt.datetime]:
    out = subprocess.run(
        [
            "systemd-analyze",
            "calendar",
            f"--iterations={n}",
            f"--base-time={base:%Y-%m-%d %H:%M:%S} UTC",
            text,
        ],
        env={**os.environ, "TZ": "UTC"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.findall(r"(?:Next elapse|Iter\. #\d+): \w+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC", out)
    return [dt.datetime.fromisoformat(x) for x in found]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
@pytest.mark.parametrize("text", EXAMPLES + sorted({j.schedule for j in JOBS}))
@pytest.mark.parametrize("base", [dt.datetime(2026, 12, 31, 23, 55, 10), dt.datetime(2027, 2, 28, 12, 0)])
def test_firings_agree_with_systemd(text, base):
    ours, at = [], base
    for _ in range(4):
        at = parse(text).next_after(at)
        ours.append(at)
    assert ours == _systemd_firings(text, base, 4)
