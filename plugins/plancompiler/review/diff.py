"""A semantic diff of two compiled projects: what a change does to plans, schedule and gates."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, TypeVar

from plancompiler.compiler import Result
from plancompiler.diagnostics import Diagnostic, Severity
from plancompiler.emit.escape import mermaid_label
from plancompiler.ids import natural_key
from plancompiler.model import Key, Project

Id = TypeVar("Id", bound=str)
"""An id or a key: what the diff's sections list items by."""

_LINE_NUMBERS = re.compile(r"(:\d+(?::\d+)?\b|\bline \d+)")


@dataclass
class SemanticDiff:
    """Every difference that matters to a reviewer, in a stable order."""

    base: str
    head: str
    sections: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    critical_paths: list[dict[str, Any]] = field(default_factory=list)
    forecasts: list[dict[str, Any]] = field(default_factory=list)
    introduced: list[Diagnostic] = field(default_factory=list)
    fixed: list[Diagnostic] = field(default_factory=list)
    graph: str = ""

    @property
    def introduces_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.introduced)

    @property
    def empty(self) -> bool:
        return not (
            any(any(v for v in s.values()) for s in self.sections.values())
            or self.critical_paths
            or self.forecasts
            or self.introduced
            or self.fixed
        )

    def add(self, section: str, kind: str, item: Any) -> None:
        self.sections.setdefault(section, {}).setdefault(kind, []).append(item)


def _task_edges(project: Project) -> set[tuple[Key, Key]]:
    """(depended on, dependent) for every task dependency that names a task."""
    return {
        (target, task)
        for links in project.links.plans.values()
        for task, targets in links.tasks.items()
        for target in targets
        if target is not None
    }


def _diag_key(d: Diagnostic) -> tuple[str, str, str]:
    return (d.code, d.path, _LINE_NUMBERS.sub("", d.message))


def _renames(removed: dict[Id, str], added: dict[Id, str]) -> list[tuple[Id, Id]]:
    """Pairs (old id, new id) of removed and added items with the same title."""
    pairs = []
    by_title: dict[str, Id] = {}
    for added_id, title in sorted(added.items(), key=lambda kv: natural_key(kv[0])):
        by_title.setdefault(title, added_id)
    for old, title in sorted(removed.items(), key=lambda kv: natural_key(kv[0])):
        if title in by_title:
            pairs.append((old, by_title.pop(title)))
    return pairs


def _ids(diff: SemanticDiff, section: str, before: dict[Id, str], after: dict[Id, str]) -> set[Id]:
    """Report added, removed and renamed ids (titles given); return the ids in both."""
    removed = {k: v for k, v in before.items() if k not in after}
    added = {k: v for k, v in after.items() if k not in before}
    for old, new in _renames(removed, added):
        diff.add(section, "renamed", {"from": old, "to": new, "title": after[new]})
        del removed[old], added[new]
    for key in sorted(added, key=natural_key):
        diff.add(section, "added", {"id": key, "title": added[key]})
    for key in sorted(removed, key=natural_key):
        diff.add(section, "removed", {"id": key, "title": removed[key]})
    both = sorted(set(before) & set(after), key=natural_key)
    for key in both:
        if before[key] != after[key]:
            diff.add(section, "retitled", {"id": key, "from": before[key], "to": after[key]})
    return set(both)


def _status(diff: SemanticDiff, section: str, ids: set[Id], before: dict[Id, str], after: dict[Id, str]) -> None:
    for key in sorted(ids, key=natural_key):
        if before[key] != after[key]:
            diff.add(section, "status", {"id": key, "from": before[key], "to": after[key]})


def semantic_diff(base: Result, head: Result, base_name: str, head_name: str) -> SemanticDiff:
    """Compare two compilations of the same project at two revisions."""
    diff = SemanticDiff(base_name, head_name)
    b, h = base.project, head.project

    # Plans: a plan whose id changed but whose file stayed is renamed.
    b_paths = {p.rel: p.id for p in b.plans.values()}
    for plan in h.plans.values():
        old = b_paths.get(plan.rel)
        if old and old != plan.id and old not in h.plans:
            diff.add("plans", "renamed", {"from": old, "to": plan.id, "title": plan.title})
    renamed_plans = {r["from"]: r["to"] for r in diff.sections.get("plans", {}).get("renamed", [])}
    for pid in sorted(set(h.plans) - set(b.plans) - set(renamed_plans.values())):
        diff.add("plans", "added", {"id": pid, "title": h.plans[pid].title})
    for pid in sorted(set(b.plans) - set(h.plans) - set(renamed_plans)):
        diff.add("plans", "removed", {"id": pid, "title": b.plans[pid].title})
    common = sorted(set(b.plans) & set(h.plans))
    _status(diff, "plans", set(common), {k: b.plans[k].status for k in common}, {k: h.plans[k].status for k in common})

    def phases(project: Project) -> dict[Key, str]:
        return {ph.key: ph.title for pid in common for ph in project.plans[pid].phases}

    def tasks(project: Project) -> dict[Key, str]:
        return {t.key: t.title for pid in common for t in project.plans[pid].tasks}

    _ids(diff, "phases", phases(b), phases(h))
    both = _ids(diff, "tasks", tasks(b), tasks(h))
    b_tasks = {t.key: t for p in b.plans.values() for t in p.tasks}
    h_tasks = {t.key: t for p in h.plans.values() for t in p.tasks}
    _status(diff, "tasks", both, {k: b_tasks[k].status for k in both}, {k: h_tasks[k].status for k in both})
    for key in sorted(both, key=natural_key):
        if b_tasks[key].owner != h_tasks[key].owner:
            diff.add("tasks", "owner", {"id": key, "from": b_tasks[key].owner, "to": h_tasks[key].owner})
        if b_tasks[key].estimate != h_tasks[key].estimate:
            diff.add("tasks", "estimate", {"id": key, "from": b_tasks[key].estimate, "to": h_tasks[key].estimate})

    # A task on both sides shows the dependencies it gained and lost; an added task all of its
    # own, a removed one all it had.
    in_base = both | _task_ids(diff, "removed")
    in_head = both | _task_ids(diff, "added")
    b_edges = {e for e in _task_edges(b) if e[1] in in_base}
    h_edges = {e for e in _task_edges(h) if e[1] in in_head}
    for edge in sorted(h_edges - b_edges, key=lambda e: (natural_key(e[1]), natural_key(e[0]))):
        diff.add("dependencies", "added", {"task": edge[1], "depends_on": edge[0]})
    for edge in sorted(b_edges - h_edges, key=lambda e: (natural_key(e[1]), natural_key(e[0]))):
        diff.add("dependencies", "removed", {"task": edge[1], "depends_on": edge[0]})
    for pid in common:
        b_plans = {r.text for r in b.plans[pid].depends_on}
        h_plans = {r.text for r in h.plans[pid].depends_on}
        for other in sorted(h_plans - b_plans):
            diff.add("dependencies", "added", {"plan": pid, "depends_on": other})
        for other in sorted(b_plans - h_plans):
            diff.add("dependencies", "removed", {"plan": pid, "depends_on": other})

    gates = _ids(diff, "gates", {g: b.gates[g].title for g in b.gates}, {g: h.gates[g].title for g in h.gates})
    b_states, h_states = b.analysis.gate_states, h.analysis.gate_states
    for gid in sorted(gates, key=natural_key):
        if b_states[gid].state != h_states[gid].state:
            diff.add(
                "gates",
                "state",
                {"id": gid, "from": b_states[gid].state, "to": h_states[gid].state, "why": h_states[gid].why},
            )
    for gid in sorted(gates, key=natural_key):
        b_after = {r.text for r in b.gates[gid].after}
        h_after = {r.text for r in h.gates[gid].after}
        for other in sorted(h_after - b_after, key=natural_key):
            diff.add("dependencies", "added", {"gate": gid, "after": other})
        for other in sorted(b_after - h_after, key=natural_key):
            diff.add("dependencies", "removed", {"gate": gid, "after": other})

    adrs = _ids(diff, "adrs", {a: b.adrs[a].title for a in b.adrs}, {a: h.adrs[a].title for a in h.adrs})
    _status(
        diff,
        "adrs",
        adrs,
        {a: b.adrs[a].raw_status or "none" for a in adrs},
        {a: h.adrs[a].raw_status or "none" for a in adrs},
    )

    for pid in common:
        before = b.analysis.critical_paths.get(pid, ())
        after = h.analysis.critical_paths.get(pid, ())
        if before != after:
            diff.critical_paths.append(
                {
                    "plan": pid,
                    "before": list(before),
                    "after": list(after),
                    "before_days": _days(b, before),
                    "after_days": _days(h, after),
                }
            )

    diff.forecasts = _forecasts(b, h, common)

    b_diags = {_diag_key(d): d for d in base.diagnostics}
    h_diags = {_diag_key(d): d for d in head.diagnostics}
    diff.introduced = [d for k, d in h_diags.items() if k not in b_diags]
    diff.fixed = [d for k, d in b_diags.items() if k not in h_diags]
    diff.graph = _changed_graph(diff, b, h, b_edges, h_edges)
    return diff


def _task_ids(diff: SemanticDiff, kind: str) -> set[Key]:
    """The tasks the diff lists as `added` or `removed`."""
    return {item["id"] for item in diff.sections.get("tasks", {}).get(kind, [])}


def _forecasts(b: Project, h: Project, common: list[str]) -> list[dict[str, Any]]:
    """Plans whose forecast finish moved, or became known or unknown."""
    found: list[dict[str, Any]] = []
    if b.schedule is None or h.schedule is None:
        return found
    calendar = h.schedule.calendar
    for pid in common:
        before, after = b.schedule.plans.get(pid), h.schedule.plans.get(pid)
        if before is None or after is None or (before.finish, before.waits) == (after.finish, after.waits):
            continue
        moved = None
        if before.finish and after.finish:
            moved = calendar.index(after.finish) - calendar.index(before.finish)
        due = h.plans[pid].due
        found.append(
            {
                "plan": pid,
                "from": before.finish.isoformat() if before.finish else None,
                "to": after.finish.isoformat() if after.finish else None,
                "working_days": moved,
                "waits_on": list(after.waits),
                "due": due.date.isoformat() if due else None,
                "late_days": after.late,
            }
        )
    return found


def forecast_line(change: dict[str, Any]) -> str:
    """`forecast moved from 2026-12-08 to 2026-12-15 (5 working days later)`, and the like."""
    before, after = change["from"], change["to"]
    if after is None:
        waits = ", ".join(change["waits_on"])
        text = f"forecast {'was ' + before + ', now ' if before else ''}unknown" + (
            f": waits on {waits}" if waits else ""
        )
        return text if waits or before else "nothing left to forecast"
    if before is None:
        text = f"forecast set to {after}"
    else:
        moved = change["working_days"]
        way = "later" if moved > 0 else "sooner"
        count = abs(moved)
        shown = f" ({count} working day{'s' if count != 1 else ''} {way})" if moved else ""
        text = f"forecast moved from {before} to {after}{shown}"
    late = change.get("late_days")
    if change.get("due") and late is not None and late > 0:
        text += f"; due {change['due']}, {late:g} working day{'s' if late != 1 else ''} late"
    return text


def _days(project: Project, path: tuple[Key, ...]) -> float:
    return sum((t.days or 0) for k in path if (t := project.tasks.get(k)) is not None)


def _changed_graph(
    diff: SemanticDiff, b: Project, h: Project, b_edges: set[tuple[Key, Key]], h_edges: set[tuple[Key, Key]]
) -> str:
    """A Mermaid graph of the tasks the change touches: added edges thick, removed dashed."""
    touched: set[Key] = set()
    for kind, items in diff.sections.get("tasks", {}).items():
        for item in items:
            # Keys of tasks: each item's `id`; `from` and `to` are keys only where a task was
            # renamed (elsewhere they are titles, statuses, owners or estimates).
            touched.update(item[k] for k in (("from", "to") if kind == "renamed" else ("id",)))
    for kind in ("added", "removed"):
        for item in diff.sections.get("dependencies", {}).get(kind, []):
            if "task" in item:
                touched.update((item["task"], item["depends_on"]))
    if not touched:
        return ""
    nodes = {key: f"n{i}" for i, key in enumerate(sorted(touched, key=natural_key))}
    added = _task_ids(diff, "added")
    lines = ["flowchart LR"]
    for key, node in nodes.items():
        task = h.tasks.get(key) or b.tasks.get(key)
        title = task.title if task else ""
        status = task.status if task else "removed"
        if key not in h.tasks:
            status = "removed"
        look = "added" if key in added else status.replace("-", "")
        lines.append(f'  {node}["{mermaid_label(f"{key} {title} · {status}")}"]:::{look}')
    styles = []
    index = 0
    for source, target in sorted(b_edges | h_edges, key=lambda e: (natural_key(e[0]), natural_key(e[1]))):
        if source not in nodes or target not in nodes:
            continue
        if (source, target) in h_edges and (source, target) not in b_edges:
            lines.append(f"  {nodes[source]} ==> {nodes[target]}")
            styles.append(f"  linkStyle {index} stroke:#2e7d32,stroke-width:3px")
        elif (source, target) not in h_edges:
            lines.append(f"  {nodes[source]} -.-> {nodes[target]}")
            styles.append(f"  linkStyle {index} stroke:#c62828")
        else:
            lines.append(f"  {nodes[source]} --> {nodes[target]}")
        index += 1
    lines += styles
    # Borders, not fills: the comment is read in light and dark themes alike.
    lines += [
        "  classDef done stroke:#2e7d32,stroke-width:2px",
        "  classDef removed stroke:#c62828,stroke-width:2px,stroke-dasharray:4 3",
        "  classDef added stroke:#1565c0,stroke-width:3px",
        "  classDef inprogress stroke:#f9a825,stroke-width:2px",
    ]
    return "\n".join(lines)


# -- output ------------------------------------------------------------------------------------

_TITLES = {
    "plans": "Plans",
    "phases": "Phases",
    "tasks": "Tasks",
    "dependencies": "Dependencies",
    "gates": "Gates",
    "adrs": "ADRs",
}


def _md(value: Any) -> str:
    return "`" + str(value).replace("`", "'") + "`"


def _line(section: str, kind: str, item: dict[str, Any]) -> str:
    if kind == "added" and section == "dependencies":
        what = item.get("task") or item.get("plan") or item.get("gate")
        on = item.get("depends_on") or item.get("after")
        verb = "now comes after" if "gate" in item else "now depends on"
        return f"{_md(what)} {verb} {_md(on)}"
    if kind == "removed" and section == "dependencies":
        what = item.get("task") or item.get("plan") or item.get("gate")
        on = item.get("depends_on") or item.get("after")
        verb = "no longer comes after" if "gate" in item else "no longer depends on"
        return f"{_md(what)} {verb} {_md(on)}"
    if kind in ("added", "removed"):
        return f"{kind}: {_md(item['id'])} {item['title']}"
    if kind == "renamed":
        return f"renamed: {_md(item['from'])} → {_md(item['to'])} ({item['title']})"
    if kind == "retitled":
        return f"{_md(item['id'])} retitled: “{item['from']}” → “{item['to']}”"
    if kind == "state":
        return f"{_md(item['id'])} {item['from']} → **{item['to']}** ({item['why']})"
    return f"{_md(item['id'])} {kind}: {item['from'] or '—'} → **{item['to'] or '—'}**"


def as_markdown(diff: SemanticDiff) -> str:
    """A pull-request comment: what changed, the critical paths, the gates, the diagnostics."""
    out = [f"## Plan changes: {diff.base} → {diff.head}", ""]
    if diff.empty:
        out.append("No change to plans, tasks, gates, ADRs or diagnostics.")
        return "\n".join(out) + "\n"
    for section, title in _TITLES.items():
        kinds = diff.sections.get(section)
        if not kinds:
            continue
        out += [f"### {title}", ""]
        for kind in ("renamed", "added", "removed", "retitled", "status", "state", "owner", "estimate"):
            for item in kinds.get(kind, []):
                out.append(f"- {_line(section, kind, item)}")
        out.append("")
    if diff.critical_paths:
        out += ["### Critical path", ""]
        for change in diff.critical_paths:
            before = " → ".join(change["before"]) or "none"
            after = " → ".join(change["after"]) or "none"
            out += [
                f"- {_md(change['plan'])}: {change['before_days']:g}d → **{change['after_days']:g}d**",
                f"  - before: {before}",
                f"  - after: {after}",
            ]
        out.append("")
    if diff.forecasts:
        out += ["### Forecast", ""]
        for change in diff.forecasts:
            out.append(f"- {_md(change['plan'])}: {forecast_line(change)}")
        out.append("")
    if diff.graph:
        out += ["### Changed part of the task graph", "", "```mermaid", diff.graph, "```", ""]
    if diff.introduced or diff.fixed:
        out += ["### Diagnostics", ""]
        for d in diff.introduced:
            out.append(f"- introduced: `{d.path}:{d.line}:{d.col}` **{d.code}** {d.severity.value}: {d.message}")
        for d in diff.fixed:
            out.append(f"- fixed: `{d.path}` {d.code}: {d.message}")
        out.append("")
    verdict = "introduces errors" if diff.introduces_errors else "introduces no errors"
    out.append(f"This change {verdict}.")
    return "\n".join(out) + "\n"


def as_json(diff: SemanticDiff) -> str:
    payload = {
        "base": diff.base,
        "head": diff.head,
        "changes": diff.sections,
        "critical_paths": diff.critical_paths,
        "forecasts": diff.forecasts,
        "diagnostics": {
            "introduced": [d.to_dict() for d in diff.introduced],
            "fixed": [d.to_dict() for d in diff.fixed],
        },
        "introduces_errors": diff.introduces_errors,
        "graph": diff.graph,
    }
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
