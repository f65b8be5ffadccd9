"""The machine-readable export (`plans.json`): the whole compiled model and its diagnostics.

Described by `schemas/export.schema.json`. Output is deterministic: keys sorted, lists in
the model's order, so two builds of the same input give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from plancompiler.diagnostics import Diagnostic
from plancompiler.emit.memo import Memo
from plancompiler.emit.plan_page import progress
from plancompiler.model import Adr, Analysis, Plan, Project, Ref

EXPORT_VERSION = 1


def _ref_text(ref: Ref | None) -> str | None:
    return ref.text if ref is not None else None


def _refs(refs: Sequence[Ref]) -> list[str]:
    return [r.text for r in refs]


def _plan(plan: Plan, analysis: Analysis) -> dict[str, Any]:
    done, total, done_days, total_days = progress(plan)
    return {
        "id": plan.id,
        "title": plan.title,
        "status": plan.status,
        "source": plan.rel,
        "owner": plan.owner,
        "version": plan.version,
        "complexity": plan.complexity,
        "updated": plan.updated,
        "depends_on": _refs(plan.depends_on),
        "progress": {"done": done, "total": total, "done_days": done_days, "total_days": total_days},
        "gates": [g.id for g in plan.gates],
        "phases": [
            {
                "id": ph.id,
                "title": ph.title,
                "goal": ph.goal,
                "duration": ph.duration,
                "gates": _refs(ph.gates),
                "depends_on": _refs(ph.depends_on),
                "deliverables": list(ph.deliverables),
                "exit_criteria": list(ph.exit_criteria),
                "tasks": [
                    {
                        "id": t.id,
                        "title": t.title,
                        "status": t.status,
                        "owner": t.owner,
                        "estimate": t.estimate,
                        "days": t.days,
                        "depends_on": _refs(t.depends_on),
                    }
                    for t in ph.tasks
                ],
            }
            for ph in plan.phases
        ],
        "risks": [
            {
                "id": r.id,
                "title": r.title,
                "likelihood": r.likelihood,
                "impact": r.impact,
                "mitigation": r.mitigation,
                "owner": r.owner,
            }
            for r in plan.risks
        ],
        "success_metrics": [
            {
                "id": m.id,
                "category": m.category,
                "metric": m.metric,
                "target": m.target,
                "baseline": m.baseline,
            }
            for m in plan.metrics
        ],
        "rollback": (
            {"triggers": list(plan.rollback.triggers), "steps": list(plan.rollback.steps)} if plan.rollback else None
        ),
        "critical_path": list(analysis.critical_paths.get(plan.id, ())),
        "ready_tasks": list(analysis.ready_tasks.get(plan.id, ())),
        "referenced_by": list(analysis.referenced_by.get(f"plan:{plan.id}", ())),
    }


def _adr(adr: Adr, analysis: Analysis) -> dict[str, Any]:
    return {
        "id": adr.id,
        "title": adr.title,
        "source": adr.rel,
        "status": adr.status,
        "raw_status": adr.raw_status,
        "date": adr.date,
        "deciders": list(adr.deciders),
        "supersedes": _refs(adr.supersedes),
        "superseded_by": adr.superseded_by.text if adr.superseded_by else None,
        "referenced_by": list(analysis.referenced_by.get(f"adr:{adr.id}", ())),
    }


def _gate(project: Project, gid: str) -> dict[str, Any]:
    gate, state = project.gates[gid], project.analysis.gate_states[gid]
    return {
        "id": gid,
        "title": gate.title,
        "plan": gate.plan,
        "adr": _ref_text(gate.adr),
        "after": _refs(gate.after),
        "waived": gate.waived,
        "reason": gate.reason,
        "state": state.state,
        "why": state.why,
        "phases_waiting": list(project.analysis.phases_waiting.get(gid, ())),
    }


def export_model(project: Project, diagnostics: Sequence[Diagnostic]) -> dict[str, Any]:
    """The export as plain JSON-ready data."""
    return {
        "format": "plancompiler-export",
        "version": EXPORT_VERSION,
        "plans": [_plan(p, project.analysis) for p in project.plans.values()],
        "adrs": [_adr(a, project.analysis) for a in project.adrs.values()],
        "gates": [_gate(project, gid) for gid in project.analysis.gate_order],
        "diagnostics": [d.to_dict() for d in diagnostics],
    }


def export_json(project: Project, diagnostics: Sequence[Diagnostic], memo: Memo | None = None) -> str:
    """`export_model` as JSON text: sorted keys, two-space indent.

    Written entry by entry, so that with a `memo` a rebuild serialises again only the plans,
    ADRs, gates and diagnostics whose inputs changed; the text is the same as one
    `json.dumps` of the whole model (a test holds the two together).
    """
    memo = memo if memo is not None else Memo()
    analysis = project.analysis
    plans = memo.each(
        ("export", "plans"),
        (
            (
                pid,
                (
                    plan,
                    analysis.critical_paths.get(pid),
                    analysis.ready_tasks.get(pid),
                    analysis.referenced_by.get(f"plan:{pid}"),
                ),
            )
            for pid, plan in project.plans.items()
        ),
        lambda pid: _entry(_plan(project.plans[pid], analysis)),
    )
    adrs = memo.each(
        ("export", "adrs"),
        ((aid, (adr, analysis.referenced_by.get(f"adr:{aid}"))) for aid, adr in project.adrs.items()),
        lambda aid: _entry(_adr(project.adrs[aid], analysis)),
    )
    gates = memo.each(
        ("export", "gates"),
        (
            (gid, (project.gates[gid], analysis.gate_states[gid], analysis.phases_waiting.get(gid)))
            for gid in analysis.gate_order
        ),
        lambda gid: _entry(_gate(project, gid)),
    )
    # A diagnostic is its own key: equal diagnostics give equal entries.
    found = memo.each(("export", "diagnostics"), ((d, None) for d in diagnostics), lambda d: _entry(d.to_dict()))
    members: dict[str, str | list[str]] = {
        "format": _dumps("plancompiler-export"),
        "version": _dumps(EXPORT_VERSION),
        "plans": plans,
        "adrs": adrs,
        "gates": gates,
        "diagnostics": found,
    }
    # One join for the whole text: it runs to megabytes, and each join copies it.
    parts = ["{\n"]
    for name in sorted(members):
        value = members[name]
        parts.append(f"  {_dumps(name)}: ")
        if isinstance(value, str):
            parts.append(value)
        elif value:
            entries = [",\n    "] * (2 * len(value) - 1)
            entries[::2] = value
            parts += ["[\n    ", *entries, "\n  ]"]
        else:
            parts.append("[]")
        parts.append(",\n")
    parts[-1] = "\n}\n"
    return "".join(parts)


def _entry(value: object) -> str:
    """An entry of a list that is a top-level member: two levels deep."""
    return _dumps(value).replace("\n", "\n    ")


_ENCODER = json.JSONEncoder(indent=2, sort_keys=True, ensure_ascii=False)


def _dumps(value: object) -> str:
    return _ENCODER.encode(value)
