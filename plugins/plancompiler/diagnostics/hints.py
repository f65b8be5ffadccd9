"""What a writer most likely meant by a key or a value the schema does not know.

Meaning comes before spelling: `after:` on a phase is closest in spelling to `gates`, but
whoever writes it means `depends_on`; an ADR `approved` is spelt like `proposed` and means
`accepted`. The tables below hold the confusions people make; spelling distance answers
for everything else.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Meant:
    """The word meant, and why, in a few words the hint can end with."""

    word: str
    why: str = ""


_PHASE_ORDER = "a phase lists the phases before it in depends_on; after: orders gates"
_TASK_ORDER = "a task lists the tasks before it in depends_on"
_PLAN_ORDER = "a plan lists the plans before it in depends_on"
_GATE_ORDER = "a gate lists the gates before it in after:"

KEYS: dict[tuple[str, str], Meant] = {
    ("phase", "after"): Meant("depends_on", _PHASE_ORDER),
    ("phase", "requires"): Meant("depends_on", _PHASE_ORDER),
    ("phase", "depends"): Meant("depends_on", _PHASE_ORDER),
    ("task", "after"): Meant("depends_on", _TASK_ORDER),
    ("task", "requires"): Meant("depends_on", _TASK_ORDER),
    ("task", "blocked_by"): Meant("depends_on", _TASK_ORDER),
    ("task", "dependencies"): Meant("depends_on", _TASK_ORDER),
    ("task", "assignee"): Meant("owner"),
    ("task", "effort"): Meant("estimate"),
    ("plan", "after"): Meant("depends_on", _PLAN_ORDER),
    ("plan", "requires"): Meant("depends_on", _PLAN_ORDER),
    ("plan", "assignee"): Meant("owner"),
    ("gate", "depends_on"): Meant("after", _GATE_ORDER),
    ("gate", "requires"): Meant("after", _GATE_ORDER),
    ("risk", "probability"): Meant("likelihood"),
    ("risk", "severity"): Meant("impact"),
    ("adr", "decider"): Meant("deciders"),
    ("adr", "approvers"): Meant("deciders"),
    ("adr", "replaces"): Meant("supersedes"),
    ("adr", "replaced_by"): Meant("superseded_by"),
}
"""(element, key as written) -> the key meant. Elements: plan, phase, task, gate, risk,
metric, adr."""

VALUES: dict[tuple[str, str, str], Meant] = {
    ("adr", "status", "approved"): Meant("accepted", "an approved decision is accepted"),
    ("adr", "status", "implemented"): Meant("accepted", "a decision in effect is accepted"),
    ("adr", "status", "agreed"): Meant("accepted"),
    ("adr", "status", "declined"): Meant("rejected"),
    ("adr", "status", "draft"): Meant("proposed"),
    ("adr", "status", "obsolete"): Meant("deprecated"),
    ("adr", "status", "replaced"): Meant("superseded", "name the successor in superseded_by"),
    ("plan", "status", "active"): Meant("in-progress"),
    ("plan", "status", "done"): Meant("completed"),
    ("plan", "status", "planned"): Meant("ready"),
    ("task", "status", "completed"): Meant("done"),
    ("task", "status", "open"): Meant("todo"),
    ("task", "status", "doing"): Meant("in-progress"),
    ("task", "status", "on hold"): Meant("blocked"),
}
"""(element, key, value as written, lower case) -> the value meant."""


def _said(meant: Meant) -> str:
    return f" (did you mean '{meant.word}'? {meant.why})" if meant.why else f" (did you mean '{meant.word}'?)"


def spelling(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """` (did you mean 'x'?)` for the choice spelt most like `word`, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f" (did you mean '{close[0]}'?)" if close else ""


def for_key(element: str, key: str, allowed: Iterable[str], cutoff: float = 0.6) -> str:
    """The hint for an unknown `key` in `element`: a known confusion, else the closest spelling."""
    choices = list(allowed)
    meant = KEYS.get((element, key))
    if meant is not None and meant.word in choices:
        return _said(meant)
    return spelling(key, choices, cutoff)


def for_value(element: str, key: str, written: str, allowed: Iterable[str]) -> str:
    """The hint for a value outside `allowed`: a known confusion, else the closest spelling."""
    choices = list(allowed)
    meant = VALUES.get((element, key, written.strip().lower()))
    if meant is not None and meant.word in choices:
        return _said(meant)
    return spelling(written, choices)
