"""The Owners page: for each person, the work in progress, ready to start and blocked (by
which gate, its ADR and who decides it), and the decisions they are named to make that
hold work up.

The page is gathered into an `OwnersView` of plain data first and written second: the view
is everything the page shows, so a build whose view equals the last one's reuses the page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from plancompiler.analyse.graphs import natural_key
from plancompiler.emit import escape, html
from plancompiler.emit.context import EmitContext
from plancompiler.emit.memo import Memo
from plancompiler.emit.summary import Summary, generated_body
from plancompiler.emit.views import Decision, TaskLine, decision, line_of, render_decision, render_task_line
from plancompiler.model import Analysis, Gate, Key, Plan, Project
from plancompiler.vocabulary import CLEARED, PlanStatus, TaskStatus

TITLE = "Owners"
UNASSIGNED = "Unassigned"
# Plans whose work is not going on: their open tasks are nobody's to start.
_INACTIVE = {PlanStatus.COMPLETED, PlanStatus.HISTORICAL, PlanStatus.CANCELLED}


@dataclass(frozen=True, slots=True)
class Held:
    """A blocked task and the gates that hold it (none: its own status says `blocked`)."""

    task: TaskLine
    gates: tuple[Decision, ...]


@dataclass(frozen=True, slots=True)
class ToDecide:
    """A decision a person is named to make, and how many tasks wait on it."""

    decision: Decision
    holds: int


@dataclass(frozen=True, slots=True)
class Person:
    """One owner's section of the page."""

    name: str
    started: tuple[TaskLine, ...]
    ready: tuple[TaskLine, ...]
    blocked: tuple[Held, ...]
    deciding: tuple[ToDecide, ...]

    @property
    def anchor(self) -> str:
        """The id of the person's section."""
        return escape.anchor("owner", self.name)


@dataclass(frozen=True, slots=True)
class OwnersView:
    """Everything the Owners page shows: people by name, then unassigned work."""

    people: tuple[Person, ...]


@dataclass(frozen=True, slots=True)
class _PlanWork:
    """A plan's part of the page: its tasks in progress, ready and held, each with its owner
    (held ones with the ids of the gates that hold them), and how many tasks each gate holds."""

    started: tuple[tuple[str, TaskLine], ...]
    ready: tuple[tuple[str, TaskLine], ...]
    held: tuple[tuple[str, TaskLine, tuple[str, ...]], ...]
    holds: tuple[str, ...]
    """A gate's id for each task it holds."""


def owners_view(project: Project, memo: Memo | None = None) -> OwnersView:
    """Gather the page: each task owner and each decider of a decision that holds work up;
    with a `memo`, a plan's part of the last build while what it is gathered from is the same."""
    analysis = project.analysis
    memo = memo if memo is not None else Memo()
    started: dict[str, list[TaskLine]] = defaultdict(list)
    ready: dict[str, list[TaskLine]] = defaultdict(list)
    blocked: dict[str, list[Held]] = defaultdict(list)
    holds: dict[str, int] = defaultdict(int)
    decisions: dict[str, Decision | None] = {}
    for plan in project.plans.values():
        if plan.status in _INACTIVE:
            continue
        inputs = memo.gathered(("owners", "inputs", plan.id), partial(_plan_work_inputs, analysis, plan))
        work = memo.get(("owners", "plan", plan.id), inputs, partial(_plan_work, *inputs))
        for gate_id in work.holds:
            holds[gate_id] += 1
        for owner, line in work.started:
            started[owner].append(line)
        for owner, line in work.ready:
            ready[owner].append(line)
        for owner, line, gate_ids in work.held:
            for gate_id in gate_ids:
                if gate_id not in decisions:
                    decisions[gate_id] = decision(project, gate_id)
            gates = tuple(d for g in gate_ids if (d := decisions[g]) is not None)
            blocked[owner].append(Held(line, gates))
    deciding: dict[str, list[ToDecide]] = defaultdict(list)
    for gate_id in analysis.gate_order:
        state = analysis.gate_states[gate_id]
        if state.state in CLEARED or not holds.get(gate_id):
            continue
        found = decisions.get(gate_id) or decision(project, gate_id)
        if found is not None:
            for name in found.deciders:
                deciding[name].append(ToDecide(found, holds[gate_id]))
    names = sorted({*started, *ready, *blocked, *deciding} - {UNASSIGNED}, key=lambda n: natural_key(n.lower()))
    if {UNASSIGNED} & {*started, *ready, *blocked}:
        names.append(UNASSIGNED)
    return OwnersView(
        tuple(Person(n, tuple(started[n]), tuple(ready[n]), tuple(blocked[n]), tuple(deciding[n])) for n in names)
    )


def _plan_work_inputs(analysis: Analysis, plan: Plan) -> tuple[Plan, tuple[Key, ...], tuple[tuple[Gate, ...], ...]]:
    """What `plan`'s part of the page is made from: the plan, its ready tasks, and the gates
    holding each of its tasks."""
    blocked = analysis.blocked_by
    return plan, analysis.ready_tasks.get(plan.id, ()), tuple(blocked.get(t.key, ()) for t in plan.tasks)


def _plan_work(plan: Plan, ready_keys: tuple[Key, ...], holding_each: tuple[tuple[Gate, ...], ...]) -> _PlanWork:
    """`plan`'s part of the page, from its ready tasks and the gates holding each of its tasks."""
    started: list[tuple[str, TaskLine]] = []
    ready: list[tuple[str, TaskLine]] = []
    held: list[tuple[str, TaskLine, tuple[str, ...]]] = []
    holds: list[str] = []
    ready_set = set(ready_keys)
    for task, holding in zip(plan.tasks, holding_each):
        owner = task.owner or UNASSIGNED
        holds += (gate.id for gate in holding)
        if task.status is TaskStatus.IN_PROGRESS:
            started.append((owner, line_of(task, plan)))
        elif task.key in ready_set:
            ready.append((owner, line_of(task, plan)))
        elif holding or task.status is TaskStatus.BLOCKED:
            held.append((owner, line_of(task, plan), tuple(gate.id for gate in holding)))
    return _PlanWork(tuple(started), tuple(ready), tuple(held), tuple(holds))


_SUMMARY = html.Table(
    (
        html.Column("Owner"),
        html.Column("In progress"),
        html.Column("Ready"),
        html.Column("Blocked"),
        html.Column("To decide"),
    ),
    css="plans-owners",
    sortable=True,
    filters=("Owner",),
    noun="owners",
)


def render_owners(ctx: EmitContext, memo: Memo | None = None) -> Summary:
    """The page's body below its title; kept while its view does not change, and with a
    `memo`, each task's line kept while it shows the same (a person may have hundreds)."""
    memo = memo if memo is not None else Memo()
    ctx = ctx.as_html()
    view = owners_view(ctx.project, memo)
    src = ctx.paths.owners
    # Every line, asked for in every build so that the memo keeps them (a task is in one
    # person's section, under one heading).
    shown: dict[str, TaskLine | Held] = {}
    for person in view.people:
        shown.update((t.key, t) for t in (*person.started, *person.ready))
        shown.update((h.task.key, h) for h in person.blocked)
    made = memo.each(("owners", "lines", ctx.links), shown.items(), lambda key: _entry(ctx, src, shown[key]))
    lines = dict(zip(shown, made))
    return memo.get(("owners", ctx.links), view, lambda: _render(ctx, view, lines))


def _render(ctx: EmitContext, view: OwnersView, lines: dict[str, str]) -> Summary:
    intro = html.para(
        "Who is working on what, what each person could start now, and what waits on a decision:"
        " a task is <strong>blocked</strong> while a gate its phase waits on is neither passed nor"
        " waived. <strong>To decide</strong> lists the decisions a person is named a decider of"
        " that hold work up."
    )
    if not view.people:
        return generated_body(intro + html.para("No plan in progress has tasks yet."))
    parts = [_person(ctx, p, lines) for p in view.people]
    out = [intro, _SUMMARY.head, *(row for row, _ in parts), _SUMMARY.end, *(section for _, section in parts)]
    sections = tuple((p.anchor, escape.text(p.name)) for p in view.people)
    return generated_body("".join(out), sections=sections)


def _person(ctx: EmitContext, person: Person, lines: dict[str, str]) -> tuple[str, str]:
    """A person's row of the summary table, and their section of the page, with the lines of
    their tasks (`lines`, by task)."""
    src = ctx.paths.owners
    row = _SUMMARY.row(
        (
            ctx.link(person.name, ctx.href(src, src, person.anchor)),
            str(len(person.started)),
            str(len(person.ready)),
            str(len(person.blocked)),
            str(len(person.deciding)),
        )
    )
    parts = []
    for title, tasks in (("In progress", person.started), ("Ready to start", person.ready)):
        if tasks:
            entries = [lines[t.key] for t in tasks]
            parts.append(html.para(html.strong(title) + f" ({len(tasks)})") + html.items(entries))
    if person.blocked:
        entries = [lines[h.task.key] for h in person.blocked]
        parts.append(html.para(html.strong("Blocked") + f" ({len(entries)})") + html.items(entries))
    if person.deciding:
        entries = [
            render_decision(ctx, src, d.decision)
            + f' <span class="plans-note">holds {d.holds} {"task" if d.holds == 1 else "tasks"}</span>'
            for d in person.deciding
        ]
        parts.append(html.para(html.strong("To decide") + f" ({len(entries)})") + html.items(entries))
    heading = html.heading(2, person.anchor, escape.text(person.name))
    return row, f'{heading}<div class="plans-person">{"".join(parts)}</div>'


def _entry(ctx: EmitContext, src: str, shown: TaskLine | Held) -> str:
    """A task's line in a person's section: in progress or ready, or held (and by what)."""
    if isinstance(shown, TaskLine):
        return render_task_line(ctx, src, shown, with_plan=True, with_owner=False)
    line = render_task_line(ctx, src, shown.task, with_plan=True, with_owner=False)
    if shown.gates:
        return line + html.items([render_decision(ctx, src, g) for g in shown.gates], css="plans-why")
    return line + ' <span class="plans-note">marked blocked</span>'
