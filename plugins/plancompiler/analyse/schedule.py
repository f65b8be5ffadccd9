"""The schedule: a forward and a backward pass over jobs measured in working days.

The input is small and plain (`Job`: a key, a length in working days, the keys it comes after,
the dates it may not start before, what it waits on that has no date); `analyse.forecast`
builds it from the compiled model. Positions are working days on the calendar's line
(`analyse.calendar`), so the passes are additions and comparisons only.

- Forward: a job starts at the latest of its floors and of the finishes of the jobs it comes
  after; it finishes its length later. A finished job takes no time and holds nothing up; a
  job that waits on something without a date, or comes after such a job, is unscheduled.
- Backward: a job must finish by the earliest latest-start of what comes after it, and by the
  finish of its group (a plan); its slack is how much later it could finish. Only pages show
  slack, so this pass runs when a slack is first asked for: `plans check` never runs it.
- The chain that drives a job: from it, back through the job that set its start each time,
  to the floor (a pinned start, a gate's date, today) where the chain begins.
"""

from __future__ import annotations

import datetime
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


class Slot(NamedTuple):
    """Where the forward pass puts a job, in positions (working days); `driver` is the key of
    the job that set its start, or None when a floor (`floor`) or nothing did."""

    start: float
    finish: float
    driver: str | None
    floor: Floor | None
    chain_days: float
    chain_length: int


@dataclass
class Timetable:
    """The outcome of the forward pass, and slack from the backward pass when asked for."""

    calendar: Calendar
    slots: dict[str, Slot] = field(default_factory=dict)
    waiting: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Unscheduled jobs and what they wait on, directly or through the jobs they come after."""
    cyclic: set[str] = field(default_factory=set)
    """Jobs on (or after) a dependency cycle: unscheduled too."""
    ends: dict[str, float] = field(default_factory=dict)
    """Each group's last finish among its scheduled, unfinished jobs."""
    _order: list[tuple[Job, tuple[str, ...]]] = field(default_factory=list, repr=False)
    _jobs: dict[str, Job] = field(default_factory=dict, repr=False)
    _slack: dict[str, float] | None = field(default=None, repr=False)

    def slack(self, key: str) -> float | None:
        """How many working days the scheduled job `key` could finish later without moving its
        group's finish or what comes after it; None for a job not scheduled."""
        if self._slack is None:
            self._slack = _backward(self._order, self)
        return self._slack.get(key)

    def chain(self, key: str, prefix: str = "") -> tuple[str, ...]:
        """The jobs, milestones left out, whose starts follow one from the other up to `key`,
        first first: the chain that sets when `key` finishes. With `prefix`, only the end of it
        whose keys start with `prefix` (a plan's own part of it)."""
        found: list[str] = []
        slot_of = self.slots.get
        current: str | None = key
        # A driver was scheduled before the job it drives: the walk cannot go round.
        while current is not None and (slot := slot_of(current)) is not None:
            if not current.startswith(MILESTONE):
                if not current.startswith(prefix):
                    break
                found.append(current)
            current = slot.driver
        return tuple(reversed(found))

    def origin(self, key: str) -> Floor | None:
        """The floor the chain of `key` begins at, if a floor began it."""
        chain = self.chain(key)
        first = self.slots.get(chain[0]) if chain else None
        return first.floor if first else None


MILESTONE = "end of "
"""Milestone keys start with this, so that chains can leave them out."""


def schedule(jobs: Sequence[Job], calendar: Calendar) -> Timetable:
    """Run the forward pass over `jobs` (the backward pass waits for `Timetable.slack`)."""
    table = Timetable(calendar)
    table._jobs = {job.key: job for job in jobs}
    table._order = _order(table)
    _forward(table._order, table)
    return table


def _order(table: Timetable) -> list[tuple[Job, tuple[str, ...]]]:
    """Each job with the jobs it comes after that the schedule knows, after all of those,
    otherwise in the order given; jobs left over sit on a cycle or after one, and are
    unscheduled (`Timetable.cyclic`).

    Jobs come in file order, and almost every job comes after jobs given before it: it is
    placed at once. Only the others wait, each until the last job it comes after is placed.
    Any order that puts each job after what it comes after gives the same schedule: a job's
    slot is made from theirs alone, and ties between them are broken by key.
    """
    by_key = table._jobs
    known = by_key.__contains__
    placed: set[str] = set()
    is_placed = placed.__contains__
    order: list[tuple[Job, tuple[str, ...]]] = []
    unplaced: dict[str, int] = {}  # by waiting job: how many it comes after are not placed yet
    waiters: dict[str, list[tuple[Job, tuple[str, ...]]]] = {}  # by job: the waiting jobs after it
    for job in by_key.values():  # one job per key, the last given, as the schedule knows them
        preds = job.after
        key = job.key
        # Checked in C, the tuple kept (a job named twice there reads the same slot twice).
        if not all(map(is_placed, preds)):
            # Mostly jobs after finished work, which is no job: filtered in C, then checked again.
            if not all(map(known, preds)):
                preds = tuple(filter(known, preds))
            if key in preds:
                preds = tuple([k for k in preds if k != key])
            if len(preds) > 1 and len(set(preds)) < len(preds):
                preds = tuple(dict.fromkeys(preds))
            pending = [] if all(map(is_placed, preds)) else [k for k in preds if not is_placed(k)]
            if pending:
                unplaced[key] = len(pending)
                for pred in pending:
                    waiters.setdefault(pred, []).append((job, preds))
                continue
        placed.add(key)
        order.append((job, preds))
        if key not in waiters:
            continue
        freed = [key]
        while freed:  # the jobs that waited for this one, and those that waited for them
            for item in waiters.pop(freed.pop(), ()):
                later = item[0].key
                unplaced[later] -= 1
                if not unplaced[later]:
                    placed.add(later)
                    order.append(item)
                    freed.append(later)
    if len(order) < len(by_key):
        table.cyclic = {key for key in by_key if key not in placed}
    return order


def _forward(order: list[tuple[Job, tuple[str, ...]]], table: Timetable) -> None:
    calendar, slots, waiting, ends = table.calendar, table.slots, table.waiting, table.ends
    positions: dict[datetime.date, int] = {}
    highest: dict[int, tuple[float, Floor | None]] = {}  # by id: the jobs keep the tuples alive
    slot_of = slots.get
    # Slots are made as tuples of the class: a named tuple's own constructor is a Python
    # function, and took twice as long as the tuple itself (a tenth of this pass).
    new = tuple.__new__
    for job, preds in order:
        # Unpacked at once: a named tuple's fields, read one by one, took half of this pass.
        key, group, days, _, floors, waits, finished, milestone, finish_floor = job
        # The latest finish among what the job comes after; finished jobs hold nothing up. Of
        # several that finish together, the one at the end of the longest chain (by estimate,
        # then by length) drives: the longest chain where only dependencies count, as the
        # critical path has always been found.
        start: float | None = None
        driver: str | None = None
        best: Slot | None = None
        held = False
        for pred in preds:
            slot = slot_of(pred)
            if slot is None:
                held = held or pred in waiting
                continue
            if start is None or best is None or driver is None or slot.finish > start + EPSILON:
                start, driver, best = slot.finish, pred, slot
            elif slot.finish >= start - EPSILON and _drives(slot, pred, best, driver):
                driver, best = pred, slot
        if waits or held:
            found = [*waits, *(w for p in preds for w in waiting.get(p, ()))]
            waiting[key] = tuple(sorted(set(found), key=natural_key))
            continue
        if finished:
            continue
        floor: Floor | None = None
        # Tasks of a phase share one tuple of floors: its latest is found once.
        latest = highest.get(id(floors))
        if latest is None:
            latest = highest[id(floors)] = _latest(floors, calendar, positions)
        if latest[1] is not None and (start is None or latest[0] > start + EPSILON):
            start, floor, driver, best = latest[0], latest[1], None, None
        if start is None:
            continue  # a milestone after finished work only: it holds nothing up
        chain_days, chain_length = (best.chain_days, best.chain_length) if best is not None else (0.0, 0)
        if not milestone:
            chain_days, chain_length = chain_days + days, chain_length + 1
        finish = start + days
        if finish_floor is not None:
            finish = max(finish, float(calendar.index(finish_floor) + 1))
            # Work in progress started some time before; what is known is when it ends. It is
            # shown as its estimate ending there, not as a bar from the plan's start to today.
            start = max(start, finish - days)
        slots[key] = new(Slot, (start, finish, driver, floor, chain_days, chain_length))
        if not milestone and finish > ends.get(group, -1.0):
            ends[group] = finish


def _drives(slot: Slot, key: str, best: Slot, best_key: str) -> bool:
    """Whether `key` rather than `best_key`, finishing together, drives what comes after."""
    return (-slot.chain_days, -slot.chain_length, natural_key(key)) < (
        -best.chain_days,
        -best.chain_length,
        natural_key(best_key),
    )


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


def _backward(order: list[tuple[Job, tuple[str, ...]]], table: Timetable) -> dict[str, float]:
    """Every scheduled job's slack."""
    slots, ends = table.slots, table.ends
    after: dict[str, list[str]] = {}
    for job, preds in order:
        for pred in preds:
            after.setdefault(pred, []).append(job.key)
    latest: dict[str, float] = {}
    slack: dict[str, float] = {}
    for job, _ in reversed(order):
        key = job.key
        slot = slots.get(key)
        if slot is None:
            continue
        bound = ends.get(job.group, slot.finish)
        for succ in after.get(key, ()):
            found = latest.get(succ)
            if found is not None and found < bound:
                bound = found
        latest[key] = bound - job.days
        slack[key] = max(0.0, bound - slot.finish)
    return slack


def critical(table: Timetable, group: str, keys: Iterable[str]) -> tuple[str, ...]:
    """The chain that ends the group last: of the group's jobs among `keys` that finish at its
    end, the one at the end of the longest chain; its chain, kept to the group's own jobs."""
    end = table.ends.get(group)
    if end is None:
        return ()
    best: str | None = None
    slot_of = table.slots.get
    for key in keys:
        slot = slot_of(key)
        if slot is None or abs(slot.finish - end) > EPSILON:
            continue
        if best is None or _drives(slot, key, table.slots[best], best):
            best = key
    return table.chain(best, f"{group}/") if best is not None else ()
