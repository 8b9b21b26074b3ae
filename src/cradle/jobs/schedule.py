"""Job schedules: a small subset of systemd's OnCalendar syntax, so the timer units say exactly what
`cradle jobs list` computes.

    hourly | daily | weekly | monthly | yearly        systemd's shorthands
    [WEEKDAYS] *-MONTHS-DAYS HOURS:MINUTES[:SECONDS]   e.g. "*-*-* 01:30", "Mon..Fri *-*-* 08:00",
                                                       "*-*-05 02:00", "*-01-15 03:00", "*-*-* *:0/10"

The year is always `*`. WEEKDAYS is Mon, Tue, Wed, Thu, Fri, Sat, Sun, a range `Mon..Fri`, or a comma list. Each
number field is `*`, a number, a range `a..b`, a repetition `a/step` (a, a+step, … up to the field's end), or a
comma list of those. Times are the host's local time, as systemd reads them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

SHORTHANDS = {
    "hourly": "*-*-* *:00:00",
    "daily": "*-*-* 00:00:00",
    "weekly": "Mon *-*-* 00:00:00",
    "monthly": "*-*-01 00:00:00",
    "yearly": "*-01-01 00:00:00",
}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FORM = re.compile(
    r"^(?:(?P<wd>[A-Za-z.,]+)\s+)?\*-(?P<mo>[\d*.,/]+)-(?P<d>[\d*.,/]+)\s+(?P<time>[\d*.,/:]+)$"
)
# Far enough to meet any valid schedule (29 February comes within 8 years), short enough to stop on an impossible
# one (31 February) at once.
_SEARCH_DAYS = 8 * 366


class ScheduleError(ValueError):
    """A schedule outside the supported syntax; the message says which part."""


def _numbers(text: str, what: str, lo: int, hi: int) -> frozenset[int]:
    out: set[int] = set()
    for part in text.split(","):
        if part == "*":
            out.update(range(lo, hi + 1))
            continue
        m = re.fullmatch(r"(\d+)(?:\.\.(\d+)|/(\d+))?", part)
        if not m:
            raise ScheduleError(f"{what} {part!r}: expected *, N, N..M or N/STEP")
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else (hi if m.group(3) else first)
        step = int(m.group(3)) if m.group(3) else 1
        if not (lo <= first <= hi and lo <= last <= hi) or last < first or step < 1:
            raise ScheduleError(f"{what} {part!r}: must lie within {lo}..{hi}")
        out.update(range(first, last + 1, step))
    return frozenset(out)


def _weekdays(text: str) -> frozenset[int]:
    out: set[int] = set()
    for part in text.split(","):
        ends = part.split("..")
        if len(ends) > 2 or any(e not in WEEKDAYS for e in ends):
            raise ScheduleError(f"weekday {part!r}: expected Mon…Sun, a range Mon..Fri or a comma list")
        a, b = WEEKDAYS.index(ends[0]), WEEKDAYS.index(ends[-1])
        if b < a:
            raise ScheduleError(f"weekday {part!r}: a range runs forwards (Mon..Fri)")
        out.update(range(a, b + 1))
    return frozenset(out)


@dataclass(frozen=True)
class Calendar:
    """A parsed schedule; `text` is what the timer unit's OnCalendar= gets."""

    text: str
    weekdays: frozenset[int]
    months: frozenset[int]
    days: frozenset[int]
    times: tuple[dt.time, ...]  # every time of day it fires, sorted

    def matches_day(self, day: dt.date) -> bool:
        return day.month in self.months and day.day in self.days and day.weekday() in self.weekdays

    def next_after(self, moment: dt.datetime) -> dt.datetime:
        """The first firing strictly after `moment` (naive local time)."""
        day = moment.date()
        for _ in range(_SEARCH_DAYS):
            if self.matches_day(day):
                for t in self.times:
                    at = dt.datetime.combine(day, t)
                    if at > moment:
                        return at
            day += dt.timedelta(days=1)
        raise ScheduleError(f"{self.text!r} never fires")

    def last_at_or_before(self, moment: dt.datetime) -> dt.datetime:
        """The latest firing at or before `moment` (naive local time)."""
        day = moment.date()
        for _ in range(_SEARCH_DAYS):
            if self.matches_day(day):
                for t in reversed(self.times):
                    at = dt.datetime.combine(day, t)
                    if at <= moment:
                        return at
            day -= dt.timedelta(days=1)
        raise ScheduleError(f"{self.text!r} never fires")


def parse(text: str) -> Calendar:
    """The schedule `text` parsed, or ScheduleError naming the part that is wrong."""
    source = " ".join((text or "").split())
    form = SHORTHANDS.get(source, source)
    m = _FORM.match(form)
    if not m:
        raise ScheduleError(
            f"{text!r}: expected hourly, daily, weekly, monthly, yearly or '[Mon..Fri] *-MM-DD HH:MM[:SS]'"
        )
    clock = m.group("time").split(":")
    if len(clock) not in (2, 3):
        raise ScheduleError(f"time {m.group('time')!r}: expected HH:MM or HH:MM:SS")
    hours = _numbers(clock[0], "hour", 0, 23)
    minutes = _numbers(clock[1], "minute", 0, 59)
    seconds = _numbers(clock[2], "second", 0, 59) if len(clock) == 3 else frozenset({0})
    calendar = Calendar(
        text=source,
        weekdays=_weekdays(m.group("wd")) if m.group("wd") else frozenset(range(7)),
        months=_numbers(m.group("mo"), "month", 1, 12),
        days=_numbers(m.group("d"), "day", 1, 31),
        times=tuple(
            dt.time(h, mi, s) for h in sorted(hours) for mi in sorted(minutes) for s in sorted(seconds)
        ),
    )
    calendar.next_after(dt.datetime(2000, 1, 1))  # refuses a date no month has (31 February)
    return calendar
