"""A plan's progress: done tasks against all but cancelled ones, and the same by estimate."""

from __future__ import annotations

from typing import NamedTuple

from plancompiler.model import Plan
from plancompiler.vocabulary import TaskStatus


def days(value: float) -> str:
    """`3d`, `0.5d`: a number of working days."""
    return f"{value:g}d"


class Progress(NamedTuple):
    """Done and total tasks (cancelled ones left out), and the same by estimated days."""

    done: int
    total: int
    done_days: float
    total_days: float

    @property
    def share(self) -> int:
        """Done tasks as a whole percentage of the counted ones (0 without tasks)."""
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def text(self) -> str:
        """`4 of 35 tasks done (11%) · 6.5d of 77.25d by estimate`, or that it has no tasks."""
        if not self.total:
            return "no tasks yet"
        text = f"{self.done} of {self.total} tasks done ({self.share}%)"
        if self.total_days:
            text += f" · {days(self.done_days)} of {days(self.total_days)} by estimate"
        return text


def progress(plan: Plan) -> Progress:
    """Done and total tasks (cancelled ones left out), and the same by estimated days."""
    counted = [t for t in plan.tasks if t.status is not TaskStatus.CANCELLED]
    done = [t for t in counted if t.status is TaskStatus.DONE]
    return Progress(
        len(done),
        len(counted),
        sum(t.days or 0 for t in done),
        sum(t.days or 0 for t in counted),
    )


def progress_share(plan: Plan) -> int:
    """Done tasks as a whole percentage of the counted ones (0 without tasks)."""
    return progress(plan).share


def progress_text(plan: Plan) -> str:
    """`4 of 35 tasks done (11%) · 6.5d of 77.25d by estimate`, or that it has no tasks."""
    return progress(plan).text
