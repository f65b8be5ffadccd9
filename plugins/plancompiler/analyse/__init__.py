"""Analysis: graphs, derived gate states, status contradictions and lint rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

from plancompiler.analyse import graphs
from plancompiler.analyse.gates import check_gate_order, gate_state
from plancompiler.analyse.graphs import natural_key
from plancompiler.analyse.rules import check_adrs, check_lint, check_statuses
from plancompiler.diagnostics import Reporter
from plancompiler.link.symbols import Symbols
from plancompiler.model import Analysis, Loc, Plan
from plancompiler.vocabulary import CLEARED, FINISHED, TaskStatus


def warm_up() -> None:
    """Import the graph library now, while there is time to spare (a forked child still
    reading); the first graph would otherwise import it."""
    import networkx  # noqa: F401


def _backlinks(symbols: Symbols, citations: list[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """Who references what: keys `plan:ID`, `adr:ADR-NNNN`, `gate:GNN`; values are plan ids
    and ADR ids (`adr:ADR-NNNN`) that point at them."""
    found: dict[str, set[str]] = defaultdict(set)
    for plan in symbols.plans.values():
        source = f"plan:{plan.id}"
        for ref in plan.depends_on:
            if ref.text in symbols.plans:
                found[f"plan:{ref.text}"].add(source)
        for task in plan.tasks:
            for ref in task.depends_on:
                key = symbols.task(plan.id, ref.text)
                if key and not key.startswith(plan.id + "/"):
                    found[f"plan:{key.split('/', 1)[0]}"].add(source)
        for gate in plan.gates:
            if gate.adr and (adr_id := symbols.adr(gate.adr.text)):
                found[f"adr:{adr_id}"].add(source)
        for phase in plan.phases:
            for ref in phase.gates:
                if ref.text in symbols.gates:
                    found[f"gate:{ref.text}"].add(source)
                    owner = symbols.gates[ref.text].plan
                    if owner != plan.id:
                        found[f"plan:{owner}"].add(source)
    for citing, cited in citations:
        found[cited].add(citing)
    for adr in symbols.adrs.values():
        for ref in (*adr.supersedes, *([adr.superseded_by] if adr.superseded_by else [])):
            if target := symbols.adr(ref.text):
                found[f"adr:{target}"].add(f"adr:{adr.id}")
    return {k: tuple(sorted(v, key=natural_key)) for k, v in sorted(found.items())}


def analyse(
    symbols: Symbols,
    reporter: Reporter,
    citations: list[tuple[str, str]] | None = None,
    critical_paths: Mapping[str, tuple[str, ...]] | None = None,
) -> Analysis:
    """Run every graph analysis and rule; report what they find. `critical_paths` are the
    plans' critical paths where the schedule knows them (`forecast.critical_paths`); other
    plans' are their longest chains by estimate."""
    plan_g = graphs.plan_graph(symbols)
    graphs.report_cycles(plan_g, "PLN032", "plans", lambda n: symbols.plans[str(n)].loc, reporter)
    for plan in symbols.plans.values():
        graphs.report_cycles(
            graphs.phase_graph(plan),
            "PLN031",
            f"phases of plan '{plan.id}'",
            _phase_loc(plan),
            reporter,
        )
    task_g = graphs.task_graph(symbols)
    cycle_nodes = graphs.report_cycles(
        task_g, "PLN030", "tasks", lambda n: symbols.tasks[str(n)].loc, reporter, _task_labels
    )
    gate_g = graphs.gate_graph(symbols)
    gate_cycles = graphs.report_cycles(gate_g, "PLN033", "gates", lambda n: symbols.gates[str(n)].loc, reporter)

    states = {gid: gate_state(symbols, gate) for gid, gate in sorted(symbols.gates.items())}
    check_gate_order(symbols, states, reporter)
    check_statuses(symbols, states, reporter)
    check_adrs(symbols, reporter)
    check_lint(symbols, reporter)

    critical: dict[str, tuple[str, ...]] = {}
    ready: dict[str, tuple[str, ...]] = {}
    waiting: dict[str, list[str]] = defaultdict(list)
    blocked: dict[str, tuple[str, ...]] = {}
    for plan in symbols.plans.values():
        known = critical_paths.get(plan.id) if critical_paths else None
        critical[plan.id] = known or graphs.critical_path(symbols, plan, cycle_nodes)
        ready_here = []
        for phase in plan.phases:
            for ref in phase.gates:
                waiting[ref.text].append(phase.key)
            # A gate that names nothing is reported by `link`; it holds nothing up here.
            holding = tuple(r.text for r in phase.gates if r.text in states and states[r.text].state not in CLEARED)
            gates_clear = all(states.get(r.text) and states[r.text].state in CLEARED for r in phase.gates)
            # A phase starts once the phases it depends on are finished.
            phases_done = all(
                all(t.status in FINISHED for t in before.tasks)
                for before in plan.phases
                if before.id in {r.text for r in phase.depends_on}
            )
            for task in phase.tasks:
                if holding and task.status not in FINISHED:
                    blocked[task.key] = holding
                deps = [symbols.task(plan.id, r.text) for r in task.depends_on]
                if (
                    task.status is TaskStatus.TODO
                    and gates_clear
                    and phases_done
                    and all(d is not None and symbols.tasks[d].status in FINISHED for d in deps)
                ):
                    ready_here.append(task.key)
        ready[plan.id] = tuple(ready_here)
    return Analysis(
        gate_states=states,
        gate_order=graphs.topological(gate_g, gate_cycles),
        critical_paths=critical,
        ready_tasks=ready,
        referenced_by=_backlinks(symbols, citations or []),
        phases_waiting={k: tuple(v) for k, v in sorted(waiting.items())},
        blocked_by=blocked,
    )


def _phase_loc(plan: Plan) -> Callable[[object], Loc]:
    locs = {ph.id: ph.loc for ph in plan.phases}
    return lambda node: locs[str(node)]


def _task_labels(members: list[object]) -> list[str]:
    """Local task ids when a cycle stays inside one plan, qualified ids when it crosses plans."""
    plans = {str(m).split("/", 1)[0] for m in members}
    return [str(m).split("/", 1)[1] if len(plans) == 1 else str(m) for m in members]
