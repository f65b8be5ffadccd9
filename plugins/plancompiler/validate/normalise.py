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
from typing import Any

from plancompiler.ids import PLACEHOLDER, adr_id_in_text, normalise_adr_id
from plancompiler.parse.document import ParsedDocument, adr_number_from_name
from plancompiler.parse.markdown_scan import first_heading
from plancompiler.parse.yaml_tree import Mark, Path, YamlProblem
from plancompiler.validate.schemas import SchemaSet
from plancompiler.vocabulary import AdrStatus, member

_STATUS_HEADING = re.compile(r"^##[ \t]+Status[ \t]*\n+(?:[ \t]*\n)*[ \t]*([^\n]+)", re.MULTILINE | re.IGNORECASE)
_STATUS_LINE = re.compile(r"^[*-][ \t]+Status:[ \t]*([^\n]+)", re.MULTILINE | re.IGNORECASE)
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
    is shared by the copy too."""

    __slots__ = ("data", "_copies", "_own")

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = dict(data)
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
        """The values, every place that shared a container now sharing its copy."""
        if self._copies:
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


def _adr(doc: ParsedDocument, adr_dirs: tuple[str, ...], problems: list[YamlProblem]) -> None:
    data, marks = doc.data, doc.marks
    if "deciders" not in data and "decision-makers" in data:
        data["deciders"] = data.pop("decision-makers")
        if ("decision-makers",) in marks:
            marks[("deciders",)] = marks[("decision-makers",)]
    if isinstance(data.get("deciders"), str):
        data["deciders"] = [p.strip() for p in data["deciders"].split(",") if p.strip()]

    status = data.get("status")
    if status is None:
        found = _STATUS_LINE.search(doc.body) or _STATUS_HEADING.search(doc.body)
        if found and member(AdrStatus, found.group(1).split()[0].strip("*_`").lower().rstrip(".")):
            status = found.group(1).strip().strip("*_`").rstrip(".")
            line = doc.body_line + doc.body.count("\n", 0, found.start(1))
            marks[("status",)] = Mark(line, 1, line, 1)
            data["status"] = status
    if isinstance(status, str) and not PLACEHOLDER.match(status):
        words = status.strip()
        lowered = words.lower()
        if member(AdrStatus, lowered):
            data["status"] = lowered
        elif re.match(r"^superseded\s+by\b", lowered):
            successor = adr_id_in_text(words[len("superseded by") :])
            data["status"] = AdrStatus.SUPERSEDED.value  # plain text: the data crosses from a forked child
            if successor and "superseded_by" not in data:
                data["superseded_by"] = successor
                marks[("superseded_by",)] = marks.get(("status",)) or Mark(1, 1, 1, 1)

    number = adr_number_from_name(doc.rel, adr_dirs)
    if "id" in data:
        normal = normalise_adr_id(data["id"])
        if normal:
            data["id"] = normal
            if number is not None and int(number) != int(normal[4:]):
                mark = doc.mark(("id",))
                problems.append(
                    YamlProblem(
                        "PLN063",
                        mark.line,
                        mark.col,
                        f"id {normal} disagrees with the file name's number {number}; rename the file"
                        " or correct the id",
                    )
                )
    elif number is not None:
        data["id"] = f"ADR-{int(number):04d}"
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
    for key in ("superseded_by",):
        if key in data:
            data[key] = normalise_adr_id(data[key]) or data[key]
    if isinstance(data.get("supersedes"), (str, int)) and not isinstance(data.get("supersedes"), bool):
        data["supersedes"] = [data["supersedes"]]
        if ("supersedes",) in marks:
            marks[("supersedes", 0)] = marks[("supersedes",)]
    if isinstance(data.get("supersedes"), list):
        data["supersedes"] = [normalise_adr_id(v) or v for v in data["supersedes"]]

    if "title" not in data:
        heading = first_heading(doc.body)
        if heading:
            line = doc.body_line + heading[1]
            data["title"] = heading[0].strip()
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
    parsed: ParsedDocument, schemas: SchemaSet, adr_dirs: tuple[str, ...]
) -> tuple[ParsedDocument, list[YamlProblem]]:
    """The document with its values normalised, and the problems found on the way."""
    problems: list[YamlProblem] = []
    draft = _Draft(parsed.data)
    # The new document's own values, and for an ADR its own marks, which gain the places of
    # what is found in its body; `parsed` is left as it was.
    doc = parsed.with_values(draft.data, parsed.marks.copy() if parsed.kind == "adr" else parsed.marks)
    _yaml_types(doc, draft, schemas)
    _placeholders(doc, problems)
    if doc.kind == "plan":
        _gate_adrs(draft)
    if doc.kind == "adr":
        _adr(doc, adr_dirs, problems)
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
