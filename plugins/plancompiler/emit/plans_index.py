"""The plans index: every plan with status, owner, complexity, progress, risks and last update."""

from __future__ import annotations

from plancompiler.emit import escape
from plancompiler.emit.context import EmitContext, badge
from plancompiler.emit.plan_page import progress_text


def render_plans_index(ctx: EmitContext) -> str:
    src = ctx.paths.plans_index
    out = ["# Plans", ""]
    if not ctx.project.plans:
        return "\n".join([*out, "No plans yet.", ""])
    out += [
        "| Plan | Status | Owner | Complexity | Progress | High-impact risks | Updated |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for plan in ctx.project.plans.values():
        high = sum(1 for r in plan.risks if r.impact == "high")
        out.append(
            f"| {ctx.plan_link(src, plan)} | {badge('plan', plan.status)} | {escape.text(plan.owner or '—')}"
            f" | {escape.text(plan.complexity or '—')} | {escape.text(progress_text(plan))} | {high}"
            f" | {escape.text(plan.updated or '—')} |"
        )
    return "\n".join(out) + "\n"
