"""The words of the plan format: statuses of plans, tasks and ADRs, and the states of gates
(brief sections 3.1 to 3.3), with the groups of them that the rules speak of.

Each is a `str` enum: a member is the word itself, so it compares equal to the text of
the front matter, and pages, messages and the export show it as written.
"""

from __future__ import annotations

import sys
from enum import Enum
from typing import TypeVar

if sys.version_info >= (3, 11):
    from enum import StrEnum
else:  # pragma: no cover - the same behaviour on Python 3.10

    class StrEnum(str, Enum):
        """A `str` enum that formats as its value (what `enum.StrEnum` does from 3.11)."""

        def __str__(self) -> str:
            return str(self.value)

        def __format__(self, spec: str) -> str:
            return str(self.value).__format__(spec)


class PlanStatus(StrEnum):
    """Where a plan stands (`status:` of a plan)."""

    DRAFT = "draft"
    READY = "ready"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"
    HISTORICAL = "historical"
    CANCELLED = "cancelled"


class TaskStatus(StrEnum):
    """Where a task stands (`status:` of a task)."""

    TODO = "todo"
    IN_PROGRESS = "in-progress"
    BLOCKED = "blocked"
    DONE = "done"
    CANCELLED = "cancelled"


class AdrStatus(StrEnum):
    """The lifecycle of a decision record (`status:` of an ADR)."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DEPRECATED = "deprecated"
    SUPERSEDED = "superseded"


class GateStatus(StrEnum):
    """A gate's derived state (brief section 3.3), worked out by `analyse`."""

    PASSED = "passed"
    OPEN = "open"
    WAIVED = "waived"
    BLOCKED = "blocked"


FINISHED = frozenset({TaskStatus.DONE, TaskStatus.CANCELLED})
"""Tasks nothing waits on any more."""
UNFINISHED = frozenset({TaskStatus.TODO, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED})
"""Tasks a `done` task may not depend on."""
STARTED = frozenset({TaskStatus.IN_PROGRESS, TaskStatus.DONE})
"""Tasks whose work has begun: their phase has started."""
CLEARED = frozenset({GateStatus.PASSED, GateStatus.WAIVED})
"""Gates that no longer hold a phase back."""
RETIRED = frozenset({AdrStatus.SUPERSEDED, AdrStatus.DEPRECATED})
"""Decisions no longer in force, which a citation should not lean on."""
CONCLUDED = frozenset({PlanStatus.COMPLETED, PlanStatus.HISTORICAL})
"""Plans a completed plan may depend on."""
UNDER_WAY = frozenset({PlanStatus.IN_PROGRESS, PlanStatus.COMPLETED})
"""Plans that need a rollback."""


Word = TypeVar("Word", bound=StrEnum)


def member(enum: type[Word], value: object) -> Word | None:
    """The member of `enum` whose word `value` is; None for any other value, a list included."""
    found = enum._value2member_map_.get(value) if isinstance(value, str) else None
    return found if isinstance(found, enum) else None
