"""Analysis: graphs, derived gate states, status contradictions and lint rules.

It reads the linked `Project`: every reference there is already a key into the project's
indexes (`Project.links`), so the analyses follow keys and never read a reference's text
to find its target (the text still names it in messages, as the user wrote it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import cast

from plancompiler.analyse import graphs
from plancompiler.analyse.gates import check_gate_order, gate_states
from plancompiler.analyse.rules import check_adrs, check_lint, check_statuses
from plancompiler.diagnostics import Reporter
from plancompiler.model import Analysis, Gate, GateState, Key, Loc, Plan, Project
from plancompiler.vocabulary import CLEARED, FINISHED, TaskStatus


def analyse(
    project: Project,
    reporter: Reporter,
    critical_paths: Mapping[str, tuple[str, ...]] | None = None,
    states: dict[str, GateState] | None = None,
) -> Analysis:
    """Run every graph analysis and rule on a linked project; report what they find.
    `critical_paths` are the plans' critical paths where the schedule knows them
    (`forecast.critical_paths`); other plans' are their longest chains by estimate. `states`
    are the gates' states (`gates.gate_states`), when the caller has them already."""
    plan_g = graphs.plan_graph(project)
    graphs.report_cycles(plan_g, "PLN032", "plans", lambda n: project.plans[str(n)].loc, reporter)
    for plan in project.plans.values():
        graphs.report_cycles(
            graphs.phase_graph(project, plan),
            "PLN031",
            f"phases of plan '{plan.id}'",
            _phase_loc(plan),
            reporter,
        )
    task_g = graphs.task_graph(project)
    cycle_nodes = graphs.report_cycles(
        task_g, "PLN030", "tasks", lambda n: project.tasks[cast(Key, n)].loc, reporter, _task_labels(project)
    )
    gate_g = graphs.gate_graph(project)
    gate_cycles = graphs.report_cycles(gate_g, "PLN033", "gates", lambda n: project.gates[str(n)].loc, reporter)

    states = gate_states(project) if states is None else states
    check_gate_order(project, states, reporter)
    check_statuses(project, states, reporter)
    check_adrs(project, reporter)
    check_lint(project, reporter)

    critical: dict[str, tuple[Key, ...]] = {}
    ready: dict[str, tuple[Key, ...]] = {}
    blocked: dict[Key, tuple[Gate, ...]] = {}
    for plan in project.plans.values():
        # The schedule's chains are of its jobs' keys, which for tasks are the tasks' keys.
        known = cast("tuple[Key, ...] | None", critical_paths.get(plan.id) if critical_paths else None)
        critical[plan.id] = known or graphs.critical_path(project, plan, cycle_nodes)
        ready[plan.id] = _ready(project, plan, states, blocked)
    return Analysis(
        gate_states=states,
        gate_order=graphs.topological(gate_g, gate_cycles),
        critical_paths=critical,
        ready_tasks=ready,
        phases_waiting=_phases_waiting(project),
        blocked_by=blocked,
    )


def rebind(analysis: Analysis, project: Project) -> Analysis:
    """`analysis`, made for an earlier version of `project` that differs at most in titles,
    holding `project`'s own gates and records: the states and held tasks name them, and
    pages show their titles."""
    states = gate_states(project)
    gates = project.gates
    blocked = {key: tuple(gates[g.id] for g in held) for key, held in analysis.blocked_by.items()}
    return replace(analysis, gate_states=states, blocked_by=blocked)


def _ready(
    project: Project, plan: Plan, states: dict[str, GateState], blocked: dict[Key, tuple[Gate, ...]]
) -> tuple[Key, ...]:
    """Tasks to do whose dependencies are finished, whose phase's gates are cleared and whose
    phase's preceding phases are finished. Unfinished tasks of a phase that waits on a gate
    neither passed nor waived go into `blocked`, with those gates."""
    links = project.links.plans[plan.id]
    found = []
    for phase in plan.phases:
        waits_on = links.waits_on[phase.key]
        # A gate that names nothing is reported by `link`; it holds nothing up here.
        holding = tuple(project.gates[gid] for gid in waits_on if gid is not None and states[gid].state not in CLEARED)
        gates_clear = all(gid is not None and states[gid].state in CLEARED for gid in waits_on)
        # A phase starts once the phases it depends on are finished.
        before = set(links.phases[phase.key])
        phases_done = all(all(t.status in FINISHED for t in p.tasks) for p in plan.phases if p.key in before)
        for task in phase.tasks:
            if holding and task.status not in FINISHED:
                blocked[task.key] = holding
            if (
                task.status is TaskStatus.TODO
                and gates_clear
                and phases_done
                and all(d is not None and project.tasks[d].status in FINISHED for d in links.tasks[task.key])
            ):
                found.append(task.key)
    return tuple(found)


def _phases_waiting(project: Project) -> dict[str, tuple[Key, ...]]:
    """By gate id, the phases that wait on it, in file order."""
    waiting: dict[str, list[Key]] = defaultdict(list)
    for key, phase in project.phases.items():
        for gate_id in project.links.plans[phase.plan].waits_on[key]:
            if gate_id is not None:
                waiting[gate_id].append(key)
    return {k: tuple(v) for k, v in sorted(waiting.items())}


def _phase_loc(plan: Plan) -> Callable[[object], Loc]:
    locs = {ph.id: ph.loc for ph in plan.phases}
    return lambda node: locs[str(node)]


def _task_labels(project: Project) -> Callable[[list[object]], list[str]]:
    """Local task ids when a cycle stays inside one plan, keys when it crosses plans."""

    def labels(members: list[object]) -> list[str]:
        tasks = [project.tasks[cast(Key, m)] for m in members]
        one_plan = len({t.plan for t in tasks}) == 1
        return [t.id if one_plan else str(t.key) for t in tasks]

    return labels
