"""Rules that compare the change with its base revision (brief section 6)."""

from __future__ import annotations

from plancompiler.compiler import Result
from plancompiler.diagnostics import Diagnostic, Reporter, SeverityPolicy
from plancompiler.parse.document import ParsedDocument
from plancompiler.vocabulary import RETIRED, AdrStatus

# Edits an accepted ADR may receive: it can be retired, and point at its successor.
_RETIRING_KEYS = ("status", "superseded_by")


def _next_free(numbers: set[int]) -> str:
    return f"ADR-{max(numbers, default=0) + 1:04d}"


def base_rules(base: Result, head: Result, base_name: str, policy: SeverityPolicy) -> tuple[Diagnostic, ...]:
    """Ids the change takes that the base uses elsewhere; accepted ADRs edited in place."""
    reporter = Reporter(policy)
    b, h = base.project, head.project
    numbers = {int(a[4:]) for a in (*b.adrs, *h.adrs)}
    for adr in h.adrs.values():
        old = b.adrs.get(adr.id)
        if old is not None and old.path != adr.path and adr.path not in base.documents:
            reporter.report(
                "PLN080",
                adr.path,
                adr.loc.line,
                adr.loc.col,
                f"{adr.id} is new here but {base_name} already uses it for {old.path}; take {_next_free(numbers)}",
            )
    for plan in h.plans.values():
        old_plan = b.plans.get(plan.id)
        if old_plan is not None and old_plan.path != plan.path and plan.path not in base.documents:
            reporter.report(
                "PLN080",
                plan.path,
                plan.loc.line,
                plan.loc.col,
                f"plan id '{plan.id}' is new here but {base_name} already uses it for {old_plan.path};"
                " choose another id",
            )
    for gate in h.gates.values():
        old_gate = b.gates.get(gate.id)
        if old_gate is not None and old_gate.plan != gate.plan and gate.plan not in b.plans:
            reporter.report(
                "PLN080",
                gate.loc.path,
                gate.loc.line,
                gate.loc.col,
                f"gate id '{gate.id}' is new here but {base_name} already declares it in plan"
                f" '{old_gate.plan}'; choose another number",
            )
    for adr_id, old in b.adrs.items():
        new = h.adrs.get(adr_id)
        if old.status is not AdrStatus.ACCEPTED or new is None or new.path != old.path:
            continue
        before, after = base.documents.get(old.path), head.documents.get(new.path)
        if before is None or after is None:
            continue
        problem = _edit(before, after)
        if problem:
            line, what = problem
            reporter.report(
                "PLN081",
                new.path,
                line,
                1,
                f"{adr_id} is accepted in {base_name} and {what} changed here; accepted decisions are"
                f" immutable: record the new decision in a new ADR with 'supersedes: [{adr_id}]'",
            )
    return reporter.sorted()


def _edit(before: ParsedDocument, after: ParsedDocument) -> tuple[int, str] | None:
    """Where an accepted ADR was edited beyond retiring it: (line, what), or None."""
    status = after.data.get("status")
    if status != AdrStatus.ACCEPTED and status not in RETIRED:
        return after.mark(("status",)).line, f"its status (now '{status}')"
    keys = (set(before.data) | set(after.data)) - set(_RETIRING_KEYS)
    for key in sorted(keys):
        if before.data.get(key) != after.data.get(key):
            return after.mark((key,)).key_line, f"'{key}'"
    old_lines = before.body.rstrip().split("\n")
    new_lines = after.body.rstrip().split("\n")
    if [x.rstrip() for x in old_lines] != [x.rstrip() for x in new_lines]:
        for index, (a, b) in enumerate(zip(old_lines, new_lines)):
            if a.rstrip() != b.rstrip():
                return after.body_line + index, "its decision text"
        return after.body_line + min(len(old_lines), len(new_lines)), "its decision text"
    return None
