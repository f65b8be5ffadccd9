"""Mermaid sources for the dependency and gate graphs.

Node ids are generated (`t0`, `g3`); user text appears only inside quoted labels, written
with `escape.mermaid_label`, so no plan can add a `click`, a link or a directive.
"""

from __future__ import annotations

import html

from plancompiler.analyse.graphs import natural_key
from plancompiler.emit.escape import mermaid_label
from plancompiler.ids import split_ref
from plancompiler.model import Plan, Project

# States are drawn as borders (and named in the labels): mkdocs-material themes the node
# fill and label colour for its light and dark palettes, so fills of our own would be
# unreadable in one of them.
_STATE_STYLES = {
    "passed": "stroke:#2e7d32,stroke-width:3px",
    "open": "stroke:#f9a825,stroke-width:3px,stroke-dasharray:6 3",
    "waived": "stroke:#1565c0,stroke-width:3px,stroke-dasharray:2 2",
    "blocked": "stroke:#c62828,stroke-width:3px",
}
_TASK_MARK = {"done": " ✓", "cancelled": " (cancelled)"}


def block(source: str) -> str:
    """A Mermaid diagram as raw HTML that mkdocs-material renders (no fence config needed)."""
    return f'<pre class="mermaid"><code>{html.escape(source, quote=False)}</code></pre>'


def task_graph(plan: Plan, project: Project) -> str:
    """Tasks grouped by phase; dependencies as arrows; done tasks and the critical path styled."""
    ids: dict[str, str] = {}
    lines = ["flowchart TB"]
    for p_index, phase in enumerate(plan.phases):
        lines.append(f'  subgraph ph{p_index}["{mermaid_label(f"{phase.id} · {phase.title}")}"]')
        for task in phase.tasks:
            node = f"t{len(ids)}"
            ids[task.key] = node
            label = f"{task.id} {task.title}{_TASK_MARK.get(task.status, '')}"
            lines.append(f'    {node}["{mermaid_label(label)}"]')
        lines.append("  end")
    external: dict[str, str] = {}
    edges = []
    for task in plan.tasks:
        for ref in task.depends_on:
            other, local = split_ref(ref.text)
            key = f"{other or plan.id}/{local}"
            if key not in ids:
                if not project.has_task(key):
                    continue
                if key not in external:
                    external[key] = f"x{len(external)}"
                    lines.append(f'  {external[key]}["{mermaid_label(key)}"]:::external')
                source = external[key]
            else:
                source = ids[key]
            edges.append(f"  {source} --> {ids[task.key]}")
    lines += sorted(set(edges), key=natural_key)
    # Phases one under the other: without this, dagre puts every phase without a direct
    # dependency side by side and the diagram is scaled down until it cannot be read.
    if len(plan.phases) > 1:
        lines.append("  " + " ~~~ ".join(f"ph{i}" for i in range(len(plan.phases))))
    done = [ids[t.key] for t in plan.tasks if t.status == "done"]
    cancelled = [ids[t.key] for t in plan.tasks if t.status == "cancelled"]
    critical = [ids[k] for k in project.analysis.critical_paths.get(plan.id, ()) if k in ids]
    lines += [
        "  classDef done stroke:#2e7d32,stroke-width:2px",
        "  classDef cancelled stroke:#9e9e9e,stroke-dasharray:4 3",
        "  classDef critical stroke:#c62828,stroke-width:4px",
        "  classDef external stroke:#9e9e9e,stroke-dasharray:4 3",
    ]
    for name, nodes in (("done", done), ("cancelled", cancelled), ("critical", critical)):
        if nodes:
            lines.append(f"  class {','.join(nodes)} {name}")
    return "\n".join(lines)


def gate_graph(project: Project, gate_ids: list[str] | None = None) -> str:
    """Gates in `after:` order, coloured by derived state."""
    chosen = gate_ids if gate_ids is not None else list(project.analysis.gate_order)
    ids = {gid: f"g{i}" for i, gid in enumerate(chosen)}
    lines = ["flowchart LR"]
    for gid in chosen:
        gate = project.gates[gid]
        state = project.analysis.gate_states[gid].state
        lines.append(f'  {ids[gid]}["{mermaid_label(f"{gid} {gate.title} · {state}")}"]:::{state}')
    for gid in chosen:
        for ref in project.gates[gid].after:
            if ref.text in ids:
                lines.append(f"  {ids[ref.text]} --> {ids[gid]}")
    lines += [f"  classDef {state} {style}" for state, style in _STATE_STYLES.items()]
    return "\n".join(lines)
