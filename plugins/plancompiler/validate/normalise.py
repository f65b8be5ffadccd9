"""Turn YAML 1.1 values into what the user meant, before the schema judges them.

PyYAML reads `id: 0011` as the octal number 9, `title: no` as False and `date: 2026-10-01`
as a date object. Where the schema expects a string, the raw text the user wrote is put
back. ADR conventions (MADR's `decision-makers`, `status: superseded by ADR-0007`, ids
written `7`, `0007` or `adr-7`) are brought to one form.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping
from typing import Any

from plancompiler.ids import PLACEHOLDER, adr_id_in_text, adr_number, normalise_adr_id, slug_date
from plancompiler.parse.document import AdrName, ParsedDocument, adr_name
from plancompiler.parse.markdown_scan import first_heading, local_path
from plancompiler.parse.record import BodyRecord, is_iso_date, read_record, relation
from plancompiler.parse.yaml_tree import Mark, Path, YamlProblem
from plancompiler.validate.adr_status import DEFAULT_ALIASES, read_status
from plancompiler.validate.schemas import SchemaSet

_SUPERSEDED_BY = re.compile(r"^\s*superseded\s+by\b", re.IGNORECASE)
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9:.+\-Z]+)?$")
# `3. Title`, `ADR 101: Title`, `ADR-0007 - Title`: a heading that starts with a number.
_NUMBERED_TITLE = re.compile(r"^(?:ADR[-_ ]?)?0*(\d+)\s*[.:)—–-]\s*(.*)$", re.IGNORECASE)
_PLACEHOLDER_KEYS = (
    "id",
    "title",
    "status",
    "owner",
    "date",
    "updated",
    "decision-makers",
    "deciders",
    "consulted",
    "informed",
)
# MADR's own template leaves one brace unclosed: `"{proposed | ... | superseded by ADR-0123"`.
_TEXT_PLACEHOLDER = re.compile(r"^\s*\{[^{}]*\}?\s*$")
# MADR's bare templates write the title slot as a comment: `# <!-- short title ... -->`.
_COMMENT_PLACEHOLDER = re.compile(r"^\s*<!--.*-->\s*$")


class _Draft:
    """The values of a document being normalised: a copy of the parsed document's values,
    made a container at a time, the first time something inside it changes, so that the
    parsed document keeps its own. A container that YAML shares between two places (an alias)
    is shared by the copy too; `aliased` is false when no alias can have shared one."""

    __slots__ = ("data", "aliased", "_copies", "_own")

    def __init__(self, data: dict[str, Any], aliased: bool = True) -> None:
        self.data = dict(data)
        self.aliased = aliased
        self._copies: dict[int, tuple[Any, Any]] = {}
        """By the id of a parsed container, the container and its copy."""
        self._own: set[int] = set()
        """Ids of the copies: containers below `data` that are the draft's own."""

    def set(self, path: Path, value: Any) -> None:
        """Set the value at `path` (whose containers exist)."""
        node: Any = self.data
        for part in path[:-1]:
            node = self._child(node, part)
        node[path[-1]] = value

    def _child(self, node: Any, part: str | int) -> Any:
        child = node[part]
        if id(child) not in self._own:
            found = self._copies.get(id(child))
            if found is None:
                found = self._copies[id(child)] = (child, dict(child) if isinstance(child, dict) else list(child))
                self._own.add(id(found[1]))
            child = node[part] = found[1]
        return child

    def finish(self) -> dict[str, Any]:
        """The values, every place that shared a container now sharing its copy (without
        aliases, the one place of each container copied holds its copy already)."""
        if self._copies and self.aliased:
            pending: list[Any] = [self.data]
            seen = set()
            while pending:
                node = pending.pop()
                if id(node) in seen:
                    continue
                seen.add(id(node))
                for part, child in node.items() if isinstance(node, dict) else enumerate(node):
                    if isinstance(child, (dict, list)):
                        found = self._copies.get(id(child))
                        if found is not None and found[0] is child:
                            child = node[part] = found[1]
                        pending.append(child)
        return self.data


def _wants_string(shape: dict[str, Any] | None) -> bool:
    if shape is None:
        return False
    kind = shape.get("type")
    types = kind if isinstance(kind, list) else [kind]
    return "string" in types or "pattern" in shape and kind is None


def _takes_number(shape: dict[str, Any] | None, value: Any) -> bool:
    """Whether a place that takes text also takes `value` as the number YAML read
    (`estimate: 3` is three days, not the text '3')."""
    if shape is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    kind = shape.get("type")
    types = kind if isinstance(kind, list) else [kind]
    return "number" in types or "integer" in types and isinstance(value, int)


def _yaml_types(doc: ParsedDocument, draft: _Draft, schemas: SchemaSet) -> None:
    """Put back the written text where YAML 1.1 guessed another type than the schema wants."""
    for path, raw in doc.marks.typed:
        try:
            value: Any = draft.data
            for part in path:
                value = value[part]
        except (KeyError, IndexError, TypeError):
            continue
        shape = schemas.shape(doc.kind, path)
        if isinstance(value, (datetime.date, datetime.datetime)):
            draft.set(path, raw if _wants_string(shape) or shape is None else str(value))
        elif (
            isinstance(value, float)
            and not math.isfinite(value)
            or _wants_string(shape)
            and not _takes_number(shape, value)
        ):
            draft.set(path, raw)


def _adr(
    doc: ParsedDocument, adr_dirs: tuple[str, ...], aliases: Mapping[str, str], problems: list[YamlProblem]
) -> None:
    data, marks = doc.data, doc.marks
    if "deciders" not in data and "decision-makers" in data:
        data["deciders"] = data.pop("decision-makers")
        if ("decision-makers",) in marks:
            marks[("deciders",)] = marks[("decision-makers",)]
    if isinstance(data.get("deciders"), str):
        data["deciders"] = _names(data["deciders"])

    # Front matter first; what it does not say, the body may (see `plancompiler.parse.record`).
    record = read_record(doc.body, doc.body_line)
    _status(doc, record, aliases, problems)
    name = adr_name(doc.rel, adr_dirs)
    _body_values(doc, record, name, problems)
    doc.derived["relations"] = [
        (r.kind, r.label, r.text, local_path(r.target, doc.rel) if r.target else None, r.line, r.col)
        for r in record.relations
    ]
    if record.status_lines is not None:
        doc.derived["status_lines"] = record.status_lines

    if "id" in data:
        normal = normalise_adr_id(data["id"])
        if normal:
            data["id"] = normal
            if name is not None and name.id != normal:
                mark = doc.mark(("id",))
                what = "number" if normalise_adr_id(name.written) != name.written else "name"
                problems.append(
                    YamlProblem(
                        "PLN063",
                        mark.line,
                        mark.col,
                        f"id {normal} disagrees with the file name's {what} {name.written}; rename the file"
                        " or correct the id",
                    )
                )
    elif name is not None:
        data["id"] = name.id
    else:
        # An ADR by its `kind:` alone, in a file whose name carries no number: without an id
        # it could not be listed or referenced at all.
        mark = doc.mark(())
        problems.append(
            YamlProblem(
                "PLN051",
                mark.line,
                mark.col,
                "ADR is missing the required key 'id'; add 'id: ADR-NNNN' or name the file"
                " NNNN-title.md under a decisions folder",
            )
        )
    if "superseded_by" in data:
        data["superseded_by"] = normalise_adr_id(data["superseded_by"]) or data["superseded_by"]
    for key in ("supersedes", "amends", "amended_by"):
        value = data.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            data[key] = [value]
            if (key,) in marks:
                marks[(key, 0)] = marks[(key,)]
        if isinstance(data.get(key), list):
            data[key] = [normalise_adr_id(v) or v for v in data[key]]
    if "date" not in data and isinstance(data.get("id"), str) and (dated := slug_date(data["id"])):
        data["date"] = dated  # log4brains: the slug's date, when nothing else gives one

    if "title" not in data:
        heading = first_heading(doc.body)
        if heading:
            line = doc.body_line + heading[1]
            data["title"] = _without_number(heading[0].strip(), data.get("id"))
            marks[("title",)] = Mark(line, 3, line, 1)
        else:
            problems.append(
                YamlProblem(
                    "PLN062",
                    1,
                    1,
                    f"{data.get('id', 'this ADR')} has no title; add a first-level heading"
                    " ('# Choose the broker') or a 'title:' key",
                )
            )


def _status(doc: ParsedDocument, record: BodyRecord, aliases: Mapping[str, str], problems: list[YamlProblem]) -> None:
    """The record's status: its words as written and their note in `derived`, its state in
    `data` (or, when nothing maps them, the words, which the schema then reports)."""
    data, marks = doc.data, doc.marks
    status = data.get("status")
    from_body = status is None and "status" not in data and record.status is not None
    if from_body:
        assert record.status is not None
        status = record.status.value
        marks[("status",)] = Mark(record.status.line, record.status.col, record.status.line, record.status.col)
    if record.placeholder is not None and "status" not in data:
        where = record.placeholder
        problems.append(
            YamlProblem(
                "PLN064",
                where.line,
                where.col,
                f"the status still holds the template placeholder '{where.value}'; write the record's status",
            )
        )
    if not isinstance(status, str) or PLACEHOLDER.match(status):
        return
    text = read_status(status, aliases)
    note = text.note
    if from_body and note is None and record.note is not None:
        note = record.note.value
    state, written = text.state, text.written
    retired_by = next((r for r in record.relations if r.kind == "superseded-by"), None)
    if from_body and retired_by is not None:
        # adr-tools: `Superseded by [...]` under (or instead of) the status word retires it.
        state, written = "superseded", retired_by.label.split()[0]
    elif not from_body and _SUPERSEDED_BY.match(status):
        # MADR: `status: superseded by ADR-0007`, or by a link to the record.
        named = relation(status.strip(), 1, 1, {})
        successor = named and (normalise_adr_id(named[0].text) or adr_id_in_text(named[0].target or ""))
        if successor and "superseded_by" not in data:
            data["superseded_by"] = successor
            marks[("superseded_by",)] = marks.get(("status",)) or Mark(1, 1, 1, 1)
        note = None
    data["status"] = state or written
    doc.derived["status"] = (written, note)


def _body_values(doc: ParsedDocument, record: BodyRecord, name: AdrName | None, problems: list[YamlProblem]) -> None:
    """The date and deciders the body gives, where the front matter gives none."""
    data, marks = doc.data, doc.marks
    if "date" not in data and record.date is not None:
        date = record.date
        if is_iso_date(date.value):
            # `2016-02-12`, or a date with words after it (`2016-02-12 (revised)`).
            data["date"] = date.value if _DATE.match(date.value) else date.value[:10]
            marks[("date",)] = Mark(date.line, date.col, date.line, date.col)
        else:
            doc.derived["date"] = date.value
            problems.append(
                YamlProblem(
                    "PLN066",
                    date.line,
                    date.col,
                    f"date '{date.value}' of {name.id if name else 'this ADR'} is not written YYYY-MM-DD;"
                    " it is shown as written, but cannot be compared with other dates (write it as YYYY-MM-DD)",
                )
            )
    if "deciders" not in data and record.deciders is not None:
        data["deciders"] = _names(record.deciders.value)
        marks[("deciders",)] = Mark(record.deciders.line, record.deciders.col, record.deciders.line, 1)


def _names(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


def _without_number(title: str, adr_id: Any) -> str:
    """A heading's title without the record's own number in front (`3. Use a queue`,
    `ADR 101: Data companion`): the number is the record's id, shown beside the title."""
    number = adr_number(adr_id) if isinstance(adr_id, str) else None
    match = _NUMBERED_TITLE.match(title)
    if number is None or match is None or int(match.group(1)) != number or not match.group(2).strip():
        return title
    return match.group(2).strip()


def _placeholder(doc: ParsedDocument, key: str, value: Any) -> str | None:
    """The template placeholder `value` still is, as written; None for a real value.

    Unquoted, `{YYYY-MM-DD when the decision was last updated}` is a YAML flow mapping whose
    keys are the words and whose values are empty: it is known by that shape and quoted
    from the source line.
    """
    if isinstance(value, str):
        return value.strip() if _TEXT_PLACEHOLDER.match(value) else None
    if not (isinstance(value, dict) and value and all(v is None for v in value.values())):
        return None
    mark = doc.mark((key,))
    line = doc.text.split("\n", mark.line)[mark.line - 1].rstrip()
    written = line[mark.col - 1 :]
    if written.startswith("{") and "}" in written:
        return written[: written.rindex("}") + 1]
    return "{" + ", ".join(str(k) for k in value) + "}"


def _placeholders(doc: ParsedDocument, problems: list[YamlProblem]) -> None:
    for key in _PLACEHOLDER_KEYS:
        value = doc.data.get(key)
        if value is None or isinstance(value, str) and "{" not in value:
            continue  # most values: no template left in them
        shown = _placeholder(doc, key, value)
        if shown is not None:
            mark = doc.mark((key,))
            problems.append(
                YamlProblem(
                    "PLN064",
                    mark.line,
                    mark.col,
                    f"{key} still holds the template placeholder '{shown}'; replace it with the real value",
                )
            )
            del doc.data[key]


def _gate_adrs(draft: _Draft) -> None:
    """A gate's `adr: 7` (or `0007`, `adr-7`) names ADR-0007, as an ADR's own id does."""
    gates = draft.data.get("gates")
    for i, gate in enumerate(gates if isinstance(gates, list) else []):
        if isinstance(gate, dict) and "adr" in gate:
            normal = normalise_adr_id(gate["adr"])
            if normal is not None and normal != gate["adr"]:
                draft.set(("gates", i, "adr"), normal)


def normalise(
    parsed: ParsedDocument,
    schemas: SchemaSet,
    adr_dirs: tuple[str, ...],
    aliases: Mapping[str, str] = DEFAULT_ALIASES,
) -> tuple[ParsedDocument, list[YamlProblem]]:
    """The document with its values normalised, and the problems found on the way. `aliases`
    maps the status words of decision records onto the five states (`adr_status_aliases`)."""
    problems: list[YamlProblem] = []
    draft = _Draft(parsed.data, parsed.marks.aliased)
    # The new document's own values, and for an ADR its own marks, which gain the places of
    # what is found in its body, and what its body says; `parsed` is left as it was.
    if parsed.kind == "adr":
        doc = parsed.with_values(draft.data, parsed.marks.copy(), {})
    else:
        doc = parsed.with_values(draft.data, parsed.marks)
    _yaml_types(doc, draft, schemas)
    _placeholders(doc, problems)
    if doc.kind == "plan":
        _gate_adrs(draft)
    if doc.kind == "adr":
        _adr(doc, adr_dirs, aliases, problems)
        heading_title = doc.data.get("title")
        if isinstance(heading_title, str) and (
            PLACEHOLDER.match(heading_title) or _COMMENT_PLACEHOLDER.match(heading_title)
        ):
            mark = doc.mark(("title",))
            problems.append(
                YamlProblem(
                    "PLN064",
                    mark.line,
                    mark.col,
                    f"title still holds the template placeholder '{heading_title}'; write the decision's title",
                )
            )
            doc.data["title"] = heading_title.strip("{}<!-> ") or "Untitled"
    draft.finish()
    return doc, problems
