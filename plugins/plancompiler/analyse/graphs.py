"""The dependency graphs (networkx) and what they say: cycles, orders, critical paths.

networkx is imported when the first graph is made rather than with this module: `plans
check` on a large site imports it while a forked child is still reading its share of the
files (`plancompiler.parallel`), and `plans new` does not need it at all.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

from plancompiler.diagnostics import Reporter
from plancompiler.ids import natural_key
from plancompiler.model import Key, Loc, Plan, Project
from plancompiler.vocabulary import FINISHED


def task_graph(project: Project) -> nx.DiGraph:
    """Tasks as nodes (their keys); an edge from each task to each task it depends on."""
    import networkx as nx

    graph = nx.DiGraph()
    for key, task in project.tasks.items():
        graph.add_node(key)
        for ref, target in project.dependencies(task):
            if target is not None:
                graph.add_edge(key, target, loc=ref.loc)
    return graph


def plan_graph(project: Project) -> nx.DiGraph:
    """Plans as nodes; an edge from each plan to each plan it depends on."""
    import networkx as nx

    graph = nx.DiGraph()
    for plan in project.plans.values():
        graph.add_node(plan.id)
        for ref, needed in zip(plan.depends_on, project.links.plans[plan.id].depends_on):
            if needed is not None:
                graph.add_edge(plan.id, needed, loc=ref.loc)
    return graph


def phase_graph(project: Project, plan: Plan) -> nx.DiGraph:
    """A plan's phases as nodes (their ids); an edge from each phase to each it depends on."""
    import networkx as nx

    graph = nx.DiGraph()
    links = project.links.plans[plan.id].phases
    for phase in plan.phases:
        graph.add_node(phase.id)
        for ref, before in zip(phase.depends_on, links[phase.key]):
            if before is not None:
                graph.add_edge(phase.id, project.phases[before].id, loc=ref.loc)
    return graph


def gate_graph(project: Project) -> nx.DiGraph:
    """Gates as nodes; an edge from each gate to each gate it comes after.

    Gates join the graph in the order their plans' files declare them: between ids of the
    same number (`G01`, `G1`) that order decides which comes first in the gate order.
    """
    import networkx as nx

    graph = nx.DiGraph()
    for plan in project.in_file_order():
        for gate in plan.gates:
            if project.gates.get(gate.id) is not gate:
                continue
            graph.add_node(gate.id)
            for ref, before in zip(gate.after, project.links.gates[gate.id].after):
                if before is not None:
                    graph.add_edge(gate.id, before, loc=ref.loc)
    return graph


def report_cycles(
    graph: nx.DiGraph,
    code: str,
    what: str,
    where: Callable[[Hashable], Loc],
    reporter: Reporter,
    labels: Callable[[list[Hashable]], list[str]] | None = None,
) -> set[Hashable]:
    """One diagnostic per strongly connected component, naming every member, so that one
    round of fixes breaks every cycle: a ring is shown as its cycle; a knot of several cycles
    (A needs B, B needs A, B needs C, C needs B) as its members, its elementary cycles (the
    first few) and the dependencies that close them, whose removal breaks them all.

    Returns the nodes that lie on cycles, so later analyses can leave them out.
    """
    import networkx as nx

    on_cycles: set[Hashable] = set()
    for component in nx.strongly_connected_components(graph):
        if len(component) == 1:
            (single,) = component
            if not graph.has_edge(single, single):
                continue
        start = min(component, key=lambda n: natural_key(str(n)))
        on_cycles |= component
        knot = graph.subgraph(component)

        def name(nodes: list[Hashable]) -> list[str]:
            return labels(nodes) if labels else [str(n) for n in nodes]

        if knot.number_of_edges() == len(component):  # a ring: the one cycle is the whole story
            edges = nx.find_cycle(knot, source=start)
            members = [u for u, _ in edges]
            names = name(members)
            chain = " -> ".join(f"{label} ({where(n)})" for label, n in zip(names, members))
            loc: Loc = graph.edges[edges[0]]["loc"]
            reporter.report(
                code,
                loc.path,
                loc.line,
                loc.col,
                f"dependency cycle among {what}: {chain} -> {names[0]}; remove one of these dependencies",
            )
            continue
        members = sorted(component, key=lambda n: natural_key(str(n)))
        closing = _closing_edges(knot, start)
        shown_cycles = []
        for cycle in _elementary_cycles(knot, _SHOWN_CYCLES + 1):
            cycle_names = name(cycle)
            shown_cycles.append(" -> ".join([*cycle_names, cycle_names[0]]))
        more = " ..." if len(shown_cycles) > _SHOWN_CYCLES else ""
        fixes = ", ".join(f"{' -> '.join(name([u, v]))} ({graph.edges[u, v]['loc']})" for u, v in closing)
        every = ", ".join(f"{label} ({where(n)})" for label, n in zip(name(members), members))
        loc = graph.edges[closing[0]]["loc"]
        reporter.report(
            code,
            loc.path,
            loc.line,
            loc.col,
            f"dependency cycles among {what}: {every} depend on each other; cycles:"
            f" {'; '.join(shown_cycles[:_SHOWN_CYCLES])}{more}; removing {fixes} breaks them all",
        )
    return on_cycles


_SHOWN_CYCLES = 5


def _closing_edges(knot: nx.DiGraph, start: Hashable) -> list[tuple[Hashable, Hashable]]:
    """The edges that close cycles in a depth-first walk from `start` (its back edges): the
    graph without them has no cycle. Neighbours are walked in natural order, for stable output."""
    order = {n: natural_key(str(n)) for n in knot}
    state: dict[Hashable, int] = {}  # 1: on the walk's path, 2: done
    closing = []
    for root in [start, *sorted(knot, key=order.__getitem__)]:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(sorted(knot.successors(root), key=order.__getitem__)))]
        while stack:
            node, successors = stack[-1]
            step = next(successors, None)
            if step is None:
                state[node] = 2
                stack.pop()
            elif state.get(step) == 1:
                closing.append((node, step))
            elif step not in state:
                state[step] = 1
                stack.append((step, iter(sorted(knot.successors(step), key=order.__getitem__))))
    return closing


def _elementary_cycles(knot: nx.DiGraph, limit: int) -> list[list[Hashable]]:
    """Up to `limit` elementary cycles of `knot`, each from its first node in natural order,
    shortest first. Searching stops at `limit`: a large knot has exponentially many."""
    import itertools

    import networkx as nx

    found = []
    for cycle in itertools.islice(nx.simple_cycles(knot), limit):
        first = min(range(len(cycle)), key=lambda i: natural_key(str(cycle[i])))
        found.append(cycle[first:] + cycle[:first])
    return sorted(found, key=lambda c: (len(c), [natural_key(str(n)) for n in c]))


def critical_path(project: Project, plan: Plan, skip: set[Hashable]) -> tuple[Key, ...]:
    """The longest chain of unfinished tasks of `plan`, weighted by estimate (days).

    A task without an estimate counts as zero days; ties go to the longer chain, then to the
    chain that sorts first. Tasks on dependency cycles (`skip`) are left out. The plan's own
    dependency graph is small, so it is walked directly rather than as a view of the site's.
    """
    open_tasks = {t.key: t for t in plan.tasks if t.status not in FINISHED and t.key not in skip}
    links = project.links.plans[plan.id].tasks
    deps: dict[Key, list[Key]] = {}
    for key in open_tasks:
        deps[key] = sorted({d for d in links[key] if d in open_tasks}, key=natural_key)
    best: dict[Key, tuple[float, int, tuple[Key, ...]]] = {}
    order = sorted(open_tasks, key=natural_key)
    pending = list(reversed(order))
    while pending:
        node = pending[-1]
        waiting = [d for d in deps[node] if d not in best]
        if waiting:
            pending.extend(reversed(waiting))
            continue
        pending.pop()
        if node in best:
            continue
        days = open_tasks[node].days or 0.0
        choice: tuple[float, int, tuple[Key, ...]] = (days, 1, (node,))
        for dep in deps[node]:
            d_days, d_len, d_path = best[dep]
            if (d_days + days, d_len + 1) > choice[:2]:
                choice = (d_days + days, d_len + 1, (*d_path, node))
        best[node] = choice
    top: tuple[float, int, tuple[Key, ...]] = (-1.0, 0, ())
    for node in order:
        if best[node][:2] > top[:2]:
            top = best[node]
    return top[2]


def topological(graph: nx.DiGraph, skip: set[Hashable]) -> tuple[str, ...]:
    """Nodes ordered so that each comes after what it points to; cycle members last, sorted."""
    import networkx as nx

    acyclic = graph.subgraph(n for n in graph if n not in skip)
    order = list(nx.lexicographical_topological_sort(acyclic.reverse(copy=False), key=natural_key))
    rest = sorted((str(n) for n in skip), key=natural_key)
    return tuple(str(n) for n in order) + tuple(rest)
