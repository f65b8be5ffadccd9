"""Which plans and decision records a view was gathered from.

A view's inputs (`plan_page_inputs`, `adr_summary_inputs`) hold the model objects it reads:
the records themselves, their tasks, phases and gates (each part of its plan), and gate
states (which read the record in force). Under `mkdocs serve`, while the links, analysis and
schedule are those of the last build, a view none of whose records changed would be
gathered again from the very same objects.
"""

from __future__ import annotations

from collections.abc import Mapping

from plancompiler.analyse.forecast import PlanDates
from plancompiler.model import Adr, Gate, GateState, Phase, Plan, Task

Record = tuple[str, str]
"""A plan or decision record: ("plan", id) or ("adr", id)."""


def record_of(target: Plan | Adr) -> Record:
    """The plan or record `target` is."""
    return ("plan", target.id) if isinstance(target, Plan) else ("adr", target.id)


def records_read(inputs: tuple[object, ...]) -> frozenset[Record]:
    """The plans and records whose objects `inputs` hold, in tuples at any depth. Other values
    (links, the schedule's dates, history) are the caller's to compare."""
    found: set[Record] = set()
    pending: list[object] = [inputs]
    while pending:
        value = pending.pop()
        if isinstance(value, tuple):
            pending.extend(value)
        elif isinstance(value, (Plan, Adr)):
            found.add(record_of(value))
        elif isinstance(value, (Task, Phase, Gate)):
            found.add(("plan", value.plan))
        elif isinstance(value, GateState):
            if value.adr is not None:
                found.add(("adr", value.adr.id))
        elif isinstance(value, PlanDates):
            found.add(("plan", value.plan.id))
    return frozenset(found)


def changed_records(last: Mapping[str, Plan | Adr], this: Mapping[str, Plan | Adr]) -> set[Record]:
    """The plans and records, by source path in `last` and `this`, that are not the very
    objects of the last build: edited, added, removed or moved."""
    found = {record_of(target) for src, target in this.items() if last.get(src) is not target}
    found.update(record_of(target) for src, target in last.items() if this.get(src) is not target)
    return found
