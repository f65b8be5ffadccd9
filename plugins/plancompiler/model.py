"""The compiled model: plain, immutable dataclasses that every stage after `link` reads.

`link` reads each reference as written (a `Ref`) once, and records what it names in the
project's `Links`: a `Key` into the project's indexes, or None where it names nothing (a
diagnostic then says so). Stages after `link` look keys up; they never read the text of a
reference to find its target.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NewType, get_args

if TYPE_CHECKING:
    from plancompiler.analyse.forecast import Schedule

from plancompiler.vocabulary import AdrStatus, GateStatus, PlanStatus, TaskStatus

DocumentKind = Literal["plan", "adr", "gate", "page"]
_DOCUMENT_KINDS = get_args(DocumentKind)


Key = NewType("Key", str)
"""A key into the project's indexes, made by `item_key` and `document_key` and nowhere else.

It is text written as the export shows it: `plan-id/P1.2` for a task or a phase,
`plan:ID`, `adr:ADR-0001`, `gate:G01` and `page:guide/x.md` for what references and
what is referenced. Plain text at run time: graphs and indexes hash keys millions of times
on a large site, and text is what the garbage collector need not track (instances of a
`str` subclass it would); the type keeps keys apart from ids and references as written.
"""


def item_key(plan_id: str, local_id: str) -> Key:
    """The key of a task or a phase of a plan (a plan's tasks and phases are indexed apart)."""
    return Key(f"{plan_id}/{local_id}")


def document_key(kind: DocumentKind, name: str) -> Key:
    """The key of a plan, an ADR or a gate (`name` is its id), or of an ordinary page (`name` is
    its path in the docs folder): what references and what is referenced."""
    return Key(f"{kind}:{name}")


def key_kind(key: Key) -> str:
    """`plan`, `adr`, `gate` or `page` for the key of what references or is referenced; `item`
    for a task or phase, which the index it is found in tells apart."""
    kind, sep, _ = key.partition(":")
    return kind if sep and kind in _DOCUMENT_KINDS else "item"


def key_name(key: Key) -> str:
    """The id (or page path) a `plan`, `adr`, `gate` or `page` key stands for."""
    return key.partition(":")[2] if key_kind(key) != "item" else key


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
    key: Key
    """`item_key(plan, id)`, made once with the task."""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    start: Day | None = None
    """Not before this date."""
    due: Day | None = None


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
    key: Key
    """`item_key(plan, id)`, made once with the phase."""
    start: Day | None = None
    """None of the phase's tasks starts before this date."""
    due: Day | None = None


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

    @property
    def key(self) -> Key:
        return document_key("gate", self.id)


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

    @property
    def key(self) -> Key:
        return document_key("plan", self.id)


@dataclass(frozen=True, slots=True)
class Relation:
    """A link from one decision record to another, as the record writes it: in its front
    matter (`supersedes: [ADR-0004]`) or its body (`Superseded by [26. Title](0026-title.md)`).

    `kind` is `supersedes`, `superseded-by`, `amends`, `amended-by`, or `other` for a label of
    the team's own (`Relates to`, `Clarified by`); `target` names the other record as written
    (an id, a slug or a link's text); `path` is the linked file inside the docs folder."""

    kind: str
    label: str
    target: Ref
    path: str | None = None


@dataclass(frozen=True, slots=True)
class Adr:
    id: str
    title: str
    path: str
    rel: str
    status: AdrStatus | None
    """One of the five states, or None when the record has no status or one nothing maps."""
    raw_status: str | None
    """The status word or phrase as written (`Implemented`, `On hold`)."""
    date: str | None
    deciders: tuple[str, ...]
    relations: tuple[Relation, ...]
    loc: Loc
    status_loc: Loc
    body: str = field(compare=False, repr=False)
    body_line: int = 1
    status_note: str | None = None
    """What the record writes after its status word (`tracked in #1484`)."""

    @property
    def supersedes(self) -> tuple[Ref, ...]:
        """The records this one says it supersedes, as written."""
        return tuple(r.target for r in self.relations if r.kind == "supersedes")

    @property
    def superseded_by(self) -> Ref | None:
        """The record this one says supersedes it, as written (the first, if it names several)."""
        return next((r.target for r in self.relations if r.kind == "superseded-by"), None)

    @property
    def key(self) -> Key:
        return document_key("adr", self.id)


@dataclass(frozen=True, slots=True)
class GateState:
    """A gate's derived state and the sentence that explains it."""

    state: GateStatus
    why: str
    adr: Adr | None = None
    """The ADR in force, resolved: the gate's own, or the last of its supersession chain (a
    waived gate's own); None when the gate names no ADR, or one that does not exist."""


@dataclass(frozen=True, slots=True)
class GateLinks:
    """What one gate's references name."""

    after: tuple[str | None, ...]
    """For each gate of `after:`, its id, or None when no plan declares it."""
    adrs: tuple[str, ...]
    """The ADR the gate is tied to, then each that supersedes the one before: the last is the
    decision in force. Empty when the gate names no ADR, or one that does not exist."""


@dataclass(frozen=True, slots=True)
class PlanLinks:
    """What one plan's references name, each in the order the plan writes them."""

    depends_on: tuple[str | None, ...]
    """For each plan of `depends_on:`, its id, or None."""
    tasks: dict[Key, tuple[Key | None, ...]]
    """By task key: for each entry of the task's `depends_on:`, the key of the task it names
    (in this plan or another), or None."""
    phases: dict[Key, tuple[Key | None, ...]]
    """By phase key: for each entry of the phase's `depends_on:`, the key of the phase of this
    plan it names, or None."""
    waits_on: dict[Key, tuple[str | None, ...]]
    """By phase key: for each gate of the phase's `gates:`, its id, or None."""
    gates: tuple[GateLinks, ...]
    """For each gate the plan declares, in order (a gate id declared twice has two entries)."""
    other_plans: tuple[str, ...]
    """The other plans that hold a task its tasks depend on, sorted."""


@dataclass(frozen=True, slots=True)
class AdrLink:
    """A relation between two decision records, seen from one of them, the other resolved.

    A relation written on one record is seen from both: from the other one with the inverse
    kind (`supersedes` becomes `superseded-by`) and `written` false."""

    kind: str
    label: str
    other: str
    written: bool


@dataclass(frozen=True, slots=True)
class AdrLinks:
    """What one ADR's relations name."""

    named: tuple[str | None, ...]
    """For each relation the ADR writes (`Adr.relations`), the id of the record it names, or None."""
    relations: tuple[AdrLink, ...] = ()
    """Its relations with other records, written on it or on the other record."""
    successor: str | None = None
    """The record that supersedes it, as either record says, or None."""


@dataclass(frozen=True, slots=True)
class Links:
    """Every reference of the project, resolved once by `link`."""

    plans: dict[str, PlanLinks] = field(default_factory=dict)
    """By plan id, in the order the plans' files were read (by path)."""
    adrs: dict[str, AdrLinks] = field(default_factory=dict)
    """By ADR id."""
    gates: dict[str, GateLinks] = field(default_factory=dict)
    """By gate id, for the gate the site knows by that id (the first declared)."""
    referenced_by: dict[Key, tuple[Key, ...]] = field(default_factory=dict)
    """Who references what: by the key of a plan, ADR or gate, the keys of the plans, ADRs
    and pages that point at it (a plan's tasks depending on another plan's tasks point at that
    plan; a phase waiting on a gate points at the gate and at the plan declaring it), sorted."""


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the graphs say: derived states, orders, critical paths, readiness, who waits."""

    gate_states: dict[str, GateState] = field(default_factory=dict)
    gate_order: tuple[str, ...] = ()
    critical_paths: dict[str, tuple[Key, ...]] = field(default_factory=dict)
    ready_tasks: dict[str, tuple[Key, ...]] = field(default_factory=dict)
    phases_waiting: dict[str, tuple[Key, ...]] = field(default_factory=dict)
    blocked_by: dict[Key, tuple[Gate, ...]] = field(default_factory=dict)
    """By task key, for each unfinished task whose phase waits on a gate that is neither
    passed nor waived: those gates, resolved, in the order the phase lists them."""


@dataclass(frozen=True, slots=True)
class Project:
    """Everything compiled from one set of documents: the model, its indexes, what every
    reference names (`links`), and, once `analyse` has run, what the graphs say."""

    plans: dict[str, Plan]
    """By id, sorted."""
    adrs: dict[str, Adr]
    """By id, sorted."""
    gates: dict[str, Gate]
    """By id, sorted; a gate id declared twice is the first plan's gate (in file order)."""
    tasks: dict[Key, Task]
    """Every task of every plan, by key, in file order."""
    phases: dict[Key, Phase]
    """Every phase of every plan, by key, in file order."""
    links: Links
    documents: int
    pages: dict[str, str] = field(default_factory=dict)
    """Titles of the ordinary pages that reference a plan, an ADR or a gate, by path."""
    analysis: Analysis = field(default_factory=Analysis)
    schedule: Schedule | None = None
    """Dates forecast from estimates, dependencies, phase order and gates (`analyse.forecast`)."""

    def dependencies(self, task: Task) -> Iterator[tuple[Ref, Key | None]]:
        """Each entry of `task`'s `depends_on:` with the key of the task it names, or None."""
        return zip(task.depends_on, self.links.plans[task.plan].tasks[task.key])

    def in_file_order(self) -> list[Plan]:
        """The plans in the order their files were read (by path), which breaks ties where
        several orders would do (a schedule's, the gate order's)."""
        return [self.plans[plan_id] for plan_id in self.links.plans]

    def declared_gates(self, plan: Plan) -> Iterator[tuple[Gate, GateLinks]]:
        """Each gate `plan` declares, with what its references name."""
        return zip(plan.gates, self.links.plans[plan.id].gates)

    def tied_adr(self, links: GateLinks) -> Adr | None:
        """The ADR a gate is tied to, when it exists."""
        return self.adrs[links.adrs[0]] if links.adrs else None
