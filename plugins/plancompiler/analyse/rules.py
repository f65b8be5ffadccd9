"""Status contradictions, ADR lifecycle checks and the lint rules of brief section 4."""

from __future__ import annotations

from plancompiler.diagnostics import Reporter
from plancompiler.link.relations import INVERSE, LABELS
from plancompiler.model import GateState, Phase, Project
from plancompiler.vocabulary import (
    CLEARED,
    CONCLUDED,
    FINISHED,
    STARTED,
    UNDER_WAY,
    UNFINISHED,
    AdrStatus,
    PlanStatus,
    TaskStatus,
)


def phase_started(phase: Phase) -> bool:
    return any(t.status in STARTED for t in phase.tasks)


def check_statuses(project: Project, states: dict[str, GateState], reporter: Reporter) -> None:
    """Statuses that contradict what they depend on: done before its dependencies, started
    before its phase's gates, completed with open tasks or unfinished plans."""
    for plan in project.plans.values():
        links = project.links.plans[plan.id]
        for phase in plan.phases:
            waiting = [
                (ref, states[gate_id])
                for ref, gate_id in zip(phase.gates, links.waits_on[phase.key])
                if gate_id is not None and states[gate_id].state not in CLEARED
            ]
            for task in phase.tasks:
                if task.status is TaskStatus.DONE:
                    for ref, target in project.dependencies(task):
                        if target is not None and project.tasks[target].status in UNFINISHED:
                            reporter.report(
                                "PLN040",
                                ref.loc.path,
                                ref.loc.line,
                                ref.loc.col,
                                f"task {task.id} is done but depends on {ref.text}, which is"
                                f" {project.tasks[target].status}; correct one of the statuses",
                            )
                if task.status in STARTED and waiting:
                    ref, state = waiting[0]
                    reporter.report(
                        "PLN043",
                        task.loc.path,
                        task.loc.line,
                        task.loc.col,
                        f"task {task.id} is {task.status} but its phase {phase.id} waits on"
                        f" gate {ref.text}, which is {state.state} ({state.why})",
                    )
        if plan.status is PlanStatus.COMPLETED:
            open_tasks = [t.id for t in plan.tasks if t.status not in FINISHED]
            if open_tasks:
                shown = ", ".join(open_tasks[:10]) + (" ..." if len(open_tasks) > 10 else "")
                noun = "task is" if len(open_tasks) == 1 else "tasks are"
                reporter.report(
                    "PLN041",
                    plan.status_loc.path,
                    plan.status_loc.line,
                    plan.status_loc.col,
                    f"plan '{plan.id}' is completed but {len(open_tasks)} {noun} still open:"
                    f" {shown}; finish or cancel them, or set the plan back to in-progress",
                )
            for ref, needed in zip(plan.depends_on, links.depends_on):
                other = project.plans[needed] if needed is not None else None
                if other and other.status not in CONCLUDED:
                    reporter.report(
                        "PLN042",
                        ref.loc.path,
                        ref.loc.line,
                        ref.loc.col,
                        f"plan '{plan.id}' is completed but depends on '{other.id}', which is {other.status}",
                    )


def check_adrs(project: Project, reporter: Reporter) -> None:
    """Superseded records without a successor, and supersessions and amendments written on
    one side only."""
    for adr in project.adrs.values():
        links = project.links.adrs[adr.id]
        if adr.status is AdrStatus.SUPERSEDED and adr.superseded_by is None and links.successor is None:
            loc = adr.status_loc
            reporter.report(
                "PLN060",
                loc.path,
                loc.line,
                loc.col,
                f"{adr.id} is superseded but names no successor; add 'superseded_by: ADR-NNNN'"
                " (or a line 'Superseded by [...](...)' under its status)",
            )
        for relation, other_id in zip(adr.relations, links.named):
            if relation.kind not in INVERSE or other_id is None or other_id == adr.id:
                continue
            inverse = INVERSE[relation.kind]
            if any(
                k.written and k.kind == inverse and k.other == adr.id for k in project.links.adrs[other_id].relations
            ):
                continue
            other = project.adrs[other_id]
            now = other.status or other.raw_status or "without a status"
            loc = relation.target.loc
            reporter.report(
                "PLN061",
                loc.path,
                loc.line,
                loc.col,
                f"{adr.id} {_verb(relation.kind)} {other_id}, but {other_id} ({now}) does not say it"
                f" {_verb(inverse)} {adr.id}; {_fix(inverse, adr.id)} there",
            )


def _verb(kind: str) -> str:
    return ("is " if kind.endswith("-by") else "") + LABELS[kind].lower()


def _fix(kind: str, other: str) -> str:
    """How a record says it has the relation `kind` with `other`."""
    if kind == "superseded-by":
        return (
            f"set 'status: superseded' and 'superseded_by: {other}' (or write 'Superseded by {other}' under its status)"
        )
    return f"add '{kind.replace('-', '_')}: [{other}]' (or write '{LABELS[kind]} {other}' under its status)"


def check_lint(project: Project, reporter: Reporter) -> None:
    """What a good plan has (brief section 4): owned, mitigated risks, a rollback, task owners."""
    for plan in project.plans.values():
        for risk in plan.risks:
            if risk.impact == "high":
                missing = [k for k in ("mitigation", "owner") if getattr(risk, k) is None]
                if missing:
                    reporter.report(
                        "PLN070",
                        risk.loc.path,
                        risk.loc.line,
                        risk.loc.col,
                        f"risk {risk.id} has high impact but no {' and no '.join(missing)};"
                        " say how it is mitigated and who watches it",
                    )
        if plan.status in UNDER_WAY and plan.rollback is None:
            loc = plan.status_loc
            reporter.report(
                "PLN071",
                loc.path,
                loc.line,
                loc.col,
                f"plan '{plan.id}' is {plan.status} but has no rollback plan; add 'rollback:' with triggers and steps",
            )
        for phase in plan.phases:
            if phase_started(phase):
                for task in phase.tasks:
                    if task.owner is None and task.status not in FINISHED:
                        reporter.report(
                            "PLN072",
                            task.loc.path,
                            task.loc.line,
                            task.loc.col,
                            f"task {task.id} has no owner, and its phase {phase.id} has started; add 'owner:'",
                        )
