"""The schedule: a forward and a backward pass over jobs measured in working days.

The input is small and plain (`Job`: a key, a length in working days, the keys it comes after,
the dates it may not start before, what it waits on that has no date); `analyse.forecast`
builds it from the compiled model. Positions are working days on the calendar's line
(`analyse.calendar`), so the passes are additions and comparisons only.

- Forward: a job starts at the latest of its floors and of the finishes of the jobs it comes
  after; it finishes its length later. A finished job takes no time and holds nothing up; a
  job that waits on something without a date, or comes after such a job, is unscheduled.
- Backward: a job must finish by the earliest latest-start of what comes after it, and by the
  finish of its group (a plan); its slack is how much later it could finish.
- The chain that drives a job: from it, back through the job that set its start each time,
  to the floor (a pinned start, a gate's date, today) where the chain begins.
"""

from __future__ import annotations

import datetime
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from plancompiler.analyse.calendar import EPSILON, Calendar
from plancompiler.analyse.graphs import natural_key


@dataclass(frozen=True, slots=True)
class Floor:
    """A date a job may not start before, and why (`the plan's start`, `gate G03, due ...`)."""

    day: datetime.date
    why: str


class Job(NamedTuple):
    """One piece of work, or a milestone (a phase's end) that comes after others and takes no
    time. (A named tuple: a site has thousands, and frozen dataclasses cost four times as
    much to make.)"""

    key: str
    group: str
    days: float = 0.0
    after: tuple[str, ...] = ()
    floors: tuple[Floor, ...] = ()
    waits: tuple[str, ...] = ()
    """What the job waits on that has no date (gate ids): it is then unscheduled."""
    finished: bool = False
    milestone: bool = False
    finish_floor: datetime.date | None = None
    """A day the job does not finish before (work in progress: today, or the next working day
    when today is a day off)."""


@dataclass(slots=True)
class Slot:
    """Where the passes put a job, in positions (working days); `driver` is the key of the job
    that set its start, or None when a floor (`floor`) or nothing did. The forward pass makes
    it, the backward pass sets its slack."""

    start: float
    finish: float
    slack: float
    driver: str | None
    floor: Floor | None
    chain_days: float
    chain_length: int


@dataclass
class Timetable:
    """The outcome of both passes."""

    calendar: Calendar
    slots: dict[str, Slot] = field(default_factory=dict)
    waiting: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Unscheduled jobs and what they wait on, directly or through the jobs they come after."""
    cyclic: set[str] = field(default_factory=set)
    """Jobs on (or after) a dependency cycle: unscheduled too."""
    ends: dict[str, float] = field(default_factory=dict)
    """Each group's last finish among its scheduled, unfinished jobs."""

    def chain(self, key: str) -> tuple[str, ...]:
        """The jobs, milestones left out, whose starts follow one from the other up to `key`,
        first first: the chain that sets when `key` finishes."""
        found: list[str] = []
        current: str | None = key
        seen: set[str] = set()
        while current is not None and current in self.slots and current not in seen:
            seen.add(current)
            if not current.startswith(MILESTONE):
                found.append(current)
            current = self.slots[current].driver
        return tuple(reversed(found))

    def origin(self, key: str) -> Floor | None:
        """The floor the chain of `key` begins at, if a floor began it."""
        chain = self.chain(key)
        first = self.slots.get(chain[0]) if chain else None
        return first.floor if first else None


MILESTONE = "end of "
"""Milestone keys start with this, so that chains can leave them out."""


def schedule(jobs: Sequence[Job], calendar: Calendar) -> Timetable:
    """Run the forward and backward passes over `jobs`."""
    table = Timetable(calendar)
    by_key = {job.key: job for job in jobs}
    before: dict[str, list[str]] = {}
    after: dict[str, list[str]] = {key: [] for key in by_key}
    for job in jobs:
        preds = [k for k in job.after if k in by_key and k != job.key]
        if len(preds) > 1:
            preds = list(dict.fromkeys(preds))
        before[job.key] = preds
        for pred in preds:
            after[pred].append(job.key)
    order = _order(jobs, before, after, table)
    _forward(order, by_key, before, table)
    _backward(order, by_key, after, table)
    return table


def _order(
    jobs: Sequence[Job], before: dict[str, list[str]], after: dict[str, list[str]], table: Timetable
) -> list[str]:
    """Jobs after everything they come after, otherwise in the order given; jobs left over sit
    on a cycle or after one, and are unscheduled."""
    waiting = {key: len(preds) for key, preds in before.items()}
    ready = deque(job.key for job in jobs if not before[job.key])
    order = []
    while ready:
        key = ready.popleft()
        order.append(key)
        for succ in after[key]:
            waiting[succ] -= 1
            if waiting[succ] == 0:
                ready.append(succ)
    if len(order) < len(waiting):
        placed = set(order)
        table.cyclic = {key for key in waiting if key not in placed}
    return order


def _forward(order: list[str], by_key: dict[str, Job], before: dict[str, list[str]], table: Timetable) -> None:
    calendar, slots, waiting, ends = table.calendar, table.slots, table.waiting, table.ends
    positions: dict[datetime.date, int] = {}
    highest: dict[int, tuple[float, Floor | None]] = {}  # by id: the jobs keep the tuples alive
    for key in order:
        job = by_key[key]
        preds = before[key]
        if job.waits or (waiting and any(p in waiting for p in preds)):
            held = [*job.waits, *(w for p in preds for w in waiting.get(p, ()))]
            waiting[key] = tuple(sorted(set(held), key=natural_key))
            continue
        if job.finished:
            continue
        # The latest finish among what the job comes after; finished jobs hold nothing up.
        start: float | None = None
        drivers: list[str] = []
        for pred in preds:
            slot = slots.get(pred)
            if slot is None:
                continue
            if start is None or slot.finish > start + EPSILON:
                start, drivers = slot.finish, [pred]
            elif abs(slot.finish - start) <= EPSILON:
                drivers.append(pred)
        floor: Floor | None = None
        # Tasks of a phase share one tuple of floors: its latest is found once.
        latest = highest.get(id(job.floors))
        if latest is None:
            latest = highest[id(job.floors)] = _latest(job.floors, calendar, positions)
        if latest[1] is not None and (start is None or latest[0] > start + EPSILON):
            start, floor, drivers = latest[0], latest[1], []
        if start is None:
            continue  # a milestone after finished work only: it holds nothing up
        driver = None
        chain_days, chain_length = 0.0, 0
        if drivers:
            # Of several jobs that finish together, the one at the end of the longest chain
            # (by estimate, then by length) drives: the longest chain where only dependencies
            # count, as the critical path has always been found.
            driver = drivers[0]
            if len(drivers) > 1:
                driver = min(drivers, key=lambda k: (-slots[k].chain_days, -slots[k].chain_length, natural_key(k)))
            chain_days, chain_length = slots[driver].chain_days, slots[driver].chain_length
        if not job.milestone:
            chain_days, chain_length = chain_days + job.days, chain_length + 1
        finish = start + job.days
        if job.finish_floor is not None:
            finish = max(finish, float(calendar.index(job.finish_floor) + 1))
            # Work in progress started some time before; what is known is when it ends. It is
            # shown as its estimate ending there, not as a bar from the plan's start to today.
            start = max(start, finish - job.days)
        slots[key] = Slot(start, finish, 0.0, driver, floor, chain_days, chain_length)
        if not job.milestone and finish > ends.get(job.group, -1.0):
            ends[job.group] = finish


def _latest(
    floors: tuple[Floor, ...], calendar: Calendar, positions: dict[datetime.date, int]
) -> tuple[float, Floor | None]:
    """The latest of `floors` as (position, floor); the first of equals."""
    best: tuple[float, Floor | None] = (0.0, None)
    for candidate in floors:
        position = positions.get(candidate.day)
        if position is None:
            position = positions[candidate.day] = calendar.index(candidate.day)
        if best[1] is None or position > best[0] + EPSILON:
            best = (float(position), candidate)
    return best


def _backward(order: list[str], by_key: dict[str, Job], after: dict[str, list[str]], table: Timetable) -> None:
    slots, ends = table.slots, table.ends
    latest: dict[str, float] = {}
    for key in reversed(order):
        slot = slots.get(key)
        if slot is None:
            continue
        job = by_key[key]
        bound = ends.get(job.group, slot.finish)
        for succ in after[key]:
            found = latest.get(succ)
            if found is not None and found < bound:
                bound = found
        latest[key] = bound - job.days
        slot.slack = max(0.0, bound - slot.finish)


def critical(table: Timetable, group: str, keys: Iterable[str]) -> tuple[str, ...]:
    """The chain that ends the group last: of the group's jobs among `keys` that finish at its
    end, the one at the end of the longest chain; its chain, kept to the group's own jobs."""
    end = table.ends.get(group)
    if end is None:
        return ()
    best: str | None = None
    for key in keys:
        slot = table.slots.get(key)
        if slot is None or abs(slot.finish - end) > EPSILON:
            continue
        if best is None or (-slot.chain_days, -slot.chain_length, natural_key(key)) < (
            -table.slots[best].chain_days,
            -table.slots[best].chain_length,
            natural_key(best),
        ):
            best = key
    if best is None:
        return ()
    chain = table.chain(best)
    prefix = f"{group}/"
    tail: list[str] = []
    for key in reversed(chain):
        if not key.startswith(prefix):
            break
        tail.append(key)
    return tuple(reversed(tail))
