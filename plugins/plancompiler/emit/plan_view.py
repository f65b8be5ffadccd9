"""What a plan's page (its card and its detail) shows, gathered from the project as plain
data: the plan itself, and of everything around it only what the page shows.

The card (`plan_card`) and the detail (`plan_page`) are written from a `PlanPageView`
alone, and under `mkdocs serve` the view is the key of the kept page: an edit that changes
what the page shows changes its view.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import partial

from plancompiler.analyse.calendar import Calendar
from plancompiler.analyse.forecast import Forecast, PlanDates, TaskDates
from plancompiler.emit.context import EmitContext
from plancompiler.emit.memo import Memo
from plancompiler.emit.views import Decision, Referrer, Shown, TaskLine, referrers, sources_view
from plancompiler.model import Gate, GateState, Key, Plan, PlanLinks, Ref, Task
from plancompiler.review.history import PlanHistory
from plancompiler.vocabulary import GateStatus, PlanStatus, TaskStatus


@dataclass(frozen=True, slots=True)
class OtherPlan:
    """A plan the page names: one the plan depends on, or that holds a task it depends on."""

    id: str
    title: str
    rel: str
    status: PlanStatus


@dataclass(frozen=True, slots=True)
class OtherTask:
    """A task one of the plan's tasks depends on (possibly of another plan)."""

    key: Key
    id: str
    plan: str
    status: TaskStatus


@dataclass(frozen=True, slots=True)
class GateShown:
    """A gate the page names, with its state and the decision record of its state (the one in
    force, or a waived gate's own)."""

    id: str
    title: str
    state: GateStatus
    why: str
    adr: str | None
    adr_title: str | None
    adr_rel: str | None
    adr_status: str | None
    adr_deciders: tuple[str, ...]

    def decision(self) -> Decision:
        """The gate as a decision that work waits for (`views.Decision`)."""
        if self.adr is None:
            return Decision(self.id, self.title, self.state, self.why, None, None, None, None, ())
        return Decision(
            self.id,
            self.title,
            self.state,
            self.why,
            self.adr,
            self.adr_title,
            self.adr_rel,
            self.adr_status or "no status",
            self.adr_deciders,
        )


@dataclass(frozen=True, slots=True)
class PlanSchedule:
    """What the schedule says of the plan, and what its dates are read against."""

    today: datetime.date
    calendar: Calendar
    dates: PlanDates
    """The plan's forecast, and its phases' spans and tasks' dates in file order."""

    @property
    def forecast(self) -> Forecast:
        assert self.dates.forecast is not None  # every plan has one
        return self.dates.forecast

    def task_dates(self, plan: Plan) -> dict[Key, TaskDates]:
        """The dates of the plan's scheduled tasks, by key."""
        return {t.key: d for t, d in zip(plan.tasks, self.dates.tasks) if d is not None}


@dataclass(frozen=True, slots=True)
class PlanPageView:
    """Everything a plan's page shows."""

    plan: Plan
    links: PlanLinks
    """What the plan's references name."""
    plans: tuple[OtherPlan, ...]
    tasks: tuple[OtherTask, ...]
    gates: tuple[GateShown, ...]
    """Every gate the page names: those its phases wait on, those it declares, and those the
    schedule says unscheduled work waits on."""
    blocked: tuple[tuple[Key, tuple[str, ...]], ...]
    """The plan's held tasks, each with the gates holding it."""
    ready: tuple[Key, ...]
    critical_path: tuple[Key, ...]
    schedule: PlanSchedule | None
    today: datetime.date
    no_history: str | None
    """Why there is no history to show, or None."""
    history: PlanHistory | None
    referenced_by: tuple[Shown, ...]

    def other_plans(self) -> dict[str, OtherPlan]:
        return {p.id: p for p in self.plans}

    def other_tasks(self) -> dict[Key, OtherTask]:
        return {t.key: t for t in self.tasks}

    def gates_by_id(self) -> dict[str, GateShown]:
        return {g.id: g for g in self.gates}

    def holding(self) -> dict[Key, tuple[str, ...]]:
        return dict(self.blocked)

    def dependencies(self, key: Key, depends_on: tuple[Ref, ...]) -> list[tuple[Ref, Key | None]]:
        """Each entry of a task's `depends_on:` with the key of the task it names, or None."""
        return list(zip(depends_on, self.links.tasks[key]))

    def task_line(self, task: Task) -> TaskLine:
        """One of the plan's own tasks as a line of a list."""
        plan = self.plan
        return TaskLine(
            task.key, task.id, task.title, task.status, task.owner, task.estimate, plan.id, plan.title, plan.rel
        )


PlanPageInputs = tuple[
    Plan,
    PlanLinks,
    tuple[Plan, ...],
    tuple[Task, ...],
    tuple[datetime.date, Calendar, PlanDates] | None,
    tuple[tuple[Gate, GateState], ...],
    tuple[tuple[Key, tuple[Gate, ...]], ...],
    tuple[Key, ...],
    tuple[Key, ...],
    datetime.date,
    str | None,
    PlanHistory | None,
    tuple[Referrer, ...],
]
"""What a plan's page is gathered from (`plan_page_inputs`): the model objects it reads."""


def plan_page_view(ctx: EmitContext, plan: Plan, memo: Memo | None = None) -> PlanPageView:
    """Gather what the page of `plan` shows from the project; with `memo`, the view of the
    last build while what it is gathered from is the same (most of it the very same objects
    under `mkdocs serve`: the compiler keeps what did not change), and gathered again only
    when a plan or record among it, or what git says of the plan, changed."""
    if memo is None:
        return _plan_page_view(*plan_page_inputs(ctx, plan))
    inputs = memo.gathered(
        ("plan page inputs", plan.id), partial(plan_page_inputs, ctx, plan), plan_page_history(ctx, plan)
    )
    return memo.get(("plan page view", plan.id), inputs, partial(_plan_page_view, *inputs))


def plan_page_inputs(ctx: EmitContext, plan: Plan) -> PlanPageInputs:
    """The model objects the page of `plan` shows something of, in `_plan_page_view`'s order:
    looked up, not copied, so that comparing them with the last build's is mostly a matter
    of identity."""
    project = ctx.project
    analysis, schedule = project.analysis, project.schedule
    links = project.links.plans[plan.id]
    named_plans = dict.fromkeys([*(p for p in links.depends_on if p is not None), *links.other_plans])
    plans = tuple(p for pid in named_plans if (p := project.plans.get(pid)) is not None)
    named_tasks = dict.fromkeys(k for keys in links.tasks.values() for k in keys if k is not None)
    tasks = tuple(t for k in named_tasks if (t := project.tasks.get(k)) is not None)
    dates = schedule.of_plan(plan) if schedule is not None else None
    waits = [w for d in dates.tasks if d is not None for w in d.waits] if dates is not None else []
    named_gates = dict.fromkeys(
        [*(g for waits_on in links.waits_on.values() for g in waits_on if g is not None), *(g.id for g in plan.gates)]
    )
    named_gates.update(dict.fromkeys(w for w in waits if w in project.gates))
    gates = tuple(
        (gate, state)
        for gid in named_gates
        if (gate := project.gates.get(gid)) is not None and (state := analysis.gate_states.get(gid)) is not None
    )
    blocked = tuple((t.key, held) for t in plan.tasks if (held := analysis.blocked_by.get(t.key)) is not None)
    no_history, history = plan_page_history(ctx, plan)
    return (
        plan,
        links,
        plans,
        tasks,
        (schedule.today, schedule.calendar, dates) if schedule is not None and dates is not None else None,
        gates,
        blocked,
        analysis.ready_tasks.get(plan.id, ()),
        analysis.critical_paths.get(plan.id, ()),
        schedule.today if schedule else datetime.date.today(),
        no_history,
        history,
        referrers(ctx, project.links.referenced_by.get(plan.key, ())),
    )


def plan_page_history(ctx: EmitContext, plan: Plan) -> tuple[str | None, PlanHistory | None]:
    """What git history says of `plan` for its page: why there is none, or the plan's history."""
    history = ctx.history
    if history is None or history.note:
        return (history.note if history is not None and history.note else "the site is not built from git"), None
    return None, history.plans.get(plan.id)


def _plan_page_view(
    plan: Plan,
    links: PlanLinks,
    plans: tuple[Plan, ...],
    tasks: tuple[Task, ...],
    scheduled: tuple[datetime.date, Calendar, PlanDates] | None,
    gates: tuple[tuple[Gate, GateState], ...],
    blocked: tuple[tuple[Key, tuple[Gate, ...]], ...],
    ready: tuple[Key, ...],
    critical_path: tuple[Key, ...],
    today: datetime.date,
    no_history: str | None,
    history: PlanHistory | None,
    referenced_by: tuple[Referrer, ...],
) -> PlanPageView:
    """The view of a plan's page from what `plan_page_inputs` looked up, and nothing else."""
    shown_gates = []
    for gate, state in gates:
        adr = state.adr
        shown_gates.append(
            GateShown(
                gate.id,
                gate.title,
                state.state,
                state.why,
                adr.id if adr else None,
                adr.title if adr else None,
                adr.rel if adr else None,
                adr.raw_status if adr else None,
                adr.deciders if adr else (),
            )
        )
    return PlanPageView(
        plan,
        links,
        tuple(OtherPlan(p.id, p.title, p.rel, p.status) for p in plans),
        tuple(OtherTask(t.key, t.id, t.plan, t.status) for t in tasks),
        tuple(shown_gates),
        tuple((key, tuple(g.id for g in held)) for key, held in blocked),
        ready,
        critical_path,
        PlanSchedule(*scheduled) if scheduled is not None else None,
        today,
        no_history,
        history,
        sources_view(referenced_by),
    )
