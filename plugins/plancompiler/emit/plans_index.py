"""The plans index: every plan with status, owner, complexity, progress, risks and last update."""

from __future__ import annotations

from plancompiler.emit import escape
from plancompiler.emit.context import EmitContext, badge
from plancompiler.emit.memo import Memo
from plancompiler.emit.plan_page import progress_text
from plancompiler.model import Plan


def render_plans_index(ctx: EmitContext, memo: Memo | None = None) -> str:
    """The page's Markdown; with a `memo`, only the rows of changed plans are written again."""
    memo = memo if memo is not None else Memo()
    src = ctx.paths.plans_index
    out = ["# Plans", ""]
    if not ctx.project.plans:
        return "\n".join([*out, "No plans yet.", ""])
    out += [
        "| Plan | Status | Owner | Complexity | Progress | High-impact risks | Updated |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    plans = ctx.project.plans
    # A row reads its plan and nothing else.
    keys = plans.items()
    out += memo.each(("plans_index", "rows", ctx.links), keys, lambda pid: _row(ctx, src, plans[pid]))
    return "\n".join(out) + "\n"


def _row(ctx: EmitContext, src: str, plan: Plan) -> str:
    high = sum(1 for r in plan.risks if r.impact == "high")
    return (
        f"| {ctx.plan_link(src, plan)} | {badge('plan', plan.status)} | {escape.text(plan.owner or '—')}"
        f" | {escape.text(plan.complexity or '—')} | {escape.text(progress_text(plan))} | {high}"
        f" | {escape.text(plan.updated or '—')} |"
    )
