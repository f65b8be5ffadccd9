"""Plans in time: the schedule of every plan, its forecast, and the diagnostics about dates.

`jobs` is the one adapter from the compiled model to the schedule's plain input
(`analyse.schedule.Job`); `forecast` runs the passes and turns positions back into dates;
`check_dates` reports due dates the forecast misses, work overdue or gone stale, and work
started before its pinned start.
"""

from __future__ import annotations

import datetime
from abc import abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol, TypeVar, cast

from plancompiler.analyse.calendar import EPSILON, Calendar
from plancompiler.analyse.graphs import natural_key
from plancompiler.analyse.schedule import MILESTONE, Floor, Job, Timetable, critical, schedule
from plancompiler.diagnostics import Reporter
from plancompiler.model import Day, GateState, Key, Phase, Plan, Project, Task
from plancompiler.vocabulary import CLEARED, FINISHED, PlanStatus, TaskStatus

_Value = TypeVar("_Value")

CLOSED_PLANS = frozenset({PlanStatus.COMPLETED, PlanStatus.HISTORICAL, PlanStatus.CANCELLED})
"""Plans whose work is over: nothing of theirs is scheduled."""


@dataclass(frozen=True)
class TimeOptions:
    """The site's time settings: its calendar, the day taken as today (None: the day of each
    compile), and after how many calendar days work in progress without a change is stale."""

    calendar: Calendar = field(default_factory=Calendar)
    today: datetime.date | None = None
    stale_after: int = 30


class TaskDates(NamedTuple):
    """A task's place in the schedule. Dates are None for finished and unscheduled tasks. (A
    named tuple: there is one per task, and frozen dataclasses cost four times as much to
    make.)"""

    start: datetime.date | None
    finish: datetime.date | None
    slack: float | None
    """Working days the task could finish later without moving its plan's finish or a successor."""
    critical: bool
    waits: tuple[str, ...]
    """Why an unfinished task has no dates: the gates it waits on that have no date, or
    `a dependency cycle`."""


class Span(NamedTuple):
    """When a phase's remaining work starts and ends."""

    start: datetime.date | None
    finish: datetime.date | None
    waits: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Forecast:
    """When a plan's remaining work is forecast to start and finish."""

    start: datetime.date | None
    finish: datetime.date | None
    """None when nothing is left, or when part of the work is unscheduled (`waits`)."""
    late: float | None
    """Working days the finish lies after the plan's due date (negative: before it)."""
    waits: tuple[str, ...]
    left: int
    """Unfinished tasks."""
    chain: tuple[str, ...]
    """The chain of tasks that sets the finish (zero slack), first first."""


@dataclass(frozen=True, slots=True)
class PlanDates:
    """A plan's forecast, and each of its phases' spans and tasks' dates in file order (None
    for those the schedule does not know)."""

    plan: Plan = field(compare=False, repr=False)
    forecast: Forecast | None
    phases: tuple[Span | None, ...]
    tasks: tuple[TaskDates | None, ...]


@dataclass(frozen=True)
class Schedule:
    """Every plan's schedule, as of `today`."""

    today: datetime.date
    calendar: Calendar
    tasks: Mapping[str, TaskDates]
    """Every task's dates by key (`plan/task`)."""
    phases: Mapping[str, Span]
    """Every phase's span by key."""
    plans: dict[str, Forecast]
    gates: dict[str, datetime.date | None]
    """The day each gate that is not passed or waived is expected (its due date, or later when a
    gate it comes after is expected later); None when it has no due date."""
    table: Timetable = field(compare=False, repr=False)
    members: Mapping[Key, Task] = field(default_factory=dict, compare=False, repr=False)
    """The project's tasks by key, for the names of the tasks in a chain."""
    _of_plan: dict[str, PlanDates] = field(default_factory=dict, compare=False, repr=False)

    def of_plan(self, plan: Plan) -> PlanDates:
        """What the schedule says of `plan`: its forecast and its phases' and tasks' dates.
        Made once per plan and schedule (pages, indexes, the timeline and the export all ask,
        and under `mkdocs serve` the schedule outlives an edit that changes no date), and the
        same object each time, so that views holding it compare at once."""
        kept = self._of_plan.get(plan.id)
        if kept is not None and kept.plan is plan:
            return kept
        found = self._of_plan[plan.id] = PlanDates(
            plan,
            self.plans.get(plan.id),
            tuple(self.phases.get(ph.key) for ph in plan.phases),
            tuple(self.tasks.get(t.key) for ph in plan.phases for t in ph.tasks),
        )
        return found

    def finish(self, key: str) -> datetime.date | None:
        """The day the task `key` is forecast to finish (as `tasks[key].finish`, without
        working out slack and the rest of its plan's tasks' dates)."""
        slot = self.table.slots.get(key)
        return self.calendar.last_day(slot.start, slot.finish) if slot is not None else None

    def chain_text(self, key: str, plan_id: str) -> str:
        """The chain that sets when `key` finishes, as `A → B → D`, and where it begins."""
        chain = self.table.chain(key)
        names = " → ".join(
            task.id if (task := self.members.get(cast(Key, k))) is not None and task.plan == plan_id else k
            for k in chain
        )
        origin = self.table.origin(key)
        return f"{names} (from {origin.why})" if origin else names


class TaskTrace(Protocol):
    """What git history says about a task (`review.history.TaskTrace`)."""

    @property
    def status(self) -> str: ...

    @property
    def started(self) -> datetime.date | None: ...

    @property
    def changed(self) -> datetime.date: ...


def expected_gates(project: Project, states: Mapping[str, GateState]) -> dict[str, datetime.date | None]:
    """The expected day of every gate that is neither passed nor waived: its due date, pushed
    later by the gates it comes after; None without a due date. (Gates on an ordering cycle,
    reported elsewhere, count as they are.)"""
    expected: dict[str, datetime.date | None] = {}

    def visit(gid: str, path: frozenset[str]) -> datetime.date | None:
        if gid in expected:
            return expected[gid]
        gate = project.gates[gid]
        day = gate.due.date if gate.due else None
        if day is not None:
            for after in project.links.gates[gid].after:
                if after is not None and after not in path and _open(states, after):
                    before = visit(after, path | {gid})
                    if before is not None and before > day:
                        day = before
        expected[gid] = day
        return day

    # Only open gates are visited: most gates of a site are passed, and sorting them was most
    # of this function's time.
    for gid in sorted((gid for gid in project.gates if _open(states, gid)), key=natural_key):
        visit(gid, frozenset())
    return {gid: day for gid, day in expected.items() if _open(states, gid)}


def _open(states: Mapping[str, GateState], gid: str) -> bool:
    state = states.get(gid)
    return state is not None and state.state not in CLEARED


def jobs(
    project: Project,
    expected: Mapping[str, datetime.date | None],
    today: datetime.date,
) -> list[Job]:
    """The schedule's input: a job per task, a milestone per phase's end.

    Work not yet started starts no sooner than today and the plan's start; work in progress
    started at the plan's start (or today) and finishes no sooner than today. A phase starts
    after the phases it depends on and no sooner than its pinned start and the expected days
    of its gates that are not passed; with a gate that has no day, it is unscheduled.
    """
    found: list[Job] = []
    # Floors are shared by every task they apply to: a site has a few thousand tasks.
    now = Floor(today, f"today, {today}")
    # Jobs are made as tuples of their class, their fields in order (key, group, days, after,
    # floors, waits, finished, milestone, finish_floor): the named tuple's constructor is a
    # Python function around this, and took a tenth of the time here.
    new = tuple.__new__
    # Read once: an enum's member read through its class takes six times as long as a local.
    in_progress_status = TaskStatus.IN_PROGRESS
    for plan in project.in_file_order():
        if plan.status in CLOSED_PLANS:
            continue  # nothing of it is left to do
        links = project.links.plans[plan.id]
        depends_on, phases_before = links.tasks, links.phases
        # Only phases that others depend on need a milestone for their end.
        awaited = set().union(*phases_before.values())
        plan_floors = (Floor(plan.start.date, f"the plan's start, {plan.start.date}"),) if plan.start else ()
        for phase in plan.phases:
            phase_floors: tuple[Floor, ...] = ()
            waits: list[str] = []
            for gate_id in links.waits_on[phase.key]:
                if gate_id is None or gate_id not in expected:
                    continue  # passed, waived or unknown: nothing to wait for
                day = expected[gate_id]
                if day is None:
                    waits.append(gate_id)
                else:
                    phase_floors += (Floor(day, f"gate {gate_id}, expected {day}"),)
            if phase.start:
                phase_floors += (Floor(phase.start.date, f"phase {phase.id}'s start, {phase.start.date}"),)
            not_started = (*phase_floors, *plan_floors, now)
            # Work in progress began at the plan's start at the earliest, or today without one.
            in_progress = (*phase_floors, *(plan_floors or (now,)))
            after_phases = phases_before[phase.key]
            before = tuple([MILESTONE + key for key in after_phases if key is not None]) if after_phases else ()
            held = tuple(waits)
            members = []
            for task in phase.tasks:
                status = task.status
                if status in FINISHED:
                    continue  # done or cancelled: it takes no time and holds nothing up
                key = task.key
                members.append(key)
                deps = depends_on[key] if task.depends_on else ()
                if None in deps:  # names that `link` reported: nothing to wait for
                    deps = tuple([k for k in deps if k is not None])
                started = status is in_progress_status
                floors = in_progress if started else not_started
                if task.start:
                    floors = (*floors, Floor(task.start.date, f"{task.id}'s start, {task.start.date}"))
                after = deps + before if before else deps
                job = (key, plan.id, task.days or 0.0, after, floors, held, False, False, today if started else None)
                found.append(new(Job, job))
            if phase.key in awaited:
                milestone = (MILESTONE + phase.key, plan.id, 0.0, tuple(members), (), (), False, True, None)
                found.append(new(Job, milestone))
    return found


def forecast(
    project: Project,
    states: Mapping[str, GateState],
    options: TimeOptions,
    today: datetime.date,
) -> Schedule:
    """Schedule every plan of `project` as of `today`, given the gates' states."""
    calendar = options.calendar
    expected = expected_gates(project, states)
    table = schedule(jobs(project, expected, today), calendar)
    plans: dict[str, Forecast] = {}
    in_file_order = project.in_file_order()
    for plan in in_file_order:
        if plan.status in CLOSED_PLANS:
            plans[plan.id] = Forecast(None, None, None, (), 0, ())
            continue
        open_keys, first, last, plan_waits = _extent(table, plan.phases)
        # The forecast finish is known when all the plan's remaining work is scheduled.
        end = last if open_keys and not plan_waits and first is not None else None
        plans[plan.id] = Forecast(
            calendar.first_day(first) if first is not None else None,
            calendar.last_day(first, end) if end is not None and first is not None else None,
            end - calendar.end_of(plan.due.date) if end is not None and plan.due is not None else None,
            tuple(sorted(plan_waits)),
            len(open_keys),
            critical(table, plan.id, open_keys) if end is not None else (),
        )
    by_id = {plan.id: plan for plan in in_file_order}
    tasks = _TaskDates(by_id, project.tasks, table)
    phases = _PhaseSpans(by_id, project.phases, table)
    return Schedule(today, calendar, tasks, phases, plans, expected, table, project.tasks)


def _extent(table: Timetable, phases: Iterable[Phase]) -> tuple[list[str], float | None, float | None, set[str]]:
    """The keys of the unfinished tasks of `phases`; the first start and the last finish among
    those scheduled, and what the others wait on."""
    slot_of = table.slots.get
    open_keys: list[str] = []
    first = last = None
    waits: set[str] = set()
    for phase in phases:
        for task in phase.tasks:
            if task.status in FINISHED:
                continue
            key = task.key
            open_keys.append(key)
            slot = slot_of(key)
            if slot is None:
                waits.update(_waits(table, key))
                continue
            if first is None or slot.start < first:
                first = slot.start
            if last is None or slot.finish > last:
                last = slot.finish
    return open_keys, first, last, waits


def _waits(table: Timetable, key: str) -> tuple[str, ...]:
    """Why the unscheduled job `key` has no dates."""
    return table.waiting.get(key) or (("a dependency cycle",) if key in table.cyclic else ())


class _PlanItem(Protocol):
    """A task or a phase: what the plan it belongs to is."""

    @property
    def plan(self) -> str: ...


class _ByPlan(Mapping[str, _Value]):
    """What the schedule says of each of the plans' tasks or phases, by key, worked out a plan at
    a time when first asked for: pages and the export read them all, `plans check` only those
    of tasks and phases with a due date."""

    def __init__(self, plans: Mapping[str, Plan], members: Mapping[Key, _PlanItem], table: Timetable) -> None:
        self._plans = plans
        self._members = members
        self._table = table
        self._made: dict[str, _Value] = {}
        self._done: set[str] = set()

    def __getitem__(self, key: str) -> _Value:
        found = self._made.get(key)
        if found is None:
            member = self._members.get(cast(Key, key))  # asked for by the task's or phase's key
            plan = self._plans.get(member.plan) if member is not None else None
            if plan is None or plan.id in self._done:
                raise KeyError(key)
            self._done.add(plan.id)
            self._fill(plan, self._made)
            found = self._made[key]
        return found

    def __iter__(self) -> Iterator[str]:
        for plan in self._plans.values():
            if plan.id not in self._done:
                self._done.add(plan.id)
                self._fill(plan, self._made)
        return iter(self._made)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    @abstractmethod
    def _fill(self, plan: Plan, made: dict[str, _Value]) -> None:
        """Put what the schedule says of each of `plan`'s tasks or phases into `made`."""


class _TaskDates(_ByPlan[TaskDates]):
    """Every task's dates by key."""

    def _fill(self, plan: Plan, made: dict[str, TaskDates]) -> None:
        table = self._table
        calendar, slots = table.calendar, table.slots
        closed = plan.status in CLOSED_PLANS
        for task in plan.tasks:
            key = task.key
            slot = None if closed or task.status in FINISHED else slots.get(key)
            if slot is None:
                waits = () if closed or task.status in FINISHED else _waits(table, key)
                made[key] = TaskDates(None, None, None, False, waits)
                continue
            slack = table.slack(key) or 0.0
            made[key] = TaskDates(
                calendar.first_day(slot.start),
                calendar.last_day(slot.start, slot.finish),
                slack,
                slack < EPSILON,
                (),
            )


class _PhaseSpans(_ByPlan[Span]):
    """Every phase's span by key."""

    def _fill(self, plan: Plan, made: dict[str, Span]) -> None:
        table = self._table
        calendar = table.calendar
        nothing = Span(None, None, ())
        closed = plan.status in CLOSED_PLANS
        for phase in plan.phases:
            if closed:
                made[phase.key] = nothing
                continue
            _, first, last, phase_waits = _extent(table, (phase,))
            waits = tuple(sorted(phase_waits)) if phase_waits else ()
            if first is None or last is None:
                made[phase.key] = Span(None, None, waits) if waits else nothing
            else:
                made[phase.key] = Span(calendar.first_day(first), calendar.last_day(first, last), waits)


def critical_paths(plan_schedule: Schedule) -> dict[str, tuple[str, ...]]:
    """The critical path of each plan the schedule covers whole: its zero-slack chain. Plans
    with nothing left, or with part of their work unscheduled, are not in it."""
    return {pid: f.chain for pid, f in plan_schedule.plans.items() if f.finish is not None and f.chain}


def working_days(value: float) -> str:
    """`1 working day`, `2.5 working days`."""
    shown = f"{round(value, 2):g}"
    return f"{shown} working day" if shown == "1" else f"{shown} working days"


def check_dates(
    project: Project,
    states: Mapping[str, GateState],
    plan_schedule: Schedule,
    traces: Mapping[str, Mapping[str, TaskTrace]] | None,
    stale_after: int,
    reporter: Reporter,
) -> None:
    """Due dates the forecast misses (PLN090) or that passed (PLN091), work in progress without a
    change for `stale_after` days (PLN092), open gates past their due date (PLN093), and work
    started before its pinned start (PLN094)."""
    today = plan_schedule.today
    # Read once: an enum's member read through its class takes six times as long as a local,
    # and this loop reads two for each task of the site.
    done, in_progress = TaskStatus.DONE, TaskStatus.IN_PROGRESS
    for plan in project.plans.values():
        closed = plan.status in CLOSED_PLANS
        plan_traces = traces.get(plan.id, {}) if traces is not None else {}
        for phase in () if closed else plan.phases:
            pin = _pinned_start(plan, phase)
            for task in phase.tasks:
                status = task.status
                if status in FINISHED:
                    if status is done:
                        _started_early(task, pin, plan_traces.get(task.id), today, reporter)
                    continue
                if task.due:
                    _due(
                        reporter,
                        task.due,
                        f"task {task.id}",
                        task.status,
                        plan_schedule.finish(task.key),
                        plan_schedule,
                        task.key,
                        plan.id,
                    )
                if status is in_progress:
                    trace = plan_traces.get(task.id)
                    _stale(task, trace, today, stale_after, reporter)
                    _started_early(task, pin, trace, today, reporter)
            if phase.due and any(t.status not in FINISHED for t in phase.tasks):
                span = plan_schedule.phases[phase.key]
                _due(
                    reporter,
                    phase.due,
                    f"phase {phase.id}",
                    "unfinished",
                    span.finish if not span.waits else None,
                    plan_schedule,
                    MILESTONE + phase.key,
                    plan.id,
                )
        forecast_ = plan_schedule.plans[plan.id]
        if plan.due and not closed:
            key = forecast_.chain[-1] if forecast_.chain else ""
            _due(reporter, plan.due, f"plan '{plan.id}'", plan.status, forecast_.finish, plan_schedule, key, plan.id)
        for gate, gate_links in project.declared_gates(plan):
            if gate.due is None:
                continue
            state = states.get(gate.id)
            if state is None or state.state in CLEARED:
                continue
            loc = gate.due.loc
            if gate.due.date < today:
                reporter.report(
                    "PLN093",
                    loc.path,
                    loc.line,
                    loc.col,
                    f"gate {gate.id} was due {gate.due.date} and is still {state.state} ({state.why});"
                    " decide its ADR, waive the gate or move its due date",
                )
                continue
            expected = plan_schedule.gates.get(gate.id)
            if expected is not None and expected > gate.due.date:
                pushed = [
                    f"{ref.text} (expected {plan_schedule.gates[after]})"
                    for ref, after in zip(gate.after, gate_links.after)
                    if after is not None and plan_schedule.gates.get(after) == expected
                ]
                reporter.report(
                    "PLN090",
                    loc.path,
                    loc.line,
                    loc.col,
                    f"gate {gate.id} is due {gate.due.date} but comes after {', '.join(pushed)}, so it is"
                    f" expected {expected}; move one of the due dates",
                )


def _due(
    reporter: Reporter,
    due: Day,
    what: str,
    status: str,
    finish: datetime.date | None,
    plan_schedule: Schedule,
    key: str,
    plan_id: str,
) -> None:
    today, calendar = plan_schedule.today, plan_schedule.calendar
    loc = due.loc
    shown = f" (forecast to finish on {finish})" if finish else ""
    if due.date < today:
        reporter.report(
            "PLN091",
            loc.path,
            loc.line,
            loc.col,
            f"{what} was due {due.date} and is {status}{shown}; finish it, cancel it or move the due date",
        )
        return
    if finish is None or finish <= due.date:
        return
    slot = plan_schedule.table.slots.get(key)
    end = slot.finish if slot else float(calendar.end_of(finish))
    late = end - calendar.end_of(due.date)
    chain = plan_schedule.chain_text(key, plan_id) if slot else ""
    because = f", because of the chain {chain}" if chain else ""
    reporter.report(
        "PLN090",
        loc.path,
        loc.line,
        loc.col,
        f"{what} is due {due.date} but is forecast to finish on {finish}, {working_days(late)} late{because};"
        " shorten the chain, start it sooner or move the due date",
    )


def _stale(task: Task, trace: TaskTrace | None, today: datetime.date, stale_after: int, reporter: Reporter) -> None:
    if trace is None or trace.status != TaskStatus.IN_PROGRESS:
        return
    quiet = (today - trace.changed).days
    if quiet <= stale_after:
        return
    since = f" since {trace.started}" if trace.started else ""
    changed = "" if trace.started == trace.changed else f", its entry last changed on {trace.changed}"
    reporter.report(
        "PLN092",
        task.loc.path,
        task.loc.line,
        task.loc.col,
        f"task {task.id} has been in progress{since}{changed}, {quiet} days without a change in git (stale"
        f" after {stale_after} days); update its status, or split it into smaller tasks",
    )


def _pinned_start(plan: Plan, phase: Phase) -> tuple[datetime.date, str] | None:
    """The latest start the plan and the phase pin the phase's tasks to, and what pins it (the
    phase, when both pin the same day). Found once per phase: every task there shares it."""
    if phase.start is not None and (plan.start is None or phase.start.date >= plan.start.date):
        return phase.start.date, f"the start of phase {phase.id}"
    return (plan.start.date, "the plan's start") if plan.start is not None else None


def _started_early(
    task: Task,
    pin: tuple[datetime.date, str] | None,
    trace: TaskTrace | None,
    today: datetime.date,
    reporter: Reporter,
) -> None:
    """A task done or in progress that started before the latest date pinning its start: its
    own start (on a tie too), or the one its phase's tasks share (`pin`, `_pinned_start`)."""
    if task.start is not None and (pin is None or task.start.date >= pin[0]):
        pin = (task.start.date, "its start")
    if pin is None:
        return  # most tasks: no date pins their start
    pinned, why = pin
    known = trace is not None and trace.started is not None and trace.status == task.status
    started = trace.started if known and trace is not None and trace.started else today
    if pinned <= started:
        return
    when = f"on {started}" if known else f"by today, {today}"
    reporter.report(
        "PLN094",
        task.loc.path,
        task.loc.line,
        task.loc.col,
        f"task {task.id} is {task.status}, started {when}, but {why} is pinned to {pinned}; correct the"
        " date, or set the task back to todo",
    )
