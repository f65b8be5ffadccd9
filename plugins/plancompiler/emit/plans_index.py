"""The plans index: every plan with status, owner, complexity, progress, forecast finish, due
date (and how late the forecast is), risks and last update; active plans first. In the
browser it sorts by any column and filters by status, owner and complexity (plans.js);
without JavaScript it is a plain table.

Each row is gathered into a `PlanRow` of plain data first and written second: the view is
everything the row shows, so a build whose view equals the last one's reuses the row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import partial

from plancompiler.analyse.forecast import Forecast
from plancompiler.emit import escape, html
from plancompiler.emit.context import EmitContext, badge
from plancompiler.emit.dates import Finish, forecast_cell, forecast_sort, slip_text
from plancompiler.emit.memo import Memo
from plancompiler.emit.progress import Progress, progress
from plancompiler.emit.summary import Row, Summary, generated_body
from plancompiler.emit.views import PageLink, render_shown
from plancompiler.model import Plan
from plancompiler.vocabulary import PlanStatus

TITLE = "Plans"

# The default order: work going on first, then work to come, then work that is over.
STATUS_ORDER = (
    PlanStatus.IN_PROGRESS,
    PlanStatus.READY,
    PlanStatus.DRAFT,
    PlanStatus.COMPLETED,
    PlanStatus.HISTORICAL,
    PlanStatus.CANCELLED,
)
_RANK = {status: i for i, status in enumerate(STATUS_ORDER)}

_TABLE = html.Table(
    (
        html.Column("Plan"),
        html.Column("Status", html.STATUS),
        html.Column("Owner"),
        html.Column("Complexity"),
        html.Column("Progress", html.TEXT),
        # When a plan will be done comes right after how far it is: on a wide screen the
        # reader finds it before the columns looked for less.
        html.Column("Forecast finish", html.DATE),
        html.Column("Due"),  # the date itself never breaks (html.day); a note may follow it
        html.Column("High-impact risks"),
        html.Column("Updated", html.DATE),
    ),
    css="plans-index",
    sortable=True,
    filters=("Status", "Owner", "Complexity"),
    noun="plans",
)
_COMPLEXITY = {"low": "1", "medium": "2", "high": "3", "very-high": "4"}


@dataclass(frozen=True, slots=True)
class PlanRow:
    """Everything one plan's row shows."""

    plan: PageLink
    status: PlanStatus
    owner: str | None
    complexity: str | None
    progress: Progress
    forecast: Finish | None
    due: datetime.date | None
    high_risks: int
    updated: str | None


def render_plans_index(ctx: EmitContext, memo: Memo | None = None) -> Summary:
    """The page's body below its title, as HTML; with a `memo`, only the rows whose view
    changed are written again."""
    memo = memo if memo is not None else Memo()
    ctx = ctx.as_html()
    src = ctx.paths.plans_index
    if not ctx.project.plans:
        return generated_body(html.para("No plans yet."))
    plans = ctx.project.plans
    order = sorted(plans.values(), key=lambda p: (_RANK.get(p.status, len(_RANK)), p.title.lower(), p.id))
    lead = html.para(
        "Plans in progress first, then those ready, drafts, and plans that are over; click a column's"
        " heading to sort by it."
    )
    schedule = ctx.project.schedule
    forecasts = schedule.plans if schedule else {}
    views = {p.id: memo.made(("plans_index", "view", p.id), (p, forecasts.get(p.id)), plan_row) for p in order}
    rows = memo.each(("plans_index", "rows", ctx.links), views.items(), partial(_made_row, ctx, src, views))
    return generated_body(lead + _TABLE.head, rows, _TABLE.end)


def plan_row(plan: Plan, forecast: Forecast | None) -> PlanRow:
    """Gather what the plan's row shows: from the plan and its forecast alone."""
    return PlanRow(
        PageLink(plan.title, plan.rel),
        plan.status,
        plan.owner,
        plan.complexity,
        progress(plan),
        Finish.of(forecast),
        plan.due.date if plan.due else None,
        sum(1 for r in plan.risks if r.impact == "high"),
        plan.updated,
    )


def _made_row(ctx: EmitContext, src: str, views: dict[str, PlanRow], pid: str) -> Row:
    return Row.of(_row(ctx, src, views[pid]))


def _row(ctx: EmitContext, src: str, row: PlanRow) -> str:
    counts = row.progress
    share = counts.share
    shown = f"{counts.done}/{counts.total} ({share}%)" if counts.total else "no tasks"
    bar = html.progress_bar(share, escape.text(counts.text))
    return _TABLE.row(
        (
            render_shown(ctx, src, row.plan),
            html.Cell(badge("plan", row.status), str(_RANK.get(row.status, len(_RANK)))),
            escape.text(row.owner or "—"),
            html.Cell(escape.text(row.complexity or "—"), _COMPLEXITY.get(row.complexity or "", "0")),
            html.Cell(f'{bar} <span class="plans-nowrap">{shown}</span>', f"{share:03d}" if counts.total else "-1"),
            html.Cell(forecast_cell(row.forecast), forecast_sort(row.forecast)),
            html.Cell(_due(row), row.due.isoformat() if row.due else "9999"),
            str(row.high_risks),
            escape.text(row.updated or "—"),
        )
    )


def _due(row: PlanRow) -> str:
    """The due date, and under it how late the forecast is or how much it has to spare."""
    if row.due is None:
        return "—"
    slip = slip_text(row.forecast, short=True)
    note = f' <span class="plans-note plans-when">{slip}</span>' if slip != "—" else ""
    return html.day(row.due) + note
