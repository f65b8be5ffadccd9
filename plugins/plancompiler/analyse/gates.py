"""Gate states, derived from the lifecycle of each gate's ADR (brief section 3.3)."""

from __future__ import annotations

from plancompiler.diagnostics import Reporter
from plancompiler.model import Gate, GateState, Project
from plancompiler.vocabulary import CLEARED, AdrStatus, GateStatus


def gate_states(project: Project) -> dict[str, GateState]:
    """Every gate's state, by id."""
    return {gid: gate_state(project, gate) for gid, gate in project.gates.items()}


def gate_state(project: Project, gate: Gate) -> GateState:
    """passed when the ADR in force is accepted, waived when the gate says so, else open or
    blocked (ADR rejected, deprecated, or superseded with no successor)."""
    chain = project.links.gates[gate.id].adrs
    if gate.waived:
        tied = project.adrs[chain[0]] if chain else None
        return GateState(GateStatus.WAIVED, gate.reason or "waived by its plan", tied)
    if gate.adr is None:
        return GateState(GateStatus.OPEN, "no ADR is tied to this gate yet")
    if not chain:
        return GateState(GateStatus.OPEN, f"{gate.adr.text} does not exist")
    adr = project.adrs[chain[-1]]
    via = f" (via {' → '.join(chain)})" if len(chain) > 1 else ""
    status = adr.status or adr.raw_status or "without a status"
    if adr.status is AdrStatus.ACCEPTED:
        return GateState(GateStatus.PASSED, f"{adr.id} is accepted{via}", adr)
    if adr.status in (AdrStatus.REJECTED, AdrStatus.DEPRECATED, AdrStatus.SUPERSEDED):
        detail = "superseded with no successor" if adr.status is AdrStatus.SUPERSEDED else adr.status
        return GateState(GateStatus.BLOCKED, f"{adr.id} is {detail}{via}", adr)
    return GateState(GateStatus.OPEN, f"{adr.id} is {status}{via}", adr)


def check_gate_order(project: Project, states: dict[str, GateState], reporter: Reporter) -> None:
    """A gate passed while a gate it comes after is still open or blocked."""
    for gate in project.gates.values():
        if states[gate.id].state is not GateStatus.PASSED:
            continue
        for ref, before_id in zip(gate.after, project.links.gates[gate.id].after):
            before = states[before_id] if before_id is not None else None
            if before is not None and before.state not in CLEARED:
                reporter.report(
                    "PLN034",
                    ref.loc.path,
                    ref.loc.line,
                    ref.loc.col,
                    f"gate {gate.id} is passed ({states[gate.id].why}) but comes after"
                    f" {ref.text}, which is still {before.state} ({before.why}); decide"
                    f" {ref.text} first or correct 'after'",
                )
