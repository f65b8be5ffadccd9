"""Working days: which weekdays a team works and which dates are holidays, and counting in them.

Schedules are reckoned in working days on a line of positions: working day number `k` (counted
from 0001-01-01) covers the positions `[k, k + 1)`. A task of `n` days that starts at position
`s` ends at `s + n`; its dates are the working days it touches, first and last inclusive, as
Gantt tools show them. Fractional positions (a 4h task is half a day) keep their place within
a day.
"""

from __future__ import annotations

import datetime
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SHORT = tuple(name[:3].capitalize() for name in WEEKDAYS)
# Positions closer than this are the same position: estimates are sums of decimal fractions.
EPSILON = 1e-9
_DURATION = re.compile(r"^\s*([0-9]+)\s*([dw]?)\s*$")


class CalendarError(ValueError):
    """A calendar, date or duration setting that cannot be used; the message says what to write."""


@dataclass(frozen=True, slots=True)
class Calendar:
    """The working weekdays (`date.weekday()` numbers, Monday 0) and the holidays."""

    weekdays: frozenset[int] = frozenset(range(5))
    holidays: tuple[datetime.date, ...] = ()
    _before: tuple[int, ...] = field(init=False, repr=False, compare=False)
    """How many working weekdays a week has before each of its days (Monday first)."""
    _off: tuple[int, ...] = field(init=False, repr=False, compare=False)
    """Ordinals of the holidays that fall on working weekdays, sorted."""
    _nth: tuple[int, ...] = field(init=False, repr=False, compare=False)
    """The weekday numbers worked, in order."""
    _days: dict[int, datetime.date] = field(init=False, repr=False, compare=False)
    """Dates of working days already asked for: a schedule asks for the same few hundred."""

    def __post_init__(self) -> None:
        if not self.weekdays:
            raise CalendarError("a calendar needs at least one working weekday")
        before = [0]
        for day in range(7):
            before.append(before[-1] + (day in self.weekdays))
        off = sorted({d.toordinal() for d in self.holidays if d.weekday() in self.weekdays})
        object.__setattr__(self, "_before", tuple(before))
        object.__setattr__(self, "_off", tuple(off))
        object.__setattr__(self, "_nth", tuple(sorted(self.weekdays)))
        object.__setattr__(self, "_days", {})

    def is_working(self, day: datetime.date) -> bool:
        """Whether `day` is a working weekday and no holiday."""
        return day.weekday() in self.weekdays and bisect_left(self._off, day.toordinal()) == bisect_right(
            self._off, day.toordinal()
        )

    def index(self, day: datetime.date) -> int:
        """How many working days come before `day`: the position where work on `day` would
        start (on a day off, the start of the next working day)."""
        weeks, rest = divmod(day.toordinal() - 1, 7)  # ordinal 1 is a Monday
        return weeks * len(self._nth) + self._before[rest] - bisect_left(self._off, day.toordinal())

    def day(self, number: int) -> datetime.date:
        """The date of working day `number` (0-based, as `index` counts)."""
        found = self._days.get(number)
        if found is None:
            found = self._days[number] = self._day(number)
        return found

    def _day(self, number: int) -> datetime.date:
        per_week = len(self._nth)
        extra = 0
        while True:
            weeks, rest = divmod(number + extra, per_week)
            ordinal = weeks * 7 + self._nth[rest] + 1
            holidays = bisect_right(self._off, ordinal)
            if holidays == extra:
                return datetime.date.fromordinal(ordinal)
            extra = holidays

    def first_day(self, position: float) -> datetime.date:
        """The working day a span starting at `position` starts on."""
        return self.day(math.floor(position + EPSILON))

    def last_day(self, start: float, end: float) -> datetime.date:
        """The last working day a span from `start` to `end` touches (inclusive); a span of no
        length is shown on the day it starts."""
        if end - start < EPSILON:
            return self.first_day(start)
        return self.day(math.ceil(end - EPSILON) - 1)

    def end_of(self, day: datetime.date) -> int:
        """The position at which `day` is over: work due on it must end there."""
        return self.index(day + datetime.timedelta(days=1))

    def days_off(self, first: datetime.date, last: datetime.date) -> list[datetime.date]:
        """The holidays on working weekdays between `first` and `last`, inclusive."""
        low, high = bisect_left(self._off, first.toordinal()), bisect_right(self._off, last.toordinal())
        return [datetime.date.fromordinal(o) for o in self._off[low:high]]

    def describe(self) -> str:
        """`Mon-Fri`, or the working weekdays listed, and the number of holidays."""
        days = self._nth
        if len(days) > 2 and days == tuple(range(days[0], days[-1] + 1)):
            shown = f"{SHORT[days[0]]}-{SHORT[days[-1]]}"
        else:
            shown = ", ".join(SHORT[d] for d in days)
        if self._off:
            noun = "holiday" if len(self._off) == 1 else "holidays"
            shown += f", {len(self._off)} {noun}"
        return shown


def parse_date(value: Any, what: str) -> datetime.date:
    """A date written `YYYY-MM-DD` (or read so by YAML) as a `date`; a clear error otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CalendarError(f"{what} must be a date written YYYY-MM-DD, not {value!r}")


def parse_calendar(raw: Any) -> Calendar:
    """The `calendar:` option: `{working_days: [mon, tue, ...], holidays: [2026-12-25, ...]}`."""
    if raw is None:
        return Calendar()
    if not isinstance(raw, Mapping):
        raise CalendarError(
            "'calendar' must be a mapping such as {working_days: [mon, tue, wed, thu, fri], holidays: [2026-12-25]}"
        )
    unknown = sorted(str(k) for k in raw if k not in ("working_days", "holidays"))
    if unknown:
        raise CalendarError(f"'calendar' takes working_days and holidays, not {', '.join(unknown)}")
    weekdays = frozenset(range(5))
    if raw.get("working_days") is not None:
        names = raw["working_days"]
        if not isinstance(names, list) or not names:
            raise CalendarError("'calendar: working_days' must be a list of weekday names, such as [mon, tue, wed]")
        weekdays = frozenset(_weekday(name) for name in names)
    holidays = raw.get("holidays") or []
    if not isinstance(holidays, list):
        raise CalendarError("'calendar: holidays' must be a list of dates written YYYY-MM-DD")
    return Calendar(weekdays, tuple(sorted({parse_date(h, "a holiday") for h in holidays})))


def _weekday(name: Any) -> int:
    text = str(name).strip().lower()
    for number, full in enumerate(WEEKDAYS):
        if len(text) >= 2 and full.startswith(text):
            return number
    raise CalendarError(f"'{name}' is not a weekday; write mon, tue, wed, thu, fri, sat or sun")


def parse_stale_after(value: Any) -> int:
    """`stale_after:` in calendar days: `30d`, `4w` (weeks of seven days) or a number of days."""
    if isinstance(value, bool):
        raise CalendarError(f"'stale_after' must be a number of days such as 30d or 4w, not {value!r}")
    if isinstance(value, int) and value > 0:
        return value
    match = _DURATION.match(str(value)) if isinstance(value, str) else None
    if match and int(match.group(1)) > 0:
        return int(match.group(1)) * (7 if match.group(2) == "w" else 1)
    raise CalendarError(f"'stale_after' must be a number of days such as 30d or 4w, not {value!r}")


def excluded_weekdays(calendar: Calendar) -> Iterable[str]:
    """The names of the weekdays not worked (for Gantt charts that shade them)."""
    return (WEEKDAYS[d] for d in range(7) if d not in calendar.weekdays)
