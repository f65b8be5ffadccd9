"""The Timeline: every plan's remaining work by phase on Gantt charts, and each plan's forecast."""

from __future__ import annotations

import datetime
from functools import partial
from typing import cast

from plancompiler.analyse.forecast import Schedule
from plancompiler.emit import escape, html, mermaid, timecharts
from plancompiler.emit.context import EmitContext, badge
from plancompiler.emit.dates import forecast_cell, forecast_sort, slip_sort, slip_text
from plancompiler.emit.memo import Memo
from plancompiler.emit.plans_index import STATUS_ORDER
from plancompiler.emit.summary import Row, Summary, generated_body
from plancompiler.model import Key, Plan
from plancompiler.vocabulary import TaskStatus

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


def render_timeline(ctx: EmitContext, memo: Memo | None = None) -> Summary:
    """The page's body below its title, as HTML; with a `memo`, charts and rows whose plans'
    schedules did not change are kept."""
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
        key = tuple((plan, schedule.about(plan)) for plan in chunk)
        charts.append(memo.get(("timeline", "chart", first), key, partial(_chart, chunk, schedule)))
    keys = ((pid, (plan, schedule.about(plan))) for pid, plan in project.plans.items())
    rows = memo.each(
        ("timeline", "rows", ctx.links), keys, lambda pid: Row.of(_row(ctx, src, project.plans[pid], schedule))
    )
    lead = "".join((intro, *charts, html.heading(2, "forecasts", "Forecasts"), _TABLE.head))
    return generated_body(lead, rows, _TABLE.end)


def _chart(plans: list[Plan], schedule: Schedule) -> str:
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
        sections.append((plan.title, bars))
    return mermaid.block(timecharts.gantt(sections, schedule.calendar, schedule.today))


def _row(ctx: EmitContext, src: str, plan: Plan, schedule: Schedule) -> str:
    forecast = schedule.plans[plan.id]
    # The chain is of the plan's task keys.
    chain = " → ".join(escape.text(ctx.project.tasks[cast(Key, k)].id) for k in forecast.chain) or "—"
    return _TABLE.row(
        (
            ctx.plan_link(src, plan),
            html.Cell(badge("plan", plan.status), str(_RANK.get(plan.status, len(_RANK)))),
            html.day(forecast.start),
            html.Cell(forecast_cell(forecast), forecast_sort(forecast)),
            html.day(plan.due.date if plan.due else None),
            html.Cell(slip_text(forecast, short=True), slip_sort(forecast)),
            chain,
        )
    )
