"""The machine-readable export (`plans.json`): the whole compiled model and its diagnostics.

Described by `schemas/export.schema.json`. Output is deterministic: keys sorted, lists in
the model's order, so two builds of the same input give the same bytes.

Each plan's, ADR's and gate's entry is written from a frozen view (`PlanEntry`, `AdrEntry`,
`GateEntry`) holding everything the entry shows and nothing else the entry reads: under
`mkdocs serve` the view is the key of the kept entry.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from plancompiler.analyse.calendar import WEEKDAYS
from plancompiler.analyse.forecast import PlanDates, Schedule, TaskDates
from plancompiler.diagnostics import Diagnostic
from plancompiler.emit.memo import Memo
from plancompiler.emit.plan_page import progress
from plancompiler.model import Adr, AdrLinks, Day, Gate, Key, Plan, Project, Ref
from plancompiler.vocabulary import GateStatus

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


@dataclass(frozen=True, slots=True)
class PlanEntry:
    """A plan's entry: the plan, what the schedule says of it and of each of its phases and
    tasks (in file order), what the analysis says of it, who references it, its history."""

    plan: Plan
    dates: PlanDates | None
    """Its forecast and its phases' and tasks' dates; None without a schedule."""
    critical_path: tuple[Key, ...]
    ready_tasks: tuple[Key, ...]
    referenced_by: tuple[Key, ...]
    history: PlanHistory | None


@dataclass(frozen=True, slots=True)
class AdrEntry:
    """A record's entry: the record, what its relations name, who references it."""

    adr: Adr
    links: AdrLinks
    referenced_by: tuple[Key, ...]


@dataclass(frozen=True, slots=True)
class GateEntry:
    """A gate's entry: the gate, its state, when it is expected, the phases waiting on it."""

    gate: Gate
    state: GateStatus
    why: str
    expected: datetime.date | None
    phases_waiting: tuple[Key, ...]


def plan_entry(project: Project, plan: Plan, history: PlanHistory | None) -> PlanEntry:
    """Gather what the plan's entry shows."""
    schedule, analysis = project.schedule, project.analysis
    return PlanEntry(
        plan,
        schedule.of_plan(plan) if schedule else None,
        analysis.critical_paths.get(plan.id, ()),
        analysis.ready_tasks.get(plan.id, ()),
        project.links.referenced_by.get(plan.key, ()),
        history,
    )


def adr_entry(project: Project, adr: Adr) -> AdrEntry:
    """Gather what the record's entry shows."""
    return AdrEntry(adr, project.links.adrs[adr.id], project.links.referenced_by.get(adr.key, ()))


def gate_entry(project: Project, gid: str) -> GateEntry:
    """Gather what the gate's entry shows."""
    expected = project.schedule.gates.get(gid) if project.schedule else None
    phases = project.analysis.phases_waiting.get(gid, ())
    state = project.analysis.gate_states[gid]
    return GateEntry(project.gates[gid], state.state, state.why, expected, phases)


def _plan(entry: PlanEntry) -> dict[str, Any]:
    plan, history = entry.plan, entry.history
    scheduled = entry.dates
    forecast = scheduled.forecast if scheduled else None
    spans = scheduled.phases if scheduled else (None,) * len(plan.phases)
    done, total, done_days, total_days = progress(plan)
    dates = iter(scheduled.tasks if scheduled else ())
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
                "earliest_start": _day(span.start) if span else None,
                "forecast_finish": _day(span.finish) if span else None,
                "waits_on": list(span.waits) if span else [],
                "deliverables": list(ph.deliverables),
                "exit_criteria": list(ph.exit_criteria),
                "tasks": [_task(t, next(dates, None) or _UNSCHEDULED) for t in ph.tasks],
            }
            for ph, span in zip(plan.phases, spans)
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
        "critical_path": list(entry.critical_path),
        "ready_tasks": list(entry.ready_tasks),
        "referenced_by": list(entry.referenced_by),
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


def _adr(entry: AdrEntry) -> dict[str, Any]:
    adr, related = entry.adr, entry.links
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
        "referenced_by": list(entry.referenced_by),
    }


def _gate(entry: GateEntry) -> dict[str, Any]:
    gate = entry.gate
    return {
        "id": gate.id,
        "title": gate.title,
        "plan": gate.plan,
        "adr": _ref_text(gate.adr),
        "after": _refs(gate.after),
        "waived": gate.waived,
        "reason": gate.reason,
        "due": _day(gate.due),
        "expected": _day(entry.expected),
        "state": entry.state,
        "why": entry.why,
        "phases_waiting": list(entry.phases_waiting),
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
        "plans": [_plan(plan_entry(project, p, series.get(p.id))) for p in project.plans.values()],
        "adrs": [_adr(adr_entry(project, a)) for a in project.adrs.values()],
        "gates": [_gate(gate_entry(project, gid)) for gid in project.analysis.gate_order],
        "diagnostics": [d.to_dict() for d in diagnostics],
    }


def export_json(
    project: Project, diagnostics: Sequence[Diagnostic], memo: Memo | None = None, history: History | None = None
) -> str:
    """`export_model` as JSON text: sorted keys, two-space indent.

    Written entry by entry, so that with a `memo` a rebuild serialises again only the plans,
    ADRs, gates and diagnostics whose views changed; the text is the same as one
    `json.dumps` of the whole model (a test holds the two together).
    """
    memo = memo if memo is not None else Memo()
    schedule = project.schedule
    series = history.plans if history else {}
    plan_views = {pid: plan_entry(project, plan, series.get(pid)) for pid, plan in project.plans.items()}
    plans = memo.each(("export", "plans"), plan_views.items(), lambda pid: _entry(_plan(plan_views[pid])))
    adr_views = {aid: adr_entry(project, adr) for aid, adr in project.adrs.items()}
    adrs = memo.each(("export", "adrs"), adr_views.items(), lambda aid: _entry(_adr(adr_views[aid])))
    gate_views = {gid: gate_entry(project, gid) for gid in project.analysis.gate_order}
    gates = memo.each(("export", "gates"), gate_views.items(), lambda gid: _entry(_gate(gate_views[gid])))
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
