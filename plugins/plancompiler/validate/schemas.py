"""Find and load the JSON Schemas, and compile one validator per schema.

jsonschema-rs answers "valid or not" for every document; `jsonschema`, whose error paths and
messages the diagnostics are built on, is imported and compiled only when a document fails
(or when jsonschema-rs is missing), so a clean site does not pay for loading it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

SCHEMA_NAMES = ("plan", "adr")


def shipped_schema_dir() -> Path:
    """The schemas inside the installed package, or the repository's `schemas/` in a checkout."""
    inside = Path(__file__).resolve().parent.parent / "schemas"
    if (inside / "plan.schema.json").is_file():
        return inside
    return Path(__file__).resolve().parents[3] / "schemas"


class SchemaError(Exception):
    """A schema file that cannot be read or is not a valid JSON Schema."""


@dataclass(frozen=True)
class SchemaSet:
    """The plan and ADR schemas with their compiled validators."""

    directory: Path
    schemas: dict[str, dict[str, Any]]
    fingerprint: str
    fast: dict[str, Any] = field(default_factory=dict, compare=False)
    _explainers: dict[str, Draft202012Validator] = field(default_factory=dict, compare=False, repr=False)

    def is_valid(self, kind: str, instance: Any) -> bool:
        """A quick yes/no from jsonschema-rs when it is installed; the errors themselves always
        come from `jsonschema`, whose paths and messages the diagnostics are built on."""
        fast = self.fast.get(kind)
        return bool(fast is not None and fast.is_valid(instance))

    def validator(self, kind: str) -> Draft202012Validator:
        """`jsonschema`'s validator for `kind`, compiled on first use."""
        found = self._explainers.get(kind)
        if found is None:
            from jsonschema import Draft202012Validator

            found = self._explainers[kind] = Draft202012Validator(self.schemas[kind])
        return found

    def shape(self, kind: str, path: tuple[str | int, ...]) -> dict[str, Any] | None:
        """The subschema that applies at `path` of a `kind` document, following `$ref`s."""
        return _shape(self, kind, path)


@lru_cache(maxsize=8)
def load_schemas(directory: str | None = None) -> SchemaSet:
    """Load `plan.schema.json` and `adr.schema.json` from `directory` (default: shipped)."""
    base = Path(directory) if directory else shipped_schema_dir()
    schemas: dict[str, dict[str, Any]] = {}
    fasts: dict[str, Any] = {}
    raw = []
    for name in SCHEMA_NAMES:
        path = base / f"{name}.schema.json"
        try:
            text = path.read_text(encoding="utf-8")
            schema = json.loads(text)
        except OSError as exc:
            raise SchemaError(f"cannot read schema {path}: {exc.strerror or exc}") from None
        except json.JSONDecodeError as exc:
            raise SchemaError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
        fast = _fast_validator(schema)
        if fast is None:
            _check_schema(path, schema)
        schemas[name] = schema
        fasts[name] = fast
        raw.append(text)
    fingerprint = hashlib.sha256("\0".join(raw).encode()).hexdigest()[:16]
    return SchemaSet(base, schemas, fingerprint, {k: v for k, v in fasts.items() if v is not None})


def _check_schema(path: Path, schema: dict[str, Any]) -> None:
    """Raise `SchemaError` with `jsonschema`'s account of what makes `schema` invalid."""
    from jsonschema import Draft202012Validator

    try:
        Draft202012Validator.check_schema(schema)
    except Exception as exc:  # jsonschema.SchemaError; its message names the rule
        message = getattr(exc, "message", str(exc))
        raise SchemaError(f"{path}: not a valid JSON Schema: {message}") from None


def _fast_validator(schema: dict[str, Any]) -> Any:
    """jsonschema-rs's validator, if it is installed and accepts the schema against the
    draft 2020-12 meta-schema; otherwise None, and `jsonschema` checks the schema instead."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - optional accelerator
        return None
    try:
        if not jsonschema_rs.meta.is_valid(schema):
            return None
        return jsonschema_rs.Draft202012Validator(schema)
    except Exception:  # pragma: no cover - a schema only it rejects: fall back to jsonschema
        return None


def _resolve(root: dict[str, Any], schema: Any) -> Any:
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 32:
        ref = schema["$ref"]
        if not ref.startswith("#/"):
            return None
        node: Any = root
        for part in ref[2:].split("/"):
            node = node.get(part) if isinstance(node, dict) else None
        schema = node
        seen += 1
    return schema


def _shape(schemas: SchemaSet, kind: str, path: tuple[str | int, ...]) -> dict[str, Any] | None:
    root = schemas.schemas[kind]
    node: Any = _resolve(root, root)
    for part in path:
        if not isinstance(node, dict):
            return None
        if isinstance(part, int):
            node = _resolve(root, node.get("items"))
        else:
            node = _resolve(root, (node.get("properties") or {}).get(part))
    return node if isinstance(node, dict) else None
