"""Gate states, derived from the lifecycle of each gate's ADR (brief section 3.3)."""

from __future__ import annotations

from plancompiler.diagnostics import Reporter
from plancompiler.link.symbols import Symbols
from plancompiler.model import Adr, Gate, GateState
from plancompiler.vocabulary import CLEARED, AdrStatus, GateStatus


def _final_adr(symbols: Symbols, adr: Adr) -> tuple[Adr, list[str]]:
    """Follow `superseded_by` to the record in force; the chain walked, for the explanation."""
    chain = [adr.id]
    while adr.status is AdrStatus.SUPERSEDED and adr.superseded_by:
        successor = symbols.adr(adr.superseded_by.text)
        if successor is None or successor in chain:
            break
        adr = symbols.adrs[successor]
        chain.append(adr.id)
    return adr, chain


def gate_state(symbols: Symbols, gate: Gate) -> GateState:
    """passed when the ADR in force is accepted, waived when the gate says so, else open or
    blocked (ADR rejected, deprecated, or superseded with no successor)."""
    if gate.waived:
        tied = symbols.adr(gate.adr.text) if gate.adr else None
        return GateState(GateStatus.WAIVED, gate.reason or "waived by its plan", tied)
    if gate.adr is None:
        return GateState(GateStatus.OPEN, "no ADR is tied to this gate yet")
    adr_id = symbols.adr(gate.adr.text)
    if adr_id is None:
        return GateState(GateStatus.OPEN, f"{gate.adr.text} does not exist")
    adr, chain = _final_adr(symbols, symbols.adrs[adr_id])
    via = f" (via {' → '.join(chain)})" if len(chain) > 1 else ""
    status = adr.status or adr.raw_status or "without a status"
    if adr.status is AdrStatus.ACCEPTED:
        return GateState(GateStatus.PASSED, f"{adr.id} is accepted{via}", adr.id)
    if adr.status in (AdrStatus.REJECTED, AdrStatus.DEPRECATED, AdrStatus.SUPERSEDED):
        detail = "superseded with no successor" if adr.status is AdrStatus.SUPERSEDED else adr.status
        return GateState(GateStatus.BLOCKED, f"{adr.id} is {detail}{via}", adr.id)
    return GateState(GateStatus.OPEN, f"{adr.id} is {status}{via}", adr.id)


def check_gate_order(symbols: Symbols, states: dict[str, GateState], reporter: Reporter) -> None:
    """A gate passed while a gate it comes after is still open or blocked."""
    for gate in symbols.gates.values():
        if states[gate.id].state is not GateStatus.PASSED:
            continue
        for ref in gate.after:
            before = states.get(ref.text)
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
