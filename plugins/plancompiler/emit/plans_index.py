"""The plans index: every plan with status, owner, complexity, progress, forecast finish, due
date (and how late the forecast is), risks and last update; active plans first. In the
browser it sorts by any column and filters by status, owner and complexity (plans.js);
without JavaScript it is a plain table."""

from __future__ import annotations

from plancompiler.analyse.forecast import Forecast
from plancompiler.emit import escape, html
from plancompiler.emit.context import EmitContext, badge
from plancompiler.emit.dates import forecast_cell, forecast_sort, slip_text
from plancompiler.emit.memo import Memo
from plancompiler.emit.progress import progress, progress_share, progress_text
from plancompiler.emit.summary import Row, Summary, generated_body
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


def render_plans_index(ctx: EmitContext, memo: Memo | None = None) -> Summary:
    """The page's body below its title, as HTML; with a `memo`, only the rows of changed plans
    are written again."""
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
    # A row reads its plan and its forecast, and nothing else.
    keys = ((p.id, (p, forecasts.get(p.id))) for p in order)
    rows = memo.each(
        ("plans_index", "rows", ctx.links), keys, lambda pid: Row.of(_row(ctx, src, plans[pid], forecasts.get(pid)))
    )
    return generated_body(lead + _TABLE.head, rows, _TABLE.end)


def _row(ctx: EmitContext, src: str, plan: Plan, forecast: Forecast | None) -> str:
    high = sum(1 for r in plan.risks if r.impact == "high")
    done, total, _, _ = progress(plan)
    share = progress_share(plan)
    shown = f"{done}/{total} ({share}%)" if total else "no tasks"
    bar = html.progress_bar(share, escape.text(progress_text(plan)))
    return _TABLE.row(
        (
            ctx.plan_link(src, plan),
            html.Cell(badge("plan", plan.status), str(_RANK.get(plan.status, len(_RANK)))),
            escape.text(plan.owner or "—"),
            html.Cell(escape.text(plan.complexity or "—"), _COMPLEXITY.get(plan.complexity or "", "0")),
            html.Cell(f'{bar} <span class="plans-nowrap">{shown}</span>', f"{share:03d}" if total else "-1"),
            html.Cell(forecast_cell(forecast), forecast_sort(forecast)),
            html.Cell(_due(plan, forecast), plan.due.date.isoformat() if plan.due else "9999"),
            str(high),
            escape.text(plan.updated or "—"),
        )
    )


def _due(plan: Plan, forecast: Forecast | None) -> str:
    """The due date, and under it how late the forecast is or how much it has to spare."""
    if plan.due is None:
        return "—"
    slip = slip_text(forecast, short=True)
    note = f' <span class="plans-note plans-when">{slip}</span>' if slip != "—" else ""
    return html.day(plan.due.date) + note
