"""The machine-readable export (`plans.json`): the whole compiled model and its diagnostics.

Described by `schemas/export.schema.json`. Output is deterministic: keys sorted, lists in
the model's order, so two builds of the same input give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from plancompiler.diagnostics import Diagnostic
from plancompiler.emit.plan_page import progress
from plancompiler.model import Plan, Project, Ref

EXPORT_VERSION = 1


def _ref_text(ref: Ref | None) -> str | None:
    return ref.text if ref is not None else None


def _refs(refs: Sequence[Ref]) -> list[str]:
    return [r.text for r in refs]


def _plan(project: Project, plan: Plan) -> dict[str, Any]:
    done, total, done_days, total_days = progress(plan)
    analysis = project.analysis
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


def export_model(project: Project, diagnostics: Sequence[Diagnostic]) -> dict[str, Any]:
    """The export as plain JSON-ready data."""
    analysis = project.analysis
    return {
        "format": "plancompiler-export",
        "version": EXPORT_VERSION,
        "plans": [_plan(project, p) for p in project.plans.values()],
        "adrs": [
            {
                "id": a.id,
                "title": a.title,
                "source": a.rel,
                "status": a.status,
                "raw_status": a.raw_status,
                "date": a.date,
                "deciders": list(a.deciders),
                "supersedes": _refs(a.supersedes),
                "superseded_by": a.superseded_by.text if a.superseded_by else None,
                "referenced_by": list(analysis.referenced_by.get(f"adr:{a.id}", ())),
            }
            for a in project.adrs.values()
        ],
        "gates": [
            {
                "id": gid,
                "title": project.gates[gid].title,
                "plan": project.gates[gid].plan,
                "adr": _ref_text(project.gates[gid].adr),
                "after": _refs(project.gates[gid].after),
                "waived": project.gates[gid].waived,
                "reason": project.gates[gid].reason,
                "state": analysis.gate_states[gid].state,
                "why": analysis.gate_states[gid].why,
                "phases_waiting": list(analysis.phases_waiting.get(gid, ())),
            }
            for gid in analysis.gate_order
        ],
        "diagnostics": [d.to_dict() for d in diagnostics],
    }


def export_json(project: Project, diagnostics: Sequence[Diagnostic]) -> str:
    return json.dumps(export_model(project, diagnostics), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
