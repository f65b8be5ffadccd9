"""The Gates Index: every gate, grouped by the plan that declares it and in `after:` order
within each plan, with its ADR, who decides it, its derived state and who waits on it."""

from __future__ import annotations

from functools import partial

from plancompiler.emit import escape, html, mermaid
from plancompiler.emit.context import EmitContext, badge, status_badge
from plancompiler.emit.memo import Memo
from plancompiler.emit.summary import Row, Summary, generated_body
from plancompiler.emit.views import deciders
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


def render_gates_index(ctx: EmitContext, memo: Memo | None = None) -> Summary:
    """The page's body below its title, as HTML; with a `memo`, only the rows and graphs
    whose inputs changed are written again."""
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
    rows: list[Row] = []
    sections = []
    for pid in order:
        gate_ids = by_plan[pid]
        plan = project.plans.get(pid)
        anchor = escape.anchor("plan", pid)
        sections.append((anchor, escape.text(plan.title if plan else pid)))
        # The group's heading and graph read the plan's title and page, and each gate's id,
        # title, `after:` list and state (and the states of gates it comes after).
        shown = [(project.gates[g], states[g].state) for g in gate_ids]
        after = [(b, states[b].state) for g in gate_ids for b in project.links.gates[g].after if b is not None]
        key = ((plan.title, plan.rel) if plan else None, shown, after)
        rows.append(memo.get(("gates_index", "group", pid, ctx.links), key, partial(_group, ctx, src, pid, gate_ids)))
        keys = ((gid, _row_key(ctx, gid)) for gid in gate_ids)
        rows += memo.each(("gates_index", "rows", pid, ctx.links), keys, lambda gid: Row.of(_row(ctx, src, gid)))
        rows.append(Row.of(_TABLE.end))
    return generated_body(_INTRO + html.para(tally), rows, "", tuple(sections))


def _group(ctx: EmitContext, src: str, pid: str, gate_ids: list[str]) -> Row:
    """A plan's heading, the graph of its gates, and the head of their table."""
    plan = ctx.project.plans.get(pid)
    title = ctx.plan_link(src, plan) if plan else escape.text(pid)
    graph = mermaid.gate_graph(ctx.project, gate_ids)
    shown = mermaid.block(graph) if graph is not None else ""
    return Row.of(html.heading(2, escape.anchor("plan", pid), title) + shown + _TABLE.head)


def _row_key(ctx: EmitContext, gid: str) -> tuple[object, ...]:
    """Everything `_row` reads (the plans it links to whole): keep the two side by side."""
    project = ctx.project
    plans = project.plans
    gate = project.gates[gid]
    state = project.analysis.gate_states[gid]
    adr = state.adr
    tied = project.tied_adr(project.links.gates[gid])
    waiting = project.analysis.phases_waiting.get(gid, ())
    return (
        gate,
        state,
        (adr.title, adr.rel, adr.status, adr.raw_status, adr.deciders) if adr else None,
        (tied.title, tied.rel) if tied else None,
        (project.schedule.gates.get(gid, False), project.schedule.today) if project.schedule else None,
        waiting,
        *[plans.get(project.phases[key].plan) for key in waiting],
    )


def _due(ctx: EmitContext, gid: str) -> str:
    """The gate's due date and, while it is open, when the schedule expects it: later than its
    due date when a gate it comes after is expected later, overdue once the date has passed;
    an open gate without one leaves the phases behind it unscheduled."""
    gate = ctx.project.gates[gid]
    shown = html.day(gate.due.date) if gate.due else "—"
    schedule = ctx.project.schedule
    if schedule is None or gid not in schedule.gates:
        return shown  # passed or waived: nothing to expect
    expected = schedule.gates[gid]
    if expected is None:
        note = "no date: what waits on it is unscheduled"
    elif gate.due and expected > gate.due.date:
        note = f'<span class="plans-late">expected {html.day(expected)}</span>, after the gates it follows'
    elif expected < schedule.today:
        note = '<span class="plans-late">overdue</span>'
    else:
        return shown
    return f'{shown} <span class="plans-note plans-when">{note}</span>'


def _row(ctx: EmitContext, src: str, gid: str) -> str:
    project = ctx.project
    gate = project.gates[gid]
    state = project.analysis.gate_states[gid]
    tied = project.tied_adr(project.links.gates[gid])
    adr = state.adr
    if tied:
        adr_cell = ctx.adr_link(src, tied)
        if adr is not None and adr is not tied:
            adr_cell += f' <span class="plans-note">in force: {ctx.adr_link(src, adr)}</span>'
    else:
        adr_cell = escape.text(gate.adr.text if gate.adr else "—")
    adr_status = status_badge(adr) if adr else "—"
    who = deciders(adr.deciders) if adr and adr.deciders else "—"
    waiting = []
    if state.state not in CLEARED:
        for key in project.analysis.phases_waiting.get(gid, ()):
            phase = project.phases[key]
            waiting_plan = project.plans.get(phase.plan)
            if waiting_plan:
                title = f"{waiting_plan.title}: {phase.id} · {phase.title}"
                href = ctx.href(src, waiting_plan.rel, escape.anchor("phase", phase.id))
                waiting.append(f'<span class="plans-nowrap">{ctx.link(key, href, title)}</span>')
    elif project.analysis.phases_waiting.get(gid):
        waiting.append(f'<span class="plans-note">none now: the gate is {state.state}</span>')
    return _TABLE.row(
        (
            f'<span id="{escape.anchor(gid)}"></span>{html.strong(escape.text(gid))}',
            escape.text(gate.title),
            adr_cell,
            adr_status,
            who,
            f"{badge('gate', state.state)} {escape.text(state.why)}",
            _due(ctx, gid),
            ", ".join(waiting) or "—",
        )
    )
