"""Rules that compare the change with its base revision (brief section 6)."""

from __future__ import annotations

from plancompiler.compiler import Result
from plancompiler.diagnostics import Diagnostic, Reporter, SeverityPolicy
from plancompiler.ids import adr_number
from plancompiler.parse.document import ParsedDocument
from plancompiler.vocabulary import RETIRED, AdrStatus

# Edits an accepted ADR may receive: it can be retired, point at its successor, and name a
# record that amends it. In the body, its Status section and relation lines are those places.
_RETIRING_KEYS = ("status", "superseded_by", "amended_by")


def _next_free(numbers: set[int]) -> str:
    return f"ADR-{max(numbers, default=0) + 1:04d}"


def _instead(adr_id: str, numbers: set[int]) -> str:
    """What to take instead of a record id the base uses: the next free number, or, for a
    log4brains slug, another file name."""
    return f"take {_next_free(numbers)}" if adr_number(adr_id) is not None else "give the file another name"


def base_rules(base: Result, head: Result, base_name: str, policy: SeverityPolicy) -> tuple[Diagnostic, ...]:
    """Ids the change takes that the base uses elsewhere; accepted ADRs edited in place."""
    reporter = Reporter(policy)
    b, h = base.project, head.project
    numbers = {n for a in (*b.adrs, *h.adrs) if (n := adr_number(a)) is not None}
    for adr in h.adrs.values():
        old = b.adrs.get(adr.id)
        if old is not None and old.path != adr.path and adr.path not in base.documents:
            reporter.report(
                "PLN080",
                adr.path,
                adr.loc.line,
                adr.loc.col,
                f"{adr.id} is new here but {base_name} already uses it for {old.path}; {_instead(adr.id, numbers)}",
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
    old_lines, new_lines = _decision_text(before), _decision_text(after)
    if [text for _, text in old_lines] != [text for _, text in new_lines]:
        for (_, a), (line, b) in zip(old_lines, new_lines):
            if a != b:
                return line, "its decision text"
        shorter = min(len(old_lines), len(new_lines))
        return (new_lines[shorter][0] if shorter < len(new_lines) else after.body_line + shorter), "its decision text"
    return None


def _decision_text(doc: ParsedDocument) -> list[tuple[int, str]]:
    """A record's body as (file line, text) pairs, without its Status section and relation
    lines: where a record is retired or linked to its successor."""
    first, last = doc.derived.get("status_lines") or (0, -1)
    related = {line for *_, line, _col in doc.derived.get("relations", ())}
    lines = doc.body.rstrip().split("\n")
    return [
        (doc.body_line + i, text.rstrip())
        for i, text in enumerate(lines)
        if not first <= doc.body_line + i <= last and doc.body_line + i not in related
    ]
