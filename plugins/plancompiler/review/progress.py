"""`plans history`: each plan's series from git, its forecast at each commit, and its slips.

The forecast at a commit is the plan's schedule as it would have been compiled that day: the
plan's file as of the commit and the ADRs of the time, scheduled from the commit's date. A
plan's tasks that depend on other plans' tasks are scheduled as if those were done, since
the other plans are not compiled with it.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from plancompiler.analyse.calendar import Calendar
from plancompiler.compiler import Compiler, Source
from plancompiler.model import Plan
from plancompiler.review.diff import forecast_line
from plancompiler.review.history import History, PlanHistory, Point
from plancompiler.vocabulary import TaskStatus


@dataclass(frozen=True, slots=True)
class Row:
    """One point of a plan's series, with the forecast made that day."""

    commit: str
    date: datetime.date
    done_days: float
    scope_days: float
    open_gates: int
    forecast: datetime.date | None
    waits: tuple[str, ...] = ()
    """Gates without a date that left the forecast open."""


@dataclass
class Report:
    """A plan's rows, the row of today's work tree, and the slips between rows."""

    plan: str
    title: str
    rows: list[Row]
    now: Row | None
    slips: list[dict[str, Any]] = field(default_factory=list)


def report(
    history: History,
    compiler: Compiler,
    docs_prefix: str,
    current: dict[str, Plan],
    today_forecasts: dict[str, tuple[datetime.date | None, tuple[str, ...]]],
    plan_ids: Sequence[str],
    today: datetime.date,
) -> list[Report]:
    """The reports of `plan_ids` (history from a pass with `keep=True`). `docs_prefix` is the
    docs folder relative to the repository, to give files their place inside it."""
    found = []
    for plan_id in plan_ids:
        series = history.plans.get(plan_id)
        rows = _rows(history, series, compiler, docs_prefix, plan_id) if series else []
        plan = current.get(plan_id)
        now = None
        if plan is not None:
            done, scope = _progress(plan)
            finish, waits = today_forecasts.get(plan_id, (None, ()))
            last_gates = rows[-1].open_gates if rows else 0
            now = Row("work tree", today, done, scope, last_gates, finish, waits)
        title = plan.title if plan else plan_id
        calendar = compiler.options.time.calendar
        found.append(Report(plan_id, title, rows, now, _slips([*rows, *([now] if now else [])], calendar)))
    return found


def _progress(plan: Plan) -> tuple[float, float]:
    counted = [t for t in plan.tasks if t.status is not TaskStatus.CANCELLED]
    return sum(t.days or 0 for t in counted if t.status is TaskStatus.DONE), sum(t.days or 0 for t in counted)


def _rows(history: History, series: PlanHistory, compiler: Compiler, docs_prefix: str, plan_id: str) -> list[Row]:
    rows = []
    for point, version in zip(series.points, series.versions or [None] * len(series.points)):
        finish: datetime.date | None = None
        waits: tuple[str, ...] = ()
        if version is not None:
            sources = [_source(version.path, history.content(version.blob), docs_prefix)]
            sources += [
                _source(path, history.content(blob), docs_prefix) for path, blob in sorted(version.adrs.items())
            ]
            result = compiler.compile(sources, today=point.date)
            forecast = result.project.schedule.plans.get(plan_id) if result.project.schedule else None
            if forecast is not None:
                finish, waits = forecast.finish, forecast.waits
        rows.append(_row(point, finish, waits))
    return rows


def _row(point: Point, finish: datetime.date | None, waits: tuple[str, ...]) -> Row:
    return Row(point.commit, point.date, point.done_days, point.scope_days, point.open_gates, finish, waits)


def _source(path: str, content: bytes, docs_prefix: str) -> Source:
    rel = path if docs_prefix in ("", ".") else os.path.relpath(path, docs_prefix).replace(os.sep, "/")
    return Source(path, rel, content)


def _slips(rows: list[Row], calendar: Calendar) -> list[dict[str, Any]]:
    """What moved between one row and the next: the forecast, the scope."""
    found = []
    for before, after in zip(rows, rows[1:]):
        changes: dict[str, Any] = {}
        if after.forecast != before.forecast:
            moved = None
            if before.forecast and after.forecast:
                moved = calendar.index(after.forecast) - calendar.index(before.forecast)
            changes["forecast"] = {
                "from": _iso(before.forecast),
                "to": _iso(after.forecast),
                "working_days": moved,
                "waits_on": list(after.waits),
            }
        if after.scope_days != before.scope_days:
            changes["scope"] = {"from": before.scope_days, "to": after.scope_days}
        if changes:
            found.append({"commit": after.commit, "date": after.date.isoformat(), **changes})
    return found


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _days(value: float) -> str:
    return f"{value:g}d"


def _slip_text(slip: dict[str, Any]) -> str:
    parts = []
    if "forecast" in slip:
        parts.append(forecast_line(slip["forecast"]))
    if "scope" in slip:
        scope = slip["scope"]
        delta = scope["to"] - scope["from"]
        parts.append(f"scope {_days(scope['from'])} → {_days(scope['to'])} ({'+' if delta > 0 else ''}{delta:g}d)")
    return "; ".join(parts)


def _commit(row: Row) -> str:
    return row.commit[:7] if row.commit != "work tree" else row.commit


def _forecast_text(row: Row) -> str:
    if row.forecast:
        return row.forecast.isoformat()
    return f"waits on {', '.join(row.waits)}" if row.waits else "—"


def as_text(reports: list[Report], note: str | None = None) -> str:
    """One block per plan: its rows, aligned, then its slips."""
    out: list[str] = []
    for rep in reports:
        out.append(f"{rep.plan}: {rep.title}")
        rows = [*rep.rows, *([rep.now] if rep.now else [])]
        table = [["date", "commit", "done", "scope", "open gates", "forecast"]]
        for row in rows:
            day = "today" if row.commit == "work tree" else row.date.isoformat()
            table.append(
                [
                    day,
                    _commit(row),
                    _days(row.done_days),
                    _days(row.scope_days),
                    str(row.open_gates),
                    _forecast_text(row),
                ]
            )
        widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
        for r in table:
            cells = [c.rjust(w) if i in (2, 3, 4) else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))]
            out.append("  " + "  ".join(cells).rstrip())
        if rep.slips:
            out.append("  slips:")
            for slip in rep.slips:
                when = "today" if slip["commit"] == "work tree" else f"{slip['date']} {slip['commit'][:7]}"
                out.append(f"    {when}: {_slip_text(slip)}")
        else:
            out.append("  no slips")
        out.append("")
    if note:
        out.append(f"note: {note}")
    return "\n".join(out).rstrip("\n") + "\n"


def as_markdown(reports: list[Report]) -> str:
    """A section per plan: a table of its rows, then its slips."""
    out = ["## Plans over time", ""]
    for rep in reports:
        out += [f"### `{rep.plan}` {rep.title}", ""]
        out += ["| Date | Commit | Done | Scope | Open gates | Forecast |", "|---|---|---:|---:|---:|---|"]
        for row in [*rep.rows, *([rep.now] if rep.now else [])]:
            day = "today" if row.commit == "work tree" else row.date.isoformat()
            out.append(
                f"| {day} | `{_commit(row)}` | {_days(row.done_days)} | {_days(row.scope_days)} |"
                f" {row.open_gates} | {_forecast_text(row)} |"
            )
        out.append("")
        for slip in rep.slips:
            when = "today" if slip["commit"] == "work tree" else f"{slip['date']} `{slip['commit'][:7]}`"
            out.append(f"- {when}: {_slip_text(slip)}")
        if rep.slips:
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def as_json(reports: list[Report], note: str | None = None) -> str:
    def row(r: Row) -> dict[str, Any]:
        return {
            "commit": r.commit,
            "date": r.date.isoformat(),
            "done_days": r.done_days,
            "scope_days": r.scope_days,
            "open_gates": r.open_gates,
            "forecast": _iso(r.forecast),
            "waits_on": list(r.waits),
        }

    payload = {
        "plans": [
            {
                "id": rep.plan,
                "title": rep.title,
                "history": [row(r) for r in rep.rows],
                "today": row(rep.now) if rep.now else None,
                "slips": rep.slips,
            }
            for rep in reports
        ],
        "note": note,
    }
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
