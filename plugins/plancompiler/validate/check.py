"""Validate front matter against the JSON Schemas and point each error at its line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import ValidationError

from plancompiler.diagnostics import hints
from plancompiler.ids import normalise_adr_id
from plancompiler.parse.document import ParsedDocument
from plancompiler.parse.yaml_tree import Path, YamlProblem
from plancompiler.validate.schemas import SchemaSet

_TYPE_NAMES = {
    "string": "text",
    "array": "a list",
    "object": "a mapping",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "empty",
}
_ELEMENTS = {
    "phases": "phase",
    "tasks": "task",
    "gates": "gate",
    "risks": "risk",
    "success_metrics": "metric",
}


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing" if value is None else type(value).__name__


def _get(data: Any, path: Path) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _holds_elements(path: Path) -> bool:
    """Whether `path` is a list of named elements: the plan's phases, gates, risks and metrics,
    or a phase's tasks (a phase's `gates:` is a list of references, not of gates)."""
    if len(path) == 1:
        return path[0] in _ELEMENTS and path[0] != "tasks"
    return len(path) == 3 and path[0] == "phases" and path[2] == "tasks"


def describe(kind: str, data: Any, path: Path) -> str:
    """Name the element that holds `path`: 'task P1.2', 'gate G01', 'plan', 'ADR-0003'."""
    for end in range(len(path), 0, -1):
        if isinstance(path[end - 1], int) and _holds_elements(path[: end - 1]):
            element = _get(data, path[:end])
            name = _ELEMENTS[str(path[end - 2])]
            ident = element.get("id") if isinstance(element, dict) else None
            return f"{name} {ident}" if isinstance(ident, str) else f"{name} #{int(path[end - 1]) + 1}"
    if kind == "adr":
        ident = data.get("id") if isinstance(data, dict) else None
        return ident if isinstance(ident, str) and normalise_adr_id(ident) == ident else "ADR"
    return "plan"


def _key_name(path: Path) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return "value"


def _element(kind: str, path: Path) -> str:
    """What the mapping at `path` is: plan, phase, task, gate, risk, metric or adr."""
    if len(path) >= 2 and isinstance(path[-1], int) and _holds_elements(path[:-1]):
        return _ELEMENTS[str(path[-2])]
    return kind if not path else "mapping"


def _one(doc: ParsedDocument, error: ValidationError) -> list[YamlProblem]:
    path: Path = tuple(error.absolute_path)
    where = describe(doc.kind, doc.data, path)
    validator = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}

    if validator == "additionalProperties":
        allowed = list((schema.get("properties") or {}).keys())
        extra = sorted(k for k in error.instance if k not in allowed and not k.startswith("x-"))
        out = []
        for key in extra:
            mark = doc.mark((*path, key))
            out.append(
                YamlProblem(
                    "PLN050",
                    mark.key_line,
                    mark.key_col,
                    f"unknown key '{key}' in {where}{hints.for_key(_element(doc.kind, path), key, allowed)};"
                    " prefix private keys with 'x-'",
                )
            )
        return out
    if validator == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        # The mapping that lacks the key; for the top level, the first line of the front
        # matter (a document without front matter has no mark and points at 1:1).
        mark = doc.mark(path)
        line, col = mark.line, mark.col
        why = " (a waived gate must say why)" if missing == ["reason"] else ""
        return [YamlProblem("PLN051", line, col, f"{where} is missing the required key '{k}'{why}") for k in missing]
    mark = doc.mark(path)
    key = _key_name(path)
    if validator == "type":
        wanted = error.validator_value
        names = [str(_TYPE_NAMES.get(t, t)) for t in (wanted if isinstance(wanted, list) else [wanted])]
        return [
            YamlProblem(
                "PLN052",
                mark.line,
                mark.col,
                f"'{key}' of {where} must be {' or '.join(names)}, not {_type_of(error.instance)}",
            )
        ]
    if validator in ("enum", "const"):
        options = error.validator_value if validator == "enum" else [error.validator_value]
        shown = ", ".join(str(o) for o in options)
        if isinstance(error.instance, (list, dict)):
            what = _type_of(error.instance)
            return [YamlProblem("PLN052", mark.line, mark.col, f"{key} of {where} must be one of {shown}, not {what}")]
        if error.instance is None:
            message = f"{key} of {where} is empty; write one of {shown}"
        else:
            # As written: `status: on` is the text 'on' to the user, not YAML 1.1's True.
            written = error.instance if isinstance(error.instance, str) else mark.raw
            written = str(error.instance) if written is None else written
            hint = hints.for_value(_element(doc.kind, path[:-1]), key, written, [str(o) for o in options])
            message = f"{key} '{written}' of {where} is not one of {shown}{hint}"
        # An ADR's own status words are the team's business: a warning, not an error.
        if doc.kind == "adr" and path == ("status",):
            message += "; it is shown as written (use one of them, or map the word with the adr_status_aliases option)"
            return [YamlProblem("PLN065", mark.line, mark.col, message)]
        return [YamlProblem("PLN053", mark.line, mark.col, message)]
    if validator in ("pattern", "format"):
        expected = schema.get("errorMessage", f"the pattern {error.validator_value}")
        return [
            YamlProblem(
                "PLN054",
                mark.line,
                mark.col,
                f"{key} '{error.instance}' of {where} is not valid: expected {expected}",
            )
        ]
    return [YamlProblem("PLN055", mark.line, mark.col, f"{key} of {where}: {error.message}")]


def _misspelt_adr_keys(doc: ParsedDocument, schemas: SchemaSet) -> list[YamlProblem]:
    """ADRs may carry any key (MADR's, Jekyll's), so an unknown one is no error; but one that
    is a known key misspelt or confused (`decider`) would silently lose what it says."""
    shape = schemas.shape("adr", ()) or {}
    known = list(shape.get("properties") or ())
    problems = []
    for key in doc.data:
        if key in known or key.startswith("x-"):
            continue
        hint = hints.for_key("adr", key, known, cutoff=0.8)
        if hint:
            mark = doc.mark((key,))
            problems.append(
                YamlProblem(
                    "PLN056",
                    mark.key_line,
                    mark.key_col,
                    f"key '{key}' of {describe('adr', doc.data, ())} is not an ADR key{hint}; it is kept as an"
                    " extra key and means nothing to the compiler",
                )
            )
    return problems


def check_schema(doc: ParsedDocument, schemas: SchemaSet) -> list[YamlProblem]:
    """All schema errors of one document, each pointing at the key or value at fault."""
    problems = _misspelt_adr_keys(doc, schemas) if doc.kind == "adr" and doc.data else []
    if schemas.is_valid(doc.kind, doc.data):
        return problems
    validator = schemas.validator(doc.kind)
    for error in validator.iter_errors(doc.data):
        problems.extend(_one(doc, error))
    return problems
