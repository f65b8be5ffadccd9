"""The Gates Index: every gate in `after:` order, its ADR, derived state and who waits on it."""

from __future__ import annotations

from plancompiler.emit import escape, mermaid
from plancompiler.emit.context import EmitContext, badge
from plancompiler.ids import normalise_adr_id


def render_gates_index(ctx: EmitContext) -> str:
    src = ctx.paths.gates_index
    project = ctx.project
    out = [
        "# Gates Index",
        "",
        "Every decision gate of the site, in the order their `after:` lists give. A gate is"
        " **passed** when its ADR is accepted, **waived** when the plan says so, **blocked** when"
        " its ADR is rejected, deprecated or superseded without a successor, and **open** otherwise.",
        "",
    ]
    if not project.gates:
        return "\n".join([*out, "No plan declares a gate yet.", ""])
    counts: dict[str, int] = {}
    for state in project.analysis.gate_states.values():
        counts[state.state] = counts.get(state.state, 0) + 1
    out += [
        " · ".join(f"{badge('gate', s)} {counts[s]}" for s in ("passed", "waived", "open", "blocked") if s in counts),
        "",
        mermaid.block(mermaid.gate_graph(project)),
        "",
        "| Gate | Title | ADR | ADR status | State | Declared by | Phases waiting |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for gid in project.analysis.gate_order:
        gate = project.gates[gid]
        state = project.analysis.gate_states[gid]
        adr = project.adrs.get(normalise_adr_id(gate.adr.text) or "") if gate.adr else None
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
                waiting.append(escape.link(label, ctx.href(src, waiting_plan.rel, escape.anchor("phase", phase_id))))
        out.append(
            f'| <span id="{escape.anchor(gid)}"></span>**{escape.text(gid)}** | {escape.text(gate.title)}'
            f" | {adr_cell} | {adr_status} | {badge('gate', state.state)} {escape.text(state.why)}"
            f" | {ctx.plan_link(src, plan) if plan else '—'} | {', '.join(waiting) or '—'} |"
        )
    return "\n".join(out) + "\n"
