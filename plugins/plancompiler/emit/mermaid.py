"""Mermaid sources for the graphs: a plan's phases and gates, each phase's tasks, and gates.

A plan's graph is drawn as one overview (phases and the gates they wait on) and one graph
per phase, rather than every task at once: Mermaid fits a diagram into the page's column,
and thirty tasks in one diagram came out with labels a few pixels tall.

Node ids are generated (`t0`, `g3`); user text appears only inside quoted labels, written
with `escape.mermaid_label`, so no plan can add a `click`, a link or a directive.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from plancompiler.analyse.graphs import natural_key
from plancompiler.emit.escape import mermaid_label
from plancompiler.model import Key, Phase, Plan, Project, Task
from plancompiler.vocabulary import CLEARED, FINISHED, GateStatus, TaskStatus

if TYPE_CHECKING:
    from plancompiler.emit.plan_view import OtherTask, PlanPageView

# States are drawn as borders (and named in the labels): mkdocs-material themes the node
# fill and label colour for its light and dark palettes, so fills of our own would be
# unreadable in one of them.
_STATE_STYLES = {
    GateStatus.PASSED: "stroke:#2e7d32,stroke-width:3px",
    GateStatus.OPEN: "stroke:#f9a825,stroke-width:3px,stroke-dasharray:6 3",
    GateStatus.WAIVED: "stroke:#1565c0,stroke-width:3px,stroke-dasharray:2 2",
    GateStatus.BLOCKED: "stroke:#c62828,stroke-width:3px",
}
_CLASSES = (
    "  classDef done stroke:#2e7d32,stroke-width:2px",
    "  classDef held stroke:#f9a825,stroke-width:3px,stroke-dasharray:6 3",
    "  classDef cancelled stroke:#9e9e9e,stroke-dasharray:4 3",
    "  classDef critical stroke:#c62828,stroke-width:4px",
    "  classDef external stroke:#9e9e9e,stroke-dasharray:4 3",
)
_CRITICAL_EDGE = "stroke:#c62828,stroke-width:4px"
_TASK_MARK = {TaskStatus.DONE: " ✓", TaskStatus.CANCELLED: " (cancelled)"}


def block(source: str) -> str:
    """A Mermaid diagram as raw HTML that mkdocs-material renders (no fence config needed),
    in a box that plans.js gives a button to open it full size."""
    return f'<div class="plans-graph"><pre class="mermaid"><code>{html.escape(source, quote=False)}</code></pre></div>'


# Narrower nodes and less room between them than Mermaid's defaults: the page's column is
# about 750 px wide at a 1280-px window, and a diagram is shrunk to 75% at the most.
CONFIG = "---\nconfig:\n  flowchart:\n    wrappingWidth: 130\n    nodeSpacing: 25\n    rankSpacing: 30\n---\n"
# Ranks of more nodes than this are laid out across rather than down (see `_Diagram.source`).
_WIDEST_DOWN = 3


class _Diagram:
    """Nodes and edges of one flowchart; edges on the critical path are drawn thicker, in red
    (Mermaid styles an edge by its position among the diagram's edges)."""

    def __init__(self, direction: str | None = None) -> None:
        self.direction = direction
        self.nodes: list[str] = []
        self.lines: list[str] = []
        self.edges: list[tuple[str, str, str, bool]] = []
        self.classes: dict[str, list[str]] = {}

    def node(self, node: str, label: str, shape: str = '["{}"]', css: str | None = None, lines: int = 0) -> None:
        """A node; `label` is text, or with `lines`, that many texts joined by `<br>`."""
        text = "<br>".join(map(mermaid_label, label.split("\n"))) if lines else mermaid_label(label)
        self.nodes.append(node)
        self.lines.append(f"  {node}{shape.format(text)}")
        if css:
            self.classes.setdefault(css, []).append(node)

    def edge(self, source: str, target: str, arrow: str = "-->", critical: bool = False) -> None:
        """An arrow; `critical` when it joins two steps of the critical path."""
        self.edges.append((source, target, arrow, critical))

    def _across(self, order: Sequence[str]) -> bool:
        """Whether the diagram is narrower laid out from left to right: when its widest rank
        (nodes at the same depth, side by side top to bottom) holds more than `_WIDEST_DOWN`
        nodes and at least as many as it has ranks."""
        after: dict[str, list[str]] = {n: [] for n in self.nodes}
        waiting: dict[str, int] = dict.fromkeys(self.nodes, 0)
        for source, target in (*((e[0], e[1]) for e in self.edges), *zip(order, order[1:])):
            after.setdefault(source, []).append(target)
            waiting[target] = waiting.get(target, 0) + 1
            waiting.setdefault(source, 0)
        # Depth by longest path from a node nothing comes before (Kahn's order); nodes on a
        # cycle, which a diagnostic reports, keep no depth.
        depth = dict.fromkeys((n for n, count in waiting.items() if count == 0), 0)
        ready = list(depth)
        while ready:
            node = ready.pop()
            for later in after.get(node, ()):
                depth[later] = max(depth.get(later, 0), depth[node] + 1)
                waiting[later] -= 1
                if waiting[later] == 0:
                    ready.append(later)
        sizes: dict[int, int] = {}
        for level in depth.values():
            sizes[level] = sizes.get(level, 0) + 1
        widest = max(sizes.values(), default=0)
        return widest > _WIDEST_DOWN and widest >= len(sizes)

    def source(self, order: Sequence[str] = (), styles: Iterable[str] = ()) -> str:
        """The diagram's text; `order` are nodes to keep one after the other (invisible links,
        which Mermaid counts among the edges, so they come last)."""
        direction = self.direction or ("LR" if self._across(order) else "TB")
        lines = [f"{CONFIG}flowchart {direction}", *self.lines]
        unique = sorted(set(self.edges), key=lambda e: (natural_key(e[0]), natural_key(e[1]), e[2]))
        lines += [f"  {source} {arrow} {target}" for source, target, arrow, _ in unique]
        if len(order) > 1:
            lines.append("  " + " ~~~ ".join(order))
        critical = [str(i) for i, edge in enumerate(unique) if edge[3]]
        if critical:
            lines.append(f"  linkStyle {','.join(critical)} {_CRITICAL_EDGE}")
        lines += [*_CLASSES, *styles]
        lines += [f"  class {','.join(nodes)} {css}" for css, nodes in self.classes.items()]
        return "\n".join(lines)


def _critical_pairs(project: Project, plan: Plan) -> set[tuple[str, str]]:
    """Edges of the critical path as (earlier task key, later task key)."""
    path = project.analysis.critical_paths.get(plan.id, ())
    return set(zip(path, path[1:]))


def phase_graph(view: PlanPageView, phase: Phase) -> str | None:
    """The tasks of one phase of the plan of `view` and what they depend on; tasks of other
    phases and plans as dashed nodes named by id. None when the phase has no dependency to draw."""
    path = view.critical_path
    others = view.other_tasks()
    return _task_diagram(
        phase.tasks,
        lambda task: (key for _, key in view.dependencies(task.key, task.depends_on)),
        others.__getitem__,
        (set(path), set(zip(path, path[1:]))),
        view.plan.id,
    )


def task_graph(project: Project, tasks: Sequence[Task], home: str | None = None) -> str | None:
    """`tasks` and what they depend on, critical paths in red; tasks outside the set as dashed
    nodes, named by local id when they are of the plan `home`, else by qualified id (as are
    the set's own tasks without a `home`). None when there is no dependency to draw."""
    critical: set[Key] = set()
    pairs: set[tuple[str, str]] = set()
    for plan_id in dict.fromkeys(t.plan for t in tasks):
        critical.update(project.analysis.critical_paths.get(plan_id, ()))
        pairs |= _critical_pairs(project, project.plans[plan_id])
    return _task_diagram(
        tasks,
        lambda task: (key for _, key in project.dependencies(task)),
        project.tasks.__getitem__,
        (critical, pairs),
        home,
    )


def _task_diagram(
    tasks: Sequence[Task],
    depends_on: Callable[[Task], Iterable[Key | None]],
    task_of: Callable[[Key], Task | OtherTask],
    critical: tuple[set[Key], set[tuple[str, str]]],
    home: str | None,
) -> str | None:
    """The graph of `tasks` (see `task_graph`): `depends_on` gives the keys a task's
    `depends_on:` names, `task_of` a task outside the set by key, and `critical` the keys
    and edges of the critical paths."""
    on_path, pairs = critical
    diagram = _Diagram()
    ids: dict[Key, str] = {}
    for task in tasks:
        node = ids[task.key] = f"t{len(ids)}"
        css = "critical" if task.key in on_path else task.status if task.status in FINISHED else None
        name = task.id if home is not None else task.key
        diagram.node(node, f"{name} {task.title}{_TASK_MARK.get(task.status, '')}", css=css)
    outside: dict[Key, str] = {}
    for task in tasks:
        for key in depends_on(task):
            if key is None:
                continue  # dangling: reported as a diagnostic, not drawn
            if key not in ids and key not in outside:
                found = task_of(key)
                outside[key] = f"x{len(outside)}"
                label = found.id if found.plan == home else key
                diagram.node(outside[key], label + _TASK_MARK.get(found.status, ""), css="external")
            source = ids.get(key) or outside[key]
            diagram.edge(source, ids[task.key], critical=(key, task.key) in pairs)
    if not diagram.edges:
        return None
    return diagram.source()


def phase_overview(view: PlanPageView) -> str:
    """The phases of the plan of `view` in reading order, each with its progress and the gates
    it waits on; phase order as arrows. A phase held by a gate that is neither passed nor
    waived is drawn dashed; the phases of the critical path, and the arrows between them, in red."""
    plan = view.plan
    diagram = _Diagram()
    gates = view.gates_by_id()
    task_phase = {t.key: t.phase for t in plan.tasks}
    critical = [task_phase[k] for k in view.critical_path if k in task_phase]
    pairs = set(zip(critical, critical[1:]))
    ids = {phase.id: f"p{i}" for i, phase in enumerate(plan.phases)}
    phase_ids = {phase.key: phase.id for phase in plan.phases}
    links = view.links
    waited: set[str] = set()
    for phase in plan.phases:
        counted = [t for t in phase.tasks if t.status is not TaskStatus.CANCELLED]
        done = sum(1 for t in counted if t.status is TaskStatus.DONE)
        finished = bool(phase.tasks) and all(t.status in FINISHED for t in phase.tasks)
        progress = "done ✓" if finished else f"{done}/{len(counted)} done" if counted else "no tasks"
        # A gate that names nothing holds the phase too, as written.
        holding = [
            ref.text
            for ref, gate_id in zip(phase.gates, links.waits_on[phase.key])
            if gate_id is None or gates[gate_id].state not in CLEARED
        ]
        held = bool(holding) and not finished
        lines = [f"{phase.id} {phase.title}", progress]
        if held:
            lines.append("waits on " + ", ".join(holding))
        node = ids[phase.id]
        css = "critical" if phase.id in critical else "held" if held else "done" if finished else None
        diagram.node(node, "\n".join(lines), css=css, lines=len(lines))
        if css == "critical" and held:
            diagram.classes.setdefault("held", []).append(node)
        for before in links.phases[phase.key]:
            if before is not None:
                before_id = phase_ids[before]
                waited.add(phase.id)
                diagram.edge(ids[before_id], node, critical=(before_id, phase.id) in pairs)
    # Left to right by dependency; a phase that depends on no other would stand beside the
    # first: it goes after the one before it instead, which keeps the file's reading order.
    order = [ids[p.id] for i, p in enumerate(plan.phases) if i == 0 or p.id not in waited]
    return diagram.source(order)


@dataclass(frozen=True, slots=True)
class GraphGate:
    """A gate as the gate graph draws it, and each gate it comes after that some plan
    declares (id and state)."""

    id: str
    title: str
    state: str
    after: tuple[tuple[str, str], ...]


def gate_graph_view(project: Project, gate_ids: Sequence[str] | None = None) -> tuple[GraphGate, ...]:
    """What the graph of `gate_ids` (default: every gate, in `after:` order) draws."""
    chosen = list(gate_ids) if gate_ids is not None else list(project.analysis.gate_order)
    states = project.analysis.gate_states
    found = []
    for gid in chosen:
        gate = project.gates[gid]
        # A gate of `after:` that names none is reported as a diagnostic, not drawn.
        after = tuple((b, states[b].state) for b in project.links.gates[gid].after if b is not None)
        found.append(GraphGate(gid, gate.title, states[gid].state, after))
    return tuple(found)


def gate_graph(project: Project, gate_ids: Sequence[str] | None = None) -> str | None:
    """Gates in `after:` order, coloured by derived state; gates of other plans that these come
    after are drawn dashed, named by id. None when no gate comes after another."""
    return draw_gate_graph(gate_graph_view(project, gate_ids))


def draw_gate_graph(gates: Sequence[GraphGate]) -> str | None:
    """The graph of `gates` (see `gate_graph`), from what it draws."""
    diagram = _Diagram()
    ids = {gate.id: f"g{i}" for i, gate in enumerate(gates)}
    for gate in gates:
        diagram.node(ids[gate.id], f"{gate.id} {gate.title} · {gate.state}", css=gate.state)
    outside: dict[str, str] = {}
    for gate in gates:
        for before, state in gate.after:
            if before not in ids and before not in outside:
                outside[before] = f"x{len(outside)}"
                diagram.node(outside[before], f"{before} · {state}", css="external")
            diagram.edge(ids.get(before) or outside[before], ids[gate.id])
    if not diagram.edges:
        return None
    return diagram.source((), (f"  classDef {state} {style}" for state, style in _STATE_STYLES.items()))
