"""The dependency graphs and what they say: cycles, orders, critical paths.

A graph is each node's edges (`Edges`), in the order its nodes and edges are declared. Most
sites have no cycle: one pass that peels off the nodes nothing points at finds that, and
networkx, which names the members of each cycle, is imported and given the graph only when
there is one (a `plans check` run whose files the disk cache holds spent a fifth of its time
importing networkx and building its graphs).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

from plancompiler.diagnostics import Reporter
from plancompiler.ids import natural_key
from plancompiler.model import Key, Loc, Plan, Project
from plancompiler.vocabulary import FINISHED

Edges = dict[Hashable, list[tuple[Hashable, Loc]]]
"""A graph as each node's edges: (the node it points at, where the reference is written)."""


def task_graph(project: Project) -> Edges:
    """Tasks as nodes (their keys); an edge from each task to each task it depends on."""
    return {
        key: [(target, ref.loc) for ref, target in project.dependencies(task) if target is not None]
        for key, task in project.tasks.items()
    }


def plan_graph(project: Project) -> Edges:
    """Plans as nodes; an edge from each plan to each plan it depends on."""
    return {
        plan.id: [
            (needed, ref.loc)
            for ref, needed in zip(plan.depends_on, project.links.plans[plan.id].depends_on)
            if needed is not None
        ]
        for plan in project.plans.values()
    }


def phase_graph(project: Project, plan: Plan) -> Edges:
    """A plan's phases as nodes (their ids); an edge from each phase to each it depends on."""
    links = project.links.plans[plan.id].phases
    graph: Edges = {}
    for phase in plan.phases:  # a phase id given twice is one node
        graph.setdefault(phase.id, []).extend(
            (project.phases[before].id, ref.loc)
            for ref, before in zip(phase.depends_on, links[phase.key])
            if before is not None
        )
    return graph


def gate_graph(project: Project) -> Edges:
    """Gates as nodes; an edge from each gate to each gate it comes after.

    Gates join the graph in the order their plans' files declare them: between ids of the
    same number (`G01`, `G1`) that order decides which comes first in the gate order.
    """
    graph: Edges = {}
    for plan in project.in_file_order():
        for gate in plan.gates:
            if project.gates.get(gate.id) is not gate:
                continue
            graph[gate.id] = [
                (before, ref.loc)
                for ref, before in zip(gate.after, project.links.gates[gate.id].after)
                if before is not None
            ]
    return graph


def _nodes(graph: Edges) -> dict[Hashable, int]:
    """Each node's place in the order networkx would hold it: a node joins when it is
    declared or when an edge first points at it."""
    order: dict[Hashable, int] = {}
    for node, targets in graph.items():
        order.setdefault(node, len(order))
        for target, _ in targets:
            order.setdefault(target, len(order))
    return order


def acyclic(graph: Edges) -> bool:
    """Whether the graph has no cycle, a node that points at itself included."""
    pointed_at = dict.fromkeys(graph, 0)  # in no particular order: only the count is asked
    for targets in graph.values():
        for target, _ in targets:
            pointed_at[target] = pointed_at.get(target, 0) + 1
    free = [node for node, count in pointed_at.items() if count == 0]
    peeled = 0
    while free:
        node = free.pop()
        peeled += 1
        for target, _ in graph.get(node, ()):
            pointed_at[target] -= 1
            if pointed_at[target] == 0:
                free.append(target)
    return peeled == len(pointed_at)


def as_networkx(graph: Edges) -> nx.DiGraph:
    """The networkx graph, its nodes and edges added in the order they are declared; each
    edge keeps where its reference is written (`loc`), the last one's where it is written twice."""
    import networkx as nx

    found = nx.DiGraph()
    for node, targets in graph.items():
        found.add_node(node)
        for target, loc in targets:
            found.add_edge(node, target, loc=loc)
    return found


def report_cycles(
    declared: Edges,
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
    on_cycles: set[Hashable] = set()
    if acyclic(declared):
        return on_cycles
    import networkx as nx

    graph = as_networkx(declared)
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


def topological(graph: Edges, skip: set[Hashable]) -> tuple[str, ...]:
    """Nodes ordered so that each comes after what it points to; cycle members last, sorted.

    Among the nodes free to come next, the first by `natural_key`, then by declaration (as
    networkx's `lexicographical_topological_sort` of the reversed graph orders them).
    """
    order = {node: place for node, place in _nodes(graph).items() if node not in skip}
    # What each node waits for (what it points to), and who waits on it, each edge once.
    waits: dict[Hashable, int] = dict.fromkeys(order, 0)
    waiting_on: dict[Hashable, list[Hashable]] = {node: [] for node in order}
    for node, targets in graph.items():
        if node in skip:
            continue
        for target in dict.fromkeys(t for t, _ in targets if t not in skip):
            waits[node] += 1
            waiting_on[target].append(node)
    free = [(natural_key(str(node)), order[node], node) for node, count in waits.items() if count == 0]
    heapq.heapify(free)
    done: list[str] = []
    while free:
        *_, node = heapq.heappop(free)
        done.append(str(node))
        for waiter in waiting_on[node]:
            waits[waiter] -= 1
            if waits[waiter] == 0:
                heapq.heappush(free, (natural_key(str(waiter)), order[waiter], waiter))
    rest = sorted((str(n) for n in skip), key=natural_key)
    return tuple(done) + tuple(rest)
