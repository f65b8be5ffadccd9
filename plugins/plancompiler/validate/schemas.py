"""Find and load the JSON Schemas, and compile one validator per schema."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

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
    validators: dict[str, Draft202012Validator] = field(compare=False)
    fingerprint: str
    fast: dict[str, Any] = field(default_factory=dict, compare=False)

    def is_valid(self, kind: str, instance: Any) -> bool:
        """A quick yes/no from jsonschema-rs when it is installed; the errors themselves always
        come from `jsonschema`, whose paths and messages the diagnostics are built on."""
        fast = self.fast.get(kind)
        return bool(fast is not None and fast.is_valid(instance))

    def shape(self, kind: str, path: tuple[str | int, ...]) -> dict[str, Any] | None:
        """The subschema that applies at `path` of a `kind` document, following `$ref`s."""
        return _shape(self, kind, path)


@lru_cache(maxsize=8)
def load_schemas(directory: str | None = None) -> SchemaSet:
    """Load `plan.schema.json` and `adr.schema.json` from `directory` (default: shipped)."""
    base = Path(directory) if directory else shipped_schema_dir()
    schemas: dict[str, dict[str, Any]] = {}
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
        try:
            Draft202012Validator.check_schema(schema)
        except Exception as exc:  # jsonschema.SchemaError; its message names the rule
            message = getattr(exc, "message", str(exc))
            raise SchemaError(f"{path}: not a valid JSON Schema: {message}") from None
        schemas[name] = schema
        raw.append(text)
    validators = {name: Draft202012Validator(s) for name, s in schemas.items()}
    fast = {name: _fast_validator(s) for name, s in schemas.items()}
    fingerprint = hashlib.sha256("\0".join(raw).encode()).hexdigest()[:16]
    return SchemaSet(base, schemas, validators, fingerprint, fast)


def _fast_validator(schema: dict[str, Any]) -> Any:
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - optional accelerator
        return None
    try:
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
