"""The compiled model: plain, immutable dataclasses that every stage after `link` reads."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from plancompiler.analyse.forecast import Schedule

from plancompiler.vocabulary import AdrStatus, GateStatus, PlanStatus, TaskStatus


@dataclass(frozen=True, slots=True)
class Loc:
    """A position in a source file (1-based)."""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference as written (`P1.2`, `billing/P2.1`, `G03`, `ADR-0004`) and where."""

    text: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class Day:
    """A date a plan writes (`start:`, `due:`) and where."""

    date: datetime.date
    loc: Loc


@dataclass(frozen=True, slots=True)
class Task:
    id: str
    title: str
    plan: str
    phase: str
    status: TaskStatus
    owner: str | None
    estimate: str | None
    days: float | None
    depends_on: tuple[Ref, ...]
    loc: Loc
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    start: Day | None = None
    """Not before this date."""
    due: Day | None = None

    @property
    def key(self) -> str:
        return f"{self.plan}/{self.id}"


@dataclass(frozen=True, slots=True)
class Phase:
    id: str
    title: str
    plan: str
    goal: str | None
    duration: str | None
    gates: tuple[Ref, ...]
    depends_on: tuple[Ref, ...]
    deliverables: tuple[str, ...]
    exit_criteria: tuple[str, ...]
    tasks: tuple[Task, ...]
    loc: Loc
    start: Day | None = None
    """None of the phase's tasks starts before this date."""
    due: Day | None = None

    @property
    def key(self) -> str:
        return f"{self.plan}/{self.id}"


@dataclass(frozen=True, slots=True)
class Gate:
    id: str
    title: str
    plan: str
    adr: Ref | None
    after: tuple[Ref, ...]
    waived: bool
    reason: str | None
    loc: Loc
    due: Day | None = None


@dataclass(frozen=True, slots=True)
class Risk:
    id: str
    title: str
    likelihood: str | None
    impact: str | None
    mitigation: str | None
    owner: str | None
    loc: Loc


@dataclass(frozen=True, slots=True)
class Metric:
    id: str
    category: str | None
    metric: str
    target: str
    baseline: str | None
    loc: Loc


@dataclass(frozen=True, slots=True)
class Rollback:
    triggers: tuple[str, ...]
    steps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    id: str
    title: str
    status: PlanStatus
    path: str
    rel: str
    owner: str | None
    version: str | None
    complexity: str | None
    updated: str | None
    depends_on: tuple[Ref, ...]
    metrics: tuple[Metric, ...]
    gates: tuple[Gate, ...]
    phases: tuple[Phase, ...]
    risks: tuple[Risk, ...]
    rollback: Rollback | None
    loc: Loc
    status_loc: Loc
    body: str = field(compare=False, repr=False)
    body_line: int = 1
    start: Day | None = None
    """The day work starts; without it, today."""
    due: Day | None = None

    @property
    def tasks(self) -> tuple[Task, ...]:
        return tuple(t for p in self.phases for t in p.tasks)


@dataclass(frozen=True, slots=True)
class Adr:
    id: str
    title: str
    path: str
    rel: str
    status: AdrStatus | None
    raw_status: str | None
    date: str | None
    deciders: tuple[str, ...]
    supersedes: tuple[Ref, ...]
    superseded_by: Ref | None
    loc: Loc
    status_loc: Loc
    body: str = field(compare=False, repr=False)
    body_line: int = 1


@dataclass(frozen=True, slots=True)
class GateState:
    """A gate's derived state and the sentence that explains it."""

    state: GateStatus
    why: str
    adr: str | None = None
    """The ADR in force: the gate's own, or the last of its supersession chain; None when the
    gate names no ADR, or one that does not exist."""


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the graphs say: derived states, orders, critical paths, readiness, backlinks."""

    gate_states: dict[str, GateState]
    gate_order: tuple[str, ...]
    critical_paths: dict[str, tuple[str, ...]]
    ready_tasks: dict[str, tuple[str, ...]]
    referenced_by: dict[str, tuple[str, ...]]
    phases_waiting: dict[str, tuple[str, ...]]
    blocked_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """By task key, for each unfinished task whose phase waits on a gate that is neither
    passed nor waived: those gates, in the order the phase lists them."""


@dataclass(frozen=True, slots=True)
class Project:
    """Everything compiled from one set of documents."""

    plans: dict[str, Plan]
    adrs: dict[str, Adr]
    gates: dict[str, Gate]
    analysis: Analysis
    documents: int
    pages: dict[str, str] = field(default_factory=dict)
    schedule: Schedule | None = None
    """Dates forecast from estimates, dependencies, phase order and gates (`analyse.forecast`)."""

    def has_task(self, key: str) -> bool:
        """Whether `plan/task` names a task of this project."""
        plan_id, _, local = key.partition("/")
        plan = self.plans.get(plan_id)
        return plan is not None and any(t.id == local for t in plan.tasks)

    def task(self, key: str) -> Task | None:
        plan_id, _, local = key.partition("/")
        plan = self.plans.get(plan_id)
        return next((t for t in plan.tasks if t.id == local), None) if plan else None
