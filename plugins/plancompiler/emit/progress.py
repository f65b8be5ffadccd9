"""A plan's progress: done tasks against all but cancelled ones, and the same by estimate."""

from __future__ import annotations

from plancompiler.model import Plan
from plancompiler.vocabulary import TaskStatus


def days(value: float) -> str:
    """`3d`, `0.5d`: a number of working days."""
    return f"{value:g}d"


def progress(plan: Plan) -> tuple[int, int, float, float]:
    """Done and total tasks (cancelled ones left out), and the same by estimated days."""
    counted = [t for t in plan.tasks if t.status is not TaskStatus.CANCELLED]
    done = [t for t in counted if t.status is TaskStatus.DONE]
    return (
        len(done),
        len(counted),
        sum(t.days or 0 for t in done),
        sum(t.days or 0 for t in counted),
    )


def progress_share(plan: Plan) -> int:
    """Done tasks as a whole percentage of the counted ones (0 without tasks)."""
    done, total, _, _ = progress(plan)
    return round(100 * done / total) if total else 0


def progress_text(plan: Plan) -> str:
    """`4 of 35 tasks done (11%) · 6.5d of 77.25d by estimate`, or that it has no tasks."""
    done, total, done_days, total_days = progress(plan)
    if not total:
        return "no tasks yet"
    text = f"{done} of {total} tasks done ({progress_share(plan)}%)"
    if total_days:
        text += f" · {days(done_days)} of {days(total_days)} by estimate"
    return text
