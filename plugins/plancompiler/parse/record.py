"""Read a decision record's metadata from its Markdown body, keeping line and column.

Most ADR folders keep their metadata in the body, not in front matter:

- adr-tools / Nygard: `Date: 2016-02-12` under the title, and a `## Status` section holding
  a status word (and maybe a note), then relation lines such as
  `Superseded by [26. Title](0026-title.md)`, `Amends [...]`, `Clarified by [...]`;
- MADR 2/3: list lines under the title (`* Status: accepted`, `* Deciders: A, B`,
  `* Date: 2018-01-12`), and a `## Links` section of relation lines (`* Refined by [...]`);
- log4brains: the same list lines written with `-`;
- Tendermint/CometBFT: a `## Status` section and a `## Changelog` of dated lines.

`read_record` finds all of these; what they mean (which status word is which state, which
record a link names) is decided later, by `validate` and `link`. Headings match in any case
and at any level; code blocks and HTML comments are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plancompiler.parse.markdown_scan import closes, definitions, fence_of, links

# Relation labels with a meaning of their own; any other label before a link to a record
# (`Relates to`, `Clarified by`) is kept as written.
TYPED_RELATIONS = {
    "supersedes": "supersedes",
    "superseded by": "superseded-by",
    "amends": "amends",
    "amended by": "amended-by",
}

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
# `* Status: accepted`, `- Date: 2020-10-16`, `Date: 2016-02-12`, `**Status:** Accepted`.
_FIELD = re.compile(
    r"^(?P<lead>[ \t]*(?:[*+-][ \t]+)?)(?P<open>\*\*|__|)(?P<key>[A-Za-z][A-Za-z -]{1,30}?)"
    r"(?:(?P=open)[ \t]*:|:[ \t]*(?P=open))[ \t]*(?P<value>.*?)[ \t]*$"
)
_FIELD_KEYS = {
    "status": "status",
    "date": "date",
    "deciders": "deciders",
    "decision-makers": "deciders",
    "decision makers": "deciders",
}
_SECTIONS = {"status": "status", "links": "links", "changelog": "changelog", "change log": "changelog"}
_LIST_MARK = re.compile(r"^[ \t]*(?:[*+-]|\d+[.)])[ \t]+|^[ \t]*>[ \t]?")
_EMPHASIS = re.compile(r"^(\*\*|__|\*|_|`)(.+?)\1$")
_STRUCK = re.compile(r"~~.*?~~")
_LABEL = re.compile(r"^[A-Za-z][A-Za-z-]*(?: [A-Za-z][A-Za-z-]*){0,3}$")
_TYPED_BY_LENGTH = sorted(TYPED_RELATIONS.items(), key=lambda item: -len(item[0]))
_ID_TARGET = re.compile(r"^(?:ADR[-_ ]?)?#?(\d+)\b|^(\d{8}-[A-Za-z0-9][A-Za-z0-9._-]*)", re.IGNORECASE)
_JOINERS = re.compile(r"^(?:[ \t,;]|and\b|&)*$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\b")
_CHANGELOG_DATE = re.compile(r"^[ \t]*[*+-][ \t]+(?:\*\*|__)?(\d{4}-\d{2}-\d{2})\b")
# `{Deprecated|Proposed|Accepted}` (adr-tools templates) and `[draft | proposed | ...]`
# (log4brains' template): a choice left for the author to make.
_PLACEHOLDER = re.compile(r"^\{[^{}]*\}?$|^\[[^\[\]]*\|[^\[\]]*\]")


@dataclass(frozen=True, slots=True)
class Field:
    """A value read from the body, as written, and where it starts (file line, 1-based column)."""

    value: str
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class RelationLine:
    """One target of a relation line: `Superseded by [26. Title](0026-title.md)` gives label
    'Superseded by', kind 'superseded-by', text '26. Title' and target '0026-title.md'."""

    label: str
    kind: str
    text: str
    target: str | None
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class BodyRecord:
    """What a decision record's body says about the record, each value with its place."""

    status: Field | None = None
    """The status line as written (`Accepted (tracked in #1484)`), without relation lines."""
    note: Field | None = None
    """The line after the status line in the Status section, when there is one."""
    date: Field | None = None
    """The `Date:` line's value, or the newest date of a Changelog section."""
    deciders: Field | None = None
    relations: tuple[RelationLine, ...] = ()
    placeholder: Field | None = None
    """A template's choice left in the Status section (`{Proposed|Accepted}`)."""
    status_lines: tuple[int, int] | None = None
    """The first and last line of the Status section, or the line of a `Status:` line (file
    lines)."""

    @property
    def relation_lines(self) -> frozenset[int]:
        """File lines that hold relations: what they link to is a relation, not a citation."""
        return frozenset(r.line for r in self.relations)

    @property
    def found(self) -> bool:
        """Whether the body says anything a decision record says."""
        return bool(self.status or self.date or self.relations or self.placeholder)


def _unwrap(text: str, col: int) -> tuple[str, int]:
    """`text` without a list marker, a quote mark, emphasis around it or struck-out words, and
    the column where what is left starts."""
    marker = _LIST_MARK.match(text)
    if marker:
        col += marker.end()
        text = text[marker.end() :]
    struck = _STRUCK.sub(lambda m: " " * len(m.group(0)), text)
    stripped = struck.lstrip()
    col += len(struck) - len(stripped)
    text = stripped.rstrip()
    while (emphasis := _EMPHASIS.match(text)) is not None:
        col += len(emphasis.group(1))
        text = emphasis.group(2)
    return text, col


def relation(text: str, line: int, col: int, refs: dict[str, str]) -> list[RelationLine]:
    """The relations a line states: a label, then one or more links to records (or, for the
    typed relations, ids such as `ADR-0015` or `0015`). Empty for any other line."""
    bracket = text.find("[")
    if bracket > 0:
        label = " ".join(text[:bracket].strip().rstrip(":").split())
        if not _LABEL.match(label):
            return []
        kind = TYPED_RELATIONS.get(label.lower(), "other")
        return _linked(text, bracket, label, kind, line, col, refs)
    lowered = text.lower()
    for written, kind in _TYPED_BY_LENGTH:
        if lowered.startswith(written) and lowered[len(written) : len(written) + 1] in (" ", "\t", ":"):
            label = text[: len(written)]
            start = len(written) + len(text[len(written) :]) - len(text[len(written) :].lstrip(" \t:"))
            return _ids(text[start:].rstrip(" ."), label, kind, line, col + start)
    return []


def _linked(
    text: str, start: int, label: str, kind: str, line: int, col: int, refs: dict[str, str]
) -> list[RelationLine]:
    """The links after a relation's label; empty unless the rest of the line is links alone
    (joined by commas or `and`), and, for a label of our own, links to other files."""
    rest = text[start:].rstrip(" .")
    found = []
    gap_start = 0
    for link in links(rest):
        if not _JOINERS.match(rest[gap_start : link.start]):
            return []
        target = refs.get(link.target.lower()) if link.reference else link.target
        if target is None and kind == "other":
            return []
        found.append(RelationLine(label, kind, _plain(link.text), target, line, col + start + link.start))
        gap_start = link.end
    return found if found and _JOINERS.match(rest[gap_start:]) else []


def _ids(rest: str, label: str, kind: str, line: int, col: int) -> list[RelationLine]:
    """`ADR-0015`, `0015 and 0016`: records named by id alone after a typed relation's label."""
    parts = [part.strip() for part in re.split(r",|;|\band\b", rest)]
    if not any(parts) or not all(_ID_TARGET.match(part) and len(part.split()) <= 2 for part in parts if part):
        return []
    found = []
    offset = 0
    for part in parts:
        if part:
            offset = rest.index(part, offset)
            found.append(RelationLine(label, kind, part, None, line, col + offset))
    return found


def _plain(text: str) -> str:
    return " ".join(text.replace("\\", "").split())


def read_record(body: str, first_line: int) -> BodyRecord:
    """Every metadata line, Status section and relation of a decision record's body.
    `first_line` is the file line the body starts on."""
    lines = body.split("\n")
    refs = definitions(lines)
    status: Field | None = None
    note: Field | None = None
    fields: dict[str, Field] = {}
    relations: list[RelationLine] = []
    placeholder: Field | None = None
    changelog: list[Field] = []
    section: str | None = None
    section_level = 0
    status_span: list[int] = []
    preamble, titled = True, False
    after_status = False
    fence: str | None = None
    comment = False
    for number, raw in enumerate(lines):
        line_no = first_line + number
        marker = fence_of(raw)
        if fence is not None:
            if marker and closes(fence, marker):
                fence = None
            continue
        if comment:
            comment = "-->" not in raw
            continue
        if marker:
            fence = marker
            continue
        text = re.sub(r"<!--.*?-->", "", raw)
        if "<!--" in text:
            comment = True
            text = text[: text.index("<!--")]
        heading = _HEADING.match(text)
        if heading:
            level = len(heading.group(1))
            # The first `#` heading is the title; any other heading ends the lines under it.
            is_title, titled = level == 1 and not titled, titled or level == 1
            preamble = preamble and is_title
            if section is not None and level <= section_level:
                section = None
            name, _ = _unwrap(heading.group(2).rstrip(":").strip(), 0)
            kind = _SECTIONS.get(name.rstrip(":").strip().lower())
            if kind is not None and not is_title:
                section, section_level = kind, level
                if kind == "status":
                    status_span = [line_no, line_no]
            continue
        if not text.strip():
            continue
        if section == "status":
            status_span[1] = line_no
        if preamble:
            found = _FIELD.match(text)
            key = _FIELD_KEYS.get(found.group("key").strip().lower()) if found else None
            if found is not None and key is not None and found.group("value") and key not in fields:
                value, col = _unwrap(found.group("value"), found.start("value") + 1)
                if key == "status" and status is None:
                    placeholder = placeholder or _placeholder(value, line_no, col)
                    relations += relation(value, line_no, col, refs)
                    if placeholder is None:
                        status = Field(value, line_no, col)
                    status_span = [line_no, line_no]
                fields[key] = Field(value, line_no, col)
                continue
        if section in ("status", "links"):
            value, col = _unwrap(text, 1)
            related = relation(value, line_no, col, refs)
            if related and section == "status" and status is None and related[0].kind == "other":
                # The first line under the heading is the status, even when it reads like a
                # relation of the team's own (`superseded-in-part by [0014](0014-x.md)`).
                relations += related
                related = []
            if related:
                relations += related
                # adr-tools writes `Superseded by [...]` in place of the status word.
                if section == "status" and status is None and related[0].kind == "superseded-by":
                    status = Field(value, line_no, col)
                after_status = False
                continue
            if section == "status":
                found_placeholder = _placeholder(value, line_no, col)
                if found_placeholder is not None:
                    placeholder = placeholder or found_placeholder
                elif status is None:
                    status, after_status = Field(value, line_no, col), True
                elif after_status and note is None:
                    note, after_status = Field(value, line_no, col), False
        elif section == "changelog":
            dated = _CHANGELOG_DATE.match(text)
            if dated:
                changelog.append(Field(dated.group(1), line_no, dated.start(1) + 1))
    date = fields.get("date")
    if date is None and changelog:
        date = max(changelog, key=lambda f: f.value)  # the last change is when it was last updated
    return BodyRecord(
        status=status,
        note=note,
        date=date,
        deciders=fields.get("deciders"),
        relations=tuple(relations),
        placeholder=placeholder,
        status_lines=(status_span[0], status_span[1]) if status_span else None,
    )


def _placeholder(value: str, line: int, col: int) -> Field | None:
    return Field(value, line, col) if _PLACEHOLDER.match(value) else None


def is_iso_date(text: str) -> bool:
    """Whether `text` starts with a date written YYYY-MM-DD."""
    return bool(_ISO_DATE.match(text))
