"""The identifier rules of the plan format (brief section 3.1.1), shared by every stage."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

ADR_ID = re.compile(r"^(?:adr[-_ ]?)?0*([0-9]+)$", re.IGNORECASE)
ADR_IN_TEXT = re.compile(r"(?:\badr[-_ ]?)?\b0*([0-9]+)\b", re.IGNORECASE)
GATE_ID = re.compile(r"^G[0-9]+$")
PLAN_ID = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
LOCAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
PLACEHOLDER = re.compile(r"^\s*\{[^{}]*\}\s*$")


# log4brains names records `YYYYMMDD-slug.md`, and the slug (the name without `.md`) is the
# record's id: two records of the same day are two records.
SLUG_ID = re.compile(r"^((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])-[A-Za-z0-9][A-Za-z0-9._-]*$")


def normalise_adr_id(value: Any) -> str | None:
    """`ADR-7`, `adr-0007`, `0007` and the integer 7 all become `ADR-0007`; a log4brains slug
    (`20201016-use-the-slug`) stays as it is; anything else is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return f"ADR-{value:04d}" if value >= 0 else None
    if not isinstance(value, str):
        return None
    # Sites write the same few hundred ids again and again (every gate, every supersession).
    return _normalised_text(value) if len(value) <= 64 else _normalise_text(value)


def _normalise_text(text: str) -> str | None:
    stripped = text.strip()
    match = ADR_ID.match(stripped)
    if match:
        return f"ADR-{int(match.group(1)):04d}"
    return stripped if SLUG_ID.match(stripped) else None


_normalised_text = lru_cache(maxsize=4096)(_normalise_text)


def slug_date(adr_id: str) -> str | None:
    """The date a slug id starts with (`20201016-x` -> `2020-10-16`); None for a numbered id."""
    match = SLUG_ID.match(adr_id)
    return f"{match.group(1)}-{match.group(2)}-{match.group(3)}" if match else None


def adr_number(adr_id: str) -> int | None:
    """The number of a normalised ADR id (`ADR-0007` -> 7); None for any other id."""
    found = _NUMBERED_ADR.match(adr_id)
    return int(found.group(1)) if found else None


_NUMBERED_ADR = re.compile(r"^ADR-0*([0-9]+)$")


def adr_id_in_text(text: str) -> str | None:
    """The first ADR number in free text such as `superseded by [ADR-0007](0007-x.md)`."""
    match = ADR_IN_TEXT.search(text)
    return f"ADR-{int(match.group(1)):04d}" if match else None


def split_ref(ref: str) -> tuple[str | None, str]:
    """`plan-id/P1.2` -> ('plan-id', 'P1.2'); `P1.2` -> (None, 'P1.2')."""
    plan, sep, local = ref.partition("/")
    return (plan, local) if sep else (None, ref)


_NUMBER = re.compile(r"(\d+)")


@lru_cache(maxsize=65536)
@lru_cache(maxsize=65536)
def natural_key(text: str) -> tuple[object, ...]:
    """Sort `G2` before `G10` and `P1.2` before `P1.10` (kept per text: the schedule compares
    the same tasks' keys again and again)."""
    # `isdecimal`, not `isdigit`: `²` is a digit that `int` refuses, and `\d` leaves it as text.
    return tuple(int(p) if p.isdecimal() else p for p in _NUMBER.split(text))


_UNSAFE_ANCHOR = re.compile(r"[^A-Za-z0-9._-]")


def anchor(*parts: str) -> str:
    """An HTML id made of safe characters only (`task-P1.2`), used by links and pages alike."""
    return "-".join(_UNSAFE_ANCHOR.sub("_", p) for p in parts)
