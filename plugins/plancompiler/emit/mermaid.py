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

_STATE_STYLES = {
    "passed": "fill:#2e7d32,stroke:#1b5e20,color:#ffffff",
    "open": "fill:#fff8e1,stroke:#f9a825,color:#3e2723",
    "waived": "fill:#e3f2fd,stroke:#1565c0,color:#0d47a1",
    "blocked": "fill:#ffebee,stroke:#c62828,color:#b71c1c",
}


def block(source: str) -> str:
    """A Mermaid diagram as raw HTML that mkdocs-material renders (no fence config needed)."""
    return f'<pre class="mermaid"><code>{html.escape(source, quote=False)}</code></pre>'


def task_graph(plan: Plan, project: Project) -> str:
    """Tasks grouped by phase; dependencies as arrows; done tasks and the critical path styled."""
    ids: dict[str, str] = {}
    lines = ["flowchart LR"]
    for p_index, phase in enumerate(plan.phases):
        lines.append(f'  subgraph ph{p_index}["{mermaid_label(f"{phase.id} · {phase.title}")}"]')
        for task in phase.tasks:
            node = f"t{len(ids)}"
            ids[task.key] = node
            lines.append(f'    {node}["{mermaid_label(f"{task.id} {task.title}")}"]')
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
    done = [ids[t.key] for t in plan.tasks if t.status == "done"]
    cancelled = [ids[t.key] for t in plan.tasks if t.status == "cancelled"]
    critical = [ids[k] for k in project.analysis.critical_paths.get(plan.id, ()) if k in ids]
    lines += [
        "  classDef done fill:#c8e6c9,stroke:#2e7d32,color:#1b5e20",
        "  classDef cancelled fill:#eeeeee,stroke:#9e9e9e,color:#616161,stroke-dasharray:4 3",
        "  classDef critical stroke:#c62828,stroke-width:3px",
        "  classDef external fill:#f5f5f5,stroke:#9e9e9e,color:#424242,stroke-dasharray:4 3",
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
        lines.append(f'  {ids[gid]}["{mermaid_label(f"{gid} {gate.title}")}"]:::{state}')
    for gid in chosen:
        for ref in project.gates[gid].after:
            if ref.text in ids:
                lines.append(f"  {ids[ref.text]} --> {ids[gid]}")
    lines += [f"  classDef {state} {style}" for state, style in _STATE_STYLES.items()]
    return "\n".join(lines)
