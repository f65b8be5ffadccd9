"""The Gates Index: every gate in `after:` order, its ADR, derived state and who waits on it."""

from __future__ import annotations

from plancompiler.emit import escape, html, mermaid
from plancompiler.emit.context import EmitContext, adr_id, badge
from plancompiler.emit.memo import Memo
from plancompiler.emit.summary import Row, Summary, generated_body

TITLE = "Gates Index"

_INTRO = html.para(
    "Every decision gate of the site, in the order their <code>after:</code> lists give. A gate is"
    " <strong>passed</strong> when its ADR is accepted, <strong>waived</strong> when the plan says so,"
    " <strong>blocked</strong> when its ADR is rejected, deprecated or superseded without a successor,"
    " and <strong>open</strong> otherwise."
)
_HEAD = html.table_head(("Gate", "Title", "ADR", "ADR status", "State", "Declared by", "Phases waiting"))


def render_gates_index(ctx: EmitContext, memo: Memo | None = None) -> Summary:
    """The page's body below its title, as HTML; with a `memo`, only the rows whose inputs
    changed are written again."""
    memo = memo if memo is not None else Memo()
    ctx = ctx.as_html()
    src = ctx.paths.gates_index
    project = ctx.project
    if not project.gates:
        return generated_body(_INTRO + html.para("No plan declares a gate yet."))
    counts: dict[str, int] = {}
    for state in project.analysis.gate_states.values():
        counts[state.state] = counts.get(state.state, 0) + 1
    states = project.analysis.gate_states
    # The graph draws each gate's id, title, `after:` edges and state.
    shown = [(project.gates[gid], states[gid].state) for gid in project.analysis.gate_order]
    graph = memo.get(("gates_index", "graph"), shown, lambda: mermaid.block(mermaid.gate_graph(project)))
    tally = " · ".join(
        f"{badge('gate', s)} {counts[s]}" for s in ("passed", "waived", "open", "blocked") if s in counts
    )
    keys = ((gid, _row_key(ctx, gid)) for gid in project.analysis.gate_order)
    rows = memo.each(("gates_index", "rows", ctx.links), keys, lambda gid: Row.of(_row(ctx, src, gid)))
    return generated_body("".join((_INTRO, html.para(tally), graph, _HEAD)), rows, html.TABLE_END)


def _row_key(ctx: EmitContext, gid: str) -> tuple[object, ...]:
    """Everything `_row` reads (the plans it links to whole): keep the two side by side."""
    project = ctx.project
    plans = project.plans
    gate = project.gates[gid]
    adr = project.adrs.get(adr_id(gate.adr.text) or "") if gate.adr else None
    waiting = project.analysis.phases_waiting.get(gid, ())
    return (
        gate,
        project.analysis.gate_states[gid],
        (adr.title, adr.rel, adr.raw_status) if adr else None,
        plans.get(gate.plan),
        waiting,
        *[plans.get(key.partition("/")[0]) for key in waiting],
    )


def _row(ctx: EmitContext, src: str, gid: str) -> str:
    project = ctx.project
    gate = project.gates[gid]
    state = project.analysis.gate_states[gid]
    adr = project.adrs.get(adr_id(gate.adr.text) or "") if gate.adr else None
    if adr:
        adr_cell, adr_status = (
            ctx.adr_link(src, adr),
            badge("adr", adr.raw_status or "no status"),
        )
    else:
        adr_cell, adr_status = escape.text(gate.adr.text if gate.adr else "—"), "—"
    plan = project.plans.get(gate.plan)
    waiting = []
    for key in project.analysis.phases_waiting.get(gid, ()):
        plan_id, phase_id = key.split("/", 1)
        waiting_plan = project.plans.get(plan_id)
        if waiting_plan:
            label = phase_id if plan_id == gate.plan else f"{plan_id}/{phase_id}"
            waiting.append(ctx.link(label, ctx.href(src, waiting_plan.rel, escape.anchor("phase", phase_id))))
    return html.row(
        (
            f'<span id="{escape.anchor(gid)}"></span>{html.strong(escape.text(gid))}',
            escape.text(gate.title),
            adr_cell,
            adr_status,
            f"{badge('gate', state.state)} {escape.text(state.why)}",
            ctx.plan_link(src, plan) if plan else "—",
            ", ".join(waiting) or "—",
        )
    )
