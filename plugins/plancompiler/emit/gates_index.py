"""The Gates Index: every gate, grouped by the plan that declares it and in `after:` order
within each plan, with its ADR, who decides it, its derived state and who waits on it.

Each plan's heading and graph (`GateGroup`) and each gate's row (`GateRow`) are gathered as
plain data first and written second: the view is everything the piece shows, so a build
whose view equals the last one's reuses the piece.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from functools import partial

from plancompiler.emit import escape, html, mermaid
from plancompiler.emit.adr_page import RecordStatus
from plancompiler.emit.context import EmitContext, badge
from plancompiler.emit.memo import Memo
from plancompiler.emit.summary import Row, Summary, generated_body
from plancompiler.emit.views import PageLink, deciders, render_shown
from plancompiler.model import Adr, Gate, GateState, Key, Phase, Plan
from plancompiler.vocabulary import CLEARED, GateStatus

TITLE = "Gates Index"

_INTRO = html.para(
    "Every decision gate of the site, by the plan that declares it, in the order their"
    " <code>after:</code> lists give. A gate is <strong>passed</strong> when its ADR is accepted,"
    " <strong>waived</strong> when the plan says so, <strong>blocked</strong> when its ADR is rejected,"
    " deprecated or superseded without a successor, and <strong>open</strong> otherwise. Phases wait"
    " on a gate until it is passed or waived."
)
# The tally above the tables: gates that let work through first.
_TALLY_ORDER = (GateStatus.PASSED, GateStatus.WAIVED, GateStatus.OPEN, GateStatus.BLOCKED)
_TABLE = html.Table(
    (
        html.Column("Gate", html.ID),
        html.Column("Title"),
        html.Column("ADR", html.ID),
        html.Column("ADR status", html.STATUS),
        html.Column("Deciders"),
        html.Column("State", html.TEXT),
        html.Column("Due"),  # the date itself never breaks (html.day); a note may follow it
        html.Column("Phases waiting", html.TEXT),
    ),
    css="plans-gates",
)


@dataclass(frozen=True, slots=True)
class GateGroup:
    """A plan's heading and the graph of its gates, above their table."""

    plan_id: str
    plan: PageLink | None
    graph: tuple[mermaid.GraphGate, ...]


@dataclass(frozen=True, slots=True)
class GateRow:
    """Everything one gate's row shows."""

    id: str
    title: str
    written: str
    """The gate's `adr:` as written, shown when it names no record."""
    tied: PageLink | None
    in_force: PageLink | None
    """The decision in force, when another record than the tied one."""
    adr_status: RecordStatus | None
    deciders: tuple[str, ...]
    state: str
    why: str
    due: datetime.date | None
    expected: tuple[datetime.date | None, datetime.date] | None
    """When the schedule expects the gate, and today; None for a gate it expects nothing of."""
    waiting: tuple[PageLink, ...]
    """The phases waiting on the gate, while it is neither passed nor waived."""
    none_now: bool
    """Phases name the gate, but it is passed or waived."""


def render_gates_index(ctx: EmitContext, memo: Memo | None = None) -> Summary:
    """The page's body below its title, as HTML; with a `memo`, only the rows and graphs
    whose view changed are written again."""
    memo = memo if memo is not None else Memo()
    ctx = ctx.as_html()
    src = ctx.paths.gates_index
    project = ctx.project
    if not project.gates:
        return generated_body(_INTRO + html.para("No plan declares a gate yet."))
    states = project.analysis.gate_states
    counts: dict[GateStatus, int] = {}
    for state in states.values():
        counts[state.state] = counts.get(state.state, 0) + 1
    tally = " · ".join(f"{badge('gate', s)} {counts[s]}" for s in _TALLY_ORDER if s in counts)
    by_plan: dict[str, list[str]] = {}
    for gid in project.analysis.gate_order:
        by_plan.setdefault(project.gates[gid].plan, []).append(gid)
    # Plans by title; a gate whose plan is gone (it cannot be) would still be listed.
    order = sorted(by_plan, key=lambda pid: (p.title.lower() if (p := project.plans.get(pid)) else pid, pid))
    groups: dict[str, GateGroup] = {}
    for pid in order:
        plan = project.plans.get(pid)
        link = PageLink(plan.title, plan.rel) if plan else None
        groups[pid] = GateGroup(pid, link, mermaid.gate_graph_view(project, by_plan[pid]))
    views = {gid: gate_row(ctx, gid, memo) for gid in project.analysis.gate_order}
    # One list of pieces for all the plans' headings and one for all the gates' rows: kept
    # from the last build but those whose view changed.
    heads = memo.each(("gates_index", "groups", ctx.links), groups.items(), partial(_made_group, ctx, src, groups))
    made = memo.each(("gates_index", "rows", ctx.links), views.items(), partial(_made_row, ctx, src, views))
    row_of = dict(zip(views, made))
    rows: list[Row] = []
    sections = []
    end = _table_end()
    for pid, (head, section) in zip(groups, heads):
        sections.append(section)
        rows += (head, *(row_of[gid] for gid in by_plan[pid]), end)
    return generated_body(_INTRO + html.para(tally), rows, "", tuple(sections))


@functools.cache
def _table_end() -> Row:
    """The end of a plan's table of gates (the same for every plan)."""
    return Row.of(_TABLE.end)


def _made_group(ctx: EmitContext, src: str, groups: dict[str, GateGroup], pid: str) -> tuple[Row, tuple[str, str]]:
    """A plan's heading, graph and table head, and its entry in the page's table of contents."""
    group = groups[pid]
    title = group.plan.label if group.plan else pid
    return _group(ctx, src, group), (escape.anchor("plan", pid), escape.text(title))


def _group(ctx: EmitContext, src: str, group: GateGroup) -> Row:
    """A plan's heading, the graph of its gates, and the head of their table."""
    title = render_shown(ctx, src, group.plan) if group.plan else escape.text(group.plan_id)
    graph = mermaid.draw_gate_graph(group.graph)
    shown = mermaid.block(graph) if graph is not None else ""
    return Row.of(html.heading(2, escape.anchor("plan", group.plan_id), title) + shown + _TABLE.head)


GateRowInputs = tuple[
    Gate,
    GateState,
    Adr | None,
    tuple[datetime.date | None, datetime.date] | None,
    tuple[tuple[Key, Phase, Plan | None], ...],
    bool,
]
"""What a gate's row is gathered from (`_gate_row_inputs`): the model objects it reads."""


def gate_row(ctx: EmitContext, gid: str, memo: Memo | None = None) -> GateRow:
    """Gather what the gate's row shows from the project; with `memo`, the row's view of the
    last build while the model objects it is gathered from are the same."""
    if memo is None:
        return _gate_row(*_gate_row_inputs(ctx, gid))
    inputs = memo.gathered(("gates_index", "inputs", gid), partial(_gate_row_inputs, ctx, gid))
    return memo.get(("gates_index", "view", gid), inputs, partial(_gate_row, *inputs))


def _gate_row_inputs(ctx: EmitContext, gid: str) -> GateRowInputs:
    """The gate, its state, the record it is tied to, when the schedule expects it, and the
    phases waiting on it (with their plans) while it is neither passed nor waived."""
    project = ctx.project
    state = project.analysis.gate_states[gid]
    schedule = project.schedule
    expected = (schedule.gates[gid], schedule.today) if schedule is not None and gid in schedule.gates else None
    phases = project.analysis.phases_waiting.get(gid, ())
    waiting: list[tuple[Key, Phase, Plan | None]] = []
    if state.state not in CLEARED:
        for key in phases:
            phase = project.phases[key]
            waiting.append((key, phase, project.plans.get(phase.plan)))
    return (
        project.gates[gid],
        state,
        project.tied_adr(project.links.gates[gid]),
        expected,
        tuple(waiting),
        state.state in CLEARED and bool(phases),
    )


def _gate_row(
    gate: Gate,
    state: GateState,
    tied: Adr | None,
    expected: tuple[datetime.date | None, datetime.date] | None,
    waiting_phases: tuple[tuple[Key, Phase, Plan | None], ...],
    none_now: bool,
) -> GateRow:
    """The row of a gate from what `_gate_row_inputs` looked up, and nothing else."""
    adr = state.adr
    in_force = adr if tied is not None and adr is not None and adr is not tied else None
    waiting = []
    for key, phase, waiting_plan in waiting_phases:
        if waiting_plan:
            title = f"{waiting_plan.title}: {phase.id} · {phase.title}"
            waiting.append(PageLink(key, waiting_plan.rel, escape.anchor("phase", phase.id), title))
    return GateRow(
        gate.id,
        gate.title,
        gate.adr.text if gate.adr else "—",
        PageLink(tied.id, tied.rel, "", tied.title) if tied else None,
        PageLink(in_force.id, in_force.rel, "", in_force.title) if in_force else None,
        RecordStatus.of(adr) if adr else None,
        adr.deciders if adr else (),
        state.state,
        state.why,
        gate.due.date if gate.due else None,
        expected,
        tuple(waiting),
        none_now,
    )


def _due(row: GateRow) -> str:
    """The gate's due date and, while it is open, when the schedule expects it: later than its
    due date when a gate it comes after is expected later, overdue once the date has passed;
    an open gate without one leaves the phases behind it unscheduled."""
    shown = html.day(row.due) if row.due else "—"
    if row.expected is None:
        return shown  # passed or waived: nothing to expect
    expected, today = row.expected
    if expected is None:
        note = "no date: what waits on it is unscheduled"
    elif row.due and expected > row.due:
        note = f'<span class="plans-late">expected {html.day(expected)}</span>, after the gates it follows'
    elif expected < today:
        note = '<span class="plans-late">overdue</span>'
    else:
        return shown
    return f'{shown} <span class="plans-note plans-when">{note}</span>'


def _made_row(ctx: EmitContext, src: str, views: dict[str, GateRow], gid: str) -> Row:
    return Row.of(_row(ctx, src, views[gid]))


def _row(ctx: EmitContext, src: str, row: GateRow) -> str:
    if row.tied:
        adr_cell = render_shown(ctx, src, row.tied)
        if row.in_force is not None:
            adr_cell += f' <span class="plans-note">in force: {render_shown(ctx, src, row.in_force)}</span>'
    else:
        adr_cell = escape.text(row.written)
    adr_status = row.adr_status.badge() if row.adr_status else "—"
    who = deciders(row.deciders) if row.deciders else "—"
    waiting = [f'<span class="plans-nowrap">{render_shown(ctx, src, link)}</span>' for link in row.waiting]
    if row.none_now:
        waiting.append(f'<span class="plans-note">none now: the gate is {row.state}</span>')
    return _TABLE.row(
        (
            f'<span id="{escape.anchor(row.id)}"></span>{html.strong(escape.text(row.id))}',
            escape.text(row.title),
            adr_cell,
            adr_status,
            who,
            f"{badge('gate', row.state)} {escape.text(row.why)}",
            _due(row),
            ", ".join(waiting) or "—",
        )
    )
