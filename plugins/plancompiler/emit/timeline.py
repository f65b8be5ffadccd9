"""The Timeline: every plan's remaining work by phase on Gantt charts, and each plan's forecast.

Each chart (`TimelineChart`) and each row of the table (`TimelineRow`) is gathered as plain
data first and drawn second: the view is everything the piece shows, so a build whose view
equals the last one's reuses the piece.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import partial
from typing import cast

from plancompiler.analyse.calendar import Calendar
from plancompiler.analyse.forecast import Forecast, Schedule
from plancompiler.emit import escape, html, mermaid, timecharts
from plancompiler.emit.context import EmitContext, badge
from plancompiler.emit.dates import Finish, forecast_cell, forecast_sort, slip_sort, slip_text
from plancompiler.emit.memo import Memo
from plancompiler.emit.plans_index import STATUS_ORDER
from plancompiler.emit.summary import Row, Summary, generated_body
from plancompiler.emit.views import PageLink, render_shown
from plancompiler.model import Key, Plan
from plancompiler.vocabulary import PlanStatus, TaskStatus

TITLE = "Timeline"

_RANK = {status: i for i, status in enumerate(STATUS_ORDER)}

PLANS_PER_CHART = 12
"""Plans drawn on one chart; more charts follow, so that each stays legible (and under
Mermaid's limit on a diagram's text)."""

_TABLE = html.Table(
    (
        html.Column("Plan"),
        html.Column("Status", html.STATUS),
        html.Column("Starts", html.DATE),
        html.Column("Forecast finish", html.DATE),
        html.Column("Due", html.DATE),
        html.Column("Slip", html.ID),
        html.Column("Critical path", html.TEXT),
    ),
    css="plans-timeline",
    sortable=True,
)


@dataclass(frozen=True, slots=True)
class TimelineChart:
    """One Gantt chart: each plan's title and bars, the working days and today."""

    sections: tuple[tuple[str, tuple[timecharts.Bar, ...]], ...]
    calendar: Calendar
    today: datetime.date


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """Everything one plan's row of the forecasts table shows."""

    plan: PageLink
    status: PlanStatus
    start: datetime.date | None
    forecast: Finish
    due: datetime.date | None
    chain: tuple[str, ...]
    """The ids of the tasks on the critical path."""


def render_timeline(ctx: EmitContext, memo: Memo | None = None) -> Summary:
    """The page's body below its title, as HTML; with a `memo`, charts and rows whose view
    did not change are kept."""
    memo = memo if memo is not None else Memo()
    ctx = ctx.as_html()
    src = ctx.paths.timeline
    project, schedule = ctx.project, ctx.project.schedule
    if schedule is None or not project.plans:
        return generated_body(html.para("No plans yet."))
    intro = html.para(
        f"Every plan's remaining work by phase, as scheduled on {escape.text(schedule.today.isoformat())} from"
        " estimates, dependencies, phase order and the due dates of open gates, in working days"
        f" ({escape.text(schedule.calendar.describe())}). A bar runs from the first day of a phase's"
        " remaining work to its last; red bars hold a plan's critical path, amber ones work in progress;"
        " diamonds are the plans' due dates and the dashed line is today. Finished phases, and phases"
        " waiting on a gate without a due date, are not drawn: the table below says which."
    )
    drawn = sorted(
        (p for p in project.plans.values() if (f := schedule.plans.get(p.id)) is not None and f.start is not None),
        key=lambda p: (schedule.plans[p.id].start or datetime.date.max, p.id),
    )
    charts = []
    for first in range(0, len(drawn), PLANS_PER_CHART):
        chunk = drawn[first : first + PLANS_PER_CHART]
        chart = memo.made(("timeline", "chart view", first), (schedule, *chunk), _chart_of)
        charts.append(memo.get(("timeline", "chart", first), chart, partial(_chart, chart)))
    forecasts = schedule.plans
    views = {
        pid: memo.made(("timeline", "row view", pid), (plan, forecasts[pid]), timeline_row)
        for pid, plan in project.plans.items()
    }
    rows = memo.each(("timeline", "rows", ctx.links), views.items(), partial(_made_row, ctx, src, views))
    lead = "".join((intro, *charts, html.heading(2, "forecasts", "Forecasts"), _TABLE.head))
    return generated_body(lead, rows, _TABLE.end)


def timeline_chart(plans: tuple[Plan, ...], schedule: Schedule) -> TimelineChart:
    """Gather what the chart of `plans` draws: from the plans and the schedule alone."""
    sections = []
    for plan in plans:
        bars = []
        chain = set(schedule.plans[plan.id].chain)
        for phase in plan.phases:
            critical = any(t.key in chain for t in phase.tasks)
            started = any(t.status is TaskStatus.IN_PROGRESS for t in phase.tasks)
            bar = timecharts.phase_bar(f"{phase.id} {phase.title}", schedule.phases.get(phase.key), critical, started)
            if bar is not None:
                bars.append(bar)
        if plan.due and bars:
            bars.append(timecharts.due_bar("", plan.due.date))
        sections.append((plan.title, tuple(bars)))
    return TimelineChart(tuple(sections), schedule.calendar, schedule.today)


def _chart_of(schedule: Schedule, *plans: Plan) -> TimelineChart:
    return timeline_chart(plans, schedule)


def _chart(chart: TimelineChart) -> str:
    return mermaid.block(timecharts.gantt(chart.sections, chart.calendar, chart.today))


def timeline_row(plan: Plan, forecast: Forecast) -> TimelineRow:
    """Gather what the plan's row shows: from the plan and its forecast alone."""
    finish = Finish.of(forecast)
    assert finish is not None
    # The chain is of the plan's own task keys.
    ids = {t.key: t.id for t in plan.tasks}
    chain = tuple(ids[cast(Key, k)] for k in forecast.chain)
    due = plan.due.date if plan.due else None
    return TimelineRow(PageLink(plan.title, plan.rel), plan.status, forecast.start, finish, due, chain)


def _made_row(ctx: EmitContext, src: str, views: dict[str, TimelineRow], pid: str) -> Row:
    return Row.of(_row(ctx, src, views[pid]))


def _row(ctx: EmitContext, src: str, row: TimelineRow) -> str:
    return _TABLE.row(
        (
            render_shown(ctx, src, row.plan),
            html.Cell(badge("plan", row.status), str(_RANK.get(row.status, len(_RANK)))),
            html.day(row.start),
            html.Cell(forecast_cell(row.forecast), forecast_sort(row.forecast)),
            html.day(row.due),
            html.Cell(slip_text(row.forecast, short=True), slip_sort(row.forecast)),
            " → ".join(escape.text(t) for t in row.chain) or "—",
        )
    )
