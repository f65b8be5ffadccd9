"""What a decision record's status text means: a leading status word or phrase, mapped onto
the five states that gates use, and an optional note.

`Accepted (tracked in #1484)`, `Accepted. Tracking issue: #2803` and `Accepted: see [#3297]`
are accepted with a note; `Implemented` and `Approved` are accepted through the alias table
(`adr_status_aliases`); `Partially accepted` and `superseded-in-part by ...` are phrases of
their own that no alias maps, so they are shown as written and reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from plancompiler.vocabulary import AdrStatus

STATES = tuple(state.value for state in AdrStatus)

# Words real decision records use for the five states. A team's own words are added (or
# these removed) with the `adr_status_aliases` option.
DEFAULT_ALIASES: dict[str, str] = {
    "approved": "accepted",
    "implemented": "accepted",
    "adopted": "accepted",
    "agreed": "accepted",
    "decided": "accepted",
    "pending": "proposed",
    "draft": "proposed",
    "proposal": "proposed",
    "in review": "proposed",
    "under review": "proposed",
    "in discussion": "proposed",
    "under discussion": "proposed",
    "rfc": "proposed",
    "declined": "rejected",
    "refused": "rejected",
    "obsolete": "deprecated",
    "retired": "deprecated",
}

# What may end the status word and start its note: `:`, `;`, `,`, `(`, a full stop, a dash
# between spaces, or the end of the text.
_SEPARATOR = re.compile(r"[ \t]*(?:$|[:;,]|(?<!\])\(|\.(?:\s|$)|\s[-–—]\s)")
_MARKUP = re.compile(r"\*\*|__|`")
_SUPERSEDED_BY = re.compile(r"^superseded\s+by\b", re.IGNORECASE)
# A note is shown as text: `PR [\#2897]` and `see [#3297](https://...)` read `PR #2897`, `see #3297`.
_LINK = re.compile(r"\[([^\[\]]*)\](?:\([^()]*\)|\[[^\[\]]*\])?")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


@dataclass(frozen=True, slots=True)
class StatusText:
    """A status as written (`Implemented`, `On hold`), the state it maps to (None when nothing
    maps it), and the note written after it."""

    written: str
    state: str | None
    note: str | None = None


def alias_key(word: str) -> str:
    """How an alias is looked up: lower case, single spaces, no full stop at the end."""
    return " ".join(word.lower().split()).rstrip(".")


def read_status(text: str, aliases: Mapping[str, str]) -> StatusText:
    """The status word or phrase at the start of `text`, its state and its note.

    `aliases` maps `alias_key`s to states. A word followed by anything but a separator is not
    that word: `superseded-in-part by 0014` is not `superseded`.
    """
    cleaned = " ".join(_MARKUP.sub("", text).split()).strip("*_ ")
    if _SUPERSEDED_BY.match(cleaned):
        return StatusText(cleaned[: len("superseded")], "superseded")
    lowered = cleaned.lower()
    best: tuple[int, str] | None = None
    for word, state in (*((s, s) for s in STATES), *aliases.items()):
        longer = best is None or len(word) > best[0]
        if longer and lowered.startswith(word) and _SEPARATOR.match(cleaned, len(word)):
            best = (len(word), state)
    if best is not None:
        return StatusText(cleaned[: best[0]], best[1], _note(cleaned, best[0]))
    cut = _SEPARATOR.search(cleaned)
    end = cut.start() if cut is not None and cut.start() > 0 else len(cleaned)
    return StatusText(cleaned[:end].rstrip(" ."), None, _note(cleaned, end))


def _note(text: str, end: int) -> str | None:
    """What follows the status word, without the separator (and a closing parenthesis that
    answers an opening one)."""
    rest = text[end:].strip()
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1]
    elif rest[:1] in (":", ";", ",", ".", "-", "–", "—"):
        rest = rest[1:]
    rest = _ESCAPE.sub(r"\1", _LINK.sub(r"\1", rest)).strip()
    return rest or None
