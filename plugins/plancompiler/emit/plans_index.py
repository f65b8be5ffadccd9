"""The plans index: every plan with status, owner, complexity, progress, risks and last update."""

from __future__ import annotations

from plancompiler.emit import escape, html
from plancompiler.emit.context import EmitContext, badge
from plancompiler.emit.memo import Memo
from plancompiler.emit.plan_page import progress_text
from plancompiler.emit.summary import Row, Summary, generated_body
from plancompiler.model import Plan

TITLE = "Plans"

_HEAD = html.table_head(("Plan", "Status", "Owner", "Complexity", "Progress", "High-impact risks", "Updated"))


def render_plans_index(ctx: EmitContext, memo: Memo | None = None) -> Summary:
    """The page's body below its title, as HTML; with a `memo`, only the rows of changed plans
    are written again."""
    memo = memo if memo is not None else Memo()
    ctx = ctx.as_html()
    src = ctx.paths.plans_index
    if not ctx.project.plans:
        return generated_body(html.para("No plans yet."))
    plans = ctx.project.plans
    # A row reads its plan and nothing else.
    keys = plans.items()
    rows = memo.each(("plans_index", "rows", ctx.links), keys, lambda pid: Row.of(_row(ctx, src, plans[pid])))
    return generated_body(_HEAD, rows, html.TABLE_END)


def _row(ctx: EmitContext, src: str, plan: Plan) -> str:
    high = sum(1 for r in plan.risks if r.impact == "high")
    return html.row(
        (
            ctx.plan_link(src, plan),
            badge("plan", plan.status),
            escape.text(plan.owner or "—"),
            escape.text(plan.complexity or "—"),
            escape.text(progress_text(plan)),
            str(high),
            escape.text(plan.updated or "—"),
        )
    )
