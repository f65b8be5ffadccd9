"""The machine-readable export (`plans.json`): the whole compiled model and its diagnostics.

Described by `schemas/export.schema.json`. Output is deterministic: keys sorted, lists in
the model's order, so two builds of the same input give the same bytes.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from plancompiler.analyse.calendar import WEEKDAYS
from plancompiler.analyse.forecast import Schedule, TaskDates
from plancompiler.diagnostics import Diagnostic
from plancompiler.emit.memo import Memo
from plancompiler.emit.plan_page import progress
from plancompiler.model import Adr, Analysis, Day, Links, Plan, Project, Ref

if TYPE_CHECKING:
    from plancompiler.review.history import History, PlanHistory

EXPORT_VERSION = 1


def _ref_text(ref: Ref | None) -> str | None:
    return ref.text if ref is not None else None


def _refs(refs: Sequence[Ref]) -> list[str]:
    return [r.text for r in refs]


def _day(value: Day | datetime.date | None) -> str | None:
    if value is None:
        return None
    return (value.date if isinstance(value, Day) else value).isoformat()


_UNSCHEDULED = TaskDates(None, None, None, False, ())


def _plan(
    plan: Plan, analysis: Analysis, links: Links, schedule: Schedule | None, history: PlanHistory | None
) -> dict[str, Any]:
    done, total, done_days, total_days = progress(plan)
    forecast = schedule.plans.get(plan.id) if schedule else None
    tasks = schedule.tasks if schedule else {}
    phases = schedule.phases if schedule else {}
    return {
        "id": plan.id,
        "title": plan.title,
        "status": plan.status,
        "source": plan.rel,
        "owner": plan.owner,
        "version": plan.version,
        "complexity": plan.complexity,
        "updated": plan.updated,
        "start": _day(plan.start),
        "due": _day(plan.due),
        "forecast_start": _day(forecast.start) if forecast else None,
        "forecast_finish": _day(forecast.finish) if forecast else None,
        "slip_days": forecast.late if forecast else None,
        "waits_on": list(forecast.waits) if forecast else [],
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
                "start": _day(ph.start),
                "due": _day(ph.due),
                "earliest_start": _day(span.start) if (span := phases.get(ph.key)) else None,
                "forecast_finish": _day(span.finish) if span else None,
                "waits_on": list(span.waits) if span else [],
                "deliverables": list(ph.deliverables),
                "exit_criteria": list(ph.exit_criteria),
                "tasks": [_task(t, tasks.get(t.key, _UNSCHEDULED)) for t in ph.tasks],
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
        "referenced_by": list(links.referenced_by.get(plan.key, ())),
        "history": [
            {
                "date": p.date.isoformat(),
                "commit": p.commit,
                "done_days": p.done_days,
                "scope_days": p.scope_days,
                "open_gates": p.open_gates,
            }
            for p in (history.points if history else ())
        ],
    }


def _task(task: Any, dates: TaskDates) -> dict[str, Any]:
    return {
        "id": task.id,
        "title": task.title,
        "status": task.status,
        "owner": task.owner,
        "estimate": task.estimate,
        "days": task.days,
        "depends_on": _refs(task.depends_on),
        "start": _day(task.start),
        "due": _day(task.due),
        "earliest_start": _day(dates.start),
        "earliest_finish": _day(dates.finish),
        "slack_days": round(dates.slack, 6) if dates.slack is not None else None,
        "critical": dates.critical,
        "waits_on": list(dates.waits),
    }


def _adr(adr: Adr, links: Links) -> dict[str, Any]:
    related = links.adrs[adr.id]
    return {
        "id": adr.id,
        "title": adr.title,
        "source": adr.rel,
        "status": adr.status,
        "raw_status": adr.raw_status,
        "status_note": adr.status_note,
        "date": adr.date,
        "deciders": list(adr.deciders),
        "supersedes": [link.other for link in related.relations if link.kind == "supersedes"],
        "superseded_by": related.successor,
        "relations": [
            {"type": link.kind, "label": link.label, "adr": link.other, "stated_here": link.written}
            for link in related.relations
        ],
        "referenced_by": list(links.referenced_by.get(adr.key, ())),
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
        "due": _day(gate.due),
        "expected": _day(project.schedule.gates.get(gid)) if project.schedule else None,
        "state": state.state,
        "why": state.why,
        "phases_waiting": list(project.analysis.phases_waiting.get(gid, ())),
    }


def _calendar(schedule: Schedule | None) -> dict[str, Any]:
    weekdays = schedule.calendar.weekdays if schedule else frozenset(range(5))
    holidays = schedule.calendar.holidays if schedule else ()
    return {"working_days": [WEEKDAYS[d][:3] for d in sorted(weekdays)], "holidays": [h.isoformat() for h in holidays]}


def _today(schedule: Schedule | None) -> str:
    return (schedule.today if schedule else datetime.date.today()).isoformat()


def export_model(project: Project, diagnostics: Sequence[Diagnostic], history: History | None = None) -> dict[str, Any]:
    """The export as plain JSON-ready data."""
    series = history.plans if history else {}
    return {
        "format": "plancompiler-export",
        "version": EXPORT_VERSION,
        "today": _today(project.schedule),
        "calendar": _calendar(project.schedule),
        "plans": [
            _plan(p, project.analysis, project.links, project.schedule, series.get(p.id))
            for p in project.plans.values()
        ],
        "adrs": [_adr(a, project.links) for a in project.adrs.values()],
        "gates": [_gate(project, gid) for gid in project.analysis.gate_order],
        "diagnostics": [d.to_dict() for d in diagnostics],
    }


def export_json(
    project: Project, diagnostics: Sequence[Diagnostic], memo: Memo | None = None, history: History | None = None
) -> str:
    """`export_model` as JSON text: sorted keys, two-space indent.

    Written entry by entry, so that with a `memo` a rebuild serialises again only the plans,
    ADRs, gates and diagnostics whose inputs changed; the text is the same as one
    `json.dumps` of the whole model (a test holds the two together).
    """
    memo = memo if memo is not None else Memo()
    analysis = project.analysis
    schedule = project.schedule
    series = history.plans if history else {}
    plans = memo.each(
        ("export", "plans"),
        (
            (
                pid,
                (
                    plan,
                    analysis.critical_paths.get(pid),
                    analysis.ready_tasks.get(pid),
                    project.links.referenced_by.get(plan.key),
                    schedule.about(plan) if schedule else None,
                    series.get(pid),
                ),
            )
            for pid, plan in project.plans.items()
        ),
        lambda pid: _entry(_plan(project.plans[pid], analysis, project.links, schedule, series.get(pid))),
    )
    adrs = memo.each(
        ("export", "adrs"),
        (
            (aid, (adr, project.links.referenced_by.get(adr.key), project.links.adrs[aid]))
            for aid, adr in project.adrs.items()
        ),
        lambda aid: _entry(_adr(project.adrs[aid], project.links)),
    )
    gates = memo.each(
        ("export", "gates"),
        (
            (
                gid,
                (
                    project.gates[gid],
                    analysis.gate_states[gid],
                    analysis.phases_waiting.get(gid),
                    schedule.gates.get(gid) if schedule else None,
                ),
            )
            for gid in analysis.gate_order
        ),
        lambda gid: _entry(_gate(project, gid)),
    )
    # A diagnostic is its own key: equal diagnostics give equal entries.
    found = memo.each(("export", "diagnostics"), ((d, None) for d in diagnostics), lambda d: _entry(d.to_dict()))
    members: dict[str, str | list[str]] = {
        "format": _dumps("plancompiler-export"),
        "version": _dumps(EXPORT_VERSION),
        "today": _dumps(_today(schedule)),
        "calendar": _dumps(_calendar(schedule)).replace("\n", "\n  "),
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
